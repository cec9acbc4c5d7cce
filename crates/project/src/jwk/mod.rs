//! RSA JSON Web Keys for Open edX's JWT settings, the same shape edx-platform's
//! `manage.py lms generate_jwt_signing_key` prints (PyJWT's `RSAAlgorithm.to_jwk`, then
//! `json.dumps`): the private JWK `kty, key_ops ["sign"], n, e, d, p, q, dp, dq, qi, kid`, the
//! public JWK `kty, key_ops ["verify"], n, e, kid`, big integers as unpadded base64url of their
//! minimal big-endian bytes, JSON with Python's `", "` and `": "` separators and non-ASCII
//! escaped.
//!
//! Private material is kept in [`Zeroizing`] strings so it is wiped from memory when dropped.
//! Randomness comes from the caller's generator (the binary passes the operating system's), so
//! nothing here does I/O. `key_set` reads and extends a public key set; `settings` writes
//! the settings edx-platform's command prints.

pub(crate) mod key_set;
pub(crate) mod settings;

use base64ct::{Base64UrlUnpadded, Encoding};
pub use key_set::{KeySet, KeySetError};
use rand_core::CryptoRngCore;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::{Map, Value};
pub use settings::{Names, Settings};
use std::io;
use zeroize::Zeroizing;

/// The smallest key size accepted (edx-platform's default).
pub const MIN_KEY_BITS: usize = 2048;
/// The largest key size accepted (larger keys take minutes to generate).
pub const MAX_KEY_BITS: usize = 8192;
/// The JWT signing algorithm Open edX is configured with.
pub(crate) const ALGORITHM: &str = "RS512";
/// The members of a JWK that hold private key material.
pub(crate) const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A new key pair.
pub struct KeyPair {
    /// The key id.
    pub kid: String,
    /// The private JWK as compact (Python-style) JSON.
    pub private_json: Zeroizing<String>,
    /// The public JWK.
    pub public: Value,
}

/// Why a key could not be made.
#[derive(Debug, thiserror::Error)]
pub enum KeygenError {
    /// The size is outside the accepted range.
    #[error(
        "key size {0} is out of range: use {MIN_KEY_BITS} to {MAX_KEY_BITS} bits, a multiple of 8"
    )]
    KeySize(usize),
    /// The key id has characters other than upper-case letters and digits.
    #[error("invalid key id `{0}`: use 1 to 64 upper-case letters (A-Z) and digits")]
    KeyId(String),
    /// The RSA library failed.
    #[error("RSA key generation failed: {0}")]
    Rsa(#[from] rsa::Error),
}

