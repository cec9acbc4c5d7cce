//! `app add` and `app remove`: the application catalogue.

use crate::catalogue;
use crate::edit::document::{self, Lines};
use crate::edit::{Base, EditError, EditOutcome, Place, finish};
use edx_matrix_model::{AppKind, Application, names, names::ApplicationName};
use toml_edit::Item;

/// An application to add; what is not given comes from the standard Open edX catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewApp {
    /// The name (`learning`).
    pub name: String,
    /// IDA or MFE.
    pub kind: Option<AppKind>,
    /// The default repository.
    pub repository: Option<String>,
    /// The URL path of an MFE.
    pub path: Option<String>,
}

/// Adds an application to `[applications]`, after the last one of its kind.
pub fn add<'t>(base: impl Into<Base<'t>>, new: &NewApp) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let (mut doc, matrix) = document::open(base)?;
    let invalid = EditError::invalid;
    EditError::check_name("application name", &new.name)?;
    if matrix.application(&new.name).is_some() {
        return Err(EditError::refused(format!(
            "application `{}` is already defined",
            new.name
        )));
    }
    let standard = catalogue::standard(&new.name).filter(|s| new.kind.is_none_or(|k| k == s.kind));
    let Some(kind) = new.kind.or(standard.map(|s| s.kind)) else {
        return Err(EditError::Refused {
            message: format!(
                "`{}` is not in the standard Open edX catalogue: its kind is needed",
                new.name
            ),
            places: Vec::new(),
            hint: Some("pass `--type ida` or `--type mfe` (and `--path` for an MFE)".to_owned()),
        });
    };
    let repository = new
        .repository
        .clone()
        .or_else(|| standard.and_then(|s| s.repository.map(str::to_owned)));
    let path = new
        .path
        .clone()
        .or_else(|| standard.and_then(|s| s.path.map(str::to_owned)));
    if let Some(r) = &repository {
        if let Some(reason) = edx_matrix_model::url::repository_url_problem(r) {
            return Err(invalid("repository", r, reason));
        }
    }
    match (kind, &path) {
        (AppKind::Mfe, None) => {
            return Err(EditError::Refused {
                message: format!("MFE `{}` needs the URL path it is served under", new.name),
                places: Vec::new(),
                hint: Some("pass `--path SEGMENT`".to_owned()),
            });
        }
        (AppKind::Ida, Some(_)) => {
            return Err(EditError::refused(format!(
                "`{}` is an IDA: only MFEs have a `--path`",
                new.name
            )));
        }
        (_, Some(p)) if !names::is_valid_mfe_path(p) => {
            return Err(invalid("path", p, "use one URL path segment (`learn`)"));
        }
        _ => {}
    }
    let application = Application {
        name: new.name.as_str().into(),
        kind,
        repository: repository.as_deref().map(Into::into),
        path: path.as_deref().map(Into::into),
    };
    // After the last application of the same kind; IDAs before MFEs.
    let position = match matrix.applications.iter().rposition(|a| a.kind == kind) {
        Some(i) => i + 1,
        None if kind == AppKind::Ida => 0,
        None => matrix.applications.len(),
    };
    let Some(Item::Table(table)) = doc.get_mut("applications") else {
        return Err(EditError::Unreadable(
            "`applications` is not an `[applications]` section".to_owned(),
        ));
    };
    let mut fields = vec![("kind", kind.as_lower())];
    if let Some(r) = &repository {
        fields.push(("repository", r.as_str()));
    }
    if let Some(p) = &path {
        fields.push(("path", p.as_str()));
    }
    document::insert_row(table, position, &new.name, &fields);
    let mut expected = matrix.clone();
    expected.applications.insert(position, application);
    let mut notes = Vec::new();
    if standard.is_some() && (new.repository.is_none() || new.path.is_none()) {
        notes.push(format!(
            "filled from the standard Open edX catalogue: {}",
            fields
                .iter()
                .map(|(k, v)| format!("{k} `{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes.push(format!(
        "`{}` is in no release-map entry yet: add it with `edx-matrix include DEPLOYMENT RELEASE {}`",
        new.name, new.name
    ));
    finish(
        base.text,
        doc.to_string(),
        &expected,
        format!("added {} `{}`", kind, new.name),
        notes,
    )
}

/// Removes an application from the catalogue; refuses while any release-map block includes it.
pub fn remove<'t>(
    base: impl Into<Base<'t>>,
    name: &ApplicationName,
) -> Result<EditOutcome, EditError> {
    let name = name.as_str();
    let base = base.into();
    let text = base.text;
    let (mut doc, matrix) = document::open(base)?;
    document::application(&matrix, name)?;
    let lines = Lines::new(text);
    let mut places: Vec<Place> = Vec::new();
    for (b, block) in document::blocks(&doc).into_iter().enumerate() {
        if document::apps(block).is_some_and(|a| a.contains_key(name)) {
            let pairs = format!(
                "included for {} x {}",
                document::names(block, "releases").join(", "),
                document::names(block, "deployments").join(", ")
            );
            places.push(lines.block_app(b, name, pairs));
        }
    }
    if !places.is_empty() {
        return Err(EditError::Refused {
            message: format!(
                "application `{name}` is still in {} release-map block{}",
                places.len(),
                if places.len() == 1 { "" } else { "s" }
            ),
            places,
            hint: Some(format!(
                "remove it from each entry first (`edx-matrix exclude DEPLOYMENT RELEASE {name}`)"
            )),
        });
    }
    document::section_mut(&mut doc, "applications")?.remove(name);
    let mut expected = matrix.clone();
    expected.applications.retain(|a| a.name != name);
    finish(
        base.text,
        doc.to_string(),
        &expected,
        format!("removed application `{name}`"),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::tests::changes;

    const ACME: &str = crate::example::TEXT;

    #[test]
    fn add_from_the_catalogue_after_its_kind() {
        let out = add(
            ACME,
            &NewApp {
                name: "learner-record".to_owned(),
                ..NewApp::default()
            },
        )
        .expect("adds");
        assert_eq!(
            changes(ACME, &out.text),
            (
                Vec::new(),
                vec![r#"learner-record    = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learner-record", path = "learner-record" }"#.to_owned()]
            )
        );
        let ida = add(
            ACME,
            &NewApp {
                name: "ecommerce".to_owned(),
                kind: Some(AppKind::Ida),
                repository: Some("https://github.com/openedx/ecommerce".to_owned()),
                path: None,
            },
        )
        .expect("adds");
        let lines: Vec<&str> = ida.text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("ecommerce"))
            .expect("added");
        assert_eq!(
            lines[at],
            r#"ecommerce         = { kind = "ida", repository = "https://github.com/openedx/ecommerce" }"#
        );
        assert!(lines[at - 1].starts_with("edxapp_theme") && lines[at + 1].starts_with("learning"));
    }

    #[test]
    fn add_refuses_unknown_kind_missing_path_and_duplicates() {
        let new = |name: &str, kind| NewApp {
            name: name.to_owned(),
            kind,
            ..NewApp::default()
        };
        assert!(matches!(
            add(ACME, &new("mystery", None)),
            Err(EditError::Refused { .. })
        ));
        assert!(matches!(
            add(ACME, &new("mystery", Some(AppKind::Mfe))),
            Err(EditError::Refused { .. })
        ));
        assert!(matches!(
            add(ACME, &new("forum", None)),
            Err(EditError::Refused { .. })
        ));
    }

    #[test]
    fn remove_refuses_while_used_then_removes() {
        let err = remove(ACME, &"communications".into()).expect_err("used");
        let EditError::Refused { places, .. } = err else {
            panic!("not refused")
        };
        assert_eq!(
            places.iter().map(|p| p.line).collect::<Vec<_>>(),
            [104, 123, 129]
        );
        let added = add(
            ACME,
            &NewApp {
                name: "learner-record".to_owned(),
                ..NewApp::default()
            },
        )
        .expect("adds");
        let removed = remove(&added.text, &"learner-record".into()).expect("removes");
        assert_eq!(removed.text, ACME);
    }
}
