//! The tolerant splitter, for scripts brush-parser rejects (or is not
//! given): lists are split on `&&`, `||`, `;`, `&`, `|` and newlines
//! outside quotes, commands into words on blanks outside quotes. Heredoc
//! bodies, comments, subshells, groups and the compound-command keywords
//! are recognised well enough to keep them out of the commands. It never
//! fails and runs in linear time without recursion.

use crate::build::{Builder, Ctx, Fragment, RawCommand, RawRedirect, State};
use crate::script::{Connector, Nesting, RedirectOp};
use crate::word::{find_close, scan};
use std::ops::Range;

#[derive(Debug)]
enum Tok {
    Word(Range<usize>),
    Op(Op),
    Redirect {
        fd: Option<u32>,
        op: RedirectOp,
        range: Range<usize>,
        body: Option<Range<usize>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Seq,
    /// `;;`, `;&`, `;;&`
    CaseEnd,
    Newline,
    Background,
    Pipe,
    Open,
    Close,
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

/// End of the word starting at `i`.
fn word_end(s: &[u8], mut i: usize) -> usize {
    let start = i;
    while i < s.len() {
        match s[i] {
            c if is_blank(c) || c == b'\n' => break,
            b'(' if i > start && s[i - 1] == b'=' => {
                // An array assignment: `a=(1 2)`.
                i = find_close(s, i + 1, b'(');
            }
            b'(' if i > start && matches!(s[i - 1], b'@' | b'!' | b'?' | b'+' | b'*') => {
                // An extglob: `!(x)`.
                i = find_close(s, i + 1, b'(');
            }
            b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\\' => i += 2,
            b'\'' => i = find_close(s, i + 1, b'\''),
            b'"' => i = find_close(s, i + 1, b'"'),
            b'`' => i = find_close(s, i + 1, b'`'),
            b'$' if matches!(s.get(i + 1), Some(b'(')) => i = find_close(s, i + 2, b'('),
            b'$' if matches!(s.get(i + 1), Some(b'{')) => i = find_close(s, i + 2, b'{'),
            _ => i += 1,
        }
    }
    i.min(s.len())
}

/// The redirection operator at `i`, and its length.
fn redirect_op(s: &[u8], i: usize) -> (RedirectOp, usize) {
    let rest = &s[i..];
    let ops: [(&[u8], RedirectOp); 12] = [
        (b"&>>", RedirectOp::OutputAndError { append: true }),
        (b"&>", RedirectOp::OutputAndError { append: false }),
        (b"<<<", RedirectOp::HereString),
        (b"<<-", RedirectOp::Heredoc { strip_tabs: true }),
        (b"<<", RedirectOp::Heredoc { strip_tabs: false }),
        (b"<>", RedirectOp::ReadWrite),
        (b"<&", RedirectOp::DupInput),
        (b"<", RedirectOp::Read),
        (b">>", RedirectOp::Append),
        (b">&", RedirectOp::DupOutput),
        (b">|", RedirectOp::Clobber),
        (b">", RedirectOp::Write),
    ];
    for (text, op) in ops {
        if rest.starts_with(text) {
            return (op, text.len());
        }
    }
    (RedirectOp::Write, 1)
}

/// A heredoc waiting for its body: the redirect token and its delimiter.
struct PendingHeredoc {
    token: usize,
    delimiter: String,
    strip_tabs: bool,
}

fn tokenize(s: &[u8], text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut pending: Vec<PendingHeredoc> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        match c {
            c if is_blank(c) => i += 1,
            b'\\' if next == Some(b'\n') => i += 2,
            b'\n' => {
                toks.push(Tok::Op(Op::Newline));
                i += 1;
                // Heredoc bodies start on the line after their operator.
                for h in pending.drain(..) {
                    let body_start = i;
                    let mut body_end = s.len();
                    let mut after = s.len();
                    while i < s.len() {
                        let line_end = s[i..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(s.len(), |p| i + p);
                        let mut line = &text[i..line_end];
                        line = line.strip_suffix('\r').unwrap_or(line);
                        if h.strip_tabs {
                            line = line.trim_start_matches('\t');
                        }
                        if line == h.delimiter {
                            body_end = i;
                            after = (line_end + 1).min(s.len());
                            break;
                        }
                        i = (line_end + 1).min(s.len());
                    }
                    i = after;
                    if let Some(Tok::Redirect { body, .. }) = toks.get_mut(h.token) {
                        *body = Some(body_start..body_end);
                    }
                }
            }
            b'#' => {
                i = s[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(s.len(), |p| i + p);
            }
            b'&' if next == Some(b'&') => {
                toks.push(Tok::Op(Op::And));
                i += 2;
            }
            b'&' if next == Some(b'>') => {
                let (op, len) = redirect_op(s, i);
                toks.push(Tok::Redirect {
                    fd: None,
                    op,
                    range: i..i + len,
                    body: None,
                });
                i += len;
            }
            b'&' => {
                toks.push(Tok::Op(Op::Background));
                i += 1;
            }
            b'|' if next == Some(b'|') => {
                toks.push(Tok::Op(Op::Or));
                i += 2;
            }
            b'|' => {
                toks.push(Tok::Op(Op::Pipe));
                i += if next == Some(b'&') { 2 } else { 1 };
            }
            b';' if next == Some(b';') || next == Some(b'&') => {
                toks.push(Tok::Op(Op::CaseEnd));
                i += 2;
                if s.get(i) == Some(&b'&') {
                    i += 1;
                }
            }
            b';' => {
                toks.push(Tok::Op(Op::Seq));
                i += 1;
            }
            b'(' => {
                toks.push(Tok::Op(Op::Open));
                i += 1;
            }
            b')' => {
                toks.push(Tok::Op(Op::Close));
                i += 1;
            }
            b'<' | b'>' if next == Some(b'(') => {
                let end = find_close(s, i + 2, b'(');
                toks.push(Tok::Word(i..end));
                i = end;
            }
            b'<' | b'>' => {
                let (op, len) = redirect_op(s, i);
                toks.push(Tok::Redirect {
                    fd: None,
                    op,
                    range: i..i + len,
                    body: None,
                });
                i += len;
            }
            b'0'..=b'9' => {
                let digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let after = i + digits;
                if matches!(s.get(after), Some(b'<' | b'>')) && s.get(after + 1) != Some(&b'(') {
                    let (op, len) = redirect_op(s, after);
                    toks.push(Tok::Redirect {
                        fd: text[i..after].parse().ok(),
                        op,
                        range: i..after + len,
                        body: None,
                    });
                    i = after + len;
                } else {
                    let end = word_end(s, i).max(i + 1);
                    toks.push(Tok::Word(i..end));
                    i = end;
                }
            }
            _ => {
                let end = word_end(s, i).max(i + 1);
                // A heredoc's delimiter: remember it for the next newline.
                if let Some(Tok::Redirect {
                    op: RedirectOp::Heredoc { strip_tabs },
                    ..
                }) = toks.last()
                {
                    let word = &text[i..end];
                    pending.push(PendingHeredoc {
                        token: toks.len() - 1,
                        delimiter: scan(word).value.unwrap_or_else(|| word.to_string()),
                        strip_tabs: *strip_tabs,
                    });
                }
                toks.push(Tok::Word(i..end));
                i = end;
            }
        }
    }
    toks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Subshell,
    Group,
    /// `if`/`elif`/`while`/`until` before `then`/`do`.
    Condition,
    /// After `then`, `else`, `do`.
    Body,
    /// `for`/`select` before `do`.
    LoopHeader,
    /// `case` before `in`.
    CaseHeader,
    /// Inside `case … esac`.
    Case,
}

struct PipelineBuild {
    index: usize,
    stages: Vec<Range<usize>>,
    stage_start: usize,
}

struct Frame {
    kind: FrameKind,
    saved: Option<State>,
    outer: Option<PipelineBuild>,
}

struct Splitter<'a, 'b, 'm, 't> {
    b: &'b mut Builder<'m>,
    frag: &'a Fragment<'t>,
    base: Ctx,
    frames: Vec<Frame>,
    cur: RawCommand,
    /// A redirection waiting for its target word.
    redirect: Option<RawRedirect>,
    pipeline: Option<PipelineBuild>,
    connector: Option<Connector>,
    negate: bool,
    /// Index of the first command and pipeline of the current list (for
    /// marking them when the list ends with `&`).
    list_start: (usize, usize),
    /// Inside `case`, before a pattern's `)`.
    case_pattern: bool,
    /// After `name (`: a function definition's `)`.
    function_parens: bool,
}

/// Splits a fragment into commands.
pub(crate) fn split(b: &mut Builder, frag: &Fragment, ctx: Ctx) {
    let toks = tokenize(frag.text.as_bytes(), &frag.text);
    let list_start = (b.commands.len(), b.pipelines.len());
    let mut sp = Splitter {
        b,
        frag,
        base: ctx,
        frames: Vec::new(),
        cur: RawCommand::default(),
        redirect: None,
        pipeline: None,
        connector: ctx.connector,
        negate: false,
        list_start,
        case_pattern: false,
        function_parens: false,
    };
    for tok in toks {
        sp.token(tok);
    }
    sp.finish_command();
    sp.end_pipeline();
    while let Some(f) = sp.frames.pop() {
        sp.close_frame(f);
    }
}

/// Adds the words of `range` as one command (used for `[[ … ]]`).
pub(crate) fn split_command(b: &mut Builder, frag: &Fragment, range: Range<usize>, ctx: Ctx) {
    let s = frag.text.as_bytes();
    let mut words = Vec::new();
    let mut i = range.start;
    let end = range.end.min(s.len());
    while i < end {
        if is_blank(s[i]) || s[i] == b'\n' {
            i += 1;
            continue;
        }
        // Operators inside `[[ ]]` (`&&`, `(`, `<`) are words here.
        let mut j = i;
        while j < end && !is_blank(s[j]) && s[j] != b'\n' {
            j = match s[j] {
                b'\\' => j + 2,
                b'\'' => find_close(s, j + 1, b'\''),
                b'"' => find_close(s, j + 1, b'"'),
                b'`' => find_close(s, j + 1, b'`'),
                b'$' if matches!(s.get(j + 1), Some(b'(')) => find_close(s, j + 2, b'('),
                _ => j + 1,
            };
        }
        let j = j.min(end).max(i + 1);
        words.push(i..j);
        i = j;
    }
    let mut raw = RawCommand::default();
    let mut words = words.into_iter();
    raw.name = words.next();
    raw.args = words.collect();
    b.push_command(frag, raw, ctx);
}

impl Splitter<'_, '_, '_, '_> {
    fn nesting(&self) -> Nesting {
        let mut n = self.base.nesting;
        for f in &self.frames {
            match f.kind {
                FrameKind::Subshell => n.subshell = true,
                FrameKind::Group => n.group = true,
                FrameKind::Condition => n.condition = true,
                FrameKind::Body | FrameKind::Case => n.control_flow = true,
                FrameKind::LoopHeader | FrameKind::CaseHeader => {}
            }
        }
        n
    }

    fn at_command_start(&self) -> bool {
        self.cur.name.is_none()
            && self.cur.env.is_empty()
            && self.cur.redirects.is_empty()
            && self.redirect.is_none()
    }

    fn top(&self) -> Option<FrameKind> {
        self.frames.last().map(|f| f.kind)
    }

    fn token(&mut self, tok: Tok) {
        match tok {
            Tok::Word(r) => self.word(r),
            Tok::Redirect {
                fd,
                op,
                range,
                body,
            } => {
                self.flush_redirect();
                self.redirect = Some(RawRedirect {
                    fd,
                    op,
                    target: None,
                    body,
                    range,
                });
            }
            Tok::Op(op) => self.op(op),
        }
    }

    fn word(&mut self, r: Range<usize>) {
        if let Some(mut redirect) = self.redirect.take() {
            redirect.range = redirect.range.start..r.end;
            redirect.target = Some(r);
            self.cur.redirects.push(redirect);
            return;
        }
        let text = self.frag.text.get(r.clone()).unwrap_or("");
        match self.top() {
            Some(FrameKind::LoopHeader) => {
                if text == "do" {
                    self.replace_top(FrameKind::Body);
                }
                return;
            }
            Some(FrameKind::CaseHeader) => {
                if text == "in" {
                    self.replace_top(FrameKind::Case);
                    self.case_pattern = true;
                }
                return;
            }
            Some(FrameKind::Case) if self.case_pattern => {
                if text == "esac" {
                    self.case_pattern = false;
                    self.pop_frame();
                }
                return;
            }
            _ => {}
        }
        if self.at_command_start() && self.keyword(text) {
            return;
        }
        if self.cur.name.is_none() {
            if is_assignment(text) {
                self.cur.env.push(r);
            } else {
                self.cur.name = Some(r);
            }
        } else {
            self.cur.args.push(r);
        }
    }

    /// Handles a reserved word at the start of a command; false when it is
    /// not one.
    fn keyword(&mut self, text: &str) -> bool {
        match text {
            "if" | "while" | "until" => self.push_frame(FrameKind::Condition),
            "then" | "do" | "else" => {
                if matches!(
                    self.top(),
                    Some(FrameKind::Condition | FrameKind::Body | FrameKind::LoopHeader)
                ) {
                    self.end_list();
                    self.replace_top(FrameKind::Body);
                }
            }
            "elif" => {
                if matches!(self.top(), Some(FrameKind::Body | FrameKind::Condition)) {
                    self.end_list();
                    self.replace_top(FrameKind::Condition);
                }
            }
            "fi" | "done" => {
                if matches!(self.top(), Some(FrameKind::Body | FrameKind::Condition)) {
                    self.pop_frame();
                }
            }
            "for" | "select" => self.push_frame(FrameKind::LoopHeader),
            "case" => self.push_frame(FrameKind::CaseHeader),
            "esac" => {
                if self.top() == Some(FrameKind::Case) {
                    self.case_pattern = false;
                    self.pop_frame();
                }
            }
            "{" => self.push_frame(FrameKind::Group),
            "}" => {
                if self.top() == Some(FrameKind::Group) {
                    self.pop_frame();
                }
            }
            "!" => self.negate = true,
            "function" | "time" => {}
            _ => return false,
        }
        true
    }

    fn op(&mut self, op: Op) {
        if self.case_pattern && self.top() == Some(FrameKind::Case) {
            // `a|b)` or `(a)`: a pattern, up to its `)`.
            if op == Op::Close {
                self.case_pattern = false;
            }
            return;
        }
        match op {
            Op::Open => {
                if self.at_command_start() {
                    self.push_frame(FrameKind::Subshell);
                } else if self.cur.name.is_some() && self.cur.args.is_empty() {
                    // `name ( )`: a function definition, not a command.
                    self.cur = RawCommand::default();
                    self.function_parens = true;
                } else {
                    self.finish_command();
                }
            }
            Op::Close => {
                if std::mem::take(&mut self.function_parens) {
                    return;
                }
                if self.top() == Some(FrameKind::Subshell) {
                    self.pop_frame();
                } else {
                    self.finish_command();
                }
            }
            Op::Pipe => {
                self.finish_command();
                if let Some(p) = &mut self.pipeline {
                    p.stages.push(p.stage_start..self.b.commands.len());
                    p.stage_start = self.b.commands.len();
                }
                self.connector = Some(Connector::Pipe);
            }
            Op::And | Op::Or => {
                self.finish_command();
                self.end_pipeline();
                self.connector = Some(if op == Op::And {
                    Connector::And
                } else {
                    Connector::Or
                });
            }
            Op::Seq | Op::Newline | Op::CaseEnd => {
                let continues = matches!(
                    self.connector,
                    Some(Connector::And | Connector::Or | Connector::Pipe)
                ) && self.at_command_start()
                    && op == Op::Newline;
                if continues {
                    // `a &&` at the end of a line goes on on the next.
                    return;
                }
                self.end_list();
                self.connector = Some(Connector::Seq);
                if op == Op::CaseEnd && self.top() == Some(FrameKind::Case) {
                    self.case_pattern = true;
                }
            }
            Op::Background => {
                self.finish_command();
                self.end_pipeline();
                let (c0, p0) = self.list_start;
                for c in self.b.commands.iter_mut().skip(c0) {
                    c.background = true;
                }
                for p in self.b.pipelines.iter_mut().skip(p0) {
                    p.background = true;
                }
                self.connector = Some(Connector::Background);
                self.list_start = (self.b.commands.len(), self.b.pipelines.len());
            }
        }
    }

    fn end_list(&mut self) {
        self.finish_command();
        self.end_pipeline();
        self.list_start = (self.b.commands.len(), self.b.pipelines.len());
    }

    fn flush_redirect(&mut self) {
        if let Some(r) = self.redirect.take() {
            self.cur.redirects.push(r);
        }
    }

    fn finish_command(&mut self) {
        self.flush_redirect();
        let raw = std::mem::take(&mut self.cur);
        if raw.name.is_none() && raw.env.is_empty() && raw.redirects.is_empty() {
            return;
        }
        let nesting = self.nesting();
        let connector = self.connector.take();
        if self.pipeline.is_none() {
            let ctx = Ctx {
                nesting,
                connector,
                ..self.base
            };
            let index = self.b.begin_pipeline(ctx, std::mem::take(&mut self.negate));
            self.pipeline = Some(PipelineBuild {
                index,
                stages: Vec::new(),
                stage_start: self.b.commands.len(),
            });
        }
        let pipeline = self.pipeline.as_ref().map_or(0, |p| p.index);
        let ctx = Ctx {
            nesting,
            pipeline,
            connector,
            background: false,
        };
        self.b.push_command(self.frag, raw, ctx);
    }

    fn end_pipeline(&mut self) {
        if let Some(mut p) = self.pipeline.take() {
            if p.stage_start < self.b.commands.len() || p.stages.is_empty() {
                p.stages.push(p.stage_start..self.b.commands.len());
            }
            self.b.end_pipeline(p.index, p.stages, None);
        }
    }

    fn push_frame(&mut self, kind: FrameKind) {
        // The compound command is a stage of the enclosing pipeline.
        if self.pipeline.is_none() {
            let ctx = Ctx {
                nesting: self.nesting(),
                connector: self.connector,
                ..self.base
            };
            let index = self.b.begin_pipeline(ctx, std::mem::take(&mut self.negate));
            self.pipeline = Some(PipelineBuild {
                index,
                stages: Vec::new(),
                stage_start: self.b.commands.len(),
            });
        }
        let saved = (kind == FrameKind::Subshell).then_some(self.b.state);
        self.frames.push(Frame {
            kind,
            saved,
            outer: self.pipeline.take(),
        });
    }

    fn replace_top(&mut self, kind: FrameKind) {
        if let Some(f) = self.frames.last_mut() {
            f.kind = kind;
        }
    }

    fn pop_frame(&mut self) {
        if let Some(f) = self.frames.pop() {
            self.close_frame(f);
        }
    }

    fn close_frame(&mut self, f: Frame) {
        self.finish_command();
        self.end_pipeline();
        if let Some(saved) = f.saved {
            self.b.state = saved;
        }
        self.pipeline = f.outer;
        self.connector = None;
    }
}

fn is_assignment(text: &str) -> bool {
    let Some(eq) = text.find('=') else {
        return false;
    };
    let name = text[..eq].strip_suffix('+').unwrap_or(&text[..eq]);
    let name = name.split('[').next().unwrap_or(name);
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
