//! The SFTP server's keys: its persistent host key (loaded, or generated once and saved with mode
//! 0600) and the public keys allowed to sign in (an OpenSSH `authorized_keys` file).

use std::io;
use std::path::Path;

use rand::RngCore;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::LineEnding;
use russh::keys::{PrivateKey, PublicKey};

fn invalid(path: &Path, problem: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {problem}", path.display()),
    )
}

/// The host key at `path`; when the file does not exist, a new Ed25519 key is generated and
/// saved there (OpenSSH format, mode 0600), so the server keeps its fingerprint across restarts.
pub fn load_or_create_host_key(path: &Path) -> io::Result<PrivateKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => PrivateKey::from_openssh(text).map_err(|e| invalid(path, e)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut seed);
            let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
            seed.fill(0);
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            key.write_openssh_file(path, LineEnding::LF)
                .map_err(|e| invalid(path, e))?;
            tracing::info!(path = %path.display(), "generated a new SFTP host key");
            Ok(key)
        }
        Err(error) => Err(error),
    }
}

/// The public keys in an OpenSSH `authorized_keys` file. Blank lines and `#` comments are
/// skipped; options before the key type (`from=…`) are not supported and refused.
pub fn load_authorized_keys(path: &Path) -> io::Result<Vec<PublicKey>> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            PublicKey::from_openssh(line).map_err(|e| invalid(path, format!("line {number}: {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_generated_host_key_is_saved_private_and_reloaded() {
        let dir = std::env::temp_dir().join(format!("pom-host-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("nested/host_key");
        let first = load_or_create_host_key(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = load_or_create_host_key(&path).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        std::fs::write(&path, "not a key").unwrap();
        assert!(load_or_create_host_key(&path).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn authorized_keys_skip_comments_and_report_bad_lines() {
        let dir = std::env::temp_dir().join(format!("pom-auth-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = load_or_create_host_key(&dir.join("k")).unwrap();
        let line = key.public_key().to_openssh().unwrap();
        let path = dir.join("authorized_keys");
        std::fs::write(&path, format!("# team keys\n\n{line} someone@host\n")).unwrap();
        let keys = load_authorized_keys(&path).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].key_data(), key.public_key().key_data());
        std::fs::write(&path, format!("{line}\ngarbage\n")).unwrap();
        let error = load_authorized_keys(&path).unwrap_err().to_string();
        assert!(error.contains("line 2"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
