//! The XML formats: `checkstyle` (as hadolint writes it) and `junit`.

use crate::Context;
use crate::position::region;
use plimsoll_diagnostics::{Finding, Location, Severity};
use std::io::{self, Write};

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Escapes `text` for XML content and attribute values (either quote).
/// Line breaks and tabs become character references so attribute values
/// keep them; characters XML 1.0 cannot carry at all become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes element content: like [`escape`] but keeps line breaks and tabs
/// as they are, for readable multi-line text.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c => out.push_str(&escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Consecutive findings of the same file, in the order given.
fn by_file(findings: &[Finding]) -> Vec<(&str, &[Finding])> {
    findings
        .chunk_by(|a, b| a.file == b.file)
        .map(|group| (group[0].file.as_str(), group))
        .collect()
}

fn start(finding: &Finding, ctx: &Context<'_>) -> Option<Location> {
    let span = finding.span?;
    let r = region(ctx.source(&finding.file)?, span);
    Some(Location {
        line: r.line,
        column: r.column,
    })
}

/// Checkstyle's severities are `error`, `warning` and `info`: `style`
/// reads as `info`.
fn checkstyle_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

pub(crate) fn write_checkstyle(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    writeln!(out, "{DECLARATION}")?;
    if ctx.findings.is_empty() {
        return writeln!(out, r#"<checkstyle version="4.3"/>"#);
    }
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for (file, findings) in by_file(ctx.findings) {
        writeln!(out, r#"  <file name="{}">"#, escape(file))?;
        for finding in findings {
            // File-level findings sit on line 1 without a column, as
            // Checkstyle's own file checks do.
            let position = match start(finding, ctx) {
                Some(at) => format!(r#"line="{}" column="{}""#, at.line, at.column),
                None => r#"line="1""#.to_string(),
            };
            writeln!(
                out,
                r#"    <error {position} severity="{}" message="{}" source="{}"/>"#,
                checkstyle_severity(finding.severity),
                escape(&finding.message),
                escape(&finding.code),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

pub(crate) fn write_junit(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let total = ctx.findings.len();
    writeln!(out, "{DECLARATION}")?;
    let attrs = |n: usize| format!(r#"tests="{n}" failures="{n}" errors="0""#);
    if total == 0 {
        return writeln!(out, r#"<testsuites name="plimsoll" {}/>"#, attrs(0));
    }
    writeln!(out, r#"<testsuites name="plimsoll" {}>"#, attrs(total))?;
    for (file, findings) in by_file(ctx.findings) {
        writeln!(
            out,
            r#"  <testsuite name="{}" {} skipped="0">"#,
            escape(file),
            attrs(findings.len())
        )?;
        for finding in findings {
            let at = start(finding, ctx);
            let classname = match at {
                Some(at) => format!("{file}:{}", at.line),
                None => file.to_string(),
            };
            let mut body = match at {
                Some(at) => format!("{file}:{}:{}: ", at.line, at.column),
                None => format!("{file}: "),
            };
            body.push_str(&format!(
                "{} {}: {}",
                finding.code, finding.severity, finding.message
            ));
            if let Some(fix) = &finding.fix {
                body.push_str(&format!("\nhelp: {}", fix.message));
            }
            if let Some(url) = (ctx.rules)(&finding.code).and_then(|r| r.url) {
                body.push_str(&format!("\nsee: {url}"));
            }
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}">"#,
                escape(&finding.code),
                escape(&classname)
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                escape(&finding.message),
                finding.severity,
                escape_text(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("plain é 日"), "plain é 日");
    }

    #[test]
    fn escapes_whitespace_and_forbidden_chars() {
        assert_eq!(escape("a\nb\tc\rd"), "a&#10;b&#9;c&#13;d");
        assert_eq!(escape("bell\u{7}esc\u{1b}"), "bell\u{fffd}esc\u{fffd}");
        assert_eq!(escape("\u{ffff}"), "\u{fffd}");
        assert_eq!(escape_text("a\n\tb & c\r"), "a\n\tb &amp; c&#13;");
    }
}
