//! `/history` and `/api/v1/history` over a real git repository in a temporary directory.

use crate::support::{
    acme, acme_repo, assert_matches_openapi, commit_matrix, git, start, start_example,
};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use serde_json::{Value, json};

fn acme_with_pro(qa: &str, production: &str) -> String {
    edx_matrix_test_support::pin_pro(&acme(), ["verawood", qa, production])
}

/// The changes of one timeline as (release, commit hash, subject).
fn changes(history: &Value, deployment: &str, stage: &str) -> Vec<(Value, String, String)> {
    let timeline = history["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["deployment"] == deployment && t["stage"] == stage)
        .unwrap_or_else(|| panic!("no timeline for {deployment} {stage}: {history:#}"));
    timeline["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["release"].clone(),
                c["commit"]["hash"].as_str().unwrap().to_owned(),
                c["commit"]["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn history_shows_each_stage_change_with_its_commit() {
    let repo = acme_repo();
    let dir = repo.path();
    let first = git(dir, "2024-01-02T10:00:00+00:00", &["rev-parse", "HEAD"]);
    let promote = commit_matrix(
        dir,
        &acme_with_pro("verawood", "teak"),
        "2024-01-11T09:30:00+00:00",
        "pro: promote verawood to QA",
    );
    let ship = commit_matrix(
        dir,
        &acme_with_pro("verawood", "verawood"),
        "2024-01-20T16:00:00+00:00",
        "pro: ship verawood <script>alert(1)</script>",
    );
    let server = start(Options::new(MatrixSource::File(
        dir.join("edx-matrix.toml"),
    )))
    .await;

    let reply = server.get("/api/v1/history").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let history = reply.json();
    assert_matches_openapi("/api/v1/history", "get", 200, &history);
    assert_eq!(history["file"], "edx-matrix.toml");
    assert_eq!(history["revisions"], 3);
    assert_eq!(history["first_stage"], "CI");
    assert_eq!(history["last_stage"], "Production");
    assert_eq!(history["skipped"], json!([]));
    let initial = "add the acme matrix".to_owned();
    assert_eq!(
        changes(&history, "pro", "QA"),
        [
            (json!("ulmo"), first.clone(), initial.clone()),
            (
                json!("verawood"),
                promote.clone(),
                "pro: promote verawood to QA".to_owned()
            ),
        ]
    );
    assert_eq!(
        changes(&history, "pro", "Production"),
        [
            (json!("teak"), first.clone(), initial.clone()),
            (
                json!("verawood"),
                ship.clone(),
                "pro: ship verawood <script>alert(1)</script>".to_owned()
            ),
        ]
    );
    assert_eq!(
        changes(&history, "pro", "CI"),
        [(json!("verawood"), first.clone(), initial.clone())]
    );
    let qa_change = &history["timelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["deployment"] == "pro" && t["stage"] == "QA")
        .unwrap()["changes"][1]["commit"];
    assert_eq!(qa_change["date"], "2024-01-11T09:30:00Z");
    assert_eq!(qa_change["short_hash"], &promote[..7]);
    // verawood: CI on 2024-01-02 10:00, Production on 2024-01-20 16:00: 18 days 6 hours.
    let lead = |release: &str| {
        history["lead_times"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["deployment"] == "pro" && l["release"] == release)
            .unwrap_or_else(|| panic!("no lead time for pro {release}: {history:#}"))
            .clone()
    };
    let verawood = lead("verawood");
    assert_eq!(verawood["first_stage"]["hash"], first.as_str());
    assert_eq!(verawood["last_stage"]["hash"], ship.as_str());
    assert_eq!(verawood["seconds"], 18 * 86_400 + 6 * 3600);
    let teak = lead("teak");
    assert_eq!(teak["first_stage"], Value::Null);
    assert_eq!(teak["seconds"], Value::Null);

    // One deployment.
    let pro = server.get("/api/v1/history?deployment=pro").await.json();
    assert_matches_openapi("/api/v1/history", "get", 200, &pro);
    let deployments = |h: &Value, key: &str| -> Vec<String> {
        let mut names: Vec<String> = h[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["deployment"].as_str().unwrap().to_owned())
            .collect();
        names.dedup();
        names
    };
    assert_eq!(deployments(&pro, "timelines"), ["pro"]);
    assert_eq!(deployments(&pro, "lead_times"), ["pro"]);
    assert!(deployments(&history, "timelines").len() > 1);
    let missing = server.get("/api/v1/history?deployment=prp").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/history", "get", 404, &missing.json());
    assert_eq!(
        missing.json(),
        json!({
            "error": "unknown deployment `prp`",
            "hint": "did you mean `pro`?",
            "code": "unknown-name",
            "kind": "deployment",
            "name": "prp",
            "suggestions": ["pro"]
        })
    );
    let bad = server.get("/api/v1/history?stage=QA").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_matches_openapi("/api/v1/history", "get", 400, &bad.json());

    // The page: every change with its date, short hash and subject, escaped.
    let page = server.get("/history").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("3 revisions, 0 skipped"), "{html}");
    assert!(
        html.contains("<td class=\"subject\">pro: promote verawood to QA</td>"),
        "{html}"
    );
    assert!(html.contains(&format!("title=\"{promote}\">{}</code>", &promote[..7])));
    assert!(html.contains("<time datetime=\"2024-01-11T09:30:00Z\">2024-01-11</time>"));
    assert!(
        html.contains("pro: ship verawood &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("<td>18d 6h</td>"), "{html}");
    assert!(html.contains("Lead time from CI to Production"), "{html}");

    // A new commit shows at once; one that breaks the file is listed as skipped.
    let broken = commit_matrix(
        dir,
        &format!("{}\n[broken\n", acme_with_pro("verawood", "verawood")),
        "2024-01-21T08:00:00+00:00",
        "half an edit",
    );
    let later = server.get("/api/v1/history").await.json();
    assert_matches_openapi("/api/v1/history", "get", 200, &later);
    assert_eq!(later["revisions"], 4);
    assert_eq!(later["skipped"][0]["commit"]["hash"], broken.as_str());
    assert!(
        later["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("invalid TOML"),
        "{later:#}"
    );
    // The broken revision is a gap at the end of every timeline: no state is carried past it.
    let timelines = later["timelines"].as_array().unwrap();
    assert_eq!(
        timelines.len(),
        history["timelines"].as_array().unwrap().len()
    );
    for (now, before) in timelines
        .iter()
        .zip(history["timelines"].as_array().unwrap())
    {
        let changes = now["changes"].as_array().unwrap();
        let (gap, rest) = changes.split_last().unwrap();
        assert_eq!(rest, before["changes"].as_array().unwrap().as_slice());
        assert_eq!(gap["release"], Value::Null);
        assert_eq!(gap["commit"]["hash"], broken.as_str());
        assert_eq!(gap["unreadable"]["location"], "edx-matrix.toml");
    }
    let html = server.get("/history").await.text();
    assert!(html.contains("Skipped revisions"), "{html}");
    assert!(html.contains("half an edit"), "{html}");
}

#[tokio::test]
async fn the_pages_link_the_history() {
    let server = start_example().await;
    let html = server.get("/").await.text();
    assert!(html.contains("<a href=\"/history\">History</a>"), "{html}");
    assert!(html.contains("<a href=\"/api/v1/history\">"), "{html}");
}

/// The built-in example serves its synthetic history (written by hand in
/// `edx_matrix_project::git::history::example`): 12 revisions, 12 lanes, the revert in campus QA.
#[tokio::test]
async fn the_example_serves_its_synthetic_history() {
    let server = start_example().await;
    let api = server.get("/api/v1/history").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let history = api.json();
    assert_matches_openapi("/api/v1/history", "get", 200, &history);
    assert_eq!(history["revisions"], 12);
    assert_eq!(history["timelines"].as_array().unwrap().len(), 12);
    let qa: Vec<Value> = changes(&history, "campus", "QA")
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(
        qa,
        [
            json!("ulmo"),
            json!("verawood"),
            json!("ulmo"),
            json!("verawood")
        ]
    );
    let page = server.get("/history").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\""),
        "{html}"
    );
    assert!(html.contains("id=\"lead-times\""), "{html}");
    assert!(html.contains("id=\"timelines\""), "the table stays: {html}");
}

/// `?deployment=` and `?since=` narrow the API and the page; bad values are refused.
#[tokio::test]
async fn history_narrows_by_deployment_and_day() {
    let server = start_example().await;
    let api = server
        .get("/api/v1/history?deployment=campus&since=2025-07-01")
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let narrowed = api.json();
    assert_matches_openapi("/api/v1/history", "get", 200, &narrowed);
    // Revisions from July 1st: the revert, the patch, QA again, Production.
    assert_eq!(narrowed["revisions"], 4);
    let lanes: Vec<String> = (narrowed["timelines"].as_array().unwrap().iter())
        .map(|t| {
            format!(
                "{}/{}",
                t["deployment"].as_str().unwrap(),
                t["stage"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(lanes, ["campus/CI", "campus/QA", "campus/Production"]);
    // QA: verawood in effect on July 1st, then the revert to ulmo, then verawood again.
    let qa: Vec<Value> = changes(&narrowed, "campus", "QA")
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(qa, [json!("verawood"), json!("ulmo"), json!("verawood")]);
    let page = server
        .get("/history?deployment=campus&since=2025-07-01")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text().matches("class=\"lane\"").count(), 3);
    // The page's form sends empty values for "every deployment" and "no date".
    let page = server.get("/history?deployment=&since=").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text().matches("class=\"lane\"").count(), 12);
    for (query, status, message) in [
        (
            "since=2025-02-30",
            400,
            "query parameter `since`: `2025-02-30` is not a date",
        ),
        (
            "since=2025-01-01&since=2025-02-01",
            400,
            "query parameter `since` is given twice",
        ),
        ("until=2025-01-01", 400, "unknown query parameter `until`"),
        ("deployment=campu", 404, "unknown deployment `campu`"),
    ] {
        let api = server.get(&format!("/api/v1/history?{query}")).await;
        assert_eq!(api.status.as_u16(), status, "{query}");
        assert_matches_openapi("/api/v1/history", "get", status, &api.json());
        let error = api.json()["error"].as_str().unwrap().to_owned();
        assert!(error.starts_with(message), "{query}: {error}");
    }
}

#[tokio::test]
async fn history_is_unavailable_without_a_repository() {
    // A file outside any working tree.
    let plain = tempfile::tempdir().unwrap();
    let file = plain.path().join("edx-matrix.toml");
    std::fs::write(&file, acme()).unwrap();
    let server = start(Options::new(MatrixSource::File(file.clone()))).await;
    let api = server.get("/api/v1/history").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/history", "get", 404, &api.json());
    assert_eq!(
        api.json()["error"],
        format!(
            "history is unavailable: `{}` is not in a git repository",
            file.display()
        )
    );
    let page = server.get("/history").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text().contains("is not in a git repository"));
    // The rest of the dashboard is unaffected.
    assert_eq!(server.get("/").await.status, StatusCode::OK);

    // A repository where the file was never committed.
    git(plain.path(), "2024-01-02T10:00:00+00:00", &["init", "-q"]);
    let api = server.get("/api/v1/history").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.json()["error"],
        "history is unavailable: `edx-matrix.toml` has no committed history"
    );
}
