//! `plimsoll image`: analyse built images.

use crate::args::ImageArgs;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error_line};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use plimsoll_config::{
    ConfigCache, Discovered, FailureThreshold, ImageSettings, Layers, RuleSelector, Settings,
    load_file, resolve,
};
use plimsoll_diagnostics::Finding;
use plimsoll_image::{
    CheckOptions, CiRules, Depth, Inspection, Limits, OpenOptions, Package, Platform, Progress,
    RegistryOptions, format_size, inspect_with, parse_size,
};
use plimsoll_report::{Format, ReportOptions, write_report};
use serde_json::{Value, json};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub fn run(args: ImageArgs) -> u8 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(msg) => {
            error_line(msg);
            EXIT_ERROR
        }
    }
}

/// Where the SBOM goes.
enum SbomTarget {
    Stdout,
    File(PathBuf),
}

fn run_inner(args: &ImageArgs) -> Result<u8, String> {
    let format: Format = args.format.parse().map_err(|e| format!("{e}"))?;
    let layers = config_layers(args)?;
    let settings = resolve(layers.clone());
    validate_codes(&settings)?;
    let selector = RuleSelector::new(&settings);
    let threshold: FailureThreshold = match &args.failure_threshold {
        Some(t) => t.parse().map_err(|e| format!("--failure-threshold: {e}"))?,
        None => settings.failure_threshold.unwrap_or_default(),
    };
    let no_fail = args.no_fail || settings.no_fail.unwrap_or(false);
    let sbom = match args.sbom.as_deref() {
        None => None,
        Some(spec) => {
            let (kind, file) = match spec.split_once('=') {
                Some((k, f)) => (k, Some(f)),
                None => (spec, None),
            };
            if !kind.eq_ignore_ascii_case("cyclonedx") {
                return Err(format!(
                    "--sbom: unknown format `{kind}` (expected cyclonedx or cyclonedx=FILE)"
                ));
            }
            Some(match file {
                Some("") => return Err("--sbom: an empty file name".into()),
                Some(_) if args.images.len() > 1 => {
                    return Err(format!(
                        "--sbom {spec}: one file takes one image; give one image at a time"
                    ));
                }
                Some(f) => SbomTarget::File(PathBuf::from(f)),
                None => SbomTarget::Stdout,
            })
        }
    };
    let mut limits = Limits::default();
    if let Some(size) = &args.max_layer_size {
        limits.max_layer_bytes = parse_size(size).map_err(|e| format!("--max-layer-size: {e}"))?;
    }
    if let Some(n) = args.max_layer_files {
        limits.max_layer_entries = n;
    }
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
        limits,
    };
    let checks = CheckOptions {
        ci: ci_rules(args, &layers)?,
        depth: if args.layers_only {
            Depth::Headers
        } else {
            Depth::Contents
        },
        ..CheckOptions::default()
    };

    let mut had_error = false;
    let mut inspections = Vec::new();
    for reference in &args.images {
        let bar = progress_bar(reference);
        let progress = |p: Progress| match p {
            Progress::Opened { layers, .. } => {
                bar.set_style(bar_style());
                bar.set_length(layers as u64);
            }
            Progress::LayerRead { .. } => bar.inc(1),
        };
        let result = inspect_with(reference, &open, &checks, &progress);
        bar.finish_and_clear();
        match result {
            Ok(mut i) => {
                i.findings = select(i.findings, &selector);
                inspections.push(i);
            }
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

    if let Some(SbomTarget::File(path)) = &sbom
        && let Some(i) = inspections.first()
    {
        let doc = sbom_document(i);
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        std::fs::write(path, text).map_err(|e| format!("--sbom: {}: {e}", path.display()))?;
    }

    let mut out = std::io::stdout().lock();
    let written = if matches!(sbom, Some(SbomTarget::Stdout)) {
        let docs: Vec<Value> = inspections.iter().map(sbom_document).collect();
        write_json(&mut out, docs)
    } else if args.analysis {
        let list: Vec<Value> = inspections
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
                if i.depth == Depth::Headers {
                    // No content hashes: unknown, not none.
                    entry["analysis"]["duplicates"] = Value::Null;
                }
                if let Some(r) = registry {
                    entry["signature"] = serde_json::to_value(&r.signature).unwrap_or_default();
                }
                if args.packages {
                    entry["packages"] = json!(i.packages);
                }
                entry
            })
            .collect();
        let text = serde_json::to_string_pretty(&list).unwrap_or_default();
        writeln!(out, "{text}")
    } else if format == Format::Json {
        let docs: Vec<Value> = inspections
            .iter()
            .map(|i| image_json(i, args.packages))
            .collect();
        write_json(&mut out, docs)
    } else {
        if format == Format::Tty {
            for i in &inspections {
                let _ = out.write_all(breakdown(i, args.top).as_bytes());
                if args.packages {
                    let _ = out.write_all(package_table(&i.packages).as_bytes());
                }
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
        write_report(&mut out, format, &findings, &(), &rule_info, &opts)
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            error_line(format_args!("writing the report: {e}"));
        }
        return Ok(EXIT_ERROR);
    }
    let _ = out.flush();
    if had_error {
        return Ok(EXIT_ERROR);
    }
    let fails = !no_fail
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

/// One image: the object; several: an array of them.
fn write_json(out: &mut impl Write, mut docs: Vec<Value>) -> std::io::Result<()> {
    let value = if docs.len() == 1 {
        docs.remove(0)
    } else {
        Value::Array(docs)
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    writeln!(out, "{text}")
}

fn sbom_document(i: &Inspection) -> Value {
    plimsoll_image::sbom::cyclonedx(&i.image, &i.packages, env!("CARGO_PKG_VERSION"))
}

/// What stderr shows while an image is read, only when stderr is a
/// terminal that can redraw a line (not `TERM=dumb`): a spinner while the
/// image is resolved (a registry's manifest, an archive's index), then,
/// once the layer count is known, a bar of the layers read
/// ([`bar_style`]). Cleared before the report is written.
fn progress_bar(reference: &str) -> ProgressBar {
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if dumb || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: opening {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(reference.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The bar once the number of layers is known.
fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} layers {elapsed}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// The configuration layers: the command line, the environment, and the
/// `.plimsoll.toml` found from the current directory (or `--config`).
fn config_layers(args: &ImageArgs) -> Result<Layers, String> {
    let env = Settings::from_process_env().map_err(|e| e.to_string())?;
    let files = match &args.config {
        Some(path) => Some(Discovered::explicit(
            load_file(path).map_err(|e| e.to_string())?,
        )),
        None => {
            let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
            ConfigCache::new()
                .discover(&cwd)
                .map_err(|e| e.to_string())?
        }
    };
    let mut cli = Settings::default();
    if !args.select.is_empty() {
        cli.select = Some(args.select.clone());
    }
    if !args.extend_select.is_empty() {
        cli.extend_select = Some(args.extend_select.clone());
    }
    if !args.ignore.is_empty() {
        cli.ignore = Some(args.ignore.clone());
    }
    cli.image = ImageSettings {
        lowest_efficiency: args.lowest_efficiency.clone(),
        highest_wasted_bytes: args.highest_wasted_bytes.clone(),
        highest_user_wasted_percent: args.highest_user_wasted_percent.clone(),
    };
    let mut layers = Layers {
        cli,
        env,
        ..Layers::default()
    };
    if let Some(files) = &files {
        layers = layers.with_files(files);
    }
    Ok(layers)
}

/// Codes named in selections must name a rule (or a prefix of one).
fn validate_codes(settings: &Settings) -> Result<(), String> {
    let lists = [
        ("--select", settings.select.as_deref().unwrap_or_default()),
        (
            "--extend-select",
            settings.extend_select.as_deref().unwrap_or_default(),
        ),
        ("--ignore", settings.ignore.as_deref().unwrap_or_default()),
    ];
    for (what, list) in lists {
        for code in list {
            let known = code == "ALL"
                || code.starts_with("SC")
                || crate::catalogue::all().iter().any(|e| {
                    let i = e.info;
                    i.code.starts_with(code.as_str())
                        || i.aliases.contains(&code.as_str())
                        || i.name == code
                });
            if !known {
                return Err(format!(
                    "{what}: `{code}` is not a rule code, prefix or name (`plimsoll rules` lists them)"
                ));
            }
        }
    }
    Ok(())
}

/// Keep the findings of selected rules, at their configured severity.
fn select(findings: Vec<Finding>, selector: &RuleSelector) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            let aliases = plimsoll_image::find_rule(&f.code)
                .map(|r| r.aliases)
                .unwrap_or_default();
            f.severity = selector.effective_severity(&f.code, aliases, true, f.severity)?;
            Some(f)
        })
        .collect()
}

/// dive's CI rules, each threshold from the highest layer that sets it:
/// command line > environment (`PLIMSOLL_IMAGE_*`) > `.plimsoll.toml`
/// `[image]` > the `.dive-ci` file (explicit, or `.dive-ci` here) >
/// dive's defaults.
fn ci_rules(args: &ImageArgs, layers: &Layers) -> Result<CiRules, String> {
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
    let toml = layers
        .plimsoll
        .as_ref()
        .map(|s| s.image.clone())
        .unwrap_or_default();
    // How an error names the value: (flag, variable) → where it was set.
    type Namer = fn(&str, &str) -> String;
    let sources: [(ImageSettings, Namer); 3] = [
        (toml, |flag, _| format!(".plimsoll.toml [image] {flag}")),
        (layers.env.image.clone(), |_, var| {
            format!("PLIMSOLL_IMAGE_{var}")
        }),
        (layers.cli.image.clone(), |flag, _| format!("--{flag}")),
    ];
    for (image, name) in sources {
        if let Some(v) = &image.lowest_efficiency {
            rules.lowest_efficiency = ratio(&name("lowest-efficiency", "LOWEST_EFFICIENCY"), v)?;
        }
        if let Some(v) = &image.highest_user_wasted_percent {
            let origin = name("highest-user-wasted-percent", "HIGHEST_USER_WASTED_PERCENT");
            rules.highest_user_wasted_percent = ratio(&origin, v)?;
        }
        if let Some(v) = &image.highest_wasted_bytes {
            rules.highest_wasted_bytes = if v.trim().eq_ignore_ascii_case("disabled") {
                None
            } else {
                let origin = name("highest-wasted-bytes", "HIGHEST_WASTED_BYTES");
                Some(parse_size(v).map_err(|e| format!("{origin}: {e}"))?)
            };
        }
    }
    Ok(rules)
}

fn ratio(origin: &str, v: &str) -> Result<Option<f64>, String> {
    if v.trim().eq_ignore_ascii_case("disabled") {
        return Ok(None);
    }
    let r: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("{origin}: `{v}` is not a number between 0 and 1"))?;
    if !(0.0..=1.0).contains(&r) {
        return Err(format!("{origin}: `{v}` is not between 0 and 1"));
    }
    Ok(Some(r))
}

