//! `plimsoll image`: analyse built images.

use crate::args::ImageArgs;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error_line};
use plimsoll_config::FailureThreshold;
use plimsoll_image::{
    CheckOptions, CiRules, Inspection, OpenOptions, Platform, RegistryOptions, format_size,
    inspect, parse_size,
};
use plimsoll_report::{Format, ReportOptions, write_report};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn run(args: ImageArgs) -> u8 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(msg) => {
            error_line(msg);
            EXIT_ERROR
        }
    }
}

fn run_inner(args: &ImageArgs) -> Result<u8, String> {
    let format: Format = args.format.parse().map_err(|e| format!("{e}"))?;
    let threshold: FailureThreshold = match &args.failure_threshold {
        Some(t) => t.parse().map_err(|e| format!("--failure-threshold: {e}"))?,
        None => FailureThreshold::default(),
    };
    let open = OpenOptions {
        platform: match &args.platform {
            Some(p) => Some(
                Platform::parse(p)
                    .ok_or_else(|| format!("--platform: `{p}` is not OS/ARCH[/VARIANT]"))?,
            ),
            None => None,
        },
        registry: RegistryOptions {
            insecure: args.insecure_registry.clone(),
            ca_certs: args.ca_cert.clone(),
            connect_timeout: seconds("--connect-timeout", args.connect_timeout)?,
            read_timeout: seconds("--timeout", args.timeout)?,
            ..RegistryOptions::default()
        },
    };
    let checks = CheckOptions {
        ci: ci_rules(args)?,
        ..CheckOptions::default()
    };

    let mut had_error = false;
    let mut inspections = Vec::new();
    for reference in &args.images {
        match inspect(reference, &open, &checks) {
            Ok(i) => inspections.push(i),
            Err(e) => {
                let e = e.to_string();
                if e.starts_with(reference.as_str()) {
                    error_line(e);
                } else {
                    error_line(format_args!("{reference}: {e}"));
                }
                had_error = true;
            }
        }
    }

    let mut out = std::io::stdout().lock();
    if args.analysis {
        let list: Vec<_> = inspections
            .iter()
            .map(|i| {
                let registry = i.image.registry();
                let digest = registry
                    .as_ref()
                    .map(|r| r.digest.clone())
                    .or_else(|| i.image.manifest_digest.clone());
                let mut entry = serde_json::json!({
                    "reference": i.image.reference,
                    "digest": digest,
                    "manifest_digest": i.image.manifest_digest,
                    "platform": i.image.platform.as_ref().map(ToString::to_string),
                    "analysis": i.analysis,
                });
                if let Some(r) = registry {
                    entry["signature"] = serde_json::to_value(&r.signature).unwrap_or_default();
                }
                entry
            })
            .collect();
        let text = serde_json::to_string_pretty(&list).unwrap_or_default();
        let _ = writeln!(out, "{text}");
    } else {
        if format == Format::Tty {
            for i in &inspections {
                let _ = out.write_all(breakdown(i, args.top).as_bytes());
            }
        }
        let findings: Vec<_> = inspections
            .iter()
            .flat_map(|i| i.findings.iter().cloned())
            .collect();
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stdout().is_terminal();
        let rule_info = crate::catalogue::info;
        let opts = ReportOptions {
            color,
            tool_version: env!("CARGO_PKG_VERSION"),
        };
        if let Err(e) = write_report(&mut out, format, &findings, &(), &rule_info, &opts) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                error_line(format_args!("writing the report: {e}"));
            }
            return Ok(EXIT_ERROR);
        }
    }
    let _ = out.flush();
    if had_error {
        return Ok(EXIT_ERROR);
    }
    let fails = !args.no_fail
        && inspections
            .iter()
            .flat_map(|i| &i.findings)
            .any(|f| threshold.fails_on(f.severity));
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

fn seconds(flag: &str, value: f64) -> Result<std::time::Duration, String> {
    if !(value.is_finite() && value > 0.0 && value < 86_400.0) {
        return Err(format!(
            "{flag}: `{value}` is not a number of seconds above 0"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(value))
}

/// dive's CI rules: the file (explicit, or `.dive-ci` here), then the
/// command-line thresholds over it.
fn ci_rules(args: &ImageArgs) -> Result<CiRules, String> {
    let file = match &args.ci_config {
        Some(p) => Some(p.as_path()),
        None => Some(Path::new(".dive-ci")).filter(|p| p.is_file()),
    };
    let mut rules = match file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            CiRules::from_dive_ci(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => CiRules::default(),
    };
    let ratio = |flag: &str, v: &str| -> Result<Option<f64>, String> {
        if v.eq_ignore_ascii_case("disabled") {
            return Ok(None);
        }
        let r: f64 = v
            .trim()
            .parse()
            .map_err(|_| format!("{flag}: `{v}` is not a number between 0 and 1"))?;
        if !(0.0..=1.0).contains(&r) {
            return Err(format!("{flag}: `{v}` is not between 0 and 1"));
        }
        Ok(Some(r))
    };
    if let Some(v) = &args.lowest_efficiency {
        rules.lowest_efficiency = ratio("--lowest-efficiency", v)?;
    }
    if let Some(v) = &args.highest_user_wasted_percent {
        rules.highest_user_wasted_percent = ratio("--highest-user-wasted-percent", v)?;
    }
    if let Some(v) = &args.highest_wasted_bytes {
        rules.highest_wasted_bytes = if v.eq_ignore_ascii_case("disabled") {
            None
        } else {
            Some(parse_size(v).map_err(|e| format!("--highest-wasted-bytes: {e}"))?)
        };
    }
    Ok(rules)
}

/// The human view: layers with their sizes and commands, then waste.
fn breakdown(i: &Inspection, top: usize) -> String {
    let a = &i.analysis;
    let mut s = match i.image.registry() {
        Some(r) => format!("{}  {}\n", i.image.reference, r.digest),
        None => format!("{}\n", i.image.reference),
    };
    s.push_str(&format!(
        "  {:>5}  {:>10}  {:>10}  {:>7}  {}\n",
        "layer", "compressed", "size", "files", "created by"
    ));
    for l in &a.layers {
        let created = l
            .created_by
            .as_deref()
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let created: String = created.chars().take(70).collect();
        s.push_str(&format!(
            "  {:>5}  {:>10}  {:>10}  {:>7}  {}\n",
            l.index + 1,
            format_size(l.compressed_size),
            format_size(l.uncompressed_size),
            l.file_count,
            created
        ));
    }
    let t = &a.totals;
    s.push_str(&format!(
        "  total  {:>10}  {:>10}  {:>7}\n\n",
        format_size(t.compressed_size),
        format_size(t.uncompressed_size),
        t.final_files
    ));
    s.push_str(&format!(
        "  efficiency {:.2}%   wasted {} in {} files   duplicated {}   user wasted {:.2}%\n",
        a.efficiency * 100.0,
        format_size(a.waste.wasted_bytes),
        a.waste.wasted_files,
        format_size(a.duplicates.duplicate_bytes),
        a.user_wasted_ratio * 100.0
    ));
    let wasted = a.waste.top(top);
    if !wasted.is_empty() {
        s.push_str("  largest wasted files:\n");
        for r in wasted {
            s.push_str(&format!(
                "    {:>10}  {}  (layer {} → {} in layer {})\n",
                format_size(r.size),
                r.path,
                r.added_in + 1,
                r.reason.verb(),
                r.removed_in + 1
            ));
        }
    }
    s.push('\n');
    s
}
