//! The chat between a match's two partners as the page sees it: message lines, a page of
//! history, the navigation's badge, and the safe linkifier. What crosses the socket is in
//! `model::live`.

use serde::{Deserialize, Serialize};

/// Longest message, in characters after trimming.
pub const MAX_BODY_CHARS: usize = 4000;
/// Messages per history page.
pub const PAGE_SIZE: i64 = 50;
/// Longest client id a page may choose (they are random hex strings).
pub const MAX_CLIENT_ID: usize = 64;

/// One stored message, with its time already in the reader's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The message's number within its match: 1, 2, 3… with no gaps.
    pub seq: i64,
    pub mine: bool,
    pub client_id: String,
    pub body: String,
    pub at_ms: i64,
    /// "Monday, November 30" in the reader's zone, for day separators.
    pub day: String,
    /// "2:05 PM" in the reader's zone.
    pub time: String,
}

/// What the chat page opens with: the newest page of messages and what it needs around them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatPage {
    pub match_id: i64,
    pub partner_name: String,
    pub partner_first_name: String,
    /// Oldest first.
    pub lines: Vec<ChatLine>,
    /// True when messages older than the first line exist.
    pub has_older: bool,
    /// The last message of mine the partner has read.
    pub partner_read_seq: i64,
    /// False once the match has ended: the history stays readable, sending stops.
    pub active: bool,
}

/// Older messages, loaded when the reader scrolls up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatHistory {
    pub lines: Vec<ChatLine>,
    pub has_older: bool,
}

/// What a coordinator may know about a match's chat: how much, not what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFigures {
    pub messages: i64,
    pub last_30_days: i64,
    /// "November 30, 2026", or empty when they have not written yet.
    pub last_message_on: String,
}

/// The chat link in the navigation: where it goes and how many messages wait.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatBadge {
    /// The chat of the one active match, or the home page when there are several.
    pub href: String,
    pub unread: i64,
}

/// The trimmed body, or the sentence saying what is wrong with it.
pub fn check_body(body: &str) -> Result<&str, String> {
    let trimmed = body.trim();
    let chars = trimmed.chars().count();
    if chars == 0 {
        Err("Write a message first.".into())
    } else if chars > MAX_BODY_CHARS {
        Err(format!(
            "A message can be at most {MAX_BODY_CHARS} characters; this one has {chars}."
        ))
    } else {
        Ok(trimmed)
    }
}

/// A piece of a message: plain text, or a web address to show as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits a message into text and links. Only `http://` and `https://` addresses become links
/// (never `javascript:` or `data:`); trailing punctuation that usually ends a sentence stays
/// text. The page renders every segment as text nodes and attributes, never as markup.
pub fn linkify(body: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = find_link_start(rest) {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        let mut link = &tail[..end];
        while let Some(last) = link.chars().last() {
            let unbalanced_paren =
                last == ')' && link.matches('(').count() < link.matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'') || unbalanced_paren {
                link = &link[..link.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        let scheme_len = if link.starts_with("https://") { 8 } else { 7 };
        if link.len() <= scheme_len {
            // "http://" alone is not an address; keep it as text and move on.
            out.push(Segment::Text(&rest[..start + scheme_len]));
            rest = &rest[start + scheme_len..];
            continue;
        }
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        out.push(Segment::Link(link));
        rest = &rest[start + link.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

fn find_link_start(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let a = lower.find("https://");
    let b = lower.find("http://");
    let found = match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }?;
    // Only at a word start: "xhttp://" is not a link.
    let ok = found == 0
        || s[..found]
            .chars()
            .last()
            .is_some_and(|c| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\''));
    if ok {
        Some(found)
    } else {
        // Skip past this one and look again.
        let skip = found + 4;
        find_link_start(&s[skip..]).map(|i| i + skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(check_body("  hi \n"), Ok("hi"));
        assert!(check_body(" \n\t ").is_err());
        assert!(check_body(&"é".repeat(MAX_BODY_CHARS)).is_ok());
        let long = check_body(&"é".repeat(MAX_BODY_CHARS + 1)).unwrap_err();
        assert!(long.contains("4001"), "{long}");
    }

    #[test]
    fn links_are_found_and_only_web_links() {
        use Segment::*;
        assert_eq!(
            linkify("See https://ala.org/alsc. Thanks!"),
            vec![
                Text("See "),
                Link("https://ala.org/alsc"),
                Text(". Thanks!")
            ]
        );
        assert_eq!(
            linkify("(http://a.example/x_(y)) ok"),
            vec![Text("("), Link("http://a.example/x_(y)"), Text(") ok")]
        );
        assert_eq!(
            linkify("javascript:alert(1) data:text/html,<b>"),
            vec![Text("javascript:alert(1) data:text/html,<b>")]
        );
        assert_eq!(
            linkify("<a href=\"https://x.example\">"),
            vec![Text("<a href=\""), Link("https://x.example"), Text("\">")]
        );
        assert_eq!(
            linkify("xhttps://no.example"),
            vec![Text("xhttps://no.example")]
        );
        assert_eq!(
            linkify("http:// alone"),
            vec![Text("http://"), Text(" alone")]
        );
        assert_eq!(linkify(""), Vec::<Segment>::new());
    }
}
