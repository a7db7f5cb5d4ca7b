//! The house rules that a reviewer would otherwise have to remember, checked on the source:
//!
//! - A server function asks the policy for a permit (`context::permit`, `context::on_match`) and
//!   hands it on; it never calls `policy::check` bare, which answers yes or no and leaves nothing
//!   for the backend to require.
//! - A server function is thin: it parses, gets its permit, calls one backend function and
//!   answers. `MAX_SERVER_FN_LINES` bounds its length, attributes and doc comment left out.
//!
//! No database: these read `app/src/api/`.

use std::path::{Path, PathBuf};

/// The longest server function body allowed, from `pub async fn` to its closing brace. The
/// longest thin one (a signature with four or five fields, `context::respond`, the permit, one
/// call with its arguments spread by rustfmt, a cookie and the answer) is about 25 lines; past 30
/// a workflow has crept in that belongs in the backend.
const MAX_SERVER_FN_LINES: usize = 30;

fn api_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "the api folder: {files:?}");
    files
}

/// Each top-level function in a file, as (name, first line number, its lines): from `pub async fn`
/// or `async fn` at the start of a line to the first line that is a lone `}` (rustfmt's layout).
fn functions(text: &str) -> Vec<(String, usize, Vec<&str>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let name = line
            .strip_prefix("pub async fn ")
            .or_else(|| line.strip_prefix("async fn "))
            .and_then(|rest| rest.split(['(', '<']).next());
        if let Some(name) = name {
            let end = (i..lines.len()).find(|&j| lines[j] == "}").unwrap();
            found.push((name.to_string(), i + 1, lines[i..=end].to_vec()));
            i = end;
        }
        i += 1;
    }
    found
}

#[test]
fn server_functions_take_permits_and_stay_thin() {
    let mut broken = Vec::new();
    let mut counted = 0;
    let mut longest = (0, String::new());
    for file in api_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let short = file.file_name().unwrap().to_string_lossy().to_string();
        for (name, at, body) in functions(&text) {
            counted += 1;
            if body.iter().any(|l| l.contains("policy::check(")) {
                broken.push(format!(
                    "{short}:{at} {name} calls policy::check bare: ask for a permit instead"
                ));
            }
            if body.len() > MAX_SERVER_FN_LINES {
                broken.push(format!(
                    "{short}:{at} {name} is {} lines (at most {MAX_SERVER_FN_LINES}): move the workflow into the backend",
                    body.len()
                ));
            }
            if body.len() > longest.0 {
                longest = (body.len(), format!("{short} {name}"));
            }
        }
    }
    assert!(counted > 60, "found {counted} server functions");
    eprintln!(
        "{counted} server functions; the longest, {}, has {} lines",
        longest.1, longest.0
    );
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_scan_finds_functions_and_their_ends() {
    let text = "use x;\n\n#[server]\npub async fn a(x: i64) -> Result<(), E> {\n    body();\n}\n\nasync fn helper<T>() {\n    policy::check(None, A)?;\n}\n";
    let found = functions(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, "a");
    assert_eq!(found[0].1, 4);
    assert_eq!(found[0].2.len(), 3);
    assert_eq!(found[1].0, "helper");
    assert!(found[1].2.iter().any(|l| l.contains("policy::check(")));
}

/// `infra` is the bottom layer: nothing in it reaches up into a feature folder, the request
/// context or the state (which would make the layers a cycle).
#[test]
fn infra_imports_no_other_backend_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backend/infra");
    let mut reached = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("backend::") {
                rest = &rest[at + "backend::".len()..];
                if !rest.starts_with("infra") {
                    reached.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(reached.is_empty(), "{}", reached.join("\n"));
}
