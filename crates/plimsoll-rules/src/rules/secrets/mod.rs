//! PL12xx: secrets in the Dockerfile — literal credentials, secrets written
//! into layers, secret build arguments consumed in the final stage, and
//! credential files copied in. The token formats and credential file names
//! come from `plimsoll-secrets`.
use crate::Rule;

mod common;
mod credential_file_copied;
mod literal_credential;
mod secret_build_arg_in_run;
mod secret_written_to_file;

pub(crate) const RULES: &[&dyn Rule] = &[
    &literal_credential::LiteralCredential,
    &secret_written_to_file::SecretWrittenToFile,
    &secret_build_arg_in_run::SecretBuildArgInRun,
    &credential_file_copied::CredentialFileCopied,
];
