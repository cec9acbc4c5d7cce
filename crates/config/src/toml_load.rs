//! Reads `edx-matrix.toml` into a [`Matrix`], collecting every format problem with its span and
//! remembering where each value came from so model problems can be located too.
//!
//! The walk is by hand over `toml_edit`'s spanned document rather than through serde, because
//! serde stops at the first error and `check` must report them all.

use crate::diagnostic::{Diagnostic, Location, Secondary};
use crate::spanned::{TomlReader, key_span};
use crate::template::Template;
use edx_matrix_model::check::{AppField, EntryField, ReleaseField};
use edx_matrix_model::{
    AppKind, AppVersion, Application, Code, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
    Subject,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use toml_edit::{Item, TableLike};

type Span = Range<usize>;

/// The top-level keys of the format.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "stages",
    "releases",
    "applications",
    "deployments",
    "map",
    "lints",
    "pipelines",
    "runbooks",
    "operations",
    "python",
];
/// The keys of a release.
pub const RELEASE_KEYS: &[&str] = &["branch", "python", "node", "rolling"];
/// The keys of an application of the catalogue.
pub const APPLICATION_KEYS: &[&str] = &["kind", "repository", "path"];
/// The keys of a `[[map]]` block.
pub const BLOCK_KEYS: &[&str] = &["releases", "deployments", "apps"];
/// The keys of an application in a `[map.apps]` table.
pub const APP_VERSION_KEYS: &[&str] = &["release", "branch", "origin", "runtime", "translations"];

/// Where the values of a release came from.
#[derive(Clone, Debug, Default)]
struct ReleaseSpans {
    name: Span,
    branch: Option<Span>,
    python: Option<Span>,
    node: Option<Span>,
}

#[derive(Clone, Debug, Default)]
struct AppSpans {
    name: Span,
    kind: Option<Span>,
    repository: Option<Span>,
    path: Option<Span>,
}

#[derive(Clone, Debug, Default)]
struct DeploymentSpans {
    name: Span,
    /// (stage key, release value) per stage.
    stages: Vec<(Span, Span)>,
}

#[derive(Clone, Debug, Default)]
struct AppVersionSpans {
    key: Span,
    release: Option<Span>,
    branch: Option<Span>,
    origin: Option<Span>,
    runtime: Option<Span>,
    translations: Vec<Span>,
}

#[derive(Clone, Debug, Default)]
struct BlockSpans {
    header: Span,
    releases: Vec<Span>,
    deployments: Vec<Span>,
    apps: Vec<AppVersionSpans>,
    pairs: usize,
}

/// Which block (and which of its release and deployment names) produced an entry.
#[derive(Clone, Copy, Debug)]
struct EntryOrigin {
    block: usize,
    release: usize,
    deployment: usize,
}

/// Remembers where every part of the matrix was written, to place model problems.
#[derive(Clone, Debug, Default)]
pub struct TomlSourceMap {
    stages: Vec<Span>,
    releases: Vec<ReleaseSpans>,
    applications: Vec<AppSpans>,
    deployments: Vec<DeploymentSpans>,
    blocks: Vec<BlockSpans>,
    /// The blocks that contributed to each entry, first one first.
    entry_origins: Vec<Vec<EntryOrigin>>,
    /// For each entry, for each app: (block, app index in block).
    entry_apps: Vec<Vec<(u32, u32)>>,
    /// Subjects whose value was already reported as a format problem.
    poisoned: HashSet<Subject>,
    /// The `[lints]` lines: code, level, span of the code, span of the level.
    pub(crate) lints: Vec<(String, String, Span, Span)>,
}

impl TomlSourceMap {
    /// Returns whether a model problem about `subject` repeats a format problem already shown.
    pub fn is_poisoned(&self, subject: &Subject) -> bool {
        self.poisoned.contains(subject)
    }

