//! `FactsReader`: release facts read from bare repositories laid out like the upstream ones,
//! under both branch schemes, served by `git daemon` and by a smart-HTTP server that answers a
//! redirect for a renamed repository. Expected values are the files the test writes.

use std::path::Path;
use std::time::Duration;

use edx_matrix_project::git::GitCli;
use edx_matrix_project::git::{FactsError, FactsQuery, FactsReader, Redirect, ReleaseFacts};
use edx_matrix_test_support::Git;
use edx_matrix_test_support::HttpGit;

use crate::git::support::{Daemon, Sandbox, TestResult};

const TOX: &[u8] = b"[tox]\nenvlist = py{311,312}-django{42,52}, quality\n";

/// `openedx-platform` and two MFEs, with a Teak-style release (`verawood`) and a
/// pre-Teak one (`palm`).
fn upstream(git: &Git, dir: &Path) -> TestResult {
    git.upstream_repo(
        dir,
        "openedx-platform",
        &[
            (
                "release/verawood",
                &[
                    (".python-version", b"3.12\n"),
                    ("tox.ini", TOX),
                    ("README.rst", b"Open edX\n"),
                ],
            ),
            (
                "open-release/palm.master",
                &[
                    (
                        "setup.cfg",
                        b"[metadata]\nname = x\n\n[options]\npython_requires = >=3.8, <3.9\n",
                    ),
                    ("tox.ini", TOX),
                ],
            ),
            ("master", &[(".python-version", b"3.12\n")]),
        ],
        &[
            ("release/verawood.1", "release/verawood"),
            ("open-release/palm.1", "open-release/palm.master"),
            ("open-release/palm.2", "open-release/palm.master"),
        ],
    )?;
    git.upstream_repo(
        dir,
        "frontend-app-learning",
        &[
            (
                "release/verawood",
                &[(".nvmrc", b"24\n"), ("package.json", b"{}")],
            ),
            ("open-release/palm.master", &[(".nvmrc", b"v18.17.0\n")]),
        ],
        &[],
    )?;
    git.upstream_repo(
        dir,
        "frontend-app-authoring",
        &[("release/verawood", &[(".nvmrc", b"24\n")])],
        &[],
    )?;
    Ok(())
}

fn reader(sandbox: &Sandbox) -> FactsReader {
    FactsReader::new(
        GitCli::new().with_timeout(Duration::from_secs(30)),
        sandbox.path().join("cache"),
    )
}

fn mfes() -> Vec<String> {
    vec![
        "frontend-app-learning".to_owned(),
        "frontend-app-authoring".to_owned(),
    ]
}

fn query<'a>(
    release: &'a str,
    base: &'a str,
    platform: &'a str,
    mfes: &'a [String],
) -> FactsQuery<'a> {
    FactsQuery {
        release,
        base,
        platform,
        mfes,
        branch: None,
        python: true,
        node: true,
    }
}

