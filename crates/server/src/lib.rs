//! `edx-matrix serve`: a dashboard of the release matrix and a read-only JSON API over it.
//!
//! The server loads the matrix once, precomputes what the API returns, and swaps in a new
//! `Snapshot` whenever the file or one of its pipeline templates changes. A version with
//! errors (in the matrix or a template) is not served: the last good matrix stays up and the
//! page and `/api/v1/diagnostics` show what is wrong.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use edx_matrix_server::{MatrixSource, Options, Server};
//!
//! let server = Server::bind("127.0.0.1:0".parse()?, Options::new(MatrixSource::Example)).await?;
//! let url = format!("http://{}/", server.local_addr());
//! assert!(url.starts_with("http://127.0.0.1:"));
//! let snapshot = server.state().snapshot();
//! assert!(snapshot.good.is_some());
//! // `server.run().await` would now serve requests until the process ends.
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod assets;
mod branch_heads;
mod diff;
mod history;
mod http;
mod lock_api;
mod pages;
mod push_hook;
mod query;
mod request_log;
mod revisions;
mod snapshot;
mod source;
mod state;
mod views;
mod watch;
mod webhook;

pub use edx_matrix_project::MatrixSource;
pub use state::ReloadReport;
pub(crate) use state::{AppState, ReloadHook};

pub use api::OPENAPI;
pub use query::PARAMETERS;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::net::TcpListener;
pub use webhook::sign;

/// The environment variable holding the GitHub webhook secret.
pub const WEBHOOK_SECRET_ENV: &str = "EDX_MATRIX_WEBHOOK_SECRET";

/// How often the matrix file and its templates are checked for changes by default.
pub(crate) const DEFAULT_POLL: Duration = Duration::from_millis(250);

/// How to run a server.
#[derive(Clone)]
pub struct Options {
    /// The matrix to serve.
    pub source: MatrixSource,
    /// How often to check the file for changes; `None` reloads only through the webhook.
    pub poll: Option<Duration>,
    /// The GitHub webhook secret; `None` (or empty) disables the webhook (it answers 404).
    pub webhook_secret: Option<String>,
    /// Told about every reload that changed something.
    pub on_reload: Option<ReloadHook>,
    /// No request log; otherwise one line per request goes to standard error (method, path,
    /// status, duration).
    pub quiet: bool,
    /// The server's "now", which the age of a locked commit is counted to (`system_clock`
    /// unless a test or `EDX_MATRIX_NOW` fixes it).
    pub clock: Clock,
    /// Count the commits of each locked commit range `/diff` shows (a fetch of each origin
    /// into the cache: `serve --count-commits`); `None` (the default) never fetches.
    pub count_commits: Option<edx_matrix_project::git::CountSettings>,
}

/// What tells the server the time.
pub(crate) type Clock = Arc<dyn Fn() -> std::time::SystemTime + Send + Sync>;

/// The system's clock.
pub(crate) fn system_clock() -> Clock {
    Arc::new(std::time::SystemTime::now)
}

/// A clock stopped at `at`.
pub fn fixed_clock(at: std::time::SystemTime) -> Clock {
    Arc::new(move || at)
}

impl Options {
    /// Returns options serving `source`, polling every `DEFAULT_POLL`, without a webhook.
    pub fn new(source: MatrixSource) -> Self {
        Options {
            source,
            poll: Some(DEFAULT_POLL),
            webhook_secret: None,
            on_reload: None,
            quiet: false,
            clock: system_clock(),
            count_commits: None,
        }
    }
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The matrix could not be read at all.
    #[error("{0}")]
    Read(String),
    /// The address could not be bound.
    #[error("cannot listen on `{addr}`")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A bound server, ready to [`run`](Server::run).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    state: Arc<AppState>,
    poll: Option<Duration>,
    quiet: bool,
}

impl Server {
    /// Loads the matrix and binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, options: Options) -> Result<Server, ServeError> {
        // The first load runs the templates too: off the async workers, like every reload.
        let (source, secret, on_reload, clock) = (
            options.source,
            options.webhook_secret,
            options.on_reload,
            options.clock,
        );
        let state = tokio::task::spawn_blocking(move || {
            AppState::load(source, secret.as_deref(), on_reload, clock)
        })
        .await
        .map_err(|e| ServeError::Read(format!("cannot load the matrix: {e}")))?
        .map_err(ServeError::Read)?;
        let mut state = state;
        state.count_commits = options.count_commits;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Server {
            listener,
            local_addr,
            state: Arc::new(state),
            poll: options.poll,
            quiet: options.quiet,
        })
    }

    /// Returns the address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Returns the shared state (to reload or inspect it).
    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    /// Serves requests, and watches the file for changes, until the task is dropped.
    pub async fn run(self) {
        if let (Some(interval), MatrixSource::File(_)) = (self.poll, self.state.source()) {
            tokio::spawn(poll(Arc::downgrade(&self.state), interval));
        }
        let mut app = http::router(self.state);
        if !self.quiet {
            // Outermost: the log sees the status every other layer (timeouts included) gave.
            app = app.layer(axum::middleware::from_fn(request_log::log));
        }
        http::serve_connections(self.listener, app).await;
    }
}

/// Reloads the file when it changes, until the server is gone.
async fn poll(state: Weak<AppState>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(state) = state.upgrade() else { return };
        state.reload(false).await;
    }
}

#[cfg(test)]
mod serve_error_tests {
    use super::ServeError;
    use edx_matrix_model::error_chain;

    #[test]
    fn a_bind_error_names_its_cause_once() {
        let err = ServeError::Bind {
            addr: "127.0.0.1:80".parse().unwrap_or_else(|_| unreachable!()),
            source: std::io::Error::other("permission denied"),
        };
        assert_eq!(
            error_chain(&err),
            "cannot listen on `127.0.0.1:80`: permission denied"
        );
    }
}
