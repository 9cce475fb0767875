use crate::Span;

/// What a leaf token is. Every byte of the source is in exactly one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// The UTF-8 byte order mark at the very start.
    Bom,
    /// Spaces and tabs (and `\v`, `\f`, a lone `\r` not followed by `\n`,
    /// and Unicode spaces indenting a line).
    Whitespace,
    /// `\n` or `\r\n`.
    Newline,
    /// A `#` comment line (also inside a continuation), without its newline.
    Comment,
    /// A parser directive line such as `# syntax=…`, without its newline.
    Directive,
    /// The instruction keyword (`RUN`, `from`, also an unknown one).
    Keyword,
    /// One `--name[=value]` flag.
    Flag,
    /// The escape character that ends a line and its following whitespace
    /// up to (not including) the newline: the line continuation.
    Continuation,
    /// A run of argument text (words, JSON, operators), without whitespace.
    Text,
    /// The body of a heredoc (all lines between the opening line and the
    /// delimiter line, newlines included).
    HeredocBody,
    /// The closing delimiter line of a heredoc, without its newline.
    HeredocEnd,
    /// Bytes that belong to nothing else. The parser does not produce it
    /// today: like BuildKit, it reads every non-comment line as an
    /// instruction (an unknown one at worst).
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Instruction keywords BuildKit knows. Matching is case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else; the written word is in [`Instruction::keyword_text`].
    Unknown,
}

impl Keyword {
    /// Upper-case name, `UNKNOWN` for [`Keyword::Unknown`].
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// Case-insensitive lookup as BuildKit does it (Go's Unicode
    /// lower-casing, so `HEALTHCHEC\u{212A}` is HEALTHCHECK); `Unknown` for
    /// anything else.
    pub fn parse(word: &str) -> Keyword {
        let lower;
        let word = if word.is_ascii() {
            word
        } else if word.len() > 40 {
            return Keyword::Unknown;
        } else {
            lower = crate::gocompat::to_lower(word);
            lower.as_str()
        };
        let mut buf = [0u8; 11];
        if word.len() > buf.len() {
            return Keyword::Unknown;
        }
        for (d, s) in buf.iter_mut().zip(word.bytes()) {
            *d = s.to_ascii_uppercase();
        }
        match &buf[..word.len()] {
            b"ADD" => Keyword::Add,
            b"ARG" => Keyword::Arg,
            b"CMD" => Keyword::Cmd,
            b"COPY" => Keyword::Copy,
            b"ENTRYPOINT" => Keyword::Entrypoint,
            b"ENV" => Keyword::Env,
            b"EXPOSE" => Keyword::Expose,
            b"FROM" => Keyword::From,
            b"HEALTHCHECK" => Keyword::Healthcheck,
            b"LABEL" => Keyword::Label,
            b"MAINTAINER" => Keyword::Maintainer,
            b"ONBUILD" => Keyword::Onbuild,
            b"RUN" => Keyword::Run,
            b"SHELL" => Keyword::Shell,
            b"STOPSIGNAL" => Keyword::Stopsignal,
            b"USER" => Keyword::User,
            b"VOLUME" => Keyword::Volume,
            b"WORKDIR" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }
}

/// A parser directive at the top of the file (`# syntax=…`, `# escape=…`,
/// `# check=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    /// The whole comment line.
    pub span: Span,
    pub value_span: Span,
}

/// A comment line (not a directive), anywhere in the file, continuation
/// lines included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`, trimmed.
    pub text: String,
    /// The whole comment from `#` to the end of the line (no newline).
    pub span: Span,
}

/// A text with a map from each of its bytes back to the source: the
/// *logical* text of an instruction, with line continuations and comment
/// lines inside them removed, exactly as BuildKit sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogicalText {
    pub text: String,
    /// `offsets[i]` is the source offset of `text`'s byte `i`;
    /// `offsets.len() == text.len() + 1`, the last entry being the source
    /// offset just past the text's last byte.
    pub offsets: Vec<usize>,
}

impl LogicalText {
    /// Source offset of logical offset `i` (clamped to the end).
    pub fn source_offset(&self, i: usize) -> usize {
        self.offsets
            .get(i)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(0)
    }

    /// Source span of a logical byte range.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            let at = self.source_offset(start);
            return Span::new(at, at);
        }
        // The end is just past the last byte of the range, which may sit
        // before a continuation that the logical text skipped. `offsets`
        // maps every byte, so that is one past the last byte's offset.
        Span::new(self.source_offset(start), self.source_offset(end - 1) + 1)
    }
}

