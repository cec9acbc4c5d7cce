//! `edx-matrix jwt-keygen`: RSA JWT signing keys for Open edX, printed as the settings
//! edx-platform's `manage.py lms generate_jwt_signing_key` prints, so it can replace running
//! that inside an LMS container.
//!
//! The private key goes to standard output or to a new file created with mode 0600, never to
//! standard error or a log.

use crate::cli::{GlobalArgs, JwtKeygenArgs, KeygenFormat};
use crate::error::{CmdResult, CommandError};
use crate::jwk::{self, KeyPair};
use crate::output::Output;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zeroize::Zeroizing;

const ADR: &str = "https://github.com/openedx/edx-platform/blob/master/openedx/core/djangoapps/oauth_dispatch/docs/decisions/0008-use-asymmetric-jwts.rst";

/// The setting names, with or without their prefixes.
struct Names {
    public_set: String,
    private: String,
    algorithm: String,
}

impl Names {
    fn new(strip: bool) -> Self {
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

pub fn run(_global: &GlobalArgs, out: &Output, args: &JwtKeygenArgs) -> CmdResult {
    let kid = match &args.key_id {
        Some(kid) if !jwk::is_valid_kid(kid) => {
            return Err(CommandError::usage(format!(
                "invalid key id `{}`: use 1 to 64 upper-case letters (A-Z) and digits",
                kid.escape_debug()
            )));
        }
        Some(kid) => kid.clone(),
        None => jwk::random_kid(usize::from(args.key_id_size)),
    };
    if !(jwk::MIN_KEY_BITS..=jwk::MAX_KEY_BITS).contains(&args.key_size) || args.key_size % 8 != 0 {
        return Err(CommandError::usage(format!(
            "key size {} is out of range: use {} to {} bits, a multiple of 8",
            args.key_size,
            jwk::MIN_KEY_BITS,
            jwk::MAX_KEY_BITS
        )));
    }
    let mut keys = match &args.previous_set {
        Some(path) => previous_keys(path)?,
        None => Vec::new(),
    };
    if keys
        .iter()
        .any(|k| k.get("kid").and_then(Value::as_str) == Some(&kid))
    {
        return Err(CommandError::usage(format!(
            "the previous key set already has a key with id `{kid}`"
        ))
        .with_hint("pass another `--key-id`, or leave it out for a random one"));
    }
    // `--output-file -` is standard output, as everywhere else.
    let output_file = args.output_file.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(path) = output_file {
        if path.exists() {
            return Err(CommandError::io(format!(
                "`{}` already exists; not overwriting a key file",
                path.display()
            )));
        }
    }
    let pair = jwk::generate(args.key_size, &kid).map_err(|e| CommandError::io(e.to_string()))?;
    keys.push(match &pair.public {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    });
    let public_set = jwk::python_json(&json!({ "keys": keys }));
    let names = Names::new(args.strip_key_prefix);
    let text = match args.format {
        KeygenFormat::Yaml if output_file.is_some() => file_yaml(&names, &public_set, &pair),
        KeygenFormat::Yaml => stdout_yaml(&names, &public_set, &pair, args.key_size),
        KeygenFormat::Json => json_output(&names, &public_set, &pair)?,
    };
    match output_file {
        Some(path) => {
            write_private_file(path, &text)?;
            eprintln!(
                "wrote `{}` (mode 0600): a {}-bit RSA key with id `{}`, and a public set of {} key{}",
                path.display(),
                args.key_size,
                pair.kid,
                keys.len(),
                if keys.len() == 1 { "" } else { "s" }
            );
        }
        None => out.print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the previous public key set: `{"keys": [JWK, ...]}`, refusing private key material.
/// Messages never quote the file's content.
fn previous_keys(path: &Path) -> Result<Vec<Map<String, Value>>, CommandError> {
    let text = edx_matrix_project::read_file(path).map_err(crate::matrix_file::read_error)?;
    let shown = path.display();
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        CommandError::usage(format!(
            "`{shown}` is not a JSON key set: line {}, column {}: {}",
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Syntax => "invalid JSON",
                serde_json::error::Category::Eof => "unexpected end of file",
                _ => "invalid data",
            }
        ))
        .with_hint("expected the current `JWT_PUBLIC_SIGNING_JWK_SET` value: {\"keys\": [...]}")
    })?;
    let Some(keys) = value.get("keys").and_then(Value::as_array) else {
        return Err(CommandError::usage(format!(
            "`{shown}` has no `keys` array: expected {{\"keys\": [...]}}"
        )));
    };
    let mut out: Vec<Map<String, Value>> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let Some(map) = key.as_object() else {
            return Err(CommandError::usage(format!(
                "key {i} of `{shown}` is not a JSON object"
            )));
        };
        if !map.get("kty").is_some_and(Value::is_string) {
            return Err(CommandError::usage(format!(
                "key {i} of `{shown}` has no `kty`: not a JWK"
            )));
        }
        let private = jwk::private_members(map);
        if !private.is_empty() {
            return Err(CommandError::usage(format!(
                "key {i} of `{shown}` holds private key material ({}): the public set is shared with every service",
                private.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            ))
            .with_hint("pass the public key set, not a private key"));
        }
        if let Some(kid) = map.get("kid").and_then(Value::as_str) {
            if let Some(j) = out
                .iter()
                .position(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            {
                return Err(CommandError::usage(format!(
                    "keys {j} and {i} of `{shown}` have the same key id `{}`: services could not tell them apart",
                    kid.escape_debug()
                ))
                .with_hint("remove the duplicate key from the set"));
            }
        }
        out.push(map.clone());
    }
    Ok(out)
}

/// The settings as printed: YAML with comments, like edx-platform's command.
fn stdout_yaml(names: &Names, public_set: &str, pair: &KeyPair, bits: usize) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    out.push_str(&format!(
        "# edx-matrix jwt-keygen: a {bits}-bit RSA key, id `{}`, for {}\n",
        pair.kid,
        jwk::ALGORITHM
    ));
    out.push_str(&format!("# See {ADR}\n\n"));
    out.push_str("# *** YAML to share with ALL IDAs ***\n");
    out.push_str(
        "# The JSON Web Key Set (JWK set) of every active public key, to verify JWT signatures.\n",
    );
    out.push_str(&format!(
        "{}: {}\n\n",
        names.public_set,
        jwk::yaml_single_quoted(public_set)
    ));
    out.push_str("# *** YAML to keep PRIVATE within a single authentication service (LMS) ***\n");
    out.push_str("# The JSON Web Key (JWK) of the single active private key, to sign JWTs.\n");
    out.push_str(&format!(
        "{}: {}\n",
        names.private,
        Zeroizing::new(jwk::yaml_single_quoted(&pair.private_json)).as_str()
    ));
    out.push_str(&format!("{}: '{}'\n", names.algorithm, jwk::ALGORITHM));
    out
}

