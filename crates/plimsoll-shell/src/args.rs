//! Reading a command's argv: its program, flags, their values and the
//! operands, and seeing through wrappers such as `sudo`.
//!
//! Flags are matched on the words' values, so `"-y"` is `-y`. Names are
//! given with their dashes: `-y` is a short flag (also found bundled, as
//! in `-qy`), `--yes` a long one (also as `--yes=…`), and a longer
//! single-dash name (`-name`) must match the whole word. Flags are read up
//! to `--`, anywhere among the operands (as GNU getopt does).

use crate::dialect::basename;
use crate::script::Command;
use crate::word::{Word, scan};
use plimsoll_syntax::Span;

/// A program and its arguments: a command as written
/// ([`Command::invocation`]) or the command a wrapper runs
/// ([`Command::effective`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation<'a> {
    pub name: &'a Word,
    pub args: &'a [Word],
    /// The wrappers it runs under, outermost first (`sudo`, `env`).
    pub wrappers: Vec<&'a Word>,
}

/// The value of a flag: `-o x`, `-ox`, `--opt=x` or `--opt x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue<'a> {
    /// The word holding the flag.
    pub flag: &'a Word,
    /// The value as written.
    pub text: &'a str,
    /// The value after quote removal; `None` when it has an expansion.
    pub value: Option<String>,
    pub span: Span,
}

/// How a wrapper reads its own arguments before the command it runs.
struct Wrapper {
    /// Its options that take a value.
    with_values: &'static [&'static str],
    /// Options after which it runs no command (`command -v`, `sudo -l`).
    no_command: &'static [&'static str],
    /// Operands before the command (`timeout 10 cmd`, `gosu user cmd`).
    operands: usize,
    /// `NAME=value` words before the command are its environment.
    assignments: bool,
}

fn wrapper(name: &str) -> Option<Wrapper> {
    let w = |with_values, no_command, operands, assignments| Wrapper {
        with_values,
        no_command,
        operands,
        assignments,
    };
    Some(match name {
        "sudo" => w(
            &[
                "-u",
                "-g",
                "-h",
                "-p",
                "-C",
                "-r",
                "-t",
                "-U",
                "-D",
                "-R",
                "-T",
                "--user",
                "--group",
                "--host",
                "--prompt",
                "--close-from",
                "--role",
                "--type",
                "--other-user",
                "--chdir",
                "--chroot",
                "--command-timeout",
            ],
            &[
                "-l",
                "-v",
                "-k",
                "-K",
                "-V",
                "-e",
                "--list",
                "--validate",
                "--edit",
                "--version",
                "--remove-timestamp",
                "--reset-timestamp",
            ],
            0,
            true,
        ),
        "env" => w(
            &["-u", "-C", "--unset", "--chdir"],
            &["-S", "--split-string", "--version", "--help"],
            0,
            true,
        ),
        "exec" => w(&["-a"], &[], 0, false),
        "command" => w(&[], &["-v", "-V"], 0, false),
        "nohup" | "eatmydata" | "busybox" => w(&[], &["--help", "--version"], 0, false),
        "time" => w(&["-f", "-o", "--format", "--output"], &[], 0, false),
        "nice" => w(&["-n", "--adjustment"], &[], 0, false),
        "ionice" => w(
            &["-c", "-n", "--class", "--classdata"],
            &["-p", "-P", "-u"],
            0,
            false,
        ),
        "stdbuf" => w(
            &["-i", "-o", "-e", "--input", "--output", "--error"],
            &[],
            0,
            false,
        ),
        "timeout" => w(&["-s", "-k", "--signal", "--kill-after"], &[], 1, false),
        "gosu" | "su-exec" => w(&[], &[], 1, false),
        "chroot" => w(&["--userspec", "--groups"], &[], 1, false),
        _ => return None,
    })
}

/// Where a command's effective program is: word indices (`None` for the
/// command word, `Some(k)` for `args[k]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct EffectiveAt {
    name: Option<usize>,
    /// The byte of the program's value where its basename starts.
    base: usize,
    wrappers: Vec<Option<usize>>,
}

impl Command {
    /// The command with [`Command::effective`]'s answer worked out.
    pub(crate) fn with_effective_at(mut self) -> Self {
        self.effective_at = self.locate_effective();
        self
    }

    fn locate_effective(&self) -> Option<EffectiveAt> {
        let mut inv = self.invocation()?;
        let mut at = EffectiveAt::default();
        // Each step consumes at least the wrapper word, so this ends.
        while let Some(inner) = inv.unwrap_once() {
            at.wrappers.push(at.name);
            // `inner.args` is a suffix of `self.args`, its name the word
            // just before it.
            at.name = Some(self.args.len().checked_sub(inner.args.len() + 1)?);
            inv = inner;
        }
        at.base = inv
            .name
            .value
            .as_deref()
            .map_or(0, |v| v.len() - basename(v).len());
        Some(at)
    }

