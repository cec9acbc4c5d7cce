//! The JSON API through real HTTP, every response checked against the OpenAPI document.

use crate::support::{acme, acme_repo, assert_matches_openapi, fixtures, start, start_example};
use axum::body::Bytes;
use edx_matrix_server::{MatrixSource, Options};
use edx_matrix_test_support::project_rows;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

/// The rows of `expected-resolved.json` that `keep` keeps, projected.
fn expected_rows(keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    let all: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("acme/expected-resolved.json")).unwrap(),
    )
    .unwrap();
    let kept: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| keep(r))
        .cloned()
        .collect();
    project_rows(&Value::Array(kept))
}

#[tokio::test]
async fn every_documented_get_answers_as_documented() {
    // A committed file, so that `/api/v1/history` has something to answer, with an uncommitted
    // stage change, so that `/api/v1/diff` does.
    let repo = acme_repo();
    let file = repo.path().join("edx-matrix.toml");
    let edited = edx_matrix_test_support::pin_pro(&acme(), ["ulmo", "ulmo", "teak"]);
    assert_ne!(edited, acme(), "the acme example changed");
    std::fs::write(&file, edited).unwrap();
    let server = start(Options::new(MatrixSource::File(file))).await;
    let doc: Value = server.get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let mut url = path.clone();
        let mut query = Vec::new();
        for param in get["parameters"].as_array().into_iter().flatten() {
            let (name, example) = (param["name"].as_str().unwrap(), &param["example"]);
            match (param["in"].as_str(), example.as_str()) {
                (Some("path"), Some(value)) => url = url.replace(&format!("{{{name}}}"), value),
                (Some("path"), None) => panic!("path parameter `{name}` of {path} has no example"),
                (Some("query"), Some(value)) => query.push(format!("{name}={value}")),
                _ => {}
            }
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let reply = server.get(&url).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {url}: {}", reply.text());
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "GET {url}"
        );
        assert_matches_openapi(path, "get", 200, &reply.json());
        let head = server.send(Method::HEAD, &url, &[], Bytes::new()).await;
        assert_eq!(head.status, StatusCode::OK, "HEAD {url}");
        assert!(head.body.is_empty(), "HEAD {url} sent a body");
        checked += 1;
    }
    assert_eq!(
        checked, 12,
        "every GET endpoint of the document was exercised"
    );
}

