//! `count_commits` (`diff --count-commits`) on ranges deeper than its first shallow fetches,
//! against a real `git daemon` on 127.0.0.1 serving linear histories of thousands of commits
//! made with `git fast-import`. The expected counts are the distances `git rev-parse
//! master~N` names, not anything the counter computes: a range of 1,500 commits (beyond the
//! first fetch and deepening, 1,100) is counted exactly, after deepening; a range deeper than
//! the bound (5,100 commits below the head) is not counted, and the note says why.

use crate::git::support::{Daemon, Sandbox, TestResult};
use edx_matrix_project::git::GitCli;
use edx_matrix_project::git::{Range, count_commits};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Creates the bare repository `<sandbox>/<name>` whose `master` is a line of `commits`
/// commits, each changing one file.
fn linear_repo(sandbox: &Sandbox, name: &str, commits: usize) -> TestResult {
    let repo = sandbox.path().join(name);
    sandbox.git(sandbox.path(), &["init", "-q", "--bare", name])?;
    sandbox.git(&repo, &["config", "uploadpack.allowFilter", "true"])?;
    let mut stream = String::new();
    for i in 1..=commits {
        let message = format!("commit {i}\n");
        let content = format!("{i}\n");
        stream.push_str(&format!(
            "commit refs/heads/master\ncommitter Test <test@example.invalid> {} +0000\n\
             data {}\n{message}M 644 inline counter.txt\ndata {}\n{content}\n",
            1_700_000_000 + i,
            message.len(),
            content.len()
        ));
    }
    let mut child = sandbox
        .sealed_git()
        .command(&repo)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(stream.as_bytes())?;
    if !child.wait()?.success() {
        return Err("git fast-import failed".into());
    }
    Ok(())
}

fn rev(sandbox: &Sandbox, repo: &Path, name: &str) -> TestResult<String> {
    sandbox.git(repo, &["rev-parse", name])
}

/// Counts `master~back..master` of `name`, served by `daemon`, into a fresh cache.
fn count(
    sandbox: &Sandbox,
    daemon: &Daemon,
    name: &str,
    back: usize,
) -> TestResult<Result<(u64, u64), String>> {
    let repo = sandbox.path().join(name);
    let range = Range {
        origin: daemon.url(name),
        branch: "master".into(),
        old_branch: "master".into(),
        old: rev(sandbox, &repo, &format!("master~{back}"))?,
        new: rev(sandbox, &repo, "master")?,
    };
    let cache = sandbox.path().join(format!("cache-{name}"));
    let git = GitCli::new().with_timeout(Duration::from_secs(60));
    let mut answers = count_commits(&git, &cache, &[range], 1);
    Ok(answers
        .pop()
        .ok_or("no answer")?
        .map(|c| (c.added, c.rolled_back)))
}

#[test]
fn a_range_deeper_than_the_first_fetches_is_counted_exactly() -> TestResult {
    let sandbox = Sandbox::new()?;
    linear_repo(&sandbox, "deep.git", 2_600)?;
    let daemon = Daemon::start(sandbox.sealed_git(), sandbox.path())?;
    // 1,500 commits: beyond the first fetch (100) and its deepening (1,000), where the walk
    // used to stop at the shallow end and say 1,100.
    assert_eq!(count(&sandbox, &daemon, "deep.git", 1_500)?, Ok((1_500, 0)));
    // Within the first fetch: no deepening needed.
    assert_eq!(count(&sandbox, &daemon, "deep.git", 42)?, Ok((42, 0)));
    Ok(())
}

#[test]
fn a_range_deeper_than_the_bound_is_not_counted_and_says_why() -> TestResult {
    let sandbox = Sandbox::new()?;
    linear_repo(&sandbox, "deeper.git", 5_400)?;
    let daemon = Daemon::start(sandbox.sealed_git(), sandbox.path())?;
    let answer = count(&sandbox, &daemon, "deeper.git", 5_300)?;
    let note = answer.expect_err("a cut walk is not a count");
    // The first 100 commits and five deepening fetches of 1,000 (each deepens every shallow
    // end the server sees): the walk from the head ends after 5,100 commits, 200 short of the
    // old commit.
    assert_eq!(
        note,
        "not counted: the commits do not meet within the history fetched below `master` \
         (5100 commits walked before its shallow end; at most 5100 commits below each head are \
         fetched)"
    );
    Ok(())
}
