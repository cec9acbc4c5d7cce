//! How releases are ordered in time, and a deployment's pins in promotion order: the rules
//! `check` and `promote` share.

use crate::matrix::Release;
use std::cmp::Ordering;

pub(crate) mod promotion;
pub(crate) use promotion::PromotionOrder;

/// Compares two releases by age: named releases by their name (Open edX names them
/// alphabetically, one letter every six months), rolling lines (`master`) after all of them.
pub fn compare_releases(a: &Release, b: &Release) -> Ordering {
    match (a.rolling, b.rolling) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a
            .name
            .as_str()
            .to_ascii_lowercase()
            .cmp(&b.name.as_str().to_ascii_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(name: &str) -> Release {
        Release {
            name: name.into(),
            branch: "b".into(),
            python: Some("3".into()),
            node: Some("2".into()),
            rolling: Release::is_rolling_name(name),
        }
    }

    #[test]
    fn named_alphabetical_rolling_newest() {
        assert_eq!(
            compare_releases(&release("teak"), &release("ulmo")),
            Ordering::Less
        );
        assert_eq!(
            compare_releases(&release("master"), &release("zebra")),
            Ordering::Greater
        );
        assert_eq!(
            compare_releases(&release("verawood"), &release("master")),
            Ordering::Less
        );
    }
}
