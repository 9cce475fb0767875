//! Every format over the same findings on a small Dockerfile.

use plimsoll_diagnostics::{Edit, Finding, Fix, RuleInfo, Severity, SourceFile, Span};
use plimsoll_report::{Format, ReportOptions, write_report};
use std::collections::HashMap;

/// `é` before a span (char columns ≠ byte columns), a tab, a line
/// continuation and a secret.
const DOCKERFILE: &str = "FROM débian:latest AS base\n\
RUN apt-get update && \\\n\
\tapt-get install curl\n\
ENV API_TOKEN=s3cr3t-tökén\n\
LABEL maintainer=\"Zoë <zoe@example.com>\"\n";

const IMAGE: &str = "alpine:3.20";

/// The byte span of the `nth` occurrence of `needle`.
fn find(needle: &str) -> Span {
    let start = DOCKERFILE.find(needle).expect(needle);
    Span::new(start, start + needle.len())
}

fn findings() -> Vec<Finding> {
    let latest = find("latest");
    let install = find("apt-get install curl");
    let secret = find("s3cr3t-tökén");
    vec![
        Finding::new(
            "DL3057",
            Severity::Info,
            "`HEALTHCHECK` instruction missing.",
            "Dockerfile",
        ),
        Finding::new(
            "DL3007",
            Severity::Warning,
            "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
            "Dockerfile",
        )
        .with_span(latest)
        .with_fix(Fix::unsafe_(
            "Pin the base image to `bookworm`",
            vec![Edit::replace(latest, "bookworm")],
        )),
        Finding::new(
            "DL3008",
            Severity::Warning,
            "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
            "Dockerfile",
        )
        .with_span(find("apt-get update && \\\n\tapt-get install curl")),
        Finding::new(
            "DL3014",
            Severity::Warning,
            "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
            "Dockerfile",
        )
        .with_span(install)
        .with_fix(Fix::safe(
            "Add `-y`",
            vec![Edit::insert(install.start + "apt-get install".len(), " -y")],
        )),
        Finding::new(
            "SecretsUsedInArgOrEnv",
            Severity::Error,
            "Do not use ARG or ENV instructions for sensitive data (ENV \"API_TOKEN\")",
            "Dockerfile",
        )
        .with_span(find("API_TOKEN=s3cr3t-tökén"))
        .with_redaction(secret),
        Finding::new(
            "PL9001",
            Severity::Style,
            "Label \"maintainer\" is deprecated: use <org.opencontainers.image.authors>, 100% & more",
            "Dockerfile",
        )
        .with_span(find("maintainer")),
        Finding::new(
            "DL3057",
            Severity::Info,
            "`HEALTHCHECK` instruction missing.",
            IMAGE,
        ),
    ]
}

fn rules(code: &str) -> Option<RuleInfo> {
    let info = |code, name, severity, summary, docs, fixable, url| RuleInfo {
        code,
        name,
        aliases: &[],
        severity,
        summary,
        docs,
        fixable,
        url,
    };
    Some(match code {
        "DL3007" => info(
            "DL3007",
            "from_latest",
            Severity::Warning,
            "Using latest is prone to errors",
            "## What it does\nFlags `FROM image:latest`.\n",
            true,
            Some("https://github.com/hadolint/hadolint/wiki/DL3007"),
        ),
        "DL3008" => info(
            "DL3008",
            "apt_get_unpinned",
            Severity::Warning,
            "Pin versions in apt-get install",
            "## What it does\nFlags unpinned `apt-get install` packages.\n",
            false,
            Some("https://github.com/hadolint/hadolint/wiki/DL3008"),
        ),
        "DL3014" => info(
            "DL3014",
            "apt_get_missing_yes",
            Severity::Warning,
            "Use the -y switch",
            "## What it does\nFlags `apt-get install` without `-y`.\n",
            true,
            Some("https://github.com/hadolint/hadolint/wiki/DL3014"),
        ),
        "DL3057" => info(
            "DL3057",
            "missing_healthcheck",
            Severity::Info,
            "HEALTHCHECK instruction missing",
            "",
            false,
            None,
        ),
        "SecretsUsedInArgOrEnv" => info(
            "SecretsUsedInArgOrEnv",
            "secrets_used_in_arg_or_env",
            Severity::Error,
            "Sensitive data should not be used in ARG or ENV",
            "## What it does\nFlags secrets in `ARG` and `ENV`.\n",
            false,
            Some("https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/"),
        ),
        _ => return None,
    })
}

