//! Secrets we must be able to read back (an identity provider's client
//! secret, the ID token kept for logging out) are stored sealed with
//! XChaCha20-Poly1305 under the installation's key (`KOERS_SECRET_KEY`).
//! The associated data names what the secret belongs to, so a sealed value
//! copied to another row or organisation does not open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::secret::fill_random;

/// Version tag in front of every sealed value, so the format can change.
const VERSION: &str = "v1:";
const NONCE_LEN: usize = 24;

/// The installation's 256-bit key for secrets at rest.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

/// Why a value could not be unsealed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the key must be 32 bytes written in base64 (make one with `koers secret-key`)")]
    BadKey,
    #[error("the sealed value is damaged, or was sealed with another key or for another record")]
    DoesNotOpen,
}

impl SecretKey {
    /// Reads a key written as base64 (standard alphabet, with or without
    /// padding), as `koers secret-key` prints it.
    pub fn parse(text: &str) -> Result<Self, SealError> {
        let text = text.trim().trim_end_matches('=');
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text)
            .map_err(|_| SealError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(Self(key))
    }

    /// A fresh random key, base64-encoded.
    pub fn generate() -> String {
        let mut key = [0u8; 32];
        fill_random(&mut key);
        STANDARD.encode(key)
    }

    /// Seals `plain` for the record named by `context`.
    pub fn seal(&self, context: &str, plain: &str) -> String {
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption of an in-memory buffer cannot fail for this cipher
        // (only for inputs over 256 GiB); an empty result would not open.
        let sealed = cipher
            .encrypt(&XNonce::from(nonce), payload)
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{VERSION}{}", STANDARD.encode(out))
    }

    /// Opens a value sealed for the same `context` with this key.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String, SealError> {
        let body = sealed.strip_prefix(VERSION).ok_or(SealError::DoesNotOpen)?;
        let bytes = STANDARD.decode(body).map_err(|_| SealError::DoesNotOpen)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::DoesNotOpen);
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::DoesNotOpen)?;
        let cipher = XChaCha20Poly1305::new(&self.0.into());
        let plain = cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: data,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::DoesNotOpen)?;
        String::from_utf8(plain).map_err(|_| SealError::DoesNotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::parse(&SecretKey::generate()).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_context_only() {
        let key = key();
        let sealed = key.seal("sso:1", "client-secret");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("client-secret"));
        assert_eq!(key.open("sso:1", &sealed).unwrap(), "client-secret");
        assert_eq!(key.open("sso:2", &sealed), Err(SealError::DoesNotOpen));
        assert_eq!(
            self::key().open("sso:1", &sealed),
            Err(SealError::DoesNotOpen)
        );
        // Sealing twice gives two different values (a fresh nonce each time).
        assert_ne!(sealed, key.seal("sso:1", "client-secret"));
    }

    #[test]
    fn damaged_values_and_bad_keys_are_refused() {
        let key = key();
        let mut sealed = key.seal("x", "secret");
        let last = sealed.pop().unwrap();
        sealed.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(key.open("x", &sealed), Err(SealError::DoesNotOpen));
        assert_eq!(key.open("x", "plain text"), Err(SealError::DoesNotOpen));
        assert_eq!(key.open("x", "v1:AAAA"), Err(SealError::DoesNotOpen));
        assert_eq!(SecretKey::parse("c2hvcnQ=").unwrap_err(), SealError::BadKey);
        assert_eq!(
            SecretKey::parse("not base64!").unwrap_err(),
            SealError::BadKey
        );
        assert!(format!("{key:?}").contains("***"));
    }
}
