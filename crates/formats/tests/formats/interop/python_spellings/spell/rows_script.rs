//! The script CPython runs on a generated package: its rows, through its own properties.

/// A Python script that imports the package from `dir` and prints its rows as JSON, each
/// `[deployment, stage, release, application, type, git_origin, release_branch, runtime,
/// branding]` (`branding`, a field the matrix keeps as `extra`, or `None`).
pub(crate) const ROWS_SCRIPT: &str = r#"
import json, sys
from enum import Enum
sys.path.insert(0, sys.argv[1])
from matrixpkg import version_matrix as vm

def name(x):
    while isinstance(x, Enum):
        x = x.value
    if hasattr(x, "deployment_name"):
        return x.deployment_name
    return x

rows = []
for member in vm.OpenLearningOpenEdxDeployment:
    d = member.value
    for stage, release in d.env_release_map:
        entries = None
        for key, by_deployment in vm.ReleaseMap.items():
            if name(key) == name(release):
                for dkey, versions in by_deployment.items():
                    if name(dkey) == d.deployment_name:
                        entries = versions
        for v in entries or []:
            app = getattr(v, "application", None) or getattr(v, "application_name")
            rows.append([d.deployment_name, stage, name(release), name(app), v.application_type,
                         v.git_origin, v.release_branch, getattr(v, "runtime_version", None),
                         getattr(v, "branding", None)])
print(json.dumps(rows))
"#;
