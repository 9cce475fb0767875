//! Rules about the shape of the file: parse errors, casing, continuations,
//! comments.
use crate::Rule;

mod consistent_instruction_casing;
mod inline_ignore_pragma;
mod invalid_definition_description;
mod no_empty_continuation;
mod parse_error;

pub(crate) const RULES: &[&dyn Rule] = &[
    &parse_error::ParseError,
    &inline_ignore_pragma::InlineIgnorePragma,
    &no_empty_continuation::NoEmptyContinuation,
    &consistent_instruction_casing::ConsistentInstructionCasing,
    &invalid_definition_description::InvalidDefinitionDescription,
];
