//! Turning parsed pieces into [`Command`]s and [`Pipeline`]s: shared by
//! the brush-parser walk and the tolerant splitter, so both describe
//! commands, words, spans and the `set`/`cd` state the same way.

use crate::dialect::ShellOptions;
use crate::script::{
    Assignment, Command, Connector, ForLoop, Nesting, Pipeline, Redirect, RedirectOp,
};
use crate::source::SourceMap;
use crate::word::{self, Expansion, ExpansionKind, Quoting, Substitution, Word};
use plimsoll_syntax::Span;
use std::borrow::Cow;
use std::ops::Range;

/// Scripts larger than this go to the tolerant splitter.
pub(crate) const MAX_EXACT_LEN: usize = 256 * 1024;
/// Scripts nested deeper than this (parentheses, braces, compound
/// commands) go to the tolerant splitter: brush-parser recurses on them.
pub(crate) const MAX_EXACT_NESTING: usize = 40;
/// Command substitutions nested deeper than this are not analysed.
pub(crate) const MAX_SUBSTITUTION_DEPTH: usize = 12;

/// A piece of script text being parsed: the whole script, or the body of
/// a command substitution (unescaped, for backquotes).
pub(crate) struct Fragment<'t> {
    pub text: Cow<'t, str>,
    /// Script offset of the fragment's byte 0.
    base: usize,
    /// For unescaped text, the script offset of each byte (and the end).
    remap: Option<Vec<usize>>,
}

impl<'t> Fragment<'t> {
    pub fn whole(text: &'t str) -> Self {
        Fragment {
            text: Cow::Borrowed(text),
            base: 0,
            remap: None,
        }
    }

    /// Script offsets of a range of this fragment.
    pub fn to_script(&self, r: Range<usize>) -> Range<usize> {
        match &self.remap {
            None => self.base + r.start..self.base + r.end,
            Some(m) => {
                let at = |i: usize| m.get(i).or(m.last()).copied().unwrap_or(0);
                if r.end > r.start {
                    at(r.start)..at(r.end - 1) + 1
                } else {
                    at(r.start)..at(r.start)
                }
            }
        }
    }

    /// The fragment for a substitution body (`body` is in this fragment).
    fn substitution(&self, sub: &Substitution) -> Fragment<'static> {
        let body = self.text.get(sub.body.clone()).unwrap_or("");
        if sub.backquoted {
            let (text, map) = word::unescape_backquoted(body);
            let remap = map
                .into_iter()
                .map(|i| {
                    let r = self.to_script(sub.body.start + i..sub.body.start + i);
                    r.start
                })
                .collect();
            Fragment {
                text: Cow::Owned(text),
                base: 0,
                remap: Some(remap),
            }
        } else {
            let remap = self.remap.as_ref().map(|m| {
                (sub.body.start..=sub.body.end)
                    .map(|i| m.get(i).or(m.last()).copied().unwrap_or(0))
                    .collect()
            });
            Fragment {
                text: Cow::Owned(body.to_string()),
                base: self.base + sub.body.start,
                remap,
            }
        }
    }
}

/// The shell state that `set` and `cd` change.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct State {
    pub options: ShellOptions,
    pub cd: Option<usize>,
}

/// Where the pieces being added belong.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ctx {
    pub nesting: Nesting,
    pub pipeline: usize,
    pub connector: Option<Connector>,
    pub background: bool,
}

/// A command's pieces as ranges of a fragment.
#[derive(Debug, Default)]
pub(crate) struct RawCommand {
    pub env: Vec<Range<usize>>,
    pub name: Option<Range<usize>>,
    pub args: Vec<Range<usize>>,
    pub redirects: Vec<RawRedirect>,
}

#[derive(Debug)]
pub(crate) struct RawRedirect {
    pub fd: Option<u32>,
    pub op: RedirectOp,
    pub target: Option<Range<usize>>,
    pub body: Option<Range<usize>>,
    pub range: Range<usize>,
}

pub(crate) struct Builder<'m> {
    pub map: &'m SourceMap,
    pub commands: Vec<Command>,
    pub pipelines: Vec<Pipeline>,
    pub loops: Vec<ForLoop>,
    pub state: State,
    /// Why the first fallback happened, and where (script range).
    pub fallback: Option<(String, Option<Range<usize>>)>,
    pub depth: usize,
}

