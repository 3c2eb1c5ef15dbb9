//! Where the erasure key comes from: `OCM_ERASURE_KEY` (64 hexadecimal digits), or the file
//! `OCM_ERASURE_KEY_FILE` (default `.data/erasure.key`), made with a fresh key on first start.
//! The key lives outside the database so that a copy of the database alone cannot tell whose
//! numbers the erasure tombstones are.

use std::io::Write;
use std::path::{Path, PathBuf};

use domain::erasure::tombstone::ErasureKey;

use super::{problem, ConfigError};

/// The key itself, or the file it is kept in.
#[derive(Debug, Clone)]
pub enum ErasureKeySource {
    Value(ErasureKey),
    File(PathBuf),
}

impl ErasureKeySource {
    /// How `ocm check-config` shows it (never the key).
    pub fn describe(&self) -> String {
        match self {
            ErasureKeySource::Value(_) => "OCM_ERASURE_KEY (hidden)".into(),
            ErasureKeySource::File(path) => format!("file {}", path.display()),
        }
    }
}

/// Reads the setting; both set, an empty value or a malformed key stop start-up.
pub fn erasure_key(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<ErasureKeySource, ConfigError> {
    let value = lookup("OCM_ERASURE_KEY");
    let file = lookup("OCM_ERASURE_KEY_FILE");
    match (value, file) {
        (Some(_), Some(_)) => Err(problem(
            "OCM_ERASURE_KEY_FILE",
            "set either OCM_ERASURE_KEY or OCM_ERASURE_KEY_FILE, not both",
        )),
        (Some(hex), None) => ErasureKey::from_hex(&hex)
            .map(ErasureKeySource::Value)
            .ok_or_else(|| {
                problem(
                    "OCM_ERASURE_KEY",
                    "must be 64 hexadecimal digits (32 random bytes, e.g. `openssl rand -hex 32`)",
                )
            }),
        (None, Some(path)) if path.trim().is_empty() => Err(problem(
            "OCM_ERASURE_KEY_FILE",
            "is empty: name the file the erasure key is kept in",
        )),
        (None, path) => Ok(ErasureKeySource::File(
            path.map_or_else(|| ".data/erasure.key".into(), PathBuf::from),
        )),
    }
}

/// The key: the value, or the file's (made with a fresh key when missing; two instances starting
/// at once both end up with the one that was written first).
pub fn resolve(source: &ErasureKeySource) -> anyhow::Result<ErasureKey> {
    let path = match source {
        ErasureKeySource::Value(key) => return Ok(key.clone()),
        ErasureKeySource::File(path) => path,
    };
    if !path.exists() {
        create(path)?;
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the erasure key file {}: {e}", path.display()))?;
    ErasureKey::from_hex(&text).ok_or_else(|| {
        anyhow::anyhow!(
            "the erasure key file {} does not hold 64 hexadecimal digits",
            path.display()
        )
    })
}

/// Writes a fresh key to a private temporary file and links it into place, which fails when
/// another process was first (its key is then the one read).
fn create(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension(format!("{}.partial", std::process::id()));
    // A leftover of a crash (or anything planted there) is removed, never written through:
    // `create_new` refuses an existing path, a symbolic link included.
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    writeln!(file, "{}", ErasureKey::generate().to_hex())?;
    file.sync_all()?;
    let linked = std::fs::hard_link(&temporary, path);
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "made a new erasure key; back it up with the database");
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(anyhow::anyhow!(
            "cannot write the erasure key file {}: {e}",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::read::pairs as lookup;

    #[test]
    fn the_key_setting_is_a_value_or_a_file_never_both() {
        const HEX: &str = "abababababababababababababababababababababababababababababababab";
        assert!(matches!(
            erasure_key(&lookup(&[("OCM_ERASURE_KEY", HEX)])).unwrap(),
            ErasureKeySource::Value(_)
        ));
        let error = erasure_key(&lookup(&[("OCM_ERASURE_KEY", "short")])).unwrap_err();
        assert_eq!(error.var, "OCM_ERASURE_KEY");
        let error = erasure_key(&lookup(&[
            ("OCM_ERASURE_KEY", HEX),
            ("OCM_ERASURE_KEY_FILE", "/k"),
        ]))
        .unwrap_err();
        assert_eq!(error.var, "OCM_ERASURE_KEY_FILE");
        match erasure_key(&lookup(&[])).unwrap() {
            ErasureKeySource::File(path) => assert_eq!(path, PathBuf::from(".data/erasure.key")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_key_file_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("ocm-key-{}", std::process::id()));
        let path = dir.join("erasure.key");
        let source = ErasureKeySource::File(path.clone());
        let first = resolve(&source).unwrap();
        assert_eq!(
            resolve(&source).unwrap(),
            first,
            "the same key on the next start"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner reads the key");
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(resolve(&source).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
