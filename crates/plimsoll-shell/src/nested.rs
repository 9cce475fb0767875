//! Command strings: the script a shell gets with `-c` inside another
//! script (`sh -c "…"`, `bash -ec '…'`, `su app -c "…"`, also under
//! `sudo`), read as scripts of their own so every rule sees the commands
//! inside, with spans mapped back into the Dockerfile.

use crate::dialect::{Dialect, Shell};
use crate::script::{Command, ScriptSource};
use crate::source::{SourceMap, approximate};
use crate::word::Word;
use crate::{Script, analyze_mapped};
use plimsoll_syntax::LogicalText;

/// How deep `sh -c "sh -c '…'"` is followed.
pub(crate) const MAX_DEPTH: usize = 3;

/// `scripts` followed by the command strings found in them (and in those,
/// down to [`MAX_DEPTH`]), each right after the scripts before it: the
/// indices of `scripts` do not move. The exec form's own argv is skipped
/// (its `-c` string is already a script, [`ScriptSource::ExecScript`]).
pub(crate) fn with_command_strings(mut scripts: Vec<Script>) -> Vec<Script> {
    let mut depth = vec![0usize; scripts.len()];
    let mut parent = 0;
    while parent < scripts.len() {
        if scripts[parent].source == ScriptSource::ExecForm || depth[parent] >= MAX_DEPTH {
            parent += 1;
            continue;
        }
        let found: Vec<Script> = scripts[parent]
            .commands
            .iter()
            .enumerate()
            .filter_map(|(k, cmd)| command_string_script(&scripts[parent], parent, k, cmd))
            .collect();
        for s in found {
            depth.push(depth[parent] + 1);
            scripts.push(s);
        }
        parent += 1;
    }
    scripts
}

/// The script of command `k`'s `-c` string, when it has one.
fn command_string_script(outer: &Script, parent: usize, k: usize, cmd: &Command) -> Option<Script> {
    let (word, shell) = command_string(cmd)?;
    if !shell.dialect.is_analyzable() {
        return None;
    }
    let map = string_map(outer, word)?;
    let mut inner = analyze_mapped(
        map,
        ScriptSource::CommandString { parent, command: k },
        &shell,
    );
    // A child shell: what it changes (`cd`, `set`, variables) does not
    // outlive it, and it runs only when its command does.
    let outer_nesting = cmd.nesting;
    for c in &mut inner.commands {
        c.nesting = merge(c.nesting, outer_nesting);
    }
    for p in &mut inner.pipelines {
        p.nesting = merge(p.nesting, outer_nesting);
    }
    Some(inner)
}

fn merge(inner: crate::Nesting, outer: crate::Nesting) -> crate::Nesting {
    crate::Nesting {
        subshell: true,
        substitution: inner.substitution || outer.substitution,
        group: inner.group || outer.group,
        condition: inner.condition || outer.condition,
        control_flow: inner.control_flow || outer.control_flow,
        function: inner.function || outer.function,
    }
}

/// The `-c` string of a command and the shell that runs it: a shell's
/// first operand when `-c` is among its options (`sh -c "…"`, `bash -ec
/// '…'`, `bash -o pipefail -c '…'`), or the value of `su`/`runuser`'s
/// `-c`/`--command` (run by its `-s`/`--shell`, `sh` by default). Seen
/// through `sudo` and the other wrappers [`Command::effective`] knows.
pub(crate) fn command_string(cmd: &Command) -> Option<(&Word, Shell)> {
    let inv = cmd.effective()?;
    let name = inv.name.value.as_deref()?;
    match inv.basename()? {
        "su" | "runuser" => {
            let f = inv.flag_value(&["-c", "--command"])?;
            let word = inv.args.iter().find(|w| w.span == f.span)?;
            // `su -c"…"` (value glued to the flag) is not followed.
            let shell = inv
                .flag_value(&["-s", "--shell"])
                .and_then(|s| s.value)
                .unwrap_or_else(|| "/bin/sh".to_string());
            Some((word, Shell::from_argv(&[shell.as_str(), "-c"])))
        }
        _ => {
            let dialect = Dialect::from_name(name);
            if !dialect.is_analyzable() || inv.basename() == Some("busybox") {
                return None;
            }
            // The shell's options end at its first operand, which is the
            // command string when `-c` is among them (`bash -ec '…'`,
            // `bash -o pipefail -c '…'`); `bash script.sh -c x` runs a file.
            let mut has_c = false;
            let mut k = 0;
            while let Some(w) = inv.args.get(k) {
                let v = w.value_or_text();
                if v == "--" {
                    k += 1;
                    break;
                }
                let Some(letters) = v.strip_prefix(['-', '+']).filter(|l| !l.is_empty()) else {
                    break;
                };
                if !letters.starts_with('-') {
                    has_c |= v.starts_with('-') && letters.contains('c');
                    if letters.contains(['o', 'O']) {
                        k += 1;
                    }
                }
                k += 1;
            }
            let operand = inv.args.get(k).filter(|_| has_c)?;
            let argv: Vec<&str> = std::iter::once(name)
                .chain(inv.args[..k].iter().map(Word::value_or_text))
                .collect();
            Some((operand, Shell::from_argv(&argv)))
        }
    }
}

