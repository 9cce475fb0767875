//! Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`,
//! `${VAR+alt}` and `$$` for a literal `$`, with defaults that may hold
//! further variables; and the `.env` file that supplies them.
//!
//! A value that depends on a variable with no value and no default is
//! *unknown* (`None`): Compose would substitute an empty string with a
//! warning (or fail, for `:?`), and a check cannot tell what was meant, so
//! checks stay quiet about unknown values.

use std::collections::HashMap;

/// The variables a project is interpolated with: the process environment
/// over the `.env` file of the project directory, as in Compose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    /// `.env` entries, then `process` over them.
    pub fn with_dotenv(dotenv: &str, process: &HashMap<String, String>) -> Env {
        let mut env = Env::new();
        for (k, v) in process {
            env.vars.insert(k.clone(), v.clone());
        }
        // `.env` values may refer to the process environment and to
        // earlier entries; the process environment wins for each name.
        let mut file = Env {
            vars: env.vars.clone(),
        };
        for (k, v) in parse_dotenv(dotenv, &file.clone()) {
            file.vars.insert(k.clone(), v.clone());
            env.vars.entry(k).or_insert(v);
        }
        env
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Interpolate `text`; `None` when it depends on an unset variable
    /// without a default, or the syntax is broken.
    pub fn interpolate(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut known = true;
        interpolate_into(text, self, &mut out, &mut known, 0)?;
        known.then_some(out)
    }
}

/// Whether `text` refers to any variable (`$$` is not a reference).
pub fn has_variables(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            match b.get(i + 1) {
                Some(b'$') => i += 2,
                Some(c) if *c == b'{' || c.is_ascii_alphabetic() || *c == b'_' => return true,
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Nested defaults deeper than this are refused.
const MAX_NESTING: usize = 32;

fn interpolate_into(
    text: &str,
    env: &Env,
    out: &mut String,
    known: &mut bool,
    depth: usize,
) -> Option<()> {
    if depth > MAX_NESTING {
        return None;
    }
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(body) = after.strip_prefix('{') {
            let close = matching_brace(body)?;
            expand_braced(&body[..close], env, out, known, depth)?;
            rest = &body[close + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                out.push('$');
                rest = after;
            } else {
                match env.get(&after[..len]) {
                    Some(v) => out.push_str(v),
                    None => *known = false,
                }
                rest = &after[len..];
            }
        }
    }
    out.push_str(rest);
    Some(())
}

fn name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
        return 0;
    }
    b.iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count()
}

