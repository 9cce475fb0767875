//! Configuration and filesystem practices of a built image (`PL3008`–
//! `PL3021`): how the config says to run it, and what the final
//! filesystem — the one a container sees, after whiteouts — holds.
//! dockle's checkpoints are the model where one exists (its code is the
//! rule's alias).

use crate::analysis::Analysis;
use crate::checks::{RUNS_AS_ROOT, root_user};
use crate::ci::format_size;
use crate::contents::Contents;
use crate::filesystem::{FileSystem, FinalEntry};
use crate::image::Image;
use crate::layer::EntryKind;
use crate::paths;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many findings per rule name single paths; the rest are
/// counted in one more finding.
pub const MAX_PATH_FINDINGS: usize = 20;

pub const MISSING_HEALTHCHECK: RuleInfo = RuleInfo {
    code: "PL3008",
    name: "service_without_healthcheck",
    aliases: &["CIS-DI-0006"],
    severity: Severity::Info,
    summary: "The image runs a service but defines no HEALTHCHECK",
    docs: "## What it does
Reports an image that looks like a long-running service — its config
exposes ports, or its entrypoint or command starts a known server
(`nginx`, `httpd`, `gunicorn`, `uvicorn`, `java -jar`, `node server.js`,
`redis-server`, `postgres`, `php-fpm`, `caddy`, `sshd`…) — and has no
`Healthcheck` in its config. `HEALTHCHECK NONE` is an explicit choice and
is not reported, nor are images that run a one-shot command.

OCI-format configs cannot carry a health check at all (buildah drops
`HEALTHCHECK` with a warning unless it builds `--format docker`); under
Kubernetes, which ignores `HEALTHCHECK`, liveness and readiness probes do
the same job and this finding can be ignored.

## Why is this bad?
Without a health check Docker and Swarm only know whether the process is
alive, not whether it answers: a hung server keeps receiving traffic and
is never restarted.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 80
```

Use instead:
```dockerfile
FROM nginx:1.27
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1
```

## Fix
Add a `HEALTHCHECK` that exercises the service (an HTTP request, a
client `ping`), or `HEALTHCHECK NONE` where the orchestrator probes it.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0006"),
};

pub const SSH_PORT: RuleInfo = RuleInfo {
    code: "PL3009",
    name: "ssh_port_exposed",
    aliases: &[],
    severity: Severity::Warning,
    summary: "The image exposes port 22 (SSH)",
    docs: "## What it does
Reports an image whose config exposes port 22 (`22`, `22/tcp`).

## Why is this bad?
An SSH server in a container is a second entry point with its own
credentials, keys and vulnerabilities, outside the runtime's control.
`docker exec` and `kubectl exec` already give a shell when one is needed.

## Example
```dockerfile
FROM debian:12
RUN apt-get update && apt-get install -y openssh-server
EXPOSE 22
CMD [\"/usr/sbin/sshd\", \"-D\"]
```

Use instead:
```dockerfile
FROM debian:12
# No SSH server: use `docker exec` or `kubectl exec` to debug.
```

## Fix
Remove the SSH server and the `EXPOSE 22`.
",
    fixable: false,
    url: None,
};

pub const SENSITIVE_VOLUME: RuleInfo = RuleInfo {
    code: "PL3010",
    name: "sensitive_volume",
    aliases: &["DKL-DI-0002"],
    severity: Severity::Warning,
    summary: "The image declares a VOLUME on a sensitive system path",
    docs: "## What it does
Reports `VOLUME`s in the image config on system paths: `/`, `/bin`,
`/boot`, `/dev`, `/etc`, `/lib`, `/lib64`, `/proc`, `/root`, `/run`,
`/sbin`, `/sys`, `/usr`, `/var/run`, the Docker and containerd sockets
(`/var/run/docker.sock`, `/run/docker.sock`,
`/run/containerd/containerd.sock`) and `/var/lib/docker`.

## Why is this bad?
A volume there shadows the image's own files with whatever the runtime
mounts, and invites mounting the host's: a host `/etc` or Docker socket in
a container is root on the host.

## Example
```dockerfile
VOLUME /var/run/docker.sock
```

Use instead:
```dockerfile
VOLUME /data
```

## Fix
Declare volumes only for application data directories.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0002"),
};

pub const SETUID_FILE: RuleInfo = RuleInfo {
    code: "PL3011",
    name: "setuid_setgid_file",
    aliases: &["CIS-DI-0008"],
    severity: Severity::Info,
    summary: "A file has the setuid or setgid bit",
    docs: "## What it does
Lists, one finding each, the regular files of the final filesystem with
the setuid (`04000`) or setgid (`02000`) bit, with their owner, mode and
the layer that added them, as dockle's CIS-DI-0008 does. Directories are
left out: setgid on a directory only makes new files inherit its group.

## Why is this bad?
A setuid-root program runs as root whoever starts it; a bug in it is a
privilege escalation from the container's user to root. Most containers
need none (`su`, `passwd`, `mount`, `newgrp`… come with base images).

## Example
```dockerfile
FROM debian:12-slim
USER 10001
```

Use instead:
```dockerfile
FROM debian:12-slim
RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true
USER 10001
```

## Fix
Remove the bits (`chmod u-s,g-s FILE`) or the programs; run the
container with `--security-opt no-new-privileges` as well.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0008"),
};

pub const WORLD_WRITABLE: RuleInfo = RuleInfo {
    code: "PL3012",
    name: "world_writable_path",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A file or directory is writable by every user",
    docs: "## What it does
Reports regular files and directories of the final filesystem that any
user may write (mode `o+w`), outside `/tmp`, `/var/tmp` and `/dev/shm`.
Directories with the sticky bit (`1777`, like `/tmp`) are left out: users
cannot delete or replace each other's files there. Symbolic links (always
`0777`) and device nodes are left out. Past 20 paths, the rest are counted
in one finding.

## Why is this bad?
Any process in the container, whatever its user, can change such a file:
a compromised unprivileged process can rewrite code or configuration that
a privileged one later runs or reads.

## Example
```dockerfile
COPY app /app
RUN chmod -R 777 /app
```

Use instead:
```dockerfile
COPY --chown=10001:10001 app /app
```

## Fix
Give files to the user that must write them (`COPY --chown`, `chown`)
with modes like `0644`/`0755`, and put scratch data in `/tmp` or a volume.
",
    fixable: false,
    url: None,
};

pub const ATTACK_SURFACE_TOOLS: RuleInfo = RuleInfo {
    code: "PL3013",
    name: "attack_surface_tools",
    aliases: &[],
    severity: Severity::Info,
    summary: "The final image ships shells, package managers or network tools",
    docs: "## What it does
Looks in `/bin`, `/sbin`, `/usr/bin`, `/usr/sbin`, `/usr/local/bin` and
`/usr/local/sbin` of the final filesystem for programs an attacker uses
once inside — shells (`sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`,
`busybox`), package managers (`apt`, `apt-get`, `dpkg`, `apk`, `yum`,
`dnf`, `microdnf`, `rpm`, `pip`, `npm`, `yarn`, `gem`), and network or
privilege tools (`nc`, `netcat`, `ncat`, `socat`, `ssh`, `sshd`, `telnet`,
`curl`, `wget`, `sudo`, `doas`) — and reports each group with the names
found. Links count (busybox's applets are symbolic links).

## Why is this bad?
Each is a ready-made tool for the next step of an attack: a shell to run
commands, a package manager or downloader to fetch more, a netcat to open
a reverse shell, sudo to escalate. A runtime image needs none of them to
run its application; a distroless or `scratch` final stage has none.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /app .
FROM debian:12
COPY --from=build /app /app
```

Use instead:
```dockerfile
FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
```

## Fix
Use a minimal final stage (distroless, `scratch`, a `-slim` image with the
tools removed) and copy only the application into it.
",
    fixable: false,
    url: None,
};

pub const PACKAGE_CACHE: RuleInfo = RuleInfo {
    code: "PL3014",
    name: "package_manager_cache_left",
    aliases: &["DKL-DI-0005"],
    severity: Severity::Warning,
    summary: "Package manager caches or index lists are left in the image",
    docs: "## What it does
Reports, with their size in the final filesystem, the caches package
managers leave behind: apt's lists (`/var/lib/apt/lists/*`) and
downloaded packages (`/var/cache/apt/**/*.deb`, `*.bin`), apk's cache
(`/var/cache/apk`), yum's and dnf's (`/var/cache/yum`, `/var/cache/dnf`),
pip's (`~/.cache/pip`), npm's (`~/.npm/_cacache`) and yarn's
(`~/.cache/yarn`, `/usr/local/share/.cache/yarn`), for `/root` and every
home directory. An empty directory is not reported.

## Why is this bad?
The lists and caches are only needed while installing; left in a layer
they add megabytes to every pull and date the image (stale apt lists make
a later `apt-get install` without `update` fail).

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
RUN pip install flask
```

Use instead:
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir flask
```

## Fix
Clean in the same `RUN` that installs (`rm -rf /var/lib/apt/lists/*`,
`apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean
--force`), or use a cache mount (`RUN --mount=type=cache,…`).
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0005"),
};

pub const EMPTY_PASSWORD: RuleInfo = RuleInfo {
    code: "PL3015",
    name: "empty_password",
    aliases: &["DKL-LI-0001"],
    severity: Severity::Error,
    summary: "An account has an empty password",
    docs: "## What it does
Reads the final `/etc/shadow` (and `/etc/passwd`, whose password field
is used when it is not `x`) and reports accounts whose password field is
empty. Locked accounts (`!`, `*`, `!!`, `!*`) are fine.

## Why is this bad?
An empty password lets anyone log in as that account without one: `su`
to an account with an empty password succeeds. Alpine's images shipped
`root::` by mistake for years (CVE-2019-5021).

## Example
```dockerfile
RUN passwd -d root
```

Use instead:
```dockerfile
RUN passwd -l root
```

## Fix
Lock the account (`passwd -l NAME`, `usermod -L NAME`) or set `*` in
its shadow entry.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0001"),
};

pub const DUPLICATE_UID: RuleInfo = RuleInfo {
    code: "PL3016",
    name: "duplicate_uid",
    aliases: &["DKL-LI-0002"],
    severity: Severity::Warning,
    summary: "Several accounts in /etc/passwd share a user ID",
    docs: "## What it does
Reads the final `/etc/passwd` and reports each user ID that more than one
account name has.

## Why is this bad?
The kernel knows only the number: two names with one UID are the same
user, so files, limits and permissions meant for one apply to the other.
A second UID 0 account is a hidden root.

## Example
```dockerfile
RUN useradd -o -u 0 admin
```

Use instead:
```dockerfile
RUN useradd -u 10001 admin
```

## Fix
Give each account its own UID, or remove the extra account.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0002"),
};

pub const DUPLICATE_GID: RuleInfo = RuleInfo {
    code: "PL3017",
    name: "duplicate_gid",
    aliases: &["DKL-LI-0002"],
    severity: Severity::Warning,
    summary: "Several groups in /etc/group share a group ID",
    docs: "## What it does
Reads the final `/etc/group` and reports each group ID that more than one
group name has.

## Why is this bad?
As with user IDs, the kernel only knows the number: membership of one
group is membership of the other.

## Example
```dockerfile
RUN groupadd -o -g 0 admins
```

Use instead:
```dockerfile
RUN groupadd -g 10001 admins
```

## Fix
Give each group its own GID, or remove the extra group.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0002"),
};

pub const VCS_METADATA: RuleInfo = RuleInfo {
    code: "PL3018",
    name: "vcs_metadata_in_image",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A version-control directory (.git, .svn, .hg, .bzr) is in the image",
    docs: "## What it does
Reports `.git`, `.svn`, `.hg` and `.bzr` directories (and `.git` files,
as worktrees and submodules write) in the final filesystem, outermost
only. Third-party trees are left out: anything below `node_modules`,
`vendor`, `site-packages`, `dist-packages`, `/usr/share`, `/usr/lib`,
`/usr/local/lib` or a Go module cache.

## Why is this bad?
The repository's whole history ships with the image: deleted secrets,
internal URLs and unreleased code are one `git log -p` away, and the
objects can be large. It usually means `COPY . .` without a
`.dockerignore`.

## Example
```dockerfile
COPY . /app
```

Use instead:
```dockerfile
# .dockerignore
.git
```

## Fix
Add `.git` (and the others) to `.dockerignore`, or copy only what the
application needs.
",
    fixable: false,
    url: None,
};

pub const UNNEEDED_FILES: RuleInfo = RuleInfo {
    code: "PL3019",
    name: "development_files_in_image",
    aliases: &["DKL-LI-0003"],
    severity: Severity::Info,
    summary: "Files for development, not for running, are in the image",
    docs: "## What it does
Reports files of the final filesystem that only matter on a developer's
machine or in the build: `Dockerfile`, `Containerfile`, compose files
(`docker-compose.yml`, `compose.yaml`…), `.dockerignore`, editor state
(`.idea`, `.vscode`, `*.swp`, `*.swo`), `.DS_Store`, `Thumbs.db`, and
`.env` files (`.env`, `.env.local`…; `.env.example` and `.env.sample`
are fine). Third-party trees are left out as for `PL3018`. Past 20 paths,
the rest are counted in one finding.

## Why is this bad?
They are a sign that the build copies the whole context: they add bytes,
change the layer digest whenever an editor touches them (breaking the
build cache), and `.env` files often hold credentials.

## Example
```dockerfile
COPY . /app
```

Use instead:
```dockerfile
# .dockerignore
Dockerfile
.env*
.idea
.vscode
*.swp
```

## Fix
List them in `.dockerignore`, or copy only the files the application
needs.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0003"),
};

/// The OCI annotations, as labels, that [`MISSING_LABELS`] asks for.
pub const REQUIRED_LABELS: [&str; 4] = [
    "org.opencontainers.image.source",
    "org.opencontainers.image.revision",
    "org.opencontainers.image.version",
    "org.opencontainers.image.licenses",
];

pub const MISSING_LABELS: RuleInfo = RuleInfo {
    code: "PL3020",
    name: "missing_oci_labels",
    aliases: &[],
    severity: Severity::Info,
    summary: "The image lacks the OCI labels that trace it to its source",
    docs: "## What it does
Reports which of these labels (the OCI image spec's pre-defined
annotation keys) the image config lacks:

- `org.opencontainers.image.source`: the repository it was built from;
- `org.opencontainers.image.revision`: the commit;
- `org.opencontainers.image.version`: the version of what it packages;
- `org.opencontainers.image.licenses`: an SPDX expression.

Those four answer \"what is this and where did it come from\" for a
registry, a scanner or an auditor. The others (`title`, `description`,
`url`, `documentation`, `vendor`, `authors`, `created`) are welcome and
not asked for: `created` is already in the config's own `created` field.

## Why is this bad?
An image without them cannot be traced back to a commit, registries
(GitHub's, Quay) cannot link it to its repository, and license
compliance has to guess.

## Example
```dockerfile
FROM alpine:3.20
COPY app /app
```

Use instead:
```dockerfile
FROM alpine:3.20
ARG REVISION
LABEL org.opencontainers.image.source=\"https://github.com/acme/app\" \\
      org.opencontainers.image.revision=\"$REVISION\" \\
      org.opencontainers.image.version=\"1.4.2\" \\
      org.opencontainers.image.licenses=\"Apache-2.0\"
COPY app /app
```

## Fix
Set the labels in the Dockerfile or at build time (`docker buildx build
--label`, `docker/metadata-action` in GitHub Actions).
",
    fixable: false,
    url: Some("https://github.com/opencontainers/image-spec/blob/main/annotations.md"),
};

pub const UNKNOWN_USER: RuleInfo = RuleInfo {
    code: "PL3021",
    name: "config_user_not_found",
    aliases: &[],
    severity: Severity::Error,
    summary: "The config's User names an account the image does not have",
    docs: "## What it does
Reads the config's `User` (`name`, `name:group`) and reports a user name
that the final `/etc/passwd` does not list, or a group name missing from
`/etc/group` (or the file itself missing). Numeric IDs need no entry and
are not checked.

## Why is this bad?
The runtime resolves names through the image's own files: the container
fails to start with `unable to find user app: no matching entries in
passwd file`.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
USER app
```

Use instead:
```dockerfile
FROM gcr.io/distroless/static-debian12
USER 65532:65532
```

## Fix
Create the account in the image (`useradd`, `adduser -D`), or use
numeric IDs.
",
    fixable: false,
    url: None,
};

/// Every rule of this module, in code order.
pub const RULES: [&RuleInfo; 14] = [
    &MISSING_HEALTHCHECK,
    &SSH_PORT,
    &SENSITIVE_VOLUME,
    &SETUID_FILE,
    &WORLD_WRITABLE,
    &ATTACK_SURFACE_TOOLS,
    &PACKAGE_CACHE,
    &EMPTY_PASSWORD,
    &DUPLICATE_UID,
    &DUPLICATE_GID,
    &VCS_METADATA,
    &UNNEEDED_FILES,
    &MISSING_LABELS,
    &UNKNOWN_USER,
];

/// Run every practice check.
pub fn check(image: &Image, analysis: &Analysis, contents: &Contents) -> Vec<Finding> {
    let cx = Cx {
        image,
        fs: &analysis.filesystem,
        contents,
    };
    let mut out = Vec::new();
    cx.healthcheck(&mut out);
    cx.ssh_port(&mut out);
    cx.volumes(&mut out);
    cx.setuid(&mut out);
    cx.world_writable(&mut out);
    cx.tools(&mut out);
    cx.caches(&mut out);
    cx.accounts(&mut out);
    cx.stray_files(&mut out);
    cx.labels(&mut out);
    out
}

struct Cx<'a> {
    image: &'a Image,
    fs: &'a FileSystem,
    contents: &'a Contents,
}

impl Cx<'_> {
    fn finding(&self, rule: &RuleInfo, message: String) -> Finding {
        Finding::new(
            rule.code,
            rule.severity,
            message,
            self.image.reference.clone(),
        )
    }

    /// A finding about one path of the final filesystem.
    fn at(&self, rule: &RuleInfo, entry: &FinalEntry, message: String) -> Finding {
        self.finding(rule, message)
            .in_layer(entry.layer)
            .at_path(paths::display(&entry.entry.path))
    }

    /// Findings for paths, one each up to [`MAX_PATH_FINDINGS`], then one
    /// that counts the rest.
    fn capped(
        &self,
        rule: &RuleInfo,
        items: Vec<(&FinalEntry, String)>,
        what: &str,
        out: &mut Vec<Finding>,
    ) {
        let total = items.len();
        for (entry, message) in items.into_iter().take(MAX_PATH_FINDINGS) {
            out.push(self.at(rule, entry, message));
        }
        if total > MAX_PATH_FINDINGS {
            out.push(self.finding(
                rule,
                format!(
                    "{} more {what} not listed ({total} in all)",
                    total - MAX_PATH_FINDINGS
                ),
            ));
        }
    }

    fn is_windows(&self) -> bool {
        self.image
            .config
            .os
            .as_deref()
            .is_some_and(|os| os.eq_ignore_ascii_case("windows"))
    }

    fn healthcheck(&self, out: &mut Vec<Finding>) {
        let config = &self.image.config.config;
        if let Some(hc) = &config.healthcheck {
            let test: Vec<&str> = hc
                .get("Test")
                .and_then(|t| t.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            // Present, or explicitly disabled with HEALTHCHECK NONE; an
            // empty test inherits the base image's, which Docker keeps.
            if !test.is_empty() {
                return;
            }
        }
        let reason = if let Some(port) = config.exposed_ports.keys().next() {
            let n = config.exposed_ports.len();
            if n == 1 {
                format!("it exposes {port}")
            } else {
                format!("it exposes {n} ports ({port}…)")
            }
        } else if let Some(server) = server_command(
            config.entrypoint.as_deref().unwrap_or_default(),
            config.cmd.as_deref().unwrap_or_default(),
        ) {
            format!("it starts `{server}`")
        } else {
            return;
        };
        out.push(self.finding(
            &MISSING_HEALTHCHECK,
            format!("the image runs a service ({reason}) but defines no HEALTHCHECK"),
        ));
    }

    fn ssh_port(&self, out: &mut Vec<Finding>) {
        for port in self.image.config.config.exposed_ports.keys() {
            let (number, proto) = port.split_once('/').unwrap_or((port, "tcp"));
            if number.trim() == "22" && proto.eq_ignore_ascii_case("tcp") {
                out.push(self.finding(
                    &SSH_PORT,
                    format!("the image exposes port {port}, SSH; use `docker exec` or `kubectl exec` instead of an SSH server"),
                ));
            }
        }
    }

    fn volumes(&self, out: &mut Vec<Finding>) {
        for volume in self.image.config.config.volumes.keys() {
            let normal = paths::normalize(volume);
            if SENSITIVE_VOLUMES.contains(&normal.as_str()) {
                out.push(
                    self.finding(
                        &SENSITIVE_VOLUME,
                        format!(
                            "VOLUME {} is a sensitive system path; declare volumes only for application data",
                            paths::display(&normal)
                        ),
                    )
                    .at_path(paths::display(&normal)),
                );
            }
        }
    }

    fn setuid(&self, out: &mut Vec<Finding>) {
        if self.is_windows() {
            return;
        }
        let items: Vec<(&FinalEntry, String)> = self
            .fs
            .iter()
            .filter(|e| e.entry.kind == EntryKind::File && e.entry.mode & 0o6000 != 0)
            .map(|e| {
                let bits = match (e.entry.mode & 0o4000 != 0, e.entry.mode & 0o2000 != 0) {
                    (true, true) => "setuid and setgid",
                    (true, false) => "setuid",
                    _ => "setgid",
                };
                let owner = if e.entry.mode & 0o4000 != 0 {
                    owner_name(e.entry.uid, "root")
                } else {
                    format!("group {}", e.entry.gid)
                };
                (
                    e,
                    format!(
                        "{} is {bits} ({owner}, mode {:04o}), added in layer {}",
                        paths::display(&e.entry.path),
                        e.entry.mode & 0o7777,
                        e.layer + 1
                    ),
                )
            })
            .collect();
        self.capped(&SETUID_FILE, items, "setuid/setgid files", out);
    }

    fn world_writable(&self, out: &mut Vec<Finding>) {
        if self.is_windows() {
            return;
        }
        let items: Vec<(&FinalEntry, String)> = self
            .fs
            .iter()
            .filter(|e| {
                let m = e.entry.mode;
                m & 0o002 != 0
                    && match e.entry.kind {
                        EntryKind::File => true,
                        EntryKind::Dir => m & 0o1000 == 0,
                        _ => false,
                    }
                    && !SCRATCH_DIRS.iter().any(|d| within(&e.entry.path, d))
            })
            .map(|e| {
                let what = if e.entry.kind == EntryKind::Dir {
                    "directory"
                } else {
                    "file"
                };
                (
                    e,
                    format!(
                        "{} is a world-writable {what} (mode {:04o}), added in layer {}",
                        paths::display(&e.entry.path),
                        e.entry.mode & 0o7777,
                        e.layer + 1
                    ),
                )
            })
            .collect();
        self.capped(&WORLD_WRITABLE, items, "world-writable paths", out);
    }

    fn tools(&self, out: &mut Vec<Finding>) {
        let mut found: BTreeMap<ToolKind, BTreeSet<&str>> = BTreeMap::new();
        for dir in BIN_DIRS {
            for e in self.fs.children(dir) {
                if paths::parent(&e.entry.path) != dir
                    || !matches!(
                        e.entry.kind,
                        EntryKind::File | EntryKind::Symlink | EntryKind::Hardlink
                    )
                {
                    continue;
                }
                let name = paths::file_name(&e.entry.path);
                if let Some(kind) = tool_kind(name) {
                    found.entry(kind).or_default().insert(name);
                }
            }
        }
        for (kind, names) in found {
            let names: Vec<&str> = names.into_iter().collect();
            out.push(self.finding(
                &ATTACK_SURFACE_TOOLS,
                format!(
                    "the final image ships {}: {}",
                    kind.describe(),
                    names.join(", ")
                ),
            ));
        }
    }

    fn caches(&self, out: &mut Vec<Finding>) {
        let mut dirs: Vec<(String, &str)> = Vec::new();
        for (dir, manager) in FIXED_CACHES {
            dirs.push((dir.to_string(), manager));
        }
        let mut homes = vec!["root".to_string()];
        homes.extend(
            self.fs
                .children("home")
                .filter(|e| {
                    e.entry.kind == EntryKind::Dir && paths::parent(&e.entry.path) == "home"
                })
                .map(|e| e.entry.path.clone()),
        );
        for home in &homes {
            for (sub, manager) in HOME_CACHES {
                dirs.push((paths::join(home, sub), manager));
            }
        }
        for (dir, manager) in dirs {
            let mut bytes = 0u64;
            let mut files = 0usize;
            let mut by_layer: BTreeMap<usize, u64> = BTreeMap::new();
            for e in self.fs.children(&dir) {
                if e.entry.kind != EntryKind::File || !counts_as_cache(&dir, &e.entry.path) {
                    continue;
                }
                bytes += e.entry.size;
                files += 1;
                *by_layer.entry(e.layer).or_default() += e.entry.size;
            }
            if files == 0 || bytes == 0 {
                continue;
            }
            let layer = by_layer
                .iter()
                .max_by_key(|(l, b)| (**b, std::cmp::Reverse(**l)))
                .map(|(l, _)| *l);
            let shown = paths::display(&dir);
            let mut f = self
                .finding(
                    &PACKAGE_CACHE,
                    format!(
                        "{manager} cache {shown} holds {} in {files} file{}{}",
                        format_size(bytes),
                        if files == 1 { "" } else { "s" },
                        match layer {
                            Some(l) => format!(", most of it from layer {}", l + 1),
                            None => String::new(),
                        }
                    ),
                )
                .at_path(shown);
            if let Some(l) = layer {
                f = f.in_layer(l);
            }
            out.push(f);
        }
    }

    fn accounts(&self, out: &mut Vec<Finding>) {
        let passwd = self.contents.get("etc/passwd");
        let group = self.contents.get("etc/group");
        let shadow = self.contents.get("etc/shadow");
        let users = passwd
            .map(|f| parse_db(&f.content.data))
            .unwrap_or_default();
        let groups = group.map(|f| parse_db(&f.content.data)).unwrap_or_default();

        // Root by name: a user name that /etc/passwd maps to UID 0.
        let user = self
            .image
            .config
            .config
            .user
            .as_deref()
            .unwrap_or("")
            .trim();
        let (user_name, group_name) = match user.split_once(':') {
            Some((u, g)) => (u.trim(), Some(g.trim())),
            None => (user, None),
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !self.is_windows() && !user_name.is_empty() && !numeric(user_name) {
            match users.iter().find(|u| u.name == user_name) {
                Some(u) if u.id == "0" && root_user(self.image).is_none() => {
                    out.push(self.finding(
                        &RUNS_AS_ROOT,
                        format!(
                            "the image runs as root: the config's User `{user}` has UID 0 in /etc/passwd"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    let why = if passwd.is_some() {
                        "/etc/passwd has no such account"
                    } else {
                        "the image has no /etc/passwd"
                    };
                    out.push(self.finding(
                        &UNKNOWN_USER,
                        format!("the config's User `{user}` names user `{user_name}`, but {why}: the container will not start"),
                    ));
                }
            }
        }
        if let Some(g) = group_name.filter(|g| !g.is_empty() && !numeric(g))
            && !self.is_windows()
            && !groups.iter().any(|x| x.name == g)
        {
            let why = if group.is_some() {
                "/etc/group has no such group"
            } else {
                "the image has no /etc/group"
            };
            out.push(self.finding(
                &UNKNOWN_USER,
                format!("the config's User `{user}` names group `{g}`, but {why}: the container will not start"),
            ));
        }

        if let Some(shadow) = shadow {
            for entry in parse_db(&shadow.content.data) {
                if entry.password.is_empty() {
                    out.push(
                        self.finding(
                            &EMPTY_PASSWORD,
                            format!(
                                "account `{}` has an empty password in /etc/shadow: anyone can log in as it",
                                entry.name
                            ),
                        )
                        .in_layer(shadow.layer)
                        .at_path("/etc/shadow"),
                    );
                }
            }
        }
        if let Some(passwd) = passwd {
            for u in &users {
                if u.password.is_empty() {
                    out.push(
                        self.finding(
                            &EMPTY_PASSWORD,
                            format!(
                                "account `{}` has an empty password field in /etc/passwd: anyone can log in as it",
                                u.name
                            ),
                        )
                        .in_layer(passwd.layer)
                        .at_path("/etc/passwd"),
                    );
                }
            }
            duplicates(
                &users,
                "UID",
                "/etc/passwd",
                passwd.layer,
                &DUPLICATE_UID,
                self,
                out,
            );
        }
        if let Some(group) = group {
            duplicates(
                &groups,
                "GID",
                "/etc/group",
                group.layer,
                &DUPLICATE_GID,
                self,
                out,
            );
        }
    }

    fn stray_files(&self, out: &mut Vec<Finding>) {
        let mut vcs: Vec<(&FinalEntry, String)> = Vec::new();
        let mut dev: Vec<(&FinalEntry, String)> = Vec::new();
        let mut reported: Vec<&str> = Vec::new();
        for e in self.fs.iter() {
            let path = e.entry.path.as_str();
            if reported.iter().any(|r| within(path, r)) || third_party(path) {
                continue;
            }
            let name = paths::file_name(path);
            let is_dir = e.entry.kind == EntryKind::Dir;
            if matches!(name, ".git" | ".svn" | ".hg" | ".bzr")
                && (is_dir || (name == ".git" && e.entry.kind == EntryKind::File))
            {
                reported.push(path);
                let files = self
                    .fs
                    .children(path)
                    .filter(|c| c.entry.kind == EntryKind::File);
                let (n, bytes) = files.fold((0usize, 0u64), |(n, b), c| (n + 1, b + c.entry.size));
                let size = if is_dir {
                    format!(" ({n} files, {})", format_size(bytes))
                } else {
                    String::new()
                };
                vcs.push((
                    e,
                    format!(
                        "{}{size}: version-control metadata, added in layer {}; add it to .dockerignore",
                        paths::display(path),
                        e.layer + 1
                    ),
                ));
                continue;
            }
            if let Some(what) = development_file(name, is_dir, e.entry.kind) {
                if is_dir {
                    reported.push(path);
                }
                dev.push((
                    e,
                    format!(
                        "{} is {what}, added in layer {}; add it to .dockerignore",
                        paths::display(path),
                        e.layer + 1
                    ),
                ));
            }
        }
        self.capped(&VCS_METADATA, vcs, "version-control directories", out);
        self.capped(&UNNEEDED_FILES, dev, "development files", out);
    }

    fn labels(&self, out: &mut Vec<Finding>) {
        let labels = &self.image.config.config.labels;
        let missing: Vec<&str> = REQUIRED_LABELS
            .iter()
            .copied()
            .filter(|l| labels.get(*l).is_none_or(|v| v.trim().is_empty()))
            .collect();
        if missing.is_empty() {
            return;
        }
        out.push(self.finding(
            &MISSING_LABELS,
            format!(
                "the image has no {} label{}",
                missing.join(", "),
                if missing.len() == 1 { "" } else { "s" }
            ),
        ));
    }
}

fn owner_name(uid: u32, root: &str) -> String {
    if uid == 0 {
        format!("owner {root}")
    } else {
        format!("owner {uid}")
    }
}

/// `path` is `dir` or below it.
fn within(path: &str, dir: &str) -> bool {
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

const SCRATCH_DIRS: [&str; 3] = ["tmp", "var/tmp", "dev/shm"];

const SENSITIVE_VOLUMES: [&str; 19] = [
    "",
    "bin",
    "boot",
    "dev",
    "etc",
    "lib",
    "lib64",
    "proc",
    "root",
    "run",
    "sbin",
    "sys",
    "usr",
    "var/run",
    "var/run/docker.sock",
    "run/docker.sock",
    "run/containerd/containerd.sock",
    "var/lib/docker",
    "var/lib/containerd",
];

const BIN_DIRS: [&str; 6] = [
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    "usr/local/bin",
    "usr/local/sbin",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ToolKind {
    Shell,
    PackageManager,
    Network,
}

impl ToolKind {
    fn describe(self) -> &'static str {
        match self {
            ToolKind::Shell => "shells",
            ToolKind::PackageManager => "package managers",
            ToolKind::Network => "network and privilege tools",
        }
    }
}

fn tool_kind(name: &str) -> Option<ToolKind> {
    match name {
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "csh" | "tcsh" | "fish"
        | "busybox" => Some(ToolKind::Shell),
        "apt" | "apt-get" | "dpkg" | "apk" | "yum" | "dnf" | "microdnf" | "rpm" | "zypper"
        | "npm" | "yarn" | "pnpm" | "gem" => Some(ToolKind::PackageManager),
        "nc" | "netcat" | "ncat" | "socat" | "ssh" | "sshd" | "telnet" | "curl" | "wget"
        | "sudo" | "doas" => Some(ToolKind::Network),
        // pip, pip3, pip3.12
        n if n
            .strip_prefix("pip")
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.')) =>
        {
            Some(ToolKind::PackageManager)
        }
        _ => None,
    }
}

/// Whether the entry point or command starts a server, and which.
fn server_command(entrypoint: &[String], cmd: &[String]) -> Option<String> {
    let argv: Vec<&str> = entrypoint.iter().chain(cmd).map(String::as_str).collect();
    // `sh -c "exec nginx -g …"`: look at the words of the script too.
    let words: Vec<&str> = argv.iter().flat_map(|a| a.split_whitespace()).collect();
    for (i, w) in words.iter().enumerate() {
        let name = paths::file_name(w.trim_matches(|c| c == '"' || c == '\''));
        let next = words.get(i + 1).copied().unwrap_or_default();
        let hit = match name {
            "nginx" | "httpd" | "apache2" | "apache2ctl" | "caddy" | "traefik" | "haproxy"
            | "envoy" | "gunicorn" | "uvicorn" | "hypercorn" | "daphne" | "waitress-serve"
            | "puma" | "unicorn" | "php-fpm" | "redis-server" | "postgres" | "mysqld"
            | "mariadbd" | "mongod" | "memcached" | "rabbitmq-server" | "sshd" | "catalina.sh"
            | "nats-server" | "etcd" | "vault" | "consul" => true,
            n if n.starts_with("php-fpm") => true,
            "java" => words[i + 1..].contains(&"-jar"),
            "node" | "nodejs" | "bun" | "deno" => {
                let script = paths::file_name(next);
                ["server", "app", "index", "main"]
                    .iter()
                    .any(|s| script.starts_with(s))
            }
            "flask" => next == "run",
            "rails" => matches!(next, "server" | "s"),
            "manage.py" => next == "runserver",
            _ => false,
        };
        if hit {
            return Some(name.to_string());
        }
    }
    None
}

/// Caches at fixed places, with the package manager that leaves them.
const FIXED_CACHES: [(&str, &str); 6] = [
    ("var/lib/apt/lists", "apt"),
    ("var/cache/apt", "apt"),
    ("var/cache/apk", "apk"),
    ("var/cache/yum", "yum"),
    ("var/cache/dnf", "dnf"),
    ("usr/local/share/.cache/yarn", "yarn"),
];

/// Caches below each home directory.
const HOME_CACHES: [(&str, &str); 3] = [
    (".cache/pip", "pip"),
    (".npm/_cacache", "npm"),
    (".cache/yarn", "yarn"),
];

/// What counts inside a cache directory: apt's lock files and the empty
/// `partial/` directories are always there; only downloaded packages and
/// the binary caches count in `/var/cache/apt`.
fn counts_as_cache(dir: &str, path: &str) -> bool {
    let name = paths::file_name(path);
    match dir {
        "var/lib/apt/lists" => name != "lock",
        "var/cache/apt" => name.ends_with(".deb") || name.ends_with(".bin"),
        _ => true,
    }
}

/// Trees whose files come from other people's packages.
fn third_party(path: &str) -> bool {
    ["usr/share", "usr/lib", "usr/local/lib", "usr/libexec"]
        .iter()
        .any(|d| within(path, d))
        || path.split('/').any(|c| {
            matches!(
                c,
                "node_modules" | "vendor" | "site-packages" | "dist-packages" | "bower_components"
            )
        })
        || path.contains("/pkg/mod/")
}

fn development_file(name: &str, is_dir: bool, kind: EntryKind) -> Option<&'static str> {
    if is_dir {
        return match name {
            ".idea" | ".vscode" => Some("editor state"),
            _ => None,
        };
    }
    if !matches!(
        kind,
        EntryKind::File | EntryKind::Symlink | EntryKind::Hardlink
    ) {
        return None;
    }
    match name {
        "Dockerfile"
        | "Containerfile"
        | ".dockerignore"
        | "docker-compose.yml"
        | "docker-compose.yaml"
        | "compose.yml"
        | "compose.yaml" => Some("a build file"),
        ".DS_Store" | "Thumbs.db" => Some("file-manager metadata"),
        ".env" => Some("an environment file (often credentials)"),
        n if n.starts_with(".env.")
            && !matches!(
                n,
                ".env.example" | ".env.sample" | ".env.template" | ".env.dist"
            ) =>
        {
            Some("an environment file (often credentials)")
        }
        n if n.ends_with(".Dockerfile") || n.starts_with("Dockerfile.") => Some("a build file"),
        n if n.starts_with('.') && (n.ends_with(".swp") || n.ends_with(".swo")) => {
            Some("an editor swap file")
        }
        _ => None,
    }
}

/// A line of `/etc/passwd`, `/etc/group` or `/etc/shadow`: name,
/// password field, and the third field (UID or GID; shadow's is the date
/// of the last change and unused).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DbEntry {
    name: String,
    password: String,
    id: String,
}

fn parse_db(bytes: &[u8]) -> Vec<DbEntry> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        // NIS compat lines (`+`, `-name`) are not accounts.
        .filter(|l| !l.starts_with(['+', '-']))
        .filter_map(|l| {
            let mut fields = l.split(':');
            let name = fields.next()?.trim();
            let password = fields.next()?.trim();
            let id = fields.next().unwrap_or("").trim();
            (!name.is_empty()).then(|| DbEntry {
                name: name.to_string(),
                password: password.to_string(),
                id: id.to_string(),
            })
        })
        .collect()
}

fn duplicates(
    entries: &[DbEntry],
    what: &str,
    file: &str,
    layer: usize,
    rule: &RuleInfo,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let mut by_id: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for e in entries {
        if let Ok(id) = e.id.parse::<u64>() {
            let names = by_id.entry(id).or_default();
            if !names.contains(&e.name.as_str()) {
                names.push(&e.name);
            }
        }
    }
    for (id, names) in by_id {
        if names.len() > 1 {
            out.push(
                cx.finding(
                    rule,
                    format!("{what} {id} is shared by {} in {file}", names.join(", ")),
                )
                .in_layer(layer)
                .at_path(file),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names() {
        assert_eq!(tool_kind("pip3.12"), Some(ToolKind::PackageManager));
        assert_eq!(tool_kind("pip"), Some(ToolKind::PackageManager));
        assert_eq!(tool_kind("pipx"), None);
        assert_eq!(tool_kind("busybox"), Some(ToolKind::Shell));
        assert_eq!(tool_kind("wget"), Some(ToolKind::Network));
        assert_eq!(tool_kind("ls"), None);
    }

    #[test]
    fn servers() {
        let s = |e: &[&str], c: &[&str]| {
            server_command(
                &e.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
                &c.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            s(&["/docker-entrypoint.sh"], &["nginx", "-g", "daemon off;"]).as_deref(),
            Some("nginx")
        );
        assert_eq!(
            s(&[], &["/bin/sh", "-c", "exec gunicorn app:app"]).as_deref(),
            Some("gunicorn")
        );
        assert_eq!(
            s(&["java", "-Xmx1g", "-jar", "/app.jar"], &[]).as_deref(),
            Some("java")
        );
        assert_eq!(s(&[], &["node", "server.js"]).as_deref(), Some("node"));
        assert_eq!(
            s(&[], &["python", "manage.py", "runserver"]).as_deref(),
            Some("manage.py")
        );
        assert_eq!(s(&[], &["/bin/sh"]), None);
        assert_eq!(s(&["java", "-version"], &[]), None);
        assert_eq!(s(&[], &["node", "build.js"]), None);
    }

    #[test]
    fn account_files() {
        let db = parse_db(b"root:x:0:0:root:/root:/bin/sh\n+::::::\n\ntoor:x:0:0::/:/bin/sh\nnobody::65534:65534::/:\n");
        assert_eq!(db.len(), 3);
        assert_eq!(db[2].password, "");
        assert_eq!(db[1].id, "0");
    }

    #[test]
    fn stray_names() {
        assert!(development_file(".env", false, EntryKind::File).is_some());
        assert!(development_file(".env.production", false, EntryKind::File).is_some());
        assert!(development_file(".env.example", false, EntryKind::File).is_none());
        assert!(development_file(".main.rs.swp", false, EntryKind::File).is_some());
        assert!(development_file(".vscode", true, EntryKind::Dir).is_some());
        assert!(development_file("Dockerfile", true, EntryKind::Dir).is_none());
        assert!(third_party("usr/lib/node_modules/npm/.git"));
        assert!(third_party("app/node_modules/x/Dockerfile"));
        assert!(!third_party("app/Dockerfile"));
        assert!(within("tmp/x", "tmp") && within("tmp", "tmp") && !within("tmpx", "tmp"));
    }
}
