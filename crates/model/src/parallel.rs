//! How many threads the work on a large matrix is spread over.
//!
//! A million-entry `check` is half a second of work (issue 23) that splits into independent
//! pieces: the blocks' parse, the entries' checks. Below a threshold a thread costs more than it
//! saves, so small matrices (every estate there is) stay on one thread.

/// The threads to spread `work` units over, where a unit is about an application version's
/// worth and `from` units are worth a thread: 0 means "on this thread", else one per core
/// (at most 4: past that the parts that stay on one thread dominate).
pub fn threads_for(work: usize, from: usize) -> usize {
    if work < from {
        return 0;
    }
    match std::thread::available_parallelism().map_or(1, |n| n.get()) {
        1 => 0,
        cores => cores.min(4),
    }
}

/// `0..items` cut into at most `parts` contiguous ranges of about equal `weight`, in order.
pub fn balanced_ranges(
    items: usize,
    parts: usize,
    weight: impl Fn(usize) -> usize,
) -> Vec<std::ops::Range<usize>> {
    let total: usize = (0..items).map(&weight).sum();
    let parts = parts.max(1);
    let mut ranges = Vec::with_capacity(parts);
    let (mut start, mut sum) = (0, 0);
    for i in 0..items {
        sum += weight(i);
        // The end of part k is where the running weight reaches (k + 1) / parts of the total.
        if sum * parts >= total * (ranges.len() + 1) && ranges.len() + 1 < parts {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < items || ranges.is_empty() {
        ranges.push(start..items);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_item_once_in_order() {
        for items in 0..40 {
            for parts in 1..6 {
                let ranges = balanced_ranges(items, parts, |i| 1 + i % 7);
                assert!(ranges.len() <= parts, "{items} {parts}: {ranges:?}");
                let flat: Vec<usize> = ranges.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(flat, (0..items).collect::<Vec<_>>(), "{items} {parts}");
            }
        }
    }

    #[test]
    fn ranges_are_balanced_by_weight() {
        // One heavy item first: it is a part of its own.
        let ranges = balanced_ranges(5, 2, |i| if i == 0 { 100 } else { 1 });
        assert_eq!(ranges, vec![0..1, 1..5]);
        let ranges = balanced_ranges(100, 4, |_| 3);
        assert_eq!(ranges, vec![0..25, 25..50, 50..75, 75..100]);
    }

    #[test]
    fn ranges_are_never_empty_nor_too_many() {
        for items in 1..30 {
            for parts in 1..8 {
                // Trailing items of no weight are still covered, by the last range.
                let ranges = balanced_ranges(items, parts, |i| usize::from(i < items / 2 + 1));
                assert!(ranges.len() <= parts, "{items} {parts}: {ranges:?}");
                assert!(
                    ranges.iter().all(|r| !r.is_empty()),
                    "{items} {parts}: {ranges:?}"
                );
                assert_eq!(ranges.last().map(|r| r.end), Some(items));
            }
        }
    }

    #[test]
    fn work_from_the_threshold_on_is_spread_over_the_cores() {
        assert_eq!(threads_for(9, 10), 0);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let expected = if cores == 1 { 0 } else { cores.min(4) };
        assert_eq!(threads_for(10, 10), expected);
        assert_eq!(threads_for(usize::MAX, 10), expected);
    }
}
