//! The dashboard in a real browser: Debian's Chromium, headless, driven through chromedriver.
//! Loads the example's grid, clicks a cell, checks the components shown; opens every page and
//! reads the browser's console (chromedriver's log endpoint) for errors and Content Security
//! Policy violations; checks the colours Chromium actually paints the timeline's bands; saves
//! screenshots under `target/test-screenshots/`, and the charts of docs/server.md into
//! `$EDX_MATRIX_SCREENSHOTS` when it is set (`EDX_MATRIX_SCREENSHOTS=docs`, relative to the
//! workspace root).

use crate::support::{acme, acme_repo, start, start_example};
use edx_matrix_server::{MatrixSource, Options};
use edx_matrix_test_support::{find_program, require};
use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) async fn save(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
}

/// Chromedriver's log endpoint (`POST /session/ID/se/log`, type `browser`): the console
/// entries since the last read, CSP violations among them (Chromium logs each as `SEVERE`).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The console entries logged since the last call, as `LEVEL message` lines.
pub(crate) async fn console(client: &fantoccini::Client) -> Vec<String> {
    let entries = client.issue_cmd(BrowserLog).await.unwrap();
    (entries.as_array().unwrap().iter())
        .map(|e| format!("{} {}", e["level"].as_str().unwrap(), e["message"]))
        .collect()
}

/// The entries of `console` that are errors or policy violations (anything above INFO, or a
/// message naming the Content Security Policy whatever its level).
pub(crate) fn problems(console: &[String]) -> Vec<&String> {
    (console.iter())
        .filter(|line| {
            !(line.starts_with("INFO ") || line.starts_with("DEBUG "))
                || line.contains("Content Security Policy")
        })
        .collect()
}

/// Where the documentation's screenshots go: `$EDX_MATRIX_SCREENSHOTS` (a relative path from
/// the workspace root), when set.
fn docs_screenshot_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EDX_MATRIX_SCREENSHOTS").filter(|d| !d.is_empty())?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Some(root.join(dir))
}

