//! `export tutor` compares what it sets with Tutor's defaults
//! (`edx_matrix_formats::tutor::defaults`, copied from Tutor 22's sources): here they are read
//! back from the installed Tutor and tutor-mfe, through their own Python, so a Tutor that
//! changes a default fails this test instead of making the export's "changes" lines wrong.

use edx_matrix_formats::tutor::defaults;
use edx_matrix_test_support::require_tutor;
use serde_json::Value;
use std::process::Command;

const SCRIPT: &str = r#"
import json
from tutor import config, hooks
import tutor.plugins
hooks.Actions.CORE_READY.do()
for plugin in ["mfe", "notes", "xqueue", "codejail"]:
    tutor.plugins.load(plugin)
base = config.get_base()
defaults = config.get_defaults()
from tutormfe import plugin as mfe
print(json.dumps({
    "config": {**base, **defaults},
    "mfe_apps": mfe.CORE_MFE_APPS,
    "frontend_apps": mfe.CORE_FRONTEND_APPS,
}))
"#;

#[test]
fn the_defaults_table_is_the_installed_tutors() {
    let Some(tutor) = require_tutor("the_defaults_table_is_the_installed_tutors") else {
        return;
    };
    let output = Command::new(tutor.with_file_name("python"))
        .args(["-c", SCRIPT])
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: Value = serde_json::from_slice(&output.stdout).unwrap();
    for (setting, default) in defaults::SETTINGS {
        assert_eq!(
            found["config"][setting].as_str(),
            Some(*default),
            "{setting}"
        );
    }
    let mfe_apps = found["mfe_apps"].as_object().unwrap();
    assert_eq!(mfe_apps.len(), defaults::MFE_APPS.len());
    for (name, repository, port) in defaults::MFE_APPS {
        assert_eq!(mfe_apps[*name]["repository"], *repository, "{name}");
        assert_eq!(mfe_apps[*name]["port"], *port, "{name}");
    }
    let frontend_apps = found["frontend_apps"].as_object().unwrap();
    assert_eq!(frontend_apps.len(), defaults::FRONTEND_APPS.len());
    for app in defaults::FRONTEND_APPS {
        let found = &frontend_apps[app.name];
        assert_eq!(found["npm_package"], app.npm_package, "{}", app.name);
        assert_eq!(found["npm_version"], app.npm_version, "{}", app.name);
        assert_eq!(found["enabled"], app.enabled, "{}", app.name);
        assert!(found.get("source").is_none(), "{}", app.name);
    }
}
