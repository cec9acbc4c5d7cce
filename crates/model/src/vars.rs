//! Values of a deployment or of one of its stages (`vars`): site URLs, bucket names, feature
//! flags. Strings, numbers and booleans, in file order; templates and exports read them.

use serde::Serialize;

/// One value of `vars`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum VarValue {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A floating-point number, as written (kept as text so values compare exactly).
    Float(FloatText),
    /// A boolean.
    Boolean(bool),
}

/// A float's text (`1.5`), serialized as a JSON number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FloatText(pub String);

impl Serialize for FloatText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.parse::<f64>() {
            Ok(f) => serializer.serialize_f64(f),
            Err(_) => serializer.serialize_str(&self.0),
        }
    }
}

impl VarValue {
    /// Returns the value as text (what an environment variable holds).
    pub fn as_text(&self) -> String {
        match self {
            VarValue::String(s) => s.clone(),
            VarValue::Integer(i) => i.to_string(),
            VarValue::Float(f) => f.0.clone(),
            VarValue::Boolean(b) => b.to_string(),
        }
    }
}

/// Named values, in file order (serialized as a map).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars(pub Vec<(String, VarValue)>);

impl Serialize for Vars {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Vars {
    /// Returns the values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &VarValue)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Returns the value called `name`.
    pub fn get(&self, name: &str) -> Option<&VarValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Returns whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns `self` with `over`'s values replacing or added after its own.
    pub fn merged(&self, over: &Vars) -> Vars {
        let mut out = self.clone();
        for (k, v) in over.iter() {
            match out.0.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.clone(),
                None => out.0.push((k.clone(), v.clone())),
            }
        }
        out
    }
}

/// Returns the vars of `stage` of `deployment`: the deployment's, with the stage's own over
/// them (empty when either is unknown).
pub fn of_stage(matrix: &crate::Matrix, deployment: &str, stage: &str) -> Vars {
    let Some(d) = matrix.deployment(deployment) else {
        return Vars::default();
    };
    match d.stages.iter().find(|p| p.stage == stage) {
        Some(pin) => d.vars.merged(&pin.vars),
        None => Vars::default(),
    }
}

/// Moves every deployment's vars into its stages, so each stage holds every value it gets (the
/// stage's own over the deployment's) and the deployment none: the matrix `expand` writes.
pub fn merge_into_stages(matrix: &mut crate::Matrix) {
    for d in &mut matrix.deployments {
        let common = std::mem::take(&mut d.vars);
        for pin in &mut d.stages {
            pin.vars = common.merged(&pin.vars);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Deployment, Matrix, StagePin};

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        Vars(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), VarValue::String((*v).to_owned())))
                .collect(),
        )
    }

    #[test]
    fn deployment_vars_move_into_every_stage_under_the_stage_values() {
        let pin = |stage: &str, own: Vars| StagePin {
            stage: stage.into(),
            release: "ulmo".into(),
            vars: own,
        };
        let mut matrix = Matrix {
            deployments: vec![Deployment {
                name: "site".into(),
                stages: vec![
                    pin("CI", Vars::default()),
                    pin("QA", vars(&[("HOST", "qa.example"), ("EXTRA", "1")])),
                ],
                vars: vars(&[("HOST", "site.example"), ("NAME", "Site")]),
            }],
            ..Matrix::default()
        };
        assert_eq!(
            of_stage(&matrix, "site", "QA"),
            vars(&[("HOST", "qa.example"), ("NAME", "Site"), ("EXTRA", "1")])
        );
        merge_into_stages(&mut matrix);
        let d = &matrix.deployments[0];
        assert_eq!(d.vars, Vars::default());
        assert_eq!(
            d.stages[0].vars,
            vars(&[("HOST", "site.example"), ("NAME", "Site")])
        );
        assert_eq!(
            d.stages[1].vars,
            vars(&[("HOST", "qa.example"), ("NAME", "Site"), ("EXTRA", "1")])
        );
        // What a stage gets is unchanged.
        assert_eq!(
            of_stage(&matrix, "site", "QA"),
            vars(&[("HOST", "qa.example"), ("NAME", "Site"), ("EXTRA", "1")])
        );
    }
}