    /// Returns the span a problem with `code` about `subject` should point at, and a note on
    /// which expanded entry it concerns when its block covers several.
    pub fn locate(
        &self,
        matrix: &Matrix,
        subject: Subject,
        code: Code,
    ) -> (Option<Span>, Option<String>) {
        match subject {
            Subject::Matrix => (None, None),
            Subject::StageOrder { index } => (self.stages.get(index).cloned(), None),
            Subject::Release { index, field } => {
                let Some(spans) = self.releases.get(index) else {
                    return (None, None);
                };
                let span = match field {
                    None => Some(spans.name.clone()),
                    Some(ReleaseField::Branch) => spans.branch.clone(),
                    Some(ReleaseField::Python) => spans.python.clone(),
                    Some(ReleaseField::Node) => spans.node.clone(),
                };
                (span.or(Some(spans.name.clone())), None)
            }
            Subject::Application { index, field } => {
                let Some(spans) = self.applications.get(index) else {
                    return (None, None);
                };
                let span = match field {
                    None => Some(spans.name.clone()),
                    Some(AppField::Kind) => spans.kind.clone(),
                    Some(AppField::Repository) => spans.repository.clone(),
                    Some(AppField::Path) => spans.path.clone(),
                };
                (span.or(Some(spans.name.clone())), None)
            }
            Subject::Deployment { index } => {
                (self.deployments.get(index).map(|d| d.name.clone()), None)
            }
            Subject::Stage {
                deployment,
                index,
                release,
            } => {
                let spans = self
                    .deployments
                    .get(deployment)
                    .and_then(|d| d.stages.get(index));
                (
                    spans.map(|(key, value)| if release { value.clone() } else { key.clone() }),
                    None,
                )
            }
            Subject::Entry { index } => {
                let Some(origin) = self.entry_origins.get(index).and_then(|o| o.first()) else {
                    return (None, None);
                };
                let Some(block) = self.blocks.get(origin.block) else {
                    return (None, None);
                };
                let span = if code == Code::UndefinedDeployment {
                    block.deployments.get(origin.deployment)
                } else {
                    block.releases.get(origin.release)
                };
                (
                    span.cloned().or(Some(block.header.clone())),
                    self.entry_note(matrix, index, block),
                )
            }
            Subject::EntryApp { entry, app, field } => {
                let Some(&(b, k)) = self.entry_apps.get(entry).and_then(|a| a.get(app)) else {
                    return (None, None);
                };
                let Some(block) = self.blocks.get(b as usize) else {
                    return (None, None);
                };
                let Some(spans) = block.apps.get(k as usize) else {
                    return (None, None);
                };
                let span = match field {
                    None => None,
                    Some(EntryField::Release) => spans.release.clone().or_else(|| {
                        let origin = self
                            .entry_origins
                            .get(entry)?
                            .iter()
                            .find(|o| o.block == b as usize)?;
                        block.releases.get(origin.release).cloned()
                    }),
                    Some(EntryField::Branch) => spans.branch.clone(),
                    Some(EntryField::Origin) => spans.origin.clone(),
                    Some(EntryField::Runtime) => spans.runtime.clone(),
                    Some(EntryField::Translation(i)) => spans.translations.get(i).cloned(),
                };
                (
                    span.or(Some(spans.key.clone())),
                    self.entry_note(matrix, entry, block),
                )
            }
        }
    }

    fn entry_note(&self, matrix: &Matrix, entry: usize, block: &BlockSpans) -> Option<String> {
        let e = matrix.release_map.get(entry)?;
        (block.pairs > 1).then(|| {
            format!(
                "in the entry for release `{}` and deployment `{}`, expanded from this block",
                e.release, e.deployment
            )
        })
    }
}

/// The matrix walk: the shared TOML helpers plus the source map being built.
struct Reader {
    toml: TomlReader,
    map: TomlSourceMap,
}

/// Parses TOML text into a matrix, its source map and the format diagnostics.
///
/// A TOML syntax error stops the reading (there is nothing reliable to continue with) and gives
/// an empty matrix; every other problem is reported and reading goes on.
pub fn read(text: &str) -> (Matrix, TomlSourceMap, Vec<Diagnostic>) {
    match parse(text) {
        Ok(doc) => read_document(&doc, text),
        Err(diagnostic) => (
            Matrix::default(),
            TomlSourceMap::default(),
            vec![*diagnostic],
        ),
    }
}

