//! Upgrade runbooks: the manual steps a release needs when it is deployed, and the
//! `[operations]` settings of the operator tools (the Grafana link of `edx-matrix logs`).
//!
//! ```toml
//! [[runbooks.redwood]]
//! text = "Generate JWT signing keys and add them to the secrets of this stage"
//! command = "edx-matrix jwt-keygen"
//! when = "first-deploy"          # or "every-deploy"; default "first-deploy"
//! stages = ["CI", "QA"]          # default: every stage
//! source = "https://..."         # optional: where the step comes from
//!
//! [operations]
//! grafana_url = "https://grafana.example.org"
//! loki_datasource = "loki-uid"
//! ```
//!
//! [`read`] walks the spanned TOML document like `toml_load` does and reports every problem as a
//! located [`Diagnostic`]; [`load_toml`](crate::load_toml) adds them to the other diagnostics, so
//! `edx-matrix check` shows them. [`Runbooks::steps_for`] picks the steps for one deployment of a
//! release to a stage, falling back to the [`builtin`] knowledge when the matrix has no runbook
//! for that release, and [`Plan`] renders them as text, Markdown or JSON.

pub mod builtin;
pub mod due;

use crate::diagnostic::Diagnostic;
use crate::spanned::{self, TomlReader, key_span};
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use serde::Serialize;
use std::ops::Range;
use toml_edit::{Item, TableLike};

type Span = Range<usize>;

/// The keys of one runbook step.
pub const STEP_KEYS: &[&str] = &["text", "command", "when", "stages", "source"];
/// The keys of the `[operations]` table.
pub const OPERATIONS_KEYS: &[&str] = &["grafana_url", "loki_datasource"];

/// When a step is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// The first time the release is deployed to a stage (the default).
    FirstDeploy,
    /// Every time the release is deployed to a stage.
    EveryDeploy,
}

impl When {
    /// Returns the name used in the file (`first-deploy`).
    pub fn as_str(self) -> &'static str {
        match self {
            When::FirstDeploy => "first-deploy",
            When::EveryDeploy => "every-deploy",
        }
    }

    /// Returns the words used in rendered runbooks (`first deploy`).
    pub fn as_words(self) -> &'static str {
        match self {
            When::FirstDeploy => "first deploy",
            When::EveryDeploy => "every deploy",
        }
    }

    /// Parses `first-deploy` or `every-deploy`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "first-deploy" => Some(When::FirstDeploy),
            "every-deploy" => Some(When::EveryDeploy),
            _ => None,
        }
    }
}

/// One manual step of a runbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What to do, for people (may span lines).
    pub text: String,
    /// A command to run, shown as is and never executed by `edx-matrix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// When it is due.
    pub when: When,
    /// The stages it applies to; empty means every stage.
    pub stages: Vec<String>,
    /// Where the step comes from (release notes, an operators' note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Step {
    /// Returns whether the step is due when deploying to `stage` (any stage when `None`);
    /// first-deploy steps are due only when `first_deploy`.
    pub fn applies(&self, stage: Option<&str>, first_deploy: bool) -> bool {
        let stage_ok = match stage {
            Some(stage) => self.stages.is_empty() || self.stages.iter().any(|s| s == stage),
            None => true,
        };
        stage_ok && (first_deploy || self.when == When::EveryDeploy)
    }
}

/// Where the steps of a plan come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The `[runbooks]` section of the matrix file.
    Matrix,
    /// The built-in knowledge of upstream releases ([`builtin`]): the matrix has no runbook for
    /// the release.
    BuiltIn,
}

/// The runbooks of a matrix file, by release, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runbooks {
    /// (release, steps) in file order.
    pub releases: Vec<(String, Vec<Step>)>,
}

impl Runbooks {
    /// Returns the steps written in the file for `release`, if the file has a runbook for it.
    pub fn for_release(&self, release: &str) -> Option<&[Step]> {
        self.releases
            .iter()
            .find(|(name, _)| name == release)
            .map(|(_, steps)| steps.as_slice())
    }

