//! The resource library: links coordinators curate, which participants search and bookmark.

use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 5_000;
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 40;

pub const KINDS: &[(&str, &str)] = &[
    ("article", "Article"),
    ("book", "Book"),
    ("recording", "Webinar recording"),
    ("toolkit", "Toolkit"),
    ("template", "Template"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceItem {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub kind: String,
    pub tags: Vec<String>,
    /// Sanitized HTML of the note.
    pub note_html: String,
    /// The Markdown, for coordinators' edit form ("" for others).
    pub note_md: String,
    pub bookmarked: bool,
    /// The forum event a recording came from.
    pub event_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceList {
    pub items: Vec<ResourceItem>,
    /// Every tag in use, for the filter.
    pub tags: Vec<String>,
    pub can_manage: bool,
}
