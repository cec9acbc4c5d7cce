//! Regression tests of issue 22 (hardening) for what comes from git: rows 4 (a credential
//! committed in an old revision is shown nowhere), 5 (a commit subject cannot forge a
//! revision) and 6 (git blobs are read within the 32 MiB input limit). Each builds a real
//! repository and runs the binary, `serve` included, on it.

use crate::git::{git, git_at};
use crate::harness::Env;
use crate::matrix_history::acme_with_pro;
use crate::serve::{Child, http_get};
use serde_json::Value;
use std::process::Stdio;

/// The credential committed in the old revisions: no output may contain it.
const TOKEN: &str = "s3cr3tTOKEN";

/// `text` with every GitHub URL carrying the credential, and the lint that accepts it.
fn with_token(text: &str) -> String {
    let text = text.replace(
        "https://github.com/",
        &format!("https://deploy:{TOKEN}@github.com/"),
    );
    format!("{text}\n[lints]\nurl-credentials = \"warn\"\n")
}

/// Commits `text` as `edx-matrix.toml` at `date` with `subject`; returns the full hash.
fn commit(env: &Env, date: &str, subject: &str, text: &str) -> String {
    let top = env.dir.path();
    env.write("edx-matrix.toml", text);
    git_at(env, top, date, &["add", "-A"]);
    git_at(env, top, date, &["commit", "-q", "-m", subject]);
    git(env, top, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// Three revisions: the credential in the first two (the second's subject quotes it too), gone
/// from the third; the working tree has it again.
fn credential_repo() -> Env {
    let env = Env::new();
    git(&env, env.dir.path(), &["init", "-q"]);
    commit(
        &env,
        "2024-01-01T10:00:00+00:00",
        "add the estate",
        &with_token(&acme_with_pro("ulmo", "teak")),
    );
    commit(
        &env,
        "2024-01-02T10:00:00+00:00",
        &format!("pro: promote ulmo (mirror https://deploy:{TOKEN}@example.org/x)"),
        &with_token(&acme_with_pro("ulmo", "ulmo")),
    );
    commit(
        &env,
        "2024-01-03T10:00:00+00:00",
        "drop the credential",
        &acme_with_pro("verawood", "ulmo"),
    );
    env.write(
        "edx-matrix.toml",
        &with_token(&acme_with_pro("verawood", "verawood")),
    );
    env
}

/// Row 4: `diff` in every format, between revisions and against the working tree, and
/// `history`, never show the committed credential; the changed rows show the redacted URL.
#[test]
fn row04_a_committed_credential_is_shown_nowhere() {
    let env = credential_repo();
    for sides in [
        &["HEAD~2", "HEAD~1"][..],
        &["HEAD~1", "HEAD"],
        &["HEAD"],
        &["HEAD~2"],
    ] {
        for format in ["human", "markdown", "json"] {
            let mut args = vec!["diff"];
            args.extend(sides);
            args.extend(["--format", format]);
            let run = env.run(&args);
            run.code(0);
            assert!(
                !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
                "{args:?} shows the credential:\n{}{}",
                run.stdout,
                run.stderr
            );
            assert!(!run.stdout.trim().is_empty(), "{args:?}");
        }
    }
    // Rows whose origin carries the credential are shown, redacted.
    let run = env.run(&["diff", "HEAD~2", "HEAD~1", "--format", "json"]);
    assert!(
        run.stdout.contains("https://deploy:***@github.com/"),
        "{}",
        run.stdout
    );
    for format in ["human", "json"] {
        let run = env.run(&["history", "--format", format]);
        run.code(0);
        assert!(!run.stdout.contains(TOKEN), "{}", run.stdout);
        assert!(
            run.stdout.contains("https://deploy:***@example.org/x"),
            "{}",
            run.stdout
        );
    }
}

/// Starts `serve` on the matrix of `env`; the address it listens on.
fn serve(env: &Env) -> (Child, String) {
    crate::serve::start(
        env.command(&["serve", "--addr", "127.0.0.1:0"])
            .stderr(Stdio::null()),
    )
}

/// Row 4, served: `/diff` and `/api/v1/diff` of revisions (either side carrying the
/// credential), the served matrix against a revision, and the history pages.
#[test]
fn row04_the_server_shows_no_committed_credential() {
    let env = credential_repo();
    let (_child, addr) = serve(&env);
    let first = git(&env, env.dir.path(), &["rev-parse", "HEAD~2"]);
    let second = git(&env, env.dir.path(), &["rev-parse", "HEAD~1"]);
    let (first, second) = (first.trim(), second.trim());
    for query in [
        format!("?base={first}&head={second}"),
        format!("?base={second}&head=HEAD"),
        format!("?base={first}"),
        format!("?head={second}"),
        String::new(),
    ] {
        for page in ["/diff", "/api/v1/diff"] {
            let body = http_get(&addr, &format!("{page}{query}"));
            assert!(body.starts_with("HTTP/1.1 200"), "{page}{query}: {body}");
            assert!(!body.contains(TOKEN), "{page}{query} shows the credential");
        }
    }
    let body = http_get(&addr, &format!("/api/v1/diff?base={first}&head={second}"));
    assert!(body.contains("https://deploy:***@github.com/"), "{body}");
    for page in ["/history", "/api/v1/history"] {
        let body = http_get(&addr, page);
        assert!(body.starts_with("HTTP/1.1 200"), "{page}: {body}");
        assert!(!body.contains(TOKEN), "{page} shows the credential");
        assert!(body.contains("deploy:***@example.org"), "{page}: {body}");
    }
}

/// Row 5: a subject holding a whole record (another branch's full commit hash, a 2030 date)
/// forges no revision: `history` lists exactly the real commits, with their own dates.
#[test]
fn row05_a_commit_subject_cannot_forge_a_revision() {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q", "-b", "main"]);
    commit(
        &env,
        "2024-01-01T10:00:00+00:00",
        "add",
        &acme_with_pro("ulmo", "teak"),
    );
    git(&env, &top, &["checkout", "-q", "-b", "other"]);
    let other = commit(
        &env,
        "2024-01-05T10:00:00+00:00",
        "on another branch",
        &acme_with_pro("verawood", "verawood"),
    );
    git(&env, &top, &["checkout", "-q", "main"]);
    let forged = format!(
        "promote\x1e{other}\x1f{}\x1f2030-01-01T00:00:00+00:00\x1fforged",
        &other[..7]
    );
    commit(
        &env,
        "2024-01-02T10:00:00+00:00",
        &forged,
        &acme_with_pro("ulmo", "ulmo"),
    );
    let run = env.run(&["history", "--format", "json"]);
    run.code(0);
    let history: Value = serde_json::from_str(&run.stdout).unwrap();
    // Every commit shown has a real date (the subject itself holds the forged one).
    let dates: Vec<&str> = run
        .stdout
        .match_indices("\"date\": \"")
        .map(|(i, m)| &run.stdout[i + m.len()..i + m.len() + 4])
        .collect();
    assert!(
        !dates.is_empty() && dates.iter().all(|y| *y == "2024"),
        "{dates:?}"
    );
    assert_eq!(history["revisions"], 2, "{history}");
    assert!(
        history["skipped"].as_array().unwrap().is_empty(),
        "{history}"
    );
    assert!(
        !run.stdout.contains(&format!("\"hash\": \"{other}")),
        "{}",
        run.stdout
    );
    // The subject is kept whole, separators and all.
    assert!(
        run.stdout.contains(r"promote\u001e") && run.stdout.contains("forged"),
        "{}",
        run.stdout
    );
    let run = env.run(&["history"]);
    run.code(0);
    assert!(!run.stdout.contains('\x1e'), "{}", run.stdout);
    assert!(run.stdout.contains("2 revisions"), "{}", run.stdout);
}

/// Row 6: a committed matrix over 32 MiB (a few kilobytes in `.git`) is never read whole:
/// `diff` refuses it (exit 3, saying which file at which revision and the limit), `history`
/// skips that revision with the same reason, and both stay small.
#[test]
fn row06_an_oversized_blob_is_refused_before_it_is_read() {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    let matrix = acme_with_pro("ulmo", "teak");
    commit(&env, "2024-01-01T10:00:00+00:00", "add", &matrix);
    let padding = format!("{matrix}\n#{}\n", " ".repeat(33 * 1024 * 1024));
    commit(&env, "2024-01-02T10:00:00+00:00", "pad", &padding);
    env.write("edx-matrix.toml", &matrix);
    let run = env.run(&["diff", "HEAD~1", "HEAD"]);
    run.code(3);
    assert!(
        run.stderr
            .contains("`edx-matrix.toml` at `HEAD` is larger than the 32 MiB edx-matrix reads"),
        "{}",
        run.stderr
    );
    let run = env.run(&["history", "--format", "json"]);
    run.code(0);
    let history: Value = serde_json::from_str(&run.stdout).unwrap();
    let skipped = history["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{history}");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("is larger than the 32 MiB edx-matrix reads"),
        "{history}"
    );
}

/// Row 12, served: `/history` shows no raw ESC or BEL from a commit subject, and clips a
/// 300 KB subject (a 2 MB one made a 6.9 MB page).
#[test]
fn row12_served_history_escapes_and_clips_subjects() {
    let env = Env::new();
    let top = env.dir.path().to_path_buf();
    git(&env, &top, &["init", "-q"]);
    commit(
        &env,
        "2024-01-01T10:00:00+00:00",
        "add",
        &acme_with_pro("ulmo", "teak"),
    );
    env.write("edx-matrix.toml", &acme_with_pro("ulmo", "ulmo"));
    env.write(
        "message.txt",
        &format!("bell \x07 esc \x1b[31m red {}\n", "y".repeat(300_000)),
    );
    git_at(
        &env,
        &top,
        "2024-01-02T10:00:00+00:00",
        &["add", "edx-matrix.toml"],
    );
    git_at(
        &env,
        &top,
        "2024-01-02T10:00:00+00:00",
        &["commit", "-q", "-F", "message.txt"],
    );
    let (_child, addr) = serve(&env);
    let page = http_get(&addr, "/history");
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "{}",
        &page[..page.len().min(500)]
    );
    assert!(!page.contains('\x1b') && !page.contains('\x07'));
    assert!(page.contains(r"bell \u{7} esc \u{1b}[31m red"), "escaped");
    assert!(page.len() < 200_000, "{} bytes", page.len());
}

