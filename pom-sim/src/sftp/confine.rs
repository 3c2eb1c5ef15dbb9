//! Confines an SFTP user to its drop folder. Clients see the drop folder as `/` and start in
//! `/<user>`; a path is refused when `..` leaves `/<user>`, when it is absolute and elsewhere, or
//! when a symbolic link on the way resolves outside `<drop>/<user>` (or nowhere).

use std::io;
use std::path::{Path, PathBuf};

/// Why a client path was refused.
#[derive(Debug, thiserror::Error)]
pub(super) enum Refused {
    #[error("{0}: outside your folder")]
    Outside(String),
    #[error("{0}: a symbolic link that leads nowhere")]
    Dangling(String),
}

/// Whether the last component is followed when it is a symbolic link (`stat` and `open` follow;
/// `lstat`, `remove` and `rename` act on the link itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Follow {
    Yes,
    No,
}

/// One user's view of the drop folder.
#[derive(Debug)]
pub(super) struct Jail {
    user: String,
    /// `<drop>/<user>`, canonical, so that resolved paths can be compared by prefix.
    home: PathBuf,
}

impl Jail {
    /// The jail of `user`, creating `<drop>/<user>` when missing.
    pub(super) fn new(drop_dir: &Path, user: &str) -> io::Result<Jail> {
        let home = drop_dir.join(user);
        std::fs::create_dir_all(&home)?;
        Ok(Jail {
            user: user.to_string(),
            home: std::fs::canonicalize(&home)?,
        })
    }

    /// The user's folder on disk (canonical).
    pub(super) fn home(&self) -> &Path {
        &self.home
    }

    /// The client path as components under `/` (the first is always the user's name); `..` is
    /// applied lexically, and leaving `/<user>` at any point is refused.
    fn components<'a>(&'a self, path: &'a str) -> Result<Vec<&'a str>, Refused> {
        let outside = || Refused::Outside(path.to_string());
        let mut parts: Vec<&str> = if path.starts_with('/') {
            Vec::new()
        } else {
            vec![self.user.as_str()]
        };
        for part in path.split('/') {
            match part {
                "" | "." => {}
                // Leaving `/<user>` is refused even when the path comes back in later: no client
                // needs it, and a simple rule is easier to trust.
                ".." => {
                    parts.pop();
                    if parts.is_empty() {
                        return Err(outside());
                    }
                }
                part if parts.is_empty() && part != self.user => return Err(outside()),
                part => parts.push(part),
            }
        }
        if parts.first() != Some(&self.user.as_str()) {
            return Err(outside());
        }
        Ok(parts)
    }

    /// The normalised absolute path the client sees (what `realpath` answers).
    pub(super) fn visible(&self, path: &str) -> Result<String, Refused> {
        Ok(format!("/{}", self.components(path)?.join("/")))
    }

    /// The path on disk for a client path. Symbolic links met on the way are resolved and must
    /// stay inside the user's folder; the rest of a path that does not exist yet is appended as is.
    pub(super) fn resolve(&self, path: &str, follow: Follow) -> Result<PathBuf, Refused> {
        let parts = self.components(path)?;
        let rest = &parts[1..];
        let mut real = self.home.clone();
        for (index, part) in rest.iter().enumerate() {
            let candidate = real.join(part);
            let last = index + 1 == rest.len();
            match std::fs::symlink_metadata(&candidate) {
                Ok(meta) if meta.file_type().is_symlink() && !(last && follow == Follow::No) => {
                    real = std::fs::canonicalize(&candidate)
                        .map_err(|_| Refused::Dangling(path.to_string()))?;
                    if !real.starts_with(&self.home) {
                        return Err(Refused::Outside(path.to_string()));
                    }
                }
                Ok(_) => real = candidate,
                Err(_) => {
                    // Nothing exists from here on, so there is no link left to follow.
                    real = candidate;
                    real.extend(&rest[index + 1..]);
                    break;
                }
            }
        }
        Ok(real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jail(name: &str) -> (PathBuf, Jail) {
        let drop = std::env::temp_dir().join(format!("pom-confine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&drop);
        let jail = Jail::new(&drop, "ocm").unwrap();
        (drop, jail)
    }

    #[test]
    fn relative_and_absolute_paths_inside_the_home_are_accepted() {
        let (drop, jail) = jail("inside");
        assert_eq!(jail.visible(".").unwrap(), "/ocm");
        assert_eq!(jail.visible("a/./b/../c.csv").unwrap(), "/ocm/a/c.csv");
        assert_eq!(jail.visible("/ocm/x.csv").unwrap(), "/ocm/x.csv");
        let real = jail.resolve("new/file.csv", Follow::Yes).unwrap();
        assert_eq!(real, jail.home().join("new/file.csv"));
        std::fs::remove_dir_all(drop).unwrap();
    }

    #[test]
    fn escapes_are_refused() {
        let (drop, jail) = jail("escape");
        for path in [
            "..",
            "../other/x",
            "/",
            "/etc/passwd",
            "/other/x",
            "/ocm/../other",
            "/ocm/../ocm/x",
            "a/../../x",
        ] {
            assert!(
                matches!(jail.visible(path), Err(Refused::Outside(_))),
                "{path} accepted"
            );
        }
        std::fs::remove_dir_all(drop).unwrap();
    }

    #[test]
    fn symbolic_links_are_followed_only_inside_the_home() {
        let (drop, jail) = jail("links");
        let home = jail.home().to_path_buf();
        std::fs::create_dir(home.join("sub")).unwrap();
        std::os::unix::fs::symlink(home.join("sub"), home.join("inner")).unwrap();
        std::os::unix::fs::symlink("/etc", home.join("outer")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/x", home.join("dangling")).unwrap();
        assert_eq!(
            jail.resolve("inner/f.csv", Follow::Yes).unwrap(),
            home.join("sub/f.csv")
        );
        assert!(matches!(
            jail.resolve("outer/passwd", Follow::Yes),
            Err(Refused::Outside(_))
        ));
        assert!(matches!(
            jail.resolve("outer", Follow::Yes),
            Err(Refused::Outside(_))
        ));
        assert_eq!(
            jail.resolve("outer", Follow::No).unwrap(),
            home.join("outer")
        );
        assert!(matches!(
            jail.resolve("dangling", Follow::Yes),
            Err(Refused::Dangling(_))
        ));
        std::fs::remove_dir_all(drop).unwrap();
    }
}
