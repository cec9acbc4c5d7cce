//! The charts of the example history: snapshots, well-formed XML, and the lanes, bands and bars
//! the example's story has (counted by hand from `edx_matrix_project::git::history::example`).
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::chart::{Options, lead_times, timeline};
use edx_matrix_project::git::history::{CommitRef, example, parse_day};

fn link(commit: &CommitRef, previous: Option<&CommitRef>) -> String {
    match previous {
        Some(p) => format!("/diff?base={}&head={}", p.hash, commit.hash),
        None => format!("/diff?head={}", commit.hash),
    }
}

/// The elements with `class` (first word) equal to `class`.
fn with_class<'a>(doc: &'a roxmltree::Document<'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class").and_then(|c| c.split(' ').next()) == Some(class))
        .collect()
}

fn title_of<'a>(node: roxmltree::Node<'a, 'a>) -> Vec<&'a str> {
    node.children()
        .filter(|c| c.has_tag_name("title"))
        .filter_map(|c| c.text())
        .collect()
}

fn check_document(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    let view_box: Vec<f64> = (root.attribute("viewBox").unwrap().split(' '))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(view_box[..2], [0.0, 0.0]);
    // Drawn at its size in CSS pixels: text is 12 px at 100 % zoom.
    assert_eq!(
        root.attribute("width").unwrap().parse::<f64>().unwrap(),
        view_box[2]
    );
    assert_eq!(root.attribute("font-size"), Some("12"));
    // The dashboard's policy (`style-src 'self'`) blocks an inline style sheet: colours must be
    // attributes.
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("style")),
        "no <style> element"
    );
    doc
}

#[test]
fn example_timeline() {
    let history = example::history(None);
    let svg = timeline(
        &history,
        &Options {
            since: None,
            link: Some(&link),
        },
    );
    let doc = check_document(&svg);
    let lanes = with_class(&doc, "lane");
    assert_eq!(lanes.len(), 12);
    let lane_names: Vec<String> = (lanes.iter())
        .map(|l| {
            format!(
                "{}/{}",
                l.attribute("data-deployment").unwrap(),
                l.attribute("data-stage").unwrap()
            )
        })
        .collect();
    assert_eq!(
        lane_names[..4],
        [
            "campus/CI",
            "campus/QA",
            "campus/Production",
            "campus-staging/CI"
        ]
    );
    let bands = with_class(&doc, "band");
    // campus and campus-staging 5 + 4 + 2 each, online 1 + 1 + 1, pro 3 + 3 + 2.
    assert_eq!(bands.len(), 33);
    for band in &bands {
        let titles = title_of(*band);
        assert_eq!(titles.len(), 1, "one title per band");
        assert!(titles[0].starts_with(band.attribute("data-release").unwrap()));
        let commit = band.attribute("data-commit").unwrap();
        assert!(
            titles[0].contains(&format!("commit {}: ", &commit[..7])),
            "{}",
            titles[0]
        );
        assert!(
            band.parent()
                .unwrap()
                .attribute("href")
                .unwrap()
                .ends_with(&format!("head={commit}"))
        );
    }
    // Each band's own fill is its release's grid colour (the example's `[releases]` order:
    // teak, ulmo, verawood, master, then sumac, which only older revisions define).
    let colours = [
        ("teak", "#cfe6ff"),
        ("ulmo", "#d3f2c6"),
        ("verawood", "#ffe1b0"),
        ("master", "#ead8ff"),
        ("sumac", "#ffd5d5"),
    ];
    for band in &bands {
        let release = band.attribute("data-release").unwrap();
        let rect = band.children().find(|c| c.has_tag_name("rect")).unwrap();
        let expected = colours.iter().find(|(r, _)| *r == release).unwrap().1;
        assert_eq!(rect.attribute("fill"), Some(expected), "{release}");
    }
    // The revert: verawood in campus QA for two days, still drawn, and its link compares the
    // revision before it.
    let revert = (bands.iter())
        .find(|b| title_of(**b)[0].contains("campus · QA\n2025-06-30 – 2025-07-02"))
        .unwrap();
    let rect = revert.children().find(|c| c.has_tag_name("rect")).unwrap();
    assert!(rect.attribute("width").unwrap().parse::<f64>().unwrap() >= 4.0);
    let revisions = example::revisions();
    assert_eq!(
        revert.parent().unwrap().attribute("href"),
        Some(
            format!(
                "/diff?base={}&head={}",
                revisions[6].commit.hash, revisions[7].commit.hash
            )
            .as_str()
        )
    );
    insta::assert_snapshot!("example_timeline", svg);
}

