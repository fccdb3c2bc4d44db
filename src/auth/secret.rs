//! Random secrets (session ids, tokens, CSRF tokens) and their stored hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRng;
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, base64url without padding.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A random positive id, for rows whose order of creation must not show.
pub fn random_id() -> i64 {
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes);
    (i64::from_le_bytes(bytes) & i64::MAX).max(1)
}

/// Fills `bytes` from the operating system's generator.
pub fn fill_random(bytes: &mut [u8]) {
    // The OS generator only fails on a broken system; we cannot go on
    // without randomness, so this is one of the few places that aborts.
    #[expect(
        clippy::expect_used,
        reason = "no safe way to continue without OS randomness"
    )]
    rand::rngs::SysRng
        .try_fill_bytes(bytes)
        .expect("the operating system's random generator failed");
}

/// SHA-256 of a high-entropy secret, hex-encoded. Fine for random tokens
/// (not for passwords, which use Argon2id).
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_hash_stably() {
        let a = random_secret();
        let b = random_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_secret("abc"), hash_secret("abc"));
        assert_ne!(hash_secret("abc"), hash_secret("abd"));
        assert!(constant_time_eq("same", "same"));
        assert!(!constant_time_eq("same", "sama"));
        assert!(!constant_time_eq("same", "longer"));
    }
}
