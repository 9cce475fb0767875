//! `plimsoll check`: find Dockerfiles, lint them in parallel, fix, report.

use crate::args::CheckArgs;
use crate::discover::walk;
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error_line};
use plimsoll_config::{
    ConfigCache, ConfigError, Discovered, FailureThreshold, LabelType, Layers, RuleSelector,
    Settings, SeverityOverride, load_file, map_hadolint_format, resolve,
};
use plimsoll_diagnostics::{Finding, RuleInfo, Severity, SourceFile};
use plimsoll_report::{Format, ReportOptions, mask_in, secret_strings, write_report};
use plimsoll_rules::{FixMode, LintOptions, Rule, RuleOptions, apply_fixes, lint};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// How many lint-and-fix rounds `--fix` runs at most (a fix can enable
/// another one, as in Ruff).
const MAX_FIX_ROUNDS: usize = 10;

enum Input {
    File { path: PathBuf, name: String },
    Stdin { name: String },
}

impl Input {
    fn name(&self) -> &str {
        match self {
            Input::File { name, .. } | Input::Stdin { name } => name,
        }
    }
}

/// What checking one input produced.
struct Checked {
    source: Option<SourceFile>,
    findings: Vec<Finding>,
    /// The input and the text after fixes, when they differ, with the
    /// secrets found in either.
    fixed: Option<(String, String, Vec<String>)>,
    fixes_applied: usize,
    error: Option<String>,
}

pub fn run(args: CheckArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(msg) => {
            error_line(msg);
            EXIT_ERROR
        }
    }
}

fn run_inner(args: CheckArgs) -> Result<u8, String> {
    let env = Settings::from_process_env().map_err(|e| e.to_string())?;
    let cli = cli_settings(&args)?;
    let explicit = match &args.config {
        Some(path) => Some(Discovered::explicit(
            load_file(path).map_err(|e| e.to_string())?,
        )),
        None => None,
    };
    let cache = ConfigCache::new();
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let settings_for = |dir: &Path| -> Result<Settings, ConfigError> {
        let files = match &explicit {
            Some(d) => Some(d.clone()),
            None => cache.discover(dir)?,
        };
        let mut layers = Layers {
            cli: cli.clone(),
            env: env.clone(),
            ..Layers::default()
        };
        if let Some(files) = &files {
            for f in files.files() {
                for w in &f.warnings {
                    warn_once(w);
                }
            }
            layers = layers.with_files(files);
        }
        Ok(resolve(layers))
    };
    let global = settings_for(&cwd).map_err(|e| e.to_string())?;
    validate_codes(&global)?;
    let format = parse_format(global.format.as_deref().unwrap_or("tty"))?;
    let fix_mode = if args.unsafe_fixes {
        Some(FixMode::Unsafe)
    } else if args.fix || args.diff {
        Some(FixMode::Safe)
    } else {
        None
    };

    let (inputs, mut had_error) = collect_inputs(&args)?;
    // With `--fix`, fixed stdin goes to stdout; the report then goes to
    // stderr so the two do not mix.
    let report_to_stderr =
        fix_mode.is_some() && !args.diff && inputs.iter().any(|i| matches!(i, Input::Stdin { .. }));
    let results: Vec<(Input, Checked)> = inputs
        .into_par_iter()
        .map(|input| {
            let dir = match &input {
                Input::File { path, .. } => path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| cwd.clone(), Path::to_path_buf),
                Input::Stdin { name } => Path::new(name)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| cwd.clone(), |p| cwd.join(p)),
            };
            let checked = match settings_for(&dir) {
                Ok(settings) => check_input(&input, &settings, fix_mode, args.context.as_deref()),
                Err(e) => Checked::error(e.to_string()),
            };
            (input, checked)
        })
        .collect();

    let mut findings = Vec::new();
    let mut sources = HashMap::new();
    let mut fixed_total = 0;
    let mut diff_out = String::new();
    for (input, checked) in results {
        if let Some(e) = checked.error {
            error_line(e);
            had_error = true;
            continue;
        }
        fixed_total += checked.fixes_applied;
        if let Some((original, fixed, secrets)) = &checked.fixed {
            if args.diff {
                let mut diff = unified_diff(input.name(), original, fixed);
                mask_in(&mut diff, secrets);
                diff_out.push_str(&diff);
            } else if let Err(e) = write_fixed(&input, fixed) {
                error_line(e);
                had_error = true;
            }
        }
        if let Some(src) = checked.source {
            sources.insert(input.name().to_string(), src);
        }
        findings.extend(checked.findings);
    }

    if args.diff {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(diff_out.as_bytes());
        let _ = out.flush();
        if had_error {
            return Ok(EXIT_ERROR);
        }
        return Ok(if diff_out.is_empty() {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        });
    }

    findings.sort_by(|a, b| {
        let la = location_key(a, &sources);
        let lb = location_key(b, &sources);
        (&a.file, la, &a.code).cmp(&(&b.file, lb, &b.code))
    });
    let color = !global.no_color.unwrap_or(false)
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let rule_info = crate::catalogue::info;
    let opts = ReportOptions {
        color,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut out: Box<dyn Write> = if report_to_stderr {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    if fix_mode.is_some() && fixed_total > 0 && format == Format::Tty {
        let _ = writeln!(
            out,
            "Fixed {fixed_total} problem{}.",
            if fixed_total == 1 { "" } else { "s" }
        );
    }
    if let Err(e) = write_report(&mut *out, format, &findings, &sources, &rule_info, &opts) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            error_line(format_args!("writing the report: {e}"));
        }
        return Ok(EXIT_ERROR);
    }
    let _ = out.flush();
    if had_error {
        return Ok(EXIT_ERROR);
    }
    let fails = findings.iter().any(|f| global.fails_on(f.severity));
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

