//! Helpers the FROM-family rules share: what a `--from` reference names,
//! platform strings, stage-name spelling, did-you-mean suggestions.

use crate::Checker;
use plimsoll_diagnostics::Span;
use plimsoll_model::mount_option;
use plimsoll_syntax::{Flag, Instruction};

/// What the value of `COPY --from=…` or `RUN --mount=…,from=…` refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FromRef {
    /// A stage defined before the instruction's stage.
    Earlier(usize),
    /// The stage the instruction is in.
    Own,
    /// A stage defined after the instruction's stage (by name or index).
    Later(usize),
    /// A number that is no stage's index.
    BadIndex,
    /// Spelled like a stage name, but no stage has it: a typo, or an image
    /// of Docker Hub without a tag.
    UnknownName(String),
    /// Not a possible stage name: an image reference (`alpine:3.20`,
    /// `ghcr.io/o/img`), valid or not.
    Image(String),
    /// Depends on a variable whose value is unknown.
    Unresolved,
}

/// Resolve a `--from` value written in instruction `index`.
pub(super) fn resolve_from(cx: &Checker<'_>, index: usize, written: &str) -> FromRef {
    let Some(value) = cx.model.resolve(index, written) else {
        return FromRef::Unresolved;
    };
    let stages = &cx.model.stages;
    let current = cx.model.stage_of(index).map_or(stages.len(), |s| s.index);
    let lower = value.to_ascii_lowercase();
    let named: Vec<usize> = stages
        .iter()
        .filter(|s| s.name.as_deref() == Some(lower.as_str()))
        .map(|s| s.index)
        .collect();
    if let Some(&i) = named.iter().find(|&&i| i < current) {
        return FromRef::Earlier(i);
    }
    if named.contains(&current) {
        return FromRef::Own;
    }
    if let Some(&i) = named.first() {
        return FromRef::Later(i);
    }
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<usize>() {
            Ok(i) if i < current => FromRef::Earlier(i),
            Ok(i) if i == current => FromRef::Own,
            Ok(i) if i < stages.len() => FromRef::Later(i),
            _ => FromRef::BadIndex,
        };
    }
    if is_stage_name(&value) {
        FromRef::UnknownName(value)
    } else {
        FromRef::Image(value)
    }
}

/// BuildKit's stage name syntax, `^[a-z][a-z0-9-_.]*$`, after lower-casing.
pub(super) fn is_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes().map(|b| b.to_ascii_lowercase());
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// The `from=` option of a `--mount` flag: its value and the value's source
/// span, when the flag is written without continuations inside.
pub(super) fn mount_from(cx: &Checker<'_>, flag: &Flag) -> Option<(String, Option<Span>)> {
    let value = flag.value.as_deref()?;
    let from = mount_option(value, "from")?.to_string();
    let span = flag.value_span.and_then(|vs| {
        if cx.slice(vs) != value {
            return None;
        }
        let mut at = 0;
        for part in value.split(',') {
            if let Some((k, v)) = part.split_once('=')
                && k.trim().eq_ignore_ascii_case("from")
            {
                let lead = v.len() - v.trim_start().len();
                let start = vs.start + at + k.len() + 1 + lead;
                return Some(Span::new(start, start + v.trim().len()));
            }
            at += part.len() + 1;
        }
        None
    });
    Some((from, span))
}

/// The source span of `inner`, a byte range of `value` written at `span`,
/// when it is written exactly as its value (no quotes removed, no
/// continuation); else the whole span.
pub(super) fn span_in(
    cx: &Checker<'_>,
    span: Span,
    value: &str,
    inner: std::ops::Range<usize>,
) -> Span {
    if cx.slice(span) == value && inner.start <= inner.end && inner.end <= value.len() {
        Span::new(span.start + inner.start, span.start + inner.end)
    } else {
        span
    }
}

/// The `--platform` flag of a FROM, with a non-empty value.
pub(super) fn platform_flag(ins: &Instruction) -> Option<(&Flag, &str)> {
    let flag = ins.flag("platform")?;
    let value = flag.value.as_deref().filter(|v| !v.is_empty())?;
    Some((flag, value))
}

