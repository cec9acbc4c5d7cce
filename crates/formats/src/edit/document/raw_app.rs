//! [`RawApp`]: one application of a block as written, its values still templates.

use crate::template::Template;
use edx_matrix_model::AppVersion;
use toml_edit::Item;

/// An application of a block as written: raw values, templates unexpanded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawApp {
    /// `release`, the release whose defaults the entry takes.
    pub release: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `origin`.
    pub origin: Option<String>,
    /// `runtime`.
    pub runtime: Option<String>,
    /// `translations`.
    pub translations: Option<Vec<String>>,
    /// `extra`, as data (never renamed or templated).
    pub extra: edx_matrix_model::Extra,
}

impl RawApp {
    /// Reads the values of one application of a block.
    pub(crate) fn read(item: &Item) -> RawApp {
        let Some(t) = item.as_table_like() else {
            return RawApp::default();
        };
        let string = |k: &str| t.get(k).and_then(Item::as_str).map(str::to_owned);
        RawApp {
            release: string("release"),
            branch: string("branch"),
            origin: string("origin"),
            runtime: string("runtime"),
            translations: t.get("translations").and_then(Item::as_array).map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            }),
            extra: t
                .get("extra")
                .map(crate::extra_load::read_checked)
                .unwrap_or_default(),
        }
    }

    /// Returns the entry this application gives (`release`, `deployment`).
    pub(crate) fn render(&self, name: &str, release: &str, deployment: &str) -> AppVersion {
        let render = |raw: &String| match Template::parse(raw) {
            Ok(t) => t.render(release, deployment),
            Err(_) => raw.clone(),
        };
        AppVersion {
            application: name.into(),
            release: self.release.as_deref().unwrap_or(release).into(),
            branch: self.branch.as_ref().map(|v| render(v).into()),
            origin: self.origin.as_ref().map(|v| render(v).into()),
            runtime: self.runtime.as_ref().map(|v| render(v).into()),
            translations: self
                .translations
                .as_ref()
                .map(|ts| ts.iter().map(render).collect()),
            extra: self.extra.clone(),
        }
    }
}
