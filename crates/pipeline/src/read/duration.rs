//! Go durations (`30s`, `1h30m`), the form of `check_every`.

/// Returns whether `text` is a Go duration (`30s`, `1h30m`, `1.5h`) or `never`.
pub(crate) fn is_duration(text: &str) -> bool {
    if text == "never" {
        return true;
    }
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number.starts_with('.') || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["1m", "30s", "1h30m", "1.5h", "never", "500ms"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "1", "m", "1 m", "1d", ".5s", "-1m"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
