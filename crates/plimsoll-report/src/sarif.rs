//! `sarif`: SARIF 2.1.0, for code scanning services and editors.

use crate::Context;
use crate::position::region;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity, SourceFile, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

/// A SARIF message or multiformatMessageString.
#[derive(Serialize)]
struct Message {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

impl Message {
    fn text(text: impl Into<String>) -> Self {
        Message {
            text: text.into(),
            markdown: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

/// Where in a built image: the layer (0-based) that added the problem.
#[derive(Serialize)]
struct ResultProperties {
    layer: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    /// A path inside a built image, which is no file of the repository.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
}

/// Line/column when the source is known, bytes otherwise.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

impl Region {
    fn of(source: Option<&SourceFile>, span: Span) -> Self {
        match source {
            Some(source) => {
                let r = region(source, span);
                Region {
                    start_line: Some(r.line),
                    start_column: Some(r.column),
                    end_line: Some(r.end_line),
                    end_column: Some(r.end_column),
                    byte_offset: None,
                    byte_length: None,
                }
            }
            None => {
                let span = Span::new(span.start.min(span.end), span.end.max(span.start));
                Region {
                    start_line: None,
                    start_column: None,
                    end_line: None,
                    end_column: None,
                    byte_offset: Some(span.start),
                    byte_length: Some(span.len()),
                }
            }
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Message,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Content<'a>,
}

#[derive(Serialize)]
struct Content<'a> {
    text: &'a str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn descriptor(code: &str, rule: Option<RuleInfo>) -> ReportingDescriptor {
    let Some(rule) = rule else {
        return ReportingDescriptor {
            id: code.to_string(),
            name: None,
            short_description: None,
            full_description: None,
            help: None,
            help_uri: None,
            default_configuration: None,
        };
    };
    let docs = || {
        (!rule.docs.trim().is_empty()).then(|| Message {
            text: rule.docs.to_string(),
            markdown: Some(rule.docs.to_string()),
        })
    };
    ReportingDescriptor {
        id: code.to_string(),
        name: Some(rule.name),
        short_description: Some(Message::text(rule.summary)),
        full_description: docs(),
        help: docs(),
        help_uri: rule.url,
        default_configuration: Some(Configuration {
            level: level(rule.severity),
        }),
    }
}

/// A file name as a URI reference: `/` separators, absolute paths as
/// `file://` URIs, and everything outside the unreserved and path
/// characters percent-encoded.
pub(crate) fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    let absolute = path.starts_with('/');
    let windows =
        path.len() >= 3 && path.as_bytes()[0].is_ascii_alphabetic() && &path[1..3] == ":/";
    if absolute {
        out.push_str("file://");
    } else if windows {
        out.push_str("file:///");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (windows && i == 1 && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn result<'a>(finding: &'a Finding, rule_index: usize, ctx: &Context<'_>) -> SarifResult<'a> {
    let source = ctx.source(&finding.file);
    let artifact = ArtifactLocation {
        uri: uri(&finding.file),
    };
    let fixes = finding
        .fix
        .iter()
        .map(|fix| SarifFix {
            description: Message::text(&fix.message),
            artifact_changes: vec![ArtifactChange {
                artifact_location: artifact.clone(),
                replacements: fix
                    .edits
                    .iter()
                    .map(|edit| Replacement {
                        deleted_region: Region::of(source, edit.span),
                        inserted_content: Content {
                            text: &edit.content,
                        },
                    })
                    .collect(),
            }],
        })
        .collect();
    SarifResult {
        rule_id: &finding.code,
        rule_index,
        level: level(finding.severity),
        message: Message::text(&finding.message),
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region: finding.span.map(|span| Region::of(source, span)),
            },
            logical_locations: finding
                .path
                .iter()
                .map(|p| LogicalLocation {
                    fully_qualified_name: p.clone(),
                    kind: "resource",
                })
                .collect(),
        }],
        fixes,
        properties: finding.layer.map(|layer| ResultProperties { layer }),
    }
}

pub(crate) fn write(out: &mut dyn Write, ctx: &Context<'_>) -> io::Result<()> {
    let codes: BTreeMap<&str, usize> = {
        let mut codes: BTreeMap<&str, usize> =
            ctx.findings.iter().map(|f| (f.code.as_str(), 0)).collect();
        for (i, index) in codes.values_mut().enumerate() {
            *index = i;
        }
        codes
    };
    let rules = codes
        .keys()
        .map(|code| descriptor(code, (ctx.rules)(code)))
        .collect();
    let results = ctx
        .findings
        .iter()
        .map(|f| result(f, codes[f.code.as_str()], ctx))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "plimsoll",
                    version: ctx.opts.tool_version,
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris() {
        assert_eq!(uri("Dockerfile"), "Dockerfile");
        assert_eq!(uri("app/Dockerfile.dev"), "app/Dockerfile.dev");
        assert_eq!(uri("my app/Dockerfile#1"), "my%20app/Dockerfile%231");
        assert_eq!(uri("/srv/Dockerfile"), "file:///srv/Dockerfile");
        assert_eq!(uri("C:\\src\\Dockerfile"), "file:///C:/src/Dockerfile");
        assert_eq!(uri("é/Dockerfile"), "%C3%A9/Dockerfile");
        assert_eq!(uri("registry:5000/img"), "registry%3A5000/img");
    }
}
