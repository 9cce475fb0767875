//! `plimsoll check`: find Dockerfiles, compose files and Kubernetes
//! manifests, lint them in parallel, fix, report.

use crate::args::CheckArgs;
use crate::discover::walk;
use crate::runtime::{YamlChecked, check_compose, check_yaml};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error_line};
use plimsoll_config::{
    ConfigCache, ConfigError, Discovered, FailureThreshold, LabelType, Layers, RuleSelector,
    Settings, SeverityOverride, load_file, map_hadolint_format, resolve,
};
use plimsoll_diagnostics::{Finding, RuleInfo, Severity, SourceFile};
use plimsoll_report::{Format, ReportOptions, mask_in, secret_strings, write_report};
use plimsoll_rules::{
    FixMode, LintOptions, Rule, RuleOptions, ShellcheckBinary, apply_fixes, lint, lint_with_model,
    shellcheck_findings,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// How many lint-and-fix rounds `--fix` runs at most (a fix can enable
/// another one, as in Ruff).
const MAX_FIX_ROUNDS: usize = 10;

enum Input {
    File {
        path: PathBuf,
        name: String,
        /// The build context a compose service gives it.
        context: Option<PathBuf>,
    },
    Stdin {
        name: String,
    },
}

/// A compose project or a YAML file to check.
enum YamlInput {
    Compose(Vec<plimsoll_runtime::compose::ComposeInput>),
    File {
        path: PathBuf,
        name: String,
        /// Named on the command line (not found by a walk).
        explicit: bool,
    },
}

impl YamlInput {
    /// The directory whose configuration applies.
    fn dir(&self, cwd: &Path) -> PathBuf {
        let path = match self {
            YamlInput::Compose(files) => files.first().map(|f| f.path.as_path()),
            YamlInput::File { path, .. } => Some(path.as_path()),
        };
        path.and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
    }
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
    /// Other files findings point into (the `.dockerignore`).
    extra_sources: Vec<SourceFile>,
    findings: Vec<Finding>,
    /// The input and the text after fixes, when they differ, with the
    /// secrets found in either.
    fixed: Option<(String, String, Vec<String>)>,
    fixes_applied: usize,
    error: Option<String>,
    /// Problems that did not stop the check (unreadable parts of the build
    /// context): reported on stderr, exit 2.
    issues: Vec<String>,
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

    let shellcheck = ShellcheckBinary::on_path();
    if global.shellcheck == Some(true) && shellcheck.is_none() {
        return Err(NO_SHELLCHECK.to_string());
    }

    let (mut inputs, yaml_inputs, mut had_error) = collect_inputs(&args)?;
    // Compose projects first: the Dockerfiles their services build are
    // checked too, with the build context the service gives.
    let process_env: HashMap<String, String> = std::env::vars().collect();
    let yaml_results: Vec<YamlChecked> = yaml_inputs
        .into_par_iter()
        .map(|y| match settings_for(&y.dir(&cwd)) {
            Ok(settings) => match y {
                YamlInput::Compose(files) => check_compose(&files, &settings, &process_env),
                YamlInput::File {
                    path,
                    name,
                    explicit,
                } => check_yaml(&path, &name, explicit, &settings, &process_env),
            },
            Err(e) => YamlChecked {
                error: Some(e.to_string()),
                ..YamlChecked::default()
            },
        })
        .collect();
    for r in &yaml_results {
        for (dockerfile, context) in &r.builds {
            add_build(&mut inputs, dockerfile, context);
        }
    }
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
                Ok(settings) => {
                    // --context, then `[[context]]` in the config, then the
                    // compose service that builds it.
                    let context = match &input {
                        Input::File { path, context, .. } => args
                            .context
                            .clone()
                            .or_else(|| settings.context_for(path))
                            .or_else(|| context.clone()),
                        Input::Stdin { .. } => args.context.clone(),
                    };
                    check_input(
                        &input,
                        &settings,
                        fix_mode,
                        context.as_deref(),
                        shellcheck.as_ref(),
                    )
                }
                Err(e) => Checked::error(e.to_string()),
            };
            (input, checked)
        })
        .collect();

    let mut findings = Vec::new();
    let mut sources = HashMap::new();
    let mut fixed_total = 0;
    let mut diff_out = String::new();
    let mut templates_skipped = 0;
    for r in yaml_results {
        if let Some(e) = r.error {
            error_line(e);
            had_error = true;
            continue;
        }
        templates_skipped += usize::from(r.skipped_template);
        for src in r.sources {
            sources.insert(src.name.clone(), src);
        }
        findings.extend(r.findings);
    }
    if templates_skipped > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "plimsoll: note: skipped {templates_skipped} YAML file{} with `{{{{ }}}}` templating (Helm); name one to check it",
            if templates_skipped == 1 { "" } else { "s" }
        );
    }
    for (input, checked) in results {
        if let Some(e) = checked.error {
            error_line(e);
            had_error = true;
            continue;
        }
        for issue in &checked.issues {
            error_line(issue);
            had_error = true;
        }
        for src in checked.extra_sources {
            sources.insert(src.name.clone(), src);
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

    // Each finding's line and column found once, not at every comparison.
    let mut keyed: Vec<((usize, usize), Finding)> = findings
        .into_iter()
        .map(|f| (location_key(&f, &sources), f))
        .collect();
    keyed.sort_by(|(la, a), (lb, b)| (&a.file, la, &a.code).cmp(&(&b.file, lb, &b.code)));
    let findings: Vec<Finding> = keyed.into_iter().map(|(_, f)| f).collect();
    let color = !global.no_color.unwrap_or(false)
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let rule_info = crate::catalogue::info;
    let opts = ReportOptions {
        color,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    // Buffered: stdout is line-buffered, and a report of many findings
    // would otherwise cost a write call per line.
    let mut out: Box<dyn Write> = if report_to_stderr {
        Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stderr().lock(),
        ))
    } else {
        Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout().lock(),
        ))
    };
    if fix_mode.is_some() && fixed_total > 0 && format == Format::Tty {
        let _ = writeln!(
            out,
            "Fixed {fixed_total} problem{}.",
            if fixed_total == 1 { "" } else { "s" }
        );
    }
    if let Err(e) = write_report(&mut *out, format, &findings, &sources, &rule_info, &opts)
        .and_then(|()| out.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            error_line(format_args!("writing the report: {e}"));
        }
        return Ok(EXIT_ERROR);
    }
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
            extra_sources: Vec::new(),
            findings: Vec::new(),
            fixed: None,
            fixes_applied: 0,
            error: Some(msg),
            issues: Vec::new(),
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

