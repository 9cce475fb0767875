//! BuildKit's own expansion tables (`frontend/dockerfile/shell/envVarTest`
//! and `wordsTest`), read and checked the way `lex_test.go` does
//! (`TestShellParser4EnvVars`, `TestShellParser4Words`).

use plimsoll_expand::Lexer;

use plimsoll_testkit::shared_dir;

fn read_table(name: &str) -> String {
    let path = shared_dir().join("buildkit/shell").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (set PLIMSOLL_SHARED)", path.display()))
}

#[test]
fn env_var_test() {
    let table = read_table("envVarTest");
    let env = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ];
    let lexer = Lexer::new('\\');
    let mut checked = 0;
    let mut failures = Vec::new();

    for (index, line) in table.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') {
            continue;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        let [platform, source, expected] = fields[..] else {
            failures.push(format!(
                "line {line_no}: not PLATFORM|input|expected: {line:?}"
            ));
            continue;
        };
        let (platform, source, expected) = (platform.trim(), source.trim(), expected.trim());
        match platform {
            "A" | "U" => {}
            "W" => continue,
            other => {
                failures.push(format!("line {line_no}: unknown platform {other:?}"));
                continue;
            }
        }
        checked += 1;
        let got = lexer.process_word(source, &env);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(e), expected) => expected != "error" && e.value == expected,
            (Err(_), _) => false,
        };
        if !ok {
            let got = got.map(|e| e.value).map_err(|e| e.to_string());
            failures.push(format!(
                "line {line_no}: {source:?} expected {expected:?}, got {got:?}"
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {checked} envVarTest rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "no envVarTest rows were checked");
    eprintln!("envVarTest: {checked} rows checked");
}

#[test]
fn words_test() {
    let table = read_table("wordsTest");
    let lexer = Lexer::new('\\');
    let mut env: Vec<(String, String)> = Vec::new();
    let mut checked = 0;
    let mut failures = Vec::new();

    for (index, line) in table.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            // `line[3:]` trimmed on the left only: trailing spaces are data.
            let entry = rest.trim_start_matches(' ');
            let (key, value) = entry.split_once('=').unwrap_or((entry, ""));
            env.push((key.to_owned(), value.to_owned()));
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        let [input, expected] = fields[..] else {
            failures.push(format!("line {line_no}: not input | words: {line:?}"));
            continue;
        };
        let input = input.trim();
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        checked += 1;
        let got = lexer
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_owned()]);
        if got != expected {
            failures.push(format!(
                "line {line_no}: {input:?} expected {expected:?}, got {got:?}"
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {checked} wordsTest rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "no wordsTest rows were checked");
    eprintln!("wordsTest: {checked} rows checked");
}
