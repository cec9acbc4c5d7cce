//! The JWT settings edx-platform's `manage.py lms generate_jwt_signing_key` prints: the public
//! key set every service shares, the private key the LMS keeps, and the algorithm, as
//! commented YAML, as the sorted `JWT_AUTH` mapping it writes with `--output-file`, or as JSON.

use super::{ALGORITHM, KeyPair, yaml_single_quoted};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// The decision record behind the asymmetric JWT settings.
pub(crate) const ADR: &str = "https://github.com/openedx/edx-platform/blob/master/openedx/core/djangoapps/oauth_dispatch/docs/decisions/0008-use-asymmetric-jwts.rst";

/// The setting names, with or without their `COMMON_` and `EDXAPP_` prefixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// The public key set's.
    pub public_set: String,
    /// The private key's.
    pub private: String,
    /// The algorithm's.
    pub algorithm: String,
}

impl Names {
    /// Returns the names, without their prefixes when `strip` is set.
    pub fn new(strip: bool) -> Self {
        let (common, edxapp) = if strip {
            ("", "")
        } else {
            ("COMMON_", "EDXAPP_")
        };
        Names {
            public_set: format!("{common}JWT_PUBLIC_SIGNING_JWK_SET"),
            private: format!("{edxapp}JWT_PRIVATE_SIGNING_JWK"),
            algorithm: format!("{edxapp}JWT_SIGNING_ALGORITHM"),
        }
    }
}

/// The settings of a new key: its pair and the public set that includes it.
pub struct Settings<'a> {
    /// The setting names.
    pub names: &'a Names,
    /// The public key set, as [`super::key_set::KeySet::to_python_json`] writes it.
    pub public_set: &'a str,
    /// The new key.
    pub pair: &'a KeyPair,
}

