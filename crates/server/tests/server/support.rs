//! Starts servers on 127.0.0.1:0 and talks to them over real HTTP/1.1.

use axum::body::Bytes;
use edx_matrix_server::{MatrixSource, Options, Server};
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinHandle;

/// The repository's `tests/fixtures` directory.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The text of the acme example.
pub(crate) fn acme() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/edx-matrix.toml"),
    )
    .unwrap()
}

/// A server running in the test's runtime; stopped when dropped.
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A response, body collected.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Starts a server with `options`.
pub(crate) async fn start(options: Options) -> TestServer {
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), options)
        .await
        .unwrap();
    let addr = server.local_addr();
    let task = tokio::spawn(server.run());
    TestServer {
        addr,
        task,
        client: Client::builder(TokioExecutor::new()).build_http(),
    }
}

/// Starts a server on the built-in example.
pub(crate) async fn start_example() -> TestServer {
    start(Options::new(MatrixSource::Example)).await
}

impl TestServer {
    /// The URL of `path`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends a request.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .client
            .request(request.body(Full::new(body.into())).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.unwrap().to_bytes(),
        }
    }

    /// Sends a GET.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], Bytes::new()).await
    }

    /// Writes `request` verbatim on a new connection and returns everything the server sends
    /// back before closing (for requests a client library would normalise or refuse).
    pub(crate) async fn raw(&self, request: &[u8]) -> String {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        // The server may answer and close before reading everything we send.
        let _ = stream.write_all(request).await;
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Polls `path` until `done` holds for its reply, for at most `limit`; returns the reply
    /// and how long it took.
    pub(crate) async fn wait_for(
        &self,
        path: &str,
        limit: Duration,
        done: impl Fn(&Reply) -> bool,
    ) -> (Reply, Duration) {
        let start = Instant::now();
        loop {
            let reply = self.get(path).await;
            if done(&reply) || start.elapsed() > limit {
                return (reply, start.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Validates `value` against the schema the OpenAPI document gives for `path`, `method` and
/// `status`; panics with every error otherwise.
#[track_caller]
pub(crate) fn assert_matches_openapi(
    path: &str,
    method: &str,
    status: u16,
    value: &serde_json::Value,
) {
    let doc: serde_json::Value = serde_json::from_str(edx_matrix_server::OPENAPI).unwrap();
    let operation = &doc["paths"][path][method];
    assert!(
        operation.is_object(),
        "the OpenAPI document has no {method} {path}"
    );
    let schema =
        &operation["responses"][status.to_string()]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "the OpenAPI document has no JSON response {status} for {method} {path}"
    );
    let mut root = schema.clone();
    root.as_object_mut()
        .unwrap()
        .insert("components".to_owned(), doc["components"].clone());
    let validator = jsonschema::draft202012::new(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} -> {status} does not match the OpenAPI document:\n{}\nbody: {value:#}",
        errors.join("\n")
    );
}

/// Replaces `path` the way editors, `git checkout` and `lock` do: write aside, then rename, so
/// that the server's poll never reads a half-written file.
pub(crate) fn replace(path: &Path, text: &str) {
    let aside = path.with_extension("tmp");
    std::fs::write(&aside, text).unwrap();
    std::fs::rename(&aside, path).unwrap();
}

/// Runs `git` in `dir` with no user or system configuration (`dir` as `HOME`), committer and
/// author dated `date`; panics unless it succeeds. Returns its standard output, trimmed.
#[track_caller]
pub(crate) fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    edx_matrix_test_support::Git::new(dir).run_at(dir, date, args)
}

/// Writes `text` to `edx-matrix.toml` in the working tree `dir` and commits it with `subject`
/// at `date`; returns the commit's full hash.
#[track_caller]
pub(crate) fn commit_matrix(dir: &Path, text: &str, date: &str, subject: &str) -> String {
    std::fs::write(dir.join("edx-matrix.toml"), text).unwrap();
    git(dir, date, &["add", "edx-matrix.toml"]);
    git(dir, date, &["commit", "-q", "-m", subject]);
    git(dir, date, &["rev-parse", "HEAD"])
}

/// A git working tree in a temporary directory with the acme example committed once
/// (`add the acme matrix`, 2024-01-02); the matrix file is `edx-matrix.toml` at its top.
pub(crate) fn acme_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), "2024-01-02T10:00:00+00:00", &["init", "-q"]);
    commit_matrix(
        dir.path(),
        &acme(),
        "2024-01-02T10:00:00+00:00",
        "add the acme matrix",
    );
    dir
}

/// A pipeline template of the tests' own: one pipeline, `smoke-tests`, in the team `qa-team`.
pub(crate) const SMOKE_TESTS: &str = r#"load("@edx-matrix//lib.star", "pipeline")

def pipelines(matrix, standard):
    task = {"platform": "linux", "image_resource": {"type": "registry-image", "source": {"repository": "busybox"}}, "run": {"path": "true"}}
    return [pipeline("smoke-tests", {"jobs": [{"name": "smoke", "plan": [{"task": "run", "config": task}]}]}, "qa-team")]
"#;

/// A git working tree in a temporary directory with the built-in example's matrix (its
/// `[pipelines]` naming `templates = ["pipelines/*.star"]`) and its templates committed once;
/// returns it, the matrix file's path and the commit.
pub(crate) fn example_repo_with_templates() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    let date = "2024-01-02T10:00:00+00:00";
    git(top, date, &["init", "-q"]);
    std::fs::create_dir(top.join("pipelines")).unwrap();
    for (path, text) in edx_matrix_formats::example::TEMPLATES {
        std::fs::write(top.join(path), text).unwrap();
    }
    git(top, date, &["add", "pipelines"]);
    let text = edx_matrix_formats::example::TEXT;
    assert!(text.contains("templates   = [\"pipelines/*.star\"]"));
    let commit = commit_matrix(top, text, date, "the example with its templates");
    let file = top.join("edx-matrix.toml");
    (dir, file, commit)
}