impl<'m> Builder<'m> {
    pub fn new(map: &'m SourceMap, options: ShellOptions) -> Self {
        Builder {
            map,
            commands: Vec::new(),
            pipelines: Vec::new(),
            loops: Vec::new(),
            state: State { options, cd: None },
            fallback: None,
            depth: 0,
        }
    }

    pub fn span(&self, script: Range<usize>) -> Span {
        self.map.span(script.start, script.end)
    }

    pub fn frag_span(&self, frag: &Fragment, r: Range<usize>) -> Span {
        self.span(frag.to_script(r))
    }

    /// Records that the tolerant splitter had to be used (the first reason
    /// wins).
    pub fn note_fallback(&mut self, reason: String, at: Option<Range<usize>>) {
        if self.fallback.is_none() {
            self.fallback = Some((reason, at));
        }
    }

    /// Runs `f` in a child shell: `set` and `cd` inside do not outlive it.
    pub fn scoped<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = self.state;
        let r = f(self);
        self.state = saved;
        r
    }

    /// Builds a word from a range of `frag`, and the substitutions in it
    /// (ranges of `frag`).
    pub fn word(&self, frag: &Fragment, r: Range<usize>, subs: &mut Vec<Substitution>) -> Word {
        let text = frag.text.get(r.clone()).unwrap_or("");
        let process = (text.starts_with("<(") || text.starts_with(">(")) && text.ends_with(')');
        let scanned = if process {
            word::Scanned {
                value: None,
                quoting: Some(Quoting::Unquoted),
                expansions: vec![(ExpansionKind::Process, false, 0..text.len())],
                substitutions: vec![Substitution {
                    body: 2..text.len() - 1,
                    backquoted: false,
                }],
            }
        } else {
            word::scan(text)
        };
        subs.extend(scanned.substitutions.iter().map(|s| Substitution {
            body: r.start + s.body.start..r.start + s.body.end,
            backquoted: s.backquoted,
        }));
        Word {
            text: text.to_string(),
            value: scanned.value,
            span: self.frag_span(frag, r.clone()),
            quoting: scanned.quoting.unwrap_or(Quoting::Unquoted),
            expansions: scanned
                .expansions
                .into_iter()
                .map(|(kind, quoted, e)| Expansion {
                    kind,
                    quoted,
                    span: self.frag_span(frag, r.start + e.start..r.start + e.end),
                })
                .collect(),
        }
    }

    /// Starts a pipeline; its stages are filled by [`Builder::end_pipeline`].
    pub fn begin_pipeline(&mut self, ctx: Ctx, negated: bool) -> usize {
        self.pipelines.push(Pipeline {
            stages: Vec::new(),
            negated,
            span: Span::default(),
            connector_before: ctx.connector,
            background: ctx.background,
            nesting: ctx.nesting,
            options: self.state.options,
        });
        self.pipelines.len() - 1
    }

    pub fn end_pipeline(&mut self, index: usize, stages: Vec<Range<usize>>, span: Option<Span>) {
        let commands = &self.commands;
        let cover = stages
            .iter()
            .flat_map(|r| commands.get(r.clone()).unwrap_or(&[]))
            .map(|c| c.span)
            .reduce(Span::cover);
        let p = &mut self.pipelines[index];
        p.span = span.or(cover).unwrap_or_default();
        p.stages = stages;
    }

    /// Adds a simple command, updates the `set`/`cd` state, and analyses
    /// the command substitutions in its words.
    pub fn push_command(&mut self, frag: &Fragment, raw: RawCommand, ctx: Ctx) {
        let mut subs = Vec::new();
        let mut cover: Option<Range<usize>> = None;
        let mut extend = |r: &Range<usize>| {
            cover = Some(match &cover {
                Some(c) => c.start.min(r.start)..c.end.max(r.end),
                None => r.clone(),
            });
        };
        let env = raw
            .env
            .iter()
            .map(|r| {
                extend(r);
                self.assignment(frag, r.clone(), &mut subs)
            })
            .collect();
        let name = raw.name.as_ref().map(|r| {
            extend(r);
            self.word(frag, r.clone(), &mut subs)
        });
        let args = raw
            .args
            .iter()
            .map(|r| {
                extend(r);
                self.word(frag, r.clone(), &mut subs)
            })
            .collect();
        let redirects = raw
            .redirects
            .iter()
            .map(|r| {
                if !r.range.is_empty() {
                    extend(&r.range);
                }
                Redirect {
                    fd: r.fd,
                    op: r.op,
                    target: r
                        .target
                        .as_ref()
                        .map(|t| self.word(frag, t.clone(), &mut subs)),
                    body: r.body.as_ref().map(|b| self.frag_span(frag, b.clone())),
                    span: self.frag_span(frag, r.range.clone()),
                }
            })
            .collect();
        let span = cover.map_or_else(|| self.frag_span(frag, 0..0), |c| self.frag_span(frag, c));
        let index = self.commands.len();
        let command = Command {
            name,
            args,
            env,
            redirects,
            span,
            pipeline: ctx.pipeline,
            connector_before: ctx.connector,
            background: ctx.background,
            nesting: ctx.nesting,
            options: self.state.options,
            after_cd: self.state.cd,
            effective_at: None,
        }
        .with_effective_at();
        match command.basename() {
            Some("set") => {
                let args: Vec<&str> = command.args.iter().map(Word::value_or_text).collect();
                self.state.options.apply_set(&args, false);
            }
            Some("cd" | "pushd" | "popd") => self.state.cd = Some(index),
            _ => {}
        }
        self.commands.push(command);
        for sub in subs {
            self.substitute(frag, &sub, ctx);
        }
    }

    fn assignment(
        &self,
        frag: &Fragment,
        r: Range<usize>,
        subs: &mut Vec<Substitution>,
    ) -> Assignment {
        let text = frag.text.get(r.clone()).unwrap_or("");
        let eq = text.find('=').unwrap_or(text.len());
        let append = eq > 0 && text.as_bytes()[eq - 1] == b'+';
        let name_end = if append { eq - 1 } else { eq };
        let value_start = (r.start + eq + 1).min(r.end);
        Assignment {
            name: text[..name_end].to_string(),
            value: self.word(frag, value_start..r.end, subs),
            append,
            span: self.frag_span(frag, r),
        }
    }

    /// Analyses the commands of a `$(…)`, `` `…` `` or `<(…)` body.
    pub fn substitute(&mut self, frag: &Fragment, sub: &Substitution, ctx: Ctx) {
        if sub.body.is_empty() {
            return;
        }
        if self.depth >= MAX_SUBSTITUTION_DEPTH {
            let at = frag.to_script(sub.body.clone());
            self.note_fallback("command substitutions nested too deeply".into(), Some(at));
            return;
        }
        let inner = frag.substitution(sub);
        let ctx = Ctx {
            nesting: Nesting {
                substitution: true,
                ..ctx.nesting
            },
            connector: None,
            background: false,
            ..ctx
        };
        self.depth += 1;
        self.scoped(|b| b.parse(&inner, ctx));
        self.depth -= 1;
    }

    /// Parses a fragment: exactly when brush-parser accepts it, with the
    /// tolerant splitter otherwise.
    pub fn parse(&mut self, frag: &Fragment, ctx: Ctx) {
        let reject = if frag.text.len() > MAX_EXACT_LEN {
            Some(format!("script longer than {MAX_EXACT_LEN} bytes"))
        } else if nesting_depth(&frag.text) > MAX_EXACT_NESTING {
            Some(format!("nested deeper than {MAX_EXACT_NESTING} levels"))
        } else {
            None
        };
        let error = match reject {
            Some(reason) => (reason, None),
            None => match crate::exact::parse_program(&frag.text) {
                Ok(program) => {
                    crate::exact::Walk::new(frag).program(self, &program, ctx);
                    return;
                }
                Err(e) => e,
            },
        };
        let at = error.1.map(|i| frag.to_script(i..i + 1));
        self.note_fallback(error.0, at);
        crate::fallback::split(self, frag, ctx);
    }
}

/// A cheap upper bound of how deeply a script nests: `(`, `{` and the
/// compound-command keywords, less their closers, ignoring quotes.
pub(crate) fn nesting_depth(text: &str) -> usize {
    let s = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_') {
                i += 1;
            }
            let bounded_before =
                start == 0 || !matches!(s[start - 1], b'_' | b'-' | b'.' | b'/' | b'$');
            if bounded_before {
                match &s[start..i] {
                    b"if" | b"while" | b"until" | b"for" | b"case" | b"select" => depth += 1,
                    b"fi" | b"done" | b"esac" => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        } else {
            match c {
                b'(' | b'{' => depth += 1,
                b')' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
        max = max.max(depth);
    }
    max
}
