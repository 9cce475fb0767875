//! The parser never panics, and is lossless on every UTF-8 input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(df) = plimsoll_syntax::parse(data) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(df.reconstruct(), text, "round trip lost bytes");
    }
    let mut at = 0;
    for t in &df.tokens {
        assert_eq!(t.span.start, at, "gap or overlap at {at}");
        at = t.span.end;
    }
    assert_eq!(at, df.text.len(), "tokens stop before the end");
    let _ = plimsoll_syntax::buildkit_dump(&df);
});
