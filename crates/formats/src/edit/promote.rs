//! `promote`: a stage takes the release of the stage before it (CI → QA → Production).

use crate::edit::document::{self, Lines};
use crate::edit::{Base, EditError, EditOutcome, finish};
use edx_matrix_model::Matrix;
use edx_matrix_model::PromotionOrder;

/// What to promote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promote {
    /// The deployment.
    pub deployment: String,
    /// The stage that gets a new release.
    pub to: String,
    /// The stage whose release it gets (default: the stage before `to` in the stage order).
    pub from: Option<String>,
    /// Promote even when a later stage would then run a newer release than an earlier one.
    pub force: bool,
}

/// Sets stage `to` of a deployment to the release of the stage before it (or `from`).
pub fn promote<'t>(base: impl Into<Base<'t>>, args: &Promote) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let text = base.text;
    let (mut doc, matrix) = document::open(base)?;
    let deployment = document::deployment(&matrix, &args.deployment)?;
    document::stage(&matrix, &args.to)?;
    if deployment.release_of(&args.to).is_none() {
        return Err(EditError::refused(format!(
            "deployment `{}` has no stage `{}`",
            args.deployment, args.to
        )));
    }
    let from = match &args.from {
        Some(from) => {
            document::stage(&matrix, from)?;
            if deployment.release_of(from).is_none() {
                return Err(EditError::refused(format!(
                    "deployment `{}` has no stage `{from}`",
                    args.deployment
                )));
            }
            from.clone()
        }
        // The stage before it among the deployment's pins, in promotion order.
        None => match PromotionOrder::new(&matrix).stage_before(deployment, &args.to) {
            Some(pin) => pin.stage.to_string(),
            None => {
                return Err(EditError::Refused {
                    message: format!(
                        "`{}` is the first stage of `{}`: there is no stage to promote from",
                        args.to, args.deployment
                    ),
                    places: Vec::new(),
                    hint: Some("to start a new release there, use `edx-matrix upgrade`".to_owned()),
                });
            }
        },
    };
    let release = deployment
        .release_of(&from)
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    let current = deployment
        .release_of(&args.to)
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    if current == release {
        return Ok(EditOutcome {
            text: text.to_owned(),
            summary: format!(
                "stage `{}` of `{}` already runs `{release}`: nothing to change",
                args.to, args.deployment
            ),
            notes: Vec::new(),
        });
    }
    let mut expected = matrix.clone();
    document::set_pin_in_model(&mut expected, &args.deployment, &args.to, &release);
    if !args.force {
        let lines = Lines::new(text);
        if let Some((earlier, later)) = order_violation(&expected, &args.deployment, &args.to) {
            let pin = |s: &str| {
                expected
                    .deployment(&args.deployment)
                    .and_then(|d| d.release_of(s))
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default()
            };
            return Err(EditError::Refused {
                message: format!(
                    "promoting would make stage `{later}` of `{}` run `{}`, newer than `{}` on the \
                     earlier stage `{earlier}`",
                    args.deployment,
                    pin(&later),
                    pin(&earlier)
                ),
                places: vec![
                    lines.stage(&args.deployment, &earlier),
                    lines.stage(&args.deployment, &later),
                ],
                hint: Some("pass `--force` to promote anyway".to_owned()),
            });
        }
    }
    document::set_pin(&mut doc, &args.deployment, &args.to, &release)?;
    let summary = format!(
        "promoted `{}` stage `{}` from `{current}` to `{release}` (the release of `{from}`)",
        args.deployment, args.to
    );
    finish(base.text, doc.to_string(), &expected, summary, Vec::new())
}

/// Promotes the same stage of several deployments in one edit (`promote a,b --stage QA`): each
/// in turn on the text the previous one left, all refused if any is.
pub fn promote_all<'t>(
    base: impl Into<Base<'t>>,
    deployments: &[String],
    args: &Promote,
) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let Some((first, rest)) = deployments.split_first() else {
        return Err(EditError::refused("no deployment to promote".to_owned()));
    };
    let one = |name: &String| Promote {
        deployment: name.clone(),
        ..args.clone()
    };
    let mut out = promote(base, &one(first))?;
    for name in rest {
        let next = promote(out.text.as_str(), &one(name))?;
        out.summary = format!("{}\n{}", out.summary, next.summary);
        out.notes.extend(next.notes);
        out.text = next.text;
    }
    Ok(out)
}

