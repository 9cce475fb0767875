//! The human format: Ruff/rustc-style headers, snippets and a summary.

use crate::position::normalize;
use crate::{Context, is_secret};
use anstyle::{AnsiColor, Style};
use plimsoll_diagnostics::{Applicability, Finding, Severity, SourceFile, Span};
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// A tab is shown as this many spaces.
const TAB_WIDTH: usize = 4;
/// Spans over more lines show the first two, `...` and the last.
const MAX_SNIPPET_LINES: usize = 4;

struct Styles {
    path: Style,
    gutter: Style,
    fixable: Style,
    help: Style,
    success: Style,
    color: bool,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            return Styles {
                path: Style::new(),
                gutter: Style::new(),
                fixable: Style::new(),
                help: Style::new(),
                success: Style::new(),
                color,
            };
        }
        Styles {
            path: Style::new().bold(),
            gutter: AnsiColor::Blue.on_default().bold(),
            fixable: AnsiColor::Cyan.on_default(),
            help: Style::new().bold(),
            success: AnsiColor::Green.on_default().bold(),
            color,
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        if !self.color {
            return Style::new();
        }
        let color = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Cyan,
            Severity::Style => AnsiColor::Magenta,
        };
        color.on_default().bold()
    }
}

/// `text` in `style`; no escape codes at all for the plain style.
fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

pub(crate) fn write(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let styles = Styles::new(ctx.opts.color);
    let mut last_had_snippet = true;
    for finding in ctx.findings {
        last_had_snippet = write_finding(out, finding, ctx.source(&finding.file), &styles)?;
    }
    if !last_had_snippet {
        writeln!(out)?;
    }
    write_summary(out, ctx.findings, &styles)
}

/// Writes one finding; returns whether it had a snippet (and so ended with
/// a blank line).
fn write_finding(
    out: &mut dyn Write,
    finding: &Finding,
    source: Option<&SourceFile>,
    styles: &Styles,
) -> io::Result<bool> {
    let located = finding.span.zip(source);
    let sev_style = styles.severity(finding.severity);

    let mut header = paint(styles.path, &finding.file);
    if let Some((span, source)) = located {
        let at = source.location(normalize(&source.text, span).start);
        header.push_str(&format!(":{}:{}", at.line, at.column));
    }
    header.push_str(": ");
    header.push_str(&paint(sev_style, &finding.code));
    if matches!(&finding.fix, Some(fix) if fix.applicability == Applicability::Safe) {
        header.push(' ');
        header.push_str(&paint(styles.fixable, "[*]"));
    }
    header.push(' ');
    header.push_str(&paint(sev_style, finding.severity.as_str()));
    header.push_str(": ");
    header.push_str(&sanitize(&finding.message));
    writeln!(out, "{header}")?;

    let Some((span, source)) = located else {
        return Ok(false);
    };
    let snippet = Snippet::new(source, span, &finding.redact);
    let width = snippet
        .lines
        .iter()
        .filter_map(|l| l.as_ref().map(|l| l.number))
        .max()
        .unwrap_or(1)
        .to_string()
        .len();
    let blank = " ".repeat(width);
    let bar = paint(styles.gutter, "|");
    writeln!(out, "{blank} {bar}")?;
    let last_marked = snippet
        .lines
        .iter()
        .rposition(|l| matches!(l, Some(l) if l.mark.is_some()));
    for (i, line) in snippet.lines.iter().enumerate() {
        let Some(line) = line else {
            writeln!(out, "{}", paint(styles.gutter, "..."))?;
            continue;
        };
        let number = paint(styles.gutter, &format!("{:>width$}", line.number));
        if line.text.is_empty() {
            writeln!(out, "{number} {bar}")?;
        } else {
            writeln!(out, "{number} {bar} {}", line.text)?;
        }
        if let Some((col, len)) = line.mark {
            let mut marks = "^".repeat(len);
            if Some(i) == last_marked {
                marks.push(' ');
                marks.push_str(&finding.code);
            }
            writeln!(
                out,
                "{blank} {bar} {}{}",
                " ".repeat(col),
                paint(sev_style, &marks)
            )?;
        }
    }
    writeln!(out, "{blank} {bar}")?;
    if let Some(fix) = &finding.fix {
        writeln!(
            out,
            "{blank} {} {}: {}",
            paint(styles.gutter, "="),
            paint(styles.help, "help"),
            sanitize(&fix.message)
        )?;
    }
    writeln!(out)?;
    Ok(true)
}

fn write_summary(out: &mut dyn Write, findings: &[Finding], styles: &Styles) -> io::Result<()> {
    if findings.is_empty() {
        return writeln!(out, "{}", paint(styles.success, "All checks passed!"));
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        out,
        "Found {} ({}, {}, {}, {}).",
        plural(findings.len(), "problem", "problems"),
        plural(count(Severity::Error), "error", "errors"),
        plural(count(Severity::Warning), "warning", "warnings"),
        plural(count(Severity::Info), "info", "info"),
        plural(count(Severity::Style), "style", "style"),
    )?;
    let fixable = |a: Applicability| {
        findings
            .iter()
            .filter(|f| matches!(&f.fix, Some(fix) if fix.applicability == a))
            .count()
    };
    let safe = fixable(Applicability::Safe);
    if safe > 0 {
        writeln!(
            out,
            "{} {safe} fixable with `plimsoll check --fix`.",
            paint(styles.fixable, "[*]")
        )?;
    }
    let unsafe_ = fixable(Applicability::Unsafe);
    if unsafe_ > 0 {
        writeln!(
            out,
            "({} can be enabled with the `--unsafe-fixes` option.)",
            plural(unsafe_, "hidden fix", "hidden fixes")
        )?;
    }
    Ok(())
}

