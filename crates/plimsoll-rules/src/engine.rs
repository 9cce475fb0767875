use crate::checker::{Checker, RuleOptions};
use crate::pragma::{PragmaKind, parse_pragma};
use crate::{Rule, all_rules};
use plimsoll_config::parse_check_directive;
use plimsoll_diagnostics::{Finding, Severity};
use plimsoll_model::SemanticModel;
use plimsoll_syntax::Dockerfile;

/// Decides whether a rule runs and at which severity (`None`: off).
pub type Selection<'a> = &'a (dyn Fn(&'static dyn Rule) -> Option<Severity> + Sync);

pub struct LintOptions<'a> {
    pub rules: RuleOptions,
    pub select: Selection<'a>,
    /// Ignore `# plimsoll ignore=` and `# hadolint ignore=` pragmas.
    pub disable_ignore_pragma: bool,
    /// The build context, when known: some rules read the files a
    /// Dockerfile copies from it (entrypoint scripts, `.dockerignore`).
    pub context: Option<&'a std::path::Path>,
}

/// Run the selected rules over one Dockerfile and return its findings,
/// pragmas and BuildKit's `# check=` directive applied, in source order.
pub fn lint(df: &Dockerfile, file: &str, opts: &LintOptions<'_>) -> Vec<Finding> {
    lint_with_model(df, &SemanticModel::new(df), file, opts)
}

/// [`lint`] with the semantic model of `df` already built (the caller
/// needed it too).
pub fn lint_with_model(
    df: &Dockerfile,
    model: &SemanticModel<'_>,
    file: &str,
    opts: &LintOptions<'_>,
) -> Vec<Finding> {
    let mut checker = Checker::new(file, df, model, &opts.rules).with_context(opts.context);
    // BuildKit's `# check=skip=A,B;error=true`; an invalid one is ignored,
    // as BuildKit then runs every check.
    let check = df
        .directives
        .iter()
        .find(|d| d.name == "check")
        .and_then(|d| parse_check_directive(&d.value).ok());
    let mut findings = Vec::new();
    for &rule in all_rules() {
        let Some(mut severity) = (opts.select)(rule) else {
            continue;
        };
        let info = rule.info();
        if let Some(check) = &check
            && is_buildkit_check(info)
        {
            if check.skips(info.code, info.aliases) {
                continue;
            }
            if check.error {
                severity = Severity::Error;
            }
        }
        checker.current = Some(info);
        rule.check(&mut checker);
        for mut f in checker.take_findings() {
            f.severity = severity;
            findings.push(f);
        }
    }
    if !opts.disable_ignore_pragma {
        apply_pragmas(df, model, &mut findings);
    }
    findings.sort_by(|a, b| {
        (a.span.map(|s| s.start), &a.code).cmp(&(b.span.map(|s| s.start), &b.code))
    });
    findings
}

/// BuildKit checks are those with a BuildKit name as code or alias.
fn is_buildkit_check(info: &plimsoll_diagnostics::RuleInfo) -> bool {
    std::iter::once(info.code)
        .chain(info.aliases.iter().copied())
        .any(|c| !is_numbered_code(c))
}

/// `DL3008`, `PL1001`, `SC2086`: letters then digits.
fn is_numbered_code(code: &str) -> bool {
    let digits = code.trim_start_matches(|c: char| c.is_ascii_uppercase());
    !digits.is_empty() && digits.len() < code.len() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn code_matches(f: &Finding, codes: &[String]) -> bool {
    if codes.is_empty() {
        return false;
    }
    let aliases = crate::find_rule(&f.code).map_or(&[][..], |r| r.info().aliases);
    codes.iter().any(|c| {
        c.eq_ignore_ascii_case(&f.code) || aliases.iter().any(|a| a.eq_ignore_ascii_case(c))
    })
}

/// Drop the findings that inline pragmas in `df` suppress: for findings
/// about a Dockerfile made by other checkers (the build context).
pub fn apply_suppressions(df: &Dockerfile, findings: &mut Vec<Finding>) {
    if findings.is_empty() {
        return;
    }
    apply_pragmas(df, &SemanticModel::new(df), findings);
}

fn apply_pragmas(df: &Dockerfile, model: &SemanticModel<'_>, findings: &mut Vec<Finding>) {
    if findings.is_empty() {
        return;
    }
    let instructions = &df.instructions;
    // The instruction a finding belongs to: the one whose span holds it.
    let owner = |offset: usize| -> Option<usize> {
        let i = instructions.partition_point(|ins| ins.span.start <= offset);
        i.checked_sub(1)
            .filter(|&i| offset <= instructions[i].span.end)
    };
    // Per instruction (and for the whole file) the codes ignored there.
    let mut per_instruction: Vec<Vec<String>> = vec![Vec::new(); instructions.len()];
    let mut global: Vec<String> = Vec::new();
    for c in &df.comments {
        let Some(p) = parse_pragma(&c.text) else {
            continue;
        };
        // A pragma applies to the instruction it sits in (a comment line
        // inside a continuation) or to the instruction right after it.
        let target = owner(c.span.start).or_else(|| {
            let next = instructions.partition_point(|ins| ins.span.start < c.span.end);
            let ins = instructions.get(next)?;
            let between = df.text.get(c.span.end..ins.span.start)?;
            between
                .lines()
                .all(|l| {
                    let t = l.trim();
                    t.is_empty() || t.starts_with('#')
                })
                .then_some(next)
        });
        match p.kind {
            PragmaKind::GlobalIgnore(codes) => global.extend(codes),
            PragmaKind::Ignore(codes) => {
                if let Some(t) = target {
                    per_instruction[t].extend(codes);
                }
            }
            PragmaKind::StageIgnore(codes) => {
                let Some(t) = target else { continue };
                let end = model
                    .stage_of(t)
                    .map_or(instructions.len(), |s| s.instructions.end);
                for list in &mut per_instruction[t..end] {
                    list.extend(codes.iter().cloned());
                }
            }
            PragmaKind::Shell(_) => {}
        }
    }
    findings.retain(|f| {
        if code_matches(f, &global) {
            return false;
        }
        let Some(i) = f.span.and_then(|s| owner(s.start)) else {
            return true;
        };
        !code_matches(f, &per_instruction[i])
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_codes() {
        assert!(is_numbered_code("DL3008"));
        assert!(is_numbered_code("PL1001"));
        assert!(!is_numbered_code("StageNameCasing"));
        assert!(!is_numbered_code("DL"));
    }
}
