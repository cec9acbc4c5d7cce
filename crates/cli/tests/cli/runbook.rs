//! `runbook`, `jwt-keygen` and `logs`, end to end.

use crate::harness::Env;
use base64ct::{Base64UrlUnpadded, Encoding};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, jwk::Jwk};
use rsa::BigUint;
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{Map, Value, json};

const MATRIX: &str = r#"stages = ["CI", "QA", "Production"]

[releases]
redwood = { branch = "open-release/redwood.master", python = "3.11", node = "18" }
ulmo    = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/openedx-platform" }

[deployments]
mitx = { CI = "ulmo", QA = "redwood", Production = "redwood" }
xpro = { CI = "redwood", Production = "redwood" }

[[map]]
releases    = ["redwood", "ulmo"]
deployments = ["mitx", "xpro"]
[map.apps]
edx-platform = {}

[[runbooks.redwood]]
text = "Generate JWT signing keys and add them to SOPS"
command = "edx-matrix jwt-keygen --previous-set current-set.json"
stages = ["CI", "QA"]
source = "https://example.org/runbooks/redwood"

[[runbooks.redwood]]
text = """Watch the LMS logs for signing failures
for an hour after the deploy"""
command = "edx-matrix logs mitx Production"
when = "every-deploy"

[operations]
grafana_url = "https://grafana.example.org/"
loki_datasource = "P8E80F9AEF21F6940"
"#;

