//! The YAML reader: spans, anchors, merge keys, documents, and what it
//! refuses (bombs, deep nesting, duplicate keys, broken syntax, size).

use plimsoll_runtime::yaml::{Limits, Style, Value, YamlError, parse};
use std::time::{Duration, Instant};

fn text_of(src: &str, span: plimsoll_diagnostics::Span) -> &str {
    &src[span.range()]
}

#[test]
fn spans_of_keys_values_and_collections() {
    let src = "a: 1\nb:\n  - x\n  - 'y z'\nc: {d: \"e\"}\n";
    let s = parse(src, 0, Limits::default()).unwrap();
    let root = s.documents[0].root.as_ref().unwrap();
    let b = root.entry("b").unwrap();
    assert_eq!(text_of(src, b.key.span), "b");
    assert_eq!(text_of(src, b.value.span), "- x\n  - 'y z'");
    let items = b.value.as_seq().unwrap();
    assert_eq!(text_of(src, items[1].span), "'y z'");
    assert_eq!(items[1].as_scalar().unwrap().style, Style::SingleQuoted);
    assert_eq!(
        items[1].as_scalar().unwrap().exact,
        Some(src.find("y z").unwrap())
    );
    let c = root.get("c").unwrap();
    assert_eq!(text_of(src, c.span), "{d: \"e\"}");
    assert_eq!(root.at(&["c", "d"]).unwrap().as_str(), Some("e"));
}

#[test]
fn nulls_and_scalars_as_written() {
    let src = "a:\nb: ~\nc: null\nd: 'null'\ne: 0.50\nf: \"0\"\n";
    let root = parse(src, 0, Limits::default()).unwrap().documents[0]
        .root
        .clone()
        .unwrap();
    assert!(root.get("a").unwrap().is_null());
    assert!(root.get("b").unwrap().is_null());
    assert!(root.get("c").unwrap().is_null());
    assert_eq!(root.get("d").unwrap().as_str(), Some("null"));
    assert_eq!(root.get("e").unwrap().as_str(), Some("0.50"));
    assert_eq!(root.get("f").unwrap().as_str(), Some("0"));
}

#[test]
fn merge_keys_keep_the_origin_and_explicit_keys_win() {
    let src = "base: &b\n  image: redis\n  user: root\nsvc:\n  <<: *b\n  user: app\nmulti:\n  <<: [{x: 1}, {x: 2, y: 3}]\n";
    let root = parse(src, 0, Limits::default()).unwrap().documents[0]
        .root
        .clone()
        .unwrap();
    let svc = root.get("svc").unwrap();
    assert_eq!(svc.get("user").unwrap().as_str(), Some("app"));
    let image = svc.get("image").unwrap();
    assert_eq!(image.as_str(), Some("redis"));
    // The merged value points where it was written, in the anchor.
    assert_eq!(image.span.start, src.find("redis").unwrap());
    let multi = root.get("multi").unwrap();
    assert_eq!(multi.get("x").unwrap().as_str(), Some("1"));
    assert_eq!(multi.get("y").unwrap().as_str(), Some("3"));
    // A quoted `<<` is an ordinary key.
    let quoted = parse("'<<': 1\n", 0, Limits::default()).unwrap();
    assert!(
        quoted.documents[0]
            .root
            .as_ref()
            .unwrap()
            .get("<<")
            .is_some()
    );
}

#[test]
fn documents_comments_and_tags() {
    let src = "# head\na: 1 # trail\n---\nb: !reset []\n---\n";
    let s = parse(src, 0, Limits::default()).unwrap();
    assert_eq!(s.documents.len(), 3);
    assert!(s.documents[2].root.as_ref().is_none_or(|r| r.is_null()));
    let texts: Vec<&str> = s.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" head", " trail"]);
    assert_eq!(text_of(src, s.comments[1].span), "# trail");
    let b = s.documents[1].root.as_ref().unwrap().get("b").unwrap();
    assert_eq!(b.tag.as_deref(), Some("!reset"));
}

#[test]
fn errors_are_located() {
    let err = parse("a: [1, 2\nb: 3\n", 0, Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::Syntax { .. }), "{err}");
    assert!(err.to_string().starts_with("invalid YAML at line"), "{err}");
    let err = parse("a: 1\nb: 2\na: 3\n", 0, Limits::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicate key `a` at line 3 (first at line 1)"
    );
    let err = parse("a: *nope\n", 0, Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::Syntax { .. }), "{err}");
    let err = parse("<<: 1\n", 0, Limits::default()).unwrap_err();
    assert!(err.to_string().contains("merge key"), "{err}");
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut src = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        src.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let start = Instant::now();
    let err = parse(&src, 0, Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::TooManyNodes { .. }), "{err}");
    assert!(err.to_string().contains("YAML bomb"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn merge_key_bombs_are_refused_too() {
    let mut src = String::from("m0: &m0 {k0: [x, x, x, x, x, x, x, x]}\n");
    for i in 1..25 {
        let p = i - 1;
        src.push_str(&format!(
            "m{i}: &m{i} {{<<: *m{p}, k{i}: [*m{p}, *m{p}]}}\n"
        ));
    }
    let err = parse(&src, 0, Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::TooManyNodes { .. }), "{err}");
}

#[test]
fn depth_and_size_limits() {
    let deep = format!("{}x{}", "[".repeat(300), "]".repeat(300));
    assert!(parse(&deep, 0, Limits::default()).is_err());
    let mut chain = String::from("a0: &a0 [x]\n");
    for i in 1..400 {
        chain.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    let err = parse(&chain, 0, Limits::default()).unwrap_err();
    assert!(matches!(err, YamlError::TooDeep { .. }), "{err}");
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert!(matches!(
        parse("a: 123456789\n", 0, small),
        Err(YamlError::TooLarge { .. })
    ));
}

#[test]
fn values_are_shared_not_lost() {
    let src = "x: &x {a: 1}\ny: *x\n";
    let root = parse(src, 0, Limits::default()).unwrap().documents[0]
        .root
        .clone()
        .unwrap();
    assert!(matches!(root.get("y").unwrap().value, Value::Map(_)));
    assert_eq!(root.at(&["y", "a"]).unwrap().as_str(), Some("1"));
}
