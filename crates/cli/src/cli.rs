//! The command line: the top-level parser, the options every command takes and the list of
//! commands. Each command's own arguments sit beside it in [`crate::commands`].

use crate::commands::edit::{
    AppCommand, ExcludeArgs, FmtArgs, IncludeArgs, PromoteArgs, ReleaseCommand, SetArgs,
    UpgradeArgs,
};
use crate::commands::{
    check::CheckArgs, completions::CompletionsArgs, diff::DiffArgs, discover::DiscoverArgs,
    expand::ExpandArgs, explain::ExplainArgs, export::ExportArgs, history::HistoryArgs,
    import::ImportCommand, init::InitArgs, jwt_keygen::JwtKeygenArgs, lock::LockArgs,
    logs::LogsArgs, man::ManArgs, pipeline::PipelineCommand, query::QueryCommand,
    resolve::ResolveArgs, runbook::RunbookArgs, schema::SchemaArgs, serve::ServeArgs,
    show::ShowArgs, verify_refs::VerifyRefsArgs,
};
use crate::global_options::TopOptions;
use crate::lazy::Lazy;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keep an Open edX release matrix as data: check it, resolve it, and see what runs where.
#[derive(Parser, Debug)]
#[command(name = "edx-matrix", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 success, 1 the matrix has errors (or a check failed), 2 usage error \
                  (an unknown name too), 3 I/O failure."
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: TopOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the options every command takes: after each command's own, as cargo
/// and jj list them.
pub(crate) const GLOBAL_HEADING: &str = "Global Options";

/// Options every command takes: the top-level command's own, and each command's from
/// [`crate::global_options::add`] (not clap's `global = true`: see there); `Cli::global` holds
/// their values merged over every level ([`crate::global_options::merged`]).
#[derive(Args, Debug, Clone)]
#[group(skip)]
pub(crate) struct GlobalArgs {
    /// Use this matrix file instead of the `edx-matrix.toml` found in this directory or a parent
    /// (a `.json` file is read as interchange JSON; a directory holding `version_matrix.py` as a
    /// Python package, for read-only commands)
    #[arg(
        long,
        short = 'f',
        env = "EDX_MATRIX_FILE",
        value_name = "PATH",
        help_heading = GLOBAL_HEADING
    )]
    pub file: Option<PathBuf>,
    /// Use the built-in example matrix (the acme estate) instead of a file
    #[arg(
        long,
        conflicts_with = "file",
        help_heading = GLOBAL_HEADING
    )]
    pub example: bool,
    /// When to use colours
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        help_heading = GLOBAL_HEADING
    )]
    pub color: ColorChoice,
    /// Print less: no warnings, notes or diffs on standard error and no edit diffs (errors are
    /// always printed)
    #[arg(
        long,
        short = 'q',
        conflicts_with = "verbose",
        help_heading = GLOBAL_HEADING
    )]
    pub quiet: bool,
    /// Print more on standard error: which files are read, and how long reading them took
    #[arg(long, short = 'v', help_heading = GLOBAL_HEADING)]
    pub verbose: bool,
}

/// When to colour the output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    /// When writing to a terminal and `NO_COLOR` is unset
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

/// Every command; each one's arguments are built only when it is the one parsed ([`Lazy`]).
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Validate the matrix and report every problem with its location
    Check(Lazy<CheckArgs>),
    /// Print the documentation of a diagnostic code (`error[CODE]`): what it means, how to fix it
    Explain(Lazy<ExplainArgs>),
    /// Show the deployments x stages grid, or the components of one deployment
    Show(Lazy<ShowArgs>),
    /// Print the resolved rows: what every stage builds for every application
    Resolve(Lazy<ResolveArgs>),
    /// Answer the everyday lookups (who runs a release, which stages, which version)
    #[command(subcommand)]
    Query(Lazy<QueryCommand>),
    /// Print the release map with every block and template expanded
    Expand(Lazy<ExpandArgs>),
    /// Write a commented starter `edx-matrix.toml` with the standard Open edX catalogue
    Init(Lazy<InitArgs>),
    /// Move a stage of deployments to a new release, scaffolding its release-map entries
    Upgrade(Lazy<UpgradeArgs>),
    /// Give a stage the release of the stage before it (CI -> QA -> Production)
    Promote(Lazy<PromoteArgs>),
    /// Change the overrides of one application of one (release, deployment)
    Set(Lazy<SetArgs>),
    /// Add an application to one (release, deployment)
    Include(Lazy<IncludeArgs>),
    /// Remove an application from one (release, deployment)
    Exclude(Lazy<ExcludeArgs>),
    /// Add or retire a supported release
    #[command(subcommand)]
    Release(Lazy<ReleaseCommand>),
    /// Add or remove an application of the catalogue
    #[command(subcommand)]
    App(Lazy<AppCommand>),
    /// Rewrite the matrix file in the canonical layout, keeping every comment
    Fmt(Lazy<FmtArgs>),
    /// Show what a change to the matrix does: stage releases, resolved rows, rebuilds
    Diff(Lazy<DiffArgs>),
    /// Show, from the git history of the matrix file, which release every stage ran when
    ///
    /// Every date is the commit's author date (when the change was written; a rebase, a
    /// cherry-pick or a merge of the pull request keeps it), not its committer date.
    History(Lazy<HistoryArgs>),
    /// Check that every (origin, branch) the matrix resolves to exists on its remote
    VerifyRefs(Lazy<VerifyRefsArgs>),
    /// Lock the commit each stage builds: resolve its branches and write `edx-matrix.lock`
    Lock(Lazy<LockArgs>),
    /// List upstream release branches and tags, and the releases the matrix lacks
    Discover(Lazy<DiscoverArgs>),
    /// Generate the Concourse pipelines the matrix drives, and check pipeline files
    #[command(subcommand)]
    Pipeline(Lazy<PipelineCommand>),
    /// Serve the dashboard and the read-only JSON API, reloading when the file changes
    Serve(Lazy<ServeArgs>),
    /// Write a TOML matrix from another format
    #[command(subcommand)]
    Import(Lazy<ImportCommand>),
    /// Write the matrix in another format: interchange JSON, Tutor, GitHub Actions, shell
    Export(Lazy<ExportArgs>),
    /// Print the JSON Schema of `edx-matrix.toml` (for taplo / Even Better TOML)
    Schema(Lazy<SchemaArgs>),
    /// Print the manual upgrade steps of a release (its runbook), for a stage or every stage
    Runbook(Lazy<RunbookArgs>),
    /// Generate RSA JWT signing keys, as edx-platform's `generate_jwt_signing_key` does
    JwtKeygen(Lazy<JwtKeygenArgs>),
    /// Print the LogQL query, and a Grafana Explore link, for the logs of a deployment stage
    Logs(Lazy<LogsArgs>),
    /// Print the script that makes a shell complete edx-matrix (bash, zsh, fish, …)
    Completions(Lazy<CompletionsArgs>),
    /// Print a command's manual page (roff), or write every page with `-o DIR`
    Man(Lazy<ManArgs>),
}
