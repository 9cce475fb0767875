//! Shell-layer throughput over every RUN of the shared corpus.
//!
//! `cargo bench -p plimsoll-shell` (set `PLIMSOLL_SHARED` when `shared/`
//! is not beside the repository). Throughput counts the bytes of the
//! scripts (the RUN text after the keyword and flags, plus heredoc
//! bodies); Dockerfile parsing is done once, outside the measurement.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plimsoll_shell::{Shell, analyze_run};
use plimsoll_syntax::{Dockerfile, Keyword};
use std::hint::black_box;

fn corpus() -> Vec<Dockerfile> {
    plimsoll_testkit::corpus_dockerfiles()
        .iter()
        .filter_map(|bytes| plimsoll_syntax::parse(bytes).ok())
        .collect()
}

fn is_run(ins: &plimsoll_syntax::Instruction) -> bool {
    ins.keyword == Keyword::Run
        || ins
            .onbuild
            .as_deref()
            .is_some_and(|i| i.keyword == Keyword::Run)
}

fn analyse_all(files: &[Dockerfile], shell: &Shell) -> usize {
    let mut commands = 0;
    for df in files {
        for ins in df.instructions.iter().filter(|i| is_run(i)) {
            for s in analyze_run(df, ins, shell) {
                commands += s.commands.len();
            }
        }
    }
    commands
}

fn bench_shell(c: &mut Criterion) {
    let files = corpus();
    let (mut runs, mut bytes) = (0usize, 0usize);
    for df in &files {
        for ins in df.instructions.iter().filter(|i| is_run(i)) {
            runs += 1;
            bytes +=
                ins.rest.text.len() + ins.heredocs.iter().map(|h| h.content.len()).sum::<usize>();
        }
    }
    let shell = Shell::default();
    let mut group = c.benchmark_group("shell");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function(
        format!("corpus RUNs ({runs} instructions, {bytes} bytes)"),
        |b| b.iter(|| black_box(analyse_all(black_box(&files), &shell))),
    );
    group.finish();
}

criterion_group!(benches, bench_shell);
criterion_main!(benches);