/// A Chromium session through chromedriver, with what must live as long as it.
pub(crate) struct Browser {
    pub(crate) client: fantoccini::Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

/// Starts chromedriver and a headless Chromium; `None` (after one skip line) without
/// chromedriver, unless under `CI=true`.
pub(crate) async fn browser(test: &str) -> Option<Browser> {
    let chromedriver = require(
        test,
        "chromedriver",
        "apt-get install -y chromium chromium-driver (.ci/run installs them)",
    )?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = tokio::process::Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", chromedriver.display()));
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let args = vec![
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--window-size=1280,900".to_owned(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let mut chrome = json!({ "args": args });
    if let Some(binary) = find_program("chromium") {
        chrome["binary"] = json!(binary);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".to_owned(), json!("chrome"));
    // Keep the console, so a test can read errors and CSP violations.
    caps.insert("goog:loggingPrefs".to_owned(), json!({ "browser": "ALL" }));
    caps.insert("goog:chromeOptions".to_owned(), chrome);
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session through chromedriver");
    Some(Browser {
        client,
        _driver: driver,
        _profile: profile,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_cell_shows_the_stage_components() {
    let Some(browser) = browser("dashboard_cell_shows_the_stage_components").await else {
        return;
    };
    let client = browser.client.clone();
    let server = start_example().await;

    client.goto(&server.url("/")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "Release matrix · edx-matrix");
    let caption = client
        .find(Locator::Css("table.grid caption"))
        .await
        .unwrap();
    assert_eq!(
        caption.text().await.unwrap(),
        "Release of each stage, by deployment"
    );
    let headers: Vec<String> = texts(&client, "table.grid thead th").await;
    assert_eq!(headers, ["Deployment", "CI", "QA", "Production"]);
    let deployments = texts(&client, "table.grid tbody th").await;
    assert_eq!(deployments, ["campus", "campus-staging", "online", "pro"]);
    save(&client, "dashboard.png").await;

    let cell = client
        .find(Locator::Css("a[href='/d/pro/QA']"))
        .await
        .unwrap();
    assert_eq!(cell.text().await.unwrap().lines().next(), Some("ulmo"));
    cell.click().await.unwrap();
    let started = Instant::now();
    while !client
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/d/pro/QA")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the click did not navigate"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let heading = client.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(heading.text().await.unwrap(), "pro · QA");
    let applications = texts(&client, "#components tbody th").await;
    assert_eq!(
        applications,
        [
            "authoring",
            "communications",
            "edx-platform",
            "edxapp_theme",
            "learner-dashboard",
            "learning",
            "notes-api (defaults of master)",
        ]
    );
    let platform = texts(
        &client,
        "#components tr[data-application='edx-platform'] td",
    )
    .await;
    assert_eq!(
        platform,
        [
            "IDA",
            "github.com/acme-edu/edx-platform override",
            "pro/ulmo override",
            "3.11",
            "—"
        ]
    );
    let learning = texts(&client, "#components tr[data-application='learning'] td").await;
    assert_eq!(
        learning,
        [
            "MFE",
            "github.com/openedx/frontend-app-learning",
            "release/ulmo",
            "24",
            "/learn"
        ]
    );
    let origin = client
        .find(Locator::Css(
            "#components tr[data-application='learning'] td a",
        ))
        .await
        .unwrap();
    assert_eq!(
        origin.attr("href").await.unwrap().as_deref(),
        Some("https://github.com/openedx/frontend-app-learning")
    );
    save(&client, "stage-pro-QA.png").await;

    // A phone: the grid scrolls sideways inside its region rather than overflowing the page.
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&server.url("/")).await.unwrap();
    let overflow: serde_json::Value = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        json!(0),
        "the page itself must not scroll sideways on a phone"
    );
    save(&client, "dashboard-phone.png").await;
    client.close().await.unwrap();
}

async fn texts(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap().trim().to_owned());
    }
    out
}

/// The example's history timeline: the lanes and bands its story has (12 lanes; campus and
/// campus-staging 5 + 4 + 2 bands each, online 1 + 1 + 1, pro 3 + 3 + 2), a band's title naming
/// its release and commit, and a click on the band opening that commit's diff.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_timeline_links_bands_to_their_diff() {
    let Some(browser) = browser("history_timeline_links_bands_to_their_diff").await else {
        return;
    };
    let client = browser.client.clone();
    let server = start_example().await;
    client.set_window_size(1280, 1500).await.unwrap();
    client.goto(&server.url("/history")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "History · edx-matrix");
    let lanes = client
        .find_all(Locator::Css("svg#timeline g.lane"))
        .await
        .unwrap();
    assert_eq!(lanes.len(), 12);
    let mut names = Vec::new();
    for lane in &lanes {
        let d = lane.attr("data-deployment").await.unwrap().unwrap();
        let s = lane.attr("data-stage").await.unwrap().unwrap();
        names.push(format!("{d}/{s}"));
    }
    assert_eq!(
        names[..3],
        ["campus/CI", "campus/QA", "campus/Production"],
        "promotion order"
    );
    let bands = client
        .find_all(Locator::Css("svg#timeline g.band"))
        .await
        .unwrap();
    assert_eq!(bands.len(), 33);
    let lead_bars = client
        .find_all(Locator::Css("svg#lead-times g.lead"))
        .await
        .unwrap();
    assert_eq!(lead_bars.len(), 8);
    // Every band is visible: at least the minimum width, on screen.
    let narrowest: serde_json::Value = client
        .execute(
            "return Math.min(...[...document.querySelectorAll('svg#timeline g.band rect')]
                .map(r => r.getBoundingClientRect().width));",
            vec![],
        )
        .await
        .unwrap();
    assert!(narrowest.as_f64().unwrap() >= 4.0, "{narrowest}");
    save(&client, "history.png").await;

