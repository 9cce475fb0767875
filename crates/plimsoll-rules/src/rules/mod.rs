//! The rule registry: each family lists its rules in its `mod.rs`.
//! `packages`, `run` and `shellcheck` read RUN through [`crate::Checker::scripts`].

use crate::Rule;
use std::sync::OnceLock;

pub(crate) mod common;
mod edit;
mod from;
mod instructions;
mod labels;
mod packages;
mod pins;
mod practices;
mod run;
mod secrets;
mod security;
mod shellcheck;
mod syntax;
mod variables;

pub use variables::is_secret_name;

pub(crate) mod prelude {
    pub(crate) use crate::{Checker, Rule, declare_rule};
    #[allow(unused_imports)]
    pub(crate) use plimsoll_diagnostics::{Edit, Fix, Span};
    #[allow(unused_imports)]
    pub(crate) use plimsoll_model::{Base, ImageRef};
    #[allow(unused_imports)]
    pub(crate) use plimsoll_syntax::{Form, Instruction, Keyword};
}

pub(crate) static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();

pub(crate) fn collect() -> Vec<&'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> = Vec::new();
    for family in [
        syntax::RULES,
        from::RULES,
        instructions::RULES,
        labels::RULES,
        packages::RULES,
        practices::RULES,
        run::RULES,
        secrets::RULES,
        security::RULES,
        shellcheck::RULES,
        variables::RULES,
    ] {
        all.extend_from_slice(family);
    }
    all.sort_by_key(|r| r.info().code);
    all
}
