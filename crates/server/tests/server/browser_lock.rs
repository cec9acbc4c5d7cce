//! A locked stage's page in Chromium: the commit column's text (the hash, its age, "branch
//! head: not checked", the stale mark) is painted with a contrast of at least 4.5:1 on what is
//! behind it, and the page logs no console error nor policy violation.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_commits_are_legible_and_the_page_is_clean() {
    let Some(browser) = browser("locked_commits_are_legible_and_the_page_is_clean").await else {
        return;
    };
    let client = browser.client.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    std::fs::write(dir.path().join("edx-matrix.lock"), lock()).unwrap();
    let server = start(options(file)).await;
    client.goto(&server.url("/d/campus/CI")).await.unwrap();
    let measured = client
        .execute(
            CONTRAST,
            vec![json!("td.commit code, td.commit .note, td.commit.stale")],
        )
        .await
        .unwrap();
    let measured = measured.as_array().unwrap();
    let texts: Vec<&str> = measured.iter().map(|m| m[0].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "0123456789ab",
            "locked 4 days ago",
            "branch head: not checked",
            "stale lock: re-lock this stage"
        ]
    );
    for m in measured {
        let ratio = m[1].as_f64().unwrap();
        assert!(ratio >= 4.5, "{m}: contrast {ratio:.2}");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let on_stage = console(&client).await;
    assert_eq!(
        problems(&on_stage),
        Vec::<&String>::new(),
        "the browser's console"
    );
    save(&client, "stage-locked.png").await;
    // The grid's mark of that stage, on its release colour.
    client.goto(&server.url("/")).await.unwrap();
    let marks = client
        .execute(CONTRAST, vec![json!("table.grid .lock")])
        .await
        .unwrap();
    let marks = marks.as_array().unwrap();
    assert_eq!(marks.len(), 1, "{marks:?}");
    assert_eq!(marks[0][0], "stale lock");
    let ratio = marks[0][1].as_f64().unwrap();
    assert!(ratio >= 4.5, "the grid's mark: contrast {ratio:.2}");
    let on_grid = console(&client).await;
    assert_eq!(
        problems(&on_grid),
        Vec::<&String>::new(),
        "the browser's console on /"
    );
    client.close().await.unwrap();
}