    // The revert's predecessor: campus QA ran verawood from the 8th revision (June 30th) to the
    // revert two days later.
    let revisions = edx_matrix_project::git::history::example::revisions();
    let (before, promoted) = (&revisions[6].commit, &revisions[7].commit);
    assert_eq!(promoted.subject, "campus: promote verawood to QA");
    let css = format!(
        "svg#timeline g.lane[data-deployment='campus'][data-stage='QA'] g.band[data-commit='{}']",
        promoted.hash
    );
    let band = client.find(Locator::Css(&css)).await.unwrap();
    let title: serde_json::Value = client
        .execute(
            "return arguments[0].querySelector('title').textContent;",
            vec![serde_json::to_value(&band).unwrap()],
        )
        .await
        .unwrap();
    let title = title.as_str().unwrap();
    assert!(
        title.starts_with("verawood: campus · QA\n2025-06-30 – 2025-07-02"),
        "{title}"
    );
    assert!(
        title.contains(&format!(
            "commit {}: campus: promote verawood to QA",
            promoted.short_hash
        )),
        "{title}"
    );
    band.click().await.unwrap();
    let started = Instant::now();
    while client.current_url().await.unwrap().path() != "/diff" {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the click did not navigate"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = client.current_url().await.unwrap();
    assert_eq!(
        url.query(),
        Some(format!("base={}&head={}", before.hash, promoted.hash).as_str())
    );
    let heading = client.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(heading.text().await.unwrap(), "Changes between revisions");
    let stages = texts(&client, "#diff-stages tbody tr").await;
    assert_eq!(
        stages,
        [
            "campus CI verawood → master",
            "campus QA ulmo → verawood",
            "campus-staging CI verawood → master",
            "campus-staging QA ulmo → verawood",
        ]
    );
    save(&client, "history-band-diff.png").await;
    client.close().await.unwrap();
}

/// Every page of the example, opened in Chromium: nothing in the console above INFO, in
/// particular no Content Security Policy violation (the page's own `style-src 'self'` once
/// blocked the timeline's inline `<style>`), and the served style sheet applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_loads_without_console_errors_or_policy_violations() {
    let test = "every_page_loads_without_console_errors_or_policy_violations";
    let Some(browser) = browser(test).await else {
        return;
    };
    let client = browser.client.clone();
    let server = start_example().await;
    let revisions = edx_matrix_project::git::history::example::revisions();
    let (base, head) = (&revisions[6].commit.hash, &revisions[7].commit.hash);
    let pages = [
        "/".to_owned(),
        "/d/pro/QA".to_owned(),
        "/r/ulmo".to_owned(),
        "/history".to_owned(),
        "/history?deployment=pro&since=2025-05-01".to_owned(),
        // Plain `/diff` compares with git's HEAD: the example has no repository (a 404).
        format!("/diff?base={base}&head={head}"),
    ];
    // Chromium asks for /favicon.ico on its own; read (and judge) what that logs too.
    for page in &pages {
        client.goto(&server.url(page)).await.unwrap();
        let status: serde_json::Value = client
            .execute("return document.readyState;", vec![])
            .await
            .unwrap();
        assert_eq!(status, json!("complete"), "{page}");
        // The served style sheet is applied: the page font is not the browser's default serif.
        let font: serde_json::Value = client
            .execute("return getComputedStyle(document.body).fontFamily;", vec![])
            .await
            .unwrap();
        assert!(
            font.as_str().unwrap().contains("sans-serif"),
            "{page}: {font}"
        );
        // Give late errors (images, scripts run after load) a moment to reach the log.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let console = console(&client).await;
        assert_eq!(
            problems(&console),
            Vec::<&String>::new(),
            "{page}: the browser's console"
        );
    }
    client.close().await.unwrap();
}

