//! `accessors.py` (with `--accessors`): the four lookups consumers call, for estates that do not
//! keep their own.

use super::names::Names;

/// Renders `accessors.py`.
pub(super) fn render(names: &Names, header: &str) -> String {
    let app = names.class("application");
    let mfe = names.class("mfe");
    let release = names.class("release");
    let der = names.class("deployment_env_release");
    let version = names.class("application_version");
    let deployment = names.class("deployment");
    let release_map = names.class("release_map");
    format!(
        "{header}from .types import (
    {der},
    {app},
    OpenEdxApplicationType,
    {version},
    OpenEdxDeploymentName,
    {mfe},
    {release},
)
from .version_matrix import {deployment}, {release_map}


def fetch_application_version(
    release: {release},
    deployment: OpenEdxDeploymentName,
    application: {app} | {mfe},
) -> {version} | None:
    \"\"\"The entry of `application` in the release map of (`release`, `deployment`), if any.\"\"\"
    for app_version in {release_map}.get(release, {{}}).get(deployment, []):
        if app_version.application == application:
            return app_version
    return None


def fetch_applications_by_type(
    release: {release},
    deployment: OpenEdxDeploymentName,
    application_type: OpenEdxApplicationType,
) -> list[{version}]:
    \"\"\"The entries of (`release`, `deployment`) of one type (`\"IDA\"` or `\"MFE\"`).\"\"\"
    return [
        app_version
        for app_version in {release_map}.get(release, {{}}).get(deployment, [])
        if app_version.application_type == application_type
    ]


def filter_deployments_by_release(release: {release}) -> list[{der}]:
    \"\"\"The deployments with at least one stage on `release`.\"\"\"
    return [
        deployment.value
        for deployment in {deployment}
        if release in deployment.value.releases
    ]


def filter_deployments_by_application(
    release: {release},
    application: {app} | {mfe},
) -> list[{der}]:
    \"\"\"The deployments on `release` whose release map for it includes `application`.\"\"\"
    return [
        deployment
        for deployment in filter_deployments_by_release(release)
        if fetch_application_version(release, deployment.deployment_name, application)
        is not None
    ]
"
    )
}
