//! The resource library: links coordinators curate, which participants search and bookmark.

use super::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 5_000;
pub const TAGS_MAX: usize = 10;
pub const TAG_MAX: usize = 40;

vocabulary! {
    /// What a resource is.
    pub enum ResourceKind as "kind of resource" {
        Article = ("article", "Article"),
        Book = ("book", "Book"),
        Recording = ("recording", "Webinar recording"),
        Toolkit = ("toolkit", "Toolkit"),
        Template = ("template", "Template"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceItem {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub kind: ResourceKind,
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
