//! The resource library: links with a type, tags and a Markdown note, searched and filtered in
//! SQL, bookmarked per person. A forum recording keeps one entry, linked to its event.

use crate::backend::auth::policy::{Coordinator, SignedIn};
use crate::backend::infra::db::BeginWrite;
use crate::backend::infra::db::{Db, flag, now_ms};
use crate::backend::{infra::fields, infra::markdown};
use crate::error::AppError;
use crate::model::forum::URL_MAX;
use crate::model::resources::{
    NOTE_MAX, ResourceItem, ResourceKind, ResourceList, TAG_MAX, TAGS_MAX, TITLE_MAX,
};
use std::collections::BTreeMap;

pub struct Filter<'a> {
    pub query: &'a str,
    pub kind: &'a str,
    pub tag: &'a str,
    pub bookmarked: bool,
}

pub struct ResourceInput<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'a str,
    pub tags: &'a str,
    pub note: &'a str,
}

/// "Reading, Leadership ,reading" → ["leadership", "reading"].
pub fn parse_tags(text: &str) -> Result<Vec<String>, AppError> {
    fields::one_line("tags", text)?;
    let mut tags: Vec<String> = text
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    if tags.len() > TAGS_MAX {
        return Err(AppError::validation(
            "tags",
            format!("Use at most {TAGS_MAX} tags."),
        ));
    }
    if tags.iter().any(|t| t.chars().count() > TAG_MAX) {
        return Err(AppError::validation(
            "tags",
            format!("Keep each tag to {TAG_MAX} characters."),
        ));
    }
    Ok(tags)
}

/// A LIKE pattern matching `text` anywhere, with its own % and _ taken literally.
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    url: String,
    kind: ResourceKind,
    note_md: String,
    event_id: Option<i64>,
    bookmarked: i64,
}

pub async fn list(db: &Db, reader: &SignedIn, f: &Filter<'_>) -> Result<ResourceList, AppError> {
    let me = reader.who();
    let query = f.query.trim();
    let rows = sqlx::query_as::<_, Row>(
        "SELECT r.id, r.title, r.url, r.kind, r.note_md, r.event_id,
                CASE WHEN EXISTS (SELECT 1 FROM bookmarks b WHERE b.resource_id = r.id AND b.user_id = $1)
                     THEN 1 ELSE 0 END AS bookmarked
         FROM resources r
         WHERE ($2 = '' OR r.kind = $2)
           AND ($3 = '' OR EXISTS (SELECT 1 FROM resource_tags t WHERE t.resource_id = r.id AND t.tag = $3))
           AND ($4 = 0 OR EXISTS (SELECT 1 FROM bookmarks b WHERE b.resource_id = r.id AND b.user_id = $1))
           AND ($5 = '' OR LOWER(r.title) LIKE $6 ESCAPE '\\' OR LOWER(r.note_md) LIKE $6 ESCAPE '\\'
                OR EXISTS (SELECT 1 FROM resource_tags t WHERE t.resource_id = r.id AND t.tag LIKE $6 ESCAPE '\\'))
         ORDER BY LOWER(r.title), r.id",
    )
    .bind(me.id)
    .bind(f.kind.trim())
    .bind(f.tag.trim())
    .bind(flag(f.bookmarked))
    .bind(query)
    .bind(contains_pattern(query))
    .fetch_all(db)
    .await?;
    let tag_rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT resource_id, tag FROM resource_tags ORDER BY tag")
            .fetch_all(db)
            .await?;
    let mut by_resource: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut all: Vec<String> = Vec::new();
    for (id, tag) in tag_rows {
        if all.last() != Some(&tag) {
            all.push(tag.clone());
        }
        by_resource.entry(id).or_default().push(tag);
    }
    let manage = reader.coordinator().is_some();
    Ok(ResourceList {
        items: rows
            .into_iter()
            .map(|r| ResourceItem {
                tags: by_resource.remove(&r.id).unwrap_or_default(),
                note_html: markdown::to_html(&r.note_md),
                note_md: if manage { r.note_md } else { String::new() },
                id: r.id,
                title: r.title,
                url: r.url,
                kind: r.kind,
                bookmarked: r.bookmarked != 0,
                event_id: r.event_id,
            })
            .collect(),
        tags: all,
        can_manage: manage,
    })
}

