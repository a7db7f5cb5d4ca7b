//! Unsent messages (client id, text) kept in the browser so a reload or a crash loses nothing.

#[cfg(feature = "hydrate")]
fn key(match_id: i64) -> String {
    format!("tandem-chat-unsent-{match_id}")
}

pub fn load(match_id: i64) -> Vec<(String, String)> {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(&key(match_id)).ok().flatten())
            .and_then(|json| crate::components::data::from_json(&json).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = match_id;
        Vec::new()
    }
}

pub fn save(match_id: i64, items: &[(String, String)]) {
    #[cfg(feature = "hydrate")]
    if let Some(store) = leptos::prelude::window().local_storage().ok().flatten() {
        let _ = if items.is_empty() {
            store.remove_item(&key(match_id))
        } else {
            match serde_json::to_string(items) {
                Ok(json) => store.set_item(&key(match_id), &json),
                Err(_) => Ok(()),
            }
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (match_id, items);
}
