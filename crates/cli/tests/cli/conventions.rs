//! The conventions users bring from cargo, jj and kubectl (issue 27): one meaning per flag
//! name, one name for the format for people, one exit code per kind of failure, one wording
//! for an unknown name, the help layout, `-q`/`-v`, `-o` refusing a format name and `history`'s
//! author dates. `explain` has its own module.

use crate::git::sealed_git;
use crate::harness::Env;
use serde_json::Value;

const ACME: &str = include_str!("../../../../examples/acme/edx-matrix.toml");

/// The options every command takes, listed under `Global Options:`.
const GLOBAL: [&str; 5] = ["--file", "--example", "--color", "--quiet", "--verbose"];

/// The subcommand names of a `--help` text's `Commands:` section (`help` left out).
pub(crate) fn subcommands(help: &str) -> Vec<String> {
    let Some(start) = help.find("\nCommands:\n") else {
        return Vec::new();
    };
    help[start + "\nCommands:\n".len()..]
        .lines()
        .take_while(|line| !line.is_empty())
        // A name starts at column 2; wrapped descriptions are indented further.
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The option names a help section lists (`--file`, `--stage`), from lines that start with
/// an option.
fn options_in(section: &str) -> Vec<String> {
    section
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| {
            line.split([',', ' ', '<', '='])
                .find(|word| word.starts_with("--"))
        })
        .map(str::to_owned)
        .collect()
}

/// Asserts `--help`'s layout for the command `path`: its own options under `Options:`, the
/// global ones under `Global Options:`, the last heading.
fn assert_layout(path: &[String], help: &str) {
    let global = help
        .find("\nGlobal Options:\n")
        .unwrap_or_else(|| panic!("{path:?}: no `Global Options:` heading\n{help}"));
    let own = help
        .find("\nOptions:\n")
        .unwrap_or_else(|| panic!("{path:?}: no `Options:` heading\n{help}"));
    assert!(own < global, "{path:?}: global options come first\n{help}");
    let own_options = options_in(&help[own..global]);
    let global_section = &help[global + 1..];
    let global_options = options_in(global_section);
    for flag in GLOBAL {
        assert!(
            !own_options.iter().any(|o| o == flag),
            "{path:?}: {flag} among the command's own options\n{help}"
        );
        assert!(
            global_options.iter().any(|o| o == flag),
            "{path:?}: {flag} not under Global Options\n{help}"
        );
    }
    assert!(
        own_options.iter().any(|o| o == "--help"),
        "{path:?}: --help is the command's own\n{help}"
    );
    // Nothing after the global options but their own descriptions (and the root's epilogue).
    let headings: Vec<&str> = global_section
        .lines()
        .skip(1)
        .filter(|line| line.ends_with(':') && !line.starts_with(' '))
        .collect();
    assert!(
        headings.is_empty(),
        "{path:?}: headings after Global Options: {headings:?}"
    );
}

#[test]
fn every_help_lists_its_own_options_first_and_global_options_under_their_heading() {
    let env = Env::new();
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut walked = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = env.run(&args);
        let help = run.ok();
        assert_layout(&path, help);
        walked += 1;
        for sub in subcommands(help) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
    }
    // The root, 29 commands and the subcommands of query, release, app, pipeline, import,
    // export: a walk that found no subcommands would prove nothing.
    assert!(walked >= 40, "walked only {walked} help pages");
}

