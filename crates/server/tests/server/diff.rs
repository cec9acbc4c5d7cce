//! `/diff` and `/api/v1/diff` over a real git repository: the served working-tree file against
//! the file committed at `HEAD`.

use crate::support::{
    SMOKE_TESTS, acme, acme_repo, assert_matches_openapi, git, start, start_example,
};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The acme example with pro's QA stage moved from ulmo to teak.
fn acme_with_pro_qa_on_teak() -> String {
    edx_matrix_test_support::pin_pro(&acme(), ["verawood", "teak", "teak"])
}

/// (application, old origin/branch/runtime, new origin/branch/runtime) of pro QA, from
/// tests/fixtures/acme/expected-resolved.json: QA's ulmo rows before, Production's teak rows after.
const PRO_QA: [(&str, [&str; 3], [&str; 3]); 7] = [
    (
        "authoring",
        [
            "https://github.com/openedx/frontend-app-authoring",
            "release/ulmo",
            "24",
        ],
        [
            "https://github.com/openedx/frontend-app-authoring",
            "release/teak",
            "20",
        ],
    ),
    (
        "communications",
        [
            "https://github.com/openedx/frontend-app-communications",
            "release/ulmo",
            "24",
        ],
        [
            "https://github.com/openedx/frontend-app-communications",
            "release/teak",
            "22",
        ],
    ),
    (
        "edx-platform",
        [
            "https://github.com/acme-edu/edx-platform",
            "pro/ulmo",
            "3.11",
        ],
        [
            "https://github.com/acme-edu/edx-platform",
            "pro/teak",
            "3.11",
        ],
    ),
    (
        "edxapp_theme",
        ["https://github.com/acme-edu/pro-theme", "pro-ulmo", "3.11"],
        ["https://github.com/acme-edu/pro-theme", "pro-teak", "3.11"],
    ),
    (
        "learner-dashboard",
        [
            "https://github.com/openedx/frontend-app-learner-dashboard",
            "release/ulmo",
            "24",
        ],
        [
            "https://github.com/openedx/frontend-app-learner-dashboard",
            "release/teak",
            "20",
        ],
    ),
    (
        "learning",
        [
            "https://github.com/openedx/frontend-app-learning",
            "release/ulmo",
            "24",
        ],
        [
            "https://github.com/openedx/frontend-app-learning",
            "release/teak",
            "20",
        ],
    ),
    (
        "notes-api",
        ["https://github.com/openedx/edx-notes-api", "master", "3.12"],
        ["https://github.com/openedx/edx-notes-api", "master", "3.12"],
    ),
];

