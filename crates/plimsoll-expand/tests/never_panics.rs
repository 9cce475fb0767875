//! Whatever the input, expansion returns (a value or an error), never panics,
//! and reference spans always point into the word.

use plimsoll_expand::{Env, Lexer, NoEnv, env_fn, variable_references};
use proptest::prelude::*;

/// Words built mostly from the characters the lexer cares about.
fn shellish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::sample::select(vec![
                "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "'", "\"", "\\", "`",
                "*", "[", "]", "=", " ", "\t", "\n", "@", "!", "0", "1",
            ]),
            3 => proptest::sample::select(vec!["A", "B", "x", "_", "한", "é", "\u{FEFF}", "👽"]),
            6 => proptest::sample::select(vec![
                "${", "${A", "${B:-", "${x#", "${A%%", "${A//", "${A/", "${U?", ":-", ":+",
                ":?", "##", "%%", "//", "$A", "$B", "$x", "$1", "\\$", "'$A'", "\"$A\"", "\\}",
                "\\/", "\\*", "}}",
            ]),
        ],
        0..48,
    )
    .prop_map(|parts| parts.concat())
}

fn check(word: &str, escape: char) {
    let values = env_fn(|name| match name {
        "A" => Some("a*b c"),
        "B" => Some(""),
        "x" => Some("$0 \\ }"),
        _ => None,
    });
    for lexer in [
        Lexer::new(escape),
        Lexer::new(escape)
            .with_raw_quotes(true)
            .with_raw_escapes(true)
            .with_skip_unset_env(true),
        Lexer::new(escape).with_skip_process_quotes(true),
    ] {
        for env in [&values as &dyn Env, &NoEnv] {
            if let Err(e) = lexer.process_word(word, env) {
                assert!(e.position <= word.len());
                assert!(!e.to_string().contains('\n'));
            }
            let _ = lexer.process_words(word, env);
        }
        for r in lexer.variable_references(word) {
            assert!(r.span.end <= word.len() && r.span.start < r.span.end);
            assert!(r.span.start <= r.name_span.start && r.name_span.end <= r.span.end);
            assert_eq!(&word[r.name_span.clone()], r.name);
        }
    }
    // A word that expands against an empty environment looked up exactly the
    // names it references.
    let lexer = Lexer::new(escape);
    if let Ok(e) = lexer.process_word(word, &NoEnv) {
        let mut names: Vec<String> = variable_references(word, escape)
            .into_iter()
            .map(|r| r.name)
            .collect();
        names.sort();
        names.dedup();
        assert!(e.matched.is_empty());
        assert_eq!(
            names,
            e.unmatched.into_iter().collect::<Vec<_>>(),
            "{word:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn shellish_words(word in shellish(), backtick in any::<bool>()) {
        check(&word, if backtick { '`' } else { '\\' });
    }

    #[test]
    fn arbitrary_strings(word in any::<String>()) {
        check(&word, '\\');
    }
}