/// Returns the first pair of neighbouring stages (earlier, later) around `stage` where the later
/// one runs a newer release, by the model's promotion order (the pairs `check` warns about).
fn order_violation(matrix: &Matrix, deployment: &str, stage: &str) -> Option<(String, String)> {
    let d = matrix.deployment(deployment)?;
    PromotionOrder::new(matrix)
        .neighbours(d)
        .into_iter()
        .filter(|pair| pair.earlier.pin.stage == stage || pair.later.pin.stage == stage)
        .find(|pair| pair.out_of_order())
        .map(|pair| {
            (
                pair.earlier.pin.stage.to_string(),
                pair.later.pin.stage.to_string(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::tests::changes;

    const TEXT: &str = r#"stages = ["CI", "QA", "Production"]

[releases]
ulmo     = { branch = "release/ulmo", python = "3.11", node = "24" }
verawood = { branch = "release/verawood", python = "3.12", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
# the main site
campus = { CI = "verawood", QA = "ulmo",     Production = "ulmo" } # testing verawood

[[map]]
releases = ["ulmo", "verawood"]
deployments = ["campus"]
[map.apps]
forum = {}
"#;

    fn args(to: &str, from: Option<&str>, force: bool) -> Promote {
        Promote {
            deployment: "campus".to_owned(),
            to: to.to_owned(),
            from: from.map(str::to_owned),
            force,
        }
    }

    #[test]
    fn promotes_several_deployments_in_one_edit() {
        let text = TEXT.replace(
            "# testing verawood\n",
            "# testing verawood\nonline = { CI = \"verawood\", QA = \"ulmo\", Production = \"ulmo\" }\n",
        )
        .replace(r#"deployments = ["campus"]"#, r#"deployments = ["campus", "online"]"#);
        let names = ["campus".to_owned(), "online".to_owned()];
        let out = promote_all(text.as_str(), &names, &args("QA", None, false)).expect("promotes");
        assert_eq!(
            changes(&text, &out.text).1,
            vec![
                r#"campus = { CI = "verawood", QA = "verawood", Production = "ulmo" } # testing verawood"#.to_owned(),
                r#"online = { CI = "verawood", QA = "verawood", Production = "ulmo" }"#.to_owned(),
            ]
        );
        assert_eq!(out.summary.lines().count(), 2, "{}", out.summary);
        // One refused deployment refuses the edit.
        let names = ["campus".to_owned(), "nowhere".to_owned()];
        assert!(promote_all(text.as_str(), &names, &args("QA", None, false)).is_err());
    }

    #[test]
    fn promotes_from_the_stage_before() {
        let out = promote(TEXT, &args("QA", None, false)).expect("promotes");
        assert_eq!(
            changes(TEXT, &out.text),
            (
                vec![r#"campus = { CI = "verawood", QA = "ulmo",     Production = "ulmo" } # testing verawood"#.to_owned()],
                vec![r#"campus = { CI = "verawood", QA = "verawood", Production = "ulmo" } # testing verawood"#.to_owned()],
            )
        );
    }

    #[test]
    fn refuses_to_skip_over_an_older_stage_unless_forced() {
        let err = promote(TEXT, &args("Production", Some("CI"), false)).expect_err("refused");
        let EditError::Refused {
            message, places, ..
        } = err
        else {
            panic!("not a refusal")
        };
        assert!(
            message.contains("newer than `ulmo` on the earlier stage `QA`"),
            "{message}"
        );
        assert_eq!(places.iter().map(|p| p.line).collect::<Vec<_>>(), [12, 12]);
        let out = promote(TEXT, &args("Production", Some("CI"), true)).expect("forced");
        assert!(out.text.contains(r#"Production = "verawood""#));
    }

    #[test]
    fn refuses_the_first_stage_and_unknown_names() {
        assert!(matches!(
            promote(TEXT, &args("CI", None, false)),
            Err(EditError::Refused { .. })
        ));
        let err = promote(TEXT, &args("Productoin", None, false)).expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown stage `Productoin`; did you mean `Production`?"
        );
    }

    /// Four stages, each pinned as given (CI, QA, Staging, Production).
    fn four_stages(ci: &str, qa: &str, staging: &str, production: &str) -> String {
        TEXT.replace(r#"stages = ["CI", "QA", "Production"]"#, r#"stages = ["CI", "QA", "Staging", "Production"]"#)
            .replace(
                r#"campus = { CI = "verawood", QA = "ulmo",     Production = "ulmo" }"#,
                &format!(r#"campus = {{ CI = "{ci}", QA = "{qa}", Staging = "{staging}", Production = "{production}" }}"#),
            )
    }

    #[test]
    fn refuses_a_promotion_that_leaves_the_next_stage_newer() {
        // QA runs verawood ahead of CI's ulmo; promoting QA from CI puts it on ulmo, and then
        // Staging, after it, would run the newer verawood.
        let text = four_stages("ulmo", "verawood", "verawood", "ulmo");
        let err = promote(text.as_str(), &args("QA", None, false)).expect_err("refused");
        let EditError::Refused { message, .. } = err else {
            panic!("not a refusal")
        };
        assert_eq!(
            message,
            "promoting would make stage `Staging` of `campus` run `verawood`, newer than `ulmo` \
             on the earlier stage `QA`"
        );
        let forced = promote(text.as_str(), &args("QA", None, true)).expect("forced");
        assert!(forced.text.contains(r#"QA = "ulmo""#), "{}", forced.text);
    }

    #[test]
    fn an_order_violation_between_other_stages_does_not_block_a_promotion() {
        // Production already runs newer than Staging; promoting QA does not touch that pair.
        let text = four_stages("verawood", "ulmo", "ulmo", "verawood");
        let out = promote(text.as_str(), &args("QA", None, false)).expect("promotes");
        assert!(out.text.contains(r#"QA = "verawood""#), "{}", out.text);
    }

    #[test]
    fn promoting_twice_changes_nothing_the_second_time() {
        let once = promote(TEXT, &args("QA", None, false)).expect("promotes");
        let twice = promote(&once.text, &args("QA", None, false)).expect("no-op");
        assert_eq!(twice.text, once.text);
    }
}
