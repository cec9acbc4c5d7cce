//! The Node version of a release: every MFE fetched at the releases' branches (one fetch per
//! MFE, a few MFEs at a time) and its `.nvmrc` read; all that declare one must agree.

use std::thread;

use super::fetch::{CacheRepo, Redirected};
use super::{
    CONCURRENT_FETCHES, Fact, FactsQuery, FactsReader, NodeDeclared, RepositoryRead, file_problem,
    join, node, redirect, renamed,
};
use crate::git::{RemoteError, redact_url};

impl FactsReader {
    /// Fetches every MFE at `branches`, a few MFEs at a time, and reads each `.nvmrc`: per MFE,
    /// per branch, the repository read and `(version, source)` or the located problem (`None`:
    /// nothing to read).
    pub(super) fn read_mfes(
        &self,
        query: &FactsQuery<'_>,
        branches: &[&str],
    ) -> Vec<Vec<(RepositoryRead, Option<NodeDeclared>)>> {
        let mut out = Vec::new();
        for chunk in query.mfes.chunks(CONCURRENT_FETCHES) {
            thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|name| scope.spawn(|| self.read_mfe(query.base, name, branches)))
                    .collect();
                for handle in handles {
                    if let Ok(result) = handle.join() {
                        out.push(result);
                    }
                }
            });
        }
        out
    }

    fn read_mfe(
        &self,
        base: &str,
        name: &str,
        branches: &[&str],
    ) -> Vec<(RepositoryRead, Option<NodeDeclared>)> {
        let url = join(base, name);
        let mut read = RepositoryRead {
            name: name.to_owned(),
            url: redact_url(&url),
            outcome: String::new(),
            redirect: redirect(&url, &Redirected(None), name),
        };
        let failed = |read: &mut RepositoryRead, e: &RemoteError| {
            read.outcome = edx_matrix_model::error_chain(e);
            vec![(read.clone(), None); branches.len()]
        };
        let repo = match CacheRepo::open(&self.git, &self.cache, &url) {
            Ok(repo) => repo,
            Err(e) => return failed(&mut read, &e),
        };
        let (redirected, have) = match repo.fetch_branches(branches) {
            Ok(fetched) => fetched,
            Err(e) => return failed(&mut read, &e),
        };
        read.redirect = redirect(&url, &redirected, name);
        let shown = renamed(name, &redirected).unwrap_or(name);
        let mut out = Vec::with_capacity(branches.len());
        for (index, (branch, had)) in branches.iter().zip(have).enumerate() {
            let mut read = read.clone();
            if !had {
                read.outcome = format!("no branch {branch}");
                out.push((read, None));
                continue;
            }
            let at = format!("{shown}@{branch}:{}", node::FILE);
            let nvmrc = match repo.read(index, node::FILE) {
                Ok(None) => {
                    read.outcome = format!("read (no {})", node::FILE);
                    None
                }
                Ok(Some(text)) => {
                    read.outcome = "read".to_owned();
                    Some(match node::declared(&text) {
                        Ok((version, _)) => Ok((version, at)),
                        Err((line, problem)) => Err(format!("{at}:{line}: {problem}")),
                    })
                }
                Err(e) => {
                    read.outcome = "read".to_owned();
                    Some(Err(file_problem(&at, &e)))
                }
            };
            out.push((read, nvmrc));
        }
        out
    }
}

/// The Node fact from the MFEs' declarations: one version all agree on.
pub(super) fn node_fact(
    declared: &[(String, String)],
    problems: &[String],
    asked: usize,
) -> Result<Fact, String> {
    if let Some(problem) = problems.first() {
        return Err(problem.clone());
    }
    let Some((first, source)) = declared.first() else {
        return Err(if asked == 0 {
            "the matrix has no MFE to read `.nvmrc` from".to_owned()
        } else {
            format!("none of the {asked} MFE repositories has an `.nvmrc` on the release's branch")
        });
    };
    let differing: Vec<String> = declared
        .iter()
        .filter(|(version, _)| version != first)
        .map(|(version, at)| format!("{version} ({at})"))
        .collect();
    if !differing.is_empty() {
        return Err(format!(
            "the MFEs declare different Node versions: {first} ({source}), {}",
            differing.join(", ")
        ));
    }
    Ok(Fact {
        value: first.clone(),
        source: source.clone(),
        detail: Some(format!(
            "the same in {} of {asked} MFE repositories",
            declared.len()
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_facts_need_agreement() {
        let a = (
            "24".to_owned(),
            "frontend-app-a@release/x:.nvmrc".to_owned(),
        );
        let b = (
            "24".to_owned(),
            "frontend-app-b@release/x:.nvmrc".to_owned(),
        );
        let c = (
            "20".to_owned(),
            "frontend-app-c@release/x:.nvmrc".to_owned(),
        );
        let fact = node_fact(&[a.clone(), b], &[], 3).expect("they agree");
        assert_eq!(fact.value, "24");
        assert_eq!(fact.source, "frontend-app-a@release/x:.nvmrc");
        assert_eq!(
            fact.detail.as_deref(),
            Some("the same in 2 of 3 MFE repositories")
        );
        let err = node_fact(&[a.clone(), c], &[], 2).expect_err("they differ");
        assert!(
            err.contains("20 (frontend-app-c@release/x:.nvmrc)"),
            "{err}"
        );
        assert!(node_fact(&[], &[], 2).is_err());
        assert_eq!(
            node_fact(&[a], &["bad".to_owned()], 2),
            Err("bad".to_owned())
        );
    }
}