/// `--format json`: what a script needs about one image.
fn image_json(i: &Inspection, packages: bool) -> Value {
    let a = &i.analysis;
    let layers: Vec<Value> = a
        .layers
        .iter()
        .map(|l| {
            json!({
                "digest": l.digest.to_string(),
                "diff_id": l.diff_id.to_string(),
                "size": l.compressed_size,
                "uncompressed_size": l.uncompressed_size,
                "created_by": l.created_by,
                "files": l.file_count,
                "verified": l.verified,
            })
        })
        .collect();
    let findings: Vec<Value> = i
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "layer": f.layer,
                "path": f.path,
            })
        })
        .collect();
    let mut v = json!({
        "reference": i.image.reference,
        "digest": i.image.manifest_digest.as_ref().map(ToString::to_string),
        "config_digest": i.image.config_digest.to_string(),
        "layers": layers,
        "total_size": a.totals.compressed_size,
        "total_uncompressed_size": a.totals.uncompressed_size,
        "wasted_bytes": a.waste.wasted_bytes,
        // Unknown without content hashes.
        "duplicate_bytes": (i.depth == Depth::Contents).then_some(a.duplicates.duplicate_bytes),
        "efficiency": a.efficiency,
        "findings": findings,
    });
    if packages {
        v["packages"] = json!(i.packages);
    }
    v
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
    let duplicated = match i.depth {
        Depth::Contents => format_size(a.duplicates.duplicate_bytes),
        // No content hashes to compare.
        Depth::Headers => "unknown (--layers-only)".to_string(),
    };
    s.push_str(&format!(
        "  efficiency {:.2}%   wasted {} in {} files   duplicated {duplicated}   user wasted {:.2}%\n",
        a.efficiency * 100.0,
        format_size(a.waste.wasted_bytes),
        a.waste.wasted_files,
        a.user_wasted_ratio * 100.0
    ));
    let wasted = a.waste.top(top);
    if !wasted.is_empty() {
        s.push_str("  largest wasted files:\n");
        for r in wasted {
            s.push_str(&format!(
                "    {:>10}  {}  (layer {} → {} in layer {})\n",
                format_size(r.size),
                plimsoll_image::paths::display(&r.path),
                r.added_in + 1,
                r.reason.verb(),
                r.removed_in + 1
            ));
        }
    }
    s.push('\n');
    s
}

/// `--packages` in the terminal.
fn package_table(packages: &[Package]) -> String {
    let mut s = format!("  {} packages\n", packages.len());
    if packages.is_empty() {
        s.push('\n');
        return s;
    }
    let width = packages
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let vwidth = packages
        .iter()
        .map(|p| p.version.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    for p in packages {
        s.push_str(&format!(
            "  {:<4}  {:<width$}  {:<vwidth$}  {}\n",
            p.ecosystem.as_str(),
            p.name,
            p.version,
            p.path
        ));
    }
    s.push('\n');
    s
}
