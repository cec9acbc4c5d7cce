//! The `[pipelines]` section of the matrix file, as validated settings with their defaults.
//!
//! Every field has a default, so a matrix without the section still generates pipelines (see
//! `docs/pipelines.md`, "Defaults").

use edx_matrix_model::AppKind;
use indexmap::IndexMap;
use serde_json::{Map, Value, json};

/// Everything `[pipelines]` says, defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Whether the matrix file has a `[pipelines]` section at all.
    pub declared: bool,
    /// The Concourse team the pipelines are set in.
    pub team: String,
    /// `check_every` of the generated git resources (Concourse's default when `None`).
    pub check_every: Option<String>,
    /// Families grouping several applications into one pipeline, in file order. Every other
    /// application is a family of its own, named after it.
    pub families: Vec<FamilySetting>,
    /// Extra resource types, declared in pipelines whose resources use them.
    pub resource_types: Vec<NamedResource>,
    /// Extra resources (task repositories, approval signals), declared where used.
    pub resources: Vec<NamedResource>,
    /// Build settings per application kind.
    pub build_ida: BuildSettings,
    /// Build settings for MFEs.
    pub build_mfe: BuildSettings,
    /// Build settings for single applications, overriding their kind's.
    pub build_apps: IndexMap<String, BuildSettings>,
    /// The deploy task of every stage without its own.
    pub deploy: TaskSpec,
    /// Per-stage settings.
    pub stages: IndexMap<String, StageSettings>,
    /// The meta pipeline.
    pub meta: MetaSettings,
    /// The template patterns (`pipelines/*.star`), relative to the matrix file.
    pub templates: Vec<TemplatePattern>,
    /// The bounds every template run stays inside (`template_steps`, `template_memory_mib`,
    /// `template_depth`).
    pub template_limits: crate::script::Limits,
}

/// A `[pipelines] templates` pattern and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplatePattern {
    /// The pattern: a relative path whose file name may hold `*`.
    pub pattern: String,
    /// Its span in the matrix file.
    pub span: std::ops::Range<usize>,
}

/// A family of applications sharing one pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilySetting {
    /// The family (and pipeline) name.
    pub name: String,
    /// Its applications.
    pub applications: Vec<String>,
}

/// A resource or resource type given in the settings.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedResource {
    /// Its name.
    pub name: String,
    /// Its type.
    pub kind: String,
    /// Its `source`, passed through as written.
    pub source: Map<String, Value>,
    /// Its icon.
    pub icon: Option<String>,
}

/// How one kind or application is built (a field left out takes the kind's, then the default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildSettings {
    /// The build task.
    pub task: Option<TaskSpec>,
    /// The artifact the build produces.
    pub artifact: Option<ArtifactSpec>,
}

/// A task: a file in a declared resource, or an inline image and command.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSpec {
    /// Where the task comes from.
    pub source: TaskSource,
    /// Extra `params` (templates allowed; `((vars))` pass through).
    pub params: IndexMap<String, String>,
    /// Whether the container is privileged.
    pub privileged: bool,
    /// The name of the output the task writes its artifact to (`artifact`).
    pub output: String,
}

/// Where a task comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskSource {
    /// A task file in a resource of the settings (a git repository).
    File {
        /// The resource.
        resource: String,
        /// The path inside it.
        file: String,
    },
    /// An inline task.
    Inline {
        /// The image repository (`node`, `((deploy-image))`).
        image: String,
        /// The image tag (a template, e.g. `{runtime}`).
        tag: Option<String>,
        /// The program and its arguments, exactly as written.
        run: Vec<String>,
    },
}

/// The artifact a build puts and the deploys get.
#[derive(Clone, Debug, PartialEq)]
pub struct ArtifactSpec {
    /// The resource type (`registry-image`).
    pub kind: String,
    /// Its `source` (templates allowed).
    pub source: Map<String, Value>,
    /// The `params` of the build's `put` (templates allowed).
    pub params: Map<String, Value>,
    /// The `params` of the deploys' `get`.
    pub get_params: Map<String, Value>,
    /// Its icon.
    pub icon: Option<String>,
}

/// How a deploy of a stage starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// As soon as a new artifact passed the previous job.
    Automatic,
    /// When someone triggers the job.
    Manual,
    /// When the named resource (from `resources`) has a new version.
    Approval(String),
}

/// Settings of one stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageSettings {
    /// Its gate (default: automatic for the first stage, manual for the others).
    pub gate: Option<Gate>,
    /// Its deploy task (default: `deploy`).
    pub task: Option<TaskSpec>,
}

/// The meta pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct MetaSettings {
    /// Its name.
    pub name: String,
    /// The repository holding the matrix.
    pub uri: String,
    /// Its branch.
    pub branch: String,
    /// The matrix file's path in the repository.
    pub file: String,
    /// Only commits touching these paths trigger (default: the matrix file).
    pub paths: Vec<String>,
    /// The image holding a pinned `edx-matrix` binary.
    pub image: String,
    /// Its tag.
    pub tag: String,
}