#[test]
fn example_lead_times() {
    let history = example::history(None);
    let svg = lead_times(&history, &Options::default());
    let doc = check_document(&svg);
    let groups: Vec<_> = (with_class(&doc, "release-group").iter())
        .map(|g| g.attribute("data-release").unwrap())
        .collect();
    assert_eq!(groups, ["teak", "ulmo", "verawood", "master"]);
    let bars = with_class(&doc, "lead");
    let described: Vec<String> = (bars.iter())
        .map(|b| {
            let a = |n| b.attribute(n).unwrap();
            format!(
                "{} {} {}",
                a("data-release"),
                a("data-deployment"),
                a("data-state")
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            "teak pro done",
            "ulmo pro in-progress",
            "verawood campus done",
            "verawood campus-staging done",
            "verawood pro in-progress",
            // master is a rolling line: never "in progress", never "done".
            "master campus rolling",
            "master campus-staging rolling",
            "master online rolling",
        ]
    );
    for bar in &bars {
        assert_eq!(title_of(*bar).len(), 1);
    }
    let campus = title_of(bars[2])[0];
    assert!(campus.contains("49 days from CI (2025-06-16"), "{campus}");
    assert!(svg.contains("Not shown: 3 (deployment, release)"));
    insta::assert_snapshot!("example_lead_times", svg);
}

#[test]
fn since_and_deployment_narrow_the_timeline() {
    let history =
        example::history(None).narrowed(Some("campus"), Some(parse_day("2025-07-01").unwrap()));
    let svg = timeline(
        &history,
        &Options {
            since: parse_day("2025-07-01").ok(),
            link: None,
        },
    );
    let doc = check_document(&svg);
    assert_eq!(with_class(&doc, "lane").len(), 3);
    // CI: the verawood-or-master in effect on July 1st (master since June 30), then verawood,
    // master; QA: verawood, ulmo, verawood; Production: ulmo, verawood.
    assert_eq!(with_class(&doc, "band").len(), 3 + 3 + 2);
    assert!(!svg.contains("<a "), "no links without a link function");
}

#[test]
fn hostile_names_are_escaped() {
    let mut history = example::history(None);
    history.timelines[0].deployment = "<script>alert(1)</script>".to_owned();
    history.timelines[0].changes[0].commit.subject = "a & b \"quoted\" <i>".to_owned();
    let svg = timeline(&history, &Options::default());
    check_document(&svg);
    assert!(!svg.contains("<script>") && !svg.contains("<i>"));
    assert!(svg.contains("&lt;script&gt;"));
}

/// The example history with revisions 5 and 6 (0-based 4, 5) unreadable: a gap from the first
/// of them to revision 7.
fn history_with_a_gap() -> (edx_matrix_project::git::history::History, Vec<String>) {
    let mut revisions = example::revisions();
    for r in &mut revisions[4..6] {
        r.text = Ok("stages = [\n".to_owned());
    }
    let dates = revisions.iter().map(|r| r.commit.date.clone()).collect();
    (
        edx_matrix_project::git::history::history_of_revisions(example::FILE, revisions, None),
        dates,
    )
}

/// Seconds since the epoch of a chart's x coordinate is not recoverable; the gap's extent is
/// checked against the bands' instead: no band of a lane overlaps its gap.
fn extent(rect: roxmltree::Node<'_, '_>) -> (f64, f64) {
    let x: f64 = rect.attribute("x").unwrap().parse().unwrap();
    let w: f64 = rect.attribute("width").unwrap().parse().unwrap();
    (x, x + w)
}

#[test]
fn unreadable_revisions_are_a_hatched_gap_with_their_reason() {
    let (history, dates) = history_with_a_gap();
    let svg = timeline(
        &history,
        &Options {
            since: None,
            link: Some(&link),
        },
    );
    let doc = check_document(&svg);
    // The hatching is a pattern of presentation attributes.
    let pattern = doc
        .descendants()
        .find(|n| n.has_tag_name("pattern"))
        .unwrap();
    assert_eq!(pattern.attribute("id"), Some("timeline-gap"));
    assert!(pattern.parent().unwrap().has_tag_name("defs"));
    for lane in with_class(&doc, "lane") {
        let gaps: Vec<_> = lane
            .children()
            .filter(|n| n.attribute("class") == Some("gap"))
            .collect();
        // Every lane existed before and after: one gap each, from revision 5 to revision 7.
        assert_eq!(gaps.len(), 1, "{:?}", lane.attribute("data-stage"));
        let gap = gaps[0];
        let title = title_of(gap)[0];
        assert!(
            title.contains(&format!("{} – {}", &dates[4][..10], &dates[6][..10])),
            "{title}"
        );
        assert!(title.contains("edx-matrix.toml"), "{title}");
        assert!(title.contains("what the stage ran is unknown"), "{title}");
        let rect = gap.children().find(|c| c.has_tag_name("rect")).unwrap();
        assert_eq!(rect.attribute("fill"), Some("url(#timeline-gap)"));
        // No band is drawn across the gap.
        let (g0, g1) = extent(rect);
        for band in lane
            .descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("band")))
        {
            let rect = band.children().find(|c| c.has_tag_name("rect")).unwrap();
            let (b0, b1) = extent(rect);
            assert!(
                b1 <= g0 + 0.11 || b0 >= g1 - 0.11,
                "band {b0}..{b1} over gap {g0}..{g1}"
            );
        }
    }
    insta::assert_snapshot!("timeline_with_a_gap", svg);
}

#[test]
fn a_lead_time_bounded_by_a_gap_is_hatched() {
    let (history, _) = history_with_a_gap();
    let bounded = history
        .lead_times
        .iter()
        .filter(|l| l.bound.is_some())
        .count();
    assert!(bounded > 0, "{:#?}", history.lead_times);
    let svg = lead_times(
        &history,
        &Options {
            since: None,
            link: None,
        },
    );
    let doc = check_document(&svg);
    let gaps = with_class(&doc, "gap");
    assert_eq!(gaps.len(), bounded);
    for gap in gaps {
        let rect = gap.children().find(|c| c.has_tag_name("rect")).unwrap();
        assert_eq!(rect.attribute("fill"), Some("url(#lead-times-gap)"));
        assert!(title_of(gap)[0].contains("unreadable revisions"));
        // Over the bar of the same lead time, as wide.
        let bar = gap
            .parent()
            .unwrap()
            .children()
            .find(|c| c.has_tag_name("rect"))
            .unwrap();
        assert_eq!(extent(bar), extent(rect));
    }
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some("lead-times-gap"))
    );
    insta::assert_snapshot!("lead_times_with_a_gap", svg);
}
