//! Whatever the input, expansion returns (a value or an error), never panics,
//! and reference spans always point into the word.

use plimsoll_expand::{
    Env, Lexer, MAX_EXPANSION_LEN, MAX_PATTERN_LEN, NoEnv, env_fn, variable_references,
};
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

/// The `expand` fuzz target's timeout, minimised: four nested `${A///…}`
/// (an empty pattern matches at each of the 4 places in `a b`) build a
/// pattern of over 12,000 `*` for `${7#…}`, and compiling it took seconds.
const MINIMISED_TIMEOUT: &str =
    "-${7#a~${A///*~${A///b~${A///*~${A///)$b~${A///************#ab}}}}}}";

/// `${A//?/…}` nested `depth` times around `inner`.
fn nested_replace_all(depth: usize, inner: &str) -> String {
    let mut word = inner.to_owned();
    for _ in 0..depth {
        word = format!("${{A//?/{word}}}");
    }
    word
}

/// Found by the `expand` fuzz target (a timeout). Every match of `${a//p/r}`
/// pastes the whole replacement, so each level of nesting multiplied the
/// length: 145 bytes asked for 3^18 (and the fuzzer's word built a pattern of
/// megabytes to compile). Expansion now stops past `MAX_EXPANSION_LEN`, and
/// patterns past `MAX_PATTERN_LEN` are refused before they are compiled.
#[test]
fn nested_replace_all_is_bounded() {
    let env = env_fn(|name| (name == "A").then_some("a b"));
    let lexer = Lexer::new('\\');
    let start = std::time::Instant::now();

    // Expanded in full up to the limit: 3^12 bytes.
    let value = lexer
        .process_word(&nested_replace_all(12, "x"), &env)
        .unwrap()
        .value;
    assert_eq!(value.len(), 531_441);
    assert!(2 * value.len() > MAX_EXPANSION_LEN);

    for word in [
        nested_replace_all(12, "xx"),
        nested_replace_all(18, "x"),
        nested_replace_all(40, "x"),
        MINIMISED_TIMEOUT.to_owned(),
    ] {
        let e = lexer.process_word(&word, &env).unwrap_err();
        assert!(e.message.contains("longer than"), "{e}");
        assert!(lexer.process_words(&word, &env).is_err());
    }
    let pattern = format!("${{A//{}/x}}", nested_replace_all(8, "*"));
    let e = lexer.process_word(&pattern, &env).unwrap_err();
    assert!(
        e.message
            .ends_with(&format!("longer than {MAX_PATTERN_LEN} bytes")),
        "{e}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
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