#[test]
fn promote_takes_stage_and_the_old_to_still_works_with_a_warning() {
    let env = Env::with_matrix(ACME);
    let new = env.run(&["promote", "pro", "--stage", "QA", "-n", "--format", "json"]);
    let new: Value = serde_json::from_str(new.ok()).unwrap();
    let old = env.run(&["promote", "pro", "--to", "QA", "-n", "--format", "json"]);
    assert!(
        old.stderr.contains(
            "warning: `promote --to` is deprecated and will be removed in the next release; \
             use `promote --stage`"
        ),
        "{}",
        old.stderr
    );
    let old: Value = serde_json::from_str(old.ok()).unwrap();
    assert_eq!(old["diff"], new["diff"]);
    assert!(new["diff"].as_str().unwrap().contains("QA"));
    // Hidden from help; `--quiet` silences the warning.
    let help = env.run(&["promote", "--help"]);
    assert!(!help.ok().contains("--to"), "{}", help.stdout);
    let quiet = env.run(&["promote", "pro", "--to", "QA", "-n", "-q"]);
    quiet.ok();
    assert!(!quiet.stderr.contains("warning"), "{}", quiet.stderr);
    // `--to` takes a release in `upgrade` and nowhere a stage.
    let upgrade = env.run(&["upgrade", "--help"]);
    assert!(
        upgrade.ok().contains("--to <RELEASE>"),
        "{}",
        upgrade.stdout
    );
}

