use std::ops::Range;

use crate::lexer::Lexer;

/// One variable reference in a word: `$NAME`, `${NAME}` or `${NAME<op>…}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VarRef {
    /// The variable's name; special and positional parameters (`$1`, `$@`,
    /// `$#`, …) are reported by their name (`"1"`, `"@"`, `"#"`).
    pub name: String,
    /// Bytes of the whole reference, from `$` to the closing `}`.
    pub span: Range<usize>,
    /// Bytes of the name alone.
    pub name_span: Range<usize>,
    /// The operator of a `${NAME<op>…}` form, `None` for `$NAME` and `${NAME}`.
    pub modifier: Option<Modifier>,
}

impl VarRef {
    /// `$0`–`$9…`, `$@`, `$*`, `$#`, `$?`, `$-`, `$$`, `$!`: never set in a
    /// Dockerfile.
    pub fn is_special(&self) -> bool {
        self.name
            .chars()
            .next()
            .is_some_and(|c| crate::unicode::is_digit(c) || "@*#?-$!".contains(c))
    }
}

/// The operator of a `${NAME<op>word}` expansion.
///
/// `colon` is the `:` form, which treats an empty value like an unset one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// `${X-word}`, `${X:-word}`: `word` when `X` is unset (or empty).
    Default { colon: bool },
    /// `${X+word}`, `${X:+word}`: `word` when `X` is set (and not empty),
    /// else nothing.
    Alternative { colon: bool },
    /// `${X?msg}`, `${X:?msg}`: the build fails when `X` is unset (or empty).
    Required { colon: bool },
    /// `${X#p}`, `${X##p}`: `X` without its shortest (longest) prefix matching `p`.
    TrimPrefix { longest: bool },
    /// `${X%p}`, `${X%%p}`: `X` without its shortest (longest) suffix matching `p`.
    TrimSuffix { longest: bool },
    /// `${X/p/r}`, `${X//p/r}`: the first (every) match of `p` replaced by `r`.
    Replace { all: bool },
}

impl Modifier {
    /// The operator as written: `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`,
    /// `%`, `%%`, `/` or `//`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::Default { colon: true } => ":-",
            Modifier::Default { colon: false } => "-",
            Modifier::Alternative { colon: true } => ":+",
            Modifier::Alternative { colon: false } => "+",
            Modifier::Required { colon: true } => ":?",
            Modifier::Required { colon: false } => "?",
            Modifier::TrimPrefix { longest: false } => "#",
            Modifier::TrimPrefix { longest: true } => "##",
            Modifier::TrimSuffix { longest: false } => "%",
            Modifier::TrimSuffix { longest: true } => "%%",
            Modifier::Replace { all: false } => "/",
            Modifier::Replace { all: true } => "//",
        }
    }

    /// Whether the expansion states what happens when the variable is unset:
    /// a default (`-`), an alternative (`+`) or an explicit error (`?`).
    /// `${X:-d}` is not an undefined-variable mistake even when `X` is unset.
    pub fn handles_unset(self) -> bool {
        matches!(
            self,
            Modifier::Default { .. } | Modifier::Alternative { .. } | Modifier::Required { .. }
        )
    }
}

impl std::fmt::Display for Modifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every variable reference in `word`, in source order, with byte spans.
///
/// Quoting is honoured exactly as the lexer honours it: nothing inside single
/// quotes, no escaped `$` (with `escape`, the Dockerfile's escape character),
/// and references nested in a default, alternative, message, pattern or
/// replacement (`${A:-$B}`) are reported as well.
///
/// This never fails. Errors that depend on the values (`${X?}` with `X`
/// unset, a bad pattern) are ignored; at a syntax error (an unterminated
/// quote or `${`, an unsupported operator) the scan stops and the references
/// before it are returned.
pub fn variable_references(word: &str, escape: char) -> Vec<VarRef> {
    Lexer::new(escape).variable_references(word)
}
