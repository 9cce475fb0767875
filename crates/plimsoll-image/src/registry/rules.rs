//! The rules about an image as a registry serves it (`PL3050`–`PL3059`):
//! how the reference names it and whether it is signed.

use super::Signature;
use crate::image::Image;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity};

pub const MUTABLE_REFERENCE: RuleInfo = RuleInfo {
    code: "PL3050",
    name: "image_reference_latest",
    aliases: &["DKL-DI-0006"],
    severity: Severity::Warning,
    summary: "The image was named by `latest` or by no tag: what was checked can change under the name",
    docs: "## What it does
Reports a registry reference with no digest whose tag is `latest` or
missing (which means `latest`), such as `plimsoll image registry.example/app`.
The message gives the digest the reference resolved to. References with
`@sha256:…` and local images (OCI layouts, archives) are not reported.

## Why is this bad?
`latest` is only the tag a push writes when it names none: it moves with
every push, and says nothing about which build it is. The findings are
about the image the tag named at the moment of the check; the image a node
pulls later under the same name may be another one. Deploying by `latest`
has the same problem, and Kubernetes also pulls `latest` on every start.

## Example
```console
$ plimsoll image registry.example/app
```

Use instead:
```console
$ plimsoll image registry.example/app:1.4.2
$ plimsoll image registry.example/app@sha256:…
```

## Fix
Tag each build with a version (or the commit), check and deploy that tag,
and pin production deployments by digest.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0006"),
};

pub const NOT_SIGNED: RuleInfo = RuleInfo {
    code: "PL3051",
    name: "image_not_signed",
    aliases: &[],
    severity: Severity::Info,
    summary: "No signature was found for the image in its registry",
    docs: "## What it does
Looks for a signature of a registry image — of the digest the reference
resolves to and of the platform's manifest — and reports the image when
there is none:

- the OCI referrers API (`GET /v2/NAME/referrers/DIGEST`): a referrer
  whose artifact type is a cosign or sigstore signature or a Notary v2
  signature. A registry without the API (404, as Docker's distribution
  2.8) is asked the next way only;
- cosign's tag scheme: a manifest tagged `sha256-HEX.sig`.

When the registry cannot be asked (an error other than 404) nothing is
reported. Local images (OCI layouts, archives) are not checked: signatures
live in registries.

## Why is this bad?
A signature ties the image to whoever built it: a deployment that
verifies signatures (cosign, Kyverno, Connaisseur, Ratify) cannot run an
image swapped in the registry or by a compromised pipeline. Without one,
the digest is the only identity, and nothing says who made it.

## Example
```console
$ plimsoll image registry.example/app:1.4.2
```

Use instead:
```console
$ cosign sign registry.example/app@sha256:…
$ plimsoll image registry.example/app:1.4.2
```

## Fix
Sign each image at the end of the build (`cosign sign`, keyless in CI or
with a key; `notation sign`), and verify signatures where images are
deployed.
",
    fixable: false,
    url: Some("https://docs.sigstore.dev/cosign/signing/signing_with_containers/"),
};

/// The registry rules; nothing for a local image.
pub fn check(image: &Image) -> Vec<Finding> {
    let Some(info) = image.registry() else {
        return Vec::new();
    };
    let finding = |rule: &RuleInfo, message: String| {
        Finding::new(rule.code, rule.severity, message, image.reference.clone())
    };
    let mut out = Vec::new();
    let reference = &info.reference;
    if reference.digest.is_none() && reference.tag.as_deref().is_none_or(|t| t == "latest") {
        let named = match &reference.tag {
            Some(_) => "the tag `latest`",
            None => "no tag (so `latest`)",
        };
        out.push(finding(
            &MUTABLE_REFERENCE,
            format!(
                "the image is named by {named}, which moves: check and deploy a version tag, or pin `@{}`",
                info.digest
            ),
        ));
    }
    if info.signature == Signature::Missing {
        out.push(finding(
            &NOT_SIGNED,
            format!(
                "no signature found for {} (no signature referrer, no cosign tag `{}-HEX.sig`)",
                info.digest,
                info.digest.algorithm().as_str()
            ),
        ));
    }
    out
}
