//! The unified diff an edit prints, in bounded time on any input.
//!
//! Myers' algorithm (similar's default) costs O((N+M)·D): quadratic when an edit changes most
//! lines of a big file, as `fmt` of 100k blocks does. Small inputs keep that exact diff; larger
//! ones are split on lines unique to both sides (patience anchors) and only regions small
//! enough are given to Myers, bigger anchor-less regions being shown as replaced whole. The
//! result is deterministic (no deadline) and shows only lines that changed.

use similar::{Algorithm, DiffOp, capture_diff_slices, group_diff_ops};
use std::collections::HashMap;
use std::fmt::Write;

/// Regions up to this many line pairs (old × new) are diffed with Myers.
const MYERS_BUDGET: usize = 4_000_000;

/// Returns the unified diff from `old` to `new` with `context` lines of context and the file
/// names `a` and `b`; empty when the texts are equal.
pub(crate) fn unified(a: &str, b: &str, old: &str, new: &str, context: usize) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff(&old_lines, &new_lines);
    let mut out = String::new();
    for (i, hunk) in group_diff_ops(ops, context).iter().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "--- {a}\n+++ {b}");
        }
        let (first, last) = (hunk[0], hunk[hunk.len() - 1]);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(first.old_range().start, last.old_range().end),
            range(first.new_range().start, last.new_range().end)
        );
        for op in hunk {
            for change in op.iter_changes(old_lines.as_slice(), new_lines.as_slice()) {
                let line = change.value();
                out.push_str(&change.tag().to_string());
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// A hunk range as unified diffs write it (`3`, `3,4`, `2,0`).
fn range(start: usize, end: usize) -> String {
    let len = end.saturating_sub(start);
    match len {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        _ => format!("{},{len}", start + 1),
    }
}

/// The edit script from `old` to `new`.
fn diff(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    if old.len().saturating_mul(new.len()) <= MYERS_BUDGET {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut regions = vec![(0, old.len(), 0, new.len())];
    while let Some((mut o0, mut o1, mut n0, mut n1)) = regions.pop() {
        while o0 < o1 && n0 < n1 && old[o0] == new[n0] {
            matches.push((o0, n0));
            o0 += 1;
            n0 += 1;
        }
        while o0 < o1 && n0 < n1 && old[o1 - 1] == new[n1 - 1] {
            matches.push((o1 - 1, n1 - 1));
            o1 -= 1;
            n1 -= 1;
        }
        if o0 == o1 || n0 == n1 {
            continue;
        }
        let anchors = unique_anchors(&old[o0..o1], &new[n0..n1]);
        if anchors.is_empty() {
            if (o1 - o0).saturating_mul(n1 - n0) <= MYERS_BUDGET {
                for op in capture_diff_slices(Algorithm::Myers, &old[o0..o1], &new[n0..n1]) {
                    if let DiffOp::Equal {
                        old_index,
                        new_index,
                        len,
                    } = op
                    {
                        matches.extend((0..len).map(|k| (o0 + old_index + k, n0 + new_index + k)));
                    }
                }
            }
            continue;
        }
        let (mut po, mut pn) = (o0, n0);
        for (i, j) in anchors {
            let (i, j) = (o0 + i, n0 + j);
            regions.push((po, i, pn, j));
            matches.push((i, j));
            (po, pn) = (i + 1, j + 1);
        }
        regions.push((po, o1, pn, n1));
    }
    matches.sort_unstable();
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut k = 0;
    while k < matches.len() {
        let (mi, mj) = matches[k];
        if mi > i {
            ops.push(DiffOp::Delete {
                old_index: i,
                old_len: mi - i,
                new_index: j,
            });
        }
        if mj > j {
            ops.push(DiffOp::Insert {
                old_index: mi,
                new_index: j,
                new_len: mj - j,
            });
        }
        let mut len = 1;
        while k + len < matches.len() && matches[k + len] == (mi + len, mj + len) {
            len += 1;
        }
        ops.push(DiffOp::Equal {
            old_index: mi,
            new_index: mj,
            len,
        });
        (i, j) = (mi + len, mj + len);
        k += len;
    }
    if old.len() > i {
        ops.push(DiffOp::Delete {
            old_index: i,
            old_len: old.len() - i,
            new_index: j,
        });
    }
    if new.len() > j {
        ops.push(DiffOp::Insert {
            old_index: old.len(),
            new_index: j,
            new_len: new.len() - j,
        });
    }
    ops
}

/// The lines that occur once in `old` and once in `new`, as (old, new) index pairs forming the
/// longest sequence increasing on both sides (patience diff's anchors).
fn unique_anchors(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    let mut seen: HashMap<&str, (usize, usize, usize, usize)> = HashMap::new();
    for (i, line) in old.iter().enumerate() {
        let e = seen.entry(line).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, line) in new.iter().enumerate() {
        if let Some(e) = seen.get_mut(line) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence on the new index (patience sorting).
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < j);
        back[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        out.push(pairs[k]);
        at = back[k];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the diff's changes to `old` and checks it gives `new`.
    fn replay(old: &str, new: &str) {
        let o: Vec<&str> = old.split_inclusive('\n').collect();
        let n: Vec<&str> = new.split_inclusive('\n').collect();
        let mut out = String::new();
        for op in diff(&o, &n) {
            for c in op.iter_changes(o.as_slice(), n.as_slice()) {
                if c.tag() != similar::ChangeTag::Delete {
                    out.push_str(c.value());
                }
            }
        }
        assert_eq!(out, new);
    }

    #[test]
    fn small_inputs_match_similar_exactly() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nX\nd\ne\nf\ng\nh\nnew\n";
        let ours = unified("a/f", "b/f", old, new, 3);
        let theirs = similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header("a/f", "b/f")
            .to_string();
        assert_eq!(ours, theirs);
        let no_eol = unified("a/f", "b/f", "x\ny", "x\nz", 3);
        let theirs = similar::TextDiff::from_lines("x\ny", "x\nz")
            .unified_diff()
            .header("a/f", "b/f")
            .to_string();
        assert_eq!(no_eol, theirs);
    }

    #[test]
    fn big_inputs_replay_and_show_only_changed_lines() {
        let old: String = (0..5000).map(|i| format!("k{i} = {i}\nsame\n")).collect();
        let new: String = (0..5000)
            .map(|i| {
                if i % 7 == 0 {
                    format!("k{i}  = {i}\nsame\n")
                } else {
                    format!("k{i} = {i}\nsame\n")
                }
            })
            .collect();
        replay(&old, &new);
        let d = unified("a", "b", &old, &new, 0);
        let removed = d
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count();
        assert_eq!(removed, 715, "only the changed lines");
        let shuffled: String = (0..5000).rev().map(|i| format!("k{i} = {i}\n")).collect();
        replay(&old, &shuffled);
    }
}
