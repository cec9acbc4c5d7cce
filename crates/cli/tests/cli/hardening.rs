//! Regression tests of issue 12 (hardening), one or more per row of its table: what the binary
//! does with hostile or careless input, special files, other users' files and CRLF files.

use crate::harness::Env;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

/// A valid matrix to edit: `promote mysite --stage QA` changes one line.
fn starter() -> Env {
    let env = Env::new();
    env.run(&["init", "edx-matrix.toml"]).ok();
    env
}

const PROMOTE: &[&str] = &["promote", "mysite", "--stage", "QA", "-q"];

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Row 1: a huge `--wait` used to panic (exit 101) in `Duration::from_secs_f64`.
#[test]
fn row01_a_huge_wait_is_accepted_and_a_negative_one_refused() {
    let env = starter();
    let mut args = PROMOTE.to_vec();
    args.extend(["--wait", "1e20"]);
    env.run(&args).ok();
    let run = env.run(&["promote", "mysite", "--stage", "QA", "--wait=-1"]);
    run.code(2);
    assert!(run.stderr.contains("invalid `--wait -1`"), "{}", run.stderr);
    env.run(&["promote", "mysite", "--stage", "QA", "--wait=NaN"])
        .code(2);
}

/// Row 4: no input is read without bound, and special files are refused before they are opened
/// (a FIFO would block the open for good).
#[test]
fn row04_special_files_and_oversized_inputs_are_refused() {
    let env = starter();
    let fifo = env.path("fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = env.path("big.toml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(33 * 1024 * 1024).unwrap(); // sparse: costs no disk
    for (args, what) in [
        (
            vec!["-f", "/dev/zero", "check"],
            "it is a device, not a file",
        ),
        (
            vec!["pipeline", "validate", "/dev/zero"],
            "it is a device, not a file",
        ),
        (
            vec!["jwt-keygen", "--previous-set", "/dev/zero"],
            "it is a device, not a file",
        ),
        (
            vec!["-f", "fifo.toml", "check"],
            "it is a FIFO (named pipe), not a file",
        ),
        (
            vec!["-f", "fifo.toml", "promote", "mysite", "--stage", "QA"],
            "FIFO",
        ),
        (
            vec!["-f", "big.toml", "check"],
            "larger than the 32 MiB limit",
        ),
        (
            vec!["pipeline", "validate", "big.toml"],
            "larger than the 32 MiB limit",
        ),
        (
            vec!["jwt-keygen", "--previous-set", "big.toml"],
            "larger than the 32 MiB limit",
        ),
    ] {
        let run = env.run(&args);
        run.code(3);
        assert!(run.stderr.contains(what), "{args:?}: {}", run.stderr);
    }
    // A directory is a usage mistake unless it is a Python package: exit 2, saying what to pass.
    let run = env.run(&["-f", ".", "check"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("is a directory without `version_matrix.py`"),
        "{}",
        run.stderr
    );
}

/// Row 5: an edit through a symlink writes the link's target and leaves the link a link.
#[test]
fn row05_an_edit_writes_through_a_symlink() {
    let env = starter();
    std::fs::create_dir(env.path("real")).unwrap();
    std::fs::rename(env.path("edx-matrix.toml"), env.path("real/m.toml")).unwrap();
    std::os::unix::fs::symlink("real/m.toml", env.path("edx-matrix.toml")).unwrap();
    env.run(PROMOTE).ok();
    let link = std::fs::symlink_metadata(env.path("edx-matrix.toml")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = env.read("real/m.toml");
    assert!(text.contains(r#"mysite = { CI = "master", QA = "master", Production = "verawood" }"#));
}

/// Row 6: an edit keeps the owner, group and mode of the file. Chowning needs root (as in CI);
/// elsewhere the test says so and checks the mode only.
#[test]
fn row06_an_edit_keeps_owner_group_and_mode() {
    let env = starter();
    let path = env.path("edx-matrix.toml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let owner = if is_root() {
        std::os::unix::fs::chown(&path, Some(1234), Some(2345)).unwrap();
        Some((1234, 2345))
    } else {
        eprintln!(
            "skip: not root, so the file cannot be given to another user; checking the mode only"
        );
        None
    };
    env.run(PROMOTE).ok();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o640);
    if let Some((uid, gid)) = owner {
        assert_eq!((meta.uid(), meta.gid()), (uid, gid));
    }
    assert!(env.read("edx-matrix.toml").contains(r#"QA = "master""#));
}

/// Row 7: a read-only file is not edited: one without any write bit is refused even for root,
/// and a file the user may not write is refused when run as another user (`nobody`, through
/// `setpriv`, when the test runs as root).
#[test]
fn row07_a_read_only_file_is_refused() {
    let env = starter();
    let path = env.path("edx-matrix.toml");
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = env.run_refused(PROMOTE, 3);
    assert!(
        run.stderr.contains("the file is read-only (mode 0444"),
        "{}",
        run.stderr
    );

    if !is_root() || !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("skip: not root (or no setpriv): cannot run the edit as another user");
        return;
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    // `nobody` may enter and read, but not write the file nor (0755) the directory.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let cmd = env.command(PROMOTE);
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(ToOwned::to_owned).collect();
    let mut setpriv = Command::new("/usr/bin/setpriv");
    setpriv
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(program)
        .args(args)
        .current_dir(env.dir.path())
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("NO_COLOR", "1");
    let out = setpriv.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("the file is read-only (mode 0644, owner uid 0)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    drop(cmd);
}

/// Row 8: a CRLF file with a byte-order mark keeps both; the diff shows the changed line only.
#[test]
fn row08_crlf_and_bom_are_kept() {
    let env = starter();
    let lf = env.read("edx-matrix.toml");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    env.write("edx-matrix.toml", &crlf);
    let run = env.run(&["promote", "mysite", "--stage", "QA"]);
    let diff = run.ok();
    let changed: Vec<_> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(
        changed,
        [
            r#"-mysite = { CI = "master", QA = "verawood", Production = "verawood" }"#,
            r#"+mysite = { CI = "master", QA = "master", Production = "verawood" }"#
        ]
    );
    let after = env.read("edx-matrix.toml");
    assert!(after.starts_with('\u{feff}'), "the BOM was dropped");
    let lines = after.matches('\n').count();
    assert_eq!(after.matches("\r\n").count(), lines, "a line lost its CR");
    assert_eq!(lines, lf.matches('\n').count());
    assert!(after.contains("QA = \"master\", Production = \"verawood\" }\r\n"));
    env.run(&["check"]).ok();
    // `fmt` keeps the form too, and then sees a formatted file.
    env.run(&["fmt", "-q"]).ok();
    let formatted = env.read("edx-matrix.toml");
    assert!(formatted.starts_with('\u{feff}'));
    assert_eq!(
        formatted.matches("\r\n").count(),
        formatted.matches('\n').count()
    );
    env.run(&["fmt", "--check"]).ok();
}

/// The temporary file an edit killed midway left behind is removed by the next edit.
#[test]
fn a_stray_temporary_file_is_removed_by_the_next_edit() {
    let env = starter();
    // A process id above Linux's maximum (2^22): that process is gone.
    let stray = env.path(".edx-matrix.toml.edx-tmp.4194305.aB3dE9.tmp");
    std::fs::write(&stray, "half a file").unwrap();
    let other = env.path(".notes.toml.edx-tmp.4194305.aB3dE9.tmp");
    std::fs::write(&other, "another file's").unwrap();
    env.run(PROMOTE).ok();
    assert!(!stray.exists(), "the stray temporary file is still there");
    assert!(
        other.exists(),
        "a temporary file of another file was removed"
    );
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".edx-matrix.toml."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Row 15: output files get the mode the umask gives; key files stay 0600.
#[test]
fn row15_output_files_honour_the_umask() {
    let env = Env::new();
    let bin = env!("CARGO_BIN_EXE_edx-matrix");
    let run = |umask: &str, args: &str| {
        let status = env
            .command(&[])
            .get_envs()
            .fold(Command::new("/bin/sh"), |mut c, (k, v)| {
                if let Some(v) = v {
                    c.env(k, v);
                }
                c
            })
            .env_remove("EDX_MATRIX_FILE")
            .current_dir(env.dir.path())
            .arg("-c")
            .arg(format!("umask {umask} && exec '{bin}' {args}"))
            .status()
            .unwrap();
        assert!(status.success(), "{args}");
    };
    let mode = |name: &str| std::fs::metadata(env.path(name)).unwrap().mode() & 0o777;
    run("022", "init a.toml");
    assert_eq!(mode("a.toml"), 0o644);
    run("027", "init b.toml");
    assert_eq!(mode("b.toml"), 0o640);
    run("002", "-f a.toml export env mysite QA -o env.txt");
    assert_eq!(mode("env.txt"), 0o664);
    run("022", "schema -o schema.json");
    assert_eq!(mode("schema.json"), 0o644);
    run("000", "jwt-keygen --key-size 2048 --output key.yml");
    assert_eq!(mode("key.yml"), 0o600);
}

/// Row 18 (jwt-keygen): `--output -` is standard output; a previous set with two keys of
/// one id is refused.
#[test]
fn row18_jwt_keygen_dash_output_and_duplicate_key_ids() {
    let env = Env::new();
    let run = env.run(&["jwt-keygen", "--key-size", "2048", "--output", "-"]);
    assert!(run.ok().contains("JWT_PRIVATE_SIGNING_JWK"));
    assert!(!env.path("-").exists(), "wrote a file named `-`");
    let key = r#"{"kty": "RSA", "kid": "K1", "e": "AQAB", "n": "xyz"}"#;
    env.write("set.json", &format!(r#"{{"keys": [{key}, {key}]}}"#));
    let run = env.run(&["jwt-keygen", "--previous-set", "set.json"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("keys 0 and 1 of `set.json` have the same key id `K1`"),
        "{}",
        run.stderr
    );
}

/// The starter file with `old` replaced by `new` (which must occur).
fn starter_with(old: &str, new: &str) -> Env {
    let env = starter();
    let text = env.read("edx-matrix.toml");
    assert!(text.contains(old), "{old}");
    env.write("edx-matrix.toml", &text.replacen(old, new, 1));
    env
}

const ORIGIN: &str = r#"edxapp_theme         = { origin = "https://github.com/example/mysite-theme", branch = "{release}" }"#;

fn with_origin(origin: &str) -> Env {
    starter_with(
        ORIGIN,
        &format!(r#"edxapp_theme = {{ origin = "{origin}", branch = "{{release}}" }}"#),
    )
}

/// Rows 9 and 10: a Concourse `((var))` in an origin or a branch, and a host starting with `-`
/// in any URL form, are errors of `check`.
#[test]
fn row09_row10_concourse_vars_and_option_hosts_are_refused() {
    for origin in [
        "https://attacker.example/((registry-password))",
        "ssh://-oProxyCommand=touch%20pwned/x",
        "ssh://git@-oProxyCommand=touch%20pwned/x",
        "x@-oProxyCommand=touch:y",
    ] {
        let env = with_origin(origin);
        let run = env.run(&["check"]);
        run.code(1);
        assert!(
            run.stderr.contains("error[invalid-repository]"),
            "{origin}: {}",
            run.stderr
        );
    }
    let env = starter_with(
        r#"branch = "{release}" }"#,
        r#"branch = "x((registry-password))" }"#,
    );
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[invalid-branch]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Concourse credential reference"),
        "{}",
        run.stderr
    );
}

/// Row 11: a credential in a URL is an error, `[lints]` can lower it to a warning, and no
/// output shows it.
#[test]
fn row11_credentials_in_urls_are_an_error_and_never_shown() {
    let token = "ghp_S3CRET0TOKEN";
    let env = with_origin(&format!(
        "https://ci-bot:{token}@github.com/example/mysite-theme"
    ));
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[url-credentials]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("https://ci-bot:***@github.com"),
        "{}",
        run.stderr
    );
    let json = env.run(&["check", "--format", "json"]);
    for out in [&run.stdout, &run.stderr, &json.stdout, &json.stderr] {
        assert!(!out.contains(token), "the token was printed:\n{out}");
    }
    let text = env.read("edx-matrix.toml");
    env.write(
        "edx-matrix.toml",
        &format!("{text}\n[lints]\nurl-credentials = \"warn\"\n"),
    );
    let run = env.run(&["check"]);
    run.code(0);
    assert!(
        run.stderr.contains("warning[url-credentials]"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(token));
    // Only `warn`: a credential cannot be silenced.
    env.write(
        "edx-matrix.toml",
        &format!("{text}\n[lints]\nurl-credentials = \"allow\"\n"),
    );
    env.run(&["check"]).code(1);
}

/// Row 12: control characters from the file never reach the terminal raw.
#[test]
fn row12_control_characters_are_escaped_in_diagnostics() {
    let env = starter_with("mysite = {", "\"\\u001b[31mevil\\u0007\" = {");
    let run = env.run(&["check"]);
    run.code(1);
    for out in [&run.stdout, &run.stderr] {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
    assert!(run.stderr.contains("\\u{1b}[31mevil"), "{}", run.stderr);
}

/// Row 13: line separators, NEL and bidi controls are refused in branches like in URLs.
#[test]
fn row13_hidden_characters_in_branches_are_refused() {
    for c in ["\\u2028", "\\u2029", "\\u0085", "\\u202e", "\\u2066"] {
        let env = starter_with(
            r#"branch = "{release}" }"#,
            &format!(r#"branch = "x{c}y" }}"#),
        );
        let run = env.run(&["check"]);
        run.code(1);
        assert!(
            run.stderr.contains("error[invalid-branch]"),
            "{c}: {}",
            run.stderr
        );
    }
}

/// Row 2: a 10 MB value is shown clipped (the JSON form keeps it whole).
#[test]
fn row02_a_huge_value_is_clipped_in_human_output() {
    let name = "a".repeat(10_000_000);
    let env = starter_with("mysite = {", &format!("{name} = {{"));
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes printed",
        run.stderr.len()
    );
    assert!(
        run.stderr.contains("more bytes)"),
        "{}",
        &run.stderr[..2000.min(run.stderr.len())]
    );
    let json = env.run(&["check", "--format", "json"]);
    assert!(json.stdout.contains(&name), "the JSON form keeps the value");
}

/// The branch-shell-metacharacter warning.
#[test]
fn branch_with_shell_metacharacters_is_a_warning() {
    let env = starter_with(r#"branch = "{release}" }"#, r#"branch = "x$(id)" }"#);
    let run = env.run(&["check"]);
    run.code(0);
    assert!(
        run.stderr.contains("warning[branch-shell-metacharacter]"),
        "{}",
        run.stderr
    );
}

/// Row 11 (views): `show` prints a URL credential that `[lints]` accepted redacted.
#[test]
fn row11_show_redacts_credentials() {
    let token = "ghp_S3CRET0TOKEN";
    let env = with_origin(&format!(
        "https://ci-bot:{token}@github.com/example/mysite-theme"
    ));
    let text = env.read("edx-matrix.toml");
    env.write(
        "edx-matrix.toml",
        &format!("{text}\n[lints]\nurl-credentials = \"warn\"\n"),
    );
    for args in [
        &["show", "mysite", "QA"][..],
        &["show", "mysite", "QA", "--format", "json"][..],
    ] {
        let run = env.run(args);
        run.ok();
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "{args:?}: {}",
            run.stdout
        );
    }
}

/// Whether `text` holds no ESC, BEL or NUL.
fn no_raw_controls(text: &str) -> bool {
    !text.contains(['\u{1b}', '\u{7}', '\0'])
}

/// Row 12 (hints): a name argument holding a control character is refused by the argument
/// parser with the value escaped; a "did you mean" names what was asked for; NUL, ESC and BEL
/// from the file in a `[lints]` key reach the terminal escaped, hint included.
#[test]
fn row12_did_you_mean_hints_are_escaped() {
    let env = starter();
    let run = env.run(&["show", "mysit\u{7}"]);
    run.code(2);
    assert!(no_raw_controls(&run.stderr), "{:?}", run.stderr);
    assert!(
        // clap strips control characters from the value it quotes.
        run.stderr
            .contains("invalid value 'mysit' for '[DEPLOYMENT]': not a valid deployment name"),
        "{}",
        run.stderr
    );
    let run = env.run(&["show", "mysit"]);
    run.code(2);
    assert!(
        run.stderr.contains("error: unknown deployment `mysit`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: did you mean `mysite`?"),
        "{}",
        run.stderr
    );
    let text = env.read("edx-matrix.toml");
    env.write(
        "edx-matrix.toml",
        &format!("{text}\n[lints]\n\"url-credential\\u0000s\\u001b[31m\\u0007\" = \"warn\"\n"),
    );
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        no_raw_controls(&run.stderr) && no_raw_controls(&run.stdout),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`url-credential\\u{0}s\\u{1b}[31m\\u{7}` is not a diagnostic code"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `url-credentials`?"),
        "{}",
        run.stderr
    );
}

/// Row 12 (git): commit subjects reach the terminal escaped, in `history`'s table; a subject
/// holding git-log's record separator (`\x1e`) is still one commit.
#[test]
fn row12_history_commit_subjects_are_escaped() {
    let env = starter();
    let dir = env.dir.path().to_owned();
    crate::git::git(&env, &dir, &["init", "-q"]);
    crate::git::git(&env, &dir, &["add", "edx-matrix.toml"]);
    crate::git::git(&env, &dir, &["commit", "-q", "-m", "start"]);
    env.run(PROMOTE).ok();
    let subject = "evil \u{1b}[31mred\u{7} \u{1e}\u{1f} end";
    crate::git::git_at(
        &env,
        &dir,
        "2024-02-01T00:00:00+00:00",
        &["commit", "-q", "-am", subject],
    );
    let run = env.run(&["history"]);
    let stdout = run.ok();
    assert!(no_raw_controls(stdout), "{stdout:?}");
    assert!(
        stdout.contains("evil \\u{1b}[31mred\\u{7} \\u{1e}\\u{1f} end"),
        "{stdout}"
    );
    assert!(stdout.contains("2 revisions"), "{stdout}");
    // The JSON form keeps the subject as git has it.
    let json = env.run(&["history", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    assert!(
        value.to_string().contains("\\u001b[31mred\\u0007"),
        "{value}"
    );
}

/// Row 18: a malformed `--repository` of `discover` is bad input (exit 2), not an I/O failure.
#[test]
fn row18_discover_with_a_bad_url_exits_2() {
    let env = starter();
    for (url, why) in [
        ("ssh://-oProxyCommand=touch%20x/y", "cannot start with `-`"),
        ("not a url", "whitespace"),
        ("ext::sh -c touch x", "whitespace"),
        ("ftp://example.com/x", "only `https://`"),
        ("https://example.com/((secret))", "`((`"),
    ] {
        let run = env.run(&["discover", "--repository", url]);
        run.code(2);
        assert!(
            run.stderr.contains("error: invalid `--repository ") && run.stderr.contains(why),
            "{url}: {}",
            run.stderr
        );
    }
    assert!(!env.path("x").exists());
}

/// Row 18: a pipeline file above the YAML reader's node limit is refused saying which limit.
#[test]
fn row18_pipeline_validate_names_the_yaml_node_limit() {
    let env = starter();
    env.write("big.yml", &"- 1\n".repeat(300_000));
    let run = env.run(&["pipeline", "validate", "big.yml"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("the file has more than 250000 YAML nodes (mappings, sequences and scalars); the limit is 250000"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("budget"), "{}", run.stderr);
    let json = env.run(&["pipeline", "validate", "big.yml", "--format", "json"]);
    assert!(
        json.stdout.contains("more than 250000 YAML nodes"),
        "{}",
        json.stdout
    );
}

/// Row 2 (edits): an edit's diff and summary clip a 10 MB value on the terminal (the file and
/// the JSON report keep it whole).
#[test]
fn row02_an_edit_clips_a_huge_value_in_its_output() {
    let value = "v".repeat(10_000_000);
    let env = starter_with(
        r#"mysite = { CI = "master", QA = "verawood", Production = "verawood" }"#,
        &format!(
            r#"mysite = {{ CI = "master", QA = "verawood", Production = "verawood", vars = {{ NOTE = "{value}" }} }}"#
        ),
    );
    let started = std::time::Instant::now();
    let run = env.run(&["promote", "mysite", "--stage", "QA", "--dry-run"]);
    let stdout = run.ok();
    assert!(stdout.len() < 100_000, "{} bytes printed", stdout.len());
    assert!(
        stdout.contains("more bytes)"),
        "{}",
        &stdout[..2000.min(stdout.len())]
    );
    assert!(
        stdout.contains("\n-mysite = {"),
        "the diff is there, clipped"
    );
    eprintln!("promote of a 10 MB line: {:?}", started.elapsed());
    let json = env.run(&["promote", "mysite", "--stage", "QA", "--format", "json"]);
    assert!(json.ok().contains(&value), "the JSON diff keeps the value");
    assert!(env.read("edx-matrix.toml").contains(&value));
}