/// Returns whether `kid` is a valid key id: 1 to 64 upper-case ASCII letters and digits, the
/// alphabet edx-platform draws random ids from.
pub fn is_valid_kid(kid: &str) -> bool {
    (1..=64).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Returns a random key id of `len` upper-case letters and digits drawn from `rng` (uniform:
/// rejection sampling).
pub fn random_kid(rng: &mut impl CryptoRngCore, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut byte = [0u8; 1];
        rng.fill_bytes(&mut byte);
        // 252 = 7 * 36: larger bytes would bias the first letters.
        if byte[0] < 252 {
            out.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    out
}

fn b64(n: &BigUint) -> String {
    Base64UrlUnpadded::encode_string(&n.to_bytes_be())
}

/// Returns whether `bits` is an accepted key size: [`MIN_KEY_BITS`] to [`MAX_KEY_BITS`], a
/// multiple of 8.
pub fn is_valid_key_size(bits: usize) -> bool {
    (MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits) && bits % 8 == 0
}

/// Generates an RSA key of `bits` bits with key id `kid`, from `rng`.
pub fn generate(
    rng: &mut impl CryptoRngCore,
    bits: usize,
    kid: &str,
) -> Result<KeyPair, KeygenError> {
    if !is_valid_key_size(bits) {
        return Err(KeygenError::KeySize(bits));
    }
    if !is_valid_kid(kid) {
        return Err(KeygenError::KeyId(kid.to_owned()));
    }
    let key = RsaPrivateKey::new(rng, bits)?;
    Ok(from_key(&key, kid))
}

/// Returns the JWKs of `key`.
pub(crate) fn from_key(key: &RsaPrivateKey, kid: &str) -> KeyPair {
    let text = |s: &str| Value::String(s.to_owned());
    let mut public = Map::new();
    public.insert("kty".into(), text("RSA"));
    public.insert("key_ops".into(), Value::Array(vec![text("verify")]));
    public.insert("n".into(), Value::String(b64(key.n())));
    public.insert("e".into(), Value::String(b64(key.e())));
    public.insert("kid".into(), text(kid));

    let primes = key.primes();
    let (p, q) = (&primes[0], &primes[1]);
    let one = BigUint::from(1u8);
    // Computed rather than read from the precomputed values, which are optional.
    let dp = key.d() % (p - &one);
    let dq = key.d() % (q - &one);
    let qi = key.crt_coefficient().unwrap_or_default();
    let mut private = Zeroizing::new(String::with_capacity(4 * key.size()));
    private.push_str(r#"{"kty": "RSA", "key_ops": ["sign"]"#);
    for (name, value) in [
        ("n", key.n()),
        ("e", key.e()),
        ("d", key.d()),
        ("p", p),
        ("q", q),
        ("dp", &dp),
        ("dq", &dq),
        ("qi", &qi),
    ] {
        let encoded = Zeroizing::new(b64(value));
        private.push_str(&format!(r#", "{name}": "{}""#, encoded.as_str()));
    }
    // `kid` is validated (letters and digits), so it needs no escaping.
    private.push_str(&format!(r#", "kid": "{kid}"}}"#));
    KeyPair {
        kid: kid.to_owned(),
        private_json: private,
        public: Value::Object(public),
    }
}

/// Returns the members of a JWK that hold private key material.
pub(crate) fn private_members(jwk: &Map<String, Value>) -> Vec<&'static str> {
    PRIVATE_MEMBERS
        .iter()
        .copied()
        .filter(|m| jwk.contains_key(*m))
        .collect()
}

/// Serialises JSON the way Python's `json.dumps` does by default: `", "` between items,
/// `": "` after keys, non-ASCII characters as `\uXXXX` escapes.
pub(crate) fn python_json(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Serialising a `Value` into memory cannot fail.
    let _ = serde::Serialize::serialize(value, &mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Returns `text` as a YAML single-quoted scalar (`'` doubled).
pub(crate) fn yaml_single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A deterministic generator for the tests (xorshift; not for real keys).
    pub(crate) struct TestRng(pub u64);

    impl rand_core::RngCore for TestRng {
        fn next_u32(&mut self) -> u32 {
            (self.next_u64() >> 32) as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest);
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl rand_core::CryptoRng for TestRng {}

    /// Hands out the given bytes, then zeros.
    struct Bytes(Vec<u8>);

    impl rand_core::RngCore for Bytes {
        fn next_u32(&mut self) -> u32 {
            rand_core::impls::next_u32_via_fill(self)
        }
        fn next_u64(&mut self) -> u64 {
            rand_core::impls::next_u64_via_fill(self)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for b in dest {
                *b = if self.0.is_empty() {
                    0
                } else {
                    self.0.remove(0)
                };
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl rand_core::CryptoRng for Bytes {}

    /// A fixed small key (test only: built from two known 64-bit primes, not generated), so
    /// the encodings can be checked against known values.
    fn fixed_key() -> RsaPrivateKey {
        let p = BigUint::from(18_446_744_073_709_551_557u64); // 2^64 - 59
        let q = BigUint::from(18_446_744_073_709_551_533u64); // 2^64 - 83
        RsaPrivateKey::from_p_q(p, q, BigUint::from(65_537u32)).unwrap()
    }

    #[test]
    fn private_jwk_fields_are_in_pyjwt_order_with_minimal_unpadded_base64url() {
        let key = fixed_key();
        let pair = from_key(&key, "K1");
        let parsed: Map<String, Value> = serde_json::from_str(&pair.private_json).unwrap();
        let keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "kty", "key_ops", "n", "e", "d", "p", "q", "dp", "dq", "qi", "kid"
            ]
        );
        assert!(
            pair.private_json
                .starts_with(r#"{"kty": "RSA", "key_ops": ["sign"], "n": ""#)
        );
        assert_eq!(parsed["e"], "AQAB");
        // p = 2^64 - 59 = 0xFFFFFFFFFFFFFFC5: eight bytes, no leading zero, no padding.
        assert_eq!(parsed["p"], "_________8U");
        for member in ["n", "d", "p", "q", "dp", "dq", "qi"] {
            let text = parsed[member].as_str().unwrap();
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            let bytes = Base64UrlUnpadded::decode_vec(text).unwrap();
            assert_ne!(bytes[0], 0, "{member} has a leading zero byte");
        }
        let int = |m: &str| {
            BigUint::from_bytes_be(
                &Base64UrlUnpadded::decode_vec(parsed[m].as_str().unwrap()).unwrap(),
            )
        };
        let (p, q, d) = (int("p"), int("q"), int("d"));
        assert_eq!(int("n"), key.n().clone());
        assert_eq!(int("dp"), &d % (&p - 1u32));
        assert_eq!(int("dq"), &d % (&q - 1u32));
        assert_eq!((int("qi") * &q) % &p, BigUint::from(1u8));
        assert_eq!(
            python_json(&pair.public),
            format!(
                r#"{{"kty": "RSA", "key_ops": ["verify"], "n": "{}", "e": "AQAB", "kid": "K1"}}"#,
                parsed["n"].as_str().unwrap()
            )
        );
    }

    #[test]
    fn key_sizes_below_2048_and_bad_kids_are_refused() {
        let rng = &mut TestRng(7);
        assert!(matches!(
            generate(rng, 1024, "A"),
            Err(KeygenError::KeySize(1024))
        ));
        assert!(matches!(
            generate(rng, 2047, "A"),
            Err(KeygenError::KeySize(2047))
        ));
        assert!(matches!(
            generate(rng, 16384, "A"),
            Err(KeygenError::KeySize(_))
        ));
        assert!(matches!(
            generate(rng, 2048, "abc"),
            Err(KeygenError::KeyId(_))
        ));
        assert!(is_valid_key_size(2048) && is_valid_key_size(8192) && is_valid_key_size(4104));
        assert!(!is_valid_key_size(2050) && !is_valid_key_size(8200));
        for bad in ["", "abc", "A-B", "A B", "Ä", &"A".repeat(65)] {
            assert!(!is_valid_kid(bad), "{bad:?}");
        }
        assert!(is_valid_kid("0123ABCZ"));
    }

    #[test]
    fn random_kids_use_the_alphabet_and_length() {
        let rng = &mut TestRng(0x9e37_79b9_7f4a_7c15);
        let kids: Vec<String> = (0..50).map(|_| random_kid(rng, 8)).collect();
        assert!(kids.iter().all(|k| k.len() == 8 && is_valid_kid(k)));
        let distinct: std::collections::HashSet<_> = kids.iter().collect();
        assert_eq!(distinct.len(), kids.len());
        assert_eq!(random_kid(rng, 20).len(), 20);
        // Byte b maps to ALPHABET[b % 36]; bytes 252 and up are skipped (they would favour the
        // first letters).
        let mut bytes = Bytes(vec![0, 35, 36, 252, 255, 251, 1]);
        assert_eq!(random_kid(&mut bytes, 5), "A9A9B");
    }

    #[test]
    fn python_json_matches_json_dumps() {
        let value: Value =
            serde_json::from_str(r#"{"keys": [{"a": 1, "b": [true, null]}, "é😀'\""]}"#).unwrap();
        assert_eq!(
            python_json(&value),
            r#"{"keys": [{"a": 1, "b": [true, null]}, "\u00e9\ud83d\ude00'\""]}"#
        );
        assert_eq!(yaml_single_quoted("it's"), "'it''s'");
    }

    #[test]
    fn private_members_are_found() {
        let jwk: Map<String, Value> =
            serde_json::from_str(r#"{"kty": "RSA", "n": "x", "d": "y", "qi": "z"}"#).unwrap();
        assert_eq!(private_members(&jwk), ["d", "qi"]);
    }
}
