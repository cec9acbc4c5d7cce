//! `resolve --format json` writes its rows as they are resolved: the text a real JSON reader
//! (CPython's `json`) takes whole, and what happens when the reader or the disk goes away
//! mid-stream.

use crate::harness::Env;
use edx_matrix_test_support::require;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::Stdio;

/// `deployments` deployments on two stages (`r1`, `r2`) with `apps` IDAs each: deployments x 2
/// x apps rows.
fn matrix(deployments: usize, apps: usize) -> String {
    let mut text = String::from(
        "stages = [\"CI\", \"QA\"]\n\n[releases]\n\
         r1 = { branch = \"release/r1\", python = \"3.11\", node = \"20\" }\n\
         r2 = { branch = \"release/r2\", python = \"3.12\", node = \"22\" }\n\n[applications]\n",
    );
    for a in 0..apps {
        writeln!(
            text,
            "a{a:03} = {{ kind = \"ida\", repository = \"https://github.com/o/a{a:03}\" }}"
        )
        .unwrap();
    }
    text.push_str("\n[deployments]\n");
    let names: Vec<String> = (0..deployments).map(|d| format!("d{d:03}")).collect();
    for name in &names {
        writeln!(text, "{name} = {{ CI = \"r2\", QA = \"r1\" }}").unwrap();
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    writeln!(
        text,
        "\n[[map]]\nreleases = [\"r1\", \"r2\"]\ndeployments = [{}]\n[map.apps]",
        quoted.join(", ")
    )
    .unwrap();
    for a in 0..apps {
        writeln!(text, "a{a:03} = {{}}").unwrap();
    }
    text
}

/// CPython reads the streamed array whole: every row, in (deployment, stage, application)
/// order, with the values the release gives.
#[test]
fn python_reads_the_streamed_rows() {
    let Some(python) = require(
        "python_reads_the_streamed_rows",
        "python3",
        "install Python 3",
    ) else {
        return;
    };
    let env = Env::with_matrix(&matrix(30, 40));
    let json = env.run(&["resolve", "--format", "json"]).ok().to_owned();
    let mut child = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys\n\
             rows = json.load(sys.stdin)\n\
             keys = [(r['deployment'], r['stage'], r['application']) for r in rows]\n\
             assert keys == sorted(keys), 'not in order'\n\
             print(len(rows), rows[0]['release_branch'], rows[0]['runtime_version'], rows[-1]['deployment'], rows[-1]['stage'], rows[-1]['application'])",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // 30 deployments x 2 stages x 40 applications; CI runs r2.
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "2400 release/r2 3.12 d029 QA a039\n"
    );
}

/// A full disk (`/dev/full`) fails the command with the I/O exit code and the system's words,
/// not a panic.
#[test]
fn a_full_disk_is_an_io_error() {
    let env = Env::with_matrix(&matrix(30, 40));
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = env
        .command(&["resolve", "--format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A reader that leaves after the first bytes (`| head -c 100`) ends the command quietly, as
/// every command ends on a closed pipe: rows were being written while it read.
#[test]
fn a_reader_that_leaves_ends_it_quietly() {
    let env = Env::with_matrix(&matrix(30, 40));
    let mut child = env
        .command(&["resolve", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe closed here; 2,400 rows (about 800 KB) do not fit a pipe's buffer.
    assert!(first.starts_with(b"[\n  {\n    \"deployment\": \"d000\""));
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}
