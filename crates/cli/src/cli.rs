//! The command line: every subcommand and flag, with its help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keep an Open edX release matrix as data: check it, resolve it, and see what runs where.
#[derive(Parser, Debug)]
#[command(name = "edx-matrix", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 success, 1 the matrix has errors, 2 usage error, 3 I/O failure."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Use this matrix file instead of the `edx-matrix.toml` found in this directory or a parent
    /// (a `.json` file is read as interchange JSON; a directory holding `version_matrix.py` as a
    /// Python package, for read-only commands)
    #[arg(
        long,
        short = 'f',
        global = true,
        env = "EDX_MATRIX_FILE",
        value_name = "PATH"
    )]
    pub file: Option<PathBuf>,
    /// Use the built-in example matrix (the acme estate) instead of a file
    #[arg(long, global = true, conflicts_with = "file")]
    pub example: bool,
    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// When to colour the output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// When writing to a terminal and `NO_COLOR` is unset
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate the matrix and report every problem with its location
    Check(CheckArgs),
    /// Show the deployments x stages grid, or the components of one deployment
    Show(ShowArgs),
    /// Print the resolved rows: what every stage builds for every application
    Resolve(ResolveArgs),
    /// Answer the everyday lookups (who runs a release, which stages, which version)
    #[command(subcommand)]
    Query(QueryCommand),
    /// Print the release map with every block and template expanded
    Expand(ExpandArgs),
    /// Write a commented starter `edx-matrix.toml` with the standard Open edX catalogue
    Init(InitArgs),
    /// Move a stage of deployments to a new release, scaffolding its release-map entries
    Upgrade(UpgradeArgs),
    /// Give a stage the release of the stage before it (CI -> QA -> Production)
    Promote(PromoteArgs),
    /// Change the overrides of one application of one (release, deployment)
    Set(SetArgs),
    /// Add an application to one (release, deployment)
    Include(IncludeArgs),
    /// Remove an application from one (release, deployment)
    Exclude(ExcludeArgs),
    /// Add or retire a supported release
    #[command(subcommand)]
    Release(ReleaseCommand),
    /// Add or remove an application of the catalogue
    #[command(subcommand)]
    App(AppCommand),
    /// Rewrite the matrix file in the canonical layout, keeping every comment
    Fmt(FmtArgs),
    /// Show what a change to the matrix does: stage releases, resolved rows, rebuilds
    Diff(DiffArgs),
    /// Show, from the git history of the matrix file, which release every stage ran when
    History(HistoryArgs),
    /// Check that every (origin, branch) the matrix resolves to exists on its remote
    VerifyRefs(VerifyRefsArgs),
    /// List upstream release branches and tags, and the releases the matrix lacks
    Discover(DiscoverArgs),
    /// Generate the Concourse pipelines the matrix drives, and check pipeline files
    #[command(subcommand)]
    Pipeline(PipelineCommand),
    /// Serve the dashboard and the read-only JSON API, reloading when the file changes
    Serve(ServeArgs),
    /// Write a TOML matrix from another format
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the matrix in another format: interchange JSON, Tutor, GitHub Actions, shell
    Export(ExportArgs),
    /// Print the JSON Schema of `edx-matrix.toml` (for taplo / Even Better TOML)
    Schema(SchemaArgs),
    /// Print the manual upgrade steps of a release (its runbook), for a stage or every stage
    Runbook(RunbookArgs),
    /// Generate RSA JWT signing keys, as edx-platform's `generate_jwt_signing_key` does
    JwtKeygen(JwtKeygenArgs),
    /// Print the LogQL query, and a Grafana Explore link, for the logs of a deployment stage
    Logs(LogsArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the manual page (roff)
    Man,
}

/// Output formats for diagnostics.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Rendered for people, with the source line and labels
    Human,
    /// One JSON object with every diagnostic
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

/// Output formats for resolved rows.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowFormat {
    /// An aligned table
    Table,
    /// A JSON array of row objects
    Json,
    /// Shell-safe `KEY='value'` lines for one (deployment, stage, application)
    Env,
}

/// Application kinds on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindArg {
    /// Independently deployable (Django) applications
    Ida,
    /// Micro front-ends
    Mfe,
}

