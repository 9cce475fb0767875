//! The expander never panics, whatever the word and escape character.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (escape, word) = match text.strip_prefix('`') {
        Some(rest) => ('`', rest),
        None => ('\\', text),
    };
    let env: HashMap<String, String> = [
        ("A", "a b"),
        ("EMPTY", ""),
        ("PATHLIKE", "/usr/local/bin:/usr/bin"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let lexer = plimsoll_expand::Lexer::new(escape);
    let _ = lexer.process_word(word, &env);
    let _ = lexer.process_words(word, &env);
    for r in plimsoll_expand::variable_references(word, escape) {
        assert!(r.span.end <= word.len());
        assert!(word.is_char_boundary(r.span.start) && word.is_char_boundary(r.span.end));
    }
});
