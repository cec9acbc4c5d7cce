//! A family's pipeline without its jobs, and its jobs made a chain at a time (issue 23:
//! `render --all` writes a family pipeline a job at a time; the whole of it is megabytes at 200
//! deployments). [`super::generate`] is the outline with every job made.

use super::{
    Chain, Family, Generated, Names, PipelineInfo, chains, get, gets, params, task_resource,
    task_step,
};
use crate::concourse::{GetStep, Group, Job, Pipeline, PutStep, Resource, ResourceType, Step};
use crate::identifier::name as whole_name;
use crate::settings::{Gate, NamedResource, Settings};
use crate::template::{self, PlaceholderValues};
use edx_matrix_model::Matrix;
use indexmap::IndexMap;
use serde_json::{Map, Value, json};

/// A family's pipeline without its jobs, and its jobs made a chain at a time: what
/// `render --all` writes a job at a time (issue 23: the whole pipeline is megabytes at 200
/// deployments).
pub(crate) struct Outline<'m> {
    /// Its summary.
    pub info: PipelineInfo,
    /// Its resource types, resources and groups; no jobs.
    pub pipeline: Pipeline,
    /// Its jobs' names, in order.
    pub job_names: Vec<String>,
    chains: Vec<Chain<'m>>,
    family: String,
    first_stage: Option<&'m str>,
}

/// The placeholders of `chain`'s settings.
fn vars_of<'a>(chain: &'a Chain<'_>, family: &'a str) -> PlaceholderValues<'a> {
    PlaceholderValues {
        release: chain.release,
        deployment: chain.deployment,
        application: chain.application,
        // A release without a runtime renders `{runtime}` empty (issue 16).
        runtime: chain.runtime.unwrap_or_default(),
        family,
    }
}

/// `map` with its placeholders rendered.
fn rendered(map: &Map<String, Value>, vars: &PlaceholderValues<'_>) -> Map<String, Value> {
    match template::render_value(&Value::Object(map.clone()), vars) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The pipeline of `family` but its jobs; `None` when no stage runs any of its applications.
pub(crate) fn outline<'m>(
    matrix: &'m Matrix,
    settings: &Settings,
    family: &Family,
) -> Option<Outline<'m>> {
    let chains = chains(matrix, family);
    if chains.is_empty() {
        return None;
    }
    let first_stage = matrix.stages.first().map(|s| s.as_str());
    let mut pipeline = Pipeline::default();
    let mut extra: Vec<&NamedResource> = Vec::new();
    let mut use_extra = |name: &str| {
        if let Some(r) = settings.resource(name) {
            if !extra.iter().any(|e| e.name == r.name) {
                extra.push(r);
            }
        }
    };
    let mut groups: IndexMap<String, Vec<String>> = IndexMap::new();
    let mut job_names = Vec::new();
    for chain in &chains {
        let names = Names::of(chain);
        let vars = vars_of(chain, &family.name);
        let (build_task, artifact) = settings.build_of(chain.application, chain.kind);
        let mut git_source = Map::new();
        git_source.insert("uri".to_owned(), json!(chain.git_origin));
        git_source.insert("branch".to_owned(), json!(chain.release_branch));
        pipeline.resources.push(Resource {
            name: names.git.clone(),
            kind: "git".to_owned(),
            icon: Some("git".to_owned()),
            check_every: settings.check_every.clone(),
            source: git_source,
        });
        pipeline.resources.push(Resource {
            name: names.artifact.clone(),
            kind: artifact.kind.clone(),
            icon: artifact.icon.clone(),
            check_every: None,
            source: rendered(&artifact.source, &vars),
        });
        // The extra resources in the order the jobs use them (`chain_jobs`).
        if let Some(r) = task_resource(build_task) {
            use_extra(r);
        }
        let group = groups.entry(whole_name(chain.release)).or_default();
        group.push(names.build.clone());
        job_names.push(names.build.clone());
        for stage in &chain.stages {
            let job = names.deploy(stage);
            if let Some(r) = task_resource(settings.deploy_of(stage)) {
                use_extra(r);
            }
            if let Gate::Approval(resource) = &settings.gate_of(stage, Some(*stage) == first_stage)
            {
                use_extra(resource);
            }
            group.push(job.clone());
            job_names.push(job);
        }
    }
    for r in &extra {
        pipeline.resources.push(Resource {
            name: r.name.clone(),
            kind: r.kind.clone(),
            icon: r.icon.clone(),
            check_every: None,
            source: r.source.clone(),
        });
    }
    let used: Vec<&str> = pipeline.resources.iter().map(|r| r.kind.as_str()).collect();
    pipeline.resource_types = settings
        .resource_types
        .iter()
        .filter(|t| used.contains(&t.name.as_str()))
        .map(|t| ResourceType {
            name: t.name.clone(),
            kind: t.kind.clone(),
            source: t.source.clone(),
        })
        .collect();
    let releases: Vec<String> = matrix
        .releases
        .iter()
        .map(|r| whole_name(r.name.as_str()))
        .filter(|r| groups.contains_key(r))
        .collect();
    pipeline.groups = releases
        .iter()
        .filter_map(|r| {
            groups.get(r).map(|jobs| Group {
                name: r.clone(),
                jobs: jobs.clone(),
            })
        })
        .collect();
    let applications: Vec<String> = family
        .applications
        .iter()
        .filter(|a| chains.iter().any(|c| c.application == a.as_str()))
        .cloned()
        .collect();
    Some(Outline {
        info: PipelineInfo {
            name: family.name.clone(),
            team: settings.team.clone(),
            kind: "component",
            family: Some(family.name.clone()),
            applications,
            releases,
            jobs: job_names.len(),
            source: "standard".to_owned(),
        },
        pipeline,
        job_names,
        chains,
        family: family.name.clone(),
        first_stage,
    })
}

