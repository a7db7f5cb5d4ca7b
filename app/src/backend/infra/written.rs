//! A person's own page parts as last written, kept so that the next request for the same page
//! by the same person, from the same data, in the same minute, sends the same HTML without
//! building and writing it again.
//!
//! A page reads its data on every request anyway (that is how a change on any instance is seen
//! at once); what this saves is the rendering, which is most of a signed-in page's cost
//! (bench/README.md, seventh part). An entry is used only when all of these hold, so it can
//! never show one person another's page or a stale one:
//! - the same person (the session read ahead for this request), the same part and address;
//! - data equal (`PartialEq`) to what the kept HTML was written from;
//! - the same minute: the only thing a part writes that is not in its data is the time (a
//!   partner's clock, whole minutes since offsets are whole minutes);
//! - the request answers no form post: a post's outcome and refused fields change the forms.

use crate::model::UserId;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What a kept part was written for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub person: UserId,
    /// The part's name, one per page that keeps its part (`"home"`, `"match"`).
    pub part: &'static str,
    /// The request's path and query: links and forms are written for it.
    pub address: String,
    /// Minutes since the epoch.
    pub minute: i64,
}

struct Entry {
    key: Key,
    data: Box<dyn Any + Send + Sync>,
    html: Arc<str>,
}

/// At most one kept part per person and part; a few thousand people online at once fit.
const MAX_ENTRIES: usize = 2048;

#[derive(Default)]
pub struct WrittenParts {
    entries: Mutex<HashMap<(UserId, &'static str), Entry>>,
}

impl WrittenParts {
    /// The HTML kept for `key`, when it was written from data equal to `data`.
    pub fn get<D: PartialEq + 'static>(&self, key: &Key, data: &D) -> Option<Arc<str>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&(key.person, key.part))
            .filter(|e| e.key == *key)
            .filter(|e| e.data.downcast_ref::<D>().is_some_and(|d| d == data))
            .map(|e| e.html.clone())
    }

    /// Keeps `html`, written from `data` for `key`, in place of that person's previous one.
    pub fn put<D: Send + Sync + 'static>(&self, key: Key, data: D, html: Arc<str>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&(key.person, key.part)) {
            // Entries go stale within a minute; dropping them all is simpler than an LRU and
            // costs each person at most one render.
            entries.clear();
        }
        entries.insert(
            (key.person, key.part),
            Entry {
                key,
                data: Box::new(data),
                html,
            },
        );
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(person: i64, minute: i64) -> Key {
        Key {
            person: UserId(person),
            part: "home",
            address: "/home".into(),
            minute,
        }
    }

    #[test]
    fn a_part_is_given_back_only_to_its_person_for_the_same_data_in_the_same_minute() {
        let parts = WrittenParts::default();
        parts.put(
            key(6, 100),
            vec!["goal".to_string()],
            Arc::from("<p>six</p>"),
        );
        let same = vec!["goal".to_string()];
        assert_eq!(
            parts.get(&key(6, 100), &same).as_deref(),
            Some("<p>six</p>")
        );
        assert_eq!(parts.get(&key(7, 100), &same), None, "another person");
        assert_eq!(parts.get(&key(6, 101), &same), None, "the next minute");
        let changed = vec!["goal, edited".to_string()];
        assert_eq!(parts.get(&key(6, 100), &changed), None, "changed data");
        assert_eq!(parts.get(&key(6, 100), &1_u8), None, "data of another type");
        let mut elsewhere = key(6, 100);
        elsewhere.address = "/home?x=1".into();
        assert_eq!(parts.get(&elsewhere, &same), None, "another address");
        parts.put(
            key(6, 101),
            vec!["new".to_string()],
            Arc::from("<p>new</p>"),
        );
        assert_eq!(parts.len(), 1, "one part per person replaces the last");
    }
}