/// The pages over a file in a real git repository with an uncommitted change (the example has
/// no repository, so its plain `/diff` is a 404): `/diff` of the working tree, `/history` of
/// the file, and the grid, each without a console error or policy violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_over_a_git_repository_load_without_console_errors() {
    let Some(browser) = browser("pages_over_a_git_repository_load_without_console_errors").await
    else {
        return;
    };
    let client = browser.client.clone();
    let repo = acme_repo();
    let file = repo.path().join("edx-matrix.toml");
    let changed = edx_matrix_test_support::pin_pro(&acme(), ["verawood", "teak", "teak"]);
    std::fs::write(&file, changed).unwrap();
    let server = start(Options::new(MatrixSource::File(file))).await;
    for page in ["/diff", "/history", "/"] {
        client.goto(&server.url(page)).await.unwrap();
        let heading = client.find(Locator::Css("h1")).await.unwrap();
        let heading = heading.text().await.unwrap();
        assert!(!heading.contains("Not found"), "{page}: {heading}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let console = console(&client).await;
        assert_eq!(
            problems(&console),
            Vec::<&String>::new(),
            "{page}: the browser's console"
        );
    }
    // The working-tree change is what /diff shows.
    client.goto(&server.url("/diff")).await.unwrap();
    let stages = texts(&client, "#diff-stages tbody tr").await;
    assert!(
        stages.iter().any(|s| s == "pro QA ulmo → teak"),
        "{stages:?}"
    );
    // The grid marks that stage, visibly (painted, not transparent), with its tooltip.
    client.goto(&server.url("/")).await.unwrap();
    let mark = client
        .find(Locator::Css("a[href='/d/pro/QA'] .uncommitted"))
        .await
        .expect("pro QA is marked");
    assert!(mark.is_displayed().await.unwrap());
    let title = mark.attr("title").await.unwrap().unwrap_or_default();
    assert!(title.starts_with("not committed: ulmo at HEAD"), "{title}");
    let painted: serde_json::Value = client
        .execute(
            "const m = document.querySelector(\"a[href='/d/pro/QA'] .uncommitted\"); \
             const r = m.getBoundingClientRect(); \
             return [r.width > 0 && r.height > 0, getComputedStyle(m).color];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(painted[0], json!(true), "{painted}");
    assert_ne!(painted[1], json!("rgba(0, 0, 0, 0)"), "{painted}");
    assert_eq!(texts(&client, ".grid .uncommitted").await.len(), 1);
    save(&client, "dashboard-uncommitted.png").await;
    client.close().await.unwrap();
}

/// `/history` as Chromium paints it: the computed fill of a band of each release is that
/// release's palette colour (the grid's `.rel-N`), not black; the charts are saved for the
/// documentation when `EDX_MATRIX_SCREENSHOTS` is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_bands_are_painted_in_their_release_colours() {
    let Some(browser) = browser("history_bands_are_painted_in_their_release_colours").await else {
        return;
    };
    let client = browser.client.clone();
    let server = start_example().await;
    // The example's `[releases]` order gives the slots (teak, ulmo, verawood, master), and
    // sumac, which only older revisions define, comes after them; style.css's .rel-0 ….rel-4.
    let palette = [
        ("teak", "rgb(207, 230, 255)"),
        ("ulmo", "rgb(211, 242, 198)"),
        ("verawood", "rgb(255, 225, 176)"),
        ("master", "rgb(234, 216, 255)"),
        ("sumac", "rgb(255, 213, 213)"),
    ];
    // The grid paints the same releases in the same colours.
    client.goto(&server.url("/")).await.unwrap();
    for (release, colour) in &palette[..4] {
        let script = format!(
            "const cell = [...document.querySelectorAll('table.grid td.rel')]
                .find(td => td.querySelector('.release').textContent === '{release}');
             return cell ? getComputedStyle(cell).backgroundColor : null;"
        );
        let painted: serde_json::Value = client.execute(&script, vec![]).await.unwrap();
        assert_eq!(painted, json!(colour), "the grid's cell of {release}");
    }
    client.set_window_size(1280, 1500).await.unwrap();
    client.goto(&server.url("/history")).await.unwrap();
    for (release, colour) in palette {
        let css = format!("svg#timeline g.band[data-release='{release}'] rect");
        let rects = client.find_all(Locator::Css(&css)).await.unwrap();
        assert!(!rects.is_empty(), "a band of {release}");
        for rect in rects {
            let fill: serde_json::Value = client
                .execute(
                    "return getComputedStyle(arguments[0]).fill;",
                    vec![serde_json::to_value(&rect).unwrap()],
                )
                .await
                .unwrap();
            assert_eq!(fill, json!(colour), "the computed fill of a {release} band");
        }
    }
    // The legend and the lead-time bars too.
    let black: serde_json::Value = client
        .execute(
            "return [...document.querySelectorAll('svg rect')]
                .filter(r => getComputedStyle(r).fill === 'rgb(0, 0, 0)').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        black,
        json!(0),
        "no rectangle of the charts is painted black"
    );
    assert_eq!(problems(&console(&client).await), Vec::<&String>::new());
    let timeline = client.find(Locator::Css("svg#timeline")).await.unwrap();
    let lead_times = client.find(Locator::Css("svg#lead-times")).await.unwrap();
    for (element, name) in [
        (timeline, "history-timeline.png"),
        (lead_times, "history-lead-times.png"),
    ] {
        let png = element.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(screenshot_dir().join(name), &png).unwrap();
        if let Some(dir) = docs_screenshot_dir() {
            let path = dir.join(name);
            std::fs::write(&path, &png).unwrap();
            println!("documentation screenshot: {}", path.display());
        }
    }
    client.close().await.unwrap();
}

