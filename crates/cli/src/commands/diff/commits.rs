//! The locked commits that change, as `diff` shows them (a range per (deployment, stage,
//! application), a compare link for GitHub origins), and `--count-commits`: the commits of each
//! range, counted in a shallow fetch of its origin.

use super::{DiffArgs, code, sign};
use crate::commands::edit::from_upstream::cache_dir;
use crate::output::{render_table, table};
use edx_matrix_model::Change;
use edx_matrix_model::CommitChange;
use edx_matrix_project::Counting;
use edx_matrix_project::git::CountSettings;
use edx_matrix_project::git::GitCli;
use std::fmt::Write as _;
use std::time::Duration;

/// Short hashes in tables, as `resolve`'s `COMMIT` column has them.
const SHORT: usize = 12;

/// How `--count-commits` counts (see `edx_matrix_project::git::commit_counts`): git fetches
/// the matrix's own URL of each origin (credential included, never shown).
pub(super) fn counting(args: &DiffArgs) -> Counting {
    Counting {
        settings: CountSettings {
            cache: args.cache_dir.clone().unwrap_or_else(|| cache_dir("repos")),
            jobs: usize::from(args.jobs),
            git: GitCli::new().with_timeout(Duration::from_secs(args.timeout)),
        },
        credentials: true,
    }
}

/// `old → new` for the branch, or the one branch.
fn branch(c: &CommitChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o.branch != n.branch => format!("{} → {}", o.branch, n.branch),
        (Some(x), _) | (None, Some(x)) => x.branch.clone(),
        (None, None) => String::new(),
    }
}

/// The count, its note, or what a one-sided change is.
fn counted(c: &CommitChange) -> String {
    match c.change {
        Change::Added => "newly locked".to_owned(),
        Change::Removed => "no longer locked".to_owned(),
        Change::Changed => c
            .count_text()
            .or_else(|| c.count_note.clone())
            .unwrap_or_default(),
    }
}

/// The section for a terminal.
pub(super) fn text(commits: &[CommitChange]) -> String {
    let mut text = format!("\nlocked commits: {}\n", summary(commits));
    let mut t = table(&[
        "",
        "deployment",
        "stage",
        "application",
        "branch",
        "commits",
        "note",
    ]);
    for c in commits {
        t.add_row([
            sign(c.change).to_owned(),
            c.deployment.clone(),
            c.stage.clone(),
            c.application.clone(),
            branch(c),
            c.range(SHORT),
            counted(c),
        ]);
    }
    text.push_str(&render_table(&t));
    text
}

fn summary(commits: &[CommitChange]) -> String {
    let count = |k: Change| commits.iter().filter(|c| c.change == k).count();
    format!(
        "{} changed, {} newly locked, {} no longer locked",
        count(Change::Changed),
        count(Change::Added),
        count(Change::Removed)
    )
}

/// The section as Markdown: the range links to GitHub's compare page when there is one.
pub(super) fn markdown(commits: &[CommitChange]) -> String {
    let mut md = format!(
        "\n#### Locked commits ({})\n\n\
         | | Deployment | Stage | Application | Branch | Commits | Note |\n\
         |---|---|---|---|---|---|---|\n",
        summary(commits)
    );
    for c in commits {
        let range = code(&c.range(SHORT));
        let range = match &c.compare_url {
            Some(url) => format!("[{range}]({url})"),
            None => range,
        };
        let branch = match (&c.old, &c.new) {
            (Some(o), Some(n)) if o.branch != n.branch => {
                format!("{} → **{}**", code(&o.branch), code(&n.branch))
            }
            _ => code(&branch(c)),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {branch} | {range} | {} |",
            c.change.word(),
            code(&c.deployment),
            code(&c.stage),
            code(&c.application),
            counted(c).replace('|', "\\|"),
        );
    }
    md
}