/// The text a `-c` word gives the shell (quotes removed, escapes
/// resolved; expansions kept as written), mapped to the Dockerfile: byte
/// by byte through the outer script's map when the word is found there,
/// else spread over the word's span.
fn string_map(outer: &Script, word: &Word) -> Option<SourceMap> {
    let (text, at) = unquote(&word.text)?;
    if text.trim().is_empty() {
        return None;
    }
    let offsets = &outer.map.text.offsets;
    let start = offsets
        .iter()
        .enumerate()
        .filter(|&(_, &o)| o == word.span.start)
        .map(|(i, _)| i)
        .find(|&i| outer.text.get(i..i + word.text.len()) == Some(word.text.as_str()));
    let map = match start {
        Some(start) => {
            let offsets = at
                .iter()
                .map(|&i| outer.map.span(start + i, start + i + 1).start)
                .collect();
            SourceMap::new(LogicalText { text, offsets })
        }
        None => SourceMap::new(approximate(&text, word.span)),
    };
    Some(map)
}

/// A word's value with its expansions kept as text: `"a \$b $c"` → `a $b
/// $c`. With it, for each byte and one past the end, the index in `word`
/// of the byte it came from. `None` for `$'…'` and `$"…"` quotes.
fn unquote(word: &str) -> Option<(String, Vec<usize>)> {
    let bytes = word.as_bytes();
    let mut text = String::with_capacity(word.len());
    let mut at = Vec::with_capacity(word.len() + 1);
    let push = |text: &mut String, at: &mut Vec<usize>, c: char, i: usize| {
        text.push(c);
        at.extend(std::iter::repeat_n(i, c.len_utf8()));
    };
    let mut chars = word.char_indices().peekable();
    // Inside: None, Some('\''), Some('"').
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '$') if matches!(bytes.get(i + 1), Some(b'\'' | b'"')) => return None,
            (None, '\\') => match chars.next() {
                Some((_, '\n')) => {}
                Some((j, n)) => push(&mut text, &mut at, n, j),
                None => push(&mut text, &mut at, c, i),
            },
            (Some('"'), '\\') => match chars.peek() {
                Some(&(_, '\n')) => {
                    chars.next();
                }
                Some(&(j, n)) if matches!(n, '$' | '`' | '"' | '\\') => {
                    chars.next();
                    push(&mut text, &mut at, n, j);
                }
                _ => push(&mut text, &mut at, c, i),
            },
            _ => push(&mut text, &mut at, c, i),
        }
    }
    if quote.is_some() {
        return None;
    }
    at.push(
        word.len()
            .saturating_sub(usize::from(word.ends_with(['\'', '"']))),
    );
    Some((text, at))
}

#[cfg(test)]
mod tests {
    use super::unquote;

    #[test]
    fn unquote_keeps_expansions_and_maps_bytes() {
        let (t, at) = unquote(r#""a \$b $c""#).unwrap();
        assert_eq!(t, "a $b $c");
        assert_eq!(at[0], 1);
        assert_eq!(at[2], 4, "the escaped `$` maps to itself");
        assert_eq!(at.len(), t.len() + 1);
        let (t, _) = unquote(r"'it'\''s'").unwrap();
        assert_eq!(t, "it's");
        let (t, _) = unquote(r"apt-get\ update").unwrap();
        assert_eq!(t, "apt-get update");
        assert!(unquote("$'a\\n'").is_none());
        assert!(unquote("'open").is_none());
    }
}
