//! The README's rule table is generated from the rules: this test fails
//! when they drift apart. Regenerate with `./scripts/update-readme`.

use assert_cmd::Command;

#[test]
fn readme_rule_table_matches_the_rules() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + 21;
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let out = Command::cargo_bin("plimsoll")
        .unwrap()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().count() > 10);
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale: run ./scripts/update-readme"
    );
}