impl Settings<'_> {
    /// The settings as printed: YAML with comments, like edx-platform's command; `bits` is the
    /// key's size.
    pub fn printed_yaml(&self, bits: usize) -> Zeroizing<String> {
        let (names, pair) = (self.names, self.pair);
        let mut out = Zeroizing::new(String::new());
        out.push_str(&format!(
            "# edx-matrix jwt-keygen: a {bits}-bit RSA key, id `{}`, for {ALGORITHM}\n",
            pair.kid,
        ));
        out.push_str(&format!("# See {ADR}\n\n"));
        out.push_str("# *** YAML to share with ALL IDAs ***\n");
        out.push_str(
            "# The JSON Web Key Set (JWK set) of every active public key, to verify JWT signatures.\n",
        );
        out.push_str(&format!(
            "{}: {}\n\n",
            names.public_set,
            yaml_single_quoted(self.public_set)
        ));
        out.push_str(
            "# *** YAML to keep PRIVATE within a single authentication service (LMS) ***\n",
        );
        out.push_str("# The JSON Web Key (JWK) of the single active private key, to sign JWTs.\n");
        out.push_str(&format!(
            "{}: {}\n",
            names.private,
            Zeroizing::new(yaml_single_quoted(&pair.private_json)).as_str()
        ));
        out.push_str(&format!("{}: '{ALGORITHM}'\n", names.algorithm));
        out
    }

    /// The settings as edx-platform writes them with `--output-file`: a `JWT_AUTH` mapping with
    /// the keys sorted.
    pub fn file_yaml(&self) -> Zeroizing<String> {
        let names = self.names;
        let mut entries: Vec<(&str, Zeroizing<String>)> = vec![
            (
                names.public_set.as_str(),
                Zeroizing::new(yaml_single_quoted(self.public_set)),
            ),
            (
                names.private.as_str(),
                Zeroizing::new(yaml_single_quoted(&self.pair.private_json)),
            ),
            (
                names.algorithm.as_str(),
                Zeroizing::new(format!("'{ALGORITHM}'")),
            ),
        ];
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Zeroizing::new(String::from("JWT_AUTH:\n"));
        for (name, value) in &entries {
            out.push_str(&format!("  {name}: {}\n", value.as_str()));
        }
        out
    }

    /// The settings as one pretty JSON object whose values are the settings' strings, with the
    /// key id, and a final newline.
    pub fn json(&self) -> Zeroizing<String> {
        let names = self.names;
        let mut map = Map::new();
        map.insert("kid".into(), Value::String(self.pair.kid.clone()));
        map.insert(
            names.public_set.clone(),
            Value::String(self.public_set.to_owned()),
        );
        map.insert(
            names.private.clone(),
            Value::String(self.pair.private_json.as_str().to_owned()),
        );
        map.insert(names.algorithm.clone(), Value::String(ALGORITHM.to_owned()));
        // Serialising a `Value` into memory cannot fail.
        let mut text =
            Zeroizing::new(serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default());
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn pair() -> KeyPair {
        KeyPair {
            kid: "K1".to_owned(),
            private_json: Zeroizing::new(r#"{"kty": "RSA", "d": "it's"}"#.to_owned()),
            public: json!({"kty": "RSA", "kid": "K1"}),
        }
    }

    #[test]
    fn names_with_and_without_prefixes() {
        let full = Names::new(false);
        assert_eq!(full.public_set, "COMMON_JWT_PUBLIC_SIGNING_JWK_SET");
        assert_eq!(full.private, "EDXAPP_JWT_PRIVATE_SIGNING_JWK");
        assert_eq!(full.algorithm, "EDXAPP_JWT_SIGNING_ALGORITHM");
        let bare = Names::new(true);
        assert_eq!(bare.public_set, "JWT_PUBLIC_SIGNING_JWK_SET");
        assert_eq!(bare.private, "JWT_PRIVATE_SIGNING_JWK");
        assert_eq!(bare.algorithm, "JWT_SIGNING_ALGORITHM");
    }

    #[test]
    fn file_yaml_is_a_sorted_jwt_auth_mapping_with_quotes_doubled() {
        let (names, pair) = (Names::new(true), pair());
        let settings = Settings {
            names: &names,
            public_set: r#"{"keys": []}"#,
            pair: &pair,
        };
        assert_eq!(
            settings.file_yaml().as_str(),
            "JWT_AUTH:\n  JWT_PRIVATE_SIGNING_JWK: '{\"kty\": \"RSA\", \"d\": \"it''s\"}'\n  \
             JWT_PUBLIC_SIGNING_JWK_SET: '{\"keys\": []}'\n  JWT_SIGNING_ALGORITHM: 'RS512'\n"
        );
    }

    #[test]
    fn printed_yaml_and_json_carry_the_three_settings() {
        let (names, pair) = (Names::new(false), pair());
        let settings = Settings {
            names: &names,
            public_set: r#"{"keys": []}"#,
            pair: &pair,
        };
        let yaml = settings.printed_yaml(2048);
        assert!(
            yaml.starts_with("# edx-matrix jwt-keygen: a 2048-bit RSA key, id `K1`, for RS512\n")
        );
        assert!(yaml.contains("\nCOMMON_JWT_PUBLIC_SIGNING_JWK_SET: '{\"keys\": []}'\n"));
        assert!(yaml.contains(
            "\nEDXAPP_JWT_PRIVATE_SIGNING_JWK: '{\"kty\": \"RSA\", \"d\": \"it''s\"}'\n"
        ));
        assert!(yaml.ends_with("\nEDXAPP_JWT_SIGNING_ALGORITHM: 'RS512'\n"));
        let json: Value = serde_json::from_str(&settings.json()).unwrap();
        assert_eq!(
            json,
            json!({
                "kid": "K1",
                "COMMON_JWT_PUBLIC_SIGNING_JWK_SET": "{\"keys\": []}",
                "EDXAPP_JWT_PRIVATE_SIGNING_JWK": "{\"kty\": \"RSA\", \"d\": \"it's\"}",
                "EDXAPP_JWT_SIGNING_ALGORITHM": "RS512",
            })
        );
    }
}
