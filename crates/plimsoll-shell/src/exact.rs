//! The exact path: brush-parser's tree, walked into our commands.

use crate::build::{Builder, Ctx, Fragment, RawCommand, RawRedirect};
use crate::script::{Connector, ForLoop, Nesting, RedirectOp};
use crate::source::CharIndex;
use brush_parser::ast::{self, SourceLocation};
use brush_parser::{ParseError, ParserOptions, SourceSpan};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Bash grammar for every dialect: bashisms in a POSIX script are then
/// seen for what they are (a `[[` test, a `&>` redirection) instead of
/// being misread, and rules decide by [`crate::Dialect`] whether they are
/// allowed.
fn options() -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: true,
        posix_mode: false,
        sh_mode: false,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        parser_impl: brush_parser::ParserImpl::Peg,
    }
}

/// Parses a script. The error is a message and the byte offset where the
/// parser stopped, when it said.
pub(crate) fn parse_program(text: &str) -> Result<ast::Program, (String, Option<usize>)> {
    parse_chars(text).map_err(|(message, at)| (message, at.map(|i| CharIndex::new(text).byte(i))))
}

fn parse_chars(text: &str) -> Result<ast::Program, (String, Option<usize>)> {
    if has_oversized_fd(text) {
        // brush-parser unwraps the fd number into an i32.
        return Err(("file descriptor number out of range".into(), None));
    }
    if has_empty_heredoc_delimiter(text) {
        // brush-parser 0.4 panics on `<<""` and, with a newline after it,
        // loops forever allocating (found by fuzzing: `RUN <<""(${`).
        return Err(("empty here-document delimiter".into(), None));
    }
    let opts = options();
    // The parser is third-party code: a panic in it must not take the
    // linter down. The tolerant splitter takes over instead.
    let result = catch_unwind(AssertUnwindSafe(|| {
        let tokens = brush_parser::uncached_tokenize_str(text, &opts.tokenizer_options())
            .map_err(|e| (e.to_string(), None))?;
        brush_parser::parse_tokens(&tokens, &opts).map_err(|e| match e {
            ParseError::ParsingNear(p) => (
                format!("syntax error near {}", describe(text, p.index)),
                Some(p.index),
            ),
            ParseError::ParsingAtEndOfInput => ("syntax error at end of input".to_string(), None),
            ParseError::Tokenizing { inner, position } => {
                (inner.to_string(), position.map(|p| p.index))
            }
        })
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err(("the shell parser failed".into(), None)),
    }
}

fn describe(text: &str, char_index: usize) -> String {
    let token: String = text
        .chars()
        .skip(char_index)
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    if token.is_empty() {
        "end of line".into()
    } else {
        format!("`{token}`")
    }
}

/// A here-document operator (`<<` or `<<-`) whose delimiter is an empty
/// quoted word (`""` or `''`).
fn has_empty_heredoc_delimiter(text: &str) -> bool {
    text.match_indices("<<").any(|(i, _)| {
        let rest = &text[i + 2..];
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let rest = rest.trim_start_matches([' ', '\t']);
        rest.starts_with("\"\"") || rest.starts_with("''")
    })
}

/// A run of 10+ digits right before `<` or `>`.
fn has_oversized_fd(text: &str) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            run += 1;
        } else {
            if run >= 10 && (b == b'<' || b == b'>') {
                return true;
            }
            run = 0;
        }
    }
    false
}

/// Walks brush-parser's tree of one fragment.
pub(crate) struct Walk<'f, 't> {
    frag: &'f Fragment<'t>,
    chars: CharIndex<'f>,
}

impl<'f, 't> Walk<'f, 't> {
    pub fn new(frag: &'f Fragment<'t>) -> Self {
        Walk {
            frag,
            chars: CharIndex::new(&frag.text),
        }
    }

    fn range(&self, loc: &SourceSpan) -> Range<usize> {
        let mut start = self.chars.byte(loc.start.index);
        let end = self.chars.byte(loc.end.index).max(start);
        // After a heredoc operator, brush-parser 0.4 starts the following
        // tokens of the line at the blank before them. No token starts
        // with an unquoted blank, so skip it.
        let s = self.frag.text.as_bytes();
        while start < end && matches!(s[start], b' ' | b'\t') {
            start += 1;
        }
        start..end
    }

