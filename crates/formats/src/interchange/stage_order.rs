//! The stage order of an interchange file, merged from the deployments' stage lists.

/// Merges per-deployment stage sequences into one promotion order (first-seen order among
/// stages not constrained by any deployment); `Err` names the stages in a contradiction.
pub(super) fn merge_stage_orders(orders: &[Vec<String>]) -> Result<Vec<String>, String> {
    let mut nodes: Vec<String> = Vec::new();
    for order in orders {
        for stage in order {
            if !nodes.contains(stage) {
                nodes.push(stage.clone());
            }
        }
    }
    let index = |s: &str| nodes.iter().position(|n| n == s).unwrap_or(0);
    let mut preds = vec![std::collections::BTreeSet::new(); nodes.len()];
    for order in orders {
        for pair in order.windows(2) {
            if pair[0] != pair[1] {
                preds[index(&pair[1])].insert(index(&pair[0]));
            }
        }
    }
    let mut placed = vec![false; nodes.len()];
    let mut out = Vec::with_capacity(nodes.len());
    while out.len() < nodes.len() {
        let next = (0..nodes.len()).find(|&n| !placed[n] && preds[n].iter().all(|&p| placed[p]));
        match next {
            Some(n) => {
                placed[n] = true;
                out.push(nodes[n].clone());
            }
            None => {
                let stuck: Vec<String> = (0..nodes.len())
                    .filter(|&n| !placed[n])
                    .map(|n| format!("`{}`", nodes[n]))
                    .collect();
                return Err(stuck.join(", "));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn merges_orders() {
        let merged =
            merge_stage_orders(&[v(&["CI", "Production"]), v(&["CI", "QA", "Production"])]);
        assert_eq!(merged, Ok(v(&["CI", "QA", "Production"])));
    }

    #[test]
    fn reports_contradictions() {
        assert!(merge_stage_orders(&[v(&["CI", "QA"]), v(&["QA", "CI"])]).is_err());
    }
}