#[test]
fn reads_a_release_under_each_branch_scheme_over_git_daemon() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    upstream(sandbox.sealed_git(), &served)?;
    let daemon = Daemon::start(sandbox.sealed_git(), &served)?;
    let base = format!("git://127.0.0.1:{}", daemon.port());
    let mfes = mfes();
    let reader = reader(&sandbox);

    let verawood: ReleaseFacts =
        reader.read(&query("verawood", &base, "openedx-platform", &mfes))?;
    assert_eq!(verawood.branch.value, "release/verawood");
    assert_eq!(
        verawood.branch.source,
        "openedx-platform:refs/heads/release/verawood"
    );
    assert_eq!(verawood.tags, ["release/verawood.1"]);
    let python = verawood.python.as_ref().ok_or("no python")?;
    assert_eq!(python.value, "3.12");
    assert_eq!(
        python.source,
        "openedx-platform@release/verawood:.python-version"
    );
    let node = verawood.node.as_ref().ok_or("no node")?;
    assert_eq!(node.value, "24");
    assert_eq!(node.source, "frontend-app-learning@release/verawood:.nvmrc");
    assert_eq!(
        node.detail.as_deref(),
        Some("the same in 2 of 2 MFE repositories")
    );
    assert_eq!(verawood.missing, []);
    // git:// cannot redirect: said, not assumed.
    assert!(
        verawood
            .repositories
            .iter()
            .all(|r| matches!(r.redirect, Redirect::NotChecked { .. })),
        "{:?}",
        verawood.repositories
    );

    let palm = reader.read(&query("palm", &base, "openedx-platform", &mfes))?;
    assert_eq!(palm.branch.value, "open-release/palm.master");
    assert_eq!(palm.tags, ["open-release/palm.1", "open-release/palm.2"]);
    let python = palm.python.as_ref().ok_or("no python")?;
    // No .python-version: setup.cfg's `>=3.8, <3.9` names one version, before tox.ini's two.
    assert_eq!(
        (python.value.as_str(), python.source.as_str()),
        ("3.8", "openedx-platform@open-release/palm.master:setup.cfg")
    );
    let node = palm.node.as_ref().ok_or("no node")?;
    assert_eq!(node.value, "18");
    assert_eq!(
        node.detail.as_deref(),
        Some("the same in 1 of 2 MFE repositories")
    );
    let authoring = palm
        .repositories
        .iter()
        .find(|r| r.name == "frontend-app-authoring")
        .ok_or("authoring not reported")?;
    assert_eq!(authoring.outcome, "no branch open-release/palm.master");

    // One shallow, filtered fetch: the cache holds one commit, and no blob it did not read.
    let cache = std::fs::read_dir(sandbox.path().join("cache"))?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("openedx-platform-"))
        })
        .ok_or("no cache repository")?;
    let git = sandbox.sealed_git();
    assert_eq!(
        git.try_run(&cache, None, &["rev-parse", "--is-shallow-repository"])?,
        "true"
    );
    let objects = git.try_run(
        &cache,
        None,
        &[
            "rev-list",
            "--objects",
            "--missing=print",
            "refs/edx-matrix/branch/0",
        ],
    )?;
    // The cache holds palm, read last: setup.cfg decided, so tox.ini was never fetched.
    let tox = git.try_run(
        &served.join("openedx-platform"),
        None,
        &["rev-parse", "open-release/palm.master:tox.ini"],
    )?;
    assert!(
        objects.contains(&format!("?{tox}")),
        "tox.ini was fetched:\n{objects}"
    );
    assert_eq!(
        objects.lines().filter(|l| l.starts_with('?')).count(),
        1,
        "{objects}"
    );
    Ok(())
}