/// A platform as containerd's `platforms.Parse` normalises it: OS and
/// architecture, lower-cased, with aliases resolved (`x86_64` is `amd64`,
/// `macos` is `darwin`). `None` for what BuildKit would reject.
pub(super) fn parse_platform(s: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = s.split('/').collect();
    let valid = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    };
    if !parts.iter().all(valid) {
        return None;
    }
    match parts.as_slice() {
        [one] => {
            let os = normalize_os(one);
            if KNOWN_OS.contains(&os.as_str()) {
                // The architecture is the builder's own; assume the common one.
                return Some((os, "amd64".to_string()));
            }
            let arch = normalize_arch(one);
            KNOWN_ARCH
                .contains(&arch.as_str())
                .then(|| ("linux".to_string(), arch))
        }
        [os, arch] | [os, arch, _] => Some((normalize_os(os), normalize_arch(arch))),
        _ => None,
    }
}

fn normalize_os(os: &str) -> String {
    let os = os.to_ascii_lowercase();
    if os == "macos" {
        "darwin".to_string()
    } else {
        os
    }
}

fn normalize_arch(arch: &str) -> String {
    let arch = arch.to_ascii_lowercase();
    match arch.as_str() {
        "i386" => "386",
        "x86_64" | "x86-64" | "amd64" => "amd64",
        "aarch64" | "arm64" => "arm64",
        "armhf" | "armel" | "arm" => "arm",
        other => other,
    }
    .to_string()
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

pub(super) use crate::suggest::did_you_mean as suggest;

/// `root`, `0`, `root:…`, `0:…`: the user is the superuser.
pub(super) fn is_root_user(user: &str) -> bool {
    let uid = user.trim().split(':').next().unwrap_or("");
    uid == "root" || (!uid.is_empty() && uid.bytes().all(|b| b == b'0'))
}

/// Registry host of a reference whose tail is unresolved
/// (`registry.example.com/app:${TAG}`): the first path component when it is
/// written literally and looks like a host.
pub(super) fn written_registry(written: &str) -> Option<&str> {
    let (first, _) = written.split_once('/')?;
    let host_like = first.contains('.') || first.contains(':') || first == "localhost";
    (host_like && !first.contains('$')).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names() {
        assert!(is_stage_name("build"));
        assert!(is_stage_name("Build-2.x_y"));
        assert!(!is_stage_name("2build"));
        assert!(!is_stage_name("alpine:3.20"));
        assert!(!is_stage_name("ghcr.io/o/img"));
        assert!(!is_stage_name(""));
    }

    #[test]
    fn platforms() {
        let p = |s| parse_platform(s);
        assert_eq!(p("linux/amd64"), Some(("linux".into(), "amd64".into())));
        assert_eq!(p("Linux/x86_64"), Some(("linux".into(), "amd64".into())));
        assert_eq!(p("linux/arm/v7"), Some(("linux".into(), "arm".into())));
        assert_eq!(p("linux/aarch64"), Some(("linux".into(), "arm64".into())));
        assert_eq!(p("arm64"), Some(("linux".into(), "arm64".into())));
        assert_eq!(p("windows"), Some(("windows".into(), "amd64".into())));
        assert_eq!(p("nonsense"), None);
        assert_eq!(p("linux/"), None);
        assert_eq!(p("a/b/c/d"), None);
        assert_eq!(p("linux/*"), None);
    }

    #[test]
    fn root_users() {
        for u in ["root", "0", "0:0", "root:root", "00", " root "] {
            assert!(is_root_user(u), "{u}");
        }
        for u in ["app", "1000", "1000:0", "rooter", "", ":root"] {
            assert!(!is_root_user(u), "{u}");
        }
    }

    #[test]
    fn written_registries() {
        assert_eq!(written_registry("quay.io/org/app:${TAG}"), Some("quay.io"));
        assert_eq!(
            written_registry("localhost:5000/app"),
            Some("localhost:5000")
        );
        assert_eq!(written_registry("org/app:${TAG}"), None);
        assert_eq!(written_registry("${REG}/app"), None);
        assert_eq!(written_registry("alpine"), None);
    }
}
