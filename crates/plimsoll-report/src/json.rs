//! `json`: an array of findings with 1-based, character-counted positions.

use crate::Context;
use crate::position::region;
use plimsoll_diagnostics::{Applicability, Finding, Severity, SourceFile, Span};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    #[serde(flatten)]
    position: Position,
    rule: Option<&'static str>,
    url: Option<&'static str>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    position: Position,
    content: &'a str,
}

/// Nulls when the span or the source is unknown.
#[derive(Serialize, Default)]
struct Position {
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

impl Position {
    fn of(source: Option<&SourceFile>, span: Option<Span>) -> Self {
        match (source, span) {
            (Some(source), Some(span)) => {
                let r = region(source, span);
                Position {
                    line: Some(r.line),
                    column: Some(r.column),
                    end_line: Some(r.end_line),
                    end_column: Some(r.end_column),
                }
            }
            _ => Position::default(),
        }
    }
}

fn convert<'a>(finding: &'a Finding, ctx: &Context<'_>) -> JsonFinding<'a> {
    let source = ctx.source(&finding.file);
    let rule = (ctx.rules)(&finding.code);
    JsonFinding {
        code: &finding.code,
        severity: finding.severity,
        message: &finding.message,
        file: &finding.file,
        position: Position::of(source, finding.span),
        rule: rule.map(|r| r.name),
        url: rule.and_then(|r| r.url),
        fix: finding.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability,
            message: &fix.message,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    position: Position::of(source, Some(edit.span)),
                    content: &edit.content,
                })
                .collect(),
        }),
    }
}

pub(crate) fn write(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let findings: Vec<_> = ctx.findings.iter().map(|f| convert(f, ctx)).collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}
