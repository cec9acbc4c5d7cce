//! The lock keeps the user's file: a CRLF lock stays CRLF when `lock` or `promote` rewrites
//! it, a new lock beside a CRLF matrix is CRLF, and a lock that is a symbolic link stays one, its
//! target rewritten with its mode kept (the matrix's own rules, `edx_matrix_project::fsio`).

use crate::harness::Env;
use crate::lock::{advance, head, matrix, remotes, run_at};

const T1: &str = "2026-12-01T10:00:00Z";
const T2: &str = "2026-12-02T10:00:00Z";

/// Every line of `text` ends in CRLF (and there are lines).
fn all_crlf(text: &str) -> bool {
    text.contains('\n') && text.matches('\n').count() == text.matches("\r\n").count()
}

#[test]
fn a_crlf_lock_stays_crlf_through_a_relock() {
    let env = Env::new();
    let daemon = remotes(&env);
    // A CRLF matrix: the new lock beside it takes its line endings.
    env.write("edx-matrix.toml", &matrix(&daemon).replace('\n', "\r\n"));
    run_at(&env, T1, &["lock"]).ok();
    let first = env.read("edx-matrix.lock");
    assert!(all_crlf(&first), "{first:?}");
    // `check` reads a CRLF lock like any other.
    env.run(&["check"]).ok();

    // The same lock re-locked with nothing moved: byte-identical, still CRLF.
    run_at(&env, T2, &["lock"]).ok();
    assert_eq!(env.read("edx-matrix.lock"), first);

    // A moved branch: CRLF on every line, and only the entry's two lines changed.
    let next = advance(&env, "edx-platform.git", "master", T2);
    run_at(&env, T2, &["lock", "--stage", "CI"]).ok();
    let second = env.read("edx-matrix.lock");
    assert!(all_crlf(&second), "{second:?}");
    assert!(second.contains(&format!("commit = \"{next}\"\r\n")));
    let changed = first
        .split("\r\n")
        .zip(second.split("\r\n"))
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 2, "{first}\n---\n{second}");
}

#[test]
fn a_crlf_lock_stays_crlf_through_a_promotion() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon).replace('\n', "\r\n"));
    run_at(&env, T1, &["lock"]).ok();
    let tested = head(&env, "edx-platform.git", "master");
    // QA takes CI's release and its locked commits: the lock is rewritten, still CRLF.
    run_at(&env, T2, &["promote", "site", "--stage", "QA"]).ok();
    let lock = env.read("edx-matrix.lock");
    assert!(all_crlf(&lock), "{lock:?}");
    assert!(
        lock.contains("stage = \"QA\"\r\n") && lock.contains(&format!("commit = \"{tested}\"\r\n")),
        "{lock}"
    );
    env.run(&["check"]).ok();
}

#[test]
fn an_lf_lock_beside_a_crlf_matrix_stays_lf() {
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    // The matrix turns CRLF later; the lock the user has keeps its own endings.
    env.write("edx-matrix.toml", &matrix(&daemon).replace('\n', "\r\n"));
    advance(&env, "forum.git", "master", T2);
    run_at(&env, T2, &["lock"]).ok();
    let lock = env.read("edx-matrix.lock");
    assert!(!lock.contains('\r'), "{lock:?}");
    assert!(lock.contains(&format!(
        "commit = \"{}\"\n",
        head(&env, "forum.git", "master")
    )));
}

#[cfg(unix)]
#[test]
fn a_symlinked_lock_stays_a_link_with_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let daemon = remotes(&env);
    env.write("edx-matrix.toml", &matrix(&daemon));
    run_at(&env, T1, &["lock"]).ok();
    // The lock lives elsewhere (a shared checkout), linked beside the matrix, mode 0640.
    std::fs::create_dir(env.path("shared")).unwrap();
    std::fs::rename(env.path("edx-matrix.lock"), env.path("shared/estate.lock")).unwrap();
    std::os::unix::fs::symlink("shared/estate.lock", env.path("edx-matrix.lock")).unwrap();
    let target = env.path("shared/estate.lock");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();

    let next = advance(&env, "learning.git", "release/ulmo", T2);
    run_at(&env, T2, &["lock", "--stage", "QA"]).ok();
    let link = std::fs::symlink_metadata(env.path("edx-matrix.lock")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains(&format!("commit = \"{next}\"\n")), "{text}");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
