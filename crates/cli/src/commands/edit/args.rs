//! The arguments of the editing commands, beside them in [`super`].

use crate::args::KindArg;
use crate::format::{Allowed, Format, formats};
use crate::names::parse;
use edx_matrix_formats::edit::entry::Target;
use edx_matrix_model::names::{ApplicationName, DeploymentName, ReleaseName, StageName};

/// The formats of edits.
const FORMATS: Allowed = &[
    (
        Format::Human,
        "The unified diff, the notes and a summary line",
    ),
    (
        Format::Json,
        "One JSON object: file, changed, written, summary, notes, diff",
    ),
];

/// Options every editing command takes.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct EditOptions {
    /// Print the diff and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
    /// How long to wait for another edit of the same file to finish
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub wait: f64,
    /// What `release add --from-upstream` read, for the JSON report (not a flag).
    #[arg(skip)]
    pub upstream: Option<serde_json::Value>,
    /// The verdicts of `promote`'s gates, for the JSON report (not a flag).
    #[arg(skip)]
    pub gates: Option<serde_json::Value>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct UpgradeArgs {
    /// The deployments to upgrade together (several: `a,b` or `a b`)
    #[arg(
        value_name = "DEPLOYMENT",
        value_delimiter = ',',
        required_unless_present_any = ["deployment", "deployments"],
        value_parser = parse::deployment
    )]
    pub names: Vec<DeploymentName>,
    /// More deployments to upgrade in the same edit (repeat, or `a,b`)
    #[arg(long, short = 'd', value_delimiter = ',', value_parser = parse::deployment)]
    pub deployment: Vec<DeploymentName>,
    /// The old spelling of `--deployment` (deprecated)
    #[arg(long, hide = true, value_delimiter = ',', value_parser = parse::deployment)]
    pub deployments: Vec<DeploymentName>,
    /// The stage that moves to the new release
    #[arg(long, short = 's', value_parser = parse::stage)]
    pub stage: StageName,
    /// The new release
    #[arg(long, value_name = "RELEASE", value_parser = parse::release)]
    pub to: ReleaseName,
    /// Copy the release-map entries of this release instead of the one the stage runs now
    #[arg(long, value_name = "RELEASE", value_parser = parse::release)]
    pub from_release: Option<ReleaseName>,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(clap::Args, Debug)]
pub(crate) struct PromoteArgs {
    /// The deployments to promote together (several: `a,b` or `a b`)
    #[arg(value_delimiter = ',', required = true, value_parser = parse::deployment)]
    pub deployment: Vec<DeploymentName>,
    /// The stage that gets the release
    #[arg(long, short = 's', required_unless_present = "to", value_parser = parse::stage)]
    pub stage: Option<StageName>,
    /// The old spelling of `--stage` (deprecated: `--to` takes a release in `upgrade`)
    #[arg(long, hide = true, conflicts_with = "stage", value_parser = parse::stage)]
    pub to: Option<StageName>,
    /// The stage whose release it gets (default: the stage before it)
    #[arg(long, value_name = "STAGE", value_parser = parse::stage)]
    pub from: Option<StageName>,
    /// Promote even when a later stage would then run a newer release than the stage before it
    #[arg(long)]
    pub force: bool,
    /// Lock the branch heads instead of the commits the lower stage locked (says what that adds)
    #[arg(long)]
    pub relock: bool,
    /// Promote even though a gate of the stage fails (soak, freeze); the reason is recorded as
    /// `forced` in the lock entries written
    #[arg(long, value_name = "REASON")]
    pub force_gates: Option<String>,
    #[command(flatten)]
    pub options: EditOptions,
}

/// New values for the overrides of one application.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct OverrideArgs {
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

/// The one application of one (release, deployment) that `set`, `include` and `exclude` change.
#[derive(clap::Args, Debug)]
pub(crate) struct TargetArgs {
    /// The deployment
    #[arg(value_parser = parse::deployment)]
    pub deployment: DeploymentName,
    /// The release
    #[arg(value_parser = parse::release)]
    pub release: ReleaseName,
    /// The application
    #[arg(value_parser = parse::application)]
    pub application: ApplicationName,
}

impl TargetArgs {
    /// The edit's [`Target`].
    pub(crate) fn target(&self) -> Target {
        Target::new(&self.deployment, &self.release, &self.application)
    }
}

#[derive(clap::Args, Debug)]
pub(crate) struct SetArgs {
    #[command(flatten)]
    pub target: TargetArgs,
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

#[derive(clap::Args, Debug)]
pub(crate) struct IncludeArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub values: OverrideArgs,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ExcludeArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub options: EditOptions,
}

#[derive(clap::Subcommand, Debug)]
pub(crate) enum ReleaseCommand {
    /// Add a supported release
    Add {
        /// The release name (`willow`)
        #[arg(value_parser = parse::release)]
        name: ReleaseName,
        /// The upstream branch that carries it (`release/willow`)
        #[arg(long, required_unless_present = "from_upstream")]
        branch: Option<String>,
        /// The default Python version of IDAs
        #[arg(long, required_unless_present = "from_upstream")]
        python: Option<String>,
        /// The default Node version of MFEs
        #[arg(long, required_unless_present = "from_upstream")]
        node: Option<String>,
        #[command(flatten)]
        upstream: super::from_upstream::FromUpstreamArgs,
        #[command(flatten)]
        options: EditOptions,
    },
    /// Remove a release no stage uses, with all its release-map entries
    Retire {
        /// The release name
        #[arg(value_parser = parse::release)]
        name: ReleaseName,
        #[command(flatten)]
        options: EditOptions,
    },
}

#[derive(clap::Subcommand, Debug)]
pub(crate) enum AppCommand {
    /// Add an application; a name from the standard Open edX catalogue needs nothing else
    Add {
        /// The application name
        #[arg(value_parser = parse::application)]
        name: ApplicationName,
        /// IDA or MFE (the `kind` key of the catalogue)
        #[arg(long = "type", short = 't', value_enum)]
        kind: Option<KindArg>,
        /// The old spelling of `--type` (deprecated: `--type` is the name in every command)
        #[arg(
            long = "kind",
            id = "old_kind",
            hide = true,
            value_enum,
            conflicts_with = "kind"
        )]
        old_kind: Option<KindArg>,
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
        #[arg(value_parser = parse::application)]
        name: ApplicationName,
        #[command(flatten)]
        options: EditOptions,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct FmtArgs {
    /// Change nothing; exit 1 and print the diff when the file is not formatted
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub options: EditOptions,
}
