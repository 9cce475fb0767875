use plimsoll_expand::{Lexer, Modifier, VarRef, variable_references};

/// `(name, text of the whole reference, modifier)` for each reference.
fn refs(word: &str, escape: char) -> Vec<(String, String, Option<Modifier>)> {
    variable_references(word, escape)
        .into_iter()
        .map(|r| {
            assert_eq!(&word[r.name_span.clone()], r.name, "{word:?}");
            (r.name, word[r.span].to_owned(), r.modifier)
        })
        .collect()
}

fn names(word: &str) -> Vec<String> {
    variable_references(word, '\\')
        .into_iter()
        .map(|r| r.name)
        .collect()
}

#[test]
fn all_forms_with_spans() {
    let word = r#"$A ${B} ${C:-$D} '$E' \$F "${G}" ${H#x} ${I//a/$J}"#;
    let got = refs(word, '\\');
    let want = [
        ("A", "$A", None),
        ("B", "${B}", None),
        ("C", "${C:-$D}", Some(Modifier::Default { colon: true })),
        ("D", "$D", None),
        ("G", "${G}", None),
        ("H", "${H#x}", Some(Modifier::TrimPrefix { longest: false })),
        ("I", "${I//a/$J}", Some(Modifier::Replace { all: true })),
        ("J", "$J", None),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(n, t, m)| (n.to_owned(), t.to_owned(), m))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_modifier() {
    let cases = [
        ("${X:-d}", Modifier::Default { colon: true }),
        ("${X-d}", Modifier::Default { colon: false }),
        ("${X:+a}", Modifier::Alternative { colon: true }),
        ("${X+a}", Modifier::Alternative { colon: false }),
        ("${X:?m}", Modifier::Required { colon: true }),
        ("${X?m}", Modifier::Required { colon: false }),
        ("${X#p}", Modifier::TrimPrefix { longest: false }),
        ("${X##p}", Modifier::TrimPrefix { longest: true }),
        ("${X%p}", Modifier::TrimSuffix { longest: false }),
        ("${X%%p}", Modifier::TrimSuffix { longest: true }),
        ("${X/p/r}", Modifier::Replace { all: false }),
        ("${X//p/r}", Modifier::Replace { all: true }),
    ];
    for (word, modifier) in cases {
        let got = variable_references(word, '\\');
        assert_eq!(
            got,
            [VarRef {
                name: "X".into(),
                span: 0..word.len(),
                name_span: 2..3,
                modifier: Some(modifier),
            }],
            "{word}"
        );
        assert!(word.contains(modifier.as_str()));
        assert_eq!(
            modifier.handles_unset(),
            word.contains(['-', '+', '?']),
            "{word}"
        );
    }
}

#[test]
fn quoting_and_escapes() {
    assert_eq!(names("'$A ${B}' $C"), ["C"]);
    assert_eq!(names(r#""\$A $B" \${C} \\$D"#), ["B", "D"]);
    assert_eq!(names(r#"${A:+"$B"} ${C:-'$D'}"#), ["A", "B", "C"]);
    assert_eq!(names(r"${A#\$B}"), ["A"]);
    assert_eq!(names("$ $. $- $1x ${@}"), ["-", "1", "@"]);
    // With the backtick escape, `\` is an ordinary character.
    let got: Vec<String> = variable_references(r"`$A \$B", '`')
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(got, ["B"]);
    // Heredoc bodies are expanded without quote processing.
    let heredoc = Lexer::new('\\').with_skip_process_quotes(true);
    let got: Vec<String> = heredoc
        .variable_references("echo '$A'")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(got, ["A"]);
}

#[test]
fn nested_references() {
    let got = refs("${A:-${B:-$C}}x", '\\');
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].1, "${A:-${B:-$C}}");
    assert_eq!(got[1].1, "${B:-$C}");
    assert_eq!(got[2].1, "$C");
}

#[test]
fn errors_stop_the_scan() {
    // Value-dependent errors are ignored.
    assert_eq!(names("${X?} ${Y:?} ${Z#\\q} $W"), ["X", "Y", "Z", "W"]);
    // Syntax errors keep what came before.
    assert_eq!(names("$A ${B"), ["A"]);
    assert_eq!(names("$A ${B:-$C"), ["A", "C"]);
    assert_eq!(names("$A 'x $B"), ["A"]);
    assert_eq!(names("$A ${B:=x} $C"), ["A"]);
    assert_eq!(names("$A ${B:#x} $C"), ["A"]);
    assert_eq!(names("${} $A"), Vec::<String>::new());
}

#[test]
fn spans_are_bytes() {
    let word = "\u{FEFF}한$한국어/${KO:-é}";
    let got = variable_references(word, '\\');
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].name, "한국어");
    assert_eq!(&word[got[0].span.clone()], "$한국어");
    assert_eq!(got[0].span.start, 6);
    assert_eq!(&word[got[1].span.clone()], "${KO:-é}");
    assert_eq!(&word[got[1].name_span.clone()], "KO");
}

#[test]
fn special_parameters() {
    let special: Vec<bool> = variable_references("$1 $@ ${#} $A $_x", '\\')
        .iter()
        .map(VarRef::is_special)
        .collect();
    assert_eq!(special, [true, true, true, false, false]);
}

#[test]
fn references_agree_with_lookups() {
    // Whatever expands without error looks up exactly the referenced names.
    let lexer = Lexer::new('\\');
    for word in [
        "$A${B}${C:-$D}${E+${F}}",
        r#""$A" '$B' ${C#$D} ${E//$F/$G} \$H"#,
        "${A?$B}",
    ] {
        let env = [("A", "1"), ("B", "2"), ("C", "3"), ("E", "4")];
        let Ok(e) = lexer.process_word(word, &env) else {
            continue;
        };
        let mut looked_up: Vec<String> = e.matched.into_iter().chain(e.unmatched).collect();
        looked_up.sort();
        let mut referenced = names(word);
        referenced.sort();
        referenced.dedup();
        assert_eq!(looked_up, referenced, "{word}");
    }
}
