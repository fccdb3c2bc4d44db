//! Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30-second steps),
//! the second factor of local accounts, and the recovery codes that stand
//! in when the phone is lost.

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;

use super::secret::{fill_random, hash_secret};

/// Seconds per step, as every authenticator app expects.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps before and after now that still count, for clocks that drift.
const SKEW_STEPS: i64 = 1;
/// Recovery codes per set.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret of 160 bits (the length RFC 4226 recommends),
/// base32 as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    fill_random(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The code for one step (HOTP of RFC 4226 with the step as counter).
pub fn code_at_step(key: &[u8], step: u64, digits: u32) -> String {
    // HMAC takes keys of any length; this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    let code = binary % 10u32.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// The step a moment in time (seconds since 1970) falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Checks a typed code against the secret at `unix_seconds`, allowing one
/// step of drift either way. Returns the matching step, which must be
/// later than `last_used_step` so that a code works once only.
pub fn verify(secret: &str, typed: &str, unix_seconds: i64, last_used_step: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let key = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let now = step_of(unix_seconds);
    (now - SKEW_STEPS..=now + SKEW_STEPS)
        .filter(|step| *step > last_used_step && *step >= 0)
        .find(|step| {
            let expected = code_at_step(&key, step.unsigned_abs(), DIGITS);
            constant_time_equal(expected.as_bytes(), typed.as_bytes())
        })
}

fn constant_time_equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn provisioning_uri(secret: &str, issuer: &str, account: &str) -> String {
    let label = format!("{}:{}", encode(issuer), encode(account));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        encode(issuer)
    )
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A set of recovery codes, `xxxxx-xxxxx` from an alphabet without
/// look-alikes, and their hashes to store.
pub fn new_recovery_codes() -> Vec<(String, String)> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            fill_random(&mut bytes);
            let mut code: String = bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                .collect();
            code.insert(5, '-');
            let hash = recovery_hash(&code);
            (code, hash)
        })
        .collect()
}

/// The stored form of a recovery code as typed: case, spaces and the dash
/// do not matter. The codes carry about 49 bits, so a plain hash suffices
/// with the login throttle in front.
pub fn recovery_hash(typed: &str) -> String {
    let normal: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hash_secret(&normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, the SHA-1 rows (eight digits, 30-second steps).
    #[test]
    fn the_rfc_6238_test_vectors_come_out() {
        let key = b"12345678901234567890";
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let step = step_of(time).unsigned_abs();
            assert_eq!(code_at_step(key, step, 8), code, "at {time}");
        }
    }

    /// RFC 4226 appendix D: HOTP values for counters 0 to 9.
    #[test]
    fn the_rfc_4226_hotp_values_come_out() {
        let key = b"12345678901234567890";
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(code_at_step(key, counter as u64, 6), *code);
        }
    }

    #[test]
    fn a_code_works_within_one_step_of_drift_and_only_once() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        let now = 1_234_567_890;
        let key = b"12345678901234567890";
        let current = code_at_step(key, step_of(now).unsigned_abs(), 6);
        let step = verify(&secret, &current, now, 0).unwrap();
        assert_eq!(step, step_of(now));
        assert_eq!(verify(&secret, &current, now, step), None, "replayed");
        let previous = code_at_step(key, (step_of(now) - 1).unsigned_abs(), 6);
        assert!(verify(&secret, &previous, now, 0).is_some(), "30 s late");
        let old = code_at_step(key, (step_of(now) - 2).unsigned_abs(), 6);
        assert_eq!(verify(&secret, &old, now, 0), None, "a minute late");
        assert_eq!(verify(&secret, "12345", now, 0), None);
        assert_eq!(verify(&secret, "abcdef", now, 0), None);
        assert_eq!(verify("not base32!", &current, now, 0), None);
        let spaced = format!("{} {}", &current[..3], &current[3..]);
        assert!(verify(&secret, &spaced, now, 0).is_some(), "spaces allowed");
    }

    #[test]
    fn secrets_are_160_bits_and_recovery_codes_differ_and_forgive_typing() {
        let secret = new_secret();
        assert_eq!(
            data_encoding::BASE32_NOPAD
                .decode(secret.as_bytes())
                .unwrap()
                .len(),
            20
        );
        assert_ne!(new_secret(), secret);
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut plain: Vec<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
        plain.sort_unstable();
        plain.dedup();
        assert_eq!(plain.len(), RECOVERY_CODES);
        let (code, hash) = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(&recovery_hash(&code.to_uppercase().replace('-', " ")), hash);
    }

    #[test]
    fn the_provisioning_address_names_issuer_and_account() {
        let uri = provisioning_uri("JBSWY3DPEHPK3PXP", "Koers Voorbeeldstad", "a b@x.nl");
        assert_eq!(
            uri,
            "otpauth://totp/Koers%20Voorbeeldstad:a%20b@x.nl?secret=JBSWY3DPEHPK3PXP&issuer=Koers%20Voorbeeldstad&algorithm=SHA1&digits=6&period=30"
        );
    }
}