/// The index of the `}` closing a `${`, nested `${…}` skipped.
fn matching_brace(body: &str) -> Option<usize> {
    let b = body.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'$' if b.get(i + 1) == Some(&b'$') => {
                i += 2;
                continue;
            }
            b'}' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn expand_braced(
    inner: &str,
    env: &Env,
    out: &mut String,
    known: &mut bool,
    depth: usize,
) -> Option<()> {
    let len = name_len(inner);
    if len == 0 {
        return None;
    }
    let name = &inner[..len];
    let op = &inner[len..];
    let value = env.get(name);
    let set_nonempty = value.is_some_and(|v| !v.is_empty());
    let (modifier, word) = if op.is_empty() {
        ("", "")
    } else {
        let two = op.get(..2).unwrap_or("");
        match two {
            ":-" | ":?" | ":+" | ":=" => (two, &op[2..]),
            _ => match op.as_bytes()[0] {
                b'-' | b'?' | b'+' | b'=' => (&op[..1], &op[1..]),
                _ => return None,
            },
        }
    };
    match modifier {
        "" => match value {
            Some(v) => out.push_str(v),
            None => *known = false,
        },
        ":-" | ":=" => {
            if set_nonempty {
                out.push_str(value.unwrap_or_default());
            } else {
                interpolate_into(word, env, out, known, depth + 1)?;
            }
        }
        "-" | "=" => match value {
            Some(v) => out.push_str(v),
            None => interpolate_into(word, env, out, known, depth + 1)?,
        },
        ":?" => {
            if set_nonempty {
                out.push_str(value.unwrap_or_default());
            } else {
                *known = false;
            }
        }
        "?" => match value {
            Some(v) => out.push_str(v),
            None => *known = false,
        },
        ":+" => {
            if set_nonempty {
                interpolate_into(word, env, out, known, depth + 1)?;
            }
        }
        "+" => {
            if value.is_some() {
                interpolate_into(word, env, out, known, depth + 1)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// The entries of a `.env` file, in order: `NAME=value` lines, `export`
/// allowed, `#` comments, single quotes literal, double quotes with `\n`
/// `\"` `\\` escapes, unquoted values trimmed and cut at ` #`. Unquoted and
/// double-quoted values are interpolated with what came before.
pub fn parse_dotenv(text: &str, base: &Env) -> Vec<(String, String)> {
    let mut seen = base.clone();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name_len(name) != name.len() {
            continue;
        }
        let value = value.trim_start();
        let parsed = if let Some(body) = value.strip_prefix('\'') {
            match body.find('\'') {
                Some(end) => body[..end].to_string(),
                None => body.to_string(),
            }
        } else if let Some(body) = value.strip_prefix('"') {
            // A double-quoted value may run over several lines.
            let mut raw = body.to_string();
            while closing_quote(&raw).is_none() {
                match lines.next() {
                    Some(next) => {
                        raw.push('\n');
                        raw.push_str(next);
                    }
                    None => break,
                }
            }
            let end = closing_quote(&raw).unwrap_or(raw.len());
            let unescaped = unescape(&raw[..end]);
            seen.interpolate(&unescaped).unwrap_or(unescaped)
        } else {
            let cut = value.find(" #").unwrap_or(value.len());
            let v = value[..cut].trim();
            seen.interpolate(v).unwrap_or_else(|| v.to_string())
        };
        seen.set(name, parsed.clone());
        out.push((name.to_string(), parsed));
    }
    out
}

fn closing_quote(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        let mut e = Env::new();
        e.set("TAG", "1.25");
        e.set("EMPTY", "");
        e
    }

    #[test]
    fn forms() {
        let e = env();
        let cases = [
            ("nginx:${TAG}", Some("nginx:1.25")),
            ("nginx:$TAG", Some("nginx:1.25")),
            ("nginx:${NOPE:-1.0}", Some("nginx:1.0")),
            ("nginx:${EMPTY:-1.0}", Some("nginx:1.0")),
            ("nginx:${EMPTY-1.0}", Some("nginx:")),
            ("nginx:${NOPE-1.0}", Some("nginx:1.0")),
            ("${NOPE:-${TAG}}", Some("1.25")),
            ("${NOPE:-${ALSO_NOPE:-x}}", Some("x")),
            ("${TAG:+set}", Some("set")),
            ("${NOPE:+set}", Some("")),
            ("${EMPTY+set}", Some("set")),
            ("${TAG:?required}", Some("1.25")),
            ("${NOPE:?required}", None),
            ("${NOPE}", None),
            ("$NOPE", None),
            ("cost: $$5 and $$TAG", Some("cost: $5 and $TAG")),
            ("a $ b", Some("a $ b")),
            ("${", None),
            ("${1BAD}", None),
        ];
        for (input, want) in cases {
            assert_eq!(e.interpolate(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn variables_are_seen() {
        assert!(has_variables("${A}"));
        assert!(has_variables("x$A"));
        assert!(!has_variables("$$A"));
        assert!(!has_variables("price $5"));
        assert!(!has_variables("plain"));
    }

    #[test]
    fn dotenv() {
        let text = "# comment\nTAG=1.25\nexport USER_ID=1000\nQUOTED='lit $TAG'\nDQ=\"v${TAG}\\n\"\nINLINE=x # note\nREF=${TAG}-slim\nbad line\n";
        let mut process = HashMap::new();
        process.insert("USER_ID".to_string(), "2000".to_string());
        let env = Env::with_dotenv(text, &process);
        assert_eq!(env.get("TAG"), Some("1.25"));
        assert_eq!(env.get("USER_ID"), Some("2000"), "the process wins");
        assert_eq!(env.get("QUOTED"), Some("lit $TAG"));
        assert_eq!(env.get("DQ"), Some("v1.25\n"));
        assert_eq!(env.get("INLINE"), Some("x"));
        assert_eq!(env.get("REF"), Some("1.25-slim"));
    }
}