#[test]
fn upgrade_takes_d_as_deployment_repeated_or_comma_separated() {
    let env = Env::with_matrix(ACME);
    let diff = |args: &[&str]| -> (String, String) {
        let mut all = vec!["upgrade", "--stage", "CI", "--to", "verawood", "-n"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let run = env.run(&all);
        let report: Value = serde_json::from_str(run.ok()).unwrap();
        (report["diff"].as_str().unwrap().to_owned(), run.stderr)
    };
    let (positional, _) = diff(&["campus,campus-staging"]);
    assert!(positional.contains("campus-staging"), "{positional}");
    let (repeated, stderr) = diff(&["-d", "campus", "--deployment", "campus-staging"]);
    assert_eq!(repeated, positional);
    assert!(!stderr.contains("deprecated"), "{stderr}");
    assert_eq!(diff(&["-d", "campus,campus-staging"]).0, positional);
    let (old, stderr) = diff(&["--deployments", "campus,campus-staging"]);
    assert_eq!(old, positional);
    assert!(
        stderr.contains("`upgrade --deployments` is deprecated")
            && stderr.contains("use `upgrade --deployment`"),
        "{stderr}"
    );
    let help = env.run(&["upgrade", "--help"]);
    assert!(help.ok().contains("-d, --deployment <DEPLOYMENT>"));
    assert!(!help.stdout.contains("--deployments"), "{}", help.stdout);
}

#[test]
fn the_format_for_people_is_human_everywhere_and_the_old_names_still_work() {
    let env = Env::new();
    for command in [
        &["check"][..],
        &["show"],
        &["show", "pro"],
        &["resolve", "-d", "campus", "-s", "QA"],
        &["query", "release", "campus", "QA"],
        &["diff"],
        &["history"],
        &["pipeline", "list"],
        &["runbook", "verawood"],
        &["logs", "campus", "QA"],
        &["promote", "pro", "--stage", "QA", "-n"],
    ] {
        let with = |extra: &[&str]| {
            let mut args = vec!["--example"];
            args.extend_from_slice(command);
            args.extend_from_slice(extra);
            env.run(&args)
        };
        let default = with(&[]);
        let human = with(&["--format", "human"]);
        assert_eq!(human.code, default.code, "{command:?}: {}", human.stderr);
        assert_eq!(human.stdout, default.stdout, "{command:?}");
        for old in ["table", "text"] {
            let run = with(&["--format", old]);
            assert_eq!(run.stdout, default.stdout, "{command:?} --format {old}");
            let warning = format!(
                "warning: `--format {old}` is deprecated and will be removed in the next \
                 release; use `--format human`"
            );
            assert!(run.stderr.contains(&warning), "{command:?}: {}", run.stderr);
        }
        let mut help_args = command[..1].to_vec();
        if command[0] == "query" || command[0] == "pipeline" {
            help_args.push(command[1]);
        }
        help_args.push("--help");
        let help = env.run(&help_args);
        let text = help.ok();
        assert!(text.contains("[default: human]"), "{command:?}: {text}");
        assert!(
            !text.contains("- table") && !text.contains("- text"),
            "{text}"
        );
    }
}

/// docs/cli.md's table: one exit code per kind of failure, the same in every command.
#[test]
fn one_exit_code_per_kind_of_failure() {
    let env = Env::with_matrix(ACME);
    env.write("broken.toml", "stages = [\"CI\"\n");
    for (kind, args, code) in [
        ("unknown release", &["resolve", "-r", "x"][..], 2),
        (
            "unknown release",
            &["upgrade", "pro", "--stage", "CI", "--to", "x"],
            2,
        ),
        ("unknown release", &["runbook", "x"], 2),
        ("unknown release", &["query", "deployments", "-r", "x"], 2),
        ("unknown deployment", &["show", "x"], 2),
        ("unknown deployment", &["promote", "x", "--stage", "QA"], 2),
        ("unknown deployment", &["logs", "x", "QA"], 2),
        ("unknown stage", &["resolve", "-s", "x"], 2),
        ("unknown command", &["x"], 2),
        ("unknown diagnostic code", &["explain", "x"], 2),
        ("malformed name", &["show", "a b"], 2),
        ("bad argument", &["resolve", "--format", "svg"], 2),
        ("matrix errors", &["-f", "broken.toml", "check"], 1),
        ("matrix errors", &["-f", "broken.toml", "resolve"], 1),
        ("refused edit", &["release", "retire", "verawood"], 1),
        ("unreadable file", &["-f", "missing.toml", "check"], 3),
        ("unreadable file", &["-f", "missing.toml", "show"], 3),
    ] {
        let run = env.run_refused(args, code);
        if kind.starts_with("unknown") {
            let want = format!("error: {kind} `x`");
            assert!(run.stderr.starts_with(&want), "{args:?}: {}", run.stderr);
        }
    }
}

/// The one wording of an unknown name, for every kind, with the closest names first.
#[test]
fn one_wording_for_an_unknown_name_with_suggestions_by_distance() {
    let env = Env::with_matrix(ACME);
    for (args, message, hint) in [
        (
            &["show", "campuss"][..],
            "unknown deployment `campuss`",
            "did you mean `campus`?",
        ),
        (
            &["resolve", "-d", "campuss"],
            "unknown deployment `campuss`",
            "did you mean `campus`?",
        ),
        (
            &["promote", "campuss", "--stage", "QA", "-n"],
            "unknown deployment `campuss`",
            "did you mean `campus`?",
        ),
        (
            &["resolve", "-s", "QAA"],
            "unknown stage `QAA`",
            "did you mean `QA`?",
        ),
        (
            &["upgrade", "pro", "--stage", "QAA", "--to", "master", "-n"],
            "unknown stage `QAA`",
            "did you mean `QA`?",
        ),
        (
            &["resolve", "-r", "verawod"],
            "unknown release `verawod`",
            "did you mean `verawood`?",
        ),
        (
            &["upgrade", "pro", "--stage", "CI", "--to", "verawod", "-n"],
            "unknown release `verawod`",
            "did you mean `verawood`?",
        ),
        (
            &["resolve", "-a", "learnin"],
            "unknown application `learnin`",
            "did you mean `learning`?",
        ),
        (
            &[
                "query", "version", "learnin", "-r", "master", "-d", "campus",
            ],
            "unknown application `learnin`",
            "did you mean `learning`?",
        ),
        (
            &["explain", "unknwn-key"],
            "unknown diagnostic code `unknwn-key`",
            "did you mean `unknown-key`?",
        ),
        (
            &["man", "chek"],
            "unknown command `chek`",
            "did you mean `check`?",
        ),
        // clap's own list put `schema` before `check`: ours is by distance.
        (&["chek"], "unknown command `chek`", "did you mean `check`?"),
        (
            &["pipeline", "rendr"],
            "unknown command `rendr`",
            "did you mean `render`?",
        ),
    ] {
        let run = env.run_refused(args, 2);
        assert!(
            run.stderr
                .starts_with(&format!("error: {message}\nhint: {hint}\n")),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn quiet_silences_warnings_never_errors_and_verbose_says_what_is_read() {
    let env = Env::with_matrix(ACME);
    let loud = env.run(&["check"]);
    assert!(loud.ok().is_empty());
    assert!(
        loud.stderr.contains("warning[unused-entry]"),
        "{}",
        loud.stderr
    );
    let quiet = env.run(&["check", "-q"]);
    quiet.ok();
    assert!(!quiet.stderr.contains("warning["), "{}", quiet.stderr);
    assert!(
        quiet.stderr.contains("0 errors, 3 warnings"),
        "{}",
        quiet.stderr
    );
    // Errors are always printed.
    let run = env.run_refused(&["-q", "resolve", "-r", "x"], 2);
    assert!(run.stderr.starts_with("error: unknown release `x`"));
    // An edit's diff is left out, its summary kept.
    let run = env.run(&["promote", "pro", "--stage", "QA", "-n", "--quiet"]);
    assert!(run.ok().starts_with("promoted `pro`"), "{}", run.stdout);
    assert!(!run.stdout.contains("--- a/"), "{}", run.stdout);

    let verbose = env.run(&["show", "-v"]);
    verbose.ok();
    assert!(
        verbose
            .stderr
            .starts_with("edx-matrix: read `[TMP]/edx-matrix.toml` (Toml) in "),
        "{}",
        verbose.stderr
    );
    assert!(
        verbose.stderr.contains(" ms: 3 diagnostics"),
        "{}",
        verbose.stderr
    );
    assert!(env.run(&["show"]).stderr.is_empty());
    env.run_refused(&["-q", "-v", "show"], 2);
}

#[test]
fn counts_are_singular_for_one() {
    let one = "stages = [\"CI\"]\n\n[releases]\nulmo = { branch = \"release/ulmo\", python = \"3.11\", \
               node = \"24\" }\n\n[applications]\nforum = { kind = \"ida\", repository = \
               \"https://github.com/openedx/forum\" }\n\n[deployments]\nsite = { CI = \"ulmo\" }\n\n\
               [[map]]\nreleases = [\"ulmo\"]\ndeployments = [\"site\"]\n[map.apps]\nforum = {}\n";
    let env = Env::with_matrix(one);
    let run = env.run(&["check"]);
    run.ok();
    assert!(
        run.stderr
            .ends_with("ok (1 release, 1 deployment, 1 application version)\n"),
        "{}",
        run.stderr
    );
    // One application of a stage.
    let run = Env::with_matrix(&crate::harness::fixture("valid/minimal.toml"))
        .run(&["show", "site", "CI"]);
    assert!(
        run.ok().contains("site CI runs ulmo (1 application)"),
        "{}",
        run.stdout
    );
}

/// `-o json` (kubectl's habit) is refused before anything is read or written, for every
/// command that writes with `-o`; `-o ./json` writes the file so named.
#[test]
fn o_refuses_a_format_name_before_writing_anything() {
    let env = Env::with_matrix(ACME);
    env.write("model.json", "{}");
    // The hint names `--format VALUE` only where the command has that format (by hand, from
    // each command's --help): `export github-actions` has no `--format`, `export tutor`'s
    // takes human and json.
    let one = "this command writes one format";
    for (args, instead) in [
        (&["export", "github-actions", "-o", "json"][..], one),
        (&["export", "model-json", "-o", "json"], one),
        (
            &["export", "--format", "model-json", "--output", "JSON"],
            "this command's `--format` takes model-json",
        ),
        (
            &["export", "tutor", "campus", "QA", "-o", "yaml"],
            "this command's `--format` takes human, json",
        ),
        (
            &["export", "tutor", "campus", "QA", "-o", "json"],
            "did you mean `--format json`?",
        ),
        (&["export", "python", "-o", "env"], one),
        (&["schema", "-o", "json"], one),
        (&["history", "-o", "svg"], "did you mean `--format svg`?"),
        (
            &["pipeline", "render", "--all", "-o", "yaml"],
            "did you mean `--format yaml`?",
        ),
        (&["import", "json", "model.json", "-o", "toml"], one),
        (&["man", "-o", "markdown"], one),
    ] {
        let before = std::fs::read_dir(env.dir.path()).unwrap().count();
        let run = env.run_refused(args, 2);
        let value = args.last().unwrap();
        let hint = format!(
            "`{value}` looks like a format name, not a file: {instead} \
             (to write a file named {value}, use `-o ./{value}`)"
        );
        assert!(run.stderr.contains(&hint), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert_eq!(
            std::fs::read_dir(env.dir.path()).unwrap().count(),
            before,
            "{args:?} wrote a file"
        );
    }
    env.run(&["export", "github-actions", "-o", "./json"]).ok();
    assert!(
        env.read("json").contains("\"include\""),
        "{}",
        env.read("json")
    );
}

/// `history` dates a change by its author date: a rebased or cherry-picked commit keeps the
/// day the change was made.
#[test]
fn history_uses_author_dates_and_says_so() {
    let env = Env::new();
    let dir = env.path("repo");
    std::fs::create_dir_all(&dir).unwrap();
    let git = sealed_git(&env);
    git.run(&dir, &["init", "-q"]);
    std::fs::write(
        dir.join("edx-matrix.toml"),
        crate::harness::fixture("valid/minimal.toml"),
    )
    .unwrap();
    git.run(&dir, &["add", "edx-matrix.toml"]);
    let status = git
        .command(&dir)
        .args(["commit", "-q", "-m", "start"])
        .env("GIT_AUTHOR_DATE", "2024-03-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-06-01T10:00:00Z")
        .status()
        .unwrap();
    assert!(status.success());
    let run = env.run(&["-f", "repo/edx-matrix.toml", "history", "--format", "json"]);
    let history: Value = serde_json::from_str(run.ok()).unwrap();
    let change = &history["timelines"][0]["changes"][0]["commit"];
    assert_eq!(change["date"], "2024-03-01T10:00:00Z", "{history}");
    let help = env.run(&["history", "--help"]);
    assert!(help.ok().contains("author date"), "{}", help.stdout);
}

/// The other clashes the audit found: `logs -a` (a Loki label, not an application of the
/// matrix), `app add --kind` (`--type` everywhere else), `jwt-keygen --output-file` (`-o`
/// everywhere else): the new names, and the old ones with a warning.
#[test]
fn renamed_options_of_logs_app_add_and_jwt_keygen() {
    let env = Env::with_matrix(ACME);
    let new = env.run(&["logs", "campus", "QA", "--app-label", "forum"]);
    let old = env.run(&["logs", "campus", "QA", "-a", "forum"]);
    assert!(new.ok().contains("application=\"forum\""), "{}", new.stdout);
    assert_eq!(old.ok(), new.stdout);
    assert!(
        old.stderr
            .contains("`logs --application` is deprecated and will be removed in the next release; use `logs --app-label`"),
        "{}",
        old.stderr
    );

    let add = |kind: &str| {
        env.run(&[
            "app",
            "add",
            "notes",
            kind,
            "ida",
            "--repository",
            "https://github.com/openedx/edx-notes-api",
            "-n",
            "--format",
            "json",
        ])
    };
    let new = add("-t");
    let old = add("--kind");
    let diff = |run: &crate::harness::Run| -> String {
        let report: Value = serde_json::from_str(run.ok()).unwrap();
        report["diff"].as_str().unwrap().to_owned()
    };
    assert!(diff(&new).contains("notes"), "{}", new.stdout);
    assert_eq!(diff(&old), diff(&new));
    assert!(
        old.stderr.contains("use `app add --type`"),
        "{}",
        old.stderr
    );
    assert!(!new.stderr.contains("deprecated"), "{}", new.stderr);

    let new = env.run(&["jwt-keygen", "-o", "new.yml"]);
    new.ok();
    assert!(env.read("new.yml").contains("JWT_AUTH"));
    let old = env.run(&["jwt-keygen", "--output-file", "old.yml"]);
    old.ok();
    assert!(env.read("old.yml").contains("JWT_AUTH"));
    assert!(
        old.stderr.contains("use `jwt-keygen --output`"),
        "{}",
        old.stderr
    );
    env.run_refused(&["jwt-keygen", "-o", "yaml"], 2);
}

/// The same unknown name, worded once, by every command that takes one and by the API: the
/// message, then the closest names first (issue 27's "one wording"). The API answered `no
/// deployment `x` in the matrix` with one suggestion before.
#[test]
fn every_command_and_the_api_word_an_unknown_name_alike() {
    let env = Env::with_example_matrix(ACME);
    let deployment = "error: unknown deployment `campuss`\nhint: did you mean `campus`?\n";
    let release = "error: unknown release `verawod`\nhint: did you mean `verawood`?\n";
    for (args, want) in [
        (&["resolve", "-d", "campuss"][..], deployment),
        (&["show", "campuss"], deployment),
        (
            &[
                "upgrade", "campuss", "--stage", "CI", "--to", "master", "-n",
            ],
            deployment,
        ),
        (&["promote", "campuss", "--stage", "QA", "-n"], deployment),
        (&["export", "tutor", "campuss", "CI"], deployment),
        (&["export", "env", "campuss", "CI"], deployment),
        (&["export", "github-actions", "-d", "campuss"], deployment),
        (&["query", "release", "campuss", "QA"], deployment),
        (&["lock", "-d", "campuss"], deployment),
        (&["logs", "campuss", "QA"], deployment),
        (
            &[
                "set", "campuss", "master", "learning", "--branch", "x", "-n",
            ],
            deployment,
        ),
        (&["resolve", "-r", "verawod"], release),
        (&["runbook", "verawod"], release),
        (&["query", "deployments", "-r", "verawod"], release),
        (
            &["upgrade", "pro", "--stage", "CI", "--to", "verawod", "-n"],
            release,
        ),
        (
            &["pipeline", "render", "authorin"],
            "error: unknown pipeline `authorin`\nhint: did you mean `authoring`?\n",
        ),
        // Several close names, closest first: `unknown-key` is 1 edit away, `unknown-lint` 4
        // (by hand: k→l, e→i, +n, +t).
        (
            &["explain", "unknown-ke"],
            "error: unknown diagnostic code `unknown-ke`\nhint: did you mean `unknown-key` or \
             `unknown-lint`?\n",
        ),
    ] {
        let run = env.run_refused(args, 2);
        assert!(run.stderr.starts_with(want), "{args:?}: {}", run.stderr);
    }
    // A release to retire is not one to add first.
    let run = env.run_refused(&["release", "retire", "verawod", "-n"], 2);
    assert_eq!(run.stderr, release, "{}", run.stderr);
    // A release an edit moves to is added first, with its facts read upstream.
    let run = env.run_refused(
        &["upgrade", "pro", "--stage", "CI", "--to", "willow", "-n"],
        2,
    );
    assert!(
        run.stderr.contains(
            "add it first with `edx-matrix release add willow --from-upstream` (its branch, \
             Python and Node read upstream; or give `--branch`, `--python` and `--node`)"
        ),
        "{}",
        run.stderr
    );

    // The API: the same message and hint, as JSON.
    let mut child = crate::serve::Child(
        env.command(&["serve", "--addr", "127.0.0.1:0", "--quiet"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.0.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .trim()
        .rsplit_once(" at http://")
        .and_then(|(_, rest)| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    for (query, error, hint) in [
        (
            "deployment=campuss",
            "unknown deployment `campuss`",
            "did you mean `campus`?",
        ),
        (
            "release=verawod",
            "unknown release `verawod`",
            "did you mean `verawood`?",
        ),
    ] {
        let response = crate::serve::http_get(&addr, &format!("/api/v1/resolved?{query}"));
        assert!(response.starts_with("HTTP/1.1 404"), "{response}");
        let body: Value =
            serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap_or_default()).unwrap();
        assert_eq!(body["error"], error, "{query}");
        assert_eq!(body["hint"], hint, "{query}");
    }
}
