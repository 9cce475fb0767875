//! The rule engine over every Dockerfile of the shared corpus: all the
//! default rules, then each family alone, so that a slow family shows.
//!
//! `cargo bench -p plimsoll-rules` (set `PLIMSOLL_SHARED` when `shared/`
//! is not beside the repository). Files are read and parsed once, outside
//! the measurement; each iteration builds the semantic model, parses the
//! RUN scripts and runs the selected rules, as `plimsoll check` does per
//! file (bench/RESULTS.md has the end-to-end figures).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plimsoll_rules::{LintOptions, Rule, RuleOptions, Severity, lint};
use plimsoll_syntax::Dockerfile;
use std::hint::black_box;

fn corpus() -> Vec<Dockerfile> {
    plimsoll_testkit::corpus_dockerfiles()
        .iter()
        .filter_map(|bytes| plimsoll_syntax::parse(bytes).ok())
        .collect()
}

/// Lint every file with the default-enabled rules whose code starts with
/// `prefix`; the number of findings.
fn lint_all(files: &[Dockerfile], prefix: &str) -> usize {
    let select = |rule: &'static dyn Rule| -> Option<Severity> {
        let info = rule.info();
        (rule.default_enabled() && info.code.starts_with(prefix)).then_some(info.severity)
    };
    let opts = LintOptions {
        rules: RuleOptions::default(),
        select: &select,
        disable_ignore_pragma: false,
        context: None,
    };
    files
        .iter()
        .map(|df| lint(df, "Dockerfile", &opts).len())
        .sum()
}

fn bench_lint(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|df| df.text.len()).sum();
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    // "" is every default rule; the others are the families of issue 3's
    // budget (hadolint's DL and SC, then practices, security, secrets).
    for prefix in ["", "DL", "SC", "PL10", "PL11", "PL12"] {
        let label = if prefix.is_empty() { "all" } else { prefix };
        group.bench_function(format!("corpus {label} ({} files)", files.len()), |b| {
            b.iter(|| black_box(lint_all(black_box(&files), prefix)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_lint);
criterion_main!(benches);
