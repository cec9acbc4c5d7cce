//! A smart-HTTP git server on 127.0.0.1 for tests: a small HTTP/1.1 server running the real
//! `git http-backend` (CGI) for each request, and answering `301 Moved Permanently` for the
//! repositories given as renamed, the way GitHub answers for a renamed repository.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crate::git::{Git, TestResult};

/// The server; it stops accepting on drop.
#[derive(Debug)]
pub struct HttpGit {
    port: u16,
    stop: Arc<AtomicBool>,
}

/// What one request handler needs.
struct Backend {
    git: Git,
    program: PathBuf,
    root: PathBuf,
    renamed: Vec<(String, String)>,
}

impl HttpGit {
    /// Serves every repository under `root` at `http://127.0.0.1:PORT/NAME`; a request under
    /// `/OLD/` of a `(OLD, NEW)` in `renamed` answers a 301 to the same path under `/NEW/`.
    pub fn start(git: &Git, root: &Path, renamed: &[(&str, &str)]) -> TestResult<Self> {
        let exec = git.try_run(root, None, &["--exec-path"])?;
        let backend = Arc::new(Backend {
            git: git.clone(),
            program: PathBuf::from(exec).join("git-http-backend"),
            root: root.to_owned(),
            renamed: renamed
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        });
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let backend = Arc::clone(&backend);
                thread::spawn(move || {
                    let _ = backend.handle(stream);
                });
            }
        });
        Ok(Self { port, stop })
    }

    /// The URL of repository `name`.
    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    /// The base URL every repository is under.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for HttpGit {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

impl Backend {
    fn handle(&self, stream: TcpStream) -> TestResult {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut stream = stream;
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
        for (old, new) in &self.renamed {
            if let Some(rest) = path.strip_prefix(&format!("/{old}/")) {
                let location = if query.is_empty() {
                    format!("/{new}/{rest}")
                } else {
                    format!("/{new}/{rest}?{query}")
                };
                write!(
                    stream,
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )?;
                return Ok(());
            }
        }
        if headers
            .get("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        let body = read_body(&mut reader, &headers)?;
        let mut cmd = self.git.program(&self.program, &self.root);
        cmd.env("GIT_PROJECT_ROOT", &self.root)
            .env("GIT_HTTP_EXPORT_ALL", "1")
            .env("REQUEST_METHOD", &method)
            .env("PATH_INFO", path)
            .env("QUERY_STRING", query)
            .env("CONTENT_LENGTH", body.len().to_string())
            .env("REMOTE_ADDR", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (header, variable) in [
            ("content-type", "CONTENT_TYPE"),
            ("content-encoding", "HTTP_CONTENT_ENCODING"),
            ("git-protocol", "GIT_PROTOCOL"),
        ] {
            if let Some(value) = headers.get(header) {
                cmd.env(variable, value);
            }
        }
        let mut child = cmd.spawn()?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let writer = thread::spawn(move || stdin.write_all(&body));
        let mut output = Vec::new();
        child
            .stdout
            .take()
            .ok_or("no stdout")?
            .read_to_end(&mut output)?;
        child.wait()?;
        let _ = writer.join();
        let (head, content) = split_cgi(&output);
        let mut status = "200 OK".to_owned();
        let mut response_headers = String::new();
        for line in head.lines() {
            match line.split_once(':') {
                Some((name, value)) if name.eq_ignore_ascii_case("status") => {
                    status = value.trim().to_owned();
                }
                Some(_) => {
                    response_headers.push_str(line.trim_end());
                    response_headers.push_str("\r\n");
                }
                None => {}
            }
        }
        write!(
            stream,
            "HTTP/1.1 {status}\r\n{response_headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            content.len()
        )?;
        stream.write_all(content)?;
        Ok(())
    }
}

/// The request body: `Content-Length` bytes, or the chunks of a chunked body.
fn read_body(
    reader: &mut BufReader<TcpStream>,
    headers: &HashMap<String, String>,
) -> TestResult<Vec<u8>> {
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size =
                usize::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = headers.get("content-length") {
        body = vec![0; length.parse()?];
        reader.read_exact(&mut body)?;
    }
    Ok(body)
}

/// Splits CGI output into its header text and its body.
fn split_cgi(output: &[u8]) -> (String, &[u8]) {
    for separator in [&b"\r\n\r\n"[..], &b"\n\n"[..]] {
        if let Some(at) = output.windows(separator.len()).position(|w| w == separator) {
            return (
                String::from_utf8_lossy(&output[..at]).into_owned(),
                &output[at + separator.len()..],
            );
        }
    }
    (String::new(), output)
}