/// `/history` over a repository whose middle revision does not parse: Chromium paints each
/// lane's gap with the hatching pattern (the computed fill of the gap's rectangle is the
/// pattern, not a colour and not black), the gap's `<title>` gives the reason, and the page
/// has no console error or policy violation (the pattern is attributes, not CSS).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_gaps_are_painted_hatched_with_their_reason() {
    let Some(browser) = browser("history_gaps_are_painted_hatched_with_their_reason").await else {
        return;
    };
    let client = browser.client.clone();
    let repo = acme_repo();
    let dir = repo.path();
    crate::support::commit_matrix(
        dir,
        "stages = [\n",
        "2024-02-01T10:00:00+00:00",
        "a broken revision",
    );
    crate::support::commit_matrix(
        dir,
        &edx_matrix_test_support::pin_pro(&acme(), ["verawood", "teak", "teak"]),
        "2024-03-01T10:00:00+00:00",
        "fixed, and pro moves on",
    );
    let server = start(Options::new(MatrixSource::File(
        dir.join("edx-matrix.toml"),
    )))
    .await;
    client.set_window_size(1280, 1500).await.unwrap();
    client.goto(&server.url("/history")).await.unwrap();
    let painted: serde_json::Value = client
        .execute(
            "return [...document.querySelectorAll('svg#timeline g.gap')].map(g => ({
                fill: getComputedStyle(g.querySelector('rect')).fill,
                title: g.querySelector('title').textContent,
                pattern: document.getElementById('timeline-gap') instanceof SVGPatternElement,
             }));",
            vec![],
        )
        .await
        .unwrap();
    let gaps = painted.as_array().unwrap();
    let lanes: serde_json::Value = client
        .execute(
            "return document.querySelectorAll('svg#timeline g.lane').length;",
            vec![],
        )
        .await
        .unwrap();
    // Every lane of the acme matrix existed on both sides of the gap.
    assert_eq!(json!(gaps.len()), lanes, "{painted}");
    for gap in gaps {
        let fill = gap["fill"].as_str().unwrap();
        assert!(
            fill.starts_with("url(") && fill.contains("#timeline-gap"),
            "the computed fill of a gap: {fill}"
        );
        assert_eq!(gap["pattern"], json!(true));
        let title = gap["title"].as_str().unwrap();
        assert!(title.contains("2024-02-01 – 2024-03-01"), "{title}");
        assert!(title.contains("invalid TOML"), "{title}");
    }
    assert_eq!(problems(&console(&client).await), Vec::<&String>::new());
    let png = client
        .find(Locator::Css("svg#timeline"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    std::fs::write(screenshot_dir().join("history-gap.png"), &png).unwrap();
    client.close().await.unwrap();
}
