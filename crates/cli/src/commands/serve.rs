//! `edx-matrix serve`: the dashboard and the read-only JSON API over the matrix.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_server::{MatrixSource, Options, ReloadReport, Server, WEBHOOK_SECRET_ENV};
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct ServeArgs {
    /// Listen on this address (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub addr: std::net::SocketAddr,
    /// Count the commits of each locked commit range `/diff` shows, fetching each origin into
    /// a cache (as `diff --count-commits`); without it the server never fetches
    #[arg(long)]
    pub count_commits: bool,
    /// The cache of fetched repositories for `--count-commits` [default:
    /// $XDG_CACHE_HOME/edx-matrix/repos]
    #[arg(long, value_name = "DIR", requires = "count_commits")]
    pub cache_dir: Option<std::path::PathBuf>,
}
use std::sync::Arc;

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &ServeArgs) -> CmdResult {
    let source = if global.example {
        MatrixSource::Example
    } else {
        MatrixSource::File(matrix_file::locate(global)?)
    };
    let mut options = Options::new(source);
    // `EDX_MATRIX_NOW` fixes the time a locked commit's age is counted to, as it fixes `lock`'s.
    if std::env::var_os("EDX_MATRIX_NOW").is_some() {
        let seconds = super::lock::now()?;
        let at = std::time::UNIX_EPOCH
            + std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0));
        options.clock = edx_matrix_server::fixed_clock(at);
    }
    options.webhook_secret = std::env::var(WEBHOOK_SECRET_ENV)
        .ok()
        .filter(|s| !s.is_empty());
    options.on_reload = Some(Arc::new(log_reload));
    // The global `-q/--quiet` also turns off the request log (one line per request otherwise).
    options.quiet = out.quiet;
    options.count_commits = args
        .count_commits
        .then(|| edx_matrix_project::git::CountSettings {
            cache: (args.cache_dir.clone())
                .unwrap_or_else(|| crate::commands::edit::from_upstream::cache_dir("repos")),
            jobs: 8,
            git: edx_matrix_project::git::GitCli::new()
                .with_timeout(std::time::Duration::from_secs(60)),
        });
    let webhook = options.webhook_secret.is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CommandError::io(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async {
        let server = Server::bind(args.addr, options).await.map_err(|e| match e {
            edx_matrix_server::ServeError::Read(message) => CommandError::io(message),
            bind @ edx_matrix_server::ServeError::Bind { .. } => {
                CommandError::io(crate::matrix_repo::error_chain(&bind))
            }
                .with_hint("pick another address with `--addr`, e.g. `--addr 127.0.0.1:8081`"),
        })?;
        let addr = server.local_addr();
        let snapshot = server.state().snapshot();
        let latest = &snapshot.latest;
        let summary = latest.summary();
        if let Ok(loaded) = &latest.outcome {
            if loaded.has_errors() {
                out.diagnostics(&loaded.diagnostics, &loaded.source)?;
                eprintln!(
                    "warning: `{}` has {} error{}: the page shows them until the file is fixed",
                    latest.source_name,
                    summary.errors,
                    if summary.errors == 1 { "" } else { "s" }
                );
            }
        }
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: listening on {addr}, beyond this machine; the dashboard has no authentication"
            );
        }
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "serving `{}` at http://{addr}/", latest.source_name)?;
        if webhook {
            writeln!(
                stdout,
                "GitHub webhook at http://{addr}/api/v1/hooks/github (secret from `{WEBHOOK_SECRET_ENV}`)"
            )?;
        }
        stdout.flush()?;
        drop(stdout);
        server.run().await;
        Ok::<_, CommandError>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn log_reload(report: &ReloadReport) {
    let status = match (&report.read_error, report.good) {
        (Some(error), _) => format!("{error}; still serving the last good version"),
        (None, true) => format!(
            "reloaded: {} warning{}",
            report.warnings,
            if report.warnings == 1 { "" } else { "s" }
        ),
        (None, false) => format!(
            "{} error{}; still serving the last good version (see the page or /api/v1/diagnostics)",
            report.errors,
            if report.errors == 1 { "" } else { "s" }
        ),
    };
    eprintln!(
        "`{}` (generation {}): {status}",
        report.source, report.generation
    );
}
