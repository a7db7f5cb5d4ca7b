//! Start-up: Leptos.toml agrees with the build metadata, and bad settings fail with one sentence.

use std::process::Command;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn leptos_toml_agrees_with_the_workspace_metadata() {
    let cargo: toml::Value = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let leptos: toml::Value = std::fs::read_to_string(root().join("Leptos.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let meta = &cargo["workspace"]["metadata"]["leptos"][0];
    let runtime = &leptos["package"]["metadata"]["leptos"];
    assert_eq!(meta["name"], runtime["output-name"]);
    for key in [
        "site-root",
        "site-pkg-dir",
        "site-addr",
        "reload-port",
        "hash-files",
    ] {
        assert_eq!(
            meta[key], runtime[key],
            "{key} differs between Cargo.toml and Leptos.toml"
        );
    }
    // And the server can load it.
    let opts =
        leptos::config::get_configuration(Some(root().join("Leptos.toml").to_str().unwrap()))
            .unwrap();
    assert_eq!(&*opts.leptos_options.output_name, "tandem");
    // The runtime runs in production mode (cargo-leptos has no such key; Leptos.toml alone says it).
    assert_eq!(runtime["env"].as_str(), Some("PROD"));
}

fn tandem(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tandem"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("DATABASE_URL");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_malformed_database_url_is_one_clear_sentence() {
    let out = tandem(&["migrate"], &[("DATABASE_URL", "mysql://nope")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tandem: DATABASE_URL is not valid"), "{err}");
}

#[test]
fn a_taken_port_is_one_clear_sentence() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let out = tandem(
        &["serve"],
        &[("TANDEM_ADDR", &addr), ("DATABASE_URL", &url)],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{addr} is already in use")), "{err}");
}

#[test]
fn a_malformed_trusted_proxy_is_one_clear_sentence() {
    let out = tandem(
        &["migrate"],
        &[("TANDEM_TRUSTED_PROXIES", "10.0.0.1, proxy.internal")],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TANDEM_TRUSTED_PROXIES is not valid: 'proxy.internal' is not an address"),
        "{err}"
    );
}

#[test]
fn an_unwritable_database_is_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.db");
    let url = format!("sqlite://{}", file.display());
    assert!(
        tandem(&["migrate"], &[("DATABASE_URL", &url)])
            .status
            .success()
    );
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&file, perms).unwrap();
    // Root ignores file modes, so open it read-only through the URL instead when running as root.
    let ro_url = format!("{url}?mode=ro");
    let out = tandem(&["migrate"], &[("DATABASE_URL", &ro_url)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be written"), "{err}");
}

#[test]
fn create_coordinator_reads_the_password_from_stdin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let run = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .args([
                "create-coordinator",
                "--email",
                "Boss@Example.org",
                "--name",
                "The Boss",
            ])
            .env("DATABASE_URL", &url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let short = run("short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("Use at least 8 characters."));
    let ok = run("a long enough password");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("boss@example.org"));
    let dup = run("a long enough password");
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
}
