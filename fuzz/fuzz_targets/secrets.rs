//! The secret scanner never panics on any bytes; every match lies inside
//! the input with the secret inside the match; scanning in pieces finds
//! what scanning the whole finds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plimsoll_secrets::{ScanOptions, Scanner, credential_file, is_probably_binary};

fuzz_target!(|data: &[u8]| {
    let scanner = Scanner::global();
    // The first byte picks the path hint: rules depend on the kind of file.
    let path = [None, Some(".npmrc"), Some("app.py"), Some(".pypirc"), Some("a/.env")]
        [data.first().map_or(0, |b| usize::from(*b) % 5)];
    let whole = scanner.scan(data, path);
    for m in &whole {
        assert!(m.range.start <= m.secret.start, "{m:?}");
        assert!(m.secret.start < m.secret.end, "{m:?}");
        assert!(m.secret.end <= m.range.end && m.range.end <= data.len(), "{m:?}");
        assert!(m.line >= 1);
        if let Some(n) = &m.name {
            assert!(n.end <= data.len());
        }
    }
    // Inputs are far shorter than a window: pieces give the same matches.
    let mut stream = scanner.stream(path, ScanOptions::default());
    for piece in data.chunks(7) {
        stream.push(piece);
    }
    assert_eq!(stream.finish(), whole);
    let _ = is_probably_binary(data);
    let _ = credential_file(&String::from_utf8_lossy(data));
});