/// `discover`'s reading: several releases of one listing, under both branch schemes, with one
/// listing of edx-platform and one fetch per repository for all their branches (counted in
/// git daemon's log: the other requests are the blobs read), the same facts as one by one.
#[test]
fn reads_several_releases_with_one_fetch_per_repository() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    upstream(sandbox.sealed_git(), &served)?;
    let log = sandbox.path().join("daemon.log");
    let daemon = Daemon::start_logged(sandbox.sealed_git(), &served, &log)?;
    let base = format!("git://127.0.0.1:{}", daemon.port());
    let mfes = vec!["frontend-app-learning".to_owned()];
    let reader = reader(&sandbox);

    let listing = reader.list(&base, "openedx-platform")?;
    let names: Vec<&str> = listing.releases.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["palm", "verawood"]);
    let q = query("ignored", &base, "openedx-platform", &mfes);
    let both = reader.read_listed(&listing, &q, &["verawood", "palm"])?;
    let requests = |repo: &str| -> TestResult<usize> {
        let text = std::fs::read_to_string(&log)?;
        Ok(text
            .lines()
            .filter(|l| l.contains("Request upload-pack for") && l.contains(&format!("/{repo}'")))
            .count())
    };
    // edx-platform: the listing, one fetch, and two blobs (verawood's `.python-version`,
    // palm's `setup.cfg`); the MFE: one fetch and its two `.nvmrc` blobs.
    assert_eq!(
        requests("openedx-platform")?,
        1 + 1 + 2,
        "{}",
        std::fs::read_to_string(&log)?
    );
    assert_eq!(requests("frontend-app-learning")?, 1 + 2);

    let summary: Vec<(&str, &str, Option<&str>, Option<&str>)> = both
        .iter()
        .map(|f| {
            (
                f.release.as_str(),
                f.branch.value.as_str(),
                f.python.as_ref().map(|p| p.value.as_str()),
                f.node.as_ref().map(|n| n.value.as_str()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("verawood", "release/verawood", Some("3.12"), Some("24")),
            ("palm", "open-release/palm.master", Some("3.8"), Some("18")),
        ]
    );
    assert_eq!(
        both[1].python.as_ref().map(|p| p.source.as_str()),
        Some("openedx-platform@open-release/palm.master:setup.cfg")
    );
    // One by one, from a fresh cache, the same facts.
    for facts in &both {
        let fresh = FactsReader::new(
            GitCli::new().with_timeout(Duration::from_secs(30)),
            sandbox.path().join(format!("cache-{}", facts.release)),
        );
        let one = fresh.read(&query(&facts.release, &base, "openedx-platform", &mfes))?;
        assert_eq!(&one, facts);
    }
    Ok(())
}

/// An MFE without one of the branches: the one fetch fails as a whole, so one fetch per branch
/// tells which it has; the other branch is still read.
#[test]
fn an_mfe_lacking_one_branch_is_read_at_the_others() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    upstream(sandbox.sealed_git(), &served)?;
    let daemon = Daemon::start(sandbox.sealed_git(), &served)?;
    let base = format!("git://127.0.0.1:{}", daemon.port());
    let mfes = mfes();
    let reader = reader(&sandbox);
    let listing = reader.list(&base, "openedx-platform")?;
    let q = query("ignored", &base, "openedx-platform", &mfes);
    let both = reader.read_listed(&listing, &q, &["palm", "verawood"])?;
    let outcome = |facts: &ReleaseFacts| {
        facts
            .repositories
            .iter()
            .find(|r| r.name == "frontend-app-authoring")
            .map(|r| r.outcome.clone())
    };
    assert_eq!(
        outcome(&both[0]).as_deref(),
        Some("no branch open-release/palm.master")
    );
    assert_eq!(outcome(&both[1]).as_deref(), Some("read"));
    assert_eq!(
        both[1].node.as_ref().and_then(|n| n.detail.as_deref()),
        Some("the same in 2 of 2 MFE repositories")
    );
    assert_eq!(
        both[0].node.as_ref().and_then(|n| n.detail.as_deref()),
        Some("the same in 1 of 2 MFE repositories")
    );
    Ok(())
}

