//! Rules about single instructions and their arguments.
use crate::Rule;

pub(crate) mod common;
mod ports;

mod add_instead_of_copy;
mod copy_destination_not_directory;
mod copy_without_workdir;
mod env_same_statement_reference;
mod expose_invalid_format;
mod expose_port_out_of_range;
mod expose_proto_casing;
mod instruction_before_from;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_cmds;
mod multiple_entrypoints;
mod multiple_healthchecks;
mod onbuild_forbidden_trigger;
mod shell_form_command;
mod workdir_not_absolute;
mod workdir_relative_path;

pub(crate) const RULES: &[&dyn Rule] = &[
    &maintainer_deprecated::MaintainerDeprecated,
    &workdir_not_absolute::WorkdirNotAbsolute,
    &workdir_relative_path::WorkdirRelativePath,
    &expose_port_out_of_range::ExposePortOutOfRange,
    &expose_proto_casing::ExposeProtoCasing,
    &expose_invalid_format::ExposeInvalidFormat,
    &multiple_healthchecks::MultipleHealthchecks,
    &add_instead_of_copy::AddInsteadOfCopy,
    &copy_destination_not_directory::CopyDestinationNotDirectory,
    &shell_form_command::ShellFormCommand,
    &multiple_cmds::MultipleCmds,
    &multiple_entrypoints::MultipleEntrypoints,
    &copy_without_workdir::CopyWithoutWorkdir,
    &onbuild_forbidden_trigger::OnbuildForbiddenTrigger,
    &instruction_before_from::InstructionBeforeFrom,
    &env_same_statement_reference::EnvSameStatementReference,
    &legacy_key_value_format::LegacyKeyValueFormat,
];
