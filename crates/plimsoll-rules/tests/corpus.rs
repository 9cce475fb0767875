//! Every rule over every Dockerfile of ../shared/corpus: no panic, findings
//! inside the file, and `--fix` (all fixes, unsafe included) idempotent
//! with a result that still parses.

use plimsoll_diagnostics::Severity;
use plimsoll_rules::{FixMode, LintOptions, Rule, RuleOptions, apply_fixes, lint};
use std::collections::BTreeMap;

use plimsoll_testkit::corpus_dockerfile_paths as corpus_files;

fn all_on(rule: &'static dyn Rule) -> Option<Severity> {
    Some(rule.info().severity)
}

fn options() -> LintOptions<'static> {
    LintOptions {
        rules: RuleOptions::default(),
        select: &all_on,
        disable_ignore_pragma: false,
        context: None,
    }
}

#[test]
fn every_rule_runs_over_the_corpus_and_fixes_are_idempotent() {
    let files = corpus_files();
    assert!(files.len() > 1000, "corpus has {} files", files.len());
    let opts = options();
    let mut per_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(df) = plimsoll_syntax::parse(&bytes) else {
            problems.push(format!("{}: not parsed", path.display()));
            continue;
        };
        let findings = lint(&df, "Dockerfile", &opts);
        for f in &findings {
            *per_code.entry(f.code.clone()).or_default() += 1;
            if let Some(s) = f.span
                && (s.start > s.end || s.end > df.text.len())
            {
                problems.push(format!(
                    "{}: {} span {s:?} outside the file",
                    path.display(),
                    f.code
                ));
            }
        }
        // Fix until nothing changes, as `plimsoll check --fix` does.
        let mut text = df.text.clone();
        let mut current = findings;
        let mut rounds = 0;
        loop {
            let (fixed, n) = apply_fixes(&text, &current, FixMode::Unsafe);
            if n == 0 || fixed == text {
                break;
            }
            rounds += 1;
            if rounds > 10 {
                problems.push(format!("{}: fixes do not converge", path.display()));
                break;
            }
            text = fixed;
            let reparsed = plimsoll_syntax::parse_str(&text);
            if reparsed.errors.len() > df.errors.len() {
                problems.push(format!(
                    "{}: fixed text has new parse errors: {:?}",
                    path.display(),
                    reparsed.errors
                ));
                break;
            }
            current = lint(&reparsed, "Dockerfile", &opts);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The busiest rules on real files, for review when rules change.
    let summary: String = per_code
        .iter()
        .map(|(code, n)| format!("{code}: {n}\n"))
        .collect();
    insta::assert_snapshot!("corpus_findings_per_code", summary);
}