#[tokio::test]
async fn resolved_rows_are_the_expected_rows() {
    let server = start_example().await;
    let all = server.get("/api/v1/resolved").await;
    assert_eq!(project_rows(&all.json()), expected_rows(|_| true));

    let qa = server
        .get("/api/v1/resolved?deployment=pro&stage=QA")
        .await
        .json();
    assert_matches_openapi("/api/v1/resolved", "get", 200, &qa);
    assert_eq!(
        project_rows(&qa),
        expected_rows(|r| r["deployment"] == "pro" && r["stage"] == "QA")
    );
    assert_eq!(qa.as_array().unwrap().len(), 7);
    // The row objects carry the same extras as `edx-matrix resolve --format json`.
    let notes = qa
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application"] == "notes-api")
        .unwrap();
    assert_eq!(notes["entry_release"], "master");
    assert_eq!(notes["release_branch"], "master");
    let platform = qa
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application"] == "edx-platform")
        .unwrap();
    assert_eq!(
        platform["overridden"],
        json!({"origin": true, "branch": true, "runtime": false})
    );
    assert_eq!(platform["release_branch"], "pro/ulmo");
    // Every row carries its stage's vars merged over the deployment's, in file order.
    let pro_qa_vars = json!({
        "SITE_NAME": "Acme Pro", "CDN_DISTRIBUTION": "E2STAGINGPRO", "ENABLE_BETA": false,
        "MAX_UPLOAD_MB": 100, "SITE_URL": "https://qa.pro.acme.example",
        "MFE_BUCKET": "acme-pro-qa-mfe",
    });
    assert!(
        qa.as_array()
            .unwrap()
            .iter()
            .all(|r| r["vars"] == pro_qa_vars),
        "{qa:#}"
    );
    let names: Vec<&String> = platform["vars"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "SITE_NAME",
            "CDN_DISTRIBUTION",
            "ENABLE_BETA",
            "MAX_UPLOAD_MB",
            "SITE_URL",
            "MFE_BUCKET"
        ]
    );

    let mfes = server
        .get("/api/v1/resolved?type=MFE&deployment=online")
        .await
        .json();
    // online has no vars: its rows have no `vars` key.
    assert!(
        mfes.as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("vars").is_none())
    );
    assert_eq!(
        project_rows(&mfes),
        expected_rows(|r| r["deployment"] == "online" && r["type"] == "MFE")
    );
    assert!(
        mfes.as_array()
            .unwrap()
            .iter()
            .all(|r| r["translations"] == json!(["npm run pull_translations"]))
    );
    let ulmo = server
        .get("/api/v1/resolved?release=ulmo&type=ida")
        .await
        .json();
    assert_eq!(
        project_rows(&ulmo),
        expected_rows(|r| r["release"] == "ulmo" && r["type"] == "IDA")
    );
    let notes = server
        .get("/api/v1/resolved?application=notes-api&deployment=pro")
        .await
        .json();
    assert_eq!(notes.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn resolved_rejects_bad_filters_with_json_errors() {
    let server = start_example().await;
    let cases = [
        (
            "deployment=prod",
            404,
            "unknown deployment `prod`",
            Some("did you mean `pro`?"),
        ),
        (
            "stage=qa",
            404,
            "unknown stage `qa`",
            Some("did you mean `QA`?"),
        ),
        ("release=zebra", 404, "unknown release `zebra`", None),
        (
            "application=learnin",
            404,
            "unknown application `learnin`",
            Some("did you mean `learning`?"),
        ),
        ("type=spa", 400, "`type` is `ida` or `mfe`, not `spa`", None),
        (
            "deploy=pro",
            400,
            "unknown query parameter `deploy`; `/api/v1/resolved` takes `deployment`, `stage`, `release`, `application`, `type`",
            None,
        ),
        (
            "stag=QA",
            400,
            "unknown query parameter `stag`; `/api/v1/resolved` takes `deployment`, `stage`, `release`, `application`, `type`",
            Some("did you mean `stage`?"),
        ),
        (
            "deployment=pro&deployment=online",
            400,
            "query parameter `deployment` is given twice",
            None,
        ),
        (
            "stage=",
            400,
            "query parameter `stage` is empty; leave it out instead",
            None,
        ),
        // A malformed name is refused with the name rule before it is looked up.
        (
            "deployment=pro%20x",
            400,
            "query parameter `deployment`: not a valid deployment name: names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`",
            None,
        ),
        (
            "application=-x",
            400,
            "query parameter `application`: not a valid application name: names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`",
            None,
        ),
    ];
    for (query, status, error, hint) in cases {
        let reply = server.get(&format!("/api/v1/resolved?{query}")).await;
        assert_eq!(reply.status.as_u16(), status, "{query}: {}", reply.text());
        let body = reply.json();
        assert_matches_openapi("/api/v1/resolved", "get", status, &body);
        assert_eq!(body["error"], error, "{query}");
        assert_eq!(body["hint"].as_str(), hint, "{query}");
    }
}

#[tokio::test]
async fn model_is_the_interchange_fixture() {
    let server = start_example().await;
    let got = server.get("/api/v1/model").await.json();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("acme/model.json")).unwrap())
            .unwrap();
    for key in ["releases", "applications", "deployments"] {
        assert_eq!(got[key], expected[key], "{key}");
    }
    // Entry and application order follow the source's blocks: compare as sets.
    let canonical = |v: &Value| {
        let mut entries = v.as_array().unwrap().clone();
        for entry in &mut entries {
            let apps = entry["apps"].as_array_mut().unwrap();
            apps.sort_by_key(|a| a["application"].to_string());
        }
        entries.sort_by_key(|e| (e["release"].to_string(), e["deployment"].to_string()));
        entries
    };
    let (got, expected) = (
        canonical(&got["release_map"]),
        canonical(&expected["release_map"]),
    );
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(
            g, e,
            "release-map entry {} {}",
            e["release"], e["deployment"]
        );
    }
}

#[tokio::test]
async fn deployments_and_releases() {
    let server = start_example().await;
    let pro = server.get("/api/v1/deployments/pro").await;
    assert_eq!(
        pro.json(),
        json!({"name": "pro", "stages": [
            {"stage": "CI", "release": "verawood", "applications": 7},
            {"stage": "QA", "release": "ulmo", "applications": 7},
            {"stage": "Production", "release": "teak", "applications": 7},
        ]})
    );
    let missing = server.get("/api/v1/deployments/campuss").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/deployments/{name}", "get", 404, &missing.json());
    assert_eq!(missing.json()["hint"], "did you mean `campus`?");

    let ulmo = server.get("/api/v1/releases/ulmo").await.json();
    assert_matches_openapi("/api/v1/releases/{name}", "get", 200, &ulmo);
    assert_eq!(ulmo["branch"], "release/ulmo");
    assert_eq!(
        ulmo["stages"],
        json!([{"deployment": "pro", "stage": "QA"}])
    );
    let entries: Vec<(String, bool)> = ulmo["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["deployment"].as_str().unwrap().to_owned(),
                e["used"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("campus".to_owned(), false),
            ("campus-staging".to_owned(), false),
            ("pro".to_owned(), true)
        ]
    );
    let campus = &ulmo["entries"][0]["applications"];
    let overridden: Vec<&str> = campus
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["overridden"]["origin"] == true)
        .map(|a| a["application"].as_str().unwrap())
        .collect();
    assert_eq!(overridden, ["edx-platform", "edxapp_theme", "xqwatcher"]);
    let missing = server.get("/api/v1/releases/olive").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/releases/{name}", "get", 404, &missing.json());
}

