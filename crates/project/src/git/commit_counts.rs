//! [`count_commits`]: how many commits each locked commit range of a `diff` holds, for
//! `diff --count-commits`.
//!
//! Each origin is fetched once (not at all when the cache has every commit already) into its
//! cache repository (`CACHE/<last segment>-<hash of the
//! URL>`, the upstream reader's layout): the branches its ranges name, shallow (`--depth`
//! [`DEPTH`]) and without file contents (`--filter=blob:none`, no tags), deepened once by
//! [`DEEPEN`] commits when a range's old commit is not there yet, and then each commit still
//! missing (a force-pushed one the branch no longer reaches) asked for by id. `git rev-list
//! OLD..NEW` and `NEW..OLD` then count; a walk that reaches the shallow boundary before the
//! commits meet deepens the history by [`DEEPEN`] again, at most [`MAX_DEEPENINGS`] times in
//! all; a range still cut then is not counted, with a note saying the commits do not meet
//! within the history fetched: a walk cut short is never given as a count. Origins are fetched
//! by at most `jobs` threads;
//! every git run has the timeout, a capped output and capped files
//! ([`crate::git::upstream`]'s rules). An origin that cannot be fetched, or a commit it does not
//! have, leaves that range uncounted with a note: never an error of the whole diff.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use edx_matrix_model::CommitCount;

use crate::git::upstream::fetch::CacheRepo;
use crate::git::url::redact_text;
use crate::git::{GitCli, RemoteError};

/// How many commits of each branch the first fetch brings.
pub(crate) const DEPTH: u32 = 100;

/// How many more commits each deepening brings.
pub(crate) const DEEPEN: u32 = 1000;

/// The most deepening fetches of one origin in one run: the history fetched reaches at most
/// `DEPTH + DEEPEN * MAX_DEEPENINGS` commits below each branch head (5,100).
pub(crate) const MAX_DEEPENINGS: u32 = 5;

mod walk;

/// One range to count: a commit locked before and after, in one origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// The URL git fetches (it may carry a credential: it is never shown).
    pub origin: String,
    /// The branch the new commit was locked on (fetched).
    pub branch: String,
    /// The branch the old commit was locked on (fetched too when it differs).
    pub old_branch: String,
    /// The old commit (40 hex).
    pub old: String,
    /// The new commit (40 hex).
    pub new: String,
}

/// Counts every range of `ranges`, fetching each distinct origin once into `cache`, with at
/// most `jobs` origins at a time. The answer is in the order of `ranges`: the count, or why
/// it could not be counted (credentials redacted).
pub fn count_commits(
    git: &GitCli,
    cache: &Path,
    ranges: &[Range],
    jobs: usize,
) -> Vec<Result<CommitCount, String>> {
    let mut by_origin: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in ranges.iter().enumerate() {
        by_origin.entry(r.origin.as_str()).or_default().push(i);
    }
    let work: Mutex<Vec<(&str, Vec<usize>)>> = Mutex::new(by_origin.into_iter().rev().collect());
    let answers: Mutex<Vec<Option<Result<CommitCount, String>>>> =
        Mutex::new(vec![None; ranges.len()]);
    let threads = jobs.clamp(1, ranges.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    // A poisoned lock only means another worker panicked; the list is whole.
                    let next = work.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some((origin, indices)) = next else {
                        break;
                    };
                    let mine: Vec<&Range> = indices.iter().map(|&i| &ranges[i]).collect();
                    let counted = count_origin(git, cache, origin, &mine);
                    let mut answers = answers.lock().unwrap_or_else(|e| e.into_inner());
                    for (i, answer) in indices.into_iter().zip(counted) {
                        answers[i] = Some(answer);
                    }
                }
            });
        }
    });
    answers
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Err("not counted".to_owned())))
        .collect()
}

/// Why git failed, for a note: the reason only (the URL is the row's, shown beside it).
fn reason(e: &RemoteError) -> String {
    match e {
        RemoteError::Timeout { seconds, .. } => format!("the fetch timed out after {seconds} s"),
        RemoteError::Unreachable { reason, .. } | RemoteError::InvalidUrl { reason, .. } => {
            redact_text(reason)
        }
        RemoteError::Spawn(e) => format!("cannot run git: {e}"),
    }
}

