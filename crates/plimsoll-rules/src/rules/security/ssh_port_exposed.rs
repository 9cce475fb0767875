use crate::rules::instructions::common::targets;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` of TCP port 22, the SSH port: `22`, `22/tcp`, a
    /// range that contains it (`20-25`), or a `host:22` mapping, after
    /// ARG/ENV variables are expanded (`EXPOSE $SSH_PORT` with
    /// `ARG SSH_PORT=22`). Every stage is checked, since any stage can be
    /// built with `--target`; `ONBUILD EXPOSE` too when it has no variable.
    ///
    /// It stays quiet for `22/udp` and `22/sctp` (SSH is TCP only), for
    /// ports such as `2222` or `220`, and when a variable's value is
    /// unknown.
    ///
    /// ## Why is this bad?
    /// A container is not a virtual machine: it is entered with `docker
    /// exec` or `kubectl exec`, which need no daemon in the image and go
    /// through the orchestrator's access control. An SSH server in a
    /// container is one more service to patch, one more set of credentials
    /// or keys baked into or mounted into the image, and a way in that
    /// bypasses those controls. Exposing 22 usually means one is there.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server=1:9.2p1-2+deb12u3
    /// EXPOSE 22 8080
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// Trivy's DS-0004 (`no-ssh-port`) flags the words `22`, `22/tcp` and
    /// `22/udp`; Checkov's CKV_DOCKER_1 flags the word `22`. This rule also
    /// reads ranges, `host:container` specs and variables, and leaves out
    /// `22/udp`, which is not SSH.
    pub struct SshPortExposed {
        code: "PL1103",
        name: "ssh_port_exposed",
        aliases: [],
        severity: Warning,
        summary: "Port 22 (SSH) is exposed",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SshPortExposed {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for t in targets(cx, Keyword::Expose, true) {
            for word in &t.ins.args {
                let Some(ports) = t.resolve_words(cx, &word.value) else {
                    continue;
                };
                if ports.iter().any(|p| exposes_ssh(p)) {
                    spans.push(word.span);
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Port 22 is exposed: SSH into a container bypasses `docker exec`/`kubectl exec` \
                 and their access control",
            );
        }
    }
}

/// True when an EXPOSE spec (`[ip:][host:]port[-end][/proto]`) covers TCP
/// port 22.
fn exposes_ssh(spec: &str) -> bool {
    let container = spec.rsplit(':').next().unwrap_or(spec);
    let (ports, proto) = container.split_once('/').unwrap_or((container, "tcp"));
    if !proto.eq_ignore_ascii_case("tcp") {
        return false;
    }
    let (start, end) = ports.split_once('-').unwrap_or((ports, ports));
    let number = |s: &str| s.trim_start_matches('+').parse::<u32>().ok();
    match (number(start), number(end)) {
        (Some(a), Some(b)) => a <= 22 && 22 <= b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::exposes_ssh;

    #[test]
    fn specs() {
        for yes in [
            "22",
            "22/tcp",
            "22/TCP",
            "20-25",
            "2222:22",
            "0.0.0.0:2222:22/tcp",
            "022",
        ] {
            assert!(exposes_ssh(yes), "{yes}");
        }
        for no in ["22/udp", "2222", "220", "23-30", "22:8080", "abc", ""] {
            assert!(!exposes_ssh(no), "{no}");
        }
    }
}
