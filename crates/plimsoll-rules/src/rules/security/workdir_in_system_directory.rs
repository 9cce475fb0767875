use crate::rules::instructions::common::targets;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` in a system directory, after ARG/ENV variables are
    /// expanded and a relative path is joined to the WORKDIR in force
    /// (`WORKDIR /usr` then `WORKDIR bin` is `/usr/bin`); `.`, `..` and
    /// repeated slashes are resolved first. Three kinds:
    /// - **anywhere under** `/proc`, `/sys` and `/dev`, which the container
    ///   runtime mounts over (what the build writes there is hidden or
    ///   fails), and `/boot`, `/initrd`, `/lost+found` (boot files and fsck's
    ///   recovery folder, never an application's place);
    /// - **exactly** `/bin`, `/sbin`, `/lib`, `/lib32`, `/lib64`,
    ///   `/libx32`, `/usr`, `/usr/bin`, `/usr/sbin`, `/usr/lib`,
    ///   `/usr/lib32`, `/usr/lib64`, `/usr/libexec`, `/usr/share`, `/etc`,
    ///   `/var`, `/var/lib`, `/run` and `/var/run`: the directories the
    ///   distribution's packages own. Their subdirectories are where
    ///   applications belong (`/usr/src/app`, `/var/www/html`,
    ///   `/etc/nginx`), so they are not flagged, and neither is
    ///   `/usr/local/…`, the hierarchy set aside for local installs;
    /// - `/` itself only when a `COPY` or `ADD` with a relative destination
    ///   (`COPY . .`, `ADD app.tar.gz ./`) follows it in the stage: those
    ///   files land in the root of the filesystem. `WORKDIR /` to reset the
    ///   directory before absolute copies is fine.
    ///
    /// It stays quiet for a path with a variable it cannot resolve, a
    /// relative path when the WORKDIR in force comes from the base image,
    /// Windows paths, and `/root`, `/tmp`, `/opt`, `/srv` and `/home`.
    /// `ONBUILD WORKDIR` is checked when it has no variable.
    ///
    /// ## Why is this bad?
    /// The working directory is where relative paths go: `COPY . .`,
    /// archives unpacked with `tar -x`, `git clone`, and whatever the
    /// application writes at run time. In a system directory they mix
    /// with, and can overwrite, the files the distribution manages
    /// (`COPY . .` in `/etc` may replace `passwd`); a later package upgrade
    /// can overwrite them in turn. Under `/proc`, `/sys` or `/dev` the
    /// runtime's mounts hide them. Give the application a directory of its
    /// own.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /usr
    /// COPY . .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /usr/src/app
    /// COPY . .
    /// ```
    ///
    /// ## References
    /// Trivy's DS-0030 (`avoid-sys-workdir-mounts`) flags a WORKDIR that
    /// starts with `/proc/`, `/boot/`, `/dev/`, `/initrd/` or
    /// `/lost+found/` (with the slash, so `WORKDIR /proc` passes it). This
    /// rule flags those with or without the slash, after expansion, and the
    /// other system directories above.
    pub struct WorkdirInSystemDirectory {
        code: "PL1105",
        name: "workdir_in_system_directory",
        aliases: [],
        severity: Warning,
        summary: "WORKDIR is a system directory",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// Directories whose whole subtree is off limits.
const SUBTREES: &[&str] = &["/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found"];

/// Directories the distribution's packages own (their subdirectories are
/// fine).
const EXACT: &[&str] = &[
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/share",
    "/etc",
    "/var",
    "/var/lib",
    "/run",
    "/var/run",
];

impl Rule for WorkdirInSystemDirectory {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for t in targets(cx, Keyword::Workdir, true) {
            let Some(word) = t.ins.args.first() else {
                continue;
            };
            let Some(raw) = t.resolve(cx, &word.value) else {
                continue;
            };
            let path = if raw.starts_with('/') {
                clean(&raw)
            } else if t.onbuild {
                continue;
            } else {
                match cx.model.context(t.index).workdir.as_deref() {
                    Some(current) => clean(&format!("{current}/{raw}")),
                    None => continue,
                }
            };
            let msg = if let Some(root) = SUBTREES
                .iter()
                .find(|d| path == **d || path.starts_with(&format!("{d}/")))
            {
                format!(
                    "WORKDIR `{path}` is under `{root}`, a system directory: give the \
                     application a directory of its own"
                )
            } else if EXACT.contains(&path.as_str()) {
                format!(
                    "WORKDIR `{path}` is a directory the distribution manages: give the \
                     application a directory of its own"
                )
            } else if path == "/" && !t.onbuild {
                match relative_copy_after(cx, t.index) {
                    Some(line) => format!(
                        "WORKDIR `/` makes the relative destination on line {line} copy into the \
                         root of the filesystem"
                    ),
                    None => continue,
                }
            } else {
                continue;
            };
            found.push((word.span, msg));
        }
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}

/// The line of the first COPY or ADD with a relative destination after
/// instruction `index` in its stage, before another WORKDIR.
fn relative_copy_after(cx: &Checker<'_>, index: usize) -> Option<usize> {
    let stage = cx.model.stage_of(index)?;
    for i in index + 1..stage.instructions.end {
        let ins = cx.model.instruction(i);
        match ins.keyword {
            Keyword::Workdir => return None,
            Keyword::Copy | Keyword::Add => {
                let dest = ins.args.last()?;
                let dest = dest.value.trim_matches('"');
                if !dest.is_empty() && !dest.starts_with('/') && !dest.starts_with('$') {
                    return Some(ins.start_line);
                }
            }
            _ => {}
        }
    }
    None
}

/// An absolute path with `.`, `..` and repeated slashes resolved.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn cleaning() {
        assert_eq!(clean("/usr/bin/"), "/usr/bin");
        assert_eq!(clean("//usr/./local/../bin"), "/usr/bin");
        assert_eq!(clean("/.."), "/");
    }
}
