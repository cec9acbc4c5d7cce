//! `GitCli` and `verify_refs` against real repositories over `file://` and `git://`.

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use edx_matrix_project::git::{GitCli, Progress, RemoteError, RemoteRefs, WantedRef, verify_refs};

use crate::git::support::{
    Counting, Daemon, Sandbox, TestResult, closed_port, file_url, silent_server,
};

fn git_cli() -> GitCli {
    GitCli::new().with_timeout(Duration::from_secs(10))
}

#[test]
fn lists_branches_and_tags_over_file_url() -> TestResult {
    let sandbox = Sandbox::new()?;
    let repo = sandbox.bare_repo("r.git", &["main", "release/ulmo"], &["v1"])?;
    let refs = git_cli().list_refs(&file_url(&repo))?;
    let names: BTreeSet<&str> = refs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["refs/heads/main", "refs/heads/release/ulmo", "refs/tags/v1"])
    );
    assert!(
        refs.iter()
            .all(|r| r.oid.len() == 40 && r.oid.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    Ok(())
}

#[test]
fn verifies_refs_over_file_and_git_urls() -> TestResult {
    let sandbox = Sandbox::new()?;
    let platform = sandbox.bare_repo(
        "edx-platform.git",
        &["master", "release/ulmo", "open-release/palm.master"],
        &["open-release/palm.1"],
    )?;
    sandbox.bare_repo(
        "frontend-app-learning.git",
        &["master", "release/ulmo"],
        &["release/ulmo.1"],
    )?;
    let daemon = Daemon::start(sandbox.sealed_git(), sandbox.path())?;

    let platform_url = file_url(&platform);
    let learning_url = daemon.url("frontend-app-learning.git");
    let missing_path = file_url(&sandbox.path().join("does-not-exist.git"));
    let refused = format!("git://127.0.0.1:{}/x.git", closed_port()?);
    let wanted = [
        WantedRef::new(&platform_url, "release/ulmo"),
        WantedRef::new(&platform_url, "open-release/palm.master"),
        WantedRef::new(&platform_url, "open-release/palm.1"),
        WantedRef::new(&platform_url, "release/verawood"),
        WantedRef::new(&learning_url, "release/ulmo"),
        WantedRef::new(&learning_url, "release/ulmo"),
        WantedRef::new(&learning_url, "release/ulmo.1"),
        WantedRef::new(&learning_url, "release/teak"),
        WantedRef::new(&learning_url, "master"),
        WantedRef::new(&missing_path, "master"),
        WantedRef::new(&refused, "master"),
        WantedRef::new(&refused, "release/ulmo"),
    ];

    let remote = Counting::new(git_cli());
    let progress = Mutex::new(Vec::<Progress>::new());
    let report = verify_refs(&remote, &wanted, 3, 1, &|p| {
        progress.lock().unwrap().push(p);
    });

    assert_eq!(report.checked_origins, 4);
    assert_eq!(report.present, 6);
    let mut expected_missing = vec![
        WantedRef::new(&platform_url, "release/verawood"),
        WantedRef::new(&learning_url, "release/teak"),
    ];
    expected_missing.sort();
    assert_eq!(report.missing, expected_missing);

    let mut expected_unreachable = vec![missing_path.clone(), refused.clone()];
    expected_unreachable.sort();
    let unreachable: Vec<String> = report.unreachable.iter().map(|(o, _)| o.clone()).collect();
    assert_eq!(unreachable, expected_unreachable);
    for (origin, err) in &report.unreachable {
        assert!(
            matches!(err, RemoteError::Unreachable { reason, .. } if !reason.is_empty()),
            "{origin}: {err:?}"
        );
    }

    // One listing per distinct origin; failing ones are retried once.
    assert_eq!(remote.calls_to(&platform_url), 1);
    assert_eq!(remote.calls_to(&learning_url), 1);
    assert_eq!(remote.calls_to(&missing_path), 2);
    assert_eq!(remote.calls_to(&refused), 2);

    let progress = progress.into_inner()?;
    assert_eq!(
        progress.iter().map(|p| p.done).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(progress.iter().all(|p| p.total == 4));
    let reported: BTreeSet<&str> = progress.iter().map(|p| p.origin.as_str()).collect();
    assert_eq!(reported.len(), 4);
    Ok(())
}

#[test]
fn many_origins_through_one_daemon() -> TestResult {
    let sandbox = Sandbox::new()?;
    let names: Vec<String> = (0..12).map(|i| format!("app-{i}.git")).collect();
    for name in &names {
        sandbox.bare_repo(name, &["release/ulmo"], &[])?;
    }
    let daemon = Daemon::start(sandbox.sealed_git(), sandbox.path())?;
    let wanted: Vec<WantedRef> = names
        .iter()
        .flat_map(|name| {
            [
                WantedRef::new(daemon.url(name), "release/ulmo"),
                WantedRef::new(daemon.url(name), "release/teak"),
            ]
        })
        .collect();
    let remote = Counting::new(git_cli());
    let report = verify_refs(&remote, &wanted, 4, 2, &|_| {});
    assert!(report.unreachable.is_empty(), "{:?}", report.unreachable);
    assert_eq!(report.checked_origins, 12);
    assert_eq!(report.present, 12);
    assert_eq!(report.missing.len(), 12);
    assert!(report.missing.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(remote.calls.lock().unwrap().len(), 12);
    Ok(())
}

#[test]
fn timeout_kills_a_remote_that_never_answers() -> TestResult {
    let (port, connections) = silent_server()?;
    let url = format!("git://127.0.0.1:{port}/hung.git");
    let git = GitCli::new().with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let result = git.list_refs(&url);
    let elapsed = started.elapsed();
    assert!(
        matches!(&result, Err(RemoteError::Timeout { url: u, seconds: 1 }) if *u == url),
        "{result:?}"
    );
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    // The killed client's end of the connection is closed: reading reaches EOF.
    let mut stream = connections.recv_timeout(Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut request = Vec::new();
    stream.read_to_end(&mut request)?;
    assert!(String::from_utf8_lossy(&request).contains("hung.git"));
    Ok(())
}

#[test]
fn errors_never_show_credentials() -> TestResult {
    let git = GitCli::new().with_timeout(Duration::from_secs(1));

    let refused = closed_port()?;
    let err = git
        .list_refs(&format!("http://alice:s3cret@127.0.0.1:{refused}/r.git"))
        .err()
        .ok_or("listing a closed port succeeded")?;
    match &err {
        RemoteError::Unreachable { url, .. } => {
            // The one redaction of `edx_matrix_model::url`: the password is masked.
            assert_eq!(*url, format!("http://alice:***@127.0.0.1:{refused}/r.git"));
        }
        other => return Err(format!("expected unreachable, got {other:?}").into()),
    }
    assert_no_secret(&err);

    let (hung, _connections) = silent_server()?;
    let err = git
        .list_refs(&format!("http://alice:s3cret@127.0.0.1:{hung}/r.git"))
        .err()
        .ok_or("listing a silent server succeeded")?;
    // Either our deadline or git's own low-speed limit ends it first.
    assert!(
        matches!(
            err,
            RemoteError::Timeout { .. } | RemoteError::Unreachable { .. }
        ),
        "{err:?}"
    );
    assert_no_secret(&err);

    let err = git
        .list_refs("https://alice:s3cret@example.invalid/ext::sh")
        .err()
        .ok_or("an ext:: url was accepted")?;
    assert!(matches!(err, RemoteError::InvalidUrl { .. }), "{err:?}");
    assert_no_secret(&err);
    Ok(())
}

fn assert_no_secret(err: &RemoteError) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[test]
fn refuses_option_like_urls() {
    for url in ["--upload-pack=touch /tmp/pwned", "-h"] {
        let result = git_cli().list_refs(url);
        assert!(
            matches!(result, Err(RemoteError::InvalidUrl { .. })),
            "{url}: {result:?}"
        );
    }
}
