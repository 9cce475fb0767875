//! `plimsoll rule`, `plimsoll rules` and `plimsoll debug`.

use crate::args::ListFormat;
use crate::catalogue;
use crate::{EXIT_ERROR, EXIT_OK, error_line};
use plimsoll_rules::render_docs;
use std::io::Write;
use std::path::Path;

pub fn rule(code: &str) -> u8 {
    // A BuildKit name can stand for several rules
    // (MultipleInstructionsDisallowed): print each.
    let matching = catalogue::matching(code);
    if matching.is_empty() {
        error_line(format_args!(
            "unknown rule `{code}`; `plimsoll rules` lists them all"
        ));
        return EXIT_ERROR;
    }
    let mut out = anstream::stdout().lock();
    for (n, rule) in matching.into_iter().enumerate() {
        if n > 0 {
            let _ = out.write_all(b"\n---\n\n");
        }
        let _ = out.write_all(rule_doc(rule).as_bytes());
    }
    EXIT_OK
}

fn rule_doc(rule: &catalogue::Entry) -> String {
    let info = rule.info;
    let mut text = format!("# {} ({})\n\n", info.name, info.code);
    text.push_str(&format!("{}\n\n", info.summary));
    text.push_str(&format!("Default severity: {}", info.severity));
    if !rule.default_enabled {
        text.push_str(" (off by default; enable with `--extend-select`)");
    }
    text.push('\n');
    if !info.aliases.is_empty() {
        text.push_str(&format!("Also known as: {}\n", info.aliases.join(", ")));
    }
    text.push_str(&format!(
        "Fix: {}\n",
        if info.fixable { "available" } else { "none" }
    ));
    if let Some(url) = info.url {
        text.push_str(&format!("Upstream: {url}\n"));
    }
    text.push('\n');
    text.push_str(&render_docs(info));
    text.push('\n');
    text
}

pub fn rules(format: ListFormat) -> u8 {
    let mut out = anstream::stdout().lock();
    let rules = catalogue::all();
    let text = match format {
        ListFormat::Text => {
            let mut s = String::new();
            for r in rules {
                let i = r.info;
                s.push_str(&format!(
                    "{:<34} {:<40} {:<8} {}{}\n",
                    i.code,
                    i.name,
                    i.severity,
                    if i.fixable { "fix" } else { "-" },
                    if r.default_enabled {
                        ""
                    } else {
                        " (off by default)"
                    },
                ));
            }
            s
        }
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    let i = r.info;
                    serde_json::json!({
                        "code": i.code,
                        "name": i.name,
                        "aliases": i.aliases,
                        "severity": i.severity,
                        "summary": i.summary,
                        "fixable": i.fixable,
                        "default_enabled": r.default_enabled,
                        "url": i.url,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Markdown => markdown_table(),
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_OK
}

/// The README's rule table.
pub fn markdown_table() -> String {
    let mut s = String::from("| Code | Name | Severity | Fix | Summary |\n|---|---|---|---|---|\n");
    for r in catalogue::all() {
        let i = r.info;
        let mut code = i.code.to_string();
        if !i.aliases.is_empty() {
            code.push_str(&format!(" ({})", i.aliases.join(", ")));
        }
        let sev = if r.default_enabled {
            i.severity.to_string()
        } else {
            format!("{} (off)", i.severity)
        };
        s.push_str(&format!(
            "| {code} | `{}` | {sev} | {} | {} |\n",
            i.name,
            if i.fixable { "yes" } else { "" },
            i.summary.replace('|', "\\|"),
        ));
    }
    s
}

pub fn buildkit_ast(file: &Path) -> u8 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            error_line(format_args!("{}: {e}", file.display()));
            return EXIT_ERROR;
        }
    };
    let df = match plimsoll_syntax::parse(&bytes) {
        Ok(df) => df,
        Err(e) => {
            error_line(format_args!("{}: {e}", file.display()));
            return EXIT_ERROR;
        }
    };
    match plimsoll_syntax::buildkit_dump(&df) {
        Ok(dump) => {
            let _ = std::io::stdout().lock().write_all(dump.as_bytes());
            EXIT_OK
        }
        Err(e) => {
            error_line(format_args!("{}: {e}", file.display()));
            EXIT_ERROR
        }
    }
}
