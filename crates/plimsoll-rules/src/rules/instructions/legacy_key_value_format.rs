use super::common::targets;
use crate::rules::prelude::*;
use plimsoll_syntax::KeyValue;

declare_rule! {
    /// ## What it does
    /// Flags `ENV` and `LABEL` written in the legacy `key value` form
    /// (whitespace instead of `=` between key and value), also as `ONBUILD`
    /// triggers.
    ///
    /// ## Why is this bad?
    /// The legacy form is deprecated. It takes the whole rest of the line
    /// as one value, so it can set only one variable, and whitespace in the
    /// value (including the indentation of continuation lines) silently
    /// becomes part of it. `key=value` is what the rest of the Dockerfile
    /// syntax (`ARG`, several pairs per `ENV`) uses.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV LANG C.UTF-8
    /// LABEL maintainer Jane Doe
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV LANG=C.UTF-8
    /// LABEL maintainer="Jane Doe"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the value stays exactly the same. A value that is one word
    /// gets `=`; a value with spaces is wrapped in double quotes (continuation
    /// lines kept as they are), or, when it already contains quotes or the
    /// escape character, has its spaces escaped. A key with quotes gets no
    /// fix.
    pub struct LegacyKeyValueFormat {
        code: "LegacyKeyValueFormat",
        name: "legacy_key_value_format",
        aliases: [],
        severity: Warning,
        summary: "Legacy key/value format with whitespace separator should not be used",
        url: Some("https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for LegacyKeyValueFormat {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for keyword in [Keyword::Env, Keyword::Label] {
            for t in targets(cx, keyword, true) {
                for pair in t
                    .ins
                    .pairs
                    .iter()
                    .filter(|p| !p.equals && p.value.is_some())
                {
                    found.push((t, pair));
                }
            }
        }
        found.sort_by_key(|(_, p)| p.span.start);
        for (t, pair) in found {
            let name = t.ins.keyword.as_str();
            let message = format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            );
            let fix = fix_for(cx, pair);
            cx.report(pair.span, message).fix = fix;
        }
    }
}

fn fix_for(cx: &Checker<'_>, pair: &KeyValue) -> Option<Fix> {
    let value = pair.value.as_ref()?;
    let escape = cx.dockerfile.escape;
    let key = &pair.key.value;
    if key.contains(['"', '\'', '=', escape]) || pair.key.span.end > value.span.start {
        return None;
    }
    let separator = Span::new(pair.key.span.end, value.span.start);
    let raw = &value.value;
    let message = "Use `key=value`";
    if !has_unquoted_space(raw, escape) {
        return Some(Fix::safe(message, vec![Edit::replace(separator, "=")]));
    }
    if !raw.contains(['"', '\'', escape]) {
        // Continuation lines inside double quotes are still continuations.
        return Some(Fix::safe(
            message,
            vec![
                Edit::replace(separator, "=\""),
                Edit::insert(value.span.end, "\""),
            ],
        ));
    }
    // Quotes inside: escape the spaces outside quotes, on one line only.
    if cx.slice(value.span) != raw.as_str() {
        return None;
    }
    Some(Fix::safe(
        message,
        vec![
            Edit::replace(separator, "="),
            Edit::replace(value.span, escape_unquoted_spaces(raw, escape)),
        ],
    ))
}

/// Walk a raw value as BuildKit's `parseWords` does, calling `f` with each
/// character and whether it is white space outside quotes.
fn walk(raw: &str, escape: char, mut f: impl FnMut(char, bool)) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in raw.chars() {
        if escaped {
            escaped = false;
            f(c, false);
            continue;
        }
        // As in `parseWords`, single quotes cannot be escaped out of.
        if c == escape && quote != Some('\'') {
            escaped = true;
            f(c, false);
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
        f(c, quote.is_none() && c.is_whitespace());
    }
}

