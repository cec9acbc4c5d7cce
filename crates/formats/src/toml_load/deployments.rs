//! Reading `[deployments]`: each deployment's stage pins.

use super::source_map::DeploymentSpans;
use super::tree::Table;
use super::{Reader, section};
use edx_matrix_model::{Deployment, Matrix, StagePin};

pub(super) fn read_deployments(reader: &mut Reader, root: &Table<'_>, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "deployments",
        "the matrix file (the deployments and their stages)",
    ) else {
        return;
    };
    for entry in table.entries() {
        let (name, item) = (entry.key.as_ref(), &entry.node);
        let name_span = entry
            .key_span
            .clone()
            .unwrap_or_else(|| reader.toml.fallback());
        let what = || format!("deployment `{name}`");
        let mut spans = DeploymentSpans {
            name: name_span.clone(),
            stages: Vec::new(),
        };
        let mut deployment = Deployment {
            name: name.into(),
            stages: Vec::new(),
            vars: Default::default(),
        };
        if let Some(stages) = reader.toml.node_table(item, &what, &name_span) {
            for entry in stages.entries() {
                let (stage, value) = (entry.key.as_ref(), &entry.node);
                let key_span = entry.key_span.clone().unwrap_or_else(|| name_span.clone());
                // `vars = { … }` (or `[deployments.<name>.vars]`): the deployment's values.
                if stage == "vars" && value.as_table_like().is_some() {
                    deployment.vars = crate::vars_load::read_vars(
                        &mut reader.toml,
                        value,
                        &format!("the `vars` of {}", what()),
                        &key_span,
                    );
                    continue;
                }
                // `QA = { release = "ulmo", vars = { … } }`: a stage with its own values.
                if let Some(table) = value.as_table_like() {
                    let stage_what = || format!("stage `{stage}` of {}", what());
                    reader.toml.node_unknown_keys(
                        table,
                        &["release", "vars"],
                        &stage_what,
                        &key_span,
                    );
                    let vars = table.get("vars").map(|v| {
                        crate::vars_load::read_vars(
                            &mut reader.toml,
                            v,
                            &format!("the `vars` of {}", stage_what()),
                            &key_span,
                        )
                    });
                    let release = match table.get("release") {
                        Some(r) => reader.toml.node_string(
                            r,
                            &|| format!("the release of {}", stage_what()),
                            &key_span,
                        ),
                        None => {
                            reader
                                .toml
                                .missing(key_span.clone(), "release", &stage_what);
                            None
                        }
                    };
                    if let Some((release, span)) = release {
                        deployment.stages.push(StagePin {
                            stage: stage.into(),
                            release: release.into(),
                            vars: vars.unwrap_or_default(),
                        });
                        spans.stages.push((key_span, span));
                    }
                    continue;
                }
                if let Some((release, span)) = reader.toml.node_string(
                    value,
                    &|| format!("the release of stage `{stage}` of {}", what()),
                    &key_span,
                ) {
                    deployment.stages.push(StagePin {
                        stage: stage.into(),
                        release: release.into(),
                        vars: Default::default(),
                    });
                    spans.stages.push((key_span, span));
                }
            }
        }
        // A vector grown by `push` keeps room for four; a large file has many small ones.
        deployment.stages.shrink_to_fit();
        spans.stages.shrink_to_fit();
        matrix.deployments.push(deployment);
        reader.map.deployments.push(spans);
    }
}