impl From<KindArg> for edx_matrix_model::AppKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Ida => edx_matrix_model::AppKind::Ida,
            KindArg::Mfe => edx_matrix_model::AppKind::Mfe,
        }
    }
}

#[derive(Args, Debug, Clone, Default)]
pub struct RowFilter {
    /// Only this deployment
    #[arg(long, short = 'd')]
    pub deployment: Option<String>,
    /// Only this stage
    #[arg(long, short = 's')]
    pub stage: Option<String>,
    /// Only stages on this release
    #[arg(long, short = 'r')]
    pub release: Option<String>,
    /// Only this application
    #[arg(long, short = 'a')]
    pub application: Option<String>,
    /// Only IDAs or only MFEs
    #[arg(long = "type", short = 't', value_enum)]
    pub kind: Option<KindArg>,
}

#[derive(Args, Debug)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub filter: RowFilter,
    /// Output format
    #[arg(long, value_enum, default_value_t = RowFormat::Table)]
    pub format: RowFormat,
}

/// Output formats for tables.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// An aligned table
    Table,
    /// JSON
    Json,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Show the components of this deployment
    pub deployment: Option<String>,
    /// Only this stage of the deployment
    pub stage: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Subcommand, Debug)]
pub enum QueryCommand {
    /// The deployments that run a release in any stage (optionally including an application)
    Deployments {
        /// The release
        #[arg(long, short = 'r')]
        release: String,
        /// Only deployments whose entry for the release includes this application
        #[arg(long, short = 'a')]
        application: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The stages of a deployment that run a release
    Stages {
        /// The deployment
        deployment: String,
        /// The release
        #[arg(long, short = 'r')]
        release: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The release one stage of a deployment runs
    Release {
        /// The deployment
        deployment: String,
        /// The stage
        stage: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The resolved version of applications for a (release, deployment): one, or all of a type
    Version {
        /// The application (all applications when omitted)
        application: Option<String>,
        /// The release
        #[arg(long, short = 'r')]
        release: String,
        /// The deployment
        #[arg(long, short = 'd')]
        deployment: String,
        /// Only IDAs or only MFEs
        #[arg(long = "type", short = 't', value_enum)]
        kind: Option<KindArg>,
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
}

/// Formats for `expand`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpandFormat {
    /// `edx-matrix.toml` with one block per (release, deployment) and no templates
    Toml,
    /// The interchange JSON
    Json,
}

#[derive(Args, Debug)]
pub struct ExpandArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ExpandFormat::Toml)]
    pub format: ExpandFormat,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Read the Python matrix modules (`types.py`, `version_matrix.py`) by parsing them, and write
    /// `edx-matrix.toml`
    Python(ImportPythonArgs),
    /// Read interchange JSON (`model.json`) and write `edx-matrix.toml`
    Json {
        /// The interchange JSON file
        input: PathBuf,
        /// Where to write the TOML matrix (`-` for standard output)
        #[arg(long, short = 'o', default_value = "edx-matrix.toml")]
        output: PathBuf,
        /// Replace the output file if it exists
        #[arg(long)]
        force: bool,
    },
}

/// Formats for `export --format` (kept for compatibility; prefer `export model-json`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// The interchange JSON (`model.json`)
    ModelJson,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub command: Option<ExportCommand>,
    /// Output format (the same as `export model-json`)
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Where an export goes.
#[derive(Args, Debug, Clone)]
pub struct WriteArgs {
    /// Write to this file instead of standard output
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
}

