//! API-key secrets and public key ids: generation, offline checksum validation, hashing.
//!
//! A secret is `smsk_` + 30 random base62 chars + 6 base62 chars of the CRC32 of everything
//! before them, so a typo or a truncated paste is caught without touching the store.

use std::fmt;

use rand::RngExt;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

pub const SECRET_PREFIX: &str = "smsk_";
const RANDOM_LEN: usize = 30;
const CHECKSUM_LEN: usize = 6;
pub const SECRET_LEN: usize = SECRET_PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// A secret token. Debug/Display redact it; memory is wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret(String);

/// Equality in constant time, like every other comparison of secret material.
impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        bool::from(self.0.as_bytes().ct_eq(other.0.as_bytes()))
    }
}

impl Eq for Secret {}

impl Secret {
    /// A fresh random secret with a valid checksum.
    pub fn generate() -> Secret {
        let mut rng = rand::rng();
        let mut s = String::with_capacity(SECRET_LEN);
        s.push_str(SECRET_PREFIX);
        for _ in 0..RANDOM_LEN {
            s.push(BASE62[rng.random_range(0..BASE62.len())] as char);
        }
        let sum = checksum(&s);
        s.push_str(&sum);
        Secret(s)
    }

    /// Parses a secret typed or piped by a user. Surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Secret, Malformed> {
        let s = input.trim();
        if !s.starts_with(SECRET_PREFIX) {
            return Err(Malformed::Prefix);
        }
        if s.len() != SECRET_LEN {
            return Err(Malformed::Length(s.chars().count()));
        }
        if !s.bytes().skip(SECRET_PREFIX.len()).all(|b| b.is_ascii_alphanumeric()) {
            return Err(Malformed::Charset);
        }
        let (body, sum) = s.split_at(SECRET_LEN - CHECKSUM_LEN);
        if checksum(body) != sum {
            return Err(Malformed::Checksum);
        }
        Ok(Secret(s.to_owned()))
    }

    /// The only way to read the secret: callers must mean it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> SecretHash {
        SecretHash(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The last four characters, kept in the store so operators can tell secrets apart.
    pub fn last4(&self) -> String {
        self.0[self.0.len() - 4..].to_owned()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(smsk_…{})", self.last4())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "smsk_…{}", self.last4())
    }
}

/// Why a string is not a well-formed secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    Prefix,
    Length(usize),
    Charset,
    Checksum,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformed::Prefix => write!(f, "does not start with {SECRET_PREFIX}"),
            Malformed::Length(n) => write!(f, "has {n} characters, expected {SECRET_LEN}"),
            Malformed::Charset => f.write_str("contains characters outside A-Z, a-z, 0-9"),
            Malformed::Checksum => f.write_str("checksum does not match (mistyped or truncated?)"),
        }
    }
}

/// SHA-256 of a secret: the only form in which secrets are stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SecretHash(pub [u8; 32]);

impl SecretHash {
    /// Constant-time comparison, so response timing says nothing about how close a guess was.
    pub fn matches(&self, other: &[u8]) -> bool {
        other.len() == 32 && bool::from(self.0.ct_eq(other))
    }
}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash(…)")
    }
}

fn checksum(body: &str) -> String {
    let mut n = crc32fast::hash(body.as_bytes()) as u64;
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A public key id such as `key_8f3k2m1x`.
pub fn generate_key_id() -> String {
    let mut rng = rand::rng();
    let mut id = String::from("key_");
    for _ in 0..8 {
        id.push(BASE36[rng.random_range(0..BASE36.len())] as char);
    }
    id
}

pub fn looks_like_key_id(s: &str) -> bool {
    s.len() == 12 && s.starts_with("key_") && s[4..].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// Lowercase hex, as hashes, signatures, fingerprints and ids are written.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

/// [`hex`], appended to `out`.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    // By table, not `write!("{b:02x}")` per byte: the gateway writes four of these per send
    // (two ids, two report signatures), and the formatter showed in its profile.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        let all: Vec<u8> = (0..=255).collect();
        let expected: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), expected);
    }

    #[test]
    fn generated_secret_has_the_documented_shape() {
        let s = Secret::generate();
        assert_eq!(s.expose().len(), SECRET_LEN);
        assert!(s.expose().starts_with("smsk_"));
        assert_eq!(Secret::parse(s.expose()).unwrap(), s);
    }

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::generate();
        let body = &s.expose()[5..20];
        assert!(!format!("{s:?}").contains(body));
        assert!(!format!("{s}").contains(body));
        assert!(format!("{s}").ends_with(&s.last4()));
    }

    #[test]
    fn malformed_secrets_are_classified() {
        assert_eq!(Secret::parse("sk_abc"), Err(Malformed::Prefix));
        assert_eq!(Secret::parse("smsk_abc"), Err(Malformed::Length(8)));
        let good = Secret::generate().expose().to_owned();
        let bad_charset = format!("{}-{}", &good[..10], &good[11..]);
        assert_eq!(Secret::parse(&bad_charset), Err(Malformed::Charset));
        assert_eq!(
            Secret::parse(&format!("  {good}\n")).map(|s| s.last4()),
            Ok(good[good.len() - 4..].to_owned())
        );
    }

    #[test]
    fn hash_comparison() {
        let s = Secret::generate();
        let h = s.hash();
        assert!(h.matches(&s.hash().0));
        assert!(!h.matches(&Secret::generate().hash().0));
        assert!(!h.matches(&h.0[..31]));
    }

    #[test]
    fn key_ids() {
        let id = generate_key_id();
        assert!(looks_like_key_id(&id), "{id}");
        assert!(!looks_like_key_id("key_ABCDEFGH"));
        assert!(!looks_like_key_id("prod"));
    }

    fn mutate(s: &str, pos: usize, replacement: u8) -> String {
        let mut bytes = s.as_bytes().to_vec();
        bytes[pos] = replacement;
        String::from_utf8(bytes).unwrap()
    }

    proptest! {
        #[test]
        fn any_single_char_typo_is_caught(pos in 5usize..SECRET_LEN, pick in 0usize..62) {
            let s = Secret::generate();
            let replacement = BASE62[pick];
            prop_assume!(s.expose().as_bytes()[pos] != replacement);
            prop_assert!(Secret::parse(&mutate(s.expose(), pos, replacement)).is_err());
        }

        #[test]
        fn swapping_adjacent_chars_is_caught(pos in 5usize..SECRET_LEN - 1) {
            let s = Secret::generate();
            let b = s.expose().as_bytes();
            prop_assume!(b[pos] != b[pos + 1]);
            let mut swapped = b.to_vec();
            swapped.swap(pos, pos + 1);
            prop_assert!(Secret::parse(std::str::from_utf8(&swapped).unwrap()).is_err());
        }

        #[test]
        fn parse_never_panics(input in ".{0,80}") {
            let _ = Secret::parse(&input);
        }

        #[test]
        fn generated_secrets_always_parse(_n in 0u8..255) {
            let s = Secret::generate();
            prop_assert!(Secret::parse(s.expose()).is_ok());
        }
    }
}
