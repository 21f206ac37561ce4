//! Password hashes: argon2id with OWASP's recommended minimum (19 MiB of memory, two
//! passes, one lane), in PHC form so that the parameters travel with each hash and can be
//! raised later without invalidating old ones.
//!
//! One hash costs about 20–40 ms of one core and 19 MiB: cheap for a person logging in,
//! dear for someone trying passwords. The server runs hashes on the blocking pool, a few
//! at a time ([`HASHING`]), so a burst of logins cannot take all memory or starve pages.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 8;

/// How many hashes run at once; the rest wait their turn.
pub(crate) static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores.max(2))
});

fn hasher() -> Argon2<'static> {
    // Params::DEFAULT is m = 19 456 KiB, t = 2, p = 1: OWASP's first recommendation.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

/// Why a password is not accepted, in words for the person choosing it.
pub fn check_strength(password: &str, account: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!("密码至少需要 {MIN_LENGTH} 个字符"));
    }
    if password.trim() != password {
        return Err("密码的开头和结尾不能是空格".into());
    }
    if password == account {
        return Err("密码不能与登录名相同".into());
    }
    if password.chars().all(|c| c.is_ascii_digit()) && password.chars().count() < 12 {
        return Err("纯数字密码至少需要 12 位，或请加入字母".into());
    }
    Ok(())
}

/// The argon2id hash of `password` with a fresh salt.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("无法生成密码摘要：{e}"))
}

/// Whether `password` matches `stored` (a PHC string). A malformed stored hash matches
/// nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so that an unknown name
/// takes as long as a wrong password (no telling which names exist by timing).
pub(crate) static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("planwatch-no-such-account").unwrap_or_default());

/// [`hash`] on the blocking pool, a few at a time.
pub async fn hash_async(password: String) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| e.to_string())?
}

/// [`verify`] on the blocking pool, a few at a time.
pub async fn verify_async(password: String, stored: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("正确的密码123").unwrap_or_default();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("正确的密码123", &h));
        assert!(!verify("正确的密码124", &h));
        assert!(!verify("正确的密码123", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_strength("short", "x").is_err());
        assert!(check_strength("12345678", "x").is_err());
        assert!(check_strength("zhangsan01", "zhangsan01").is_err());
        assert!(check_strength("lianping-2026", "zhangsan").is_ok());
    }
}