/// `export python`.
#[derive(Args, Debug)]
pub struct ExportPythonArgs {
    /// Write the files into this directory instead of standard output
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "check")]
    pub output: Option<PathBuf>,
    /// Also write `accessors.py` (the lookups consumers call), for estates without their own
    #[arg(long)]
    pub accessors: bool,
    /// Write nothing; exit 1 with a unified diff when DIR's files differ from the export
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// Replace files that exist
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// The interchange JSON (`model.json`)
    ModelJson {
        #[command(flatten)]
        write: WriteArgs,
    },
    /// A Tutor plugin setting a stage's repositories, branches and release, and a README
    Tutor {
        /// The deployment
        #[arg(required_unless_present = "all")]
        deployment: Option<String>,
        /// The stage
        #[arg(required_unless_present = "all")]
        stage: Option<String>,
        /// Every (deployment, stage), into `DIR/<deployment>-<stage>/` (needs `-o`)
        #[arg(long, conflicts_with_all = ["deployment", "stage"], requires = "output")]
        all: bool,
        /// Write the plugin and README.md into this directory instead of printing the plugin
        #[arg(long, short = 'o', value_name = "DIR")]
        output: Option<PathBuf>,
        /// Replace files that exist
        #[arg(long)]
        force: bool,
        /// `json`: a summary of each stage's export (plugin, settings, MFEs, not mapped) on
        /// standard output instead of the plugin
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// `{"include": [...]}` for a GitHub Actions `strategy.matrix` (`fromJSON`), one job per row
    GithubActions {
        #[command(flatten)]
        filter: RowFilter,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// The Python package consumers import (`types.py`, `version_matrix.py`), as a drop-in
    Python(ExportPythonArgs),
    /// Shell-safe `KEY='value'` assignments for every component of a stage
    Env {
        /// The deployment
        deployment: String,
        /// The stage
        stage: String,
        #[command(flatten)]
        write: WriteArgs,
    },
}

#[derive(Args, Debug)]
pub struct ImportPythonArgs {
    /// The directory holding `types.py` and `version_matrix.py`
    pub dir: PathBuf,
    /// Where to write the TOML matrix (`-` for standard output)
    #[arg(long, short = 'o', default_value = "edx-matrix.toml")]
    pub output: PathBuf,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
    /// The IDA (Python) runtime default when releases carry none [default: what the code says]
    #[arg(long, value_name = "VERSION")]
    pub default_python: Option<String>,
    /// The MFE (Node) runtime default when releases carry none [default: what the code says]
    #[arg(long, value_name = "VERSION")]
    pub default_node: Option<String>,
    /// Turn plain constant special cases in the resolving properties into explicit overrides
    #[arg(long)]
    pub apply_special_cases: bool,
    /// How to report problems
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where to write the starter file (with `--example`: the directory to write the whole
    /// example into, matrix and pipeline templates)
    #[arg(default_value = "edx-matrix.toml")]
    pub path: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct VerifyRefsArgs {
    /// How many origins to query at once
    #[arg(long, short = 'j', default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Seconds allowed for listing one origin's refs
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// How many more times to try an origin after a timeout or failure
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct DiscoverArgs {
    /// The upstream repository to list (default: edx-platform's repository in the matrix,
    /// else the standard catalogue's)
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Seconds allowed for listing the repository's refs
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// Output formats for `diff`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// Plain text for a terminal
    Table,
    /// Markdown, for a pull-request comment
    Markdown,
    /// JSON
    Json,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old version: a git revision of the repository holding the matrix file (default
    /// `HEAD`), or a file when HEAD is a file too
    pub base: Option<String>,
    /// The new version: a git revision, or a file (default: the working tree)
    pub head: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Only this deployment
    #[arg(long, short = 'd')]
    pub deployment: Option<String>,
    /// Only what happened from this day on (YYYY-MM-DD, UTC); each stage keeps the release it
    /// ran that day
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
    /// With `--format svg`: which chart
    #[arg(long, value_enum, default_value_t = HistoryChart::Timeline)]
    pub chart: HistoryChart,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Formats for `history`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFormat {
    /// Aligned tables
    Table,
    /// JSON
    Json,
    /// A standalone SVG chart (see `--chart`)
    Svg,
}

/// The charts of `history --format svg`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryChart {
    /// One swimlane per (deployment, stage), a band per release it ran
    Timeline,
    /// Days from the first stage to the last, per (deployment, release)
    LeadTimes,
}

/// Formats for `runbook`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunbookFormat {
    /// Numbered steps for a terminal
    Text,
    /// A Markdown checklist, for a ticket
    Markdown,
    /// JSON
    Json,
}

#[derive(Args, Debug)]
pub struct RunbookArgs {
    /// The release
    pub release: String,
    /// Only the steps for this stage
    #[arg(long, short = 's')]
    pub stage: Option<String>,
    /// Leave out first-deploy steps (the release already ran on the stage once)
    #[arg(long)]
    pub not_first_deploy: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = RunbookFormat::Text)]
    pub format: RunbookFormat,
}

/// Formats for `jwt-keygen`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeygenFormat {
    /// The YAML settings edx-platform's command prints
    Yaml,
    /// One JSON object with the key id, the JWKs and the algorithm
    Json,
}

#[derive(Args, Debug)]
pub struct JwtKeygenArgs {
    /// Size of the RSA key, in bits (2048 to 8192)
    #[arg(long, default_value_t = 2048, value_name = "BITS")]
    pub key_size: usize,
    /// Key id (`kid`) of the new key: upper-case letters and digits
    #[arg(long, value_name = "ID", conflicts_with = "key_id_size")]
    pub key_id: Option<String>,
    /// Length of the random key id
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u8).range(4..=64))]
    pub key_id_size: u8,
    /// A JSON file with the current public key set (`{"keys": [...]}`), kept in the new set
    #[arg(long, value_name = "FILE")]
    pub previous_set: Option<PathBuf>,
    /// Write the settings to this new file (mode 0600) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Drop the `COMMON_` and `EDXAPP_` prefixes of the setting names
    #[arg(long)]
    pub strip_key_prefix: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = KeygenFormat::Yaml)]
    pub format: KeygenFormat,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// The deployment
    pub deployment: String,
    /// The stage
    pub stage: String,
    /// The `application` label
    #[arg(long, short = 'a', default_value = "edxapp")]
    pub application: String,
    /// Grafana base URL for an Explore link (default: `grafana_url` in `[operations]`)
    #[arg(long, value_name = "URL")]
    pub grafana: Option<String>,
    /// Uid of the Loki data source in Grafana (default: `loki_datasource` in `[operations]`)
    #[arg(long, value_name = "UID")]
    pub loki_datasource: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = LogsFormat::Text)]
    pub format: LogsFormat,
}