    fn word_range(&self, w: &ast::Word) -> Option<Range<usize>> {
        w.loc.as_ref().map(|l| self.range(l))
    }

    pub fn program(&self, b: &mut Builder, p: &ast::Program, ctx: Ctx) {
        for (i, list) in p.complete_commands.iter().enumerate() {
            let connector = if i == 0 {
                ctx.connector
            } else {
                Some(Connector::Seq)
            };
            self.list(b, list, Ctx { connector, ..ctx });
        }
    }

    fn list(&self, b: &mut Builder, list: &ast::CompoundList, ctx: Ctx) {
        for (i, item) in list.0.iter().enumerate() {
            let connector = if i == 0 {
                ctx.connector
            } else {
                Some(match list.0[i - 1].1 {
                    ast::SeparatorOperator::Async => Connector::Background,
                    ast::SeparatorOperator::Sequence => Connector::Seq,
                })
            };
            let background = ctx.background || matches!(item.1, ast::SeparatorOperator::Async);
            let ctx = Ctx {
                connector,
                background,
                ..ctx
            };
            if background && !ctx.background {
                b.scoped(|b| self.and_or(b, &item.0, ctx));
            } else {
                self.and_or(b, &item.0, ctx);
            }
        }
    }

    fn and_or(&self, b: &mut Builder, list: &ast::AndOrList, ctx: Ctx) {
        self.pipeline(b, &list.first, ctx);
        for next in &list.additional {
            let (connector, p) = match next {
                ast::AndOr::And(p) => (Connector::And, p),
                ast::AndOr::Or(p) => (Connector::Or, p),
            };
            self.pipeline(
                b,
                p,
                Ctx {
                    connector: Some(connector),
                    ..ctx
                },
            );
        }
    }

    fn pipeline(&self, b: &mut Builder, p: &ast::Pipeline, ctx: Ctx) {
        let index = b.begin_pipeline(ctx, p.bang);
        let piped = p.seq.len() > 1;
        let mut stages = Vec::with_capacity(p.seq.len());
        for (k, cmd) in p.seq.iter().enumerate() {
            let start = b.commands.len();
            let ctx = Ctx {
                pipeline: index,
                connector: if k == 0 {
                    ctx.connector
                } else {
                    Some(Connector::Pipe)
                },
                ..ctx
            };
            // Each stage of a real pipeline runs in a subshell.
            if piped {
                b.scoped(|b| self.command(b, cmd, ctx));
            } else {
                self.command(b, cmd, ctx);
            }
            stages.push(start..b.commands.len());
        }
        let span = p.location().map(|l| b.frag_span(self.frag, self.range(&l)));
        b.end_pipeline(index, stages, span);
    }

    fn command(&self, b: &mut Builder, cmd: &ast::Command, ctx: Ctx) {
        match cmd {
            ast::Command::Simple(sc) => self.simple(b, sc, ctx),
            ast::Command::Compound(cc, redirects) => {
                self.compound(b, cc, ctx);
                self.loose_redirects(b, redirects.as_ref(), ctx);
            }
            ast::Command::Function(f) => {
                let ctx = with(ctx, |n| n.function = true);
                b.scoped(|b| self.compound(b, &f.body.0, ctx));
                self.loose_redirects(b, f.body.1.as_ref(), ctx);
            }
            ast::Command::ExtendedTest(test, redirects) => {
                // `[[ … ]]` becomes a command named `[[`, its words split
                // as written, so it looks the same as in a POSIX shell,
                // where `[[` is a (missing) command.
                let range = self.range(&test.loc);
                crate::fallback::split_command(b, self.frag, range, ctx);
                self.loose_redirects(b, redirects.as_ref(), ctx);
            }
        }
    }