/// The settings as edx-platform writes them with `--output-file`: a `JWT_AUTH` mapping with the
/// keys sorted.
fn file_yaml(names: &Names, public_set: &str, pair: &KeyPair) -> Zeroizing<String> {
    let mut entries: Vec<(&str, Zeroizing<String>)> = vec![
        (
            names.public_set.as_str(),
            Zeroizing::new(jwk::yaml_single_quoted(public_set)),
        ),
        (
            names.private.as_str(),
            Zeroizing::new(jwk::yaml_single_quoted(&pair.private_json)),
        ),
        (
            names.algorithm.as_str(),
            Zeroizing::new(format!("'{}'", jwk::ALGORITHM)),
        ),
    ];
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Zeroizing::new(String::from("JWT_AUTH:\n"));
    for (name, value) in &entries {
        out.push_str(&format!("  {name}: {}\n", value.as_str()));
    }
    out
}

/// The settings as one JSON object whose values are the settings' strings.
fn json_output(
    names: &Names,
    public_set: &str,
    pair: &KeyPair,
) -> Result<Zeroizing<String>, CommandError> {
    let mut map = Map::new();
    map.insert("kid".into(), Value::String(pair.kid.clone()));
    map.insert(
        names.public_set.clone(),
        Value::String(public_set.to_owned()),
    );
    map.insert(
        names.private.clone(),
        Value::String(pair.private_json.as_str().to_owned()),
    );
    map.insert(
        names.algorithm.clone(),
        Value::String(jwk::ALGORITHM.to_owned()),
    );
    let mut text = serde_json::to_string_pretty(&Value::Object(map))
        .map_err(|e| CommandError::io(e.to_string()))?;
    text.push('\n');
    Ok(Zeroizing::new(text))
}

/// Creates `path` with mode 0600 (it must not exist) and writes `text`; removes the file again
/// if writing fails.
fn write_private_file(path: &Path, text: &str) -> Result<(), CommandError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let shown = path.display();
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CommandError::io(format!(
                "`{shown}` already exists; not overwriting a key file"
            ))
        } else {
            CommandError::io(format!("cannot create `{shown}`: {e}"))
        }
    })?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(CommandError::io(format!("cannot write `{shown}`: {e}")));
    }
    Ok(())
}
