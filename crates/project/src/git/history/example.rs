//! The built-in example's history: twelve dated revisions of the acme matrix, so
//! `edx-matrix --example history` and `--example serve` have a history without git, and
//! `edx-matrix init --example DIR` can write it as a real repository ([`write_repository`]).
//!
//! The story, March to August 2025: the matrix starts with sumac, teak, ulmo and master; `pro`
//! promotes teak to QA and Production and retires sumac; `pro` upgrades CI to ulmo and promotes
//! it to QA; verawood is added and runs in CI for `campus`, `campus-staging` and `pro`; `campus`
//! promotes verawood to QA, reverts that two days later, patches verawood's learning MFE,
//! promotes it to QA again and then to Production. The last revision is the example itself
//! ([`edx_matrix_formats::example::TEXT`]).

use super::{CommitRef, History, Revision, epoch_seconds, history_of_revisions};
use crate::git::GitError;
use crate::git::command;
use edx_matrix_formats::example::TEXT;
use std::path::Path;

/// The file the example history is the history of.
pub const FILE: &str = "edx-matrix.toml";

/// The author and committer of every example commit.
pub(crate) const AUTHOR: (&str, &str) = ("Acme Platform Team", "platform@acme.example");

/// The releases of one deployment's stages CI, QA and Production.
type Pins = [&'static str; 3];

/// One revision of the story.
struct Step {
    date: &'static str,
    subject: &'static str,
    campus: Pins,
    online: Pins,
    pro: Pins,
    sumac: bool,
    verawood: bool,
    learning_patched: bool,
}

const STEPS: [Step; 12] = {
    const fn step(
        date: &'static str,
        subject: &'static str,
        campus: Pins,
        pro: Pins,
        (sumac, verawood, learning_patched): (bool, bool, bool),
    ) -> Step {
        Step {
            date,
            subject,
            campus,
            online: ["master", "master", "master"],
            pro,
            sumac,
            verawood,
            learning_patched,
        }
    }
    const OLD: (bool, bool, bool) = (true, false, false);
    const MID: (bool, bool, bool) = (false, false, false);
    const NEW: (bool, bool, bool) = (false, true, false);
    const PATCHED: (bool, bool, bool) = (false, true, true);
    const C_ULMO: Pins = ["master", "ulmo", "ulmo"];
    const C_VW_CI: Pins = ["verawood", "ulmo", "ulmo"];
    const C_VW_QA: Pins = ["master", "verawood", "ulmo"];
    [
        step(
            "2025-03-03T09:00:00Z",
            "Start the matrix: sumac, teak, ulmo and master",
            C_ULMO,
            ["teak", "sumac", "sumac"],
            OLD,
        ),
        step(
            "2025-03-17T10:00:00Z",
            "pro: promote teak to QA",
            C_ULMO,
            ["teak", "teak", "sumac"],
            OLD,
        ),
        step(
            "2025-04-07T10:00:00Z",
            "pro: promote teak to Production",
            C_ULMO,
            ["teak", "teak", "teak"],
            OLD,
        ),
        step(
            "2025-04-14T11:00:00Z",
            "Retire sumac",
            C_ULMO,
            ["teak", "teak", "teak"],
            MID,
        ),
        step(
            "2025-05-05T09:30:00Z",
            "pro: upgrade CI to ulmo",
            C_ULMO,
            ["ulmo", "teak", "teak"],
            MID,
        ),
        step(
            "2025-06-02T10:00:00Z",
            "pro: promote ulmo to QA",
            C_ULMO,
            ["ulmo", "ulmo", "teak"],
            MID,
        ),
        step(
            "2025-06-16T09:00:00Z",
            "Add verawood: CI of campus, campus-staging and pro",
            C_VW_CI,
            ["verawood", "ulmo", "teak"],
            NEW,
        ),
        step(
            "2025-06-30T14:00:00Z",
            "campus: promote verawood to QA",
            C_VW_QA,
            ["verawood", "ulmo", "teak"],
            NEW,
        ),
        step(
            "2025-07-02T08:00:00Z",
            "Revert \"campus: promote verawood to QA\"",
            C_VW_CI,
            ["verawood", "ulmo", "teak"],
            NEW,
        ),
        step(
            "2025-07-14T10:00:00Z",
            "Patch verawood: the learning MFE jump-nav fix",
            C_VW_CI,
            ["verawood", "ulmo", "teak"],
            PATCHED,
        ),
        step(
            "2025-07-21T10:00:00Z",
            "campus: promote verawood to QA again",
            C_VW_QA,
            ["verawood", "ulmo", "teak"],
            PATCHED,
        ),
        step(
            "2025-08-04T09:00:00Z",
            "campus: promote verawood to Production",
            ["master", "verawood", "verawood"],
            ["verawood", "ulmo", "teak"],
            PATCHED,
        ),
    ]
};

/// Replaces `from` (which the example contains) by `to`.
fn swap(text: &mut String, from: &str, to: &str) {
    debug_assert!(text.contains(from), "{from}");
    *text = text.replace(from, to);
}

/// The line of a deployment written inline: `campus = { CI = "master", … }`.
fn deployment_line(name: &str, [ci, qa, production]: Pins) -> String {
    let q = |r: &str| format!("{:<12}", format!("\"{r}\","));
    format!(
        "{name:<14} = {{ CI = {}QA = {}Production = \"{production}\" }}",
        q(ci),
        q(qa)
    )
}

/// The start of a stage's line in `pro`'s table (`pro` carries vars, so each stage has its
/// line): `QA         = { release = "ulmo",     vars = …`.
fn pro_stage_line(stage: &str, release: &str) -> String {
    format!(
        "{stage:<10} = {{ release = {:<12}vars",
        format!("\"{release}\",")
    )
}

/// The matrix text of one step: the example with the step's pins and releases.
fn text(step: &Step) -> String {
    let mut text = TEXT.to_owned();
    let last = &STEPS[STEPS.len() - 1];
    for (name, pins, final_pins) in [
        ("campus", step.campus, last.campus),
        ("campus-staging", step.campus, last.campus),
        ("online", step.online, last.online),
    ] {
        if pins != final_pins {
            swap(
                &mut text,
                &deployment_line(name, final_pins),
                &deployment_line(name, pins),
            );
        }
    }
    for ((stage, release), final_release) in ["CI", "QA", "Production"]
        .into_iter()
        .zip(step.pro)
        .zip(last.pro)
    {
        if release != final_release {
            swap(
                &mut text,
                &pro_stage_line(stage, final_release),
                &pro_stage_line(stage, release),
            );
        }
    }
    if !step.learning_patched {
        swap(&mut text, "acme/verawood-fix-jumpnav", "acme/verawood");
    }
    if !step.verawood {
        swap(
            &mut text,
            "verawood = { branch = \"release/verawood\", python = \"3.12\", node = \"24\" }\n",
            "",
        );
        swap(
            &mut text,
            "releases    = [\"master\", \"verawood\", \"ulmo\"]",
            "releases    = [\"master\", \"ulmo\"]",
        );
        swap(
            &mut text,
            "[[map]]\nreleases    = [\"verawood\"]\ndeployments = [\"campus\", \"campus-staging\"]\n\
             [map.apps]\nlearning = { origin = \"https://github.com/acme-edu/frontend-app-learning\", \
             branch = \"acme/verawood\" }\n\n",
            "",
        );
        swap(
            &mut text,
            "releases    = [\"verawood\", \"ulmo\", \"teak\"]",
            "releases    = [\"ulmo\", \"teak\"]",
        );
        swap(
            &mut text,
            "releases    = [\"verawood\", \"ulmo\"]",
            "releases    = [\"ulmo\"]",
        );
    }
    if step.sumac {
        swap(
            &mut text,
            "teak     = { branch = \"release/teak\",",
            "sumac    = { branch = \"release/sumac\",    python = \"3.11\", node = \"20\" }\n\
             teak     = { branch = \"release/teak\",",
        );
        swap(
            &mut text,
            "releases    = [\"ulmo\", \"teak\"]",
            "releases    = [\"ulmo\", \"teak\", \"sumac\"]",
        );
        swap(
            &mut text,
            "releases    = [\"teak\"]",
            "releases    = [\"teak\", \"sumac\"]",
        );
    }
    text
}

/// A stand-in commit hash for the in-memory revisions (they are not git objects): 40 hex digits
/// from the revision's number and text, stable across runs.
fn hash(index: usize, text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes().chain(index.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let g = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    format!(
        "{h:016x}{g:016x}{:08x}",
        (index as u32).wrapping_mul(0x2545_f491)
    )
}

/// The example's revisions, oldest first, with stand-in commit hashes.
pub fn revisions() -> Vec<Revision> {
    STEPS
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let text = text(step);
            let hash = hash(i, &text);
            Revision {
                commit: CommitRef {
                    short_hash: hash[..7].to_owned(),
                    hash,
                    date: step.date.to_owned(),
                    subject: step.subject.to_owned(),
                },
                path: FILE.to_owned(),
                text: Ok(text),
            }
        })
        .collect()
}

