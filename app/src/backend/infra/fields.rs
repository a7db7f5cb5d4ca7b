//! Checks for typed-in fields shared by every form (accounts, applications, cohorts, matches'
//! work, the forum, news and resources): each failure names its field, so the form shows it
//! beside the box.

use crate::error::AppError;

/// Trimmed text of at most `max` characters; `empty` is the message when it is required and
/// blank (None: optional).
pub fn text(field: &str, value: &str, max: usize, empty: Option<&str>) -> Result<String, AppError> {
    let v = value.trim();
    if let (true, Some(message)) = (v.is_empty(), empty) {
        return Err(AppError::validation(field, message));
    }
    let n = v.chars().count();
    if n > max {
        // The count tells a person on a phone how much to cut without counting it themselves.
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters (this has {n})."),
        ));
    }
    Ok(v.to_string())
}

/// Refuses line breaks, tabs and every other control character in a field meant to hold one line
/// (a name, a title, an email's subject). Such text lands in emails' headers and greetings, where
/// a line break would let someone write a second line of their own (`Ruth\r\nVisit
/// https://evil.example/login`). Unicode's line and paragraph separators count as breaks.
pub fn one_line(field: &str, value: &str) -> Result<(), AppError> {
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err(AppError::validation(
            field,
            "Keep this to one line: no line breaks, tabs or other control characters.",
        ));
    }
    Ok(())
}

/// `text` for a field meant to hold one line: see `one_line`.
pub fn line(field: &str, value: &str, max: usize, empty: Option<&str>) -> Result<String, AppError> {
    let v = text(field, value, max, empty)?;
    one_line(field, &v)?;
    Ok(v)
}

/// A whole number from `min` to `max`; `what` names it in the sentence when it is not one.
pub fn number(field: &str, value: &str, min: i64, max: i64, what: &str) -> Result<i64, AppError> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::validation(
            field,
            format!("Enter {what}, a whole number from {min} to {max}."),
        )),
    }
}

/// A web address (http or https), or "" when optional and blank.
pub fn web_url(field: &str, value: &str, max: usize, required: bool) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return if required {
            Err(AppError::validation(field, "Enter the web address."))
        } else {
            Ok(String::new())
        };
    }
    if v.len() > max {
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u.to_string()),
        _ => Err(AppError::validation(
            field,
            "Enter a full web address starting with https://",
        )),
    }
}

/// "j***@example.org": enough to recognise, not enough to harvest from a forwarded link.
pub fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}
