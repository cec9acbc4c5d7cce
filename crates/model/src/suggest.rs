//! "Did you mean …" suggestions for near-miss names.

/// Returns the candidate closest to `name`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let distance = strsim::osa_distance(&lower, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            let longest = name.chars().count().max(candidate.chars().count());
            *distance <= (longest / 3).max(1)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["verawood", "ulmo", "teak", "master"];
        assert_eq!(did_you_mean("verawod", names), Some("verawood"));
        assert_eq!(did_you_mean("Ulmo", names), Some("ulmo"));
        assert_eq!(did_you_mean("palm", names), None);
        assert_eq!(did_you_mean("mastr", names), Some("master"));
    }
}