    /// Returns the steps due when deploying `release` to `stage` (every stage when `None`);
    /// `first_deploy` says whether this is the release's first deploy to that stage (then
    /// first-deploy steps are included too). Without a runbook for `release` in the file, the
    /// built-in steps for it are used.
    pub fn steps_for(&self, release: &str, stage: Option<&str>, first_deploy: bool) -> Plan {
        let (origin, steps) = match self.for_release(release) {
            Some(steps) => (Origin::Matrix, steps.to_vec()),
            None => (Origin::BuiltIn, builtin::steps(release)),
        };
        Plan {
            release: release.to_owned(),
            stage: stage.map(str::to_owned),
            first_deploy,
            origin,
            steps: steps
                .into_iter()
                .filter(|s| s.applies(stage, first_deploy))
                .collect(),
        }
    }
}

/// The steps due for one deployment of a release, ready to render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The release.
    pub release: String,
    /// The stage, or `None` for every stage.
    pub stage: Option<String>,
    /// Whether first-deploy steps are included.
    pub first_deploy: bool,
    /// Where the steps come from.
    pub origin: Origin,
    /// The steps, in runbook order.
    pub steps: Vec<Step>,
}

impl Plan {
    fn title(&self) -> String {
        let mut title = format!("runbook for release `{}`", self.release);
        if let Some(stage) = &self.stage {
            title.push_str(&format!(", stage `{stage}`"));
        }
        if !self.first_deploy {
            title.push_str(" (not a first deploy)");
        }
        title
    }

    fn tags(step: &Step, with_stages: bool) -> String {
        let mut tags = step.when.as_words().to_owned();
        if with_stages && !step.stages.is_empty() {
            tags.push_str("; ");
            tags.push_str(&step.stages.join(", "));
        }
        tags
    }

    /// Renders the plan for a terminal: a title line, then numbered steps with their command
    /// indented under them. Ends with a newline.
    pub fn to_text(&self) -> String {
        let mut out = self.title();
        if self.origin == Origin::BuiltIn {
            out.push_str(" (built-in steps: the matrix has no runbook for it)");
        }
        out.push('\n');
        out.push_str(&self.steps_to_text());
        out
    }

    /// Renders only the numbered steps of [`to_text`](Self::to_text) (`  no steps` when there
    /// are none), for a caller that writes its own heading. Ends with a newline.
    pub fn steps_to_text(&self) -> String {
        if self.steps.is_empty() {
            return "  no steps\n".to_owned();
        }
        let mut out = String::new();
        let with_stages = self.stage.is_none();
        for (i, step) in self.steps.iter().enumerate() {
            let number = format!("{}. ", i + 1);
            let pad = " ".repeat(number.len() + 2);
            let mut lines = step.text.lines();
            out.push_str(&format!(
                "  {number}[{}] {}\n",
                Self::tags(step, with_stages),
                lines.next().unwrap_or("")
            ));
            for line in lines {
                out.push_str(&format!("{pad}{line}\n"));
            }
            if let Some(command) = &step.command {
                out.push_str(&format!("{pad}$ {command}\n"));
            }
            if let Some(source) = &step.source {
                out.push_str(&format!("{pad}source: {source}\n"));
            }
        }
        out
    }

