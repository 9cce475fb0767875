use crate::Rule;

mod common;
mod copy_entire_filesystem;
mod copy_from_own_stage;
mod copy_from_undefined_stage;
mod duplicate_stage_name;
mod from_as_casing;
mod from_platform_flag;
mod from_platform_flag_const;
mod invalid_default_arg_in_from;
mod latest_tag;
mod non_numeric_user;
mod redundant_target_platform;
mod reserved_stage_name;
mod root_user;
mod stage_name_casing;
mod undefined_arg_in_from;
mod untagged_image;
mod untrusted_registry;

pub(crate) const RULES: &[&dyn Rule] = &[
    &root_user::RootUser,
    &untagged_image::UntaggedImage,
    &latest_tag::LatestTag,
    &copy_from_undefined_stage::CopyFromUndefinedStage,
    &copy_from_own_stage::CopyFromOwnStage,
    &duplicate_stage_name::DuplicateStageName,
    &untrusted_registry::UntrustedRegistry,
    &from_platform_flag::FromPlatformFlag,
    &reserved_stage_name::ReservedStageName,
    &redundant_target_platform::RedundantTargetPlatform,
    &non_numeric_user::NonNumericUser,
    &copy_entire_filesystem::CopyEntireFilesystem,
    &from_as_casing::FromAsCasing,
    &from_platform_flag_const::FromPlatformFlagConstDisallowed,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &stage_name_casing::StageNameCasing,
    &undefined_arg_in_from::UndefinedArgInFrom,
];
