//! Version pins of yum and dnf packages, shared by DL3033 and DL3041.

use super::common::{RPM_VALUE_FLAGS, subcommand_in};
use crate::rules::pins::Packages;
use plimsoll_shell::Command;

/// The package operands of `programs install`, or the module operands of
/// `programs module install` (which need a stream, `nodejs:20`); a
/// package is pinned as `pinned` says.
pub(crate) fn install_operands<'c>(
    cmd: &'c Command,
    programs: &[&str],
    pinned: fn(&str) -> bool,
) -> Option<Packages<'c>> {
    if let Some((_, _, rest)) = subcommand_in(cmd, programs, &["install"], RPM_VALUE_FLAGS) {
        return Some(Packages::new(rest, pinned));
    }
    let (_, _, rest) = subcommand_in(cmd, programs, &["module"], RPM_VALUE_FLAGS)?;
    match rest.split_first() {
        Some((sub, rest)) if sub.is("install") => Some(Packages::new(rest.to_vec(), module_pinned)),
        _ => None,
    }
}

fn module_pinned(v: &str) -> bool {
    skipped(v) || v.contains(':')
}

/// Operands that are not package names to pin: groups (`@core`), files,
/// paths and URLs.
fn skipped(v: &str) -> bool {
    v.starts_with('@') || v.contains('/') || v.ends_with(".rpm")
}

/// hadolint's yum rule (2.15): a dash followed by a digit (`httpd-2.4`,
/// `foo-bar-1.2-3.el7`), so `epel-release` is not a pin.
pub(crate) fn yum_pinned(v: &str) -> bool {
    skipped(v)
        || v.as_bytes()
            .windows(2)
            .any(|w| w[0] == b'-' && w[1].is_ascii_digit())
}

/// hadolint's dnf rule: after the first dash, every dash-separated part is
/// made of version characters and one starts with a digit
/// (`httpd-2.4.57`, `nodejs-1:20.1-1.fc40`), so `python3-pip` is not a
/// pin.
pub(crate) fn dnf_pinned(v: &str) -> bool {
    if skipped(v) {
        return true;
    }
    let mut parts = v.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && rest.iter().all(|p| {
            p.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '~' | '^' | '_' | ':' | '+')
            })
        })
        && rest
            .iter()
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yum_versions() {
        assert!(yum_pinned("httpd-2.4"));
        assert!(yum_pinned("foo-bar-1.2-3.el7"));
        assert!(yum_pinned("foo-2:1.0"));
        assert!(!yum_pinned("epel-release"));
        assert!(!yum_pinned("gcc-c++"));
        assert!(!yum_pinned("foo-v1"));
        assert!(!yum_pinned("httpd"));
    }

    #[test]
    fn dnf_versions() {
        assert!(dnf_pinned("httpd-2.4.57"));
        assert!(dnf_pinned("nodejs-1:20.1-1.fc40"));
        assert!(!dnf_pinned("python3-pip"));
        assert!(!dnf_pinned("httpd"));
        assert!(!dnf_pinned("httpd-"));
        assert!(!yum_pinned("python3-pip"));
        assert!(skipped("@core") && skipped("/tmp/a.rpm") && skipped("https://x/y"));
    }
}