impl Checked {
    fn error(msg: String) -> Self {
        Checked {
            source: None,
            findings: Vec::new(),
            fixed: None,
            fixes_applied: 0,
            error: Some(msg),
        }
    }
}

fn location_key(f: &Finding, sources: &HashMap<String, SourceFile>) -> (usize, usize) {
    match (f.span, sources.get(&f.file)) {
        (Some(span), Some(src)) => {
            let l = src.location(span.start);
            (l.line, l.column)
        }
        _ => (0, 0),
    }
}

fn check_input(
    input: &Input,
    settings: &Settings,
    fix_mode: Option<FixMode>,
    context: Option<&Path>,
) -> Checked {
    let name = input.name();
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => return Checked::error(format!("{name}: {e}")),
    };
    let mut df = match plimsoll_syntax::parse(&bytes) {
        Ok(df) => df,
        Err(e) => return Checked::error(format!("{name}: {e}")),
    };
    let path = match input {
        Input::File { path, .. } => path.clone(),
        Input::Stdin { name } => PathBuf::from(name),
    };
    let selector = RuleSelector::new(settings).for_path(&path);
    let severity_of = |info: &RuleInfo, enabled: bool| {
        selector.effective_severity(info.code, info.aliases, enabled, info.severity)
    };
    let select = |rule: &'static dyn Rule| severity_of(rule.info(), rule.default_enabled());
    let opts = LintOptions {
        rules: rule_options(settings),
        select: &select,
        disable_ignore_pragma: settings.disable_ignore_pragma.unwrap_or(false),
    };
    let original = df.text.clone();
    let mut findings = lint(&df, name, &opts);
    let original_secrets: Vec<_> = findings.iter().flat_map(|f| f.redact.clone()).collect();
    let mut fixes_applied = 0;
    if let Some(mode) = fix_mode {
        for _ in 0..MAX_FIX_ROUNDS {
            let (text, n) = apply_fixes(&df.text, &findings, mode);
            if n == 0 || text == df.text {
                break;
            }
            fixes_applied += n;
            df = plimsoll_syntax::parse_str(&text);
            findings = lint(&df, name, &opts);
        }
    }
    let source = SourceFile::new(name, df.text.as_str());
    if let Input::File { path, .. } = input {
        match context_findings(name, path, context, &df, &severity_of) {
            Ok(mut more) => {
                plimsoll_rules::apply_suppressions(&df, &mut more);
                findings.extend(more);
                drop_name_only_copy_findings(&mut findings);
            }
            Err(e) => return Checked::error(e),
        }
    }
    // Secrets found in the input are masked in the diff of its fixes;
    // those of the final text in every finding shown.
    let secrets_before = secret_strings(&original, &original_secrets);
    plimsoll_report::mask_secrets(&df.text, &mut findings);
    let fixed = (df.text != original).then(|| {
        let mut secrets = secrets_before;
        secrets.extend(secret_strings(
            &df.text,
            &findings
                .iter()
                .flat_map(|f| f.redact.clone())
                .collect::<Vec<_>>(),
        ));
        (original, df.text, secrets)
    });
    Checked {
        source: Some(source),
        findings,
        fixed,
        fixes_applied,
        error: None,
    }
}

