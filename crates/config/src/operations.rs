//! The operator tools: the `[operations]` settings of a matrix (read with the runbooks, in
//! [`crate::runbook`]) and the LogQL queries and Grafana Explore links `edx-matrix logs` prints.

pub mod logql;

pub use crate::runbook::{Operations, grafana_url_problem, is_valid_datasource_uid};
