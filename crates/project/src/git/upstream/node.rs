//! The Node version an MFE declares in its `.nvmrc`: `24`, `v20`, `20.11.1` give the major
//! version, as the matrix's `node` values are written; an alias (`lts/iron`, `node`) is not a
//! version and is an error, never resolved.

use super::python::clip;

/// The file read.
pub(crate) const FILE: &str = ".nvmrc";

/// The major Node version of an `.nvmrc`, with its 1-based line; or the line and the problem.
pub(crate) fn declared(text: &str) -> Result<(String, usize), (usize, String)> {
    let Some((index, line)) = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
    else {
        return Err((1, "it is empty".to_owned()));
    };
    let bare = line.strip_prefix('v').unwrap_or(line);
    let parts: Vec<&str> = bare.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() <= 3 && parts.iter().all(numeric) {
        let major = parts[0].trim_start_matches('0');
        if !major.is_empty() {
            return Ok((major.to_owned(), index + 1));
        }
    }
    Err((
        index + 1,
        format!("`{}` is not a Node version number", clip(line)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_major_version() {
        assert_eq!(declared("24\n"), Ok(("24".to_owned(), 1)));
        assert_eq!(declared("v20.11.1"), Ok(("20".to_owned(), 1)));
        assert_eq!(declared("\n# node\n18.17\n"), Ok(("18".to_owned(), 3)));
        assert!(declared("lts/iron\n").is_err());
        assert!(declared("0\n").is_err());
        assert!(declared("").is_err());
        assert_eq!(declared("\u{1b}[31m").map_err(|e| e.0), Err(1));
    }
}
