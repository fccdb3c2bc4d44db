//! Argon2id password hashing. Hashing is slow by design, so it runs on the
//! blocking pool and never stalls the async workers.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;

/// Argon2id cost settings. Production uses the OWASP recommendation
/// (19 MiB, 2 passes); tests use the minimum so they stay fast.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl HashCost {
    pub const PRODUCTION: HashCost = HashCost {
        memory_kib: 19 * 1024,
        iterations: 2,
    };
    pub const TESTING: HashCost = HashCost {
        memory_kib: 64,
        iterations: 1,
    };

    fn hasher(self) -> crate::Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| crate::Error::Unexpected(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

pub async fn hash_password(cost: HashCost, password: &Password) -> crate::Result<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        cost.hasher()?
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| crate::Error::Unexpected(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| crate::Error::Unexpected(format!("hashing task: {e}")))?
}

/// Checks a password against a stored PHC string. A malformed hash counts
/// as a mismatch.
pub async fn verify_password(stored_hash: String, candidate: String) -> crate::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored_hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| crate::Error::Unexpected(format!("verification task: {e}")))
}