/// The parameter names edx-matrix sets itself; settings may not set them.
pub(crate) const RESERVED_PARAMS: &[&str] = &[
    "RELEASE",
    "DEPLOYMENT",
    "STAGE",
    "ENVIRONMENT",
    "APPLICATION",
    "APPLICATION_TYPE",
    "GIT_ORIGIN",
    "RELEASE_BRANCH",
    "RUNTIME_VERSION",
    "MFE_PATH",
    "TRANSLATION_OVERRIDES",
];

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl TaskSpec {
    /// Returns an inline task with no extra params.
    pub fn inline(image: &str, tag: Option<&str>, run: &[&str]) -> Self {
        TaskSpec {
            source: TaskSource::Inline {
                image: image.to_owned(),
                tag: tag.map(str::to_owned),
                run: run.iter().map(|s| (*s).to_owned()).collect(),
            },
            params: IndexMap::new(),
            privileged: false,
            output: "artifact".to_owned(),
        }
    }

    /// The default build: `concourse/oci-build-task` builds the `Dockerfile` of the source.
    pub fn default_build() -> Self {
        let mut task = TaskSpec::inline("concourse/oci-build-task", None, &["build"]);
        task.privileged = true;
        task.output = "image".to_owned();
        task.params
            .insert("CONTEXT".to_owned(), "source".to_owned());
        task
    }

    /// The default deploy: the `deploy` program of the image named by `((deploy-image))`.
    pub fn default_deploy() -> Self {
        TaskSpec::inline("((deploy-image))", None, &["deploy"])
    }
}

impl ArtifactSpec {
    /// The default artifact: an image in `((registry))`, tagged `<release>-<deployment>`.
    pub fn default_image() -> Self {
        ArtifactSpec {
            kind: "registry-image".to_owned(),
            source: object(json!({
                "repository": "((registry))/{application}",
                "tag": "{release}-{deployment}",
                "username": "((registry-username))",
                "password": "((registry-password))",
            })),
            params: object(json!({ "image": "artifact/image.tar" })),
            get_params: Map::new(),
            icon: Some("docker".to_owned()),
        }
    }
}

impl Default for MetaSettings {
    fn default() -> Self {
        MetaSettings {
            name: "edx-matrix".to_owned(),
            uri: "((matrix-repository))".to_owned(),
            branch: "main".to_owned(),
            file: "edx-matrix.toml".to_owned(),
            paths: Vec::new(),
            image: "((edx-matrix-image))".to_owned(),
            tag: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            declared: false,
            team: "main".to_owned(),
            check_every: None,
            families: Vec::new(),
            resource_types: Vec::new(),
            resources: Vec::new(),
            build_ida: BuildSettings::default(),
            build_mfe: BuildSettings::default(),
            build_apps: IndexMap::new(),
            deploy: TaskSpec::default_deploy(),
            stages: IndexMap::new(),
            meta: MetaSettings::default(),
            templates: Vec::new(),
            template_limits: crate::script::Limits::default(),
        }
    }
}

impl Settings {
    /// Returns the build task and artifact of `application` (of `kind`): its own settings,
    /// else its kind's, else the defaults.
    pub fn build_of(&self, application: &str, kind: AppKind) -> (&TaskSpec, &ArtifactSpec) {
        use std::sync::OnceLock;
        static TASK: OnceLock<TaskSpec> = OnceLock::new();
        static ARTIFACT: OnceLock<ArtifactSpec> = OnceLock::new();
        let own = self.build_apps.get(application);
        let by_kind = match kind {
            AppKind::Ida => &self.build_ida,
            AppKind::Mfe => &self.build_mfe,
        };
        let task = own
            .and_then(|b| b.task.as_ref())
            .or(by_kind.task.as_ref())
            .unwrap_or_else(|| TASK.get_or_init(TaskSpec::default_build));
        let artifact = own
            .and_then(|b| b.artifact.as_ref())
            .or(by_kind.artifact.as_ref())
            .unwrap_or_else(|| ARTIFACT.get_or_init(ArtifactSpec::default_image));
        (task, artifact)
    }

    /// Returns the deploy task of `stage`.
    pub fn deploy_of(&self, stage: &str) -> &TaskSpec {
        self.stages
            .get(stage)
            .and_then(|s| s.task.as_ref())
            .unwrap_or(&self.deploy)
    }

    /// Returns the gate of `stage`; `first` says whether it is the first stage of the
    /// promotion order.
    pub fn gate_of(&self, stage: &str, first: bool) -> Gate {
        match self.stages.get(stage).and_then(|s| s.gate.clone()) {
            Some(gate) => gate,
            None if first => Gate::Automatic,
            None => Gate::Manual,
        }
    }

    /// Returns the resource of the settings called `name`.
    pub fn resource(&self, name: &str) -> Option<&NamedResource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// Returns the paths that trigger the meta pipeline (default: the matrix file and the
    /// template patterns, relative to the repository).
    pub fn meta_paths(&self) -> Vec<String> {
        if self.meta.paths.is_empty() {
            let dir = crate::script::directory_of(&self.meta.file);
            let mut out = vec![self.meta.file.clone()];
            for t in &self.templates {
                out.push(if dir.is_empty() {
                    t.pattern.clone()
                } else {
                    format!("{dir}/{}", t.pattern)
                });
            }
            out
        } else {
            self.meta.paths.clone()
        }
    }
}