/// Formats for `logs`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogsFormat {
    /// The query, then the Explore link (when a Grafana URL is known), one per line
    Text,
    /// JSON
    Json,
}

/// Formats for pipeline configurations.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipelineFormat {
    /// YAML, as `fly set-pipeline` is usually given
    Yaml,
    /// JSON (Concourse accepts it too)
    Json,
}

#[derive(Subcommand, Debug)]
pub enum PipelineCommand {
    /// List the pipelines the matrix defines: name, team, component family, releases
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Print one pipeline's configuration, or write every pipeline into a directory
    Render(PipelineRenderArgs),
    /// Print the meta pipeline that re-sets every pipeline when the matrix changes
    Meta(PipelineOutputArgs),
    /// Check a pipeline file (YAML or JSON) the way `fly validate-pipeline` does, beyond shape
    Validate {
        /// The pipeline configuration file
        file: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
}

#[derive(Args, Debug)]
pub struct PipelineRenderArgs {
    /// The pipeline (see `edx-matrix pipeline list`)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub name: Option<String>,
    /// Every pipeline, the meta pipeline included, one `NAME.yml` (or `.json`) file each in the
    /// `--output` directory
    #[arg(long, requires = "output")]
    pub all: bool,
    #[command(flatten)]
    pub output: PipelineOutputArgs,
}

#[derive(Args, Debug)]
pub struct PipelineOutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = PipelineFormat::Yaml)]
    pub format: PipelineFormat,
    /// Write to this file (with `--all`: this directory) instead of standard output
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Replace files that exist
    #[arg(long)]
    pub force: bool,
}

/// Output formats for edits.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditFormat {
    /// The unified diff, the notes and a summary line
    Human,
    /// One JSON object: file, changed, written, summary, notes, diff
    Json,
}

/// Options every editing command takes.
#[derive(Args, Debug, Clone)]
pub struct EditOptions {
    /// Print the diff and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Print only the one-line summary, not the diff
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = EditFormat::Human)]
    pub format: EditFormat,
    /// How long to wait for another edit of the same file to finish
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub wait: f64,
}