    fn compound(&self, b: &mut Builder, cc: &ast::CompoundCommand, ctx: Ctx) {
        let body = |ctx: Ctx| Ctx {
            connector: None,
            background: false,
            ..with(ctx, |n| n.control_flow = true)
        };
        match cc {
            ast::CompoundCommand::BraceGroup(g) => {
                self.list(b, &g.list, with(ctx, |n| n.group = true));
            }
            ast::CompoundCommand::Subshell(s) => {
                let ctx = with(ctx, |n| n.subshell = true);
                b.scoped(|b| self.list(b, &s.list, ctx));
            }
            ast::CompoundCommand::ForClause(f) => {
                let mut values = Vec::new();
                for w in f.values.iter().flatten() {
                    let Some(r) = self.word_range(w) else {
                        continue;
                    };
                    let mut subs = Vec::new();
                    values.push(b.word(self.frag, r, &mut subs));
                    for s in subs {
                        b.substitute(self.frag, &s, ctx);
                    }
                }
                let start = b.commands.len();
                self.list(b, &f.body.list, body(ctx));
                let span = b.frag_span(self.frag, self.range(&f.loc));
                b.loops.push(ForLoop {
                    variable: f.variable_name.clone(),
                    values: f.values.is_some().then_some(values),
                    body: start..b.commands.len(),
                    span,
                });
            }
            ast::CompoundCommand::ArithmeticForClause(f) => {
                self.list(b, &f.body.list, body(ctx));
            }
            ast::CompoundCommand::CaseClause(c) => {
                self.substitutions(b, &c.value, ctx);
                for item in &c.cases {
                    if let Some(list) = &item.cmd {
                        self.list(b, list, body(ctx));
                    }
                }
            }
            ast::CompoundCommand::IfClause(i) => {
                self.list(b, &i.condition, with(ctx, |n| n.condition = true));
                self.list(b, &i.then, body(ctx));
                for e in i.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.list(b, cond, with(body(ctx), |n| n.condition = true));
                    }
                    self.list(b, &e.body, body(ctx));
                }
            }
            ast::CompoundCommand::WhileClause(w) | ast::CompoundCommand::UntilClause(w) => {
                self.list(b, &w.0, with(body(ctx), |n| n.condition = true));
                self.list(b, &w.1.list, body(ctx));
            }
            ast::CompoundCommand::Coprocess(c) => {
                let ctx = with(ctx, |n| n.subshell = true);
                b.scoped(|b| self.command(b, &c.body, ctx));
            }
            ast::CompoundCommand::Arithmetic(_) => {}
        }
    }

    /// Command substitutions in a word that belongs to no command (`for x
    /// in $(ls)`, `case $(uname) in`).
    fn substitutions(&self, b: &mut Builder, w: &ast::Word, ctx: Ctx) {
        if let Some(r) = self.word_range(w) {
            let mut subs = Vec::new();
            b.word(self.frag, r, &mut subs);
            for s in subs {
                b.substitute(self.frag, &s, ctx);
            }
        }
    }

    /// Redirections of a compound command (`{ …; } > log`): their targets
    /// may hold substitutions; the redirections themselves belong to no
    /// simple command.
    fn loose_redirects(&self, b: &mut Builder, list: Option<&ast::RedirectList>, ctx: Ctx) {
        for r in list.into_iter().flat_map(|l| &l.0) {
            if let Some(raw) = self.redirect(r)
                && let Some(t) = raw.target
            {
                let mut subs = Vec::new();
                b.word(self.frag, t, &mut subs);
                for s in subs {
                    b.substitute(self.frag, &s, ctx);
                }
            }
        }
    }

    fn simple(&self, b: &mut Builder, sc: &ast::SimpleCommand, ctx: Ctx) {
        let mut raw = RawCommand::default();
        for item in sc.prefix.iter().flat_map(|p| &p.0) {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                    raw.env.extend(self.word_range(w));
                }
                other => self.suffix_item(&mut raw, other),
            }
        }
        raw.name = sc.word_or_name.as_ref().and_then(|w| self.word_range(w));
        for item in sc.suffix.iter().flat_map(|s| &s.0) {
            self.suffix_item(&mut raw, item);
        }
        if raw.name.is_none() && !raw.args.is_empty() {
            // Not produced by brush-parser; keep the words all the same.
            raw.name = Some(raw.args.remove(0));
        }
        b.push_command(self.frag, raw, ctx);
    }

    fn suffix_item(&self, raw: &mut RawCommand, item: &ast::CommandPrefixOrSuffixItem) {
        match item {
            ast::CommandPrefixOrSuffixItem::Word(w)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                raw.args.extend(self.word_range(w));
            }
            ast::CommandPrefixOrSuffixItem::IoRedirect(r) => {
                raw.redirects.extend(self.redirect(r));
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(_, sub) => {
                // `<(…)`: the operator is the character before the `(`.
                let r = self.range(&sub.loc);
                raw.args.push(r.start.saturating_sub(1)..r.end);
            }
        }
    }

    fn redirect(&self, r: &ast::IoRedirect) -> Option<RawRedirect> {
        let text = self.frag.text.as_bytes();
        let fd = |n: &Option<ast::IoFd>| n.and_then(|n| u32::try_from(n).ok());
        let (fd, op, target, body) = match r {
            ast::IoRedirect::File(n, kind, target) => {
                let op = match kind {
                    ast::IoFileRedirectKind::Read => RedirectOp::Read,
                    ast::IoFileRedirectKind::Write => RedirectOp::Write,
                    ast::IoFileRedirectKind::Append => RedirectOp::Append,
                    ast::IoFileRedirectKind::ReadAndWrite => RedirectOp::ReadWrite,
                    ast::IoFileRedirectKind::Clobber => RedirectOp::Clobber,
                    ast::IoFileRedirectKind::DuplicateInput => RedirectOp::DupInput,
                    ast::IoFileRedirectKind::DuplicateOutput => RedirectOp::DupOutput,
                };
                let target = match target {
                    ast::IoFileRedirectTarget::Filename(w)
                    | ast::IoFileRedirectTarget::Duplicate(w) => self.word_range(w),
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        let r = self.range(&sub.loc);
                        Some(r.start.saturating_sub(1)..r.end)
                    }
                    // The `2>&1` that `|&` implies: nothing written.
                    ast::IoFileRedirectTarget::Fd(_) => None,
                };
                (fd(n), op, target, None)
            }
            ast::IoRedirect::HereDocument(n, h) => {
                let body = h.doc.loc.as_ref().map(|l| {
                    let start = self.chars.byte(l.start.index);
                    let len: usize = self.frag.text[start..]
                        .chars()
                        .take(h.doc.value.chars().count())
                        .map(char::len_utf8)
                        .sum();
                    start..start + len
                });
                (
                    fd(n),
                    RedirectOp::Heredoc {
                        strip_tabs: h.remove_tabs,
                    },
                    self.word_range(&h.here_end),
                    body,
                )
            }
            ast::IoRedirect::HereString(n, w) => {
                (fd(n), RedirectOp::HereString, self.word_range(w), None)
            }
            ast::IoRedirect::OutputAndError(w, append) => (
                None,
                RedirectOp::OutputAndError { append: *append },
                self.word_range(w),
                None,
            ),
        };
        let range = match &target {
            Some(t) => operator_start(text, t.start, fd.is_some())..t.end,
            None => 0..0,
        };
        Some(RawRedirect {
            fd,
            op,
            target,
            body,
            range,
        })
    }
}

/// Where the redirection whose target starts at `target` begins: back over
/// blanks, the operator and the fd number.
fn operator_start(text: &[u8], target: usize, fd: bool) -> usize {
    let mut i = target.min(text.len());
    while i > 0 && matches!(text[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    let mut n = 0;
    while i > 0 && n < 3 && matches!(text[i - 1], b'<' | b'>' | b'&' | b'|' | b'-') {
        i -= 1;
        n += 1;
    }
    if fd {
        while i > 0 && text[i - 1].is_ascii_digit() {
            i -= 1;
        }
    }
    i
}

fn with(ctx: Ctx, f: impl FnOnce(&mut Nesting)) -> Ctx {
    let mut nesting = ctx.nesting;
    f(&mut nesting);
    Ctx { nesting, ..ctx }
}