fn count_origin(
    git: &GitCli,
    cache: &Path,
    origin: &str,
    ranges: &[&Range],
) -> Vec<Result<CommitCount, String>> {
    let fail = |why: String| ranges.iter().map(|_| Err(why.clone())).collect();
    let repo = match CacheRepo::open(git, cache, origin) {
        Ok(repo) => repo,
        Err(e) => return fail(format!("not counted: {}", reason(&e))),
    };
    let mut branches: Vec<&str> = ranges
        .iter()
        .flat_map(|r| [r.branch.as_str(), r.old_branch.as_str()])
        .collect();
    branches.sort_unstable();
    branches.dedup();
    // Branches only (a full `refs/…` name as written): the commits of a tag, or of a branch
    // gone since, are asked for by id below.
    let refspecs: Vec<String> = branches
        .iter()
        .map(|b| match b.strip_prefix("refs/") {
            Some(rest) => format!("+{b}:refs/edx-matrix/{rest}"),
            None => format!("+refs/heads/{b}:refs/edx-matrix/heads/{b}"),
        })
        .collect();
    let fetch = |depth: &str, specs: &[String]| -> Result<(), RemoteError> {
        let mut args = vec![
            "fetch",
            "-q",
            "--no-tags",
            "--no-write-fetch-head",
            "--filter=blob:none",
            depth,
            "upstream",
        ];
        args.extend(specs.iter().map(String::as_str));
        repo.git_in(&args, 64 * 1024).map(|_| ())
    };
    // Never a lazy fetch of a missing object from the promisor remote: unbounded in depth,
    // one connection per object.
    let has = |commit: &str| {
        let object = format!("{commit}^{{commit}}");
        (repo.git_in(&["--no-lazy-fetch", "cat-file", "-e", &object], 1024)).is_ok()
    };
    let missing = |ranges: &[&Range]| -> Vec<String> {
        let mut m: Vec<String> = ranges
            .iter()
            .flat_map(|r| [&r.old, &r.new])
            .filter(|c| !has(c))
            .cloned()
            .collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    // A warm cache that has every commit already needs no connection at all.
    let warm = missing(ranges).is_empty();
    if warm {
        // Nothing to fetch.
    } else if let Err(e) = fetch(&format!("--depth={DEPTH}"), &refspecs) {
        // The branch may be gone (a rollback that deleted it): the commits alone may still be
        // fetched below.
        if !matches!(e, RemoteError::Unreachable { ref reason, .. } if reason.contains("couldn't find remote ref"))
        {
            return fail(format!("not counted: {}", reason(&e)));
        }
    }
    let mut deepened = 0;
    let mut by_id = Vec::new();
    if !warm && !missing(ranges).is_empty() {
        let _ = fetch(&format!("--deepen={DEEPEN}"), &refspecs);
        deepened += 1;
        // What the branches do not reach (force-pushed away), by id; servers that refuse a
        // want by id leave it missing.
        for commit in missing(ranges) {
            let spec = format!("+{commit}:refs/edx-matrix/commits/{commit}");
            if fetch(&format!("--depth={DEPTH}"), std::slice::from_ref(&spec)).is_ok() {
                by_id.push(spec);
            }
        }
    }
    loop {
        let counted = count_in(&repo, ranges);
        let cut = counted.iter().any(|c| matches!(c, Ok(Counted::Cut(_))));
        // A walk stopped at the shallow boundary: deeper, within the bound.
        let deeper = format!("--deepen={DEEPEN}");
        if !cut || deepened >= MAX_DEEPENINGS || fetch(&deeper, &refspecs).is_err() {
            return (counted.into_iter().zip(ranges))
                .map(|(c, r)| match c? {
                    Counted::Exact(count) => Ok(count),
                    Counted::Cut(walked) => Err(format!(
                        "not counted: the commits do not meet within the history fetched below \
                         `{}` ({walked} commits walked before its shallow end; at most {} \
                         commits below each head are fetched)",
                        r.branch,
                        DEPTH + DEEPEN * MAX_DEEPENINGS
                    )),
                })
                .collect();
        }
        deepened += 1;
        // A commit fetched by id (off its branch) deepens too; every deepening counts against
        // the bound (a server deepens every boundary a fetch's heads reach).
        for spec in &by_id {
            if deepened >= MAX_DEEPENINGS {
                break;
            }
            let _ = fetch(&deeper, std::slice::from_ref(spec));
            deepened += 1;
        }
    }
}

/// A range counted in the history fetched so far.
enum Counted {
    /// Neither walk reached the shallow boundary.
    Exact(CommitCount),
    /// A walk stopped at the shallow boundary after this many commits: not a count.
    Cut(u64),
}

/// Counts each range in `repo` as it is (nothing fetched): the count, a walk cut by the
/// shallow boundary, or why it could not be counted.
fn count_in(repo: &CacheRepo<'_>, ranges: &[&Range]) -> Vec<Result<Counted, String>> {
    let has = |commit: &str| {
        let object = format!("{commit}^{{commit}}");
        (repo.git_in(&["--no-lazy-fetch", "cat-file", "-e", &object], 1024)).is_ok()
    };
    let shallow = walk::shallow_commits(repo);
    ranges
        .iter()
        .map(|r| {
            for c in [&r.old, &r.new] {
                if !has(c) {
                    return Err(format!(
                        "not counted: commit {} is not in the origin's last {} commits of `{}`",
                        c.get(..12).unwrap_or(c),
                        DEPTH + DEEPEN,
                        r.branch
                    ));
                }
            }
            let added = walk::walk(repo, &format!("{}..{}", r.old, r.new), &shallow)?;
            let rolled_back = walk::walk(repo, &format!("{}..{}", r.new, r.old), &shallow)?;
            Ok(if added.cut || rolled_back.cut {
                Counted::Cut(added.commits)
            } else {
                Counted::Exact(CommitCount {
                    added: added.commits,
                    rolled_back: rolled_back.commits,
                })
            })
        })
        .collect()
}

/// Where and how `count_changes` counts: the cache directory, the origins fetched at once,
/// the git runner (its timeout bounds every run).
#[derive(Debug, Clone)]
pub struct CountSettings {
    /// The cache of fetched repositories (`$XDG_CACHE_HOME/edx-matrix/repos` by default).
    pub cache: std::path::PathBuf,
    /// How many origins are fetched at once.
    pub jobs: usize,
    /// The git runner and its timeout.
    pub git: GitCli,
}

/// Counts every changed range of `commits` (see [`count_commits`]), setting each one's `count`
/// or `count_note`. A lock records origins redacted; `url_of` gives the URL git fetches for a
/// redacted origin (the matrix's own, credential included, never shown), or the note saying
/// why there is none.
pub(crate) fn count_changes(
    settings: &CountSettings,
    url_of: impl Fn(&str) -> Result<String, String>,
    commits: &mut [edx_matrix_model::CommitChange],
) {
    let mut wanted = Vec::new();
    let mut ranges = Vec::new();
    for (i, c) in commits.iter_mut().enumerate() {
        let (Some(old), Some(new)) = (&c.old, &c.new) else {
            continue;
        };
        let url = match url_of(&c.origin) {
            Ok(url) => url,
            Err(note) => {
                c.count_note = Some(format!("not counted: {note}"));
                continue;
            }
        };
        wanted.push(i);
        ranges.push(Range {
            origin: url,
            branch: new.branch.clone(),
            old_branch: old.branch.clone(),
            old: old.commit.clone(),
            new: new.commit.clone(),
        });
    }
    if ranges.is_empty() {
        return;
    }
    let answers = count_commits(&settings.git, &settings.cache, &ranges, settings.jobs);
    for (i, answer) in wanted.into_iter().zip(answers) {
        match answer {
            Ok(count) => commits[i].count = Some(count),
            Err(note) => commits[i].count_note = Some(note),
        }
    }
}