/// The example's history, computed from [`revisions`] like a git history.
pub fn history(deployment: Option<&str>) -> History {
    history_of_revisions(FILE, revisions(), deployment)
}

/// Writes the example history as a git repository in `dir` (created when missing, initialised
/// when not a repository yet): one commit per revision on branch `main`, with the revisions'
/// author and committer dates, then checks out the last one, so `dir/edx-matrix.toml` is the
/// example matrix. Other files in `dir` are left alone (and untracked). The commits are the same
/// on every machine (fixed author, committer and dates), so writing twice is a no-op.
///
/// # Errors
///
/// Returns the [`GitError`] when `dir` cannot be created or git fails (for example when `dir`
/// is already a repository whose `main` branch has other commits).
pub fn write_repository(dir: &Path) -> Result<(), GitError> {
    std::fs::create_dir_all(dir).map_err(|source| GitError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut stream = Vec::new();
    for (i, revision) in revisions().into_iter().enumerate() {
        let when = epoch_seconds(&revision.commit.date).unwrap_or_default();
        let text = revision.text.unwrap_or_default();
        let who = format!("{} <{}> {when} +0000", AUTHOR.0, AUTHOR.1);
        stream.extend_from_slice(b"commit refs/heads/main\n");
        stream.extend_from_slice(format!("author {who}\ncommitter {who}\n").as_bytes());
        let message = &revision.commit.subject;
        stream.extend_from_slice(format!("data {}\n{message}\n", message.len()).as_bytes());
        if i == 0 {
            stream.extend_from_slice(b"deleteall\n");
            // The pipeline templates, committed with the first revision: `diff REV` reads a
            // revision's templates from its tree.
            for (path, template) in edx_matrix_formats::example::TEMPLATES {
                stream.extend_from_slice(
                    format!("M 100644 inline {path}\ndata {}\n", template.len()).as_bytes(),
                );
                stream.extend_from_slice(template.as_bytes());
                stream.push(b'\n');
            }
        }
        stream
            .extend_from_slice(format!("M 100644 inline {FILE}\ndata {}\n", text.len()).as_bytes());
        stream.extend_from_slice(text.as_bytes());
        stream.push(b'\n');
    }
    git(dir, &["init", "-q", "-b", "main"], None)?;
    git(dir, &["fast-import", "--quiet"], Some(stream))?;
    git(dir, &["reset", "-q", "--hard", "main"], None)?;
    Ok(())
}

fn git(dir: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<(), GitError> {
    let cmd = command::git_command(Path::new("git"), Some(dir));
    let output = match input {
        Some(input) => command::run_with_input(cmd, args, input, command::MAX_OUTPUT_BYTES),
        None => command::run(cmd, args, None),
    }
    .map_err(|err| GitError::of_run(&args.join(" "), err))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(GitError::Failed {
            command: args.join(" "),
            reason: command::describe_failure(output.status, &output.stderr),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every revision loads without errors; the expected stages come from the story above,
    /// written out by hand.
    #[test]
    fn example_history_follows_the_story() {
        let revisions = revisions();
        assert_eq!(revisions.len(), 12);
        assert_eq!(revisions[11].text.as_deref(), Ok(TEXT));
        assert!(
            revisions[0]
                .text
                .as_ref()
                .is_ok_and(|t| t.contains("sumac    ="))
        );
        assert!(
            revisions[0]
                .text
                .as_ref()
                .is_ok_and(|t| !t.contains("verawood ="))
        );
        let h = history(None);
        assert!(h.skipped.is_empty(), "{:?}", h.skipped);
        assert_eq!(h.revisions, 12);
        assert_eq!(h.releases, ["teak", "ulmo", "verawood", "master", "sumac"]);
        let lane = |d: &str, s: &str| -> Vec<(String, String)> {
            let t = (h.timelines.iter())
                .find(|t| t.deployment == d && t.stage == s)
                .expect("lane");
            (t.changes.iter())
                .map(|c| {
                    let r = c.release.clone().unwrap_or_default();
                    (r, c.commit.day().to_owned())
                })
                .collect()
        };
        let l = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(h.timelines.len(), 12);
        assert_eq!(lane("online", "QA"), l(&[("master", "2025-03-03")]));
        assert_eq!(
            lane("pro", "Production"),
            l(&[("sumac", "2025-03-03"), ("teak", "2025-04-07")])
        );
        assert_eq!(
            lane("campus", "QA"),
            l(&[
                ("ulmo", "2025-03-03"),
                ("verawood", "2025-06-30"),
                ("ulmo", "2025-07-02"),
                ("verawood", "2025-07-21"),
            ])
        );
        assert_eq!(
            lane("campus-staging", "CI"),
            l(&[
                ("master", "2025-03-03"),
                ("verawood", "2025-06-16"),
                ("master", "2025-06-30"),
                ("verawood", "2025-07-02"),
                ("master", "2025-07-21"),
            ])
        );
        let lead = |d: &str, r: &str| {
            (h.lead_times.iter())
                .find(|l| l.deployment == d && l.release == r)
                .map(|l| l.seconds)
        };
        assert_eq!(lead("pro", "teak"), Some(Some((35 * 24 + 1) * 3600)));
        assert_eq!(lead("campus", "verawood"), Some(Some(49 * 86_400)));
        assert_eq!(lead("pro", "ulmo"), Some(None));
    }
}