    /// Renders the plan as a Markdown checklist, for a ticket. Ends with a newline.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("### {}\n\n", capitalise(&self.title()));
        if self.origin == Origin::BuiltIn {
            out.push_str("_Built-in steps: the matrix has no runbook for this release._\n\n");
        }
        if self.steps.is_empty() {
            out.push_str("No steps.\n");
            return out;
        }
        let with_stages = self.stage.is_none();
        for step in &self.steps {
            let mut lines = step.text.lines();
            out.push_str(&format!(
                "- [ ] {} _({})_\n",
                lines.next().unwrap_or(""),
                Self::tags(step, with_stages)
            ));
            for line in lines {
                out.push_str(&format!("  {line}\n"));
            }
            if let Some(command) = &step.command {
                let fence = "`".repeat(longest_backtick_run(command).max(2) + 1);
                out.push_str(&format!("\n  {fence}sh\n  {command}\n  {fence}\n\n"));
            }
            if let Some(source) = &step.source {
                if source.starts_with("https://") || source.starts_with("http://") {
                    out.push_str(&format!("  Source: <{source}>\n"));
                } else {
                    out.push_str(&format!("  Source: {source}\n"));
                }
            }
        }
        out
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The `[operations]` settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Operations {
    /// The Grafana base URL (`https://grafana.example.org`), without a trailing slash.
    pub grafana_url: Option<String>,
    /// The uid of the Loki data source in Grafana.
    pub loki_datasource: Option<String>,
}

/// What [`read`] found.
#[derive(Clone, Debug, Default)]
pub struct RunbookFile {
    /// The runbooks (only the well-formed steps).
    pub runbooks: Runbooks,
    /// The `[operations]` settings (only the well-formed ones).
    pub operations: Operations,
    /// Every problem, located.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns why `url` is not a usable Grafana base URL, if it is not.
pub fn grafana_url_problem(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("it must start with `https://` or `http://`".into());
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(*c))
    {
        return Some(format!("it contains {c:?}"));
    }
    if url.contains('?') || url.contains('#') {
        return Some("it must be a base URL, without `?query` or `#fragment`".into());
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Some("it must name a host (and no user name)".into());
    }
    None
}

/// Returns whether `uid` is a plausible Grafana data source uid (letters, digits, `-`, `_`).
pub fn is_valid_datasource_uid(uid: &str) -> bool {
    !uid.is_empty()
        && uid.len() <= 40
        && uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads the runbooks and operations settings of a loaded matrix (none for interchange JSON,
/// which has no such sections).
pub fn of(loaded: &crate::Loaded) -> RunbookFile {
    match loaded.format {
        // Without the sections there is nothing to read: skip parsing the file again.
        crate::Format::Toml
            if !loaded.has_section("runbooks") && !loaded.has_section("operations") =>
        {
            RunbookFile::default()
        }
        crate::Format::Toml => read(&loaded.source.text, &loaded.matrix),
        crate::Format::ModelJson | crate::Format::PythonPackage => RunbookFile::default(),
    }
}

/// Reads `[runbooks]` and `[operations]` from the matrix text. Unparsable TOML gives nothing
/// (the syntax error is reported by `toml_load`).
pub fn read(text: &str, matrix: &Matrix) -> RunbookFile {
    crate::count_parse();
    match toml_edit::Document::parse(text) {
        Ok(doc) => read_root(doc.as_table(), text, matrix),
        Err(_) => RunbookFile::default(),
    }
}

/// Reads `[runbooks]` and `[operations]` from the parsed root table of `text`.
pub fn read_root(root: &toml_edit::Table, text: &str, matrix: &Matrix) -> RunbookFile {
    let mut reader = Reader {
        toml: TomlReader::new(text),
        file: RunbookFile::default(),
    };
    if let Some(item) = root.get("runbooks") {
        read_runbooks(&mut reader, root, item, matrix);
    }
    if let Some(item) = root.get("operations") {
        read_operations(&mut reader, root, item);
    }
    reader.file.diagnostics = reader.toml.into_diagnostics();
    reader.file
}

/// The runbook walk: the shared TOML helpers plus what was read so far.
struct Reader {
    toml: TomlReader,
    file: RunbookFile,
}

/// Returns the tables of an array of tables or of an inline array of inline tables, reporting
/// anything else.
fn tables<'a>(
    reader: &mut Reader,
    item: &'a Item,
    what: &str,
    at: &Span,
) -> Vec<&'a dyn TableLike> {
    reader
        .toml
        .tables(
            item,
            what,
            &format!("each step of {what}"),
            "an array of tables (`[[runbooks.RELEASE]]` blocks)",
            at,
        )
        .unwrap_or_default()
}

fn read_runbooks(reader: &mut Reader, root: &toml_edit::Table, item: &Item, matrix: &Matrix) {
    let at = key_span(root, "runbooks", &reader.toml.fallback());
    let Some(table) = reader.toml.table(item, "`runbooks`", &at) else {
        return;
    };
    let releases: Vec<&str> = matrix.releases.iter().map(|r| r.name.as_str()).collect();
    let stages: Vec<&str> = matrix.stages.iter().map(|s| s.as_str()).collect();
    for (release, item) in table.iter() {
        let key_span = key_span(table, release, &at);
        if !releases.contains(&release) {
            let suggestion = did_you_mean(release, releases.iter().copied());
            let d = reader.toml.push(
                Code::RunbookUndefinedRelease,
                key_span.clone(),
                format!("runbook for release `{release}`, which is not defined in `[releases]`"),
                "no such release",
            );
            d.help.push(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "define it in `[releases]`, or remove this runbook if `{release}` was retired"
                ),
            });
        }
        let what = format!("the runbook of release `{release}`");
        let mut steps = Vec::new();
        for step in tables(reader, item, &what, &key_span) {
            let step_at = step
                .iter()
                .next()
                .map(|(k, _)| spanned::key_span(step, k, &key_span))
                .unwrap_or_else(|| key_span.clone());
            if let Some(step) = read_step(reader, step, &what, &step_at, &stages) {
                steps.push(step);
            }
        }
        reader
            .file
            .runbooks
            .releases
            .push((release.to_owned(), steps));
    }
}