#[test]
fn a_release_upstream_lacks_asks_for_its_branch() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    upstream(sandbox.sealed_git(), &served)?;
    sandbox.sealed_git().try_run(
        &served.join("openedx-platform"),
        None,
        &["tag", "release/willow.1", "master"],
    )?;
    let daemon = Daemon::start(sandbox.sealed_git(), &served)?;
    let base = format!("git://127.0.0.1:{}", daemon.port());
    let mfes = mfes();
    for (release, says) in [
        (
            "zebra",
            "has no branch `release/zebra` or `open-release/zebra.master`",
        ),
        ("willow", "(it has tags: release/willow.1)"),
    ] {
        match reader(&sandbox).read(&query(release, &base, "openedx-platform", &mfes)) {
            Err(FactsError::Missing { reason, flag }) => {
                assert_eq!(flag, "--branch");
                assert!(reason.contains(says), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    // An unreachable repository is a remote failure, not a missing fact.
    let gone = format!(
        "git://127.0.0.1:{}",
        edx_matrix_test_support::closed_port()?
    );
    assert!(matches!(
        reader(&sandbox).read(&query("verawood", &gone, "openedx-platform", &mfes)),
        Err(FactsError::Remote(_))
    ));
    Ok(())
}

#[test]
fn bad_remote_files_are_located_errors_never_values() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    let git = sandbox.sealed_git();
    let huge = vec![b'3'; 100 * 1024];
    git.upstream_repo(
        &served,
        "openedx-platform",
        &[
            ("release/huge", &[(".python-version", &huge)]),
            (
                "release/garbage",
                &[(".python-version", b"# pinned\nthree point twelve\n")],
            ),
            ("release/latin", &[(".python-version", b"3.12\n")]),
            ("release/unsaid", &[("tox.ini", TOX)]),
        ],
        &[],
    )?;
    git.upstream_repo(
        &served,
        "frontend-app-learning",
        &[
            ("release/huge", &[(".nvmrc", b"24\n")]),
            ("release/garbage", &[(".nvmrc", b"lts/iron\n")]),
            ("release/latin", &[(".nvmrc", b"\xe9\xe9\n")]),
            ("release/unsaid", &[(".nvmrc", b"22\n")]),
        ],
        &[],
    )?;
    let daemon = Daemon::start(git, &served)?;
    let base = format!("git://127.0.0.1:{}", daemon.port());
    let mfes = vec!["frontend-app-learning".to_owned()];
    let missing = |release: &str| -> TestResult<Vec<(String, String)>> {
        let facts = reader(&sandbox).read(&query(release, &base, "openedx-platform", &mfes))?;
        Ok(facts
            .missing
            .into_iter()
            .map(|m| (m.flag.to_owned(), m.reason))
            .collect())
    };
    assert_eq!(
        missing("huge")?,
        [(
            "--python".to_owned(),
            "openedx-platform@release/huge:.python-version: larger than 64 KiB, not read"
                .to_owned()
        )]
    );
    assert_eq!(
        missing("garbage")?,
        [
            (
                "--python".to_owned(),
                "openedx-platform@release/garbage:.python-version:2: `three point twelve` is not a Python version".to_owned()
            ),
            (
                "--node".to_owned(),
                "frontend-app-learning@release/garbage:.nvmrc:1: `lts/iron` is not a Node version number".to_owned()
            ),
        ]
    );
    assert_eq!(
        missing("latin")?,
        [(
            "--node".to_owned(),
            "frontend-app-learning@release/latin:.nvmrc: not UTF-8 text".to_owned()
        )]
    );
    assert_eq!(
        missing("unsaid")?,
        [(
            "--python".to_owned(),
            "openedx-platform@release/unsaid declares no single Python version (no .python-version; no setup.cfg; no pyproject.toml; tox.ini: its `envlist` tests 2 versions (3.11, 3.12))".to_owned()
        )]
    );
    Ok(())
}

#[test]
fn a_renamed_repository_is_reported_through_the_http_redirect() -> TestResult {
    let sandbox = Sandbox::new()?;
    let served = sandbox.path().join("served");
    std::fs::create_dir(&served)?;
    upstream(sandbox.sealed_git(), &served)?;
    let server = HttpGit::start(
        sandbox.sealed_git(),
        &served,
        &[("edx-platform", "openedx-platform")],
    )?;
    let base = server.base();
    let mfes = vec!["frontend-app-learning".to_owned()];
    // The matrix still says `edx-platform`: the server answers 301 for it, as GitHub does.
    let facts = reader(&sandbox).read(&query("verawood", &base, "edx-platform", &mfes))?;
    let platform = &facts.repositories[0];
    assert_eq!(platform.name, "edx-platform");
    assert_eq!(
        platform.redirect,
        Redirect::To {
            url: format!("{}/", server.url("openedx-platform")),
            renamed_to: Some("openedx-platform".to_owned()),
        }
    );
    let python = facts.python.as_ref().ok_or("no python")?;
    assert_eq!(
        python.source,
        "openedx-platform@release/verawood:.python-version"
    );
    assert_eq!(python.value, "3.12");
    // A repository that is not renamed answers without a redirect over HTTP.
    let learning = &facts.repositories[1];
    assert_eq!(learning.redirect, Redirect::None);
    assert_eq!(facts.node.as_ref().map(|f| f.value.as_str()), Some("24"));
    Ok(())
}