#[derive(Args, Debug)]
pub struct UpgradeArgs {
    /// The deployments to upgrade together (several: `a,b` or `a b`)
    #[arg(value_delimiter = ',', required_unless_present = "deployments")]
    pub deployment: Vec<String>,
    /// More deployments to upgrade in the same edit (repeat, or `a,b`)
    #[arg(long, short = 'd', value_delimiter = ',')]
    pub deployments: Vec<String>,
    /// The stage that moves to the new release
    #[arg(long, short = 's')]
    pub stage: String,
    /// The new release
    #[arg(long)]
    pub to: String,
    /// Copy the release-map entries of this release instead of the one the stage runs now
    #[arg(long, value_name = "RELEASE")]
    pub from_release: Option<String>,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(Args, Debug)]
pub struct PromoteArgs {
    /// The deployment
    pub deployment: String,
    /// The stage that gets the release
    #[arg(long)]
    pub to: String,
    /// The stage whose release it gets (default: the stage before it)
    #[arg(long)]
    pub from: Option<String>,
    /// Promote even when a later stage would then run a newer release than the stage before it
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub options: EditOptions,
}

/// New values for the overrides of one application.
#[derive(Args, Debug, Clone, Default)]
pub struct OverrideArgs {
    /// Build this branch instead of the release's
    #[arg(long)]
    pub branch: Option<String>,
    /// Build from this repository (a fork) instead of the application's
    #[arg(long)]
    pub origin: Option<String>,
    /// Use this Python (IDA) or Node (MFE) version instead of the release's
    #[arg(long)]
    pub runtime: Option<String>,
    /// Run this command before building an MFE (repeat for several; replaces the list)
    #[arg(long = "translation", value_name = "CMD")]
    pub translations: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// The deployment
    pub deployment: String,
    /// The release
    pub release: String,
    /// The application
    pub application: String,
    #[command(flatten)]
    pub values: OverrideArgs,
    /// Remove the branch override
    #[arg(long, conflicts_with = "branch")]
    pub unset_branch: bool,
    /// Remove the origin override
    #[arg(long, conflicts_with = "origin")]
    pub unset_origin: bool,
    /// Remove the runtime override
    #[arg(long, conflicts_with = "runtime")]
    pub unset_runtime: bool,
    /// Remove the translation commands
    #[arg(long, conflicts_with = "translations")]
    pub unset_translations: bool,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(Args, Debug)]
pub struct IncludeArgs {
    /// The deployment
    pub deployment: String,
    /// The release
    pub release: String,
    /// The application
    pub application: String,
    #[command(flatten)]
    pub values: OverrideArgs,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(Args, Debug)]
pub struct ExcludeArgs {
    /// The deployment
    pub deployment: String,
    /// The release
    pub release: String,
    /// The application
    pub application: String,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(Subcommand, Debug)]
pub enum ReleaseCommand {
    /// Add a supported release
    Add {
        /// The release name (`willow`)
        name: String,
        /// The upstream branch that carries it (`release/willow`)
        #[arg(long)]
        branch: String,
        /// The default Python version of IDAs
        #[arg(long)]
        python: String,
        /// The default Node version of MFEs
        #[arg(long)]
        node: String,
        #[command(flatten)]
        options: EditOptions,
    },
    /// Remove a release no stage uses, with all its release-map entries
    Retire {
        /// The release name
        name: String,
        #[command(flatten)]
        options: EditOptions,
    },
}

#[derive(Subcommand, Debug)]
pub enum AppCommand {
    /// Add an application; a name from the standard Open edX catalogue needs nothing else
    Add {
        /// The application name
        name: String,
        /// IDA or MFE
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Its default repository
        #[arg(long)]
        repository: Option<String>,
        /// The URL path segment an MFE is served under
        #[arg(long)]
        path: Option<String>,
        #[command(flatten)]
        options: EditOptions,
    },
    /// Remove an application no release-map entry includes
    Remove {
        /// The application name
        name: String,
        #[command(flatten)]
        options: EditOptions,
    },
}

#[derive(Args, Debug)]
pub struct FmtArgs {
    /// Change nothing; exit 1 and print the diff when the file is not formatted
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Listen on this address (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub addr: std::net::SocketAddr,
}
