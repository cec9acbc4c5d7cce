//! Issue 26: an unknown deployment, stage, release or application gets the same error — code,
//! words, suggestions — from every command that takes that kind of name and from the API
//! (`edx_matrix_model::known_names`, rendered by each front end). The commands are one table
//! ([`COMMANDS`]); a walk of every `--help` fails when a command takes a name the table
//! does not try.

use crate::conventions::subcommands;
use crate::git::git;
use crate::harness::Env;
use crate::serve::{http_get, start};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::process::Stdio;

const ACME: &str = include_str!("../../../../examples/acme/edx-matrix.toml");

/// Where the name goes in a row's arguments.
const NAME: &str = "{}";

/// Whether a command prints `--format json` (then its error is compared as JSON, too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Json {
    Yes,
    No,
}

/// How a command's hint relates to the one every command gives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// Exactly the suggestions.
    Same,
    /// The suggestions, then how to add the release first (`upgrade --to`: a new release is
    /// added first, docs/editing.md).
    ThenAdd,
}

/// Every command taking a name of the matrix: (kind, arguments with the name at [`NAME`],
/// JSON form, hint). A new command is a new row.
const COMMANDS: &[(&str, &[&str], Json, Hint)] = &[
    // Deployments.
    (
        "deployment",
        &["resolve", "-d", NAME],
        Json::Yes,
        Hint::Same,
    ),
    ("deployment", &["show", NAME], Json::Yes, Hint::Same),
    ("deployment", &["show", NAME, "QA"], Json::Yes, Hint::Same),
    (
        "deployment",
        &["upgrade", NAME, "--stage", "CI", "--to", "master", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &[
            "upgrade", "-d", NAME, "--stage", "CI", "--to", "master", "-n",
        ],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["promote", NAME, "--stage", "QA", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["set", NAME, "master", "learning", "--branch", "x", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["include", NAME, "master", "learning", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["exclude", NAME, "master", "learning", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["export", "tutor", NAME, "CI"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["export", "env", NAME, "CI"],
        Json::No,
        Hint::Same,
    ),
    (
        "deployment",
        &["export", "github-actions", "-d", NAME],
        Json::No,
        Hint::Same,
    ),
    (
        "deployment",
        &["query", "release", NAME, "QA"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["query", "stages", NAME, "-r", "master"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "deployment",
        &["query", "version", "-d", NAME, "-r", "master"],
        Json::Yes,
        Hint::Same,
    ),
    ("deployment", &["lock", "-d", NAME], Json::Yes, Hint::Same),
    ("deployment", &["logs", NAME, "QA"], Json::Yes, Hint::Same),
    (
        "deployment",
        &["history", "-d", NAME],
        Json::Yes,
        Hint::Same,
    ),
    // Stages.
    ("stage", &["resolve", "-s", NAME], Json::Yes, Hint::Same),
    ("stage", &["show", "campus", NAME], Json::Yes, Hint::Same),
    (
        "stage",
        &["upgrade", "campus", "--stage", NAME, "--to", "master", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "stage",
        &["promote", "campus", "--stage", NAME, "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "stage",
        &[
            "promote",
            "campus",
            "--stage",
            "Production",
            "--from",
            NAME,
            "-n",
        ],
        Json::Yes,
        Hint::Same,
    ),
    (
        "stage",
        &["export", "tutor", "campus", NAME],
        Json::Yes,
        Hint::Same,
    ),
    (
        "stage",
        &["export", "env", "campus", NAME],
        Json::No,
        Hint::Same,
    ),
    (
        "stage",
        &["export", "github-actions", "-s", NAME],
        Json::No,
        Hint::Same,
    ),
    (
        "stage",
        &["query", "release", "campus", NAME],
        Json::Yes,
        Hint::Same,
    ),
    ("stage", &["lock", "-s", NAME], Json::Yes, Hint::Same),
    ("stage", &["logs", "campus", NAME], Json::Yes, Hint::Same),
    (
        "stage",
        &["runbook", "verawood", "-s", NAME],
        Json::Yes,
        Hint::Same,
    ),
    // Releases.
    ("release", &["resolve", "-r", NAME], Json::Yes, Hint::Same),
    (
        "release",
        &["upgrade", "campus", "--stage", "CI", "--to", NAME, "-n"],
        Json::Yes,
        Hint::ThenAdd,
    ),
    (
        "release",
        &[
            "upgrade",
            "campus",
            "--stage",
            "CI",
            "--from-release",
            NAME,
            "--to",
            "master",
            "-n",
        ],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["set", "campus", NAME, "learning", "--branch", "x", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["include", "campus", NAME, "learning", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["exclude", "campus", NAME, "learning", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["release", "retire", NAME, "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["export", "github-actions", "-r", NAME],
        Json::No,
        Hint::Same,
    ),
    (
        "release",
        &["query", "deployments", "-r", NAME],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["query", "stages", "campus", "-r", NAME],
        Json::Yes,
        Hint::Same,
    ),
    (
        "release",
        &["query", "version", "-d", "campus", "-r", NAME],
        Json::Yes,
        Hint::Same,
    ),
    ("release", &["runbook", NAME], Json::Yes, Hint::Same),
    // Applications.
    (
        "application",
        &["resolve", "-a", NAME],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["set", "campus", "master", NAME, "--branch", "x", "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["include", "campus", "master", NAME, "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["exclude", "campus", "master", NAME, "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["app", "remove", NAME, "-n"],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["export", "github-actions", "-a", NAME],
        Json::No,
        Hint::Same,
    ),
    (
        "application",
        &["query", "deployments", "-r", "master", "-a", NAME],
        Json::Yes,
        Hint::Same,
    ),
    (
        "application",
        &["query", "version", NAME, "-d", "campus", "-r", "master"],
        Json::Yes,
        Hint::Same,
    ),
];

/// The API's routes taking a name: (kind, path with the name at [`NAME`]).
const ROUTES: &[(&str, &str)] = &[
    ("deployment", "/api/v1/resolved?deployment={}"),
    ("deployment", "/api/v1/deployments/{}"),
    ("deployment", "/api/v1/history?deployment={}"),
    ("stage", "/api/v1/resolved?stage={}"),
    ("release", "/api/v1/resolved?release={}"),
    ("release", "/api/v1/releases/{}"),
    ("application", "/api/v1/resolved?application={}"),
];

/// The dashboard's pages taking a name: (kind, path with the name at [`NAME`]).
const PAGES: &[(&str, &str)] = &[
    ("deployment", "/d/{}/CI"),
    ("stage", "/d/campus/{}"),
    ("release", "/r/{}"),
];

/// The text a person reads on a page: the HTML without its tags.
fn page_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The expected errors, written by hand from the example's names: (kind, name, suggestions).
/// A near miss and a far miss (no suggestion) of each kind.
const CASES: &[(&str, &str, &[&str])] = &[
    ("deployment", "campuss", &["campus"]),
    ("deployment", "zzyzx", &[]),
    ("stage", "prodution", &["Production"]),
    ("stage", "zzyzx", &[]),
    ("release", "verawod", &["verawood"]),
    ("release", "zzyzx", &[]),
    ("application", "learnin", &["learning"]),
    ("application", "zzyzx", &[]),
];

/// The one JSON form of an unknown name (docs/cli.md, docs/server.md).
fn expected(kind: &str, name: &str, suggestions: &[&str]) -> Value {
    let mut error = json!({
        "error": format!("unknown {kind} `{name}`"),
        "code": "unknown-name",
        "kind": kind,
        "name": name,
        "suggestions": suggestions,
    });
    if let [one] = suggestions {
        error["hint"] = json!(format!("did you mean `{one}`?"));
    }
    error
}

/// The example, committed (for `history` and `/api/v1/history`).
fn committed_example() -> Env {
    let env = Env::with_example_matrix(ACME);
    let dir = env.dir.path().to_owned();
    git(&env, &dir, &["init", "-q", "-b", "main"]);
    git(&env, &dir, &["add", "."]);
    git(&env, &dir, &["commit", "-q", "-m", "the example"]);
    env
}

#[test]
fn an_unknown_name_is_one_error_from_every_command_and_the_api() {
    let env = committed_example();
    let (_server, addr) = start(
        env.command(&["serve", "--addr", "127.0.0.1:0", "--quiet"])
            .stderr(Stdio::null()),
    );
    let mut tried = 0;
    for &(kind, name, suggestions) in CASES {
        let want = expected(kind, name, suggestions);
        for &(route_kind, route) in ROUTES {
            if route_kind != kind {
                continue;
            }
            let path = route.replace(NAME, name);
            let response = http_get(&addr, &path);
            assert!(response.starts_with("HTTP/1.1 404"), "{path}: {response}");
            let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
            let got: Value = serde_json::from_str(body).unwrap();
            assert_eq!(got, want, "{path}");
            tried += 1;
        }
        for &(page_kind, page) in PAGES {
            if page_kind != kind {
                continue;
            }
            let path = page.replace(NAME, name);
            let response = http_get(&addr, &path);
            assert!(response.starts_with("HTTP/1.1 404"), "{path}: {response}");
            let text = page_text(response.split("\r\n\r\n").nth(1).unwrap_or_default());
            assert!(
                text.contains(want["error"].as_str().unwrap()),
                "{path}: {text}"
            );
            match want["hint"].as_str() {
                Some(hint) => assert!(text.contains(hint), "{path}: {text}"),
                None => assert!(!text.contains("did you mean"), "{path}: {text}"),
            }
            tried += 1;
        }
        let mut text = format!("error: {}\n", want["error"].as_str().unwrap());
        if let Some(hint) = want["hint"].as_str() {
            text.push_str(&format!("hint: {hint}\n"));
        }
        for &(row_kind, args, json, hint) in COMMANDS {
            if row_kind != kind {
                continue;
            }
            let args: Vec<&str> = args
                .iter()
                .map(|a| if *a == NAME { name } else { a })
                .collect();
            let run = env.run_refused(&args, 2);
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
            match hint {
                Hint::Same => assert_eq!(run.stderr, text, "{args:?}"),
                Hint::ThenAdd => {
                    assert!(run.stderr.starts_with(&text), "{args:?}: {}", run.stderr);
                    assert!(run.stderr.contains("add it first"), "{}", run.stderr);
                }
            }
            tried += 1;
            if json == Json::No {
                continue;
            }
            let mut with_json = args.clone();
            with_json.extend(["--format", "json"]);
            let run = env.run_refused(&with_json, 2);
            assert!(run.stdout.is_empty(), "{with_json:?}: {}", run.stdout);
            let line = run.stderr.strip_suffix('\n').unwrap_or_default();
            assert!(
                !line.contains('\n'),
                "{with_json:?}: one line: {}",
                run.stderr
            );
            let mut got: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{with_json:?}: {e}: {}", run.stderr));
            if hint == Hint::ThenAdd {
                let added = got["hint"].as_str().unwrap_or_default().to_owned();
                assert!(added.contains("add it first"), "{added}");
                match want.get("hint") {
                    Some(h) => got["hint"] = h.clone(),
                    None => drop(got.as_object_mut().unwrap().remove("hint")),
                }
            }
            assert_eq!(got, want, "{with_json:?}");
            tried += 1;
        }
    }
    // 8 cases: 2 x (18 + 12 + 12 + 8) commands as text, most as JSON too, and 2 x 7 routes.
    assert!(tried >= 2 * 50 + 14, "tried only {tried}");
}

/// The kinds of matrix names a command's `--help` shows it takes (`<DEPLOYMENT>`,
/// `--stage <STAGE>`, `--to <RELEASE>`, `[APPLICATION]`).
fn kinds_taken(help: &str) -> BTreeSet<&'static str> {
    let own = help.split("\nGlobal Options:\n").next().unwrap_or(help);
    [
        ("DEPLOYMENT", "deployment"),
        ("STAGE", "stage"),
        ("RELEASE", "release"),
        ("APPLICATION", "application"),
    ]
    .into_iter()
    .filter(|(value, _)| own.contains(&format!("<{value}>")) || own.contains(&format!("[{value}]")))
    .map(|(_, kind)| kind)
    .collect()
}

/// The commands with subcommands.
const GROUPS: [&str; 6] = ["query", "export", "release", "app", "pipeline", "import"];

/// Every command whose help shows a deployment, stage, release or application argument has a
/// row of that kind in [`COMMANDS`]: a new command taking a name cannot be left out.
#[test]
fn the_table_covers_every_command_taking_a_name() {
    let env = Env::new();
    let covered: BTreeSet<(String, &str)> = COMMANDS
        .iter()
        .map(|(kind, args, _, _)| {
            // The command's path: its name, and the subcommand of those that have them.
            let depth = if GROUPS.contains(&args[0]) { 2 } else { 1 };
            (args[..depth].join(" "), *kind)
        })
        .collect();
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut missing = Vec::new();
    let mut found = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.run(&args).ok().to_owned();
        let subs = subcommands(&help);
        if subs.is_empty() {
            for kind in kinds_taken(&help) {
                found += 1;
                let command = path.join(" ");
                if !covered.contains(&(command.clone(), kind)) {
                    missing.push(format!("{command}: {kind}"));
                }
            }
        }
        for sub in subs {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
    }
    assert!(
        missing.is_empty(),
        "commands taking a name not in COMMANDS: {missing:?}"
    );
    assert!(found >= 40, "found only {found} (command, kind) pairs");
}