const NO_SHELLCHECK: &str = "--shellcheck: no `shellcheck` program on PATH (install ShellCheck, e.g. `apt-get install shellcheck`)";

fn check_input(
    input: &Input,
    settings: &Settings,
    fix_mode: Option<FixMode>,
    context: Option<&Path>,
    shellcheck: Option<&ShellcheckBinary>,
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
    // One semantic model for finding the context and the first lint.
    let model = plimsoll_model::SemanticModel::new(&df);
    let context_dir = match input {
        Input::File { path, .. } => known_context(path, context, &model),
        Input::Stdin { .. } => context.map(Path::to_path_buf),
    };
    let opts = LintOptions {
        rules: rule_options(settings),
        select: &select,
        disable_ignore_pragma: settings.disable_ignore_pragma.unwrap_or(false),
        context: context_dir.as_deref(),
    };
    let original = df.text.clone();
    let mut findings = lint_with_model(&df, &model, name, &opts);
    drop(model);
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
    if settings.shellcheck == Some(true) {
        let Some(binary) = shellcheck else {
            return Checked::error(format!("{name}: {NO_SHELLCHECK}"));
        };
        let mut more = match shellcheck_findings(&df, name, binary) {
            Ok(more) => more,
            Err(e) => return Checked::error(format!("{name}: {e}")),
        };
        // The same selection as plimsoll's own rules (a native rule that
        // is off by default keeps its code off), and no duplicate of a
        // native finding with the same code at the same place.
        more.retain_mut(|f| {
            let enabled = plimsoll_rules::find_rule(&f.code).is_none_or(|r| r.default_enabled());
            let Some(severity) = selector.effective_severity(&f.code, &[], enabled, f.severity)
            else {
                return false;
            };
            f.severity = severity;
            !findings
                .iter()
                .any(|n| n.code == f.code && n.span.map(|s| s.start) == f.span.map(|s| s.start))
        });
        if !settings.disable_ignore_pragma.unwrap_or(false) {
            plimsoll_rules::apply_suppressions(&df, &mut more);
        }
        findings.extend(more);
    }
    let source = SourceFile::new(name, df.text.as_str());
    let mut extra_sources = Vec::new();
    let mut issues = Vec::new();
    if let Input::File { path, .. } = input {
        match context_findings(name, path, context_dir.as_deref(), &df, &severity_of) {
            Ok(ctx) => {
                let mut more = ctx.findings;
                plimsoll_rules::apply_suppressions(&df, &mut more);
                findings.extend(more);
                findings.extend(ctx.ignore_findings);
                extra_sources.extend(ctx.ignore_source);
                issues = ctx.issues;
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
        extra_sources,
        findings,
        fixed,
        fixes_applied,
        error: None,
        issues,
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
        Input::File { path, name, .. } => {
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

type Collected = (Vec<Input>, Vec<YamlInput>, bool);

fn collect_inputs(args: &CheckArgs) -> Result<Collected, String> {
    let mut inputs = Vec::new();
    let mut yaml = Vec::new();
    let mut had_error = false;
    // `--compose-file` files make one project, in the order given.
    if !args.compose_files.is_empty() {
        yaml.push(YamlInput::Compose(
            args.compose_files
                .iter()
                .map(|p| plimsoll_runtime::compose::ComposeInput {
                    name: display_path(p),
                    path: p.clone(),
                    reported: true,
                })
                .collect(),
        ));
    }
    let paths = if args.paths.is_empty() && args.compose_files.is_empty() {
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
                let found = walk(&p);
                for e in found.errors {
                    error_line(e);
                    had_error = true;
                }
                inputs.extend(found.dockerfiles.into_iter().map(|path| Input::File {
                    name: display_path(&path),
                    path,
                    context: None,
                }));
                yaml.extend(
                    compose_projects(&found.compose)
                        .into_iter()
                        .map(YamlInput::Compose),
                );
                yaml.extend(found.yaml.into_iter().map(|path| YamlInput::File {
                    name: display_path(&path),
                    path,
                    explicit: false,
                }));
            }
            Ok(_) => {
                let file_name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if plimsoll_runtime::compose::is_compose_name(&file_name) {
                    yaml.push(YamlInput::Compose(vec![
                        plimsoll_runtime::compose::ComposeInput {
                            name: display_path(&p),
                            path: p,
                            reported: true,
                        },
                    ]));
                } else if crate::discover::is_yaml_name(&file_name) {
                    yaml.push(YamlInput::File {
                        name: display_path(&p),
                        path: p,
                        explicit: true,
                    });
                } else {
                    inputs.push(Input::File {
                        name: display_path(&p),
                        path: p,
                        context: None,
                    });
                }
            }
            Err(e) => {
                error_line(format_args!("{}: {e}", p.display()));
                had_error = true;
            }
        }
    }
    Ok((inputs, yaml, had_error))
}

/// The compose files of a walk grouped into projects, directory by
/// directory, as Compose would make them.
fn compose_projects(files: &[PathBuf]) -> Vec<Vec<plimsoll_runtime::compose::ComposeInput>> {
    let mut by_dir: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for f in files {
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, names)) => names.push(name),
            None => by_dir.push((dir, vec![name])),
        }
    }
    by_dir
        .iter()
        .flat_map(|(dir, names)| {
            plimsoll_runtime::compose::projects_in_dir(dir, names, &display_path)
        })
        .collect()
}