#[tokio::test]
async fn diagnostics_are_the_checks_warnings() {
    let server = start_example().await;
    let body = server.get("/api/v1/diagnostics").await.json();
    assert_matches_openapi("/api/v1/diagnostics", "get", 200, &body);
    assert_eq!(body["serving"], "latest");
    assert_eq!(body["summary"], json!({"errors": 0, "warnings": 3}));
    let messages: Vec<&str> = body["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "the repository of `edx-platform` was renamed upstream (2026-01): it is now `https://github.com/openedx/openedx-platform`",
            "no stage of `campus` runs `ulmo`: this release-map entry is unused",
            "no stage of `campus-staging` runs `ulmo`: this release-map entry is unused"
        ]
    );
}

#[tokio::test]
async fn a_matrix_with_errors_at_start_serves_nothing_but_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(
        &path,
        edx_matrix_test_support::pin_pro(&acme(), ["verawood", "ulmoo", "teak"]),
    )
    .unwrap();
    let server = start(Options::new(MatrixSource::File(path))).await;
    let health = server.get("/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_matches_openapi("/healthz", "get", 503, &health.json());
    assert_eq!(health.json()["status"], "no-matrix");
    let rows = server.get("/api/v1/resolved").await;
    assert_eq!(rows.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_matches_openapi("/api/v1/resolved", "get", 503, &rows.json());
    let diagnostics = server.get("/api/v1/diagnostics").await.json();
    assert_matches_openapi("/api/v1/diagnostics", "get", 200, &diagnostics);
    assert_eq!(diagnostics["serving"], "none");
    let undefined = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "undefined-release")
        .expect("an undefined-release diagnostic");
    assert_eq!(undefined["severity"], "error");
    assert_eq!(undefined["message"], "release `ulmoo` is not defined");
    assert_eq!(undefined["line"], 43);
    let page = server.get("/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.text().contains("release `ulmoo` is not defined"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn pages_render_the_grid_and_escape_matrix_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    let text = acme()
        .replace(
            "learning          = { translations = [\"npm run pull_translations\"] }",
            "learning          = { translations = [\"echo '<img src=x onerror=alert(1)>'\"] }",
        )
        .replace(
            "branch = \"main\" }\ncodejail",
            "branch = \"x/<b>bold</b>\" }\ncodejail",
        );
    assert!(text.contains("<img") && text.contains("<b>bold"));
    std::fs::write(&path, text).unwrap();
    let server = start(Options::new(MatrixSource::File(path))).await;
    let grid = server.get("/").await;
    assert_eq!(grid.status, StatusCode::OK);
    assert_eq!(
        grid.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = grid.text();
    assert!(html.contains("<th scope=\"col\">QA</th>"), "{html}");
    assert!(html.contains("<th scope=\"row\">pro</th>"), "{html}");
    assert!(html.contains("href=\"/d/pro/QA\""), "{html}");
    assert!(html.contains("href=\"/r/ulmo\""), "{html}");
    // The renamed edx-platform repository, the two unused entries, and the `<b>` branch's
    // shell metacharacters.
    assert!(html.contains("Warnings from check (4)"), "{html}");
    let online = server.get("/d/online/CI").await.text();
    assert!(
        online.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{online}"
    );
    assert!(!online.contains("<img"), "{online}");
    assert!(online.contains("x/&lt;b&gt;bold&lt;/b&gt;"), "{online}");
    assert!(!online.contains("<b>"), "{online}");
    // A stage no deployment has is an unknown name, in the words of every command.
    let missing = server.get("/d/pro/Staging").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("unknown stage `Staging`"));
    let release = server.get("/r/ulmo").await.text();
    assert!(
        release.contains("unused: no stage of campus runs ulmo"),
        "{release}"
    );
}
