//! A deployment's values as text, what an environment variable or a pipeline parameter holds
//! (mutation testing found this reached only through other crates).

use edx_matrix_model::VarValue;
use edx_matrix_model::vars::FloatText;

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
