//! Concourse identifiers: the names of pipelines, jobs, resources, groups and steps.
//!
//! Concourse accepts `^[\p{Ll}\p{Lt}\p{Lm}\p{Lo}][\p{Ll}\p{Lt}\p{Lm}\p{Lo}\d\-_.]*$`: a
//! lower-case (or caseless) letter, then such letters, digits, `-`, `_` and `.`.

/// Returns whether `name` is a valid Concourse identifier.
pub(crate) fn is_valid(name: &str) -> bool {
    let letter = |c: char| c.is_alphabetic() && !c.is_uppercase();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if letter(first) => {}
        _ => return false,
    }
    chars.all(|c| letter(c) || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// The longest identifier accepted, in bytes: `render --all -o DIR` writes each pipeline to
/// `NAME.yml`, and a file name longer than 255 bytes fails on every common file system (a
/// 301-character name used to fail half-way through the writing, issue 22).
pub(crate) const MAX_LEN: usize = 200;

/// Pipeline names Concourse gives a meaning to: in `set_pipeline: self` the running pipeline,
/// so a pipeline `self` set by the meta pipeline would replace the meta pipeline itself.
pub(crate) const RESERVED_PIPELINE_NAMES: &[&str] = &["self"];

/// Returns why `name` is not a valid identifier, for messages.
pub(crate) fn problem(name: &str) -> Option<String> {
    if name.len() > MAX_LEN {
        return Some(format!("it is longer than {MAX_LEN} bytes"));
    }
    if is_valid(name) {
        return None;
    }
    Some(if name.is_empty() {
        "it is empty".to_owned()
    } else if !name.starts_with(|c: char| c.is_alphabetic() && !c.is_uppercase()) {
        "it must start with a lower-case letter".to_owned()
    } else {
        "it may contain only lower-case letters, digits, `-`, `_` and `.`".to_owned()
    })
}

/// Returns why `name` cannot name a pipeline: [`problem`], or a [`RESERVED_PIPELINE_NAMES`] name.
pub(crate) fn pipeline_problem(name: &str) -> Option<String> {
    problem(name).or_else(|| {
        RESERVED_PIPELINE_NAMES.contains(&name).then(|| {
            format!(
                "Concourse reads `set_pipeline: {name}` as the running pipeline, so setting it \
                 would replace the meta pipeline"
            )
        })
    })
}

/// Returns whether `name` holds a Concourse `((var))`, which is interpolated before names are
/// checked, so it is not judged here.
pub(crate) fn has_var(name: &str) -> bool {
    name.contains("((")
}

/// Returns a matrix name (already checked to be `A-Z a-z 0-9 - _ .`) as a name part: lower
/// case. Callers put it after a fixed prefix, so a leading digit is fine.
pub(crate) fn part(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// Returns a matrix name as a whole Concourse name (a family's pipeline, a release's group):
/// lower case, with `x-` in front when it does not start with a letter (`2024` → `x-2024`).
pub(crate) fn name(name: &str) -> String {
    let lower = part(name);
    if lower.starts_with(|c: char| c.is_ascii_lowercase()) {
        lower
    } else {
        format!("x-{lower}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_valid("build-edx-platform-ulmo-campus"));
        assert!(is_valid("deploy-x_1.2"));
        assert!(is_valid("é-ok"));
        assert!(!is_valid("Build"));
        assert!(!is_valid("1build"));
        assert!(!is_valid("a b"));
        assert!(!is_valid("a/b"));
        assert!(!is_valid(""));
        assert_eq!(part("QA"), "qa");
        assert_eq!(name("Ulmo"), "ulmo");
        assert_eq!(name("2024-06"), "x-2024-06");
        assert!(is_valid(&name("9ca")));
    }

    #[test]
    fn pipeline_names() {
        assert!(problem("self").is_none());
        assert!(pipeline_problem("self").is_some_and(|p| p.contains("set_pipeline: self")));
        assert!(pipeline_problem("selfish").is_none());
        assert!(problem(&"a".repeat(200)).is_none());
        assert_eq!(
            problem(&"a".repeat(301)).as_deref(),
            Some("it is longer than 200 bytes")
        );
    }
}
