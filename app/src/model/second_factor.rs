//! Two-step sign-in, as the browser sees it: where an account stands, the authenticator being
//! set up, and how a sign-in ended.

use super::CurrentUser;
use serde::{Deserialize, Serialize};

/// How many recovery codes an account gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// One's own two-step sign-in, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorStatus {
    /// Signing in asks for a code.
    pub on: bool,
    /// The account may not turn it off (coordinators).
    pub required: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// An authenticator being set up, waiting for its first code.
    pub setup: Option<SecondFactorSetup>,
}

/// A new authenticator's secret, for the person to add to their app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSetup {
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` link: a phone opens it in its authenticator app.
    pub link: String,
    /// The same link as a QR code, for an app on another device to scan.
    pub qr: QrDrawing,
}

/// A QR code as the page draws it in SVG: a square of `size` modules (the quiet zone included)
/// and one path over the dark ones. The page renders these as attributes, which are escaped, so
/// no markup ever comes from the server as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrDrawing {
    pub size: usize,
    /// SVG path data: one rectangle per run of dark modules in a row (`M x,y h n v 1 h -n z`).
    pub path: String,
}

/// How a password sign-in ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInOutcome {
    /// Signed in.
    SignedIn(CurrentUser),
    /// The password was right; the account asks for a code from its authenticator next.
    CodeNeeded,
}

impl SignInOutcome {
    /// Where the sign-in form goes next: the code step, two-step sign-in's setup for a
    /// coordinator who has none yet, or home.
    /// `landing`, as a form's `landing` takes it.
    pub fn landing_of(outcome: &SignInOutcome) -> String {
        outcome.landing()
    }

    pub fn landing(&self) -> String {
        match self {
            SignInOutcome::CodeNeeded => "/sign-in/second-factor".into(),
            SignInOutcome::SignedIn(u) if u.needs_second_factor() => "/second-factor".into(),
            SignInOutcome::SignedIn(_) => "/home".into(),
        }
    }
}
