//! The image rules (`PL3xxx`): findings about a built image, each with
//! its documentation. A finding's `file` is the image reference; image
//! findings have no span.

use crate::analysis::Analysis;
use crate::ci::{CiRules, format_size};
use crate::image::Image;
use crate::layer::{Compression, Depth};
use crate::paths;
use crate::practices;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity};

/// What the image rules check against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// dive-compatible waste thresholds (`PL3001`–`PL3003`).
    pub ci: CiRules,
    /// More layers than this is reported (`PL3004`).
    pub max_layers: usize,
    /// Look for secrets in layer files, config and history
    /// (`PL3040`–`PL3044`, [`crate::secrets`]).
    pub secrets: bool,
    /// How deep to read the layers: [`Depth::Headers`] (`--layers-only`)
    /// reads tar headers and the few small files the checks need, and
    /// skips content hashes and the secret scan of file contents.
    pub depth: Depth,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            ci: CiRules::default(),
            max_layers: DEFAULT_MAX_LAYERS,
            secrets: true,
            depth: Depth::Contents,
        }
    }
}

/// Far below the 127 layers overlayfs allows, far above what a Dockerfile
/// with combined `RUN`s produces.
pub const DEFAULT_MAX_LAYERS: usize = 50;

pub const LOW_EFFICIENCY: RuleInfo = RuleInfo {
    code: "PL3001",
    name: "low_image_efficiency",
    aliases: &["lowestEfficiency"],
    severity: Severity::Warning,
    summary: "Image efficiency is below the threshold: layers store files the image never shows",
    docs: "## What it does
Computes the image's efficiency, 1 − wasted bytes / bytes of all files
stored in all layers, and reports it when it is below the threshold (dive's
`lowestEfficiency`, 0.9 by default). A file is wasted when a later layer
overwrites it, deletes it (a whiteout, also for every file of a deleted
directory) or hides it (an opaque directory): its bytes are still
downloaded and stored with the image.

## Why is this bad?
Each instruction is a layer and layers only add: `RUN rm` in a later layer
hides a file but does not shrink the image. Wasted bytes cost registry
storage, pull time and cold-start time on every node.

## Example
```dockerfile
FROM debian:12-slim
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt
RUN rm /tmp/app.tar.gz
```

Use instead:
```dockerfile
FROM debian:12-slim
RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz \\
    tar -xzf /tmp/app.tar.gz -C /opt
```

## Fix
Create and remove temporary files in the same `RUN`, use bind or cache
mounts for build inputs, or build in a separate stage and `COPY --from`
only the result.
",
    fixable: false,
    url: Some("https://github.com/wagoodman/dive#ci-integration"),
};

pub const WASTED_BYTES: RuleInfo = RuleInfo {
    code: "PL3002",
    name: "too_many_wasted_bytes",
    aliases: &["highestWastedBytes"],
    severity: Severity::Warning,
    summary: "The image wastes more bytes than the threshold on files it never shows",
    docs: "## What it does
Sums the bytes of regular files stored in layers but absent from the final
filesystem (overwritten, deleted by a whiteout, hidden by an opaque
directory; every superseded copy once, never the copy a container sees) and
reports the sum when it is above the threshold (dive's
`highestWastedBytes`, off by default; `20MB`, `1.5GB` or plain bytes). The
message names the largest wasted file with the layers that added and
removed it.

## Why is this bad?
A later layer cannot take bytes back from an earlier one: the deleted
file is still in the image.

## Example
```dockerfile
RUN apt-get update && apt-get install -y build-essential
RUN make && apt-get purge -y build-essential
```

Use instead:
```dockerfile
RUN apt-get update && apt-get install -y build-essential \\
 && make && apt-get purge -y build-essential && rm -rf /var/lib/apt/lists/*
```

## Fix
Remove files in the instruction that creates them, or move the build into
a stage of its own.
",
    fixable: false,
    url: Some("https://github.com/wagoodman/dive#ci-integration"),
};

