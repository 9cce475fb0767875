use crate::{CheckDirective, parse_check_directive};

fn ok(v: &str) -> CheckDirective {
    parse_check_directive(v).unwrap_or_else(|e| panic!("{v:?}: {e}"))
}

#[test]
fn empty_is_the_default() {
    assert_eq!(ok(""), CheckDirective::default());
    assert_eq!(ok("   "), CheckDirective::default());
}

#[test]
fn skip_list_and_error() {
    let d = ok("skip=JSONArgsRecommended, StageNameCasing;error=true");
    assert_eq!(d.skip, ["JSONArgsRecommended", "StageNameCasing"]);
    assert!(!d.skip_all);
    assert!(d.error);
    let d = ok(" error = false ; skip = A ");
    assert_eq!(d.skip, ["A"]);
    assert!(!d.error);
    assert!(d.skips("PL1", &["A"]));
    assert!(d.skips("A", &[]));
    assert!(!d.skips("PL1", &["a"]));
}

#[test]
fn skip_all() {
    let d = ok("skip=all");
    assert!(d.skip_all);
    assert!(d.skip.is_empty());
    assert!(d.skips("anything", &[]));
    // Only the exact word: `ALL` is a check name.
    let d = ok("skip=ALL");
    assert!(!d.skip_all);
    assert_eq!(d.skip, ["ALL"]);
}

#[test]
fn go_booleans() {
    for v in ["1", "t", "T", "TRUE", "true", "True"] {
        assert!(ok(&format!("error={v}")).error, "{v}");
    }
    for v in ["0", "f", "F", "FALSE", "false", "False"] {
        assert!(!ok(&format!("error={v}")).error, "{v}");
    }
    for v in ["yes", "tRUE", "on", ""] {
        assert!(parse_check_directive(&format!("error={v}")).is_err(), "{v}");
    }
}

#[test]
fn errors_like_buildkit() {
    assert_eq!(
        parse_check_directive("skip").unwrap_err(),
        "invalid check option \"skip\""
    );
    assert_eq!(
        parse_check_directive("skipp=A").unwrap_err(),
        "invalid check option \"skipp\""
    );
    assert!(
        parse_check_directive("error=maybe")
            .unwrap_err()
            .contains("error=maybe")
    );
    // Only two options are split off: a third stays in the second's value.
    assert!(parse_check_directive("skip=A;error=true;skip=B").is_err());
    // Keys are case-sensitive.
    assert!(parse_check_directive("SKIP=A").is_err());
}
