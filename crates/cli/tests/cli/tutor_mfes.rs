//! `export tutor`'s MFEs in real Tutor (tutor-mfe 22.1.0): for the starter estate `init` writes
//! and for the example, what the README says about each app is what Tutor's rendered MFE build
//! does. Every app the README sets is built from the repository and version it names (a legacy
//! MFE's `ADD repository#version` stage, a frontend-base app's `source` stage in the shared
//! site), every app it lists as removed is absent from the Dockerfile, the site's `package.json`
//! and the Caddyfile, and is named on standard error. The README is parsed; the apps that must
//! be there are written by hand as well (login, account, profile, the learner dashboard).

use crate::harness::Env;
use crate::tutor::{Tutor, install_in};
use edx_matrix_test_support::require_tutor;

/// What the README says about the MFEs.
#[derive(Debug, Default)]
pub(crate) struct ReadmeMfes {
    /// `MFE_APPS` rows: (name, repository, version).
    pub(crate) legacy: Vec<(String, String, String)>,
    /// `FRONTEND_APPS` rows: (name, repository, version, source).
    pub(crate) frontend: Vec<(String, String, String, String)>,
    /// Frontend apps left to tutor-mfe's npm build.
    pub(crate) npm: Vec<String>,
    /// The removed apps.
    pub(crate) removed: Vec<String>,
}

/// The cells of the rows of the table under the heading starting with `heading`.
fn table(readme: &str, heading: &str) -> Vec<Vec<String>> {
    let Some(start) = readme.find(heading) else {
        return Vec::new();
    };
    readme[start..]
        .lines()
        .skip(1)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and its `|---|` line
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .collect()
        })
        .collect()
}

fn readme_mfes(readme: &str) -> ReadmeMfes {
    let mut mfes = ReadmeMfes::default();
    for row in table(readme, "## MFEs (") {
        mfes.legacy
            .push((row[0].clone(), row[1].clone(), row[2].clone()));
    }
    for row in table(readme, "## Frontend apps (") {
        mfes.frontend.push((
            row[0].clone(),
            row[1].clone(),
            row[2].clone(),
            row[3].clone(),
        ));
    }
    mfes.removed = list_after(readme, "Removed from what tutor-mfe builds");
    mfes.npm = list_after(readme, "Frontend apps from npm, as tutor-mfe builds them");
    mfes
}

/// The names listed on the README line starting with `start` (`…: a, b, c.`).
fn list_after(readme: &str, start: &str) -> Vec<String> {
    let Some(line) = readme.lines().find(|l| l.starts_with(start)) else {
        return Vec::new();
    };
    let list = line.split_once("): ").unwrap().1.trim_end_matches('.');
    list.split(", ").map(str::to_owned).collect()
}

/// The rendered MFE build: the Dockerfile, the site's `package.json` (when tutor-mfe builds a
/// site) and the Caddyfile.
struct Build {
    dockerfile: String,
    site_package: String,
    caddyfile: String,
}

fn build(tutor: &Tutor) -> Build {
    let site = tutor
        .env
        .path("root/env/plugins/mfe/build/mfe/site/package.json");
    Build {
        dockerfile: tutor.rendered("plugins/mfe/build/mfe/Dockerfile"),
        site_package: std::fs::read_to_string(site).unwrap_or_default(),
        caddyfile: tutor.rendered("plugins/mfe/apps/mfe/Caddyfile"),
    }
}

impl Build {
    fn builds_legacy(&self, name: &str, repository: &str, version: &str) -> bool {
        self.dockerfile.contains(&format!(
            "FROM scratch AS {name}-src\nADD --keep-git-dir=true {repository}#{version} .\n"
        ))
    }

    fn builds_frontend_source(&self, name: &str, source: &str) -> bool {
        self.dockerfile.contains(&format!(
            "FROM scratch AS frontend-app-{name}-src\nADD --keep-git-dir=true {source} .\n"
        )) && self
            .site_package
            .contains(&format!("\"@openedx/frontend-app-{name}\": "))
    }

    /// A frontend app built from tutor-mfe's npm package: in the site's `package.json`, with no
    /// source stage.
    fn builds_frontend_npm(&self, name: &str) -> bool {
        self.site_package
            .contains(&format!("\"@openedx/frontend-app-{name}\": \""))
            && !self
                .dockerfile
                .contains(&format!("FROM scratch AS frontend-app-{name}-src\nADD"))
    }

