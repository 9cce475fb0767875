use super::common::covers;
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`,
    /// `.tar.bz2`, `.tbz2`, `.tar.xz`, `.txz` …) that a later `RUN` of the
    /// same stage unpacks with `tar -x` and then removes.
    ///
    /// Unlike hadolint, which reports any extraction of a copied archive,
    /// the archive must be removed afterwards (when it is kept, the image
    /// may need it, and `ADD` would not keep it), and the extraction must
    /// be one `ADD` can do: the whole archive, into one directory. `tar`
    /// with `--strip-components`, `--exclude`, `--transform`, member names
    /// or output to stdout is not reported, nor are `unzip`/`gunzip` (`ADD`
    /// unpacks tar archives only), archives copied `--from` another stage,
    /// and sources given through variables.
    ///
    /// ## Why is this bad?
    /// The `COPY` layer keeps the archive even though a later `RUN` deletes
    /// it, so the image carries it twice: packed and unpacked. `ADD`
    /// unpacks a local tar archive (gzip, bzip2 or xz compressed) straight
    /// into the destination directory in one layer, and the archive itself
    /// never lands in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// ADD app.tar.gz /opt/
    /// ```
    pub struct ArchiveCopiedThenExtracted {
        code: "DL3010",
        name: "archive_copied_then_extracted",
        aliases: [],
        severity: Info,
        summary: "Use ADD for extracting archives into an image",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3010"),
        fixable: false,
        default_enabled: true,
    }
}

/// The suffixes of the tar archives `ADD` unpacks.
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz",
];

/// A copied archive: the source word's span, the names it may be called
/// by in the image, and where it is.
struct Copied {
    span: Span,
    names: Vec<String>,
    path: String,
}

impl Rule for ArchiveCopiedThenExtracted {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for stage in &cx.model.stages {
            for i in stage.instructions.clone() {
                for copied in copied_archives(cx, i) {
                    let later = i + 1..stage.instructions.end;
                    if extracted_and_removed(cx, later, &copied) {
                        found.push(copied.span);
                    }
                }
            }
        }
        for span in found {
            cx.report(span, "Use `ADD` for extracting archives into an image");
        }
    }
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

fn is_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ARCHIVES
        .iter()
        .any(|s| lower.ends_with(s) && lower.len() > s.len())
}

/// The local tar archives COPY `i` copies.
fn copied_archives(cx: &Checker<'_>, i: usize) -> Vec<Copied> {
    let Some(ins) = cx.dockerfile.instructions.get(i) else {
        return Vec::new();
    };
    if ins.keyword != Keyword::Copy || ins.flag("from").is_some() || !ins.heredocs.is_empty() {
        return Vec::new();
    }
    let Some((dest, sources)) = ins.args.split_last() else {
        return Vec::new();
    };
    let plain = |s: &str| !s.contains(['$', '*', '?', '[']) && !s.contains("://");
    if !plain(&dest.value) {
        return Vec::new();
    }
    let into_dir = dest.value.ends_with('/') || sources.len() > 1;
    sources
        .iter()
        .filter(|s| plain(&s.value) && is_archive(basename(&s.value)))
        .map(|s| {
            let source = basename(&s.value).to_string();
            let path = if into_dir {
                format!("{}/{source}", dest.value.trim_end_matches('/'))
            } else {
                dest.value.clone()
            };
            let mut names = vec![source];
            names.push(basename(&path).to_string());
            names.dedup();
            Copied {
                span: s.span,
                names,
                path,
            }
        })
        .collect()
}

/// True when a RUN among `later` unpacks the archive whole with tar and
/// the archive is removed after that.
fn extracted_and_removed(cx: &Checker<'_>, later: std::ops::Range<usize>, copied: &Copied) -> bool {
    let mut extracted = false;
    for j in later {
        for script in cx.scripts(j) {
            for cmd in &script.commands {
                if !extracted {
                    extracted = unpacks(cmd, copied);
                } else if removes(cmd, copied) {
                    return true;
                }
            }
        }
    }
    false
}

/// The tar options `ADD` can stand in for (besides `-f` and `-C`).
const SIMPLE_SHORT: &str = "xzjJvfCpom";
const SIMPLE_LONG: &[&str] = &[
    "--extract",
    "--get",
    "--file",
    "--directory",
    "--gzip",
    "--gunzip",
    "--ungzip",
    "--bzip2",
    "--xz",
    "--verbose",
    "--no-same-owner",
    "--same-owner",
    "--no-same-permissions",
    "--preserve-permissions",
    "--same-permissions",
    "--touch",
    "--auto-compress",
];

/// `tar -xzf <archive>` (also `tar xzf`, `--extract --file=`), unpacking
/// the whole archive.
fn unpacks(cmd: &Command, copied: &Copied) -> bool {
    let Some(tar) = cmd.runs("tar") else {
        return false;
    };
    let args: Vec<&str> = tar.args.iter().map(|w| w.value_or_text()).collect();
    // `tar xzf archive`: the old style, a first word of letters.
    let old_style = args
        .first()
        .filter(|a| !a.starts_with('-') && a.chars().all(|c| c.is_ascii_alphabetic()))
        .copied();
    let extract =
        tar.has_flag(&["-x", "--extract", "--get"]) || old_style.is_some_and(|a| a.contains('x'));
    let simple = args.iter().enumerate().all(|(k, a)| {
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            SIMPLE_LONG.contains(&format!("--{name}").as_str())
        } else if let Some(short) = a.strip_prefix('-') {
            short.chars().all(|c| SIMPLE_SHORT.contains(c))
        } else if k == 0 && old_style.is_some() {
            a.chars().all(|c| SIMPLE_SHORT.contains(c))
        } else {
            true
        }
    });
    if !extract || !simple {
        return false;
    }
    let archive = match old_style {
        Some(letters) if letters.contains('f') => tar.args.get(1).and_then(|w| w.value.clone()),
        _ => tar.flag_value(&["-f", "--file"]).and_then(|f| f.value),
    };
    let Some(archive) = archive else {
        return false;
    };
    // Nothing else than the archive (and `-C`'s directory): no members.
    let operands = tar.positional_args(&["-f", "--file", "-C", "--directory"]);
    let skip = match old_style {
        Some(letters) if letters.contains('f') => 2,
        Some(_) => 1,
        None => 0,
    };
    operands.len() <= skip && copied.names.iter().any(|n| n == basename(&archive))
}

/// `rm` of the archive, or of a directory holding it.
fn removes(cmd: &Command, copied: &Copied) -> bool {
    let Some(rm) = cmd.runs("rm") else {
        return false;
    };
    rm.positional_args(&[]).iter().any(|w| {
        w.value.as_deref().is_some_and(|v| {
            copied.names.iter().any(|n| n == basename(v))
                || (v.starts_with('/')
                    && v.trim_end_matches('/').len() > 1
                    && rm.has_flag(&["-r", "-R", "--recursive"])
                    && covers(v.trim_end_matches('/'), &copied.path))
        })
    })
}
