//! Nothing a Dockerfile can hold makes the shell layer panic, overflow
//! the stack or lose its spans.

use plimsoll_shell::{Shell, analyze_run};
use plimsoll_syntax::parse_str;
use proptest::prelude::*;

/// Analyses `RUN <script>` and checks the invariants every script keeps.
fn check(script: &str) {
    let src = format!("FROM x\nRUN {script}\n");
    let df = parse_str(&src);
    for ins in &df.instructions {
        for shell in [Shell::default(), Shell::from_argv(&["bash", "-c"])] {
            for s in analyze_run(&df, ins, &shell) {
                for c in &s.commands {
                    assert!(c.span.start <= c.span.end && c.span.end <= df.text.len());
                    assert!(ins.span.start <= c.span.start && c.span.end <= ins.span.end);
                    for w in c.name.iter().chain(&c.args) {
                        assert!(w.span.start <= w.span.end && w.span.end <= df.text.len());
                    }
                    assert!(c.pipeline < s.pipelines.len());
                    let _ = c.effective();
                    let _ = c.positional_args(&["-o"]);
                    let _ = c.flag_value(&["-o", "--opt"]);
                }
                for p in &s.pipelines {
                    for r in &p.stages {
                        assert!(r.start <= r.end && r.end <= s.commands.len());
                    }
                }
            }
        }
    }
}

/// Runs `f` on a thread with a small stack, as a rule engine's worker
/// threads may have.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_shell_soup(s in r#"([a-z0-9 \-=$(){}\[\]`'"\\|&;<>!#*~\n\t]|é|\$\(|\$\{|<<-?EOF|EOF\n|&&|\|\||;;|if |then |fi|done|do |case |esac| in ){0,60}"#) {
        check(&s);
    }

    #[test]
    fn never_panics_on_any_string(s in any::<String>()) {
        check(&s);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    on_small_stack(|| {
        for depth in [10, 39, 40, 41, 100, 5000] {
            check(&format!("{}echo x{}", "(".repeat(depth), ")".repeat(depth)));
            check(&format!(
                "{}echo x{}",
                "{ ".repeat(depth),
                "; }".repeat(depth)
            ));
            check(&format!(
                "echo {}x{}",
                "$(echo ".repeat(depth),
                ")".repeat(depth)
            ));
            check(&format!(
                "echo \"{}x{}\"",
                "$(echo \"".repeat(depth),
                "\")".repeat(depth)
            ));
            check(&format!(
                "{}true{}",
                "if true; then ".repeat(depth),
                "; fi".repeat(depth)
            ));
            check(&format!(
                "{}true{}",
                "while true; do ".repeat(depth),
                "; done".repeat(depth)
            ));
            check(&format!("echo {}", "`echo \\".repeat(depth.min(12))));
            check(&format!("x={}", "${a:-".repeat(depth)));
        }
    });
}

#[test]
fn long_scripts_stay_linear() {
    let chain = vec!["apt-get install -y x"; 5000].join(" && ");
    check(&chain);
    let pipes = vec!["cat"; 5000].join(" | ");
    check(&pipes);
    let huge = "echo ".to_string() + &"a".repeat(300_000);
    check(&huge);
    check("12345678901234567890>x");
    check(&"\"".repeat(10_000));
    check(&"$(".repeat(10_000));
}

/// Found by fuzzing: brush-parser 0.4 panics on an empty quoted heredoc
/// delimiter and, with a newline after it, loops allocating forever. Such
/// scripts go to the tolerant splitter instead.
#[test]
fn empty_quoted_heredoc_delimiters_do_not_hang() {
    for script in [
        "<<\"\"(${",
        "cat <<''(${",
        "cat <<-\"\" x",
        "cat << '' \necho hi",
    ] {
        check(script);
        let src = format!("FROM x\nRUN {script}\n");
        let df = parse_str(&src);
        for s in analyze_run(&df, &df.instructions[1], &Shell::default()) {
            assert!(!s.parsed_exactly(), "{script:?} should use the fallback");
        }
    }
}
