use std::collections::BTreeMap;

/// Where a variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarKind {
    /// Defined by BuildKit itself (`TARGETPLATFORM`…).
    Builtin,
    /// An ARG before the first FROM.
    GlobalArg,
    /// An ARG inside a stage.
    Arg,
    /// An ENV (also from a parent stage).
    Env,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// `None` for an ARG without a default (its value comes from
    /// `--build-arg` or not at all).
    pub value: Option<String>,
    pub kind: VarKind,
    /// The instruction that defined it.
    pub defined_at: Option<usize>,
}

/// The variables visible at one point of a Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    vars: BTreeMap<String, Variable>,
}

impl Scope {
    pub fn insert(&mut self, var: Variable) {
        self.vars.insert(var.name.clone(), var);
    }
    pub fn get_var(&self, name: &str) -> Option<&Variable> {
        self.vars.get(name)
    }
    /// Declared, with or without a value.
    pub fn is_declared(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
    pub fn iter(&self) -> impl Iterator<Item = &Variable> {
        self.vars.values()
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&Variable) -> bool) {
        self.vars.retain(|_, v| keep(v));
    }
}

impl plimsoll_expand::Env for Scope {
    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.value.as_deref())
    }
}