/// Parses the TOML syntax only; a syntax error becomes a `toml-syntax` diagnostic.
pub fn parse(text: &str) -> Result<toml_edit::Document<&str>, Box<Diagnostic>> {
    crate::count_parse();
    toml_edit::Document::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let span = if span.is_empty() {
            span.start..(span.start + 1).min(text.len()).max(span.start)
        } else {
            span
        };
        let message = e.message().trim().to_owned();
        Box::new(Diagnostic::new(
            Code::TomlSyntax,
            Location::Span(span),
            format!("invalid TOML: {}", first_line(&message)),
            first_line(&message),
        ))
    })
}

/// Reads the matrix from a parsed document of `text` (see [`read`]).
pub fn read_document(
    doc: &toml_edit::Document<&str>,
    text: &str,
) -> (Matrix, TomlSourceMap, Vec<Diagnostic>) {
    let whole = 0..text.len().min(1);
    let mut reader = Reader {
        toml: TomlReader::new(text),
        map: TomlSourceMap::default(),
    };
    let root = doc.as_table();
    reader
        .toml
        .unknown_keys(root, TOP_LEVEL_KEYS, "the matrix file", &whole);
    let mut matrix = Matrix::default();

    match root.get("stages") {
        Some(item) => {
            if let Some(stages) = reader.toml.string_array(item, "`stages`", &whole) {
                for (name, span) in stages {
                    matrix.stages.push(name.into());
                    reader.map.stages.push(span);
                }
            }
        }
        None => reader.toml.missing(whole.clone(), "stages", "the matrix file (the stage promotion order, e.g. `stages = [\"CI\", \"QA\", \"Production\"]`)"),
    }
    read_releases(&mut reader, root, &mut matrix);
    read_applications(&mut reader, root, &mut matrix);
    read_deployments(&mut reader, root, &mut matrix);
    read_map(&mut reader, root, &mut matrix);
    read_lints(&mut reader, root);
    (matrix, reader.map, reader.toml.into_diagnostics())
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_owned()
}

fn section<'a>(
    reader: &mut Reader,
    root: &'a toml_edit::Table,
    key: &str,
    what: &str,
) -> Option<&'a dyn TableLike> {
    let fallback = reader.toml.fallback();
    match root.get(key) {
        Some(item) => reader.toml.table(item, &format!("`{key}`"), &fallback),
        None => {
            reader.toml.missing(fallback, key, what);
            None
        }
    }
}

fn read_releases(reader: &mut Reader, root: &toml_edit::Table, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "releases",
        "the matrix file (the supported releases)",
    ) else {
        return;
    };
    for (name, item) in table.iter() {
        let index = matrix.releases.len();
        let name_span = key_span(table, name, &reader.toml.fallback());
        let what = format!("release `{name}`");
        let mut spans = ReleaseSpans {
            name: name_span.clone(),
            ..Default::default()
        };
        let mut release = Release {
            name: name.into(),
            branch: "".into(),
            python: None,
            node: None,
            rolling: Release::is_rolling_name(name),
        };
        let poison = |reader: &mut Reader, field| {
            reader.map.poisoned.insert(Subject::Release {
                index,
                field: Some(field),
            });
        };
        if let Some(fields) = reader.toml.table(item, &what, &name_span) {
            reader
                .toml
                .unknown_keys(fields, RELEASE_KEYS, &what, &name_span);
            for (key, field, slot) in [
                ("branch", ReleaseField::Branch, 0),
                ("python", ReleaseField::Python, 1),
                ("node", ReleaseField::Node, 2),
            ] {
                match fields.get(key) {
                    Some(value) => {
                        match reader
                            .toml
                            .string(value, &format!("`{key}` of {what}"), &name_span)
                        {
                            Some((text, span)) => match slot {
                                0 => {
                                    release.branch = text.into();
                                    spans.branch = Some(span);
                                }
                                1 => {
                                    release.python = Some(text.into());
                                    spans.python = Some(span);
                                }
                                _ => {
                                    release.node = Some(text.into());
                                    spans.node = Some(span);
                                }
                            },
                            None => poison(reader, field),
                        }
                    }
                    // A release may record no runtime (issue 16); only the branch is required.
                    None if slot != 0 => {}
                    None => {
                        reader.toml.missing(name_span.clone(), key, &what);
                        poison(reader, field);
                    }
                }
            }
            if let Some(value) = fields.get("rolling") {
                if let Some(b) =
                    reader
                        .toml
                        .boolean(value, &format!("`rolling` of {what}"), &name_span)
                {
                    release.rolling = b;
                }
            }
        } else {
            for field in [
                ReleaseField::Branch,
                ReleaseField::Python,
                ReleaseField::Node,
            ] {
                poison(reader, field);
            }
        }
        matrix.releases.push(release);
        reader.map.releases.push(spans);
    }
}