#[test]
fn runbook_text_for_every_stage() {
    let run = Env::with_matrix(MATRIX).run(&["runbook", "redwood"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn runbook_markdown_for_one_stage() {
    let run = Env::with_matrix(MATRIX).run(&[
        "runbook",
        "redwood",
        "--stage",
        "Production",
        "--format",
        "markdown",
    ]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn runbook_json_falls_back_to_the_built_in_steps() {
    let env = Env::with_matrix(MATRIX);
    let run = env.run(&["runbook", "ulmo", "--stage", "CI", "--format", "json"]);
    insta::assert_snapshot!(run.snapshot());
    let plan: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(plan["origin"], "built-in");
    // Not a first deploy: the built-in migration check is not due.
    let run = env.run(&[
        "runbook",
        "ulmo",
        "--stage",
        "CI",
        "--not-first-deploy",
        "--format",
        "json",
    ]);
    let plan: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(plan["steps"], json!([]));
    assert_eq!(plan["first_deploy"], false);
}

#[test]
fn runbook_names_are_checked_with_suggestions() {
    let env = Env::with_matrix(MATRIX);
    let run = env.run(&["runbook", "redwod"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown release `redwod`\nhint: did you mean `redwood`?\n"
    );
    let run = env.run(&["runbook", "redwood", "--stage", "qa"]);
    run.code(2);
    assert!(run.stderr.contains("did you mean `QA`?"), "{}", run.stderr);
}

#[test]
fn check_reports_runbook_problems_and_other_commands_refuse() {
    let bad = MATRIX.replace(
        "stages = [\"CI\", \"QA\"]",
        "stages = [\"CI\", \"Prod\"]\nwhn = \"every-deploy\"",
    ) + "\n[[runbooks.sumac]]\ntext = \"x\"\n";
    let env = Env::with_matrix(&bad);
    let run = env.run(&["check"]);
    run.code(1);
    insta::assert_snapshot!(run.snapshot());
    env.run(&["runbook", "redwood"]).code(1);
}

#[test]
fn init_prefills_the_built_in_steps_and_checks_clean() {
    let env = Env::new();
    env.run(&["init"]).code(0);
    let text = env.read("edx-matrix.toml");
    assert!(text.contains("[[runbooks.verawood]]\n"), "{text}");
    assert!(text.contains("[[runbooks.master]]\n"), "{text}");
    let run = env.run(&["check"]);
    run.code(0);
    let run = env.run(&["runbook", "verawood", "--stage", "CI"]);
    assert!(
        run.ok().contains("$ ./manage.py lms showmigrations\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("built-in steps"), "{}", run.stdout);
}

// ── jwt-keygen ─────────────────────────────────────────────────────────────────────────────

/// Returns the single-quoted YAML value of `name` in `yaml`.
fn yaml_value(yaml: &str, name: &str) -> String {
    let line = yaml
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no `{name}` in\n{yaml}"));
    let value = &line[name.len() + 2..];
    assert!(value.starts_with('\'') && value.ends_with('\''), "{line}");
    value[1..value.len() - 1].replace("''", "'")
}

fn int(jwk: &Map<String, Value>, member: &str) -> BigUint {
    BigUint::from_bytes_be(&Base64UrlUnpadded::decode_vec(jwk[member].as_str().unwrap()).unwrap())
}

/// Signs an RS512 JWT with the private JWK (its n, e, d, p and q) and returns it.
fn sign(private: &Map<String, Value>, kid: &str) -> String {
    let key = rsa::RsaPrivateKey::from_components(
        int(private, "n"),
        int(private, "e"),
        int(private, "d"),
        vec![int(private, "p"), int(private, "q")],
    )
    .unwrap();
    key.validate().unwrap();
    let der = key.to_pkcs1_der().unwrap();
    let mut header = Header::new(Algorithm::RS512);
    header.kid = Some(kid.to_owned());
    let claims =
        json!({ "sub": "staff", "iss": "https://lms.example.org/oauth2", "exp": 4_000_000_000u64 });
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_der(der.as_bytes())).unwrap()
}

fn verify(token: &str, public: &Value) -> bool {
    let jwk: Jwk = serde_json::from_value(public.clone()).unwrap();
    let key = DecodingKey::from_jwk(&jwk).unwrap();
    jsonwebtoken::decode::<Value>(token, &key, &Validation::new(Algorithm::RS512)).is_ok()
}

#[test]
fn jwt_keygen_pair_signs_an_rs512_jwt_that_the_public_set_verifies() {
    let env = Env::new();
    let run = env.run(&["jwt-keygen", "--key-id", "REDWOOD1"]);
    let yaml = run.ok().to_owned();
    assert_eq!(run.stderr, "");
    assert_eq!(yaml_value(&yaml, "EDXAPP_JWT_SIGNING_ALGORITHM"), "RS512");
    let private_text = yaml_value(&yaml, "EDXAPP_JWT_PRIVATE_SIGNING_JWK");
    let set_text = yaml_value(&yaml, "COMMON_JWT_PUBLIC_SIGNING_JWK_SET");

    // Field order and Python's json.dumps separators, as edx-platform prints them.
    let private: Map<String, Value> = serde_json::from_str(&private_text).unwrap();
    let order: Vec<&str> = private.keys().map(String::as_str).collect();
    assert_eq!(
        order,
        [
            "kty", "key_ops", "n", "e", "d", "p", "q", "dp", "dq", "qi", "kid"
        ]
    );
    assert!(private_text.starts_with(r#"{"kty": "RSA", "key_ops": ["sign"], "n": ""#));
    assert!(private_text.ends_with(r#", "kid": "REDWOOD1"}"#));
    let set: Value = serde_json::from_str(&set_text).unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let public = &keys[0];
    let order: Vec<&str> = public
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(order, ["kty", "key_ops", "n", "e", "kid"]);
    assert_eq!(public["key_ops"], json!(["verify"]));
    assert_eq!(public["n"], private["n"]);
    assert_eq!(public["e"], "AQAB");
    assert!(set_text.starts_with(r#"{"keys": [{"kty": "RSA", "key_ops": ["verify"], "n": ""#));
    // 2048 bits: n is 256 bytes, 342 unpadded base64url characters.
    assert_eq!(public["n"].as_str().unwrap().len(), 342);
    for member in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        let text = private[member].as_str().unwrap();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{member}: {text}"
        );
    }
    // The CRT members agree with the primes.
    let (p, q, d) = (int(&private, "p"), int(&private, "q"), int(&private, "d"));
    let one = BigUint::from(1u8);
    assert_eq!(int(&private, "dp"), &d % (&p - &one));
    assert_eq!(int(&private, "dq"), &d % (&q - &one));
    assert_eq!((int(&private, "qi") * &q) % &p, one);

    let token = sign(&private, "REDWOOD1");
    assert!(verify(&token, public));
    // A token signed by another key does not verify with this public key.
    let other = env.run(&["jwt-keygen", "--format", "json"]);
    let other: Value = serde_json::from_str(other.ok()).unwrap();
    let other_private: Map<String, Value> =
        serde_json::from_str(other["EDXAPP_JWT_PRIVATE_SIGNING_JWK"].as_str().unwrap()).unwrap();
    assert!(!verify(&sign(&other_private, "REDWOOD1"), public));
}

#[test]
fn jwt_keygen_keeps_previous_public_keys_first_and_verbatim() {
    let env = Env::new();
    let previous = r#"{"keys": [
        {"kty": "RSA", "key_ops": ["verify"], "n": "xyz", "e": "AQAB", "kid": "OLD1", "use": "sig"},
        {"kid": "OLD2", "kty": "RSA", "n": "abc", "e": "AQAB"}
    ]}"#;
    env.write("current-set.json", previous);
    let run = env.run(&[
        "jwt-keygen",
        "--previous-set",
        "current-set.json",
        "--strip-key-prefix",
        "--key-id-size",
        "12",
    ]);
    let yaml = run.ok();
    assert!(
        !yaml.contains("COMMON_") && !yaml.contains("EDXAPP_"),
        "{yaml}"
    );
    let set_text = yaml_value(yaml, "JWT_PUBLIC_SIGNING_JWK_SET");
    assert!(
        set_text.starts_with(r#"{"keys": [{"kty": "RSA", "key_ops": ["verify"], "n": "xyz", "e": "AQAB", "kid": "OLD1", "use": "sig"}, {"kid": "OLD2", "kty": "RSA", "n": "abc", "e": "AQAB"}, {"kty": "RSA", "key_ops": ["verify"], "n": ""#),
        "{set_text}"
    );
    let set: Value = serde_json::from_str(&set_text).unwrap();
    let kid = set["keys"][2]["kid"].as_str().unwrap();
    assert_eq!(kid.len(), 12);
    assert!(
        kid.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "{kid}"
    );
    assert_eq!(yaml_value(yaml, "JWT_SIGNING_ALGORITHM"), "RS512");
    let private: Map<String, Value> =
        serde_json::from_str(&yaml_value(yaml, "JWT_PRIVATE_SIGNING_JWK")).unwrap();
    assert_eq!(private["kid"], kid);

    // A reused kid, private material and a file that is not a key set are refused.
    let run = env.run(&[
        "jwt-keygen",
        "--previous-set",
        "current-set.json",
        "--key-id",
        "OLD2",
    ]);
    run.code(2);
    assert!(
        run.stderr.contains("already has a key with id `OLD2`"),
        "{}",
        run.stderr
    );
    env.write(
        "leaked.json",
        r#"{"keys": [{"kty": "RSA", "n": "abc", "e": "AQAB", "d": "SECRETVALUE"}]}"#,
    );
    let run = env.run(&["jwt-keygen", "--previous-set", "leaked.json"]);
    run.code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("holds private key material (`d`)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRETVALUE"));
    env.write("broken.json", "{\"keys\": [SECRETVALUE");
    let run = env.run(&["jwt-keygen", "--previous-set", "broken.json"]);
    run.code(2);
    assert!(!run.stderr.contains("SECRETVALUE"), "{}", run.stderr);
    env.run(&["jwt-keygen", "--previous-set", "missing.json"])
        .code(3);
}

#[test]
fn jwt_keygen_writes_a_new_file_with_mode_0600_and_never_overwrites() {
    let env = Env::new();
    let run = env.run(&["jwt-keygen", "--output", "jwt.yml", "--key-id", "FILE1"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "wrote `jwt.yml` (mode 0600): a 2048-bit RSA key with id `FILE1`, and a public set of 1 key\n"
    );
    let text = env.read("jwt.yml");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], "JWT_AUTH:");
    assert!(lines[1].starts_with("  COMMON_JWT_PUBLIC_SIGNING_JWK_SET: '{\"keys\": ["));
    assert!(lines[2].starts_with(
        "  EDXAPP_JWT_PRIVATE_SIGNING_JWK: '{\"kty\": \"RSA\", \"key_ops\": [\"sign\"]"
    ));
    assert_eq!(lines[3], "  EDXAPP_JWT_SIGNING_ALGORITHM: 'RS512'");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("jwt.yml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // The private key is in the file only.
    let private: Map<String, Value> =
        serde_json::from_str(&yaml_value(&text, "EDXAPP_JWT_PRIVATE_SIGNING_JWK")).unwrap();
    let d = private["d"].as_str().unwrap();
    assert!(!run.stderr.contains(d) && !run.stdout.contains(d));
    let run = env.run(&["jwt-keygen", "--output", "jwt.yml"]);
    run.code(3);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(env.read("jwt.yml"), text);
}

#[test]
fn jwt_keygen_refuses_weak_keys_and_bad_key_ids() {
    let env = Env::new();
    for args in [
        &["jwt-keygen", "--key-size", "1024"][..],
        &["jwt-keygen", "--key-size", "2047"],
        &["jwt-keygen", "--key-id", "lower"],
        &["jwt-keygen", "--key-id", "A-B"],
        &["jwt-keygen", "--key-id", "AB", "--key-id-size", "8"],
        &["jwt-keygen", "--key-id-size", "2"],
    ] {
        let run = env.run(args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let run = env.run(&["jwt-keygen", "--key-size", "1024"]);
    assert_eq!(
        run.stderr,
        "error: key size 1024 is out of range: use 2048 to 8192 bits, a multiple of 8\n"
    );
}

// ── logs ───────────────────────────────────────────────────────────────────────────────────

#[test]
fn logs_prints_the_query_and_an_explore_link() {
    let env = Env::with_matrix(MATRIX);
    let run = env.run(&["logs", "mitx", "CI"]);
    insta::assert_snapshot!(run.snapshot());
    let lines: Vec<&str> = run.ok().lines().collect();
    assert_eq!(
        lines[0],
        r#"{environment="mitx-ci", application="edxapp"} | json | line_format "{{.message}}""#
    );
    let prefix = "https://grafana.example.org/explore?schemaVersion=1&panes=";
    assert!(lines[1].starts_with(prefix), "{}", lines[1]);

    let run = env.run(&[
        "logs",
        "xpro",
        "Production",
        "--app-label",
        "forum",
        "--grafana",
        "http://localhost:3000",
        "--format",
        "json",
    ]);
    let got: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(got["environment"], "xpro-production");
    assert_eq!(
        got["query"],
        r#"{environment="xpro-production", application="forum"} | json | line_format "{{.message}}""#
    );
    let link = got["explore_url"].as_str().unwrap();
    assert!(
        link.starts_with("http://localhost:3000/explore?schemaVersion=1&panes=%7B%22edx%22"),
        "{link}"
    );
    assert!(
        !link.contains(' ') && !link.contains('"') && !link.contains('{'),
        "{link}"
    );
}

#[test]
fn logs_without_grafana_prints_only_the_query() {
    let text = MATRIX.split("[operations]").next().unwrap();
    let env = Env::with_matrix(text);
    let run = env.run(&["logs", "mitx", "Production", "--format", "json"]);
    let got: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(got["explore_url"], Value::Null);
    let run = env.run(&["logs", "mitx", "Production"]);
    assert_eq!(run.ok().lines().count(), 1);
}

#[test]
fn logs_checks_names_and_urls() {
    let env = Env::with_matrix(MATRIX);
    let run = env.run(&["logs", "mitz", "CI"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown deployment `mitz`\nhint: did you mean `mitx`?\n"
    );
    let run = env.run(&["logs", "xpro", "QA"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: deployment `xpro` has no stage `QA`\nhint: its stages are `CI`, `Production`\n"
    );
    let run = env.run(&["logs", "mitx", "CI", "--grafana", "grafana.example.org"]);
    run.code(2);
    assert!(
        run.stderr.contains("must start with `https://`"),
        "{}",
        run.stderr
    );
    let run = env.run(&["logs", "mitx", "CI", "--loki-datasource", "a\"b"]);
    run.code(2);
    // A hostile application label is escaped, not spliced.
    let run = env.run(&["logs", "mitx", "CI", "--app-label", "x\", env=~\".*"]);
    assert!(
        run.ok()
            .starts_with(r#"{environment="mitx-ci", application="x\", env=~\".*"} | json"#),
        "{}",
        run.stdout
    );
}