#[tokio::test]
async fn diff_shows_an_uncommitted_stage_change() {
    let repo = acme_repo();
    let dir = repo.path();
    let head = git(dir, "2024-01-02T10:00:00+00:00", &["rev-parse", "HEAD"]);
    let file = dir.join("edx-matrix.toml");
    let server = start(Options::new(MatrixSource::File(file.clone()))).await;

    // Nothing changed yet.
    let clean = server.get("/api/v1/diff").await;
    assert_eq!(clean.status, StatusCode::OK, "{}", clean.text());
    let clean = clean.json();
    assert_matches_openapi("/api/v1/diff", "get", 200, &clean);
    assert_eq!(clean["commit"], head.as_str());
    assert_eq!(clean["file"], "edx-matrix.toml");
    assert_eq!(clean["base"], "HEAD:edx-matrix.toml");
    for list in ["stages", "releases", "rows", "rebuild", "redeploy"] {
        assert_eq!(clean[list], json!([]), "{clean:#}");
    }
    let html = server.get("/diff").await.text();
    assert!(
        html.contains("No uncommitted change to what is built or deployed."),
        "{html}"
    );

    // Edit a stage in the working tree; the server reloads it.
    std::fs::write(&file, acme_with_pro_qa_on_teak()).unwrap();
    let (reply, _) = server
        .wait_for("/api/v1/diff", Duration::from_secs(10), |r| {
            r.json()["stages"] != json!([])
        })
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let diff = reply.json();
    assert_matches_openapi("/api/v1/diff", "get", 200, &diff);
    assert_eq!(diff["commit"], head.as_str());
    assert_eq!(
        diff["stages"],
        json!([{"deployment": "pro", "stage": "QA", "old": "ulmo", "new": "teak"}])
    );
    assert_eq!(diff["releases"], json!([]));
    assert_eq!(diff["rebuild"], json!([]));
    assert_eq!(diff["redeploy"][0]["deployment"], "pro");
    assert_eq!(diff["redeploy"][0]["stage"], "QA");
    assert_eq!(diff["redeploy"][0]["release"], "teak");
    let rows = diff["rows"].as_array().unwrap();
    let seen: Vec<(&str, [String; 3], [String; 3])> = rows
        .iter()
        .map(|r| {
            assert_eq!(r["change"], "changed", "{r:#}");
            assert_eq!(
                (&r["deployment"], &r["stage"]),
                (&json!("pro"), &json!("QA"))
            );
            assert_eq!(
                (&r["old"]["release"], &r["new"]["release"]),
                (&json!("ulmo"), &json!("teak"))
            );
            let values = |v: &'_ Value| -> [String; 3] {
                ["origin", "branch", "runtime"].map(|k| v[k].as_str().unwrap().to_owned())
            };
            (
                r["application"].as_str().unwrap(),
                values(&r["old"]),
                values(&r["new"]),
            )
        })
        .collect();
    let expected: Vec<(&str, [String; 3], [String; 3])> = PRO_QA
        .iter()
        .map(|(a, o, n)| (*a, o.map(str::to_owned), n.map(str::to_owned)))
        .collect();
    assert_eq!(seen, expected);

    // The page: the stage change and the rows, old → new.
    let page = server.get("/diff").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains(&format!("title=\"{head}\">{}</code>", &head[..7])),
        "{html}"
    );
    assert!(
        html.contains(
            "<th scope=\"row\">pro</th><td>QA</td><td><del>ulmo</del> → <ins>teak</ins></td>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<td>edx-platform</td><td><del>ulmo</del> → <ins>teak</ins></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td><del>pro/ulmo</del> → <ins>pro/teak</ins></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td><del>24</del> → <ins>20</ins></td>"),
        "{html}"
    );
    assert!(!html.contains("No uncommitted change"), "{html}");
    // The acme matrix file has no `[pipelines]`: neither the API nor the page mention any.
    assert_eq!(diff.get("pipelines"), None, "{diff:#}");
    assert!(!html.to_lowercase().contains("pipeline"), "{html}");

    // Committing the edit leaves nothing to show.
    git(
        dir,
        "2024-01-03T10:00:00+00:00",
        &["commit", "-q", "-am", "pro: teak to QA"],
    );
    let after = server.get("/api/v1/diff").await.json();
    assert_matches_openapi("/api/v1/diff", "get", 200, &after);
    assert_ne!(after["commit"], head.as_str());
    assert_eq!(after["stages"], json!([]));
    assert_eq!(after["rows"], json!([]));
}

#[tokio::test]
async fn diff_is_unavailable_without_a_committed_file() {
    // The built-in example.
    let server = start_example().await;
    let api = server.get("/api/v1/diff").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/diff", "get", 404, &api.json());
    assert_eq!(
        api.json()["error"],
        "diff is unavailable: the built-in example is not in a git repository"
    );
    let page = server.get("/diff").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.text()
            .contains("diff is unavailable: the built-in example"),
        "{}",
        page.text()
    );

    // A file outside any working tree.
    let plain = tempfile::tempdir().unwrap();
    let file = plain.path().join("edx-matrix.toml");
    std::fs::write(&file, acme()).unwrap();
    let server = start(Options::new(MatrixSource::File(file))).await;
    let api = server.get("/api/v1/diff").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/diff", "get", 404, &api.json());
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .ends_with("edx-matrix.toml` is not in a git repository"),
        "{}",
        api.text()
    );

    // A file never committed, in a directory whose name is markup: escaped on the page.
    let repo = acme_repo();
    let sub = repo.path().join("<ops&co>");
    std::fs::create_dir(&sub).unwrap();
    let file = sub.join("edx-matrix.toml");
    std::fs::write(&file, acme()).unwrap();
    let server = start(Options::new(MatrixSource::File(file))).await;
    let api = server.get("/api/v1/diff").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/diff", "get", 404, &api.json());
    assert_eq!(
        api.json()["error"],
        "diff is unavailable: `<ops&co>/edx-matrix.toml` has never been committed"
    );
    let page = server.get("/diff").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let html = page.text();
    assert!(
        html.contains("`&lt;ops&amp;co&gt;/edx-matrix.toml` has never been committed"),
        "{html}"
    );
    assert!(!html.contains("<ops"), "{html}");
}

