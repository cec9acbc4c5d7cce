//! The Python version a repository declares, from the first of its files that names one:
//! `.python-version`, `setup.cfg`'s `python_requires`, `pyproject.toml`'s `requires-python`,
//! then `tox.ini`'s `envlist` (`py312`, `py{311,312}`).
//!
//! A declaration names a version only when it names exactly one minor version: `>=3.11` allows
//! every later one and `py{311,312}` tests two, so neither says which the release runs, and the
//! next file is read. Text that is not a version at all is an error at its line.

/// The files read, in order.
pub(crate) const FILES: &[&str] = &[".python-version", "setup.cfg", "pyproject.toml", "tox.ini"];

/// What one file says about the Python version.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Declared {
    /// One minor version (`3.12`), declared at this line.
    Version {
        /// `MAJOR.MINOR`.
        version: String,
        /// The 1-based line.
        line: usize,
    },
    /// The file declares several versions, or none (the reason, for the report).
    Undecided(String),
    /// The file declares something that is not a version: the line and what is wrong.
    Invalid {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        problem: String,
    },
}

/// Reads the declaration of `file` (one of [`FILES`]) from its `text`.
pub(crate) fn declared(file: &str, text: &str) -> Declared {
    match file {
        ".python-version" => python_version_file(text),
        "setup.cfg" => requires(text, "options", "python_requires"),
        "pyproject.toml" => requires(text, "project", "requires-python"),
        "tox.ini" => tox_envlist(text),
        _ => Declared::Undecided("not a file Python versions are read from".to_owned()),
    }
}

/// `.python-version` (pyenv, uv): the first line that is not a comment.
fn python_version_file(text: &str) -> Declared {
    let Some((index, line)) = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
    else {
        return Declared::Undecided("it is empty".to_owned());
    };
    match minor_of(line) {
        Some(version) => Declared::Version {
            version,
            line: index + 1,
        },
        None => Declared::Invalid {
            line: index + 1,
            problem: format!("`{}` is not a Python version", clip(line)),
        },
    }
}

/// `MAJOR.MINOR` of `X.Y` or `X.Y.Z` (digits only).
fn minor_of(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(numeric) {
        return None;
    }
    Some(format!("{}.{}", parts[0], parts[1]))
}

/// `key = SPEC` under `[section]` of an INI or TOML file.
fn requires(text: &str, section: &str, key: &str) -> Declared {
    let mut current = String::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_owned();
            continue;
        }
        if current != section {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.trim() != key {
            continue;
        }
        let spec = value.trim().trim_matches(|c| c == '"' || c == '\'');
        return match single_minor(spec) {
            Ok(Some(version)) => Declared::Version {
                version,
                line: index + 1,
            },
            Ok(None) => {
                Declared::Undecided(format!("`{key} = {}` allows several versions", clip(spec)))
            }
            Err(problem) => Declared::Invalid {
                line: index + 1,
                problem,
            },
        };
    }
    Declared::Undecided(format!("no `{key}` under [{section}]"))
}

/// The one minor version a PEP 440 specifier admits (`==3.12`, `==3.12.*`, `~=3.12.1`,
/// `>=3.12,<3.13`), `None` when it admits several, an error when it is not a specifier.
fn single_minor(spec: &str) -> Result<Option<String>, String> {
    let mut lower: Option<(u32, u32)> = None;
    let mut below: Option<(u32, u32)> = None;
    for clause in spec.split(',').map(str::trim) {
        let op_len = clause
            .bytes()
            .take_while(|b| matches!(b, b'=' | b'<' | b'>' | b'~' | b'!'))
            .count();
        let (op, version) = clause.split_at(op_len);
        let version = version.trim();
        let numbers: Vec<&str> = version.trim_end_matches(".*").split('.').collect();
        let parsed: Option<Vec<u32>> = numbers.iter().map(|n| n.parse().ok()).collect();
        let Some(parsed) = parsed.filter(|p| !p.is_empty() && p.len() <= 3) else {
            return Err(format!(
                "`{}` is not a Python version specifier",
                clip(spec)
            ));
        };
        let major = parsed[0];
        let minor = parsed.get(1).copied();
        match (op, minor) {
            ("==" | "===", Some(minor)) => return Ok(Some(format!("{major}.{minor}"))),
            ("~=", Some(minor)) if parsed.len() == 3 => {
                return Ok(Some(format!("{major}.{minor}")));
            }
            (">=", Some(minor)) => lower = Some((major, minor)),
            ("<", Some(minor)) => below = Some((major, minor)),
            ("", _) => {
                return Err(format!(
                    "`{}` is not a Python version specifier",
                    clip(spec)
                ));
            }
            _ => {}
        }
    }
    Ok(match (lower, below) {
        (Some((major, minor)), Some(limit)) if limit == (major, minor + 1) => {
            Some(format!("{major}.{minor}"))
        }
        _ => None,
    })
}