/// Control characters would reach the terminal as commands: show them as
/// their Unicode control pictures instead.
fn visible(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        c => c,
    }
}

fn sanitize(text: &str) -> String {
    text.chars().map(visible).collect()
}

/// The lines of a span as shown: `None` stands for elided lines.
struct Snippet {
    lines: Vec<Option<SnippetLine>>,
}

struct SnippetLine {
    number: usize,
    /// The line as displayed: secrets masked, tabs expanded, control
    /// characters made visible.
    text: String,
    /// Display column and width of the underline.
    mark: Option<(usize, usize)>,
}

impl Snippet {
    fn new(source: &SourceFile, span: Span, redact: &[Span]) -> Self {
        let text = &*source.text;
        let index = &*source.index;
        let span = normalize(text, span);
        let first = index.line_of(span.start);
        // A span that ends just after a newline ends on that newline's line.
        let last = if span.is_empty() {
            first
        } else {
            index.line_of(span.end - 1)
        };
        let numbers: Vec<Option<usize>> = if last - first < MAX_SNIPPET_LINES {
            (first..=last).map(Some).collect()
        } else {
            vec![Some(first), Some(first + 1), None, Some(last)]
        };
        let lines = numbers
            .into_iter()
            .map(|number| {
                let number = number?;
                let start = index.line_start(number).unwrap_or(text.len());
                let line = index.line_text(text, number);
                let (display, cols) = display_line(line, start, redact);
                // Lines after the first are underlined from their first
                // non-blank character: continuation indentation is noise.
                let from = if number == first {
                    span.start - start
                } else {
                    line.len() - line.trim_start().len()
                };
                let to = (span.end.min(start + line.len())).saturating_sub(start);
                let mark = if number == first && from >= to {
                    // Empty span, or one that starts at the line end.
                    Some((cols[from.min(line.len())], 1))
                } else if from < to {
                    Some((cols[from], (cols[to] - cols[from]).max(1)))
                } else {
                    None
                };
                Some(SnippetLine {
                    number,
                    text: display,
                    mark,
                })
            })
            .collect();
        Snippet { lines }
    }
}

/// The displayed form of `line` (which starts at byte `base` of its source)
/// and, for each byte offset in `line` (and its end), the display column it
/// starts at.
fn display_line(line: &str, base: usize, redact: &[Span]) -> (String, Vec<usize>) {
    let mut display = String::with_capacity(line.len());
    let mut cols = vec![0; line.len() + 1];
    let mut col = 0;
    for (i, c) in line.char_indices() {
        cols[i..i + c.len_utf8()].fill(col);
        if is_secret(base + i, c.len_utf8(), redact) {
            display.push('*');
            col += 1;
        } else if c == '\t' {
            display.push_str(&" ".repeat(TAB_WIDTH));
            col += TAB_WIDTH;
        } else {
            let c = visible(c);
            display.push(c);
            col += c.width().unwrap_or(0);
        }
    }
    cols[line.len()] = col;
    (display, cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_columns() {
        let (text, cols) = display_line("\tRUN é日 x", 0, &[]);
        assert_eq!(text, "    RUN é日 x");
        // `x` is at byte 11: 4 (tab) + 4 ("RUN ") + 1 (é) + 2 (日) + 1.
        assert_eq!(cols[11], 12);
        assert_eq!(cols[12], 13);
    }

    #[test]
    fn display_masks_and_sanitizes() {
        let (text, cols) = display_line("A=日本\x1b[31m", 10, &[Span::new(12, 18)]);
        assert_eq!(text, "A=**\u{241b}[31m");
        assert_eq!(cols[8], 4);
    }

    #[test]
    fn snippet_marks() {
        let src = SourceFile::new("f", "FROM a\nRUN x \\\n    && y\n");
        let s = Snippet::new(&src, Span::new(7, 24), &[]);
        let marks: Vec<_> = s.lines.iter().map(|l| l.as_ref().unwrap().mark).collect();
        assert_eq!(marks, vec![Some((0, 7)), Some((4, 4))]);
        // Empty span at the end of a line.
        let s = Snippet::new(&src, Span::empty(6), &[]);
        assert_eq!(s.lines[0].as_ref().unwrap().mark, Some((6, 1)));
    }

    #[test]
    fn long_spans_are_elided() {
        let src = SourceFile::new("f", "a\nb\nc\nd\ne\nf\n");
        let s = Snippet::new(&src, Span::new(0, 11), &[]);
        let numbers: Vec<_> = s
            .lines
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect();
        assert_eq!(numbers, vec![Some(1), Some(2), None, Some(6)]);
    }
}
