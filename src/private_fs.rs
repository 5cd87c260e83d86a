//! Private files: everything smsctl creates that holds keys, the trail or a secret is 0600 in
//! a 0700 directory, created exclusively and never through a symbolic link.
//!
//! Files that must appear at a chosen path (a store, a backup) are built inside a private
//! staging directory beside that path and then hard-linked into place: `link(2)` neither
//! follows nor replaces whatever is at the target, a dangling link included.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Restricts every file and directory this process creates to its owner.
pub(crate) fn restrict_umask() {
    #[cfg(unix)]
    // SAFETY: umask only changes this process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Creates `path` as a new 0600 file; fails if anything, a link included, is already there.
pub(crate) fn create_new(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    opts.open(path)
}

/// Creates `dir` and its missing parents as 0700 directories.
pub(crate) fn create_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Sets a file we own to 0600 (SQLite creates `VACUUM INTO` targets with its own mode).
pub(crate) fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Whether users other than the owner can read or write `path` (not following a link).
pub(crate) fn exposed(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(path).ok()?.permissions().mode() & 0o7777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A fresh 0700 directory beside `target`, removed with everything in it on drop.
pub(crate) struct Staging {
    dir: PathBuf,
}

impl Staging {
    pub(crate) fn beside(target: &Path) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let base = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for _ in 0..8 {
            let mut nonce = [0u8; 8];
            rand::fill(&mut nonce);
            let suffix = crate::token::hex(&nonce);
            let dir = parent.join(format!(".{base}.smsctl-{suffix}"));
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            match builder.create(&dir) {
                Ok(()) => return Ok(Staging { dir }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(
                        Error::store(format!("cannot create a private directory in {}: {e}", parent.display()))
                            .hint("check that the directory exists and is writable"),
                    );
                }
            }
        }
        Err(Error::store(format!("cannot create a private directory in {}", parent.display())))
    }

    /// A path inside the staging directory.
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Puts the staged file `name` at `target`, refusing to replace anything there.
    pub(crate) fn publish(&self, name: &str, target: &Path) -> std::io::Result<()> {
        std::fs::hard_link(self.file(name), target)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn new_files_are_private_and_never_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a");
        create_new(&f).unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(create_new(&f).is_err(), "an existing file is never reused");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).unwrap();
        assert!(create_new(&link).is_err(), "a dangling link is not followed");
        assert!(!dir.path().join("elsewhere").exists());
    }

    #[test]
    fn publishing_never_replaces_or_follows() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.db");
        std::os::unix::fs::symlink(dir.path().join("victim"), &target).unwrap();
        let staging = Staging::beside(&target).unwrap();
        create_new(&staging.file("x")).unwrap();
        assert!(staging.publish("x", &target).is_err());
        assert!(!dir.path().join("victim").exists());
        let staged_dir = staging.dir.clone();
        assert_eq!(std::fs::metadata(&staged_dir).unwrap().permissions().mode() & 0o777, 0o700);
        drop(staging);
        assert!(!staged_dir.exists());
    }
}
