use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plimsoll_expand::{Lexer, variable_references};

const WORDS: &[&str] = &[
    "/usr/local/bin",
    "$HOME/.cache",
    "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
    "\"${GOPATH:-/go}/src/app\" 'literal $X' \\$ESCAPED",
    "${FILE%%.*} ${FILE##*/} ${FILE//-/_}",
    "--build-arg=http_proxy=${HTTP_PROXY:-} --label version=$VERSION",
];

fn bench(c: &mut Criterion) {
    let env = [
        ("HOME", "/root"),
        ("VERSION", "v1.2.3"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "arm64"),
        ("TARGETVARIANT", "v8"),
        ("FILE", "/src/my-app.tar.gz"),
    ];
    let lexer = Lexer::new('\\');
    let bytes: usize = WORDS.iter().map(|w| w.len()).sum();
    let mut group = c.benchmark_group("expand");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("process_word", |b| {
        b.iter(|| {
            for word in WORDS {
                let _ = black_box(lexer.process_word(black_box(word), &env));
            }
        })
    });
    group.bench_function("process_words", |b| {
        b.iter(|| {
            for word in WORDS {
                let _ = black_box(lexer.process_words(black_box(word), &env));
            }
        })
    });
    group.bench_function("variable_references", |b| {
        b.iter(|| {
            for word in WORDS {
                black_box(variable_references(black_box(word), '\\'));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
