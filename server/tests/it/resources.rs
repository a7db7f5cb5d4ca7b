//! The resource library through the real server, on SQLite and PostgreSQL: curating with field
//! errors, search and filters, bookmarks that are each person's own, XSS in notes, refusals.

use crate::common::{call, each_engine, ok, signed_in};
use app::backend::infra::markdown::{XSS_PAYLOADS, looks_active};
use serde_json::json;

fn resource(title: &str, url: &str, kind: &str, tags: &str, note: &str) -> serde_json::Value {
    json!({ "id": 0, "title": title, "url": url, "kind": kind, "tags": tags, "note": note })
}

fn list_args(query: &str, kind: &str, tag: &str, bookmarked: bool) -> serde_json::Value {
    json!({ "query": query, "kind": kind, "tag": tag, "bookmarked": bookmarked })
}

fn titles(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn coordinators_curate_and_everyone_signed_in_searches() {
    each_engine(|s| async move {
        let coord = signed_in(&s, "coordinator@example.org").await;
        for (args, field) in [
            (
                resource("", "https://a.example.org", "book", "", ""),
                "title",
            ),
            (resource("T", "ftp://a.example.org", "book", "", ""), "url"),
            (resource("T", "", "book", "", ""), "url"),
            (
                resource("T", "https://a.example.org", "poster", "", ""),
                "kind",
            ),
            (
                resource(
                    "T",
                    "https://a.example.org",
                    "book",
                    "a,b,c,d,e,f,g,h,i,j,k",
                    "",
                ),
                "tags",
            ),
        ] {
            let (status, body) = call(&coord, &s, "save_resource", args).await;
            assert_eq!(status, 422, "{body}");
            assert!(
                body.to_string().contains(&format!("\"field\":\"{field}\"")),
                "{field}: {body}"
            );
        }
        let id = ok(
            &coord,
            &s,
            "save_resource",
            resource(
                "Book of 100% joy_ful reading",
                "https://books.example.org/joy",
                "book",
                "Reading, joy",
                "About *reading*.",
            ),
        )
        .await
        .as_i64()
        .unwrap();
        ok(
            &coord,
            &s,
            "save_resource",
            resource(
                "Toolkit for teens",
                "https://t.example.org/",
                "toolkit",
                "teens",
                "",
            ),
        )
        .await;

        let noor = signed_in(&s, "noor.haddad@example.org").await;
        let all = ok(&noor, &s, "resources", list_args("", "", "", false)).await;
        assert!(titles(&all).contains(&"Book of 100% joy_ful reading".to_string()));
        assert!(all["tags"].as_array().unwrap().contains(&json!("joy")));
        assert_eq!(all["can_manage"], false);
        let mine = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone();
        assert_eq!(mine["tags"], json!(["joy", "reading"]));
        assert_eq!(mine["note_html"], "<p>About <em>reading</em>.</p>\n");
        assert_eq!(
            mine["note_md"], "",
            "the Markdown source is for coordinators' edit form"
        );

        // Search is case-blind, literal about % and _, and looks at titles, notes and tags.
        assert_eq!(
            titles(&ok(&noor, &s, "resources", list_args("100%", "", "", false)).await),
            vec!["Book of 100% joy_ful reading"]
        );
        assert_eq!(
            titles(&ok(&noor, &s, "resources", list_args("0%_", "", "", false)).await),
            Vec::<String>::new()
        );
        assert_eq!(
            titles(&ok(&noor, &s, "resources", list_args("TEENS", "", "", false)).await),
            vec!["Toolkit for teens"]
        );
        let books = ok(&noor, &s, "resources", list_args("", "book", "", false)).await;
        assert!(
            books["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["kind"] == "book")
        );
        assert_eq!(
            titles(&ok(&noor, &s, "resources", list_args("", "", "joy", false)).await),
            vec!["Book of 100% joy_ful reading"]
        );

        // Bookmarks are each person's own.
        ok(
            &noor,
            &s,
            "set_bookmark",
            json!({ "resource_id": id, "on": true }),
        )
        .await;
        ok(
            &noor,
            &s,
            "set_bookmark",
            json!({ "resource_id": id, "on": true }),
        )
        .await;
        assert_eq!(
            titles(&ok(&noor, &s, "resources", list_args("", "", "", true)).await),
            vec!["Book of 100% joy_ful reading"]
        );
        let sam = signed_in(&s, "mentee@example.org").await;
        assert!(titles(&ok(&sam, &s, "resources", list_args("", "", "", true)).await).is_empty());
        ok(
            &noor,
            &s,
            "set_bookmark",
            json!({ "resource_id": id, "on": false }),
        )
        .await;
        assert!(titles(&ok(&noor, &s, "resources", list_args("", "", "", true)).await).is_empty());
        assert_eq!(
            call(
                &noor,
                &s,
                "set_bookmark",
                json!({ "resource_id": 999_999, "on": true })
            )
            .await
            .0,
            404
        );

        // Edit, then remove (with the bookmarks on it).
        ok(
            &noor,
            &s,
            "set_bookmark",
            json!({ "resource_id": id, "on": true }),
        )
        .await;
        let mut edit = resource(
            "Joyful reading",
            "https://books.example.org/joy2",
            "article",
            "reading",
            "",
        );
        edit["id"] = json!(id);
        ok(&coord, &s, "save_resource", edit).await;
        let after = ok(&noor, &s, "resources", list_args("", "", "", true)).await;
        assert_eq!(titles(&after), vec!["Joyful reading"]);
        assert_eq!(after["items"][0]["tags"], json!(["reading"]));
        ok(&coord, &s, "delete_resource", json!({ "id": id })).await;
        assert!(titles(&ok(&noor, &s, "resources", list_args("", "", "", true)).await).is_empty());
        assert_eq!(
            call(&coord, &s, "delete_resource", json!({ "id": id }))
                .await
                .0,
            404
        );
        s
    })
    .await;
}

#[tokio::test]
async fn who_may_do_what_in_the_library() {
    each_engine(|s| async move {
        let visitor = s.browser();
        let noor = signed_in(&s, "noor.haddad@example.org").await;
        let add = resource("T", "https://a.example.org", "book", "", "");
        // A visitor is told "nobody signed in" (the public page then explains the library): no
        // entry, tag or bookmark.
        assert_eq!(
            call(&visitor, &s, "resources", list_args("", "", "", false)).await,
            (200, serde_json::Value::Null)
        );
        assert_eq!(
            call(
                &visitor,
                &s,
                "set_bookmark",
                json!({ "resource_id": 1, "on": true })
            )
            .await
            .0,
            401
        );
        assert_eq!(
            call(&visitor, &s, "save_resource", add.clone()).await.0,
            401
        );
        assert_eq!(call(&noor, &s, "save_resource", add).await.0, 403);
        assert_eq!(
            call(&noor, &s, "delete_resource", json!({ "id": 1 }))
                .await
                .0,
            403
        );
        // The page: a visitor reads what the library is, not its entries.
        let html = visitor
            .get(s.url("/resources"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Sign in"), "{html}");
        assert!(!html.contains("Storytime toolkit"));
        let html = noor
            .get(s.url("/resources"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Storytime toolkit"),
            "the signed-in page lists the demo library"
        );
        s
    })
    .await;
}

#[tokio::test]
async fn notes_cannot_carry_script() {
    each_engine(|s| async move {
        let coord = signed_in(&s, "coordinator@example.org").await;
        for (i, payload) in XSS_PAYLOADS.iter().enumerate() {
            ok(
                &coord,
                &s,
                "save_resource",
                resource(
                    &format!("XSS {i}"),
                    "https://x.example.org/",
                    "article",
                    "xss",
                    payload,
                ),
            )
            .await;
        }
        let noor = signed_in(&s, "noor.haddad@example.org").await;
        let list = ok(&noor, &s, "resources", list_args("", "", "xss", false)).await;
        assert_eq!(list["items"].as_array().unwrap().len(), XSS_PAYLOADS.len());
        for r in list["items"].as_array().unwrap() {
            let html = r["note_html"].as_str().unwrap();
            assert!(!looks_active(html), "{}: {html}", r["title"]);
        }
        s
    })
    .await;
}
