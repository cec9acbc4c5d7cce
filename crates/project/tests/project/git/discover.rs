//! `discover_releases` on the refs of a real repository.

use std::time::Duration;

use edx_matrix_project::git::{GitCli, RemoteRefs, UpstreamRelease, discover_releases};

use crate::git::support::{Sandbox, TestResult, file_url};

#[test]
fn discovers_releases_of_an_upstream_repository() -> TestResult {
    let sandbox = Sandbox::new()?;
    let repo = sandbox.bare_repo(
        "edx-platform.git",
        &[
            "master",
            "feature/x",
            "open-release/palm.master",
            "release/teak",
            "release/ulmo",
        ],
        &["open-release/palm.1", "release/teak.2", "v1.0"],
    )?;
    let refs = GitCli::new()
        .with_timeout(Duration::from_secs(10))
        .list_refs(&file_url(&repo))?;
    let release = |name: &str, branch: &str, tags: &[&str]| UpstreamRelease {
        name: name.to_owned(),
        branch: Some(branch.to_owned()),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    };
    assert_eq!(
        discover_releases(&refs),
        [
            release("palm", "open-release/palm.master", &["open-release/palm.1"]),
            release("teak", "release/teak", &["release/teak.2"]),
            release("ulmo", "release/ulmo", &[]),
        ]
    );
    Ok(())
}
