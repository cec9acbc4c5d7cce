//! Shell completion driven through the real shells, each with the script
//! `edx-matrix completions SHELL` prints: bash (the installed completion function called with
//! `COMP_WORDS`/`COMP_CWORD`, `COMPREPLY` read back), zsh (an interactive zsh in a `zpty`,
//! TAB pressed, the matches zsh's own `compadd` keeps) and fish (`complete -C`). Each completes
//! an option after a subcommand, an enumerated `--format` value and deployment names read from
//! the matrix file of the directory (names no built-in list has).

use crate::harness::Env;
use edx_matrix_test_support::require;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A matrix whose names exist nowhere else.
const MATRIX: &str = r#"stages = ["CI", "QA", "Production"]

[releases]
verawood = { branch = "release/verawood", python = "3.12", node = "24" }
master   = { branch = "master",           python = "3.12", node = "24" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }

[deployments]
north-campus   = { CI = "master", QA = "verawood", Production = "verawood" }
nursing-school = { CI = "master", QA = "verawood", Production = "verawood" }
online         = { CI = "master", QA = "master",   Production = "verawood" }

[[map]]
releases    = ["master", "verawood"]
deployments = ["north-campus", "nursing-school", "online"]
[map.apps]
edx-platform = {}
"#;

/// Another matrix, for `--file` and `EDX_MATRIX_FILE`.
const OTHER: &str = r#"stages = ["Dev", "Live"]

[releases]
ulmo = { branch = "release/ulmo" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }

[deployments]
nexus = { Dev = "ulmo", Live = "ulmo" }

[[map]]
releases    = ["ulmo"]
deployments = ["nexus"]
[map.apps]
edx-platform = {}
"#;

fn env_with_script(shell: &str) -> Env {
    let env = Env::with_matrix(MATRIX);
    env.write("other.toml", OTHER);
    env.run(&["check"]).code(0);
    env.run(&["--file", "other.toml", "check"]).code(0);
    let script = env.run(&["completions", shell]);
    env.write(&format!("completion.{shell}"), script.ok());
    env
}

