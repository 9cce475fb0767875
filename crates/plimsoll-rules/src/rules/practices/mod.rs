//! PL10xx: the Dockerfile-stage practices of PRACTICES.md about how an
//! image is built and run — layer order, base size, build tools, PID 1,
//! services and their health.
use crate::Rule;

mod common;
mod deps;

mod alpine_for_python;
mod build_tools_in_final_image;
mod deleted_in_later_layer;
mod dependencies_fetched_with_sources;
mod full_size_base_image;
mod sources_before_dependency_install;

pub(crate) const RULES: &[&dyn Rule] = &[
    &build_tools_in_final_image::BuildToolsInFinalImage,
    &sources_before_dependency_install::SourcesBeforeDependencyInstall,
    &dependencies_fetched_with_sources::DependenciesFetchedWithSources,
    &full_size_base_image::FullSizeBaseImage,
    &alpine_for_python::AlpineForPython,
    &deleted_in_later_layer::DeletedInLaterLayer,
];
