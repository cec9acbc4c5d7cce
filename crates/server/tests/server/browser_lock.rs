//! A locked stage's page in Chromium: the commit column's text (the hash, its age, "branch
//! head: not checked", the stale mark) is painted with a contrast of at least 4.5:1 on what is
//! behind it, and the page logs no console error nor policy violation; so are the branch-head
//! notes push webhooks turn it into.

use crate::browser::{browser, console, problems, save};
use crate::lock::{MATRIX, lock, options};
use crate::support::start;
use serde_json::json;
use std::time::Duration;

/// For every element matching the selector: its text, and the WCAG contrast ratio of its
/// colour on the first opaque background among it and its ancestors.
const CONTRAST: &str = r#"
const rgb = (c) => c.match(/[\d.]+/g).map(Number);
const lum = ([r, g, b]) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = (e) => {
  for (; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c;
  }
  return [255, 255, 255];
};
return [...document.querySelectorAll(arguments[0])].map((e) => {
  const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
  return [e.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
});
"#;

/// Runs [`CONTRAST`] on `selector` in the page shown, asserts every match is painted at 4.5:1
/// or more, and returns the matches' texts.
async fn legible(client: &fantoccini::Client, selector: &str) -> Vec<String> {
    let measured = client
        .execute(CONTRAST, vec![json!(selector)])
        .await
        .unwrap();
    let measured = measured.as_array().unwrap();
    for m in measured {
        let ratio = m[1].as_f64().unwrap();
        assert!(ratio >= 4.5, "{selector}: {m}: contrast {ratio:.2}");
    }
    (measured.iter())
        .map(|m| m[0].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts the browser's console has logged no error nor policy violation on `page`.
async fn assert_clean_console(client: &fantoccini::Client, page: &str) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = console(client).await;
    assert_eq!(
        problems(&log),
        Vec::<&String>::new(),
        "the browser's console on {page}"
    );
}

/// The lock fixture's matrix and lock in a new directory; returns it and the matrix's path.
fn locked_matrix() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    std::fs::write(dir.path().join("edx-matrix.lock"), lock()).unwrap();
    (dir, file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_commits_are_legible_and_the_page_is_clean() {
    let Some(browser) = browser("locked_commits_are_legible_and_the_page_is_clean").await else {
        return;
    };
    let client = browser.client.clone();
    let (_dir, file) = locked_matrix();
    let server = start(options(file)).await;
    client.goto(&server.url("/d/campus/CI")).await.unwrap();
    let texts = legible(&client, "td.commit code, td.commit .note, td.commit.stale").await;
    assert_eq!(
        texts,
        [
            "0123456789ab",
            "locked 4 days ago",
            "branch head: not checked",
            "stale lock: re-lock this stage"
        ]
    );
    assert_clean_console(&client, "/d/campus/CI").await;
    save(&client, "stage-locked.png").await;
    // The grid's mark of that stage, on its release colour.
    client.goto(&server.url("/")).await.unwrap();
    assert_eq!(legible(&client, "table.grid .lock").await, ["stale lock"]);
    assert_clean_console(&client, "/").await;
    client.close().await.unwrap();
}

/// After push webhooks report the branch head, the notes that replace "branch head: not
/// checked" are as legible: "matches branch head", then "behind branch head (head …)".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branch_head_notes_are_legible() {
    let Some(browser) = browser("branch_head_notes_are_legible").await else {
        return;
    };
    let client = browser.client.clone();
    let (_dir, file) = locked_matrix();
    let mut options = options(file);
    let secret = "It's a Secret to Everybody";
    options.webhook_secret = Some(secret.to_owned());
    let server = start(options).await;
    for (after, expected) in [
        (
            "0123456789abcdef0123456789abcdef01234567",
            "matches branch head (seen at 2026-12-05T10:00:00Z)",
        ),
        (
            "89abcdef0123456789abcdef0123456789abcdef",
            "behind branch head (head 89abcdef0123, seen at 2026-12-05T10:00:00Z)",
        ),
    ] {
        let body = json!({
            "ref": "refs/heads/acme/ulmo",
            "after": after,
            "forced": false,
            "repository": {"clone_url": "https://github.com/openedx/cs_comments_service.git"},
        })
        .to_string();
        let signature = edx_matrix_server::sign(secret.as_bytes(), body.as_bytes());
        let reply = server
            .send(
                hyper::Method::POST,
                "/api/v1/hooks/push",
                &[
                    ("x-github-event", "push"),
                    ("x-hub-signature-256", signature.as_str()),
                ],
                body,
            )
            .await;
        assert_eq!(reply.json()["recorded"], true, "{}", reply.text());
        client.goto(&server.url("/d/campus/CI")).await.unwrap();
        let texts = legible(&client, "td.commit .note").await;
        assert_eq!(texts, ["locked 4 days ago", expected]);
        assert_clean_console(&client, "/d/campus/CI").await;
    }
    save(&client, "stage-branch-head.png").await;
    client.close().await.unwrap();
}
