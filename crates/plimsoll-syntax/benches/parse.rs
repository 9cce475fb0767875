//! Parser throughput over the shared corpus of real Dockerfiles.
//!
//! `cargo bench -p plimsoll-syntax` (set `PLIMSOLL_SHARED` when `shared/`
//! is not beside the repository). Besides wall-clock time, the corpus is
//! also timed in the benchmark thread's own CPU time (Linux), which is what
//! one core does when the machine is shared with other work.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn corpus() -> Vec<Vec<u8>> {
    plimsoll_testkit::corpus_dockerfiles()
}

/// CPU time of the current thread, when the platform tells it.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn parse_all(files: &[Vec<u8>]) {
    for f in files {
        black_box(plimsoll_syntax::parse(black_box(f)).ok());
    }
}

fn bench_parse(c: &mut Criterion) {
    let files = corpus();
    let total: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("corpus ({} files)", files.len()), |b| {
        b.iter(|| parse_all(&files))
    });
    if thread_cpu_time().is_some() {
        group.bench_function("corpus, thread CPU time", |b| {
            b.iter_custom(|iters| {
                let wall = Instant::now();
                let start = thread_cpu_time();
                for _ in 0..iters {
                    parse_all(&files);
                }
                match (start, thread_cpu_time()) {
                    (Some(s), Some(e)) => e.saturating_sub(s),
                    _ => wall.elapsed(),
                }
            })
        });
    }
    group.bench_function("corpus + buildkit_dump", |b| {
        b.iter(|| {
            for f in &files {
                if let Ok(df) = plimsoll_syntax::parse(f) {
                    black_box(plimsoll_syntax::buildkit_dump(&df).ok());
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
