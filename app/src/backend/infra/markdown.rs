//! Markdown that coordinators write (event descriptions, news, resource notes) becomes HTML with
//! pulldown-cmark, and every piece of it passes ammonia before anyone's browser or mail reader
//! sees it: scripts, event handlers, `javascript:` links and frames are removed, links get
//! `rel="noopener noreferrer nofollow"`.

use pulldown_cmark::{Event, Options, Parser, html};
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"));
    b
});

/// Markdown to safe HTML. HTML typed into the Markdown is shown as text, not used: what can be
/// written is what Markdown can say (so every image has its alt text, every link is a link), and
/// ammonia still checks the result (a `javascript:` link in Markdown syntax, say).
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    sanitize(&raw)
}

/// Any HTML made safe to show (used on what `to_html` makes, and on mail bodies).
pub fn sanitize(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Plain text as HTML: escaped, blank lines make paragraphs, web addresses become links. The
/// HTML part of an email written as plain text.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        let lines: Vec<String> = para.lines().map(linkify).collect();
        out.push_str(&lines.join("<br>\n"));
        out.push_str("</p>\n");
    }
    sanitize(&out)
}

fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let trimmed = word.trim_end_matches(['.', ',', ')', ';', ':']);
            if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
                let rest = &word[trimmed.len()..];
                let href = escape(trimmed);
                format!("<a href=\"{href}\">{href}</a>{}", escape(rest))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes text for HTML (content and double-quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Known XSS payloads, shared by the unit test here and the integration and browser tests.
pub const XSS_PAYLOADS: &[&str] = &[
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "[click me](javascript:alert('xss'))",
    "<a href=\"javascript:alert('xss')\">link</a>",
    "<svg onload=alert('xss')></svg>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<div style=\"background:url(javascript:alert('xss'))\" onclick=\"alert('xss')\">div</div>",
    "![x](x\" onerror=\"alert('xss'))",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=\">data</a>",
    "<details open ontoggle=alert('xss')>",
    "<form action=\"https://evil.example/\"><input name=x></form>",
];

/// Whether some HTML could still run script: what the XSS tests assert never happens. Only the
/// markup is looked at; text between tags is escaped and cannot run.
pub fn looks_active(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.split('<').skip(1).any(|rest| {
        let tag = rest.split('>').next().unwrap_or_default();
        let name = tag.split([' ', '/', '\n', '\t']).next().unwrap_or_default();
        let has_handler = tag
            .split([' ', '\n', '\t', '"', '\''])
            .any(|attr| attr.starts_with("on") && attr.contains('='));
        matches!(
            name,
            "script" | "iframe" | "svg" | "form" | "object" | "embed" | "style"
        ) || has_handler
            || tag.contains("javascript:")
            || tag.contains("data:")
            || tag.contains("style=")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let html = to_html("# Title\n\nSome *words* and [a link](https://example.org).");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>words</em>"));
        assert!(
            html.contains(
                r#"<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn xss_payloads_come_out_inert() {
        for payload in XSS_PAYLOADS {
            let html = to_html(payload);
            assert!(!looks_active(&html), "{payload} became {html}");
        }
        // HTML typed into Markdown is shown as text, readable rather than silently swallowed.
        assert_eq!(
            to_html("a <b>bold</b> word"),
            "<p>a &lt;b&gt;bold&lt;/b&gt; word</p>\n"
        );
        // A Markdown image always has its alt text.
        assert!(
            to_html("![A shelf of picture books](https://example.org/shelf.jpg)")
                .contains(r#"alt="A shelf of picture books""#)
        );
    }

    #[test]
    fn plain_text_becomes_paragraphs_and_links() {
        let html = text_to_html("Hello <you>,\n\nRead it: https://tandem.example/home.\nThanks");
        assert_eq!(
            html,
            "<p>Hello &lt;you&gt;,</p>\n<p>Read it: <a href=\"https://tandem.example/home\" rel=\"noopener noreferrer nofollow\">https://tandem.example/home</a>.<br>\nThanks</p>\n"
        );
    }
}
