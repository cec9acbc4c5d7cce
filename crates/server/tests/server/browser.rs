//! The dashboard in a real browser: Debian's Chromium, headless, driven through chromedriver.
//! Loads the example's grid, clicks a cell, checks the components shown, and saves
//! screenshots under `target/test-screenshots/`.

use crate::support::start_example;
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

async fn save(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let path = screenshot_dir().join(name);
    std::fs::write(&path, png).unwrap();
    println!("screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_cell_shows_the_stage_components() {
    let Some(chromedriver) = require(
        "dashboard_cell_shows_the_stage_components",
        "chromedriver",
        "apt-get install -y chromium chromium-driver (.ci/run installs them)",
    ) else {
        return;
    };
    let server = start_example().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = tokio::process::Command::new(&chromedriver)
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
    caps.insert("goog:chromeOptions".to_owned(), chrome);
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session through chromedriver");

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