    fn builds_any(&self, name: &str) -> bool {
        self.dockerfile
            .contains(&format!("FROM scratch AS {name}-src\n"))
            || self
                .dockerfile
                .contains(&format!("FROM scratch AS frontend-app-{name}-src\n"))
            || self
                .site_package
                .contains(&format!("\"@openedx/frontend-app-{name}\""))
            || self.caddyfile.contains(&format!("@mfe_{name} {{"))
    }
}

/// Checks every claim of the README about the MFEs against Tutor's rendered build and the
/// export's standard error; returns what the README says.
pub(crate) fn assert_readme_is_what_tutor_builds(tutor: &Tutor) -> ReadmeMfes {
    let readme = tutor.env.read("out/README.md");
    let mfes = readme_mfes(&readme);
    let build = build(tutor);
    assert!(!mfes.legacy.is_empty(), "{readme}");
    for (name, repository, version) in &mfes.legacy {
        assert!(
            build.builds_legacy(name, repository, version),
            "README: {name} from {repository} at {version}; not in the rendered Dockerfile"
        );
    }
    for (name, repository, version, source) in &mfes.frontend {
        assert_eq!(source, &format!("{repository}#{version}"));
        assert!(
            build.builds_frontend_source(name, source),
            "README: frontend app {name} from {source}; not in the rendered build"
        );
    }
    for name in &mfes.npm {
        assert!(
            build.builds_frontend_npm(name),
            "README: {name} from npm; not in the rendered build"
        );
    }
    for name in &mfes.removed {
        assert!(
            !build.builds_any(name),
            "README: {name} removed; Tutor builds it"
        );
        let said = tutor.export_stderr.lines().any(|l| {
            l.starts_with("changes Tutor: ")
                && (l.contains(&format!(": removes MFE {name} "))
                    || l.contains(&format!(": removes frontend app {name} ")))
        });
        assert!(
            said,
            "{name} removed, not said on stderr:\n{}",
            tutor.export_stderr
        );
    }
    mfes
}

/// A starter estate: `init`, then `edit` of its text.
pub(crate) fn starter(edit: impl Fn(String) -> String) -> Env {
    let env = Env::new();
    env.run(&["init"]).code(0);
    let text = edit(env.read("edx-matrix.toml"));
    env.write("edx-matrix.toml", &text);
    env.run(&["check"]).code(0);
    env
}

const STARTER_ENABLE: &[&str] = &["forum", "notes", "mfe", "edx_matrix_mysite_production"];

/// The MFEs Tutor 22 runs by default, written by hand from tutor-mfe 22.1.0's plugin.py.
const LEGACY: &[&str] = &[
    "learning",
    "authoring",
    "discussions",
    "gradebook",
    "learner-dashboard",
    "ora-grading",
    "communications",
    "account",
    "profile",
    "authn",
    "admin-console",
    "catalog",
];

#[test]
fn tutor_builds_every_default_mfe_of_the_starter() {
    let test = "tutor_builds_every_default_mfe_of_the_starter";
    let Some(program) = require_tutor(test) else {
        return;
    };
    let env = starter(|text| text);
    let (tutor, _) =
        install_in(program, env, false, "mysite", "Production", STARTER_ENABLE).unwrap();
    let mfes = assert_readme_is_what_tutor_builds(&tutor);
    assert!(mfes.removed.is_empty(), "{mfes:?}");
    let build = build(&tutor);
    for name in LEGACY {
        let repository = format!("https://github.com/openedx/frontend-app-{name}.git");
        assert!(
            build.builds_legacy(name, &repository, "release/verawood"),
            "{name}"
        );
    }
    // The frontend-base apps, upstream at the release's branch: tutor-mfe's npm packages.
    assert_eq!(mfes.npm, ["instructor-dashboard", "notifications"]);
    assert!(mfes.frontend.is_empty());
    assert!(
        build
            .site_package
            .contains("\"@openedx/frontend-app-instructor-dashboard\": \"^1.0.0 || 0.0.0-dev\"")
    );
    assert!(
        build
            .site_package
            .contains("\"@openedx/frontend-app-notifications\": \"^3.0.0 || 0.0.0-dev\"")
    );
    assert!(
        !build.dockerfile.contains(
            "ADD --keep-git-dir=true https://github.com/openedx/frontend-app-notifications"
        )
    );
    // Login, account, profile and the learner dashboard stay wired into the LMS.
    let lms = tutor.rendered("apps/openedx/settings/lms/production.py");
    for setting in [
        "AUTHN_MICROFRONTEND_URL",
        "ACCOUNT_MICROFRONTEND_URL",
        "PROFILE_MICROFRONTEND_URL",
        "LEARNER_HOME_MICROFRONTEND_URL",
        "INSTRUCTOR_MICROFRONTEND_URL",
    ] {
        assert!(lms.contains(&format!("{setting} = ")), "{setting}");
    }
    // The release's branch replaces Tutor's pinned tag, and the export says so.
    assert_eq!(tutor.value("OPENEDX_COMMON_VERSION"), "release/verawood");
    assert!(
        tutor.export_stderr.contains(
            "changes Tutor: edx_matrix_mysite_production: sets OPENEDX_COMMON_VERSION to `release/verawood`, the release's branch, instead of Tutor 22's pinned tag `release/verawood.1`"
        ),
        "{}",
        tutor.export_stderr
    );
    // The starter's repositories, Node and frontend apps are Tutor's: the branch is the one
    // change to report.
    let changes: Vec<&str> = tutor
        .export_stderr
        .lines()
        .filter(|l| l.starts_with("changes Tutor: "))
        .collect();
    assert_eq!(changes.len(), 1, "{}", tutor.export_stderr);
    assert_eq!(
        tutor.value("MFE_NODE_IMAGE"),
        "docker.io/node:24.14.1-bookworm-slim"
    );
}

