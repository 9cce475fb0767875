//! Rules about build arguments and environment variables: where they are
//! used without being defined, and what they should not hold.

use crate::{Checker, Rule};
use plimsoll_diagnostics::Span;
use std::ops::Range;

mod secrets_used_in_arg_or_env;

pub use plimsoll_secrets::is_secret_name;
mod undefined_var;

pub(crate) const RULES: &[&dyn Rule] = &[
    &secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &undefined_var::UndefinedVar,
];

/// The source span of bytes `range` of a word whose value is `value` and
/// whose source is `span`: exact when the value is the source text as
/// written (or a JSON string literal without escapes), else the whole
/// word.
pub(crate) fn span_in_word(cx: &Checker<'_>, value: &str, span: Span, range: Range<usize>) -> Span {
    let src = cx.slice(span);
    let offset = if src == value {
        Some(span.start)
    } else if src.len() == value.len() + 2
        && src.starts_with('"')
        && src.ends_with('"')
        && src.get(1..src.len() - 1) == Some(value)
    {
        Some(span.start + 1)
    } else {
        None
    };
    match offset {
        Some(o) if range.end <= value.len() => Span::new(o + range.start, o + range.end),
        _ => span,
    }
}