pub const USER_WASTED_PERCENT: RuleInfo = RuleInfo {
    code: "PL3003",
    name: "too_much_user_waste",
    aliases: &["highestUserWastedPercent"],
    severity: Severity::Warning,
    summary: "Wasted bytes are too large a share of what the image adds to its base",
    docs: "## What it does
Divides the wasted bytes (see `PL3002`) by the bytes of files stored in the
layers above the first one (the base image's) and reports the ratio when it
is above the threshold (dive's `highestUserWastedPercent`, 0.1 by default).

## Why is this bad?
A large base image hides small but avoidable waste in the efficiency
score; relative to what your own instructions add, the same waste shows.

## Example
```dockerfile
FROM python:3.12-slim
COPY . /src
RUN pip wheel /src -w /wheels && pip install /wheels/*
RUN rm -rf /src /wheels
```

Use instead:
```dockerfile
FROM python:3.12-slim AS build
COPY . /src
RUN pip wheel /src -w /wheels

FROM python:3.12-slim
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels pip install /wheels/*
```

## Fix
As for `PL3002`: delete in the same instruction, or build in another stage.
",
    fixable: false,
    url: Some("https://github.com/wagoodman/dive#ci-integration"),
};

pub const TOO_MANY_LAYERS: RuleInfo = RuleInfo {
    code: "PL3004",
    name: "too_many_layers",
    aliases: &[],
    severity: Severity::Info,
    summary: "The image has many layers",
    docs: "## What it does
Reports an image with more layers than the limit (50 by default).

## Why is this bad?
Every layer is a separate download, extraction and overlay mount; many
small layers slow pulls and file lookups, and overlayfs refuses images
beyond about 127 layers. Many layers also usually mean many `RUN`s that
could be one, each keeping the temporary files of the one before.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
RUN apt-get install -y git
```

Use instead:
```dockerfile
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl git \\
 && rm -rf /var/lib/apt/lists/*
```

## Fix
Combine related `RUN` instructions, and use a multi-stage build so the
final stage copies its content in a few layers.
",
    fixable: false,
    url: None,
};

pub const UNCOMPRESSED_LAYERS: RuleInfo = RuleInfo {
    code: "PL3005",
    name: "uncompressed_layers",
    aliases: &[],
    severity: Severity::Info,
    summary: "Layers are stored without compression",
    docs: "## What it does
Reports layers of an OCI image (layout or archive) that store file content
in plain tar blobs (found by their first bytes, whatever the media type
says); layers of only directories and whiteouts gain nothing from
compression and are left out. `docker save` archives always
hold plain tars and are not reported: the engine compresses on push.

## Why is this bad?
Registries serve layer blobs as they are stored: an uncompressed layer is
typically two to four times larger to push, store and pull.

## Example
```console
$ skopeo copy --dest-oci-accept-uncompressed-layers docker-archive:app.tar oci:app:1
```

Use instead:
```console
$ skopeo copy --dest-compress-format zstd docker-archive:app.tar oci:app:1
```

## Fix
Push or copy with compression (gzip for the widest support, zstd for
speed and size with containerd 1.5+ / Docker 23+).
",
    fixable: false,
    url: None,
};

pub const RUNS_AS_ROOT: RuleInfo = RuleInfo {
    code: "PL3006",
    name: "image_runs_as_root",
    aliases: &["CIS-DI-0001"],
    severity: Severity::Warning,
    summary: "The image runs as root",
    docs: "## What it does
Reports an image whose config `User` is empty (the default, root), `root`,
`0` or has user ID 0 with any group (`0:0`, `root:app`).

## Why is this bad?
A process running as root in the container is root on the host's kernel;
any escape or misconfigured mount gives the attacker full rights. Most
applications need no root at all.

## Example
```dockerfile
FROM alpine:3.20
COPY app /usr/local/bin/app
CMD [\"app\"]
```

Use instead:
```dockerfile
FROM alpine:3.20
RUN adduser -D -u 10001 app
COPY app /usr/local/bin/app
USER 10001
CMD [\"app\"]
```

## Fix
Create an unprivileged user and end the final stage with `USER` naming it
(a numeric ID lets Kubernetes verify `runAsNonRoot`).
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0001"),
};

pub const COMPRESSION_MISMATCH: RuleInfo = RuleInfo {
    code: "PL3007",
    name: "layer_compression_mismatch",
    aliases: &[],
    severity: Severity::Warning,
    summary: "A layer's media type does not match its content's compression",
    docs: "## What it does
Compares the compression a layer's media type declares (`…tar`,
`…tar+gzip`, `…tar+zstd`) with the compression found in the blob's first
bytes, and reports layers where they differ.

## Why is this bad?
Runtimes that trust the media type fail to unpack the layer, and others
sniff the content: the same image works on one node and not on another.

## Example
A manifest listing `application/vnd.oci.image.layer.v1.tar+gzip` for a blob
that starts with zstd's magic bytes.

## Fix
Rebuild or re-copy the image with a tool that writes media types itself
(`skopeo copy`, `buildah push`, `docker buildx`), rather than editing
manifests by hand.
",
    fixable: false,
    url: None,
};

/// Every image rule, in code order.
pub const RULES: &[&RuleInfo] = &[
    &LOW_EFFICIENCY,
    &WASTED_BYTES,
    &USER_WASTED_PERCENT,
    &TOO_MANY_LAYERS,
    &UNCOMPRESSED_LAYERS,
    &RUNS_AS_ROOT,
    &COMPRESSION_MISMATCH,
    // Configuration and filesystem practices (crate::practices).
    &practices::MISSING_HEALTHCHECK,
    &practices::SSH_PORT,
    &practices::SENSITIVE_VOLUME,
    &practices::SETUID_FILE,
    &practices::WORLD_WRITABLE,
    &practices::ATTACK_SURFACE_TOOLS,
    &practices::PACKAGE_CACHE,
    &practices::EMPTY_PASSWORD,
    &practices::DUPLICATE_UID,
    &practices::DUPLICATE_GID,
    &practices::VCS_METADATA,
    &practices::UNNEEDED_FILES,
    &practices::MISSING_LABELS,
    &practices::UNKNOWN_USER,
    &crate::secrets::SECRET_IN_FILE,
    &crate::secrets::CREDENTIAL_FILE,
    &crate::secrets::SECRET_IN_ENV,
    &crate::secrets::SECRET_IN_LABEL,
    &crate::secrets::SECRET_IN_HISTORY,
    &crate::registry::rules::MUTABLE_REFERENCE,
    &crate::registry::rules::NOT_SIGNED,
];

/// Find an image rule by code, name or alias (case-insensitive).
pub fn find_rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code)
            || r.name.eq_ignore_ascii_case(code)
            || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
    })
}

/// Run every image rule.
pub fn check(image: &Image, analysis: &Analysis, options: &CheckOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |rule: &RuleInfo, message: String| {
        Finding::new(rule.code, rule.severity, message, image.reference.clone())
    };
    let ci = &options.ci;
    let wasted = analysis.waste.wasted_bytes;

    if let Some(lowest) = ci.lowest_efficiency
        && analysis.efficiency < lowest
    {
        out.push(finding(
            &LOW_EFFICIENCY,
            format!(
                "image efficiency is {}, below the lowest allowed {}: {} of the {} stored in files are wasted{}",
                percent(analysis.efficiency),
                percent(lowest),
                format_size(wasted),
                format_size(analysis.totals.stored_file_bytes),
                largest_waste(analysis),
            ),
        ));
    }
    if let Some(highest) = ci.highest_wasted_bytes
        && wasted > highest
    {
        out.push(finding(
            &WASTED_BYTES,
            format!(
                "{} wasted on files the image never shows, above the highest allowed {}{}",
                format_size(wasted),
                format_size(highest),
                largest_waste(analysis),
            ),
        ));
    }
    if let Some(highest) = ci.highest_user_wasted_percent
        && analysis.user_wasted_ratio > highest
    {
        out.push(finding(
            &USER_WASTED_PERCENT,
            format!(
                "wasted bytes ({}) are {} of the {} the layers above the base store, above the highest allowed {}{}",
                format_size(wasted),
                percent(analysis.user_wasted_ratio),
                format_size(analysis.totals.user_file_bytes),
                percent(highest),
                largest_waste(analysis),
            ),
        ));
    }

    let layer_count = image.layers.len();
    if layer_count > options.max_layers {
        out.push(finding(
            &TOO_MANY_LAYERS,
            format!(
                "the image has {layer_count} layers, more than {}; combine related RUN instructions",
                options.max_layers
            ),
        ));
    }

    if image.format.stores_distribution_form() {
        let plain: Vec<_> = analysis
            .layers
            .iter()
            .filter(|l| l.compression == Compression::None && l.file_bytes > 0)
            .collect();
        if !plain.is_empty() {
            let bytes: u64 = plain.iter().map(|l| l.compressed_size).sum();
            let list: Vec<String> = plain.iter().map(|l| (l.index + 1).to_string()).collect();
            out.push(finding(
                &UNCOMPRESSED_LAYERS,
                format!(
                    "{} of {} layers are stored uncompressed ({} in all): layer{} {}",
                    plain.len(),
                    analysis.layers.len(),
                    format_size(bytes),
                    if plain.len() == 1 { "" } else { "s" },
                    list.join(", ")
                ),
            ));
        }
    }

    // One finding per (media type, actual compression): a tool that
    // mislabels one layer usually mislabels them all.
    let mut mismatches: Vec<(&str, Compression, Compression, Vec<usize>)> = Vec::new();
    for l in &analysis.layers {
        if let Some(declared) = l.declared_compression
            && declared != l.compression
        {
            let media_type = l.media_type.as_deref().unwrap_or_default();
            match mismatches
                .iter_mut()
                .find(|m| m.0 == media_type && m.2 == l.compression)
            {
                Some(m) => m.3.push(l.index),
                None => mismatches.push((media_type, declared, l.compression, vec![l.index])),
            }
        }
    }
    for (media_type, declared, actual, layers) in mismatches {
        let which = if let [one] = layers.as_slice() {
            layer_name(analysis, *one)
        } else {
            let list: Vec<String> = layers.iter().map(|i| (i + 1).to_string()).collect();
            format!("layers {}", list.join(", "))
        };
        out.push(finding(
            &COMPRESSION_MISMATCH,
            format!(
                "{which}: media type `{media_type}` declares {declared} but the content is {actual}"
            ),
        ));
    }

    if let Some(reason) = root_user(image) {
        out.push(finding(
            &RUNS_AS_ROOT,
            format!("the image runs as root: {reason}"),
        ));
    }
    out.extend(crate::registry::rules::check(image));
    out
}

/// Why the config's user is root, if it is.
pub(crate) fn root_user(image: &Image) -> Option<String> {
    if image
        .config
        .os
        .as_deref()
        .is_some_and(|os| os.eq_ignore_ascii_case("windows"))
    {
        return None;
    }
    let user = image.config.config.user.as_deref().unwrap_or("").trim();
    if user.is_empty() {
        return Some("the config sets no User; add `USER <non-root>` to the final stage".into());
    }
    let name = user.split(':').next().unwrap_or_default();
    let is_root = name == "root" || name.parse::<u64>().is_ok_and(|uid| uid == 0);
    is_root.then(|| format!("the config's User is `{user}`"))
}

fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

/// `layer 3 (RUN rm -rf /tmp/x)`, the step shortened.
fn layer_name(analysis: &Analysis, index: usize) -> String {
    let step = analysis
        .layers
        .get(index)
        .and_then(|l| l.created_by.as_deref())
        .map(|s| {
            let s = s.trim();
            let s = s.strip_prefix("/bin/sh -c ").unwrap_or(s);
            let s = s.strip_prefix("#(nop) ").unwrap_or(s).trim();
            if s.chars().count() > 60 {
                let cut: String = s.chars().take(57).collect();
                format!(" (`{cut}…`)")
            } else {
                format!(" (`{s}`)")
            }
        })
        .unwrap_or_default();
    format!("layer {}{step}", index + 1)
}

fn largest_waste(analysis: &Analysis) -> String {
    match analysis.waste.top(1).first() {
        Some(r) => format!(
            "; largest: {} ({}), added in {}, {} in {}",
            paths::display(&r.path),
            format_size(r.size),
            layer_name(analysis, r.added_in),
            r.reason.verb(),
            layer_name(analysis, r.removed_in)
        ),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_layers;
    use crate::filesystem::tests::{file, layer};
    use crate::source::Format;
    use crate::store::Store;
    use crate::{Digest, Image, ImageConfig, Layer};

    fn image(user: Option<&str>, os: &str, media_types: &[&str]) -> Image {
        let mut config = ImageConfig {
            os: Some(os.into()),
            ..ImageConfig::default()
        };
        config.config.user = user.map(str::to_string);
        Image {
            reference: "oci:img:1".into(),
            format: Format::OciLayout,
            manifest_digest: None,
            config_digest: Digest::of(crate::Algorithm::Sha256, b"{}"),
            platform: None,
            names: vec![],
            config,
            layers: media_types
                .iter()
                .enumerate()
                .map(|(i, m)| Layer {
                    index: i,
                    digest: None,
                    diff_id: None,
                    media_type: Some(m.to_string()),
                    size: None,
                    history: None,
                    blob: String::new(),
                })
                .collect(),
            limits: crate::Limits::default(),
            store: Store::Dir(".".into()),
        }
    }

    fn run(image: &Image, options: &CheckOptions) -> Vec<Finding> {
        let layers: Vec<_> = image
            .layers
            .iter()
            .map(|_| layer(vec![file("f", 10)], &[], &[]))
            .collect();
        check(
            image,
            &analyze_layers(&image.layers, layers.to_vec()),
            options,
        )
    }

    const GZ: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

    #[test]
    fn root_users() {
        let quiet = CheckOptions {
            ci: CiRules::disabled(),
            ..CheckOptions::default()
        };
        for (user, root) in [
            (None, true),
            (Some(""), true),
            (Some("root"), true),
            (Some("0"), true),
            (Some("0:0"), true),
            (Some("root:app"), true),
            (Some("root:root"), true),
            (Some(" 0 "), true),
            (Some("00"), true),
            (Some("1000"), false),
            (Some("app"), false),
            (Some("app:0"), false),
            (Some("rooty"), false),
        ] {
            let found = run(&image(user, "linux", &[GZ]), &quiet);
            let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
            // Layers built by tests are gzip by media type, sniffed as
            // gzip in LayerIndex fixtures: no other finding.
            assert_eq!(codes == ["PL3006"], root, "{user:?}: {codes:?}");
            if let Some(f) = found.first() {
                assert_eq!(
                    (f.severity, f.file.as_str(), f.span),
                    (Severity::Warning, "oci:img:1", None)
                );
            }
        }
        assert!(run(&image(None, "windows", &[GZ]), &quiet).is_empty());
    }

    #[test]
    fn layer_count_and_mismatch() {
        let options = CheckOptions {
            ci: CiRules::disabled(),
            max_layers: 2,
            ..CheckOptions::default()
        };
        let img = image(
            Some("1000"),
            "linux",
            &[GZ, GZ, "application/vnd.oci.image.layer.v1.tar"],
        );
        let found = run(&img, &options);
        let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["PL3004", "PL3007"]);
        assert_eq!(
            found[1].message,
            "layer 3: media type `application/vnd.oci.image.layer.v1.tar` declares uncompressed but the content is gzip"
        );
    }

    #[test]
    fn rules_are_documented_and_findable() {
        for rule in RULES {
            assert!(rule.code.starts_with("PL3"));
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(rule.docs.contains(section), "{} lacks {section}", rule.code);
            }
            assert_eq!(find_rule(rule.name).unwrap().code, rule.code);
        }
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes are unique and in order");
        assert_eq!(find_rule("highestwastedbytes").unwrap().code, "PL3002");
        assert_eq!(find_rule("CIS-DI-0008").unwrap().code, "PL3011");
        assert_eq!(find_rule("pl3006").unwrap().name, "image_runs_as_root");
    }
}
