//! `export tutor` of a locked stage, read by real Tutor: the versions Docker's `ADD repo#ref`
//! builds (edx-platform, codejail, the MFEs) are the locked commits, each with its branch in a
//! comment; tutor-notes and tutor-xqueue, which `git clone --branch`, keep the branch and the
//! export says so. The commits are made up by the test (one per application).

use crate::harness::Env;
use crate::tutor::{assert_codejail, assert_platform, install_in};
use edx_matrix_test_support::require_tutor;

/// The commit the test locks `application` at: its index in the stage's rows, in hex,
/// padded to 40 digits.
pub(crate) fn commit(index: usize) -> String {
    format!("c0ffee{:034x}", index + 1)
}

/// A lock of every row of campus CI (what `resolve` lists for it), each at [`commit`].
pub(crate) fn lock_campus_ci(env: &Env) -> Vec<(String, String)> {
    let run = env.run(&["resolve", "-d", "campus", "-s", "CI", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    let mut text = String::from("version = 1\n");
    let mut commits = Vec::new();
    for (i, row) in rows.as_array().unwrap().iter().enumerate() {
        let application = row["application"].as_str().unwrap();
        text.push_str(&format!(
            "\n[[lock]]\ndeployment = \"campus\"\nstage = \"CI\"\napplication = \"{application}\"\n\
             origin = \"{}\"\nbranch = \"{}\"\ncommit = \"{}\"\nlocked_at = \"2026-12-01T10:00:00Z\"\n",
            row["git_origin"].as_str().unwrap(),
            row["release_branch"].as_str().unwrap(),
            commit(i)
        ));
        commits.push((application.to_owned(), commit(i)));
    }
    env.write("edx-matrix.lock", &text);
    commits
}

#[test]
fn tutor_builds_the_locked_commits_of_campus_ci() {
    let test = "tutor_builds_the_locked_commits_of_campus_ci";
    let Some(program) = require_tutor(test) else {
        return;
    };
    let env = Env::with_example_matrix(edx_matrix_formats::example::TEXT);
    let commits = lock_campus_ci(&env);
    let of = |app: &str| commits.iter().find(|(a, _)| a == app).unwrap().1.clone();
    let Some((tutor, _)) = install_in(
        program,
        env,
        false,
        "campus",
        "CI",
        &["codejail", "notes", "xqueue", "mfe", "edx_matrix_campus_ci"],
    ) else {
        return;
    };
    // What Tutor's own configuration holds.
    assert_eq!(tutor.value("EDX_PLATFORM_VERSION"), of("edx-platform"));
    assert_eq!(tutor.value("CODEJAIL_SERVICE_VERSION"), of("codejail"));
    assert_eq!(tutor.value("OPENEDX_COMMON_VERSION"), "master");
    // `git clone --branch` takes no commit: the branch, and the export says why.
    assert_eq!(tutor.value("NOTES_REPOSITORY_VERSION"), "master");
    assert_eq!(tutor.value("XQUEUE_REPOSITORY_VERSION"), "master");
    let notes = format!("notes-api locked at {}", of("notes-api"));
    assert!(
        tutor.export_stderr.contains(&notes),
        "{}",
        tutor.export_stderr
    );

    // What Tutor renders for Docker to build.
    assert_platform(
        &tutor,
        "https://github.com/acme-edu/edx-platform.git",
        &of("edx-platform"),
    );
    assert_codejail(
        &tutor,
        "https://github.com/eduNEXT/codejailservice.git",
        &of("codejail"),
    );
    let mfe = tutor.rendered("plugins/mfe/build/mfe/Dockerfile");
    for app in ["learning", "authoring", "gradebook"] {
        let line = format!(
            "ADD --keep-git-dir=true https://github.com/openedx/frontend-app-{app}.git#{} .\n",
            of(app)
        );
        assert!(mfe.contains(&line), "no `{line}` in the MFE Dockerfile");
    }

    // The branch stays visible: in the plugin beside each commit, and in the README.
    let plugin = tutor.env.read("out/edx_matrix_campus_ci.py");
    let platform = format!(
        "(\"EDX_PLATFORM_VERSION\", \"{}\"),  # the locked commit of branch \"acme/master\"\n",
        of("edx-platform")
    );
    assert!(plugin.contains(&platform), "{plugin}");
    // `--format json` lists them.
    let json = tutor
        .env
        .run(&["export", "tutor", "campus", "CI", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(json.ok()).unwrap();
    let platform = serde_json::json!({
        "place": "EDX_PLATFORM_VERSION", "branch": "acme/master", "commit": of("edx-platform")
    });
    let locked = json[0]["locked"].as_array().unwrap();
    assert!(locked.contains(&platform), "{locked:?}");
    assert!(
        !locked
            .iter()
            .any(|l| l["place"] == "NOTES_REPOSITORY_VERSION")
    );
    let readme = tutor.env.read("out/README.md");
    let row = format!(
        "| `MFE_APPS[learning]` | `{}` | `master` |\n",
        of("learning")
    );
    assert!(readme.contains(&row), "{readme}");
}
