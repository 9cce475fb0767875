//! Native versions of the ShellCheck checks hadolint reports most often in
//! RUN, under their SC codes so `# hadolint ignore=SC2086` keeps working.
//! They read the shell tree ([`crate::Checker::scripts`]), not the text.

use crate::Rule;

mod and_or_not_if;
mod cd_without_check;
mod common;
mod declare_masks_status;
mod echo_escapes;
mod glob_as_option;
mod negation_skips_errexit;
mod single_quoted_expansion;
mod unquoted_command_substitution;
mod unquoted_expansion;
mod useless_cat;
mod useless_escape;

pub(crate) const RULES: &[&dyn Rule] = &[
    &and_or_not_if::AndOrNotIf,
    &single_quoted_expansion::SingleQuotedExpansion,
    &echo_escapes::EchoEscapes,
    &unquoted_command_substitution::UnquotedCommandSubstitution,
    &unquoted_expansion::UnquotedExpansion,
    &declare_masks_status::DeclareMasksStatus,
    &glob_as_option::GlobAsOption,
    &cd_without_check::CdWithoutCheck,
    &negation_skips_errexit::NegationSkipsErrexit,
    &useless_cat::UselessCat,
    &useless_escape::UselessEscape,
];