    fn word_at(&self, k: Option<usize>) -> Option<&Word> {
        match k {
            None => self.name.as_ref(),
            Some(k) => self.args.get(k),
        }
    }

    fn invocation_at(&self, at: &EffectiveAt) -> Option<Invocation<'_>> {
        Some(Invocation {
            name: self.word_at(at.name)?,
            args: match at.name {
                None => &self.args,
                Some(k) => self.args.get(k + 1..)?,
            },
            wrappers: at
                .wrappers
                .iter()
                .map(|&w| self.word_at(w))
                .collect::<Option<Vec<_>>>()?,
        })
    }

    /// The command as written; `None` without a command word.
    pub fn invocation(&self) -> Option<Invocation<'_>> {
        Some(Invocation {
            name: self.name.as_ref()?,
            args: &self.args,
            wrappers: Vec::new(),
        })
    }

    /// The command that actually runs, looking through `sudo`, `env`,
    /// `exec`, `command`, `nohup`, `time`, `nice`, `ionice`, `stdbuf`,
    /// `timeout`, `gosu`, `su-exec`, `chroot`, `eatmydata` and `busybox`
    /// (the wrappers stay in [`Invocation::wrappers`]). The command itself
    /// when it is not wrapped, or when the wrapper runs nothing (`sudo
    /// -v`, `command -v x`).
    pub fn effective(&self) -> Option<Invocation<'_>> {
        match &self.effective_at {
            Some(at) => self.invocation_at(at),
            None => self.invocation_at(&self.locate_effective()?),
        }
    }

    /// The effective command if its program is `program` (by basename):
    /// the usual way for a rule to find `apt-get`, also as `sudo apt-get`.
    pub fn runs(&self, program: &str) -> Option<Invocation<'_>> {
        if let Some(at) = &self.effective_at {
            // Most commands run something else: answered without building
            // the invocation.
            let value = self.word_at(at.name)?.value.as_deref()?;
            return if value.get(at.base..) == Some(program) {
                self.invocation_at(at)
            } else {
                None
            };
        }
        self.effective().filter(|inv| inv.name_is(program))
    }

    /// The basename of the command word as written (`apt-get` for
    /// `/usr/bin/apt-get`); `None` when it is not a literal.
    pub fn basename(&self) -> Option<&str> {
        self.invocation().and_then(|i| i.basename())
    }

    /// True when the command word, as written, names `program` (basename
    /// match: `/usr/bin/apt-get` is `apt-get`). See [`Command::runs`] to
    /// look through `sudo` and the like.
    pub fn name_is(&self, program: &str) -> bool {
        self.invocation().is_some_and(|i| i.name_is(program))
    }

    /// See [`Invocation::has_flag`]; on the command as written.
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.invocation().is_some_and(|i| i.has_flag(names))
    }

    /// See [`Invocation::flag_value`]; on the command as written.
    pub fn flag_value(&self, names: &[&str]) -> Option<FlagValue<'_>> {
        self.invocation()?.flag_value(names)
    }

    /// See [`Invocation::positional_args`]; on the command as written.
    pub fn positional_args(&self, flags_with_values: &[&str]) -> Vec<&Word> {
        self.invocation()
            .map(|i| i.positional_args(flags_with_values))
            .unwrap_or_default()
    }

    /// See [`Invocation::subcommand`]; on the command as written.
    pub fn subcommand(&self) -> Option<&Word> {
        self.invocation()?.subcommand()
    }
}

