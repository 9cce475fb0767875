//! `codeclimate`: the Code Climate issue format, as GitLab Code Quality
//! reads it.

use crate::Context;
use crate::position::region;
use plimsoll_diagnostics::{Finding, Severity};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: &'a str,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

fn category(severity: Severity) -> &'static str {
    match severity {
        Severity::Error | Severity::Warning => "Bug Risk",
        Severity::Info => "Clarity",
        Severity::Style => "Style",
    }
}

/// 128-bit FNV-1a, as 32 hex digits: stable across runs, platforms and
/// Rust versions (unlike `std`'s hashers).
pub(crate) fn fnv1a_128(parts: &[&[u8]]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator, so ("ab", "c") and ("a", "bc") differ.
            hash ^= 0xff;
            hash = hash.wrapping_mul(PRIME);
        }
        for &b in *part {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

pub(crate) fn write(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    // GitLab merges issues with equal fingerprints: repeats of the same
    // file, code, line and message get their occurrence number mixed in.
    let mut seen: HashMap<(&str, &str, Option<usize>, &str), usize> = HashMap::new();
    let issues: Vec<Issue<'_>> = ctx
        .findings
        .iter()
        .map(|finding: &Finding| {
            let r = finding
                .span
                .zip(ctx.source(&finding.file))
                .map(|(span, source)| region(source, span));
            let line = r.map(|r| r.line);
            let occurrence = seen
                .entry((&finding.file, &finding.code, line, &finding.message))
                .and_modify(|n| *n += 1)
                .or_insert(0);
            let line_text = line.map(|l| l.to_string()).unwrap_or_default();
            let occurrence_text = occurrence.to_string();
            let mut parts: Vec<&[u8]> = vec![
                finding.file.as_bytes(),
                finding.code.as_bytes(),
                line_text.as_bytes(),
                finding.message.as_bytes(),
            ];
            if *occurrence > 0 {
                parts.push(occurrence_text.as_bytes());
            }
            Issue {
                kind: "issue",
                check_name: &finding.code,
                description: &finding.message,
                categories: [category(finding.severity)],
                severity: severity(finding.severity),
                fingerprint: fnv1a_128(&parts),
                location: IssueLocation {
                    path: &finding.file,
                    lines: Lines {
                        begin: r.map_or(1, |r| r.line),
                        end: r.map_or(1, |r| r.end_line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::fnv1a_128;

    #[test]
    fn fnv_is_stable() {
        // The FNV-1a 128 test vector for the empty input is the offset.
        assert_eq!(fnv1a_128(&[b""]), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fnv1a_128(&[b"a"]), "d228cb696f1a8caf78912b704e4a8964");
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }
}
