use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "plimsoll",
    version,
    about = "Checks container images against the practices of building and running them well",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Dockerfiles, compose files and Kubernetes manifests (files,
    /// directories, or `-` for a Dockerfile on stdin).
    Check(Box<CheckArgs>),
    /// Analyse built images: layers, waste, config (OCI layout, OCI archive,
    /// `docker save` archive).
    Image(Box<ImageArgs>),
    /// Print the documentation of one rule.
    Rule {
        /// A code (`DL3008`), BuildKit check name (`StageNameCasing`) or rule name.
        code: String,
    },
    /// List every rule with its code, name, severity and whether it fixes.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Tools for looking inside plimsoll.
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print BuildKit's AST dump (`Node.Dump()`) of a Dockerfile, from the
    /// same tree `check` uses.
    BuildkitAst { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads stdin. Default: `.`
    pub paths: Vec<PathBuf>,

    /// Output format: tty, json, sarif, checkstyle, codeclimate, junit, github.
    #[arg(short, long)]
    pub format: Option<String>,

    /// Apply safe fixes.
    #[arg(long)]
    pub fix: bool,
    /// Apply unsafe fixes too (implies --fix unless --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,

    /// Rules to enable, by code or prefix (`DL`, `DL30`, `PL1001`, `ALL`).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules to enable in addition to the selected ones.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules to disable, by code or prefix.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Make rules report as errors (hadolint's --error).
    #[arg(long = "error", value_name = "CODE", value_delimiter = ',')]
    pub as_error: Vec<String>,
    /// Make rules report as warnings.
    #[arg(long = "warning", value_name = "CODE", value_delimiter = ',')]
    pub as_warning: Vec<String>,
    /// Make rules report as info.
    #[arg(long = "info", value_name = "CODE", value_delimiter = ',')]
    pub as_info: Vec<String>,
    /// Make rules report as style.
    #[arg(long = "style", value_name = "CODE", value_delimiter = ',')]
    pub as_style: Vec<String>,

    /// Exit 1 only for findings at or above this severity (error, warning,
    /// info, style, none). Default: info.
    #[arg(short = 't', long)]
    pub failure_threshold: Option<String>,
    /// Always exit 0 when everything could be checked.
    #[arg(long)]
    pub no_fail: bool,

    /// A config file (.plimsoll.toml or .hadolint.yaml) instead of the
    /// discovered ones.
    #[arg(short, long, env = "PLIMSOLL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The build context of the Dockerfiles checked (default: a
    /// Dockerfile's own directory, when it evidently is its context: it
    /// holds a `.dockerignore` or a file a COPY/ADD names).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Compose files that make one project, merged in the order given as
    /// `docker compose -f` merges them (repeatable). Without PATHS, only
    /// this project is checked.
    #[arg(long = "compose-file", value_name = "FILE")]
    pub compose_files: Vec<PathBuf>,
    /// The name stdin is reported under.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Registries FROM may use (repeatable).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registries: Vec<String>,
    /// A label the image must have, as `name:format` (repeatable).
    #[arg(long = "require-label", value_name = "LABEL:FORMAT")]
    pub require_labels: Vec<String>,
    /// Report labels outside the label schema.
    #[arg(long)]
    pub strict_labels: bool,
    /// Ignore inline `# plimsoll ignore=` / `# hadolint ignore=` pragmas.
    #[arg(long)]
    pub disable_ignore_pragma: bool,
    /// No colour in the output.
    #[arg(long)]
    pub no_color: bool,
    /// Also run the `shellcheck` program on every RUN script (one call per
    /// Dockerfile); its SC findings join plimsoll's own.
    #[arg(long)]
    pub shellcheck: bool,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    /// Images: `oci:DIR[:TAG|@DIGEST]`, `oci-archive:FILE`,
    /// `docker-archive:FILE`, a path (its kind is detected), or a registry
    /// reference `[REGISTRY/]REPO[:TAG|@DIGEST]` (Docker Hub by default).
    #[arg(required = true)]
    pub images: Vec<String>,
    /// Output format: tty (layer table, largest waste, findings), json
    /// (the image's layers, sizes, waste and findings), sarif,
    /// checkstyle, codeclimate, junit, github (findings only).
    #[arg(short, long, default_value = "tty")]
    pub format: String,
    /// Print the whole analysis (layers, totals, waste, duplicates) as JSON
    /// instead of the findings.
    #[arg(long, conflicts_with = "format")]
    pub analysis: bool,
    /// The platform to pick from a multi-platform image (`linux/arm64`);
    /// default: this machine's.
    #[arg(long)]
    pub platform: Option<String>,
    /// A registry host (`HOST` or `HOST:PORT`) to reach over plain HTTP or
    /// without verifying its certificate (repeatable). Loopback hosts may
    /// always use plain HTTP.
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// A PEM file of CA certificates to trust for registries, besides the
    /// usual roots (repeatable; `SSL_CERT_FILE` is read too).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Vec<PathBuf>,
    /// Seconds to wait for a registry's answer and for each read of it.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Seconds to wait for a connection to a registry (TLS included).
    #[arg(long, value_name = "SECONDS", default_value_t = 15.0)]
    pub connect_timeout: f64,
    /// List the installed packages (dpkg, apk, Python, npm): a table in
    /// the terminal, `packages` in the JSON output.
    #[arg(long)]
    pub packages: bool,
    /// Write an SBOM: `cyclonedx` (CycloneDX 1.5 JSON) to stdout instead
    /// of the report, or `cyclonedx=FILE` to a file beside the report.
    #[arg(long, value_name = "FORMAT[=FILE]")]
    pub sbom: Option<String>,

    /// Rules to enable, by code or prefix (`PL30`, `PL3011`, `ALL`).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules to enable in addition to the selected ones.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules to disable, by code or prefix.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// A config file (.plimsoll.toml) instead of the one discovered from
    /// the current directory.
    #[arg(short, long, env = "PLIMSOLL_CONFIG")]
    pub config: Option<PathBuf>,

    /// Accepted so that `dive IMAGE --ci` command lines keep working:
    /// plimsoll never opens an interactive view and always applies the
    /// thresholds below.
    #[arg(long)]
    pub ci: bool,
    /// dive's CI rules file; default: `.dive-ci` in the current directory
    /// when it exists.
    #[arg(long, value_name = "FILE")]
    pub ci_config: Option<PathBuf>,
    /// Fail below this efficiency (0–1; dive's `lowest-efficiency`, also
    /// accepted as `--lowestEfficiency`).
    #[arg(long, alias = "lowestEfficiency")]
    pub lowest_efficiency: Option<String>,
    /// Fail above this many wasted bytes (`20MB`; dive's
    /// `highest-wasted-bytes`, also accepted as `--highestWastedBytes`).
    #[arg(long, alias = "highestWastedBytes")]
    pub highest_wasted_bytes: Option<String>,
    /// Fail above this share of wasted bytes in the layers above the base
    /// (0–1; dive's `highest-user-wasted-percent`, also accepted as
    /// `--highestUserWastedPercent`).
    #[arg(long, alias = "highestUserWastedPercent")]
    pub highest_user_wasted_percent: Option<String>,
    /// The most bytes one layer may expand to when decompressed; a larger
    /// layer is an error (a decompression bomb). Default: 32GiB.
    #[arg(long, value_name = "SIZE")]
    pub max_layer_size: Option<String>,
    /// The most entries (files, directories, links) one layer may hold.
    /// Default: 2000000.
    #[arg(long, value_name = "N")]
    pub max_layer_files: Option<usize>,

    /// Exit 1 only for findings at or above this severity. Default: info.
    #[arg(short = 't', long)]
    pub failure_threshold: Option<String>,
    /// Always exit 0 when every image could be read.
    #[arg(long)]
    pub no_fail: bool,
    /// Only what the tar headers tell (the layer table, sizes, waste,
    /// efficiency) and the checks that need no file contents: plimsoll
    /// seeks past file contents in uncompressed layers of archives and
    /// layouts, so those layers' digests go unverified, and there are no
    /// duplicates and no secrets found in files. dive's `--ci`, fast.
    #[arg(long)]
    pub layers_only: bool,
    /// How many of the largest wasted files to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}