impl<'a> Invocation<'a> {
    /// The basename of the program; `None` when it is not a literal.
    pub fn basename(&self) -> Option<&'a str> {
        self.name.value.as_deref().map(basename)
    }

    /// Basename match: `/usr/bin/apt-get` is `apt-get`.
    pub fn name_is(&self, program: &str) -> bool {
        self.basename() == Some(program)
    }

    /// True when it runs under a wrapper named `name` (`sudo`).
    pub fn wrapped_by(&self, name: &str) -> bool {
        self.wrappers
            .iter()
            .any(|w| w.value.as_deref().map(basename) == Some(name))
    }

    /// True when any of the flags `names` is given: `-y` (also in `-qy`),
    /// `--yes`, `--yes=…`. Short-flag bundles are read up to their first
    /// character that is not a letter or digit, so `-oDpkg::Use-Pty=0`
    /// does not give `-y`.
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.flag_words()
            .any(|(_, v)| flag_matches(v, names).is_some())
    }

    /// The value of the first of the flags `names` (flags that take a
    /// value): `-o x`, `-ox`, `--opt=x`, `--opt x`.
    pub fn flag_value(&self, names: &[&str]) -> Option<FlagValue<'a>> {
        self.flag_values(names).into_iter().next()
    }

    /// Every value given with the flags `names`, in order (`-o a -o b`).
    pub fn flag_values(&self, names: &[&str]) -> Vec<FlagValue<'a>> {
        let mut out = Vec::new();
        let args = self.args;
        for (i, v) in self.flag_words() {
            let word = &args[i];
            match flag_matches(v, names) {
                Some(Match::Attached(at)) => out.push(attached(word, v, at)),
                Some(Match::Whole) => {
                    if let Some(next) = args.get(i + 1) {
                        out.push(FlagValue {
                            flag: word,
                            text: &next.text,
                            value: next.value.clone(),
                            span: next.span,
                        });
                    }
                }
                None => {}
            }
        }
        out
    }

    /// The operands: every word that is not a flag, skipping the values of
    /// `flags_with_values` (`-o x`, `--opt x`); everything after `--`.
    pub fn positional_args(&self, flags_with_values: &[&str]) -> Vec<&'a Word> {
        let mut out = Vec::new();
        let mut i = 0;
        let args = self.args;
        while i < args.len() {
            let word = &args[i];
            let v = word.value_or_text();
            i += 1;
            if v == "--" {
                out.extend(&args[i..]);
                break;
            }
            if !is_flag(v) {
                out.push(word);
                continue;
            }
            if let Some(Match::Whole) = flag_matches(v, flags_with_values) {
                i += 1;
            }
        }
        out
    }

    /// The first operand (`install` in `apt-get -y install x`). Flags that
    /// take a separate value hide it: use `positional_args` with them.
    pub fn subcommand(&self) -> Option<&'a Word> {
        self.positional_args(&[]).into_iter().next()
    }

    /// True when the first operand is `name`.
    pub fn subcommand_is(&self, name: &str) -> bool {
        self.subcommand().is_some_and(|w| w.is(name))
    }

    /// Indices and values of the words that may be flags (up to `--`).
    fn flag_words(&self) -> impl Iterator<Item = (usize, &'a str)> + use<'a> {
        self.args
            .iter()
            .map(Word::value_or_text)
            .enumerate()
            .take_while(|(_, v)| *v != "--")
            .filter(|(_, v)| is_flag(v))
    }

    /// The command this wrapper runs, if it is a wrapper that runs one.
    fn unwrap_once(&self) -> Option<Invocation<'a>> {
        let spec = wrapper(self.basename()?)?;
        let args = self.args;
        let mut i = 0;
        let mut operands = spec.operands;
        while i < args.len() {
            let v = args[i].value_or_text();
            if v == "--" {
                i += 1;
                continue;
            }
            if is_flag(v) {
                if flag_matches(v, spec.no_command).is_some() {
                    return None;
                }
                i += match flag_matches(v, spec.with_values) {
                    Some(Match::Whole) => 2,
                    _ => 1,
                };
                continue;
            }
            if spec.assignments && is_assignment(v) {
                i += 1;
                continue;
            }
            if operands > 0 {
                operands -= 1;
                i += 1;
                continue;
            }
            let mut wrappers = self.wrappers.clone();
            wrappers.push(self.name);
            return Some(Invocation {
                name: &args[i],
                args: &args[i + 1..],
                wrappers,
            });
        }
        None
    }
}

fn is_flag(v: &str) -> bool {
    v.len() > 1 && v.starts_with('-')
}

fn is_assignment(v: &str) -> bool {
    match v.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

enum Match {
    /// The flag is the whole word (`-o`, `--opt`): a value would follow.
    Whole,
    /// The value starts at this byte of the value (`-ox`, `--opt=x`).
    Attached(usize),
}

/// Whether a flag word gives one of `names`.
fn flag_matches(v: &str, names: &[&str]) -> Option<Match> {
    if let Some(long) = v.strip_prefix("--") {
        let name_len = long.find('=').map_or(v.len(), |eq| eq + 2);
        let name = &v[..name_len];
        if !names.contains(&name) {
            return None;
        }
        return Some(if name_len < v.len() {
            Match::Attached(name_len + 1)
        } else {
            Match::Whole
        });
    }
    if names.contains(&v) {
        return Some(Match::Whole);
    }
    // A bundle of short flags: `-qy`, `-ofile`.
    let mut buf = [b'-', 0];
    for (k, c) in v[1..].char_indices() {
        if !c.is_ascii_alphanumeric() {
            break;
        }
        buf[1] = c as u8;
        let short = std::str::from_utf8(&buf).unwrap_or("");
        if names.contains(&short) {
            let at = 1 + k + 1;
            return Some(if at < v.len() {
                Match::Attached(at)
            } else {
                Match::Whole
            });
        }
    }
    None
}

/// A value attached to its flag, starting at byte `at` of the flag's value
/// `v`. Mapped onto the word's text when the text spells the value the
/// same way (no quotes before it), else the whole word.
fn attached<'a>(word: &'a Word, v: &'a str, at: usize) -> FlagValue<'a> {
    let text = &word.text;
    if text.len() >= at && text.as_bytes()[..at] == v.as_bytes()[..at] {
        let rest = &text[at..];
        return FlagValue {
            flag: word,
            text: rest,
            value: scan(rest).value,
            span: word.sub_span(at..text.len()),
        };
    }
    FlagValue {
        flag: word,
        text: &v[at..],
        value: word.value.as_ref().map(|_| v[at..].to_string()),
        span: word.span,
    }
}