/// PL1204 judges a COPY source by its name; where PL2002 read the files
/// the same source sends, its finding says more, and PL1204's goes.
fn drop_name_only_copy_findings(findings: &mut Vec<plimsoll_diagnostics::Finding>) {
    let read: Vec<_> = findings
        .iter()
        .filter(|f| f.code == plimsoll_context::SECRETS_COPIED)
        .filter_map(|f| f.span)
        .collect();
    findings.retain(|f| {
        f.code != "PL1204"
            || !f
                .span
                .is_some_and(|s| read.iter().any(|r| r.start < s.end && s.start < r.end))
    });
}

fn read_input(input: &Input) -> std::io::Result<Vec<u8>> {
    match input {
        Input::File { path, .. } => std::fs::read(path),
        Input::Stdin { .. } => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

fn write_fixed(input: &Input, fixed: &str) -> Result<(), String> {
    match input {
        Input::File { path, name } => {
            std::fs::write(path, fixed).map_err(|e| format!("{name}: writing fixes: {e}"))
        }
        // Fixed stdin goes to stdout, as Ruff does; the report goes to
        // stderr then.
        Input::Stdin { .. } => {
            let mut out = std::io::stdout().lock();
            out.write_all(fixed.as_bytes())
                .map_err(|e| format!("writing fixed stdin: {e}"))
        }
    }
}

fn collect_inputs(args: &CheckArgs) -> Result<(Vec<Input>, bool), String> {
    let mut inputs = Vec::new();
    let mut had_error = false;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut stdin_seen = false;
    for p in paths {
        if p.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin_seen, true) {
                inputs.push(Input::Stdin {
                    name: args.stdin_filename.clone().unwrap_or_else(|| "-".into()),
                });
            }
            continue;
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                let (files, errors) = walk(&p);
                for e in errors {
                    error_line(e);
                    had_error = true;
                }
                inputs.extend(files.into_iter().map(|path| Input::File {
                    name: display_path(&path),
                    path,
                }));
            }
            Ok(_) => inputs.push(Input::File {
                name: display_path(&p),
                path: p,
            }),
            Err(e) => {
                error_line(format_args!("{}: {e}", p.display()));
                had_error = true;
            }
        }
    }
    Ok((inputs, had_error))
}

/// Paths as the user sees them: without a leading `./`.
fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

fn parse_format(name: &str) -> Result<Format, String> {
    let mapped = map_hadolint_format(name).unwrap_or_else(|| name.to_string());
    let mapped = match mapped.as_str() {
        "gitlab-codeclimate" => "codeclimate".to_string(),
        _ => mapped,
    };
    mapped.parse::<Format>().map_err(|e| e.to_string())
}

fn rule_options(settings: &Settings) -> RuleOptions {
    RuleOptions {
        trusted_registries: settings.trusted_registries.clone().unwrap_or_default(),
        label_schema: settings.label_schema.clone(),
        strict_labels: settings.strict_labels.unwrap_or(false),
    }
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
            if !names_a_rule(code) {
                return Err(format!(
                    "{what}: `{code}` is not a rule code, prefix or name (`plimsoll rules` lists them)"
                ));
            }
        }
    }
    for code in settings.severity.keys() {
        if !names_a_rule(code) {
            return Err(format!(
                "severity override: `{code}` is not a rule code or prefix"
            ));
        }
    }
    Ok(())
}

fn names_a_rule(code: &str) -> bool {
    // ShellCheck codes (SC…) are kept for hadolint configs even before a
    // rule carries them.
    code == "ALL"
        || code.starts_with("SC")
        || plimsoll_rules::all_rules().iter().any(|r| {
            let i = r.info();
            i.code.starts_with(code) || i.aliases.contains(&code) || i.name == code
        })
}

