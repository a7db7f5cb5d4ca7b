//! `/pkg` (the WASM, JS and CSS bundle) is served by tower-http's ServeDir rather than Leptos'
//! file handler: it answers with precompressed brotli or gzip when the browser accepts them, and
//! the file names carry a content hash, so browsers may keep them for a year. A file the current
//! bundle lacks is looked up among the previous builds' (see previous_bundle.rs).

use axum::Router;
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use std::io::Write;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn pkg_router<S: Clone + Send + Sync + 'static>(
    pkg_dir: &Path,
    retired_dir: &Path,
) -> Router<S> {
    let retired = ServeDir::new(retired_dir)
        .precompressed_br()
        .precompressed_gzip();
    let serve = ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(retired);
    Router::new()
        .fallback_service(serve)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
}

/// Writes `.br` and `.gz` beside each JS, WASM and CSS file that lacks a fresh one. Done once at
/// start-up so no request pays for compression. Failures are logged: the plain files still work.
pub fn precompress(pkg_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(pkg_dir) else {
        tracing::warn!(dir = %pkg_dir.display(), "no site bundle found; was the site built?");
        return 0;
    };
    let mut written = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "js" | "wasm" | "css") {
            continue;
        }
        for (suffix, kind) in [("br", Kind::Brotli), ("gz", Kind::Gzip)] {
            let target = path.with_file_name(format!(
                "{}.{suffix}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            ));
            if is_fresh(&path, &target) {
                continue;
            }
            match compress(&path, &target, kind) {
                Ok(()) => written += 1,
                Err(e) => {
                    tracing::warn!(file = %target.display(), error = %e, "could not precompress")
                }
            }
        }
    }
    written
}

#[derive(Clone, Copy)]
enum Kind {
    Brotli,
    Gzip,
}

fn is_fresh(source: &Path, target: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(source), modified(target)), (Some(s), Some(t)) if t >= s)
}

fn compress(source: &Path, target: &Path, kind: Kind) -> std::io::Result<()> {
    let data = std::fs::read(source)?;
    let tmp = target.with_extension("tmp");
    {
        let file = std::fs::File::create(&tmp)?;
        match kind {
            Kind::Brotli => {
                // The smallest output for release bundles (about 1 MB raw). A debug bundle is
                // many MB and quality 11 would hold start-up for a minute or more, so it gets a
                // fast setting: nobody measures its size.
                let quality = if data.len() > 3_000_000 { 5 } else { 11 };
                let mut w = brotli::CompressorWriter::new(file, 64 * 1024, quality, 22);
                w.write_all(&data)?;
                w.flush()?;
            }
            Kind::Gzip => {
                let mut w = flate2::write::GzEncoder::new(file, flate2::Compression::best());
                w.write_all(&data)?;
                w.finish()?;
            }
        }
    }
    std::fs::rename(tmp, target)
}
