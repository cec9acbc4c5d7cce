//! `edx-matrix jwt-keygen`: RSA JWT signing keys for Open edX, printed as the settings
//! edx-platform's `manage.py lms generate_jwt_signing_key` prints, so it can replace running
//! that inside an LMS container.
//!
//! The private key goes to standard output or to a new file created with mode 0600, never to
//! standard error or a log. The keys, the key set and the settings are made by
//! [`edx_matrix_project::jwk`]; this module reads the previous set and writes the result.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::output::Output;
use edx_matrix_project::jwk::{self, MAX_KEY_BITS, MIN_KEY_BITS};
use edx_matrix_project::jwk::{KeySet, KeySetError};
use edx_matrix_project::jwk::{Names, Settings};
use rand_core::OsRng;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The formats of `jwt-keygen`.
const FORMATS: Allowed = &[
    (
        Format::Yaml,
        "The YAML settings edx-platform's command prints",
    ),
    (
        Format::Json,
        "One JSON object with the key id, the JWKs and the algorithm",
    ),
];

#[derive(clap::Args, Debug)]
pub(crate) struct JwtKeygenArgs {
    /// Size of the RSA key, in bits (2048 to 8192)
    #[arg(long, default_value_t = 2048, value_name = "BITS")]
    pub key_size: usize,
    /// Key id (`kid`) of the new key: upper-case letters and digits
    #[arg(long, value_name = "ID", conflicts_with = "key_id_size")]
    pub key_id: Option<String>,
    /// Length of the random key id
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u8).range(4..=64))]
    pub key_id_size: u8,
    /// A JSON file with the current public key set (`{"keys": [...]}`), kept in the new set
    #[arg(long, value_name = "FILE")]
    pub previous_set: Option<PathBuf>,
    /// Write the settings to this new file (mode 0600) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE", value_parser = crate::args::OutputPath)]
    pub output: Option<PathBuf>,
    /// The old spelling of `--output` (deprecated)
    #[arg(long, hide = true, value_name = "FILE", conflicts_with = "output", value_parser = crate::args::OutputPath)]
    pub output_file: Option<PathBuf>,
    /// Drop the `COMMON_` and `EDXAPP_` prefixes of the setting names
    #[arg(long)]
    pub strip_key_prefix: bool,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Yaml)]
    pub format: Format,
}

pub(crate) fn run(_global: &GlobalArgs, out: &Output, args: &JwtKeygenArgs) -> CmdResult {
    let kid = match &args.key_id {
        Some(kid) if !jwk::is_valid_kid(kid) => {
            return Err(CommandError::usage(format!(
                "invalid key id `{}`: use 1 to 64 upper-case letters (A-Z) and digits",
                kid.escape_debug()
            )));
        }
        Some(kid) => kid.clone(),
        None => jwk::random_kid(&mut OsRng, usize::from(args.key_id_size)),
    };
    if !jwk::is_valid_key_size(args.key_size) {
        return Err(CommandError::usage(format!(
            "key size {} is out of range: use {MIN_KEY_BITS} to {MAX_KEY_BITS} bits, a multiple of 8",
            args.key_size,
        )));
    }
    let mut keys = match &args.previous_set {
        Some(path) => previous_keys(path)?,
        None => KeySet::default(),
    };
    if keys.position(&kid).is_some() {
        return Err(CommandError::usage(format!(
            "the previous key set already has a key with id `{kid}`"
        ))
        .with_hint("pass another `--key-id`, or leave it out for a random one"));
    }
    if args.output_file.is_some() {
        crate::deprecated::warn(out, "jwt-keygen --output-file", "jwt-keygen --output");
    }
    // `-o -` is standard output, as everywhere else.
    let output_file = (args.output.as_deref())
        .or(args.output_file.as_deref())
        .filter(|p| *p != Path::new("-"));
    if let Some(path) = output_file {
        if path.exists() {
            return Err(CommandError::io(format!(
                "`{}` already exists; not overwriting a key file",
                path.display()
            )));
        }
    }
    let pair = jwk::generate(&mut OsRng, args.key_size, &kid)
        .map_err(|e| CommandError::io(e.to_string()))?;
    keys.add(&pair).map_err(|_| {
        CommandError::usage(format!(
            "the previous key set already has a key with id `{kid}`"
        ))
    })?;
    let public_set = keys.to_python_json();
    let names = Names::new(args.strip_key_prefix);
    let settings = Settings {
        names: &names,
        public_set: &public_set,
        pair: &pair,
    };
    let text = match args.format {
        Format::Json => settings.json(),
        _ if output_file.is_some() => settings.file_yaml(),
        _ => settings.printed_yaml(args.key_size),
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

/// Reads the previous public key set, refusing private key material and duplicate key ids.
/// Messages never quote the file's content.
fn previous_keys(path: &Path) -> Result<KeySet, CommandError> {
    let text = edx_matrix_project::read_file(path).map_err(crate::matrix_file::read_error)?;
    let shown = path.display();
    KeySet::parse(&text).map_err(|e| match e {
        KeySetError::NotJson {
            line,
            column,
            problem,
        } => CommandError::usage(format!(
            "`{shown}` is not a JSON key set: line {line}, column {column}: {problem}"
        ))
        .with_hint("expected the current `JWT_PUBLIC_SIGNING_JWK_SET` value: {\"keys\": [...]}"),
        KeySetError::NoKeys => CommandError::usage(format!(
            "`{shown}` has no `keys` array: expected {{\"keys\": [...]}}"
        )),
        KeySetError::NotObject(i) => {
            CommandError::usage(format!("key {i} of `{shown}` is not a JSON object"))
        }
        KeySetError::NoKty(i) => {
            CommandError::usage(format!("key {i} of `{shown}` has no `kty`: not a JWK"))
        }
        KeySetError::Private { index, members } => CommandError::usage(format!(
            "key {index} of `{shown}` holds private key material ({}): the public set is shared with every service",
            members.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        ))
        .with_hint("pass the public key set, not a private key"),
        KeySetError::DuplicateKid { first, second, kid } => CommandError::usage(format!(
            "keys {first} and {second} of `{shown}` have the same key id `{}`: services could not tell them apart",
            kid.escape_debug()
        ))
        .with_hint("remove the duplicate key from the set"),
    })
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