/// Runs `program args` in `env`'s directory (sealed like the binary's runs), with `extra`
/// variables, failing after 30 s; returns stdout.
fn run_shell(env: &Env, program: &str, args: &[&str], extra: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(env.dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TERM", "dumb")
        .envs(extra.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("`{program}` did not finish within 30 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Bash: sources the script, finds the function `complete -p edx-matrix` installed, calls it
/// as readline would for `line` (the cursor at its end) and returns `COMPREPLY`.
fn bash(env: &Env, line: &str, extra: &[(&str, &str)]) -> Vec<String> {
    const DRIVER: &str = r#"
source ./completion.bash
spec=$(complete -p edx-matrix) || exit 1
function=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
read -r -a COMP_WORDS <<<"$LINE"
# A line ending in a space is completing a new, empty word.
[[ $LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$LINE
COMP_POINT=${#LINE}
COMP_TYPE=9
COMP_KEY=9
"$function" edx-matrix "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let mut vars = vec![("LINE", line)];
    vars.extend_from_slice(extra);
    let out = run_shell(env, "bash", &["--norc", "--noprofile", "-c", DRIVER], &vars);
    out.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Zsh: an interactive `zsh -f` in a pseudo-terminal (`zpty`), with `compinit` and the script
/// loaded, receives `line` and a TAB; zsh's completion system runs the script's function and
/// the `compadd` calls it makes are recorded (their matches, after zsh's own matching).
fn zsh(env: &Env, line: &str) -> Vec<String> {
    const INNER: &str = r#"
PROMPT='' RPROMPT=''
autoload -U compinit && compinit -u -D
source ./completion.zsh
zstyle ':completion:*' list-grouped false
bindkey '^I' complete-word
compadd() {
  # Calls that only query (-O, -A, -D) are zsh's internals, not matches added.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a hits
  builtin compadd -A hits "$@"
  local hit
  for hit in $hits; do print -r -- "<hit>$hit</hit>"; done
  builtin compadd "$@"
}
w21_done() { print -r -- '<done>'; exit }
comppostfuncs=(w21_done)
"#;
    const OUTER: &str = r#"
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "source ./inner.zsh"
zpty -w -n z "$LINE"$'\t'
local out
while zpty -r z out; do
  print -rn -- "$out"
  [[ $out == *'<done>'* ]] && break
done
"#;
    env.write("inner.zsh", INNER);
    let out = run_shell(env, "zsh", &["-f", "-c", OUTER], &[("LINE", line)]);
    let mut hits = Vec::new();
    for part in out.split("<hit>").skip(1) {
        if let Some((hit, _)) = part.split_once("</hit>") {
            hits.push(hit.to_owned());
        }
    }
    hits
}

/// Fish: `complete -C LINE` after sourcing the script; the candidates, without descriptions.
fn fish(env: &Env, line: &str) -> Vec<String> {
    let out = run_shell(
        env,
        "fish",
        &[
            "--no-config",
            "-c",
            "source ./completion.fish; complete -C $argv[1]",
            line,
        ],
        &[],
    );
    out.lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The candidates that are not options (an empty word is offered both a positional's values
/// and the options).
fn values(candidates: Vec<String>) -> Vec<String> {
    candidates
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect()
}

fn assert_has(candidates: &[String], wanted: &str, what: &str) {
    assert!(
        candidates.iter().any(|c| c == wanted),
        "{what}: `{wanted}` not among {candidates:?}"
    );
}

#[test]
fn bash_completes_options_values_and_matrix_names() {
    if require("bash_completes", "bash", "apt-get install -y bash").is_none() {
        return;
    }
    let env = env_with_script("bash");
    let options = bash(&env, "edx-matrix upgrade --s", &[]);
    assert_has(&options, "--stage", "upgrade --s");
    assert!(options.iter().all(|o| o.starts_with("--s")), "{options:?}");
    assert_eq!(
        bash(&env, "edx-matrix check --format ", &[]),
        ["human", "json"]
    );
    // The old names of `human` are accepted, never offered.
    assert_eq!(
        bash(&env, "edx-matrix show --format ", &[]),
        ["human", "json"]
    );
    assert_eq!(
        bash(&env, "edx-matrix explain unknown-", &[]),
        ["unknown-key", "unknown-application", "unknown-lint"]
    );
    // Old option spellings are not offered among the options.
    let options = bash(&env, "edx-matrix promote x --", &[]);
    assert_has(&options, "--stage", "promote --");
    assert!(!options.iter().any(|o| o == "--to"), "{options:?}");
    assert_eq!(
        bash(&env, "edx-matrix upgrade n", &[]),
        ["north-campus", "nursing-school"]
    );
    // Stages in promotion order, releases and applications of the file.
    assert_eq!(
        bash(&env, "edx-matrix upgrade online --stage ", &[]),
        ["CI", "QA", "Production"]
    );
    assert_eq!(
        bash(&env, "edx-matrix upgrade online --stage QA --to ", &[]),
        ["verawood", "master"]
    );
    assert_eq!(bash(&env, "edx-matrix resolve -a ", &[]), ["edx-platform"]);
    // The second of a comma-separated list.
    assert_eq!(
        bash(&env, "edx-matrix upgrade online,nu", &[]),
        ["online,nursing-school"]
    );
    // Subcommands, and the export subcommands after `export`.
    assert_has(&bash(&env, "edx-matrix ex", &[]), "expand", "ex");
    assert_has(&bash(&env, "edx-matrix export ", &[]), "tutor", "export");
    // The file the command would read: --file, -f, EDX_MATRIX_FILE, --example.
    assert_eq!(
        values(bash(&env, "edx-matrix --file other.toml show ", &[])),
        ["nexus"]
    );
    assert_eq!(
        values(bash(&env, "edx-matrix logs -f other.toml nexus ", &[])),
        ["Dev", "Live"]
    );
    assert_eq!(
        values(bash(&env, "edx-matrix show --file=other.toml n", &[])),
        ["nexus"]
    );
    assert_eq!(
        values(bash(
            &env,
            "edx-matrix show ",
            &[("EDX_MATRIX_FILE", "other.toml")]
        )),
        ["nexus"]
    );
    // No matrix to read: no names, and no error on the terminal.
    std::fs::remove_file(env.path("edx-matrix.toml")).unwrap();
    assert_eq!(
        values(bash(&env, "edx-matrix show ", &[])),
        Vec::<String>::new()
    );
    assert_has(
        &bash(&env, "edx-matrix --example show ", &[]),
        "campus",
        "--example",
    );
    // Pipeline names, template-made ones included (`edx-matrix --example pipeline list`).
    let pipelines = values(bash(&env, "edx-matrix --example pipeline render ", &[]));
    for name in ["edx-platform", "pro-ulmo-mfe-pipeline", "codejail"] {
        assert_has(&pipelines, name, "pipeline render");
    }
}

#[test]
fn zsh_completes_options_values_and_matrix_names() {
    if require(
        "zsh_completes",
        "zsh",
        "apt-get install -y zsh (.ci/run installs it)",
    )
    .is_none()
    {
        return;
    }
    let env = env_with_script("zsh");
    assert_has(
        &zsh(&env, "edx-matrix upgrade --s"),
        "--stage",
        "upgrade --s",
    );
    assert_eq!(zsh(&env, "edx-matrix check --format "), ["human", "json"]);
    assert_eq!(
        zsh(&env, "edx-matrix upgrade n"),
        ["north-campus", "nursing-school"]
    );
}

#[test]
fn fish_completes_options_values_and_matrix_names() {
    if require(
        "fish_completes",
        "fish",
        "apt-get install -y fish (.ci/run installs it)",
    )
    .is_none()
    {
        return;
    }
    let env = env_with_script("fish");
    assert_has(
        &fish(&env, "edx-matrix upgrade --s"),
        "--stage",
        "upgrade --s",
    );
    assert_eq!(fish(&env, "edx-matrix check --format "), ["human", "json"]);
    assert_eq!(
        fish(&env, "edx-matrix upgrade n"),
        ["north-campus", "nursing-school"]
    );
}

#[test]
fn completions_of_an_unknown_shell_are_a_usage_error() {
    Env::new().run(&["completions", "tcsh"]).code(2);
}