fn cli_settings(args: &CheckArgs) -> Result<Settings, String> {
    let mut s = Settings::default();
    if !args.select.is_empty() {
        s.select = Some(args.select.clone());
    }
    if !args.extend_select.is_empty() {
        s.extend_select = Some(args.extend_select.clone());
    }
    if !args.ignore.is_empty() {
        s.ignore = Some(args.ignore.clone());
    }
    for (codes, sev) in [
        (&args.as_error, Severity::Error),
        (&args.as_warning, Severity::Warning),
        (&args.as_info, Severity::Info),
        (&args.as_style, Severity::Style),
    ] {
        for c in codes {
            s.severity
                .insert(c.clone(), SeverityOverride::Severity(sev));
        }
    }
    if let Some(t) = &args.failure_threshold {
        s.failure_threshold = Some(
            t.parse::<FailureThreshold>()
                .map_err(|e| format!("--failure-threshold: {e}"))?,
        );
    }
    if args.no_fail {
        s.no_fail = Some(true);
    }
    if args.no_color {
        s.no_color = Some(true);
    }
    if args.strict_labels {
        s.strict_labels = Some(true);
    }
    if args.disable_ignore_pragma {
        s.disable_ignore_pragma = Some(true);
    }
    if !args.trusted_registries.is_empty() {
        s.trusted_registries = Some(args.trusted_registries.clone());
    }
    for spec in &args.require_labels {
        let (label, kind) = spec
            .rsplit_once(':')
            .ok_or_else(|| format!("--require-label: `{spec}` is not LABEL:FORMAT"))?;
        let kind: LabelType = kind.parse().map_err(|e| format!("--require-label: {e}"))?;
        s.label_schema.insert(label.to_string(), kind);
    }
    if let Some(f) = &args.format {
        s.format = Some(f.clone());
    }
    Ok(s)
}

fn warn_once(msg: &str) {
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| Mutex::new(Vec::new()));
    let Ok(mut seen) = seen.lock() else { return };
    if !seen.iter().any(|s| s == msg) {
        seen.push(msg.to_string());
        let _ = writeln!(std::io::stderr(), "plimsoll: warning: {msg}");
    }
}

fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

/// The build-context checks (PL2xxx, CopyIgnoredFile) of one Dockerfile.
/// Without `--context`, the Dockerfile's directory is taken as its
/// context only when it evidently is one; otherwise they stay quiet rather
/// than report every source as missing.
fn context_findings(
    name: &str,
    dockerfile: &Path,
    explicit: Option<&Path>,
    df: &plimsoll_syntax::Dockerfile,
    severity_of: &dyn Fn(&RuleInfo, bool) -> Option<Severity>,
) -> Result<Vec<Finding>, String> {
    if !plimsoll_context::RULES
        .iter()
        .any(|r| severity_of(r, true).is_some())
    {
        return Ok(Vec::new());
    }
    let model = plimsoll_model::SemanticModel::new(df);
    let dir = match explicit {
        Some(d) => d.to_path_buf(),
        None => {
            let dir = dockerfile
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !evidently_context(dir, dockerfile, &model) {
                return Ok(Vec::new());
            }
            dir.to_path_buf()
        }
    };
    let bc = plimsoll_context::BuildContext::open(&dir, dockerfile)
        .map_err(|e| format!("{name}: build context {}: {e}", dir.display()))?;
    let copies = plimsoll_context::resolve_copies(&model, &bc.context, bc.ignore.as_ref());
    let check = plimsoll_context::ContextCheck {
        file: name,
        model: &model,
        context: &bc.context,
        ignore: bc.ignore.as_ref(),
        copies: &copies,
    };
    let mut out = Vec::new();
    for mut f in check.run_all() {
        let Some(info) = plimsoll_context::RULES.iter().find(|r| r.code == f.code) else {
            continue;
        };
        if let Some(sev) = severity_of(info, true) {
            f.severity = sev;
            out.push(f);
        }
    }
    Ok(out)
}

/// A directory is evidently a Dockerfile's context when it holds a
/// `.dockerignore` (or `<Dockerfile>.dockerignore`), or a file or directory
/// that a COPY/ADD names literally.
fn evidently_context(
    dir: &Path,
    dockerfile: &Path,
    model: &plimsoll_model::SemanticModel<'_>,
) -> bool {
    if dir.join(".dockerignore").is_file() {
        return true;
    }
    if let Some(file_name) = dockerfile.file_name() {
        let mut own = file_name.to_os_string();
        own.push(".dockerignore");
        if dir.join(own).is_file() {
            return true;
        }
    }
    model
        .dockerfile
        .instructions
        .iter()
        .enumerate()
        .any(|(i, ins)| {
            matches!(
                ins.keyword,
                plimsoll_syntax::Keyword::Copy | plimsoll_syntax::Keyword::Add
            ) && ins.flag("from").is_none()
                && ins.args.len() > 1
                && ins.args[..ins.args.len() - 1].iter().any(|w| {
                    model.resolve(i, &w.value).is_some_and(|src| {
                        let src = src.trim_start_matches('/');
                        !src.is_empty()
                            && src != "."
                            && !src.contains(['*', '?', '['])
                            && !src.contains("://")
                            && !src.starts_with("<<")
                            && dir.join(src).exists()
                    })
                })
        })
}
