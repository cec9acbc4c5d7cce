//! `edx-matrix serve`: starts, prints its URL, answers over HTTP; the default address is
//! loopback.

use crate::harness::Env;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

/// Kills the server when the test ends, however it ends.
pub(crate) struct Child(pub(crate) std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` (a `serve` with `--addr 127.0.0.1:0`), reads the address from the first
/// line it prints (`serving … at http://ADDR/`) and returns the server, killed when dropped.
/// Standard error is left as the caller set it.
pub(crate) fn start(command: &mut std::process::Command) -> (Child, String) {
    let mut child = Child(command.stdout(Stdio::piped()).spawn().unwrap());
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit_once("http://")
        .and_then(|(_, rest)| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    (child, addr)
}

pub(crate) fn http_get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_prints_its_url_and_answers() {
    let env = Env::new();
    let mut child = Child(
        env.command(&["--example", "serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("serving `<example: acme>` at ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    let addr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let health = http_get(addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200 OK"), "{health}");
    assert!(health.contains(r#""status":"ok""#), "{health}");
    let rows = http_get(
        addr,
        "/api/v1/resolved?deployment=pro&stage=Production&application=communications",
    );
    assert!(rows.contains(r#""runtime_version":"22""#), "{rows}");
}

#[test]
fn serve_listens_on_loopback_by_default() {
    let run = Env::new().run(&["serve", "--help"]);
    assert!(
        run.ok().contains("[default: 127.0.0.1:8080]"),
        "{}",
        run.stdout
    );
}

#[test]
fn serve_without_a_matrix_is_a_usage_error() {
    let run = Env::new().run(&["serve", "--addr", "127.0.0.1:0"]);
    run.code(2);
    assert!(
        run.stderr.contains("no `edx-matrix.toml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_on_a_busy_address_says_why_once() {
    let env = Env::new();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let run = env.run(&["--example", "serve", "--addr", &addr]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("cannot listen on"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    // The cause is printed once, after the address: no `…: {cause}: {cause}`.
    let (head, cause) = line.split_once(&format!("`{addr}`: ")).unwrap();
    assert!(head.ends_with("cannot listen on "), "{line}");
    assert!(!cause.is_empty() && !cause.contains(": "), "{line}");
}

/// Runs `serve` on the example with `extra` arguments, sends `paths`, stops the server and
/// returns what it wrote to standard error.
fn serve_stderr(extra: &[&str], paths: &[&str]) -> String {
    let env = Env::new();
    let mut args = vec!["--example", "serve", "--addr", "127.0.0.1:0"];
    args.extend(extra);
    let (mut child, addr) = crate::serve::start(env.command(&args).stderr(Stdio::piped()));
    for path in paths {
        http_get(&addr, path);
    }
    let mut stderr = child.0.stderr.take().unwrap();
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let mut out = String::new();
    stderr.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_logs_one_line_per_request_unless_quiet() {
    let log = serve_stderr(
        &[],
        &["/d/pro/QA", "/no/such/page", "/api/v1/releases/teak"],
    );
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    for (line, method_path_status) in lines.iter().zip([
        "GET /d/pro/QA 200 ",
        "GET /no/such/page 404 ",
        "GET /api/v1/releases/teak 200 ",
    ]) {
        let took = line
            .strip_prefix(method_path_status)
            .unwrap_or_else(|| panic!("{line:?} is not {method_path_status:?}…"));
        let ms: f64 = took.strip_suffix("ms").unwrap().parse().unwrap();
        assert!((0.0..10_000.0).contains(&ms), "{line}");
    }
    let quiet = serve_stderr(&["--quiet"], &["/d/pro/QA", "/no/such/page"]);
    assert_eq!(quiet, "", "--quiet logs nothing");
}

/// `EDX_MATRIX_NOW` fixes the "now" a locked commit's age is counted to on the stage page.
#[test]
fn serve_counts_a_locked_commits_age_to_edx_matrix_now() {
    let env = Env::with_example_matrix(edx_matrix_formats::example::TEXT);
    crate::tutor_lock::lock_campus_ci(&env);
    let (_server, addr) = crate::serve::start(
        env.command(&["serve", "--addr", "127.0.0.1:0"])
            .env("EDX_MATRIX_NOW", "2026-12-03T11:00:00Z")
            .stderr(Stdio::null()),
    );
    // Locked at 2026-12-01T10:00:00Z: two days and an hour before.
    let page = http_get(&addr, "/d/campus/CI");
    assert!(page.contains("locked 2 days ago"), "{page}");
}
