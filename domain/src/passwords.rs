//! Password hashing with argon2id (OWASP parameters) and constant-work verification.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

pub use crate::model::MIN_PASSWORD_LEN;

fn hasher() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's recommended argon2id minimum.
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored PHC string. A malformed stored hash never matches.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real verification, so an unknown user name takes as long to
/// refuse as a wrong password (no user enumeration by timing).
pub fn verify_against_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        hash_password("dummy password that never matches").expect("hashing a constant works")
    });
    let _ = verify_password(password, dummy);
}

/// At most this many argon2 verifications run at once (19 MiB each): a flood of sign-in attempts
/// queues instead of exhausting memory and the blocking thread pool.
static VERIFICATIONS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
/// A lane of its own for browsers that signed in before (device cookies), so a flood of guesses
/// cannot make the real users wait behind it.
static KNOWN_DEVICES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
/// The longest a check from an unknown browser waits for its turn before it is refused as busy.
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Checks a password off the async threads, with bounded concurrency. With no stored hash (unknown
/// user) it spends the same work against a dummy hash and returns false. `None`: too many checks
/// are queued (only for unknown browsers; a known device also takes its own lane).
pub async fn check(
    password: String,
    stored_hash: Option<String>,
    known_device: bool,
) -> Option<bool> {
    let _permit = if known_device {
        tokio::select! {
            permit = KNOWN_DEVICES.acquire() => permit.ok()?,
            permit = VERIFICATIONS.acquire() => permit.ok()?,
        }
    } else {
        tokio::time::timeout(QUEUE_WAIT, VERIFICATIONS.acquire())
            .await
            .ok()?
            .ok()?
    };
    let matches = tokio::task::spawn_blocking(move || match stored_hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_against_dummy(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    Some(matches)
}

/// Rejects passwords too weak to store; the message is shown as is.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_LEN} characters long"
        ));
    }
    Ok(())
}

/// Rejects a password a person chooses: too short, one of the commonly used (leaked) passwords or
/// built from one, or made of the user's own names. `user_inputs` are the user name and display
/// name. zxcvbn's bundled frequency lists stand in for a breach list; a score under 3 ("could be
/// guessed in under 10^8 tries") is refused with its own warning.
pub fn check_new_password(password: &str, user_inputs: &[&str]) -> Result<(), String> {
    check_strength(password)?;
    if password.chars().count() > MAX_PASSWORD_LEN {
        return Err(format!(
            "the password must be at most {MAX_PASSWORD_LEN} characters long"
        ));
    }
    let letters = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let typed = letters(password);
    if user_inputs
        .iter()
        .map(|input| letters(input))
        .any(|name| name.chars().count() >= 4 && typed.contains(&name))
    {
        return Err("the password contains your user name or name; choose another".into());
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let warning = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| {
            let text = w.to_string();
            let text = text.trim_end_matches('.');
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |first| {
                format!(" ({}{})", first.to_lowercase(), chars.as_str())
            })
        })
        .unwrap_or_default();
    Err(format!(
        "this password is too easy to guess{warning}: passwords from breach lists, and ones \
         built from your own names, are refused; choose another"
    ))
}

/// Longer passwords are refused before they are estimated or hashed (a bounded input).
pub const MAX_PASSWORD_LEN: usize = 256;

/// Hashes a password on the blocking threads (argon2id takes tens of milliseconds).
pub async fn hash_off_thread(password: String) -> Result<String, crate::error::AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| crate::error::internal(&e))?
        .map_err(|e| crate::error::internal(&e))
}

/// A generated one-time password: 20 characters from an alphabet without look-alikes, in groups
/// of five for reading aloud.
pub fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..20)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let first = hash_password("correct horse battery").unwrap();
        let second = hash_password("correct horse battery").unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &first));
        assert!(!verify_password("wrong horse battery", &first));
    }

    #[test]
    fn malformed_stored_hash_never_matches() {
        assert!(!verify_password("anything", "not-a-phc-string"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough password").is_ok());
    }

    #[test]
    fn common_and_personal_passwords_are_refused_with_a_reason() {
        let error = check_new_password("password1234", &["jane"]).unwrap_err();
        assert!(error.contains("too easy to guess"), "{error}");
        assert!(check_new_password("qwertyuiop123", &[]).is_err());
        assert!(check_new_password("jane.doe.jane.doe", &["jane.doe"]).is_err());
        assert!(check_new_password("Tr4m-lines glow over Leeds", &["jane"]).is_ok());
        assert!(check_new_password(&"x9".repeat(200), &[])
            .unwrap_err()
            .contains("at most"));
    }

    #[test]
    fn one_time_passwords_are_long_grouped_and_pass_the_rules() {
        let first = one_time_password();
        assert_eq!(first.len(), 23);
        assert_eq!(first.matches('-').count(), 3);
        assert_ne!(first, one_time_password());
        assert!(check_new_password(&first, &[]).is_ok());
    }
}