/// One `--name[=value]` flag of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Name without the dashes (`mount`, `from`).
    pub name: String,
    /// Value after `=`, with quotes and backslash escapes processed as
    /// BuildKit's flag extraction does (`--chown="a b"` gives `a b`), no
    /// variable expansion; `None` for a bare `--link`.
    pub value: Option<String>,
    /// The whole flag, `--` included.
    pub span: Span,
    pub name_span: Span,
    /// The value as written (quotes included).
    pub value_span: Option<Span>,
}

/// One argument of an instruction, as BuildKit's AST has it (its `Next`
/// list). For JSON form, the decoded string; for shell form, the word as
/// BuildKit splits it (quotes kept where BuildKit keeps them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    /// Source span covering the word (for JSON, the string literal with its
    /// quotes).
    pub span: Span,
}

/// A `key=value` (or legacy `key value`) pair of ENV, LABEL or ARG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    /// `None` for `ARG name` without a default (and for the malformed
    /// `ENV name`, which BuildKit rejects).
    pub value: Option<Word>,
    /// True for `=`, false for the legacy whitespace-separated form.
    pub equals: bool,
    /// The whole pair.
    pub span: Span,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, unquoted (`EOF`).
    pub name: String,
    /// Body content as BuildKit gives it (with `<<-`, leading tabs removed).
    pub content: String,
    /// False when the delimiter was quoted: no variable expansion.
    pub expand: bool,
    /// True for `<<-`.
    pub chomp: bool,
    /// The `<<EOF` marker in the instruction line (the word as BuildKit's
    /// shell lexer splits it).
    pub marker_span: Span,
    /// The body lines in the source (may be empty).
    pub body_span: Span,
    /// The closing delimiter line (empty span at end of file when missing).
    pub end_span: Span,
}

/// Argument form of RUN, CMD, ENTRYPOINT, SHELL, VOLUME, COPY, ADD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// JSON array (exec form).
    Exec,
    /// Anything else.
    Shell,
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword exactly as written (`from`, `Run`, `FOO`).
    pub keyword_text: String,
    pub keyword_span: Span,
    /// From the keyword to the end of its last line (continuations and
    /// heredoc bodies included, final newline excluded).
    pub span: Span,
    /// 1-based first and last line of `span`.
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<Flag>,
    /// Exec or shell form, as BuildKit detects it.
    pub form: Form,
    /// Everything after the keyword and flags, continuations and comment
    /// lines removed, leading and trailing whitespace trimmed: what BuildKit
    /// calls the instruction's rest.
    pub rest: LogicalText,
    /// BuildKit's argument list for this instruction (its AST `Next`), for
    /// ENV and LABEL the flattened key/value/separator triples are in
    /// [`Instruction::pairs`] instead and this is empty. HEALTHCHECK has
    /// its type first (`CMD`, `NONE`). Empty for ONBUILD (see `onbuild`)
    /// and for an unknown instruction (where BuildKit keeps one empty
    /// node).
    pub args: Vec<Word>,
    /// ENV, LABEL, ARG (and MAINTAINER is not one: see `args`). For ARG
    /// the words are also in `args`, as BuildKit has them.
    pub pairs: Vec<KeyValue>,
    /// For ONBUILD, the trigger's heredocs (also copied into `onbuild`).
    pub heredocs: Vec<Heredoc>,
    /// The instruction inside ONBUILD (`None` for a bare `ONBUILD`).
    pub onbuild: Option<Box<Instruction>>,
    /// Continuation lines that were empty or whitespace-only (BuildKit's
    /// NoEmptyContinuation): spans of those lines.
    pub empty_continuation_lines: Vec<Span>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
    pub fn is_exec_form(&self) -> bool {
        self.form == Form::Exec
    }
}

/// Why something is not well-formed. Each becomes a DL1000 finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// True when BuildKit's `parser.Parse` itself rejects the file for this
    /// (then `plimsoll debug buildkit-ast` refuses it too); false for
    /// problems BuildKit only reports later (`instructions.Parse`) or that
    /// are ours alone (invalid UTF-8).
    pub fatal_in_buildkit: bool,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// The source as text (invalid UTF-8 replaced by U+FFFD; then
    /// `lossy_utf8` is set and there is a syntax error for it). Spans index
    /// into this text.
    pub text: String,
    pub lossy_utf8: bool,
    pub tokens: Vec<Token>,
    pub directives: Vec<Directive>,
    /// The escape character in force (`\\` or `` ` ``).
    pub escape: char,
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
    pub errors: Vec<SyntaxError>,
}

impl Dockerfile {
    /// The source rebuilt from the tokens (the lossless round trip).
    pub fn reconstruct(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for t in &self.tokens {
            out.push_str(&self.text[t.span.range()]);
        }
        out
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}
