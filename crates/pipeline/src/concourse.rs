//! The Concourse pipeline configuration we emit, as typed serde structs.
//!
//! Only the parts edx-matrix generates are modelled; field names follow the Concourse
//! documentation (and the public JSON Schema in `crates/pipeline/schema/`).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A whole pipeline configuration (`fly set-pipeline -c`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Resource types beyond the ones every worker has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<ResourceType>,
    /// The resources: git repositories, artifacts, approvals.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// The jobs.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// Tabs of the pipeline view (one per release).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

/// A resource type declared by the pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceType {
    /// Its name, used as the `type` of resources.
    pub name: String,
    /// The type of the resource that fetches the type's image (`registry-image`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the image comes from.
    pub source: Map<String, Value>,
}

/// A resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Its name, used by `get` and `put`.
    pub name: String,
    /// Its resource type (`git`, `registry-image`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// An icon from materialdesignicons.com.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// How often to check for new versions (`10m`), when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_every: Option<String>,
    /// The resource's configuration.
    pub source: Map<String, Value>,
}

/// A job: a build plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Its name.
    pub name: String,
    /// Whether builds of the job run one at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<bool>,
    /// The steps.
    pub plan: Vec<Step>,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// Fetch a resource version.
    Get(GetStep),
    /// Push a resource version.
    Put(PutStep),
    /// Run a task.
    Task(Box<TaskStep>),
    /// Set (or update) a pipeline.
    SetPipeline(SetPipelineStep),
    /// Run steps in parallel.
    InParallel(InParallelStep),
    /// Run steps in parallel with options, then a step whatever happened.
    InParallelEnsure(InParallelEnsureStep),
}

/// `get:` a resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GetStep {
    /// The name the artifact has in the build (the resource's name unless `resource` is set).
    pub get: String,
    /// The resource to fetch, when the artifact is named differently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Whether a new version triggers the job.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trigger: bool,
    /// Only versions that went through these jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<String>,
    /// Parameters of the resource's `in`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
}

/// `put:` to a resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PutStep {
    /// The resource to push to.
    pub put: String,
    /// Parameters of the resource's `out`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
}

/// `task:` run a container.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskStep {
    /// The task's name.
    pub task: String,
    /// A task file inside an artifact of the build (`ci/tasks/build.yml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// An inline task configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<TaskConfig>,
    /// Whether the container runs privileged (image builds).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privileged: bool,
    /// Environment variables of the task: every value from the matrix reaches tasks here.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, String>,
    /// Renames of the task's outputs.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub output_mapping: IndexMap<String, String>,
}

/// An inline task configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskConfig {
    /// Always `linux`.
    pub platform: String,
    /// The container image.
    pub image_resource: ImageResource,
    /// Artifacts the task reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<TaskInput>,
    /// Artifacts the task writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<TaskInput>,
    /// The command: a program and its arguments, never a string built from matrix values.
    pub run: TaskRun,
}

/// The image of an inline task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageResource {
    /// The resource type (`registry-image`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the image comes from (`repository`, `tag`).
    pub source: Map<String, Value>,
}

/// An input or output of an inline task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskInput {
    /// The artifact's name.
    pub name: String,
}

/// The command of an inline task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRun {
    /// The program.
    pub path: String,
    /// Its arguments, as given in the settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

/// `set_pipeline:` set a pipeline from a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetPipelineStep {
    /// The pipeline's name (`self` for the pipeline running the step).
    pub set_pipeline: String,
    /// The configuration file, inside an artifact of the build.
    pub file: String,
    /// The team to set it in (the team running the step when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// `in_parallel:` steps run side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InParallelStep {
    /// The steps.
    pub in_parallel: Vec<Step>,
}

/// `in_parallel:` with its options, and an `ensure:` step run whether the steps fail or not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InParallelEnsureStep {
    /// The steps and options.
    pub in_parallel: InParallelConfig,
    /// Run after the steps, whatever their outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensure: Option<Box<Step>>,
}

/// The options form of `in_parallel:`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InParallelConfig {
    /// The steps.
    pub steps: Vec<Step>,
    /// Whether one failing step aborts the others (`false`: every step runs to its end).
    pub fail_fast: bool,
}

/// A tab of the pipeline view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// The jobs shown in it.
    pub jobs: Vec<String>,
}

impl Pipeline {
    /// Returns the pipeline as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        // Serializing plain structs with string keys cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Returns the pipeline as YAML.
    pub fn to_yaml(&self) -> Result<String, RenderError> {
        crate::yaml::to_string(self)
    }

    /// Returns the pipeline as a JSON value (for the validator and schema checks).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// YAML output failed (it does not for the structs above; kept for the serializer's signature).
#[derive(Debug, thiserror::Error)]
#[error("cannot write YAML: {0}")]
pub struct RenderError(String);

impl RenderError {
    /// Returns the error with its message.
    pub fn new(message: String) -> Self {
        RenderError(message)
    }
}