fn read_applications(reader: &mut Reader, root: &toml_edit::Table, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "applications",
        "the matrix file (the application catalogue)",
    ) else {
        return;
    };
    for (name, item) in table.iter() {
        let index = matrix.applications.len();
        let name_span = key_span(table, name, &reader.toml.fallback());
        let what = format!("application `{name}`");
        let mut spans = AppSpans {
            name: name_span.clone(),
            ..Default::default()
        };
        let mut app = Application {
            name: name.into(),
            kind: AppKind::Ida,
            repository: None,
            path: None,
        };
        let mut kind_known = false;
        if let Some(fields) = reader.toml.table(item, &what, &name_span) {
            reader
                .toml
                .unknown_keys(fields, APPLICATION_KEYS, &what, &name_span);
            match fields.get("kind") {
                Some(value) => {
                    if let Some((text, span)) =
                        reader
                            .toml
                            .string(value, &format!("`kind` of {what}"), &name_span)
                    {
                        match AppKind::parse(&text) {
                            Some(kind) => {
                                app.kind = kind;
                                kind_known = true;
                            }
                            None => {
                                reader.toml.push(
                                    Code::WrongType,
                                    span.clone(),
                                    format!("invalid kind `{text}` for {what}"),
                                    "expected `ida` or `mfe`",
                                );
                            }
                        }
                        spans.kind = Some(span);
                    }
                }
                None => reader.toml.missing(
                    name_span.clone(),
                    "kind",
                    &format!("{what} (`ida` or `mfe`)"),
                ),
            }
            if let Some(value) = fields.get("repository") {
                match reader
                    .toml
                    .string(value, &format!("`repository` of {what}"), &name_span)
                {
                    Some((text, span)) => {
                        app.repository = Some(text.into());
                        spans.repository = Some(span);
                    }
                    None => {
                        reader.map.poisoned.insert(Subject::Application {
                            index,
                            field: Some(AppField::Repository),
                        });
                    }
                }
            }
            if let Some(value) = fields.get("path") {
                if let Some((text, span)) =
                    reader
                        .toml
                        .string(value, &format!("`path` of {what}"), &name_span)
                {
                    app.path = Some(text.into());
                    spans.path = Some(span);
                }
            }
        }
        if !kind_known {
            // Without a kind, kind-dependent checks would only add noise.
            reader
                .map
                .poisoned
                .insert(Subject::Application { index, field: None });
            reader.map.poisoned.insert(Subject::Application {
                index,
                field: Some(AppField::Path),
            });
        }
        matrix.applications.push(app);
        reader.map.applications.push(spans);
    }
}

