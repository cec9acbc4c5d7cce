//! The refs a matrix wants, placed on their lines from the project's source map (the file is
//! not parsed again).

use edx_matrix_formats::{example, parse_count};
use edx_matrix_project::Project;
use edx_matrix_project::git::WantedRef;
use edx_matrix_project::git::wanted_refs;

#[test]
fn wanted_refs_name_their_lines_without_reading_the_file_again() {
    let project = Project::example();
    let before = parse_count();
    let wanted = wanted_refs(&project);
    assert_eq!(parse_count(), before, "wanted_refs parsed the matrix again");
    let fork = WantedRef::new("https://github.com/acme-edu/edx-platform", "acme/verawood");
    let references = wanted
        .get(&fork)
        .unwrap_or_else(|| panic!("{:?}", wanted.keys()));
    assert!(!references.is_empty());
    for reference in references {
        let line = reference.line.unwrap();
        // The line is the one of the entry's `branch`, in the example's text.
        let text = example::TEXT.lines().nth(line - 1).unwrap();
        assert!(text.contains("acme/{release}"), "line {line}: {text}");
    }
}