async fn set_tags(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    tags: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM resource_tags WHERE resource_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO resource_tags (resource_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Adds (id 0) or changes a resource. Returns its id.
pub async fn save(
    db: &Db,
    by: &Coordinator,
    id: i64,
    input: &ResourceInput<'_>,
) -> Result<i64, AppError> {
    let actor_id = by.id();
    let title = fields::line("title", input.title, TITLE_MAX, Some("Give it a title."))?;
    let url = fields::web_url("url", input.url, URL_MAX, true)?;
    let Some(kind) = ResourceKind::parse(input.kind) else {
        return Err(AppError::validation("kind", "Choose a type."));
    };
    let tags = parse_tags(input.tags)?;
    let note = fields::text("note", input.note, NOTE_MAX, None)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id = if id == 0 {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO resources (title, url, kind, note_md, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&title)
        .bind(&url)
        .bind(kind)
        .bind(&note)
        .bind(actor_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
    } else {
        let r = sqlx::query(
            "UPDATE resources SET title = $1, url = $2, kind = $3, note_md = $4, updated_at = $5
             WHERE id = $6",
        )
        .bind(&title)
        .bind(&url)
        .bind(kind)
        .bind(&note)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        id
    };
    set_tags(&mut tx, id, &tags).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(db: &Db, _by: &Coordinator, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    for sql in [
        "DELETE FROM bookmarks WHERE resource_id = $1",
        "DELETE FROM resource_tags WHERE resource_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    let r = sqlx::query("DELETE FROM resources WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_bookmark(
    db: &Db,
    me: &SignedIn,
    resource_id: i64,
    on: bool,
) -> Result<(), AppError> {
    let user_id = me.id();
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM resources WHERE id = $1")
        .bind(resource_id)
        .fetch_optional(db)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM bookmarks WHERE user_id = $1 AND resource_id = $2")
        .bind(user_id)
        .bind(resource_id)
        .execute(&mut *tx)
        .await?;
    if on {
        sqlx::query("INSERT INTO bookmarks (user_id, resource_id, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(resource_id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Keeps the library's entry for an event's recording in step with it: made when a recording
/// is added, updated when it changes, removed when it is cleared.
pub async fn keep_recording(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    by: &Coordinator,
    event_id: i64,
    title: &str,
    description: &str,
    url: &str,
) -> Result<(), AppError> {
    let actor_id = by.id();
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM resources WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?;
    let now = now_ms();
    match (existing, url.is_empty()) {
        (Some(id), true) => {
            for sql in [
                "DELETE FROM bookmarks WHERE resource_id = $1",
                "DELETE FROM resource_tags WHERE resource_id = $1",
                "DELETE FROM resources WHERE id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut **tx).await?;
            }
        }
        (Some(id), false) => {
            sqlx::query("UPDATE resources SET url = $1, title = $2, updated_at = $3 WHERE id = $4")
                .bind(url)
                .bind(title)
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        (None, false) => {
            let note: String = description.chars().take(NOTE_MAX).collect();
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO resources (title, url, kind, note_md, event_id, created_by, created_at, updated_at)
                 VALUES ($1, $2, 'recording', $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(title)
            .bind(url)
            .bind(note)
            .bind(event_id)
            .bind(actor_id)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            set_tags(tx, id, &["mentoring forum".to_string()]).await?;
        }
        (None, true) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_tidied() {
        assert_eq!(
            parse_tags(" Reading, Leadership ,reading,, ").unwrap(),
            vec!["leadership".to_string(), "reading".to_string()]
        );
        assert!(parse_tags(&"a,".repeat(11).replace("a", "x")).is_ok());
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(
            parse_tags(&many.join(","))
                .unwrap_err()
                .for_field("tags")
                .is_some()
        );
    }

    #[test]
    fn search_text_is_literal() {
        assert_eq!(contains_pattern(" 100%_Done "), "%100\\%\\_done%");
    }
}