impl Outline<'_> {
    /// The whole pipeline, its jobs made.
    pub(crate) fn generated(self, settings: &Settings) -> Generated {
        let jobs = self.jobs(settings).flatten().collect();
        let mut pipeline = self.pipeline;
        pipeline.jobs = jobs;
        Generated {
            info: self.info,
            pipeline,
        }
    }

    /// The jobs, a chain at a time: each chain's build, then its deploys in promotion order.
    pub(crate) fn jobs<'a>(
        &'a self,
        settings: &'a Settings,
    ) -> impl Iterator<Item = Vec<Job>> + 'a {
        self.chains
            .iter()
            .map(move |chain| chain_jobs(settings, &self.family, self.first_stage, chain))
    }
}

/// The jobs of `chain`: its build, then one deploy per stage, each taking what `passed` the
/// job before.
fn chain_jobs(
    settings: &Settings,
    family: &str,
    first_stage: Option<&str>,
    chain: &Chain<'_>,
) -> Vec<Job> {
    let names = Names::of(chain);
    let vars = vars_of(chain, family);
    let (build_task, artifact) = settings.build_of(chain.application, chain.kind);
    let mut jobs = Vec::with_capacity(1 + chain.stages.len());
    // The build.
    let mut build_gets = vec![GetStep {
        trigger: true,
        ..get("source", &names.git)
    }];
    if let Some(r) = task_resource(build_task) {
        build_gets.push(get(r, r));
    }
    let mut plan = gets(build_gets);
    plan.push(Step::Task(Box::new(task_step(
        "build",
        build_task,
        &vars,
        &["source"],
        true,
        params(chain, None),
    ))));
    plan.push(Step::Put(PutStep {
        put: names.artifact.clone(),
        params: rendered(&artifact.params, &vars),
    }));
    jobs.push(Job {
        name: names.build.clone(),
        serial: None,
        plan,
    });
    // The deploys, in promotion order.
    let mut previous = names.build.clone();
    for stage in &chain.stages {
        let job = names.deploy(stage);
        let spec = settings.deploy_of(stage);
        let gate = settings.gate_of(stage, Some(*stage) == first_stage);
        let mut steps = vec![
            GetStep {
                trigger: gate == Gate::Automatic,
                passed: vec![previous.clone()],
                params: rendered(&artifact.get_params, &vars),
                ..get("artifact", &names.artifact)
            },
            GetStep {
                passed: vec![previous.clone()],
                ..get("source", &names.git)
            },
        ];
        if let Some(r) = task_resource(spec) {
            steps.push(get(r, r));
        }
        if let Gate::Approval(resource) = &gate {
            steps.push(GetStep {
                trigger: true,
                ..get(resource, resource)
            });
        }
        let environment = edx_matrix_model::label(chain.deployment, stage);
        let mut plan = gets(steps);
        plan.push(Step::Task(Box::new(task_step(
            "deploy",
            spec,
            &vars,
            &["artifact", "source"],
            false,
            params(chain, Some((stage, &environment))),
        ))));
        jobs.push(Job {
            name: job.clone(),
            serial: Some(true),
            plan,
        });
        previous = job;
    }
    jobs
}
