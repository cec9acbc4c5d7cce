//! The package's hand-written code ([`PythonCode`], kept by `import python`) written back
//! verbatim around the regenerated data: each file's module-level code after the export's
//! imports, each class's statements first in its body, each class's metaclass in its header.

use crate::python_names::PythonCode;

/// Returns `text` (the export of `file`: `types` or `version_matrix`) with the kept code in it.
pub(super) fn splice(text: &str, file: &str, code: &PythonCode) -> String {
    let mut out = String::with_capacity(text.len());
    let mut module_written = false;
    let module = code.modules.get(file);
    for line in text.split_inclusive('\n') {
        let class = line
            .strip_prefix("class ")
            .and_then(|rest| rest.split(['(', ':']).next());
        if let (Some(m), Some(_), false) = (module, class, module_written) {
            out.push_str(m.trim_end());
            out.push_str("\n\n\n");
            module_written = true;
        }
        let Some(class) = class else {
            out.push_str(line);
            continue;
        };
        match code.metaclasses.get(class) {
            Some(meta) if line.trim_end().ends_with("):") => {
                let head = line.trim_end().trim_end_matches("):");
                out.push_str(&format!("{head}, metaclass={meta}):\n"));
            }
            _ => out.push_str(line),
        }
        if let Some(body) = code.classes.get(class) {
            out.push_str(body.trim_end());
            out.push_str("\n\n");
        }
    }
    if let (Some(m), false) = (module, module_written) {
        out.push_str("\n\n");
        out.push_str(m.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_goes_after_the_imports_into_its_class_and_its_header() {
        let mut code = PythonCode::default();
        code.modules.insert(
            "types".into(),
            "from enum import EnumMeta\n\n\nclass M(EnumMeta):\n    pass".into(),
        );
        code.classes.insert(
            "E".into(),
            "    @classmethod\n    def by(cls, n):\n        return cls[n]".into(),
        );
        code.metaclasses.insert("E".into(), "M".into());
        let text = "from enum import StrEnum\n\n\nclass E(StrEnum):\n    a = \"a\"\n";
        assert_eq!(
            splice(text, "types", &code),
            "from enum import StrEnum\n\n\nfrom enum import EnumMeta\n\n\nclass M(EnumMeta):\n    pass\n\n\nclass E(StrEnum, metaclass=M):\n    @classmethod\n    def by(cls, n):\n        return cls[n]\n\n    a = \"a\"\n"
        );
        // Another file's code is not written here.
        assert_eq!(splice(text, "version_matrix", &PythonCode::default()), text);
    }
}