/// Returns the first character of `text` that a step may not contain: control characters other
/// than a newline (and a tab) when `multi_line`, any control character otherwise.
fn bad_char(text: &str, multi_line: bool) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !(multi_line && (*c == '\n' || *c == '\t')))
}

fn read_step(
    reader: &mut Reader,
    table: &dyn TableLike,
    what: &str,
    at: &Span,
    stages: &[&str],
) -> Option<Step> {
    let step_what = format!("a step of {what}");
    reader.toml.unknown_keys(table, STEP_KEYS, &step_what, at);
    let mut ok = true;
    let mut step = Step {
        text: String::new(),
        command: None,
        when: When::FirstDeploy,
        stages: Vec::new(),
        source: None,
    };
    match table.get("text") {
        Some(item) => match reader
            .toml
            .string(item, &format!("`text` of {step_what}"), at)
        {
            Some((text, span)) => {
                if text.trim().is_empty() {
                    reader.toml.push(
                        Code::InvalidRunbookStep,
                        span,
                        format!("empty `text` in {step_what}"),
                        "say what to do",
                    );
                    ok = false;
                } else if let Some(c) = bad_char(&text, true) {
                    reader.toml.push(
                        Code::InvalidRunbookStep,
                        span,
                        format!("`text` of {step_what} contains the control character {c:?}"),
                        "control character",
                    );
                    ok = false;
                }
                step.text = text.trim_end().to_owned();
            }
            None => ok = false,
        },
        None => {
            reader.toml.missing(at.clone(), "text", &step_what);
            ok = false;
        }
    }
    for key in ["command", "source"] {
        let Some(item) = table.get(key) else { continue };
        let Some((value, span)) = reader
            .toml
            .string(item, &format!("`{key}` of {step_what}"), at)
        else {
            ok = false;
            continue;
        };
        if value.trim().is_empty() {
            reader.toml.push(
                Code::InvalidRunbookStep,
                span,
                format!("empty `{key}` in {step_what}"),
                "remove it, or fill it in",
            );
            ok = false;
        } else if let Some(c) = bad_char(&value, false) {
            reader
                .toml
                .push(
                    Code::InvalidRunbookStep,
                    span,
                    format!("`{key}` of {step_what} contains the control character {c:?}"),
                    "one line, no control characters",
                )
                .help
                .push("write one step per command".into());
            ok = false;
        } else if key == "command" {
            step.command = Some(value);
        } else {
            step.source = Some(value);
        }
    }
    if let Some(item) = table.get("when") {
        match reader
            .toml
            .string(item, &format!("`when` of {step_what}"), at)
        {
            Some((value, span)) => match When::parse(&value) {
                Some(when) => step.when = when,
                None => {
                    reader
                        .toml
                        .push(
                            Code::InvalidRunbookStep,
                            span,
                            format!("unknown `when` value `{value}` in {step_what}"),
                            "expected `first-deploy` or `every-deploy`",
                        )
                        .help
                        .extend(
                            did_you_mean(&value, ["first-deploy", "every-deploy"])
                                .map(|s| format!("did you mean `{s}`?")),
                        );
                    ok = false;
                }
            },
            None => ok = false,
        }
    }
    if let Some(item) = table.get("stages") {
        let span = item.span().unwrap_or_else(|| at.clone());
        match item.as_array() {
            Some(array) => {
                for value in array.iter() {
                    let vspan = value.span().unwrap_or_else(|| span.clone());
                    let Some(stage) = value.as_str() else {
                        reader.toml.wrong_type(
                            vspan,
                            "a string",
                            value.type_name(),
                            &format!("each item of `stages` of {step_what}"),
                        );
                        ok = false;
                        continue;
                    };
                    if !stages.contains(&stage) {
                        let suggestion = did_you_mean(stage, stages.iter().copied());
                        let d = reader.toml.push(
                            Code::RunbookUndefinedStage,
                            vspan,
                            format!("stage `{stage}` of {step_what} is not in the stage order"),
                            "no such stage",
                        );
                        d.help.push(match suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the stages are {}", quoted_list(stages)),
                        });
                        ok = false;
                    } else if !step.stages.iter().any(|s| s == stage) {
                        step.stages.push(stage.to_owned());
                    }
                }
            }
            None => {
                reader.toml.wrong_type(
                    span,
                    "an array of strings",
                    item.type_name(),
                    &format!("`stages` of {step_what}"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(step)
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_operations(reader: &mut Reader, root: &toml_edit::Table, item: &Item) {
    let at = key_span(root, "operations", &reader.toml.fallback());
    let Some(table) = reader.toml.table(item, "`operations`", &at) else {
        return;
    };
    reader
        .toml
        .unknown_keys(table, OPERATIONS_KEYS, "`[operations]`", &at);
    if let Some(item) = table.get("grafana_url") {
        if let Some((url, span)) = reader
            .toml
            .string(item, "`grafana_url` of `[operations]`", &at)
        {
            match grafana_url_problem(&url) {
                Some(problem) => {
                    reader.toml.push(
                        Code::InvalidGrafanaUrl,
                        span,
                        format!("invalid Grafana URL `{}`: {problem}", url.escape_debug()),
                        "not a plain http(s) base URL",
                    );
                }
                None => {
                    reader.file.operations.grafana_url = Some(url.trim_end_matches('/').to_owned())
                }
            }
        }
    }
    if let Some(item) = table.get("loki_datasource") {
        if let Some((uid, span)) =
            reader
                .toml
                .string(item, "`loki_datasource` of `[operations]`", &at)
        {
            if is_valid_datasource_uid(&uid) {
                reader.file.operations.loki_datasource = Some(uid);
            } else {
                reader.toml.push(
                    Code::InvalidGrafanaUrl,
                    span,
                    format!("invalid Loki data source uid `{}`", uid.escape_debug()),
                    "expected up to 40 letters, digits, `-` or `_`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