fn sources() -> HashMap<String, SourceFile> {
    HashMap::from([(
        "Dockerfile".to_string(),
        SourceFile::new("Dockerfile", DOCKERFILE),
    )])
}

fn render_with(format: Format, findings: &[Finding], color: bool) -> String {
    let mut out = Vec::new();
    let opts = ReportOptions {
        color,
        tool_version: "0.1.0",
    };
    write_report(&mut out, format, findings, &sources(), &rules, &opts).unwrap();
    String::from_utf8(out).unwrap()
}

fn render(format: Format) -> String {
    render_with(format, &findings(), false)
}

#[test]
fn tty() {
    insta::assert_snapshot!(render(Format::Tty));
}

#[test]
fn tty_color_is_the_plain_text_plus_escapes() {
    let colored = render_with(Format::Tty, &findings(), true);
    assert!(colored.contains("\x1b["));
    let mut plain = String::new();
    let mut rest = colored.as_str();
    while let Some(i) = rest.find("\x1b[") {
        plain.push_str(&rest[..i]);
        let end = rest[i..].find('m').unwrap();
        rest = &rest[i + end + 1..];
    }
    plain.push_str(rest);
    assert_eq!(plain, render(Format::Tty));
}

#[test]
fn tty_never_shows_the_secret() {
    let out = render(Format::Tty);
    assert!(!out.contains("s3cr3t"));
    assert!(out.contains("API_TOKEN=************"));
}

#[test]
fn json() {
    let out = render(Format::Json);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed.as_array().unwrap().len(), findings().len());
    // `latest` follows `é`: byte 13, char column 13 - 1.
    assert_eq!(parsed[1]["column"], 12 + 1);
    insta::assert_snapshot!(out);
}

#[test]
fn sarif() {
    let out = render(Format::Sarif);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "plimsoll");
    assert_eq!(run["tool"]["driver"]["version"], "0.1.0");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings().len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // One descriptor per code that appears, each result pointing at its own.
    assert_eq!(rules.len(), 6);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
    let latest = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(latest["startColumn"], 13);
    assert_eq!(latest["endColumn"], 19);
    let fix = &results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["insertedContent"]["text"], "bookworm");
    insta::assert_snapshot!(out);
}

#[test]
fn checkstyle() {
    let out = render(Format::Checkstyle);
    let errors = xml_elements(&out, "error");
    assert_eq!(errors.len(), findings().len());
    // Attribute escaping round-trips.
    assert_eq!(errors[5]["message"], findings()[5].message);
    insta::assert_snapshot!(out);
}

#[test]
fn codeclimate() {
    let out = render(Format::Codeclimate);
    let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), findings().len());
    let mut prints: Vec<_> = issues.iter().map(|i| &i["fingerprint"]).collect();
    prints.dedup();
    assert_eq!(prints.len(), issues.len());
    insta::assert_snapshot!(out);
}

#[test]
fn junit() {
    let out = render(Format::Junit);
    assert_eq!(xml_elements(&out, "testsuite").len(), 2);
    let failures = xml_elements(&out, "failure");
    assert_eq!(failures.len(), findings().len());
    assert_eq!(failures[5]["message"], findings()[5].message);
    insta::assert_snapshot!(out);
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github));
}