fn has_unquoted_space(raw: &str, escape: char) -> bool {
    let mut found = false;
    walk(raw, escape, |_, space| found |= space);
    found
}

fn escape_unquoted_spaces(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    walk(raw, escape, |c, space| {
        if space {
            out.push(escape);
        }
        out.push(c);
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixMode, LintOptions, RuleOptions, Severity, apply_fixes, lint};

    /// Every key and value of ENV and LABEL, values expanded as BuildKit
    /// does (no variables set).
    fn pairs(text: &str) -> Vec<(String, String)> {
        let df = plimsoll_syntax::parse_str(text);
        let lexer = plimsoll_expand::Lexer::new(df.escape);
        let mut out = Vec::new();
        for ins in &df.instructions {
            let ins = ins.onbuild.as_deref().unwrap_or(ins);
            for p in &ins.pairs {
                let raw = p.value.as_ref().map_or("", |v| v.value.as_str());
                let value = lexer
                    .process_word(raw, &plimsoll_expand::NoEnv)
                    .map(|e| e.value)
                    .unwrap_or_default();
                out.push((p.key.value.clone(), value));
            }
        }
        out
    }

    fn fixed(text: &str) -> String {
        let select = |r: &'static dyn crate::Rule| -> Option<Severity> {
            (r.info().code == "LegacyKeyValueFormat").then_some(Severity::Warning)
        };
        let opts = LintOptions {
            rules: RuleOptions::default(),
            select: &select,
            disable_ignore_pragma: false,
            context: None,
        };
        let df = plimsoll_syntax::parse_str(text);
        let findings = lint(&df, "Dockerfile", &opts);
        assert!(findings.iter().all(|f| f.fix.is_some()), "{text}");
        apply_fixes(text, &findings, FixMode::Safe).0
    }

    #[test]
    fn fixes_keep_every_value() {
        for text in [
            "FROM a\nENV A b\n",
            "FROM a\nENV A b  c\td\n",
            "FROM a\nLABEL A \"b c\"\n",
            "FROM a\nENV A \"b c\" 'd e' f\n",
            "FROM a\nENV A b\\ c d\n",
            "FROM a\nENV A it's\n",
            "FROM a\nENV A $HOME/x ${Y:-a b}\n",
            "FROM a\nENV A \\\n  b \\\n  c\n",
            "# escape=`\nFROM a\nENV A C:\\x \"y z\" w\n",
            "FROM a\nONBUILD LABEL A b c\n",
        ] {
            let after = fixed(text);
            assert_eq!(pairs(text), pairs(&after), "{text} -> {after}");
            assert!(
                plimsoll_syntax::parse_str(&after).errors.is_empty(),
                "{after}"
            );
            let df = plimsoll_syntax::parse_str(&after);
            let legacy = df
                .instructions
                .iter()
                .map(|i| i.onbuild.as_deref().unwrap_or(i))
                .flat_map(|i| &i.pairs)
                .any(|p| !p.equals);
            assert!(!legacy, "{after}");
        }
    }

    #[test]
    fn spaces_outside_quotes() {
        assert!(has_unquoted_space("a b", '\\'));
        assert!(!has_unquoted_space("\"a b\"", '\\'));
        assert!(!has_unquoted_space("'a b'", '\\'));
        assert!(!has_unquoted_space("a\\ b", '\\'));
        assert!(has_unquoted_space("\"a\" b", '\\'));
        assert!(has_unquoted_space("a` b", '\\'));
        assert!(!has_unquoted_space("a` b", '`'));
    }

    #[test]
    fn escaping_keeps_quotes() {
        assert_eq!(escape_unquoted_spaces("\"a b\" c", '\\'), "\"a b\"\\ c");
        assert_eq!(escape_unquoted_spaces("it's ok' x", '`'), "it's ok'` x");
        assert_eq!(escape_unquoted_spaces("'a\\' b", '\\'), "'a\\'\\ b");
    }
}
