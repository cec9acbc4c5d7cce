//! A deployment's values as text, what an environment variable or a pipeline parameter holds
//! (mutation testing found this reached only through other crates).

use edx_matrix_model::vars::FloatText;
use edx_matrix_model::vars::VarValue;

#[test]
fn each_kind_of_value_reads_as_its_written_text() {
    assert_eq!(
        VarValue::String("https://campus.example".into()).as_text(),
        "https://campus.example"
    );
    assert_eq!(VarValue::Integer(-42).as_text(), "-42");
    assert_eq!(VarValue::Float(FloatText("1.50".into())).as_text(), "1.50");
    assert_eq!(VarValue::Boolean(true).as_text(), "true");
    assert_eq!(VarValue::Boolean(false).as_text(), "false");
}

#[test]
fn a_value_is_found_by_its_name_and_no_values_is_empty() {
    use edx_matrix_model::vars::Vars;
    let vars = Vars(vec![
        ("lms_host".into(), VarValue::String("campus.example".into())),
        ("workers".into(), VarValue::Integer(4)),
    ]);
    assert_eq!(vars.get("workers"), Some(&VarValue::Integer(4)));
    assert_eq!(
        vars.get("lms_host"),
        Some(&VarValue::String("campus.example".into()))
    );
    assert_eq!(vars.get("cms_host"), None);
    assert!(!vars.is_empty());
    assert!(Vars::default().is_empty());
}
