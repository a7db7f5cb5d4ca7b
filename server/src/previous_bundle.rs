//! Keeps the previous build's `/pkg` files servable for a day after an upgrade.
//!
//! A page loaded before a deploy names its chunks by the old build's hashes and fetches them only
//! when the visitor first opens that part of the app. cargo-leptos empties `target/site` on every
//! build, so without a copy those fetches would 404 and the page would have to reload. At start-up
//! the server compares the bundle it serves with the one the last start served (a copy under
//! `<data dir>/bundles/current`): files that left the bundle move to `bundles/retired`, stamped with
//! the time they retired, and `/pkg` falls back to that folder. Retired files older than a day are
//! deleted; a day covers a tab left open overnight without keeping every build forever.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long a file stays servable after the build that had it was replaced.
pub const KEEP_RETIRED: Duration = Duration::from_secs(24 * 60 * 60);

/// The folders under the data directory: what the running build serves, and what earlier builds
/// served.
pub struct Bundles {
    current: PathBuf,
    retired: PathBuf,
}

impl Bundles {
    pub fn in_data_dir(data_dir: &Path) -> Bundles {
        let root = data_dir.join("bundles");
        Bundles {
            current: root.join("current"),
            retired: root.join("retired"),
        }
    }

    /// Where `/pkg` looks for a file the current bundle lacks.
    pub fn retired_dir(&self) -> &Path {
        &self.retired
    }

    /// Retires what left the bundle, forgets what retired more than [`KEEP_RETIRED`] ago, and
    /// records the bundle now served. Returns how many files were retired and deleted.
    pub fn update(&self, pkg_dir: &Path, now: SystemTime) -> io::Result<(usize, usize)> {
        fs::create_dir_all(&self.current)?;
        fs::create_dir_all(&self.retired)?;
        let serving = file_names(pkg_dir)?;

        let mut retired = 0;
        for name in file_names(&self.current)? {
            if serving.contains(&name) {
                continue;
            }
            let to = self.retired.join(&name);
            fs::rename(self.current.join(&name), &to)?;
            // The stamp is the retirement, not the build: a file a year old retires today.
            fs::File::options()
                .write(true)
                .open(&to)?
                .set_modified(now)?;
            retired += 1;
        }

        let mut deleted = 0;
        for name in file_names(&self.retired)? {
            let path = self.retired.join(&name);
            if serving.contains(&name) {
                // A rollback to that build: the file is current again.
                fs::remove_file(&path)?;
                continue;
            }
            let modified = fs::metadata(&path)?.modified()?;
            if now.duration_since(modified).unwrap_or_default() > KEEP_RETIRED {
                fs::remove_file(&path)?;
                deleted += 1;
            }
        }

        for name in &serving {
            let to = self.current.join(name);
            if !to.exists() {
                fs::copy(pkg_dir.join(name), to)?;
            }
        }
        Ok((retired, deleted))
    }
}

/// The plain files of a folder (the bundle has no subfolders), by name.
fn file_names(dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file()
            && let Some(name) = entry.file_name().to_str()
        {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(name), name).unwrap();
    }

    #[test]
    fn an_upgrade_retires_the_old_files_and_a_day_later_deletes_them() {
        let data = tempfile::tempdir().unwrap();
        let pkg = tempfile::tempdir().unwrap();
        let bundles = Bundles::in_data_dir(data.path());
        let t0 = SystemTime::now();

        write(pkg.path(), "tandem.AAA.wasm");
        write(pkg.path(), "tandem.css");
        assert_eq!(bundles.update(pkg.path(), t0).unwrap(), (0, 0));

        // The upgrade: the chunk's name changed, the stylesheet's did not.
        fs::remove_file(pkg.path().join("tandem.AAA.wasm")).unwrap();
        write(pkg.path(), "tandem.BBB.wasm");
        let t1 = t0 + Duration::from_secs(3600);
        assert_eq!(bundles.update(pkg.path(), t1).unwrap(), (1, 0));
        assert!(bundles.retired_dir().join("tandem.AAA.wasm").is_file());
        assert!(!bundles.retired_dir().join("tandem.css").exists());

        // A restart the same day keeps it; one more than a day after the upgrade does not.
        let t2 = t1 + Duration::from_secs(3600);
        assert_eq!(bundles.update(pkg.path(), t2).unwrap(), (0, 0));
        assert!(bundles.retired_dir().join("tandem.AAA.wasm").is_file());
        let t3 = t1 + KEEP_RETIRED + Duration::from_secs(1);
        assert_eq!(bundles.update(pkg.path(), t3).unwrap(), (0, 1));
        assert!(!bundles.retired_dir().join("tandem.AAA.wasm").exists());
    }
}
