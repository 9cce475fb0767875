//! The rules that check a Dockerfile, and the engine that runs them.
//!
//! One rule, one file (`rules/<family>/<name>.rs`): a struct declared with
//! [`declare_rule!`] whose doc comment is the rule's documentation, and an
//! [`Rule::check`] that reports findings with optional fixes. Adding a rule
//! touches that file and one line of its family's registry.

mod checker;
mod engine;
mod fix;
mod pragma;
pub mod rules;
mod shellcheck_binary;
mod suggest;

pub use checker::{Checker, LabelType, RuleOptions};
pub use engine::{LintOptions, Selection, apply_suppressions, lint, lint_with_model};
pub use fix::{FixMode, apply_fixes};
pub use plimsoll_diagnostics::{Finding, RuleInfo, Severity};
pub use pragma::{Pragma, PragmaKind, parse_pragma};
pub use rules::is_secret_name;
pub use shellcheck_binary::{ShellcheckBinary, ShellcheckError, shellcheck_findings};

/// Metadata every rule has; implemented by [`declare_rule!`].
pub trait Described {
    fn info(&self) -> &'static RuleInfo;
    /// Off-by-default rules run only when selected explicitly.
    fn default_enabled(&self) -> bool;
}

/// A check over one Dockerfile.
pub trait Rule: Described + Sync + Send {
    fn check(&self, checker: &mut Checker<'_>);
}

/// Declare a rule: its doc comment becomes the documentation that
/// `plimsoll rule CODE` prints.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            aliases: [$($alias:literal),* $(,)?],
            severity: $sev:ident,
            summary: $summary:literal,
            url: $url:expr,
            fixable: $fixable:literal,
            default_enabled: $enabled:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $crate::Described for $name {
            fn info(&self) -> &'static $crate::RuleInfo {
                static INFO: $crate::RuleInfo = $crate::RuleInfo {
                    code: $code,
                    name: $rname,
                    aliases: &[$($alias),*],
                    severity: $crate::Severity::$sev,
                    summary: $summary,
                    docs: concat!($($doc, "\n"),*),
                    fixable: $fixable,
                    url: $url,
                };
                &INFO
            }
            fn default_enabled(&self) -> bool {
                $enabled
            }
        }
    };
}

/// Every rule, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    rules::ALL.get_or_init(rules::collect)
}

/// Find a rule by its code or an alias (BuildKit check name); codes are
/// matched case-insensitively, names exactly or case-insensitively.
pub fn find_rule(code: &str) -> Option<&'static dyn Rule> {
    all_rules().iter().copied().find(|r| {
        let info = r.info();
        info.code.eq_ignore_ascii_case(code)
            || info.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
            || info.name.eq_ignore_ascii_case(code)
    })
}

/// Trim the rustdoc indentation a doc comment leaves on every line.
pub fn render_docs(info: &RuleInfo) -> String {
    let mut out = String::new();
    for line in info.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim_end().to_string()
}