/// A `git://` server on 127.0.0.1 that answers every connection with a ref advertisement that
/// never ends; returns its port.
fn endless_refs_server() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let oid = "1".repeat(40);
                let first = format!("{oid} HEAD\0multi_ack\n");
                let mut out = format!("{:04x}{first}", first.len() + 4).into_bytes();
                for n in 0u64.. {
                    let line = format!("{oid} refs/heads/branch-{n:012}\n");
                    out.extend_from_slice(format!("{:04x}{line}", line.len() + 4).as_bytes());
                    if out.len() >= 1 << 16 {
                        if stream.write_all(&out).is_err() {
                            return;
                        }
                        out.clear();
                    }
                }
            });
        }
    });
    port
}

/// Row 13: a remote that streams refs for ever cannot grow git's memory until the timeout:
/// `ls-remote` runs under a 1 GiB address-space limit, so it fails (out of memory) long before
/// the 120 s timeout, and `verify-refs` reports the origin unreachable.
#[test]
fn row13_a_remote_streaming_refs_is_cut_off() {
    let port = endless_refs_server();
    let text = crate::harness::fixture("valid/minimal.toml").replace(
        "https://github.com/openedx/cs_comments_service",
        &format!("git://127.0.0.1:{port}/endless"),
    );
    let env = Env::with_matrix(&text);
    let started = std::time::Instant::now();
    let run = env.run(&["verify-refs", "--timeout", "120", "--retries", "0"]);
    let took = started.elapsed();
    run.code(1);
    assert!(
        run.stdout.contains("unreachable: 1 origin") && !run.stdout.contains("timed out"),
        "{}",
        run.stdout
    );
    assert!(took.as_secs() < 100, "took {took:?}");
}