/// `/diff?base=&head=` compares two committed revisions, as `edx-matrix diff BASE HEAD` does;
/// `?head=` alone shows what that commit changed.
#[tokio::test]
async fn diff_compares_two_revisions() {
    let repo = acme_repo();
    let dir = repo.path();
    let first = git(dir, "2024-01-02T10:00:00+00:00", &["rev-parse", "HEAD"]);
    let second = crate::support::commit_matrix(
        dir,
        &acme_with_pro_qa_on_teak(),
        "2024-01-03T10:00:00+00:00",
        "pro: QA back to teak",
    );
    let server = start(Options::new(MatrixSource::File(
        dir.join("edx-matrix.toml"),
    )))
    .await;
    for query in [
        format!("base={first}&head={second}"),
        format!("head={second}"),
    ] {
        let reply = server.get(&format!("/api/v1/diff?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text());
        let diff = reply.json();
        assert_matches_openapi("/api/v1/diff", "get", 200, &diff);
        assert_eq!(diff["commit"], second.as_str());
        assert_eq!(diff["base"], format!("{}:edx-matrix.toml", &first[..7]));
        assert_eq!(
            diff["stages"],
            json!([{"deployment": "pro", "stage": "QA", "old": "ulmo", "new": "teak"}])
        );
        let html = server.get(&format!("/diff?{query}")).await.text();
        assert!(html.contains("Changes between revisions"), "{html}");
        assert!(
            html.contains(&format!(
                "<code>{}:edx-matrix.toml</code> against",
                &second[..7]
            )),
            "{html}"
        );
    }
    // The first revision: what it adds.
    let reply = server.get(&format!("/api/v1/diff?head={first}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["base"], "(nothing: the first revision)");
    assert_eq!(reply.json()["stages"].as_array().unwrap().len(), 12);
    // Bad revisions.
    for (query, status, message) in [
        (
            "base=nope&head=HEAD".to_owned(),
            404,
            "diff is unavailable: unknown revision `nope`",
        ),
        (
            "head=--output=x".to_owned(),
            404,
            "diff is unavailable: `--output=x` is not a revision",
        ),
        (
            "base=HEAD&base=HEAD".to_owned(),
            400,
            "query parameter `base` is given twice",
        ),
        (
            "tail=HEAD".to_owned(),
            400,
            "unknown query parameter `tail`",
        ),
    ] {
        let reply = server.get(&format!("/api/v1/diff?{query}")).await;
        assert_eq!(reply.status.as_u16(), status, "{query}: {}", reply.text());
        assert_matches_openapi("/api/v1/diff", "get", status, &reply.json());
        let error = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(error.starts_with(message), "{query}: {error}");
    }
}

#[tokio::test]
async fn diff_shows_the_pipeline_impact() {
    let repo = acme_repo();
    let dir = repo.path();
    let declared = acme() + "\n[pipelines]\nteam = \"acme\"\n";
    let commit = crate::support::commit_matrix;
    commit(dir, &declared, "2024-01-03T10:00:00+00:00", "pipelines");
    let file = dir.join("edx-matrix.toml");
    let server = start(Options::new(MatrixSource::File(file.clone()))).await;
    let clean = server.get("/api/v1/diff").await.json();
    assert_eq!(
        clean["pipelines"],
        json!({"computed": true, "changes": []}),
        "{clean:#}"
    );
    // Declaring `[pipelines]` (from the previous revision) adds every pipeline.
    let added = server
        .get("/api/v1/diff?base=HEAD~1&head=HEAD")
        .await
        .json();
    let changes = added["pipelines"]["changes"].as_array().unwrap();
    assert!(changes.len() > 3, "{added:#}");
    assert!(changes.iter().all(|c| c["change"] == "added"), "{added:#}");

    // A new team for every pipeline: each one is re-set, and says why.
    std::fs::write(
        &file,
        declared.replace("team = \"acme\"", "team = \"acme-ops\""),
    )
    .unwrap();
    let (reply, _) = server
        .wait_for("/api/v1/diff", Duration::from_secs(10), |r| {
            r.json()["pipelines"]["changes"] != json!([])
        })
        .await;
    let diff = reply.json();
    assert_matches_openapi("/api/v1/diff", "get", 200, &diff);
    assert_eq!(diff["rows"], json!([]), "{diff:#}");
    let changes = diff["pipelines"]["changes"].as_array().unwrap();
    assert!(changes.len() > 3, "{diff:#}");
    for change in changes {
        assert_eq!(change["change"], "changed", "{change:#}");
        let other = change["other"].as_array().unwrap();
        assert!(
            other
                .iter()
                .any(|o| o.as_str().is_some_and(|o| o.ends_with("→ `acme-ops`"))),
            "{change:#}"
        );
    }
}

/// With pipeline templates, `/api/v1/diff` renders the template-made pipelines on both sides:
/// the committed templates at `HEAD` (from its tree) against the served file's directory. A
/// matrix edit moving pro's QA to teak changes pro's teak MFE pipeline and removes its ulmo one;
/// between two revisions where only a template changed, exactly the MFE pipelines change.
#[tokio::test]
async fn diff_shows_the_impact_of_template_made_pipelines() {
    let (dir, file, first) = crate::support::example_repo_with_templates();
    let top = dir.path();
    let text = edx_matrix_formats::example::TEXT;
    let server = start(Options::new(MatrixSource::File(file.clone()))).await;
    let clean = server.get("/api/v1/diff").await.json();
    assert_eq!(
        clean["pipelines"],
        json!({"computed": true, "changes": []}),
        "{clean:#}"
    );

    let moved = edx_matrix_test_support::pin_pro(text, ["verawood", "teak", "teak"]);
    crate::support::replace(&file, &moved);
    let (reply, _) = server
        .wait_for("/api/v1/diff", Duration::from_secs(10), |r| {
            r.json()["pipelines"]["changes"] != json!([])
        })
        .await;
    let diff = reply.json();
    assert_matches_openapi("/api/v1/diff", "get", 200, &diff);
    let change = |diff: &Value, name: &str| -> Option<String> {
        (diff["pipelines"]["changes"].as_array().unwrap().iter())
            .find(|c| c["name"] == name)
            .map(|c| c["change"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        change(&diff, "pro-teak-mfe-pipeline").as_deref(),
        Some("changed"),
        "{diff:#}"
    );
    assert_eq!(
        change(&diff, "pro-ulmo-mfe-pipeline").as_deref(),
        Some("removed"),
        "{diff:#}"
    );
    assert_eq!(
        change(&diff, "campus-master-mfe-pipeline"),
        None,
        "{diff:#}"
    );

    // A template edit alone, committed: the revisions' own templates are compared.
    let mfe = top.join("pipelines/mfe.star");
    let template = std::fs::read_to_string(&mfe).unwrap();
    std::fs::write(
        &mfe,
        template.replace("\"icon\": \"aws\"", "\"icon\": \"bucket\""),
    )
    .unwrap();
    let later = "2024-01-03T10:00:00+00:00";
    git(top, later, &["add", "pipelines/mfe.star"]);
    git(top, later, &["commit", "-q", "-m", "mfe: bucket icon"]);
    let second = git(top, later, &["rev-parse", "HEAD"]);
    let reply = server
        .get(&format!("/api/v1/diff?base={first}&head={second}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let diff = reply.json();
    assert_eq!(diff["rows"], json!([]));
    let names: Vec<&str> = (diff["pipelines"]["changes"].as_array().unwrap().iter())
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 8, "{diff:#}");
    assert!(
        names.iter().all(|n| n.ends_with("-mfe-pipeline")),
        "{names:?}"
    );
}

/// The row of the pipeline `name` in the `/diff` page's pipeline table.
fn pipeline_row<'p>(page: &'p str, change: &str, name: &str) -> &'p str {
    let start = format!(r#"<tr data-change="{change}" data-pipeline="{name}">"#);
    page.split(&start)
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row {start}: {page}"))
}

/// The `/diff` page lists the pipelines to re-set, as the API does, with their team and source
/// (escaped); says so when none changes; and gives the reason when they are not compared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_diff_page_lists_the_pipeline_impact() {
    let limit = Duration::from_secs(30);
    let (dir, file, _) = crate::support::example_repo_with_templates();
    let top = dir.path();
    assert!(edx_matrix_formats::example::TEXT.contains("team        = \"acme\""));
    let mut options = Options::new(MatrixSource::File(file));
    options.poll = Some(Duration::from_millis(50));
    let server = start(options).await;
    let page = server.get("/diff").await.text();
    assert!(
        page.contains(r#"<h2 id="pipelines-title">Pipelines</h2>"#),
        "{page}"
    );
    assert!(page.contains(r#"id="no-pipeline-change""#), "{page}");
    assert!(!page.contains(r#"id="diff-pipelines""#), "{page}");

    // In the working tree: a new template (a name to escape), the standard one gone.
    crate::support::replace(&top.join("pipelines/smoke<&>.star"), SMOKE_TESTS);
    std::fs::remove_file(top.join("pipelines/standard.star")).unwrap();
    let (reply, _) = server
        .wait_for("/api/v1/diff", limit, |r| {
            (r.json()["pipelines"]["changes"].as_array().unwrap().iter())
                .any(|c| c["name"] == "smoke-tests")
        })
        .await;
    let diff = reply.json();
    let changes = diff["pipelines"]["changes"].as_array().unwrap();
    let named = |change: &str| -> Vec<&str> {
        (changes.iter().filter(|c| c["change"] == change))
            .map(|c| c["name"].as_str().unwrap())
            .collect()
    };
    let (added, removed, changed) = (named("added"), named("removed"), named("changed"));
    assert_eq!(added, ["smoke-tests"], "{diff:#}");
    assert!(!removed.is_empty(), "{diff:#}");
    assert_eq!(changed.len(), 1, "only the meta pipeline: {diff:#}");

    let page = server.get("/diff").await.text();
    assert!(
        page.contains(&format!(
            "To re-set: 1 added, {} removed, 1 changed.",
            removed.len()
        )),
        "{page}"
    );
    let row = pipeline_row(&page, "added", "smoke-tests");
    assert!(
        row.contains("<th scope=\"row\"><code>smoke-tests</code></th>"),
        "{row}"
    );
    assert!(row.contains("<td><code>qa-team</code></td>"), "{row}");
    assert!(
        row.contains("<td><code>pipelines/smoke&lt;&amp;&gt;.star</code></td>"),
        "{row}"
    );
    assert!(row.contains("new: set from the meta pipeline"), "{row}");
    for name in &removed {
        // From the committed side: the standard pipelines, in the `[pipelines]` team.
        let row = pipeline_row(&page, "removed", name);
        assert!(row.contains("<td><code>acme</code></td>"), "{row}");
        assert!(row.contains("<td><code>standard</code></td>"), "{row}");
        assert!(row.contains("no longer generated"), "{row}");
    }
    let row = pipeline_row(&page, "changed", changed[0]);
    assert!(row.contains("definition changes: re-set"), "{row}");
    assert!(
        row.contains("jobs changed: <code>set-pipelines</code>"),
        "{row}"
    );

    // A broken template committed (then fixed in the working tree): `HEAD`'s pipelines cannot
    // be rendered, so nothing is compared, and the page says why.
    let date = "2024-01-03T10:00:00+00:00";
    std::fs::write(top.join("pipelines/zz.star"), "def pipelines(:\n").unwrap();
    git(top, date, &["add", "pipelines/zz.star"]);
    git(top, date, &["commit", "-q", "-m", "a broken template"]);
    std::fs::remove_file(top.join("pipelines/zz.star")).unwrap();
    let (reply, _) = server
        .wait_for("/api/v1/diff", limit, |r| {
            r.json()["pipelines"]["computed"] == false
        })
        .await;
    let reason = reply.json()["pipelines"]["reason"].clone();
    assert_eq!(
        reason,
        "the pipeline templates of `HEAD:edx-matrix.toml` have 1 error (`edx-matrix check` shows them)",
        "{}",
        reply.text()
    );
    let page = server.get("/diff").await.text();
    assert!(
        page.contains(
            "The pipelines were not compared: the pipeline templates of `HEAD:edx-matrix.toml` have 1 error"
        ),
        "{page}"
    );
    assert!(!page.contains(r#"id="diff-pipelines""#), "{page}");
}
