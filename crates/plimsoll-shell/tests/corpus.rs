//! Every RUN of the shared corpus analyses without panicking, almost all
//! of them exactly, and every span lands inside its instruction.

use plimsoll_shell::{Dialect, ParseOutcome, Shell, analyze_run};
use plimsoll_syntax::{Keyword, parse};
use std::collections::BTreeMap;
use std::fs;

use plimsoll_testkit::shared_dir;

#[test]
fn corpus_runs_analyse_exactly_and_in_bounds() {
    let root = shared_dir().join("corpus/dockerfiles");
    let manifest = fs::read_to_string(root.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let (mut files, mut scripts, mut exact, mut skipped, mut commands) = (0, 0, 0, 0, 0);
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut out_of_bounds = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 || cols[4] != "dockerfile" {
            continue;
        }
        let rel = format!("{}/{}", cols[0], cols[2]);
        let bytes = fs::read(root.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let Ok(df) = parse(&bytes) else { continue };
        files += 1;
        // hadolint's `# hadolint shell=NAME` pragma sets the dialect of
        // the whole file.
        let pragma = df.comments.iter().find_map(|c| {
            let rest = c.text.strip_prefix("hadolint")?.trim_start();
            rest.strip_prefix("shell=").map(Dialect::from_pragma)
        });
        let with_pragma = |shell: Shell| match &pragma {
            Some(d) => shell.with_dialect(d.clone()),
            None => shell,
        };
        let mut shell = with_pragma(Shell::default());
        for ins in &df.instructions {
            match ins.keyword {
                Keyword::From => shell = with_pragma(Shell::default()),
                Keyword::Shell => {
                    let argv: Vec<&str> = ins.args.iter().map(|w| w.value.as_str()).collect();
                    shell = with_pragma(Shell::from_argv(&argv));
                }
                _ => {}
            }
            for s in analyze_run(&df, ins, &shell) {
                scripts += 1;
                match &s.outcome {
                    ParseOutcome::Exact => exact += 1,
                    ParseOutcome::Skipped => skipped += 1,
                    ParseOutcome::Fallback { reason, .. } => {
                        reasons
                            .entry(reason.clone())
                            .or_default()
                            .push(format!("{rel}:{}", ins.start_line));
                    }
                }
                for c in &s.commands {
                    commands += 1;
                    let words = c.name.iter().chain(&c.args).map(|w| w.span);
                    for span in std::iter::once(c.span).chain(words) {
                        if span.start < ins.span.start
                            || span.end > ins.span.end
                            || span.start > span.end
                        {
                            out_of_bounds.push(format!(
                                "{rel}:{}: {:?} outside {:?}",
                                ins.start_line, span, ins.span
                            ));
                        }
                    }
                }
            }
        }
    }
    let analysed = scripts - skipped;
    let share = exact as f64 / analysed.max(1) as f64;
    println!(
        "{files} files, {scripts} scripts ({skipped} skipped), {commands} commands; parsed exactly: {exact}/{analysed} = {:.2}%",
        share * 100.0
    );
    for (reason, at) in &reasons {
        println!("  fallback x{}: {reason} (e.g. {})", at.len(), at[0]);
    }
    assert!(files > 1000, "only {files} corpus files");
    assert!(out_of_bounds.is_empty(), "{}", out_of_bounds.join("\n"));
    assert!(share > 0.95, "only {:.2}% parsed exactly", share * 100.0);
}