/// A Dockerfile a compose service builds: checked with the service's
/// context (unless it already has one), once.
fn add_build(inputs: &mut Vec<Input>, dockerfile: &Path, context: &Path) {
    let key = plimsoll_runtime::compose::normalize(dockerfile);
    for input in inputs.iter_mut() {
        if let Input::File {
            path, context: c, ..
        } = input
            && plimsoll_runtime::compose::normalize(path) == key
        {
            if c.is_none() {
                *c = Some(context.to_path_buf());
            }
            return;
        }
    }
    inputs.push(Input::File {
        name: display_path(&key),
        path: key,
        context: Some(context.to_path_buf()),
    });
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
        || crate::catalogue::all().iter().any(|e| {
            let i = e.info;
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
    if args.shellcheck {
        s.shellcheck = Some(true);
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

/// The build context of a Dockerfile: `--context`, or else the
/// Dockerfile's directory when it evidently is its context; `None`
/// otherwise, and then the checks that need it stay quiet rather than
/// report every source as missing.
fn known_context(
    dockerfile: &Path,
    explicit: Option<&Path>,
    model: &plimsoll_model::SemanticModel<'_>,
) -> Option<PathBuf> {
    if let Some(d) = explicit {
        return Some(d.to_path_buf());
    }
    let dir = dockerfile
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    evidently_context(dir, dockerfile, model).then(|| dir.to_path_buf())
}

/// What the build-context checks of one Dockerfile found.
#[derive(Default)]
struct ContextResult {
    /// Findings in the Dockerfile.
    findings: Vec<Finding>,
    /// Findings in the ignore file (PL2005), and that file.
    ignore_findings: Vec<Finding>,
    ignore_source: Option<SourceFile>,
    /// What the walk of the context could not read.
    issues: Vec<String>,
}

/// The build-context checks (PL2xxx, CopyIgnoredFile) of one Dockerfile,
/// in its known context (see [`known_context`]).
fn context_findings(
    name: &str,
    dockerfile: &Path,
    context: Option<&Path>,
    df: &plimsoll_syntax::Dockerfile,
    severity_of: &dyn Fn(&RuleInfo, bool) -> Option<Severity>,
) -> Result<ContextResult, String> {
    if !plimsoll_context::RULES
        .iter()
        .any(|r| severity_of(r, true).is_some())
    {
        return Ok(ContextResult::default());
    }
    let Some(dir) = context else {
        return Ok(ContextResult::default());
    };
    let model = plimsoll_model::SemanticModel::new(df);
    let bc = plimsoll_context::BuildContext::open(dir, dockerfile)
        .map_err(|e| format!("{name}: {e}"))?;
    let copies = plimsoll_context::resolve_copies(&model, &bc.context, bc.ignore.as_ref());
    let check = plimsoll_context::ContextCheck {
        file: name,
        model: &model,
        context: &bc.context,
        ignore: bc.ignore.as_ref(),
        copies: &copies,
    };
    let select = |f: &mut Finding| {
        let info = plimsoll_context::RULES.iter().find(|r| r.code == f.code)?;
        f.severity = severity_of(info, true)?;
        Some(())
    };
    let mut out = ContextResult::default();
    for mut f in check.run_all() {
        if select(&mut f).is_some() {
            out.findings.push(f);
        }
    }
    if let (Some(ignore), Some(path)) = (&bc.ignore, &bc.ignore_path)
        && !ignore.errors().is_empty()
    {
        let ignore_name = display_path(path);
        for mut f in plimsoll_context::invalid_ignore_patterns(ignore, &ignore_name) {
            if select(&mut f).is_some() {
                out.ignore_findings.push(f);
            }
        }
        if !out.ignore_findings.is_empty()
            && let Ok(bytes) = std::fs::read(path)
        {
            out.ignore_source = Some(SourceFile::new(
                ignore_name,
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    for issue in bc.context.issues() {
        let at = if issue.path.is_empty() {
            dir.display().to_string()
        } else {
            dir.join(&issue.path).display().to_string()
        };
        out.issues.push(format!(
            "{name}: build context: {at}: {} (BuildKit could not send it)",
            issue.message
        ));
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
