//! Every rule plimsoll has, whichever checker runs it: the Dockerfile
//! rules, the build-context checks, the image checks and the compose and
//! Kubernetes checks.

use plimsoll_diagnostics::RuleInfo;
use std::sync::OnceLock;

pub struct Entry {
    pub info: &'static RuleInfo,
    pub default_enabled: bool,
}

pub fn all() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Entry> = plimsoll_rules::all_rules()
            .iter()
            .map(|r| Entry {
                info: r.info(),
                default_enabled: r.default_enabled(),
            })
            .collect();
        all.extend(plimsoll_context::RULES.iter().map(|info| Entry {
            info,
            default_enabled: true,
        }));
        all.extend(plimsoll_image::RULES.iter().map(|&info| Entry {
            info,
            default_enabled: true,
        }));
        all.extend(
            plimsoll_runtime::rules()
                .iter()
                .map(|&(info, default_enabled)| Entry {
                    info,
                    default_enabled,
                }),
        );
        all.sort_by_key(|e| e.info.code);
        all
    })
}

/// Rules a code, BuildKit name or rule name stands for (a BuildKit name
/// can stand for several).
pub fn matching(code: &str) -> Vec<&'static Entry> {
    all()
        .iter()
        .filter(|e| {
            let i = e.info;
            i.code.eq_ignore_ascii_case(code)
                || i.name.eq_ignore_ascii_case(code)
                || i.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
        })
        .collect()
}

/// The rule a finding's code names, for reporters.
pub fn info(code: &str) -> Option<RuleInfo> {
    all().iter().find(|e| e.info.code == code).map(|e| *e.info)
}
