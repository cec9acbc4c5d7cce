//! `edx-matrix show`: the deployments x stages grid, or one deployment's components.

use super::resolve::rows_table;
use crate::cli::GlobalArgs;
use crate::error::CmdResult;
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::names::parse;
use crate::output::Output;
use edx_matrix_model::{
    Filter, Matrix,
    names::{DeploymentName, StageName},
    resolve,
};
use serde_json::json;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct ShowArgs {
    /// Show the components of this deployment
    #[arg(value_parser = parse::deployment)]
    pub deployment: Option<DeploymentName>,
    /// Only this stage of the deployment
    #[arg(value_parser = parse::stage)]
    pub stage: Option<StageName>,
    /// Output format
    #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
    pub format: Format,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &ShowArgs) -> CmdResult {
    let mut loaded = matrix_file::load_valid(global, out)?.into_loaded();
    // A URL credential (allowed as a warning by `[lints]`) is never printed.
    edx_matrix_formats::redact_matrix(&mut loaded.matrix);
    let matrix = &loaded.matrix;
    match &args.deployment {
        None => match args.format {
            Format::Json => out.json(&grid_json(matrix))?,
            _ => out.print(&grid(matrix, out))?,
        },
        Some(name) => {
            let name = name.as_str();
            let deployment = crate::names::deployment(matrix, name)?;
            let stage = args.stage.as_ref().map(StageName::as_str);
            if let Some(stage) = stage {
                crate::names::require_stage_of(matrix, deployment, stage)?;
            }
            let filter = Filter {
                // Both are names of the matrix (checked above).
                deployment: Some(deployment.name.clone()),
                stage: stage.map(edx_matrix_model::names::StageName::new),
                ..Filter::default()
            };
            let rows = resolve(matrix, &filter).rows;
            match args.format {
                Format::Json => out.json_rows(&edx_matrix_formats::interchange::RowsJson::new(
                    matrix, &rows,
                ))?,
                _ => {
                    let mut text = String::new();
                    for pin in &deployment.stages {
                        if stage.is_some_and(|s| s != pin.stage.as_str()) {
                            continue;
                        }
                        let stage_rows: Vec<_> = rows
                            .iter()
                            .filter(|r| r.stage == pin.stage.as_str())
                            .copied()
                            .collect();
                        if !text.is_empty() {
                            text.push('\n');
                        }
                        text.push_str(&out.bold(&format!(
                            "{name} {} runs {} ({})",
                            pin.stage,
                            pin.release,
                            crate::output::count(stage_rows.len(), "application", "applications")
                        )));
                        text.push('\n');
                        let vars =
                            edx_matrix_model::vars::of_stage(matrix, name, pin.stage.as_str());
                        if !vars.is_empty() {
                            let list: Vec<String> = vars
                                .iter()
                                .map(|(k, v)| format!("{k} = {}", v.as_text()))
                                .collect();
                            text.push_str(&format!("vars: {}\n", list.join(", ")));
                        }
                        text.push_str(&rows_table(&stage_rows, false));
                    }
                    out.print(&text)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders the deployments x stages grid with a legend.
fn grid(matrix: &Matrix, out: &Output) -> String {
    let mut header = vec!["DEPLOYMENT".to_owned()];
    header.extend(matrix.stages.iter().map(|s| s.as_str().to_owned()));
    let mut rows: Vec<Vec<(String, Option<usize>)>> = Vec::new();
    for d in &matrix.deployments {
        let mut row = vec![(d.name.as_str().to_owned(), None)];
        for stage in &matrix.stages {
            row.push(match d.release_of(stage.as_str()) {
                Some(release) => (
                    release.as_str().to_owned(),
                    matrix.releases.iter().position(|r| r.name == *release),
                ),
                None => ("-".to_owned(), None),
            });
        }
        rows.push(row);
    }
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].0.chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Coloured cells carry one space of padding on each side; keep columns aligned.
    let pad = if out.color_stdout { 2 } else { 0 };
    let mut text = String::new();
    let header_line: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(c, h)| format!("{h:<w$}", w = widths[c] + if c == 0 { 0 } else { pad }))
        .collect();
    text.push_str(out.bold(header_line.join("  ").trim_end()).as_str());
    text.push('\n');
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, (value, slot))| {
                let fill = widths[c] - value.chars().count();
                match slot {
                    Some(slot) => {
                        format!("{}{}", out.release_colour(value, *slot), " ".repeat(fill))
                    }
                    None => format!("{value}{}", " ".repeat(fill + if c == 0 { 0 } else { pad })),
                }
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text.push('\n');
    text.push_str("Releases:\n");
    let name_width = matrix
        .releases
        .iter()
        .map(|r| r.name.as_str().chars().count())
        .max()
        .unwrap_or(0);
    for (slot, release) in matrix.releases.iter().enumerate() {
        let stages: usize = matrix
            .deployments
            .iter()
            .map(|d| {
                d.stages
                    .iter()
                    .filter(|p| p.release == release.name)
                    .count()
            })
            .sum();
        let mut notes = vec![
            format!("branch {}", release.branch),
            format!(
                "python {}",
                release.python.as_ref().map_or("none", |v| v.as_str())
            ),
            format!(
                "node {}",
                release.node.as_ref().map_or("none", |v| v.as_str())
            ),
        ];
        if release.rolling {
            notes.push("rolling".to_owned());
        }
        notes.push(match stages {
            0 => "no stage: can be retired".to_owned(),
            1 => "1 stage".to_owned(),
            n => format!("{n} stages"),
        });
        let fill = name_width - release.name.as_str().chars().count();
        text.push_str(&format!(
            "  {}{}  {}\n",
            out.release_colour(release.name.as_str(), slot),
            " ".repeat(fill),
            notes.join(", ")
        ));
    }
    text
}

fn grid_json(matrix: &Matrix) -> serde_json::Value {
    json!({
        "stages": matrix.stages,
        "releases": matrix.releases.iter().map(|r| json!({
            "name": r.name, "branch": r.branch, "python": r.python, "node": r.node, "rolling": r.rolling,
        })).collect::<Vec<_>>(),
        "deployments": matrix.deployments.iter().map(|d| json!({
            "name": d.name,
            "stages": d.stages.iter().map(|p| json!({"stage": p.stage, "release": p.release, "vars": p.vars})).collect::<Vec<_>>(),
            "vars": d.vars,
        })).collect::<Vec<_>>(),
    })
}