fn read_deployments(reader: &mut Reader, root: &toml_edit::Table, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "deployments",
        "the matrix file (the deployments and their stages)",
    ) else {
        return;
    };
    for (name, item) in table.iter() {
        let name_span = key_span(table, name, &reader.toml.fallback());
        let what = format!("deployment `{name}`");
        let mut spans = DeploymentSpans {
            name: name_span.clone(),
            stages: Vec::new(),
        };
        let mut deployment = Deployment {
            name: name.into(),
            stages: Vec::new(),
            vars: Default::default(),
        };
        if let Some(stages) = reader.toml.table(item, &what, &name_span) {
            for (stage, value) in stages.iter() {
                let key_span = key_span(stages, stage, &name_span);
                // `vars = { … }` (or `[deployments.<name>.vars]`): the deployment's values.
                if stage == "vars" && value.is_table_like() {
                    deployment.vars = crate::vars_load::read_vars(
                        &mut reader.toml,
                        value,
                        &format!("the `vars` of {what}"),
                        &key_span,
                    );
                    continue;
                }
                // `QA = { release = "ulmo", vars = { … } }`: a stage with its own values.
                if let Some(table) = value.as_table_like() {
                    let stage_what = format!("stage `{stage}` of {what}");
                    reader
                        .toml
                        .unknown_keys(table, &["release", "vars"], &stage_what, &key_span);
                    let vars = table.get("vars").map(|v| {
                        crate::vars_load::read_vars(
                            &mut reader.toml,
                            v,
                            &format!("the `vars` of {stage_what}"),
                            &key_span,
                        )
                    });
                    let release = match table.get("release") {
                        Some(r) => reader.toml.string(
                            r,
                            &format!("the release of {stage_what}"),
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
                if let Some((release, span)) = reader.toml.string(
                    value,
                    &format!("the release of stage `{stage}` of {what}"),
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

/// One application of a block, as written.
struct BlockApp {
    name: String,
    release: Option<String>,
    branch: Option<Template>,
    origin: Option<Template>,
    runtime: Option<Template>,
    translations: Option<Vec<Template>>,
    /// Fields whose value was reported as a format problem.
    poisoned: Vec<EntryField>,
}

fn read_block_app(
    reader: &mut Reader,
    name: &str,
    item: &Item,
    key_span: Span,
) -> (BlockApp, AppVersionSpans) {
    let what = format!("application `{name}` of this release-map block");
    let mut spans = AppVersionSpans {
        key: key_span.clone(),
        ..Default::default()
    };
    let mut app = BlockApp {
        name: name.to_owned(),
        release: None,
        branch: None,
        origin: None,
        runtime: None,
        translations: None,
        poisoned: Vec::new(),
    };
    let Some(fields) = reader.toml.table(item, &what, &key_span) else {
        return (app, spans);
    };
    reader
        .toml
        .unknown_keys(fields, APP_VERSION_KEYS, &what, &key_span);
    if let Some(value) = fields.get("release") {
        match reader
            .toml
            .string(value, &format!("`release` of {what}"), &key_span)
        {
            Some((text, span)) => {
                app.release = Some(text);
                spans.release = Some(span);
            }
            None => app.poisoned.push(EntryField::Release),
        }
    }
    for (key, field) in [
        ("branch", EntryField::Branch),
        ("origin", EntryField::Origin),
        ("runtime", EntryField::Runtime),
    ] {
        if let Some(value) = fields.get(key) {
            match reader
                .toml
                .template(value, &format!("`{key}` of {what}"), &key_span)
            {
                Some((template, span)) => match field {
                    EntryField::Branch => {
                        app.branch = Some(template);
                        spans.branch = Some(span);
                    }
                    EntryField::Origin => {
                        app.origin = Some(template);
                        spans.origin = Some(span);
                    }
                    _ => {
                        app.runtime = Some(template);
                        spans.runtime = Some(span);
                    }
                },
                None => app.poisoned.push(field),
            }
        }
    }
    if let Some(value) = fields.get("translations") {
        let label = format!("`translations` of {what}");
        if let Some(commands) = reader.toml.string_array(value, &label, &key_span) {
            let mut templates = Vec::with_capacity(commands.len());
            for (i, (text, span)) in commands.into_iter().enumerate() {
                match Template::parse(&text) {
                    Ok(t) => templates.push(t),
                    Err(e) => {
                        reader.toml.push(
                            Code::InvalidTemplate,
                            span.clone(),
                            format!("invalid template in {label}: {}", e.message),
                            "here",
                        );
                        app.poisoned.push(EntryField::Translation(i));
                        templates.push(
                            Template::parse("")
                                .unwrap_or_else(|_| unreachable!("empty template parses")),
                        );
                    }
                }
                spans.translations.push(span);
            }
            app.translations = Some(templates);
        }
    }
    (app, spans)
}

fn read_map(reader: &mut Reader, root: &toml_edit::Table, matrix: &mut Matrix) {
    let Some(item) = root.get("map") else {
        // A matrix without a release map is legal only without stages; checks report the rest.
        return;
    };
    let fallback = reader.toml.fallback();
    let Some(blocks) = reader.toml.tables(
        item,
        "`map`",
        "each `map` block",
        "an array of tables (`[[map]]` blocks)",
        &fallback,
    ) else {
        return;
    };
    let mut entry_index: HashMap<(String, String), usize> = HashMap::new();
    for block in blocks {
        let b = reader.map.blocks.len();
        let header = block
            .key("releases")
            .and_then(|k| k.span())
            .or_else(|| {
                block
                    .iter()
                    .next()
                    .and_then(|(k, _)| block.key(k).and_then(|k| k.span()))
            })
            .unwrap_or_else(|| fallback.clone());
        let what = "this release-map block";
        reader.toml.unknown_keys(block, BLOCK_KEYS, what, &header);
        let mut spans = BlockSpans {
            header: header.clone(),
            ..Default::default()
        };
        let names = |key: &str, reader: &mut Reader| -> Vec<(String, Span)> {
            match block.get(key) {
                Some(item) => reader
                    .toml
                    .string_array(item, &format!("`{key}` of {what}"), &header)
                    .unwrap_or_default(),
                None => {
                    reader.toml.missing(header.clone(), key, what);
                    Vec::new()
                }
            }
        };
        let releases = names("releases", reader);
        let deployments = names("deployments", reader);
        spans.releases = releases.iter().map(|(_, s)| s.clone()).collect();
        spans.deployments = deployments.iter().map(|(_, s)| s.clone()).collect();
        spans.pairs = releases.len() * deployments.len();
        let mut apps = Vec::new();
        match block.get("apps") {
            Some(item) => {
                if let Some(table) = reader
                    .toml
                    .table(item, &format!("`apps` of {what}"), &header)
                {
                    for (name, value) in table.iter() {
                        let key_span = key_span(table, name, &header);
                        let (app, app_spans) = read_block_app(reader, name, value, key_span);
                        apps.push(app);
                        spans.apps.push(app_spans);
                    }
                }
            }
            None => reader.toml.missing(header.clone(), "apps", what),
        }
        spans.apps.shrink_to_fit();
        reader.map.blocks.push(spans);
        for (d_index, (deployment, _)) in deployments.iter().enumerate() {
            for (r_index, (release, _)) in releases.iter().enumerate() {
                let key = (release.clone(), deployment.clone());
                let e = *entry_index.entry(key).or_insert_with(|| {
                    matrix.release_map.push(ReleaseMapEntry {
                        release: release.as_str().into(),
                        deployment: deployment.as_str().into(),
                        // Sized for this block's applications (most entries have one block).
                        apps: Vec::with_capacity(apps.len()),
                    });
                    reader.map.entry_origins.push(Vec::with_capacity(1));
                    reader.map.entry_apps.push(Vec::with_capacity(apps.len()));
                    matrix.release_map.len() - 1
                });
                reader.map.entry_origins[e].push(EntryOrigin {
                    block: b,
                    release: r_index,
                    deployment: d_index,
                });
                for (k, app) in apps.iter().enumerate() {
                    let a = matrix.release_map[e].apps.len();
                    let render = |t: &Template| t.render(release, deployment);
                    matrix.release_map[e].apps.push(AppVersion {
                        application: app.name.as_str().into(),
                        release: app.release.as_deref().unwrap_or(release).into(),
                        branch: app.branch.as_ref().map(|t| render(t).into()),
                        origin: app.origin.as_ref().map(|t| render(t).into()),
                        runtime: app.runtime.as_ref().map(|t| render(t).into()),
                        translations: app
                            .translations
                            .as_ref()
                            .map(|ts| ts.iter().map(render).collect()),
                    });
                    reader.map.entry_apps[e].push((b as u32, k as u32));
                    for field in &app.poisoned {
                        reader.map.poisoned.insert(Subject::EntryApp {
                            entry: e,
                            app: a,
                            field: Some(*field),
                        });
                    }
                }
            }
        }
    }
}

fn read_lints(reader: &mut Reader, root: &toml_edit::Table) {
    let Some(item) = root.get("lints") else {
        return;
    };
    let fallback = reader.toml.fallback();
    let Some(table) = reader.toml.table(item, "`lints`", &fallback) else {
        return;
    };
    for (code, value) in table.iter() {
        let key_span = key_span(table, code, &fallback);
        if let Some((level, span)) =
            reader
                .toml
                .string(value, &format!("the level of lint `{code}`"), &key_span)
        {
            reader
                .map
                .lints
                .push((code.to_owned(), level, key_span, span));
        }
    }
}

/// Adds a secondary label to a diagnostic.
pub(crate) fn secondary(span: Span, label: impl Into<String>) -> Secondary {
    Secondary {
        location: Location::Span(span),
        label: label.into(),
    }
}