/// A starter stage without login (`authn`, a legacy MFE with a disabled frontend-base twin) and
/// without `notifications` (frontend-base only), with a fork of `instructor-dashboard`: both
/// removed apps leave both filters, the fork is a `source` build.
#[test]
fn tutor_removes_and_forks_frontend_apps() {
    let test = "tutor_removes_and_forks_frontend_apps";
    let Some(program) = require_tutor(test) else {
        return;
    };
    let env = starter(|text| {
        let edited = text
            .replace("\nauthn                = {}\n", "\n")
            .replace("\nnotifications        = {}\n", "\n")
            .replace(
                "\ninstructor-dashboard = {}\n",
                "\ninstructor-dashboard = { origin = \"https://github.com/example/frontend-app-instructor-dashboard\", branch = \"mysite/{release}\" }\n",
            );
        assert_eq!(
            edited.matches("= {}").count() + 3,
            text.matches("= {}").count()
        );
        edited
    });
    let (tutor, _) =
        install_in(program, env, false, "mysite", "Production", STARTER_ENABLE).unwrap();
    let mfes = assert_readme_is_what_tutor_builds(&tutor);
    assert_eq!(mfes.removed, ["authn", "notifications"]);
    let build = build(&tutor);
    assert!(build.builds_frontend_source(
        "instructor-dashboard",
        "https://github.com/example/frontend-app-instructor-dashboard.git#mysite/verawood"
    ));
    for name in ["authn", "notifications"] {
        assert!(!build.builds_any(name), "{name}");
    }
    let lms = tutor.rendered("apps/openedx/settings/lms/production.py");
    assert!(!lms.contains("AUTHN_MICROFRONTEND_URL = "));
    assert!(
        tutor.export_stderr.contains(
            "removes MFE authn (`MFE_APPS` and its frontend-base app from `FRONTEND_APPS`)"
        ),
        "{}",
        tutor.export_stderr
    );
}

#[test]
fn tutor_builds_the_example_mfes_as_its_readme_says() {
    let test = "tutor_builds_the_example_mfes_as_its_readme_says";
    for (deployment, stage, enable, removed) in [
        (
            "campus",
            "QA",
            &["codejail", "notes", "xqueue", "mfe", "edx_matrix_campus_qa"][..],
            &["communications"][..],
        ),
        (
            "pro",
            "Production",
            &["notes", "mfe", "edx_matrix_pro_production"][..],
            &["discussions", "gradebook", "ora-grading"][..],
        ),
    ] {
        let Some(program) = require_tutor(test) else {
            return;
        };
        let (tutor, _) = install_in(program, Env::new(), true, deployment, stage, enable).unwrap();
        let mfes = assert_readme_is_what_tutor_builds(&tutor);
        assert_eq!(mfes.removed, removed, "{deployment} {stage}");
        // The example's catalogue has no authn, account or profile: Tutor keeps building them.
        let build = build(&tutor);
        for name in ["authn", "account", "profile"] {
            assert!(build.builds_any(name), "{name}");
        }
    }
}
