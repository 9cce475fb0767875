//! Scanner throughput on ~50 MB of real text: the files of
//! `/usr/lib/python3*` and `/usr/share/doc` (sources, docs, changelogs,
//! copyright files), each scanned on its own with its path, as an image
//! layer pass would. Binary and compressed files are left out first, as
//! callers do with `is_probably_binary`.
//!
//! `cargo bench -p plimsoll-secrets` (`PLIMSOLL_BENCH_DIRS` overrides the
//! directories, `:`-separated; `PLIMSOLL_BENCH_BYTES` the size).
//!
//! Time is the benchmark thread's on-CPU time (`CLOCK_THREAD_CPUTIME_ID`),
//! not wall time: the project's machines are shared by many processes,
//! and a load average of 10 on 2 cores makes wall time measure the
//! neighbours. Set `PLIMSOLL_BENCH_WALL=1` for wall time.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};
use plimsoll_secrets::{ScanOptions, Scanner, is_probably_binary};
use std::hint::black_box;
use std::path::Path;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dirs = std::env::var("PLIMSOLL_BENCH_DIRS")
        .unwrap_or_else(|_| "/usr/lib/python3:/usr/lib/python3.11:/usr/share/doc".into());
    let limit: usize = std::env::var("PLIMSOLL_BENCH_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50_000_000);
    let dirs: Vec<&Path> = dirs.split(':').map(Path::new).collect();
    plimsoll_testkit::files_under(&dirs, limit, |data| !is_probably_binary(data))
        .into_iter()
        .map(|(path, data)| (path.display().to_string(), data))
        .collect()
}

/// On-CPU time of the calling thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Criterion measurement of on-CPU time, shown like wall time.
struct CpuTime {
    wall: WallTime,
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

fn bench<M: Measurement>(c: &mut Criterion<M>) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, d)| d.len()).sum();
    eprintln!("corpus: {} files, {bytes} bytes", files.len());
    let scanner = Scanner::global();
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, options) in [
        ("all_rules", ScanOptions::default()),
        ("high_confidence", ScanOptions::high_confidence()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for (path, data) in &files {
                    n += scanner.scan_with(data, Some(path), options).len();
                }
                black_box(n)
            })
        });
    }
    group.bench_function("stream_64k_pieces", |b| {
        b.iter(|| {
            let mut n = 0;
            let mut s = scanner.stream(None, ScanOptions::high_confidence());
            for (path, data) in &files {
                s.reset(Some(path));
                for piece in data.chunks(64 << 10) {
                    s.push(piece);
                }
                n += s.finish().len();
            }
            black_box(n)
        })
    });
    group.finish();
}

fn cpu() -> Criterion<CpuTime> {
    Criterion::default().with_measurement(CpuTime { wall: WallTime })
}

fn main() {
    if std::env::var_os("PLIMSOLL_BENCH_WALL").is_some() {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c);
        c.final_summary();
    } else {
        let mut c = cpu().configure_from_args();
        bench(&mut c);
        c.final_summary();
    }
}
