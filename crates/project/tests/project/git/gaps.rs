//! A history whose revisions go readable → unreadable → readable: the unreadable revision is a
//! gap (no state carried across it), and a lead time that ends right after it is a bound.

use std::fs;

use edx_matrix_project::git::LocalRepo;
use edx_matrix_project::git::history::{Bound, file_history};

use crate::git::support::{Sandbox, TestResult};

fn matrix(ci: &str, production: &str) -> String {
    format!(
        r#"stages = ["CI", "Production"]

[releases]
ulmo     = {{ branch = "release/ulmo", python = "3.11", node = "24" }}
verawood = {{ branch = "release/verawood", python = "3.12", node = "24" }}

[applications]
forum = {{ kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }}

[deployments]
campus = {{ CI = "{ci}", Production = "{production}" }}

[[map]]
releases = ["ulmo", "verawood"]
deployments = ["campus"]
[map.apps]
forum = {{}}
"#
    )
}

#[test]
fn an_unreadable_revision_is_a_gap_and_lead_times_across_it_are_bounds() -> TestResult {
    let sandbox = Sandbox::new()?;
    let top = sandbox.path().join("work");
    fs::create_dir(&top)?;
    sandbox.git(&top, &["init", "-q"])?;
    let steps = [
        ("2024-01-01T10:00:00+00:00", matrix("ulmo", "ulmo"), "start"),
        (
            "2024-01-11T10:00:00+00:00",
            matrix("verawood", "ulmo"),
            "CI to verawood",
        ),
        (
            "2024-02-01T10:00:00+00:00",
            "stages = [\n".to_owned(),
            "broken",
        ),
        (
            "2024-03-01T10:00:00+00:00",
            matrix("verawood", "verawood"),
            "fixed, Production on verawood",
        ),
    ];
    for (date, text, subject) in &steps {
        fs::write(top.join("edx-matrix.toml"), text)?;
        sandbox.git(&top, &["add", "edx-matrix.toml"])?;
        sandbox.git_at(&top, date, &["commit", "-q", "-m", subject])?;
    }
    let h = file_history(&LocalRepo::open(&top)?, "edx-matrix.toml", None)?;
    assert_eq!(h.revisions, 4);
    let timeline = |stage: &str| -> Vec<String> {
        let t = h.timelines.iter().find(|t| t.stage == stage).unwrap();
        t.changes
            .iter()
            .map(|c| match (&c.release, &c.unreadable) {
                (Some(r), _) => format!("{} {r}", c.commit.subject),
                (None, Some(u)) => format!("{} unreadable in {}", c.commit.subject, u.location),
                (None, None) => format!("{} removed", c.commit.subject),
            })
            .collect()
    };
    assert_eq!(
        timeline("CI"),
        [
            "start ulmo",
            "CI to verawood verawood",
            "broken unreadable in edx-matrix.toml",
            "fixed, Production on verawood verawood"
        ]
    );
    // Production's `ulmo` is not carried across the gap.
    assert_eq!(
        timeline("Production"),
        [
            "start ulmo",
            "broken unreadable in edx-matrix.toml",
            "fixed, Production on verawood verawood"
        ]
    );
    // Production got verawood somewhere between Feb 1 and Mar 1: 50 days at most.
    let verawood = h
        .lead_times
        .iter()
        .find(|l| l.release == "verawood")
        .unwrap();
    assert_eq!(verawood.seconds, Some(50 * 86_400));
    assert_eq!(verawood.bound, Some(Bound::AtMost));
    let ulmo = h.lead_times.iter().find(|l| l.release == "ulmo").unwrap();
    assert_eq!((ulmo.seconds, ulmo.bound), (Some(0), None));
    // JSON: the gap's event says why and where.
    let json = serde_json::to_value(&h)?;
    let gap = &json["timelines"][0]["changes"][2];
    assert_eq!(gap["release"], serde_json::Value::Null);
    assert_eq!(gap["unreadable"]["location"], "edx-matrix.toml");
    assert!(
        gap["unreadable"]["reason"].as_str().unwrap().len() > 5,
        "{gap}"
    );
    assert_eq!(json["lead_times"][1]["bound"], "at_most");
    Ok(())
}
