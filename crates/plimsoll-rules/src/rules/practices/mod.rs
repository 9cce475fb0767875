//! PL10xx: the Dockerfile-stage practices of PRACTICES.md about how an
//! image is built and run — layer order, base size, build tools, PID 1,
//! services and their health.
use crate::Rule;

mod common;
mod deps;

mod alpine_for_python;
mod app_as_pid1_without_init;
mod build_tools_in_final_image;
mod cmd_entrypoint_misuse;
mod copy_whole_context;
mod curl_without_fail;
mod deleted_in_later_layer;
mod dependencies_fetched_with_sources;
mod entrypoint_script_without_exec;
mod full_size_base_image;
mod global_arg_in_run;
mod gunicorn_worker_tmp_dir;
mod logging_to_file;
mod package_cache_in_layer;
mod service_without_healthcheck;
mod sources_before_dependency_install;
mod static_binary_on_distro;
mod supervisor_as_main_process;

pub(crate) const RULES: &[&dyn Rule] = &[
    &build_tools_in_final_image::BuildToolsInFinalImage,
    &sources_before_dependency_install::SourcesBeforeDependencyInstall,
    &dependencies_fetched_with_sources::DependenciesFetchedWithSources,
    &full_size_base_image::FullSizeBaseImage,
    &alpine_for_python::AlpineForPython,
    &deleted_in_later_layer::DeletedInLaterLayer,
    &package_cache_in_layer::PackageCacheInLayer,
    &supervisor_as_main_process::SupervisorAsMainProcess,
    &cmd_entrypoint_misuse::CmdEntrypointMisuse,
    &service_without_healthcheck::ServiceWithoutHealthcheck,
    &copy_whole_context::CopyWholeContext,
    &logging_to_file::LoggingToFile,
    &gunicorn_worker_tmp_dir::GunicornWorkerTmpDir,
    &entrypoint_script_without_exec::EntrypointScriptWithoutExec,
    &app_as_pid1_without_init::AppAsPid1WithoutInit,
    &static_binary_on_distro::StaticBinaryOnDistro,
    &global_arg_in_run::GlobalArgInRun,
    &curl_without_fail::CurlWithoutFail,
];