/// `envlist` under `[tox]`: the `pyXY` factors, expanding `py{311,312}`.
fn tox_envlist(text: &str) -> Declared {
    let mut in_tox = false;
    let mut value: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            if value.is_some() {
                break;
            }
            in_tox = line == "[tox]";
            continue;
        }
        if !in_tox {
            continue;
        }
        match &mut value {
            // A continuation line of the value is indented.
            Some((_, text)) if raw.starts_with([' ', '\t']) && !line.is_empty() => {
                text.push(',');
                text.push_str(line);
            }
            Some(_) => break,
            None => {
                if let Some((key, v)) = line.split_once('=')
                    && key.trim() == "envlist"
                {
                    value = Some((index + 1, v.trim().to_owned()));
                }
            }
        }
    }
    let Some((line, envlist)) = value else {
        return Declared::Undecided("no `envlist` under [tox]".to_owned());
    };
    let mut minors: Vec<String> = Vec::new();
    for factor in py_factors(&envlist) {
        // `py312`: the major is one digit, the rest the minor.
        let Some(minor) = factor
            .split_at_checked(1)
            .filter(|(major, minor)| !minor.is_empty() && major.bytes().all(|b| b.is_ascii_digit()))
            .map(|(major, minor)| format!("{major}.{minor}"))
        else {
            continue;
        };
        if !minors.contains(&minor) {
            minors.push(minor);
        }
    }
    match minors.as_slice() {
        [one] => Declared::Version {
            version: one.clone(),
            line,
        },
        [] => Declared::Undecided("its `envlist` names no `pyXY` environment".to_owned()),
        several => Declared::Undecided(format!(
            "its `envlist` tests {} versions ({})",
            several.len(),
            several.join(", ")
        )),
    }
}

/// The digits after each `py` factor of an envlist: `py312` gives `312`, `py{311,312}` gives
/// `311` and `312`.
fn py_factors(envlist: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = envlist;
    while let Some(at) = rest.find("py") {
        let after = &rest[at + 2..];
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
        if before_ok {
            if let Some(group) = after.strip_prefix('{').and_then(|g| g.split_once('}')) {
                out.extend(
                    group
                        .0
                        .split(',')
                        .map(str::trim)
                        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                        .map(str::to_owned),
                );
            } else {
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                if !digits.is_empty() {
                    out.push(digits);
                }
            }
        }
        rest = after;
    }
    out
}

/// At most 40 characters of `text`, for a message (the terminal layer escapes them).
pub(crate) fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(40).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(v: &str, line: usize) -> Declared {
        Declared::Version {
            version: v.to_owned(),
            line,
        }
    }

    #[test]
    fn python_version_files() {
        assert_eq!(declared(".python-version", "3.12\n"), version("3.12", 1));
        assert_eq!(
            declared(".python-version", "# pinned\n\n3.11.9\n"),
            version("3.11", 3)
        );
        assert!(matches!(
            declared(".python-version", "banana\n"),
            Declared::Invalid { line: 1, .. }
        ));
        assert!(matches!(
            declared(".python-version", "3\n"),
            Declared::Invalid { line: 1, .. }
        ));
        assert!(matches!(
            declared(".python-version", "\n"),
            Declared::Undecided(_)
        ));
    }

    #[test]
    fn requires_python_names_one_minor_or_none() {
        let cfg =
            |spec: &str| format!("[metadata]\nname = x\n[options]\npython_requires = {spec}\n");
        assert_eq!(declared("setup.cfg", &cfg("==3.12")), version("3.12", 4));
        assert_eq!(declared("setup.cfg", &cfg("==3.12.*")), version("3.12", 4));
        assert_eq!(declared("setup.cfg", &cfg("~=3.11.4")), version("3.11", 4));
        assert_eq!(
            declared("setup.cfg", &cfg(">=3.12, <3.13")),
            version("3.12", 4)
        );
        assert!(matches!(
            declared("setup.cfg", &cfg(">=3.11")),
            Declared::Undecided(_)
        ));
        assert!(matches!(
            declared("setup.cfg", &cfg(">=3.11,<3.13")),
            Declared::Undecided(_)
        ));
        assert!(matches!(
            declared("setup.cfg", &cfg("three point twelve")),
            Declared::Invalid { line: 4, .. }
        ));
        assert_eq!(
            declared(
                "pyproject.toml",
                "[build-system]\nrequires-python = \"==3.9\"\n[project]\nrequires-python = \"==3.12.*\"\n"
            ),
            version("3.12", 4)
        );
        assert!(matches!(
            declared("setup.cfg", "[metadata]\npython_requires = ==3.12\n"),
            Declared::Undecided(_)
        ));
    }

    #[test]
    fn tox_envlists() {
        assert_eq!(
            declared("tox.ini", "[tox]\nenvlist = py312-django{42,52}\n"),
            version("3.12", 2)
        );
        assert_eq!(
            declared(
                "tox.ini",
                "[tox]\nenvlist =\n    py311\n    quality\n[testenv]\n"
            ),
            version("3.11", 2)
        );
        assert_eq!(
            declared(
                "tox.ini",
                "[tox]\nenvlist = py{311,312}-django42, quality\n"
            ),
            Declared::Undecided("its `envlist` tests 2 versions (3.11, 3.12)".to_owned())
        );
        assert!(matches!(
            declared("tox.ini", "[testenv]\nenvlist = py312\n"),
            Declared::Undecided(_)
        ));
        // `pypy3` and `mypy` are not `py` factors.
        assert!(matches!(
            declared("tox.ini", "[tox]\nenvlist = mypy, pypy\n"),
            Declared::Undecided(_)
        ));
    }
}
