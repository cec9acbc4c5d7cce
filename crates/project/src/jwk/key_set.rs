//! A public JWK set (`{"keys": [...]}`, the value of `JWT_PUBLIC_SIGNING_JWK_SET`): read one,
//! refusing what would break or leak (private material, duplicate key ids), and add a new key.
//!
//! Errors never quote the text they were given: a key set passed by mistake may be a secret.

use super::{KeyPair, private_members, python_json};
use serde_json::{Map, Value, json};

/// A public key set, in its order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeySet {
    keys: Vec<Map<String, Value>>,
}

/// Why a text is not a usable public key set. Key positions count from 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySetError {
    /// Not JSON: where, and what kind of problem (never the text itself).
    NotJson {
        /// The 1-based line.
        line: usize,
        /// The 1-based column.
        column: usize,
        /// `invalid JSON`, `unexpected end of file` or `invalid data`.
        problem: &'static str,
    },
    /// JSON without a `keys` array.
    NoKeys,
    /// Key `0` is not a JSON object.
    NotObject(usize),
    /// Key `0` has no string `kty`: not a JWK.
    NoKty(usize),
    /// A key holds private key material: these members.
    Private {
        /// The key's position.
        index: usize,
        /// The private members it has (`d`, `p`, …).
        members: Vec<&'static str>,
    },
    /// Two keys have the same `kid`.
    DuplicateKid {
        /// The first key's position.
        first: usize,
        /// The second key's position.
        second: usize,
        /// The key id.
        kid: String,
    },
}

impl KeySet {
    /// Reads a public key set from JSON text.
    pub fn parse(text: &str) -> Result<Self, KeySetError> {
        let value: Value = serde_json::from_str(text).map_err(|e| KeySetError::NotJson {
            line: e.line(),
            column: e.column(),
            problem: match e.classify() {
                serde_json::error::Category::Syntax => "invalid JSON",
                serde_json::error::Category::Eof => "unexpected end of file",
                _ => "invalid data",
            },
        })?;
        let keys = value
            .get("keys")
            .and_then(Value::as_array)
            .ok_or(KeySetError::NoKeys)?;
        let mut set = KeySet {
            keys: Vec::with_capacity(keys.len()),
        };
        for (i, key) in keys.iter().enumerate() {
            let map = key.as_object().ok_or(KeySetError::NotObject(i))?;
            if !map.get("kty").is_some_and(Value::is_string) {
                return Err(KeySetError::NoKty(i));
            }
            let members = private_members(map);
            if !members.is_empty() {
                return Err(KeySetError::Private { index: i, members });
            }
            if let Some(kid) = kid_of(map) {
                if let Some(first) = set.position(kid) {
                    return Err(KeySetError::DuplicateKid {
                        first,
                        second: i,
                        kid: kid.to_owned(),
                    });
                }
            }
            set.keys.push(map.clone());
        }
        Ok(set)
    }

    /// Returns the position of the key with id `kid`.
    pub fn position(&self, kid: &str) -> Option<usize> {
        self.keys.iter().position(|k| kid_of(k) == Some(kid))
    }

    /// Returns how many keys the set has.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Returns whether the set has no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds the public key of `pair` at the end, refusing a key id the set has already (the
    /// services could not tell the keys apart): returns the position of the key that has it.
    pub fn add(&mut self, pair: &KeyPair) -> Result<(), usize> {
        if let Some(at) = self.position(&pair.kid) {
            return Err(at);
        }
        self.keys.push(match &pair.public {
            Value::Object(map) => map.clone(),
            _ => Map::new(),
        });
        Ok(())
    }

    /// Returns the set as edx-platform prints it: `{"keys": [...]}` in Python's `json.dumps`
    /// style.
    pub fn to_python_json(&self) -> String {
        python_json(&json!({ "keys": self.keys }))
    }
}

fn kid_of(key: &Map<String, Value>) -> Option<&str> {
    key.get("kid").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn pair(kid: &str) -> KeyPair {
        KeyPair {
            kid: kid.to_owned(),
            private_json: zeroize::Zeroizing::new(String::new()),
            public: json!({"kty": "RSA", "key_ops": ["verify"], "n": "x", "e": "AQAB", "kid": kid}),
        }
    }

    #[test]
    fn a_set_is_read_and_a_new_key_added_at_the_end() {
        let mut set =
            KeySet::parse(r#"{"keys": [{"kty": "RSA", "n": "a", "e": "AQAB", "kid": "OLD"}]}"#)
                .unwrap();
        assert_eq!(set.len(), 1);
        set.add(&pair("NEW")).unwrap();
        assert_eq!(set.len(), 2);
        assert_eq!(
            set.to_python_json(),
            r#"{"keys": [{"kty": "RSA", "n": "a", "e": "AQAB", "kid": "OLD"}, {"kty": "RSA", "key_ops": ["verify"], "n": "x", "e": "AQAB", "kid": "NEW"}]}"#
        );
        // The new key's id must be new.
        assert_eq!(set.add(&pair("OLD")), Err(0));
        assert_eq!(set.add(&pair("NEW")), Err(1));
        assert_eq!(set.len(), 2);
        let mut empty = KeySet::default();
        assert!(empty.is_empty());
        empty.add(&pair("K")).unwrap();
        assert_eq!(empty.position("K"), Some(0));
    }

    #[test]
    fn bad_sets_are_refused_without_quoting_them() {
        let cases: &[(&str, KeySetError)] = &[
            (
                "{\"keys\": [\n  secret",
                KeySetError::NotJson {
                    line: 2,
                    column: 3,
                    problem: "invalid JSON",
                },
            ),
            (
                r#"{"keys": ["#,
                KeySetError::NotJson {
                    line: 1,
                    column: 10,
                    problem: "unexpected end of file",
                },
            ),
            (r#"{"key": []}"#, KeySetError::NoKeys),
            (r#"{"keys": {}}"#, KeySetError::NoKeys),
            (
                r#"{"keys": [{"kty": "RSA"}, 3]}"#,
                KeySetError::NotObject(1),
            ),
            (r#"{"keys": [{"n": "x"}]}"#, KeySetError::NoKty(0)),
            (r#"{"keys": [{"kty": 1}]}"#, KeySetError::NoKty(0)),
            (
                r#"{"keys": [{"kty": "RSA", "d": "s", "p": "s", "n": "x"}]}"#,
                KeySetError::Private {
                    index: 0,
                    members: vec!["d", "p"],
                },
            ),
            (
                r#"{"keys": [{"kty": "RSA", "kid": "A"}, {"kty": "RSA"}, {"kty": "RSA", "kid": "A"}]}"#,
                KeySetError::DuplicateKid {
                    first: 0,
                    second: 2,
                    kid: "A".to_owned(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(KeySet::parse(text).as_ref(), Err(want), "{text}");
        }
        // Keys without a kid are not duplicates of each other.
        assert_eq!(
            KeySet::parse(r#"{"keys": [{"kty": "RSA"}, {"kty": "RSA"}]}"#)
                .unwrap()
                .len(),
            2
        );
    }
}
