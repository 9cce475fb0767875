//! Rules that read the shell scripts of `RUN` instructions.
use crate::Rule;

pub(crate) mod common;

mod archive_copied_then_extracted;
mod cd_instead_of_workdir;
mod consecutive_runs;
mod gem_unpinned;
mod go_install_unpinned;
mod ln_bin_sh;
mod missing_healthcheck;
mod missing_pipefail;
mod npm_unpinned;
mod pip_cache_dir;
mod pip_unpinned;
mod pointless_command;
mod sudo_used;
mod useradd_without_no_log_init;
mod wget_and_curl;
mod wget_without_progress;
mod yarn_cache_not_cleaned;

pub(crate) const RULES: &[&dyn Rule] = &[
    &missing_pipefail::MissingPipefail,
    &cd_instead_of_workdir::CdInsteadOfWorkdir,
    &sudo_used::SudoUsed,
    &pointless_command::PointlessCommand,
    &pip_unpinned::PipUnpinned,
    &pip_cache_dir::PipCacheDir,
    &npm_unpinned::NpmUnpinned,
    &yarn_cache_not_cleaned::YarnCacheNotCleaned,
    &gem_unpinned::GemUnpinned,
    &go_install_unpinned::GoInstallUnpinned,
    &wget_and_curl::WgetAndCurl,
    &ln_bin_sh::LnBinSh,
    &useradd_without_no_log_init::UseraddWithoutNoLogInit,
    &wget_without_progress::WgetWithoutProgress,
    &consecutive_runs::ConsecutiveRuns,
    &missing_healthcheck::MissingHealthcheck,
    &archive_copied_then_extracted::ArchiveCopiedThenExtracted,
];
