//! The whole Dockerfile check (model, every rule, every fix) never panics,
//! and fixes never produce edits outside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use plimsoll_rules::{FixMode, LintOptions, Rule, RuleOptions, apply_fixes, lint};

fuzz_target!(|data: &[u8]| {
    let Ok(df) = plimsoll_syntax::parse(data) else {
        return;
    };
    let select = |r: &'static dyn Rule| Some(r.info().severity);
    let opts = LintOptions {
        rules: RuleOptions::default(),
        select: &select,
        disable_ignore_pragma: false,
    };
    let findings = lint(&df, "Dockerfile", &opts);
    for f in &findings {
        if let Some(s) = f.span {
            assert!(s.start <= s.end && s.end <= df.text.len(), "{f:?}");
        }
    }
    let (fixed, _) = apply_fixes(&df.text, &findings, FixMode::Unsafe);
    let _ = plimsoll_syntax::parse_str(&fixed);
});