#[test]
fn no_findings() {
    let mut all = String::new();
    for format in Format::ALL {
        let out = render_with(format, &[], false);
        match format {
            Format::Json | Format::Sarif | Format::Codeclimate => {
                serde_json::from_str::<serde_json::Value>(&out).unwrap();
            }
            Format::Checkstyle | Format::Junit => {
                xml_elements(&out, "none");
            }
            Format::Tty | Format::Github => {}
        }
        all.push_str(&format!("--- {format}\n{out}"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn findings_without_sources() {
    // Spans but no source text: positions are unknown, nothing panics.
    let mut out = Vec::new();
    let opts = ReportOptions {
        color: false,
        tool_version: "0.1.0",
    };
    let mut all = String::new();
    for format in Format::ALL {
        out.clear();
        write_report(&mut out, format, &findings()[1..3], &(), &|_| None, &opts).unwrap();
        all.push_str(&format!("--- {format}\n{}", String::from_utf8_lossy(&out)));
    }
    insta::assert_snapshot!(all);
}

/// Parses `xml` (failing on malformed input) and returns the unescaped
/// attributes of every `name` element.
fn xml_elements(xml: &str, name: &str) -> Vec<HashMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    let mut depth = 0i32;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let element = match &event {
            Event::Start(e) => {
                depth += 1;
                Some(e)
            }
            Event::Empty(e) => Some(e),
            Event::End(_) => {
                depth -= 1;
                None
            }
            Event::Eof => break,
            _ => None,
        };
        if let Some(e) = element
            && AsRef::<str>::as_ref(&e.name()) == name
        {
            found.push(
                e.attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            AsRef::<str>::as_ref(&a.key).to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("unescapes")
                                .into_owned(),
                        )
                    })
                    .collect(),
            );
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
    found
}

#[test]
fn any_span_renders_in_every_format() {
    // CRLF, multi-byte characters, a tab, no final newline: every span,
    // including ones inside characters and past the end, renders.
    let text = "FROM é\r\n\tRUN 日 \\\r\n  x";
    let sources = HashMap::from([("f".to_string(), SourceFile::new("f", text))]);
    let opts = ReportOptions {
        color: true,
        tool_version: "0",
    };
    let mut out = Vec::new();
    for start in 0..=text.len() + 1 {
        for end in 0..=text.len() + 1 {
            let span = Span::new(start, end);
            let finding = Finding::new("X", Severity::Error, "m", "f")
                .with_span(span)
                .with_redaction(Span::new(end, start + 2))
                .with_fix(Fix::safe("f", vec![Edit::replace(span, "y")]));
            for format in Format::ALL {
                out.clear();
                write_report(
                    &mut out,
                    format,
                    std::slice::from_ref(&finding),
                    &sources,
                    &rules,
                    &opts,
                )
                .unwrap();
                assert!(std::str::from_utf8(&out).is_ok());
            }
        }
    }
}

#[test]
fn tty_edge_cases() {
    // CRLF endings, a span over six lines (elided), an empty span at the
    // end of the text, a span that takes a line's newline, and a wide
    // character before a span.
    let text = "FROM a\r\nRUN a \\\r\n  b \\\r\n  c \\\r\n  d \\\r\n  e\r\nLABEL x=日本 y=1\r\n";
    let sources = HashMap::from([("f".to_string(), SourceFile::new("f", text))]);
    let at = |needle: &str| {
        let start = text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    let findings = vec![
        Finding::new("A", Severity::Error, "first line with its newline", "f")
            .with_span(at("FROM a\r\n")),
        Finding::new("B", Severity::Warning, "long", "f")
            .with_span(Span::new(at("RUN").start, at("  e").end)),
        Finding::new("C", Severity::Info, "after wide", "f").with_span(at("y=1")),
        Finding::new("D", Severity::Style, "at the end", "f").with_span(Span::empty(text.len())),
    ];
    let mut out = Vec::new();
    let opts = ReportOptions {
        color: false,
        tool_version: "0",
    };
    write_report(&mut out, Format::Tty, &findings, &sources, &|_| None, &opts).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}
