//! PL11xx: attack surface and trust — verification switched off, remote
//! access tools, proxies baked in, risky ports and directories.
use crate::Rule;

mod common;

mod attacker_tools_installed;
mod package_index_update_alone;
mod package_verification_disabled;
mod proxy_in_env;
mod ssh_port_exposed;
mod tls_verification_disabled;
mod workdir_in_system_directory;

pub(crate) const RULES: &[&dyn Rule] = &[
    &tls_verification_disabled::TlsVerificationDisabled,
    &package_verification_disabled::PackageVerificationDisabled,
    &ssh_port_exposed::SshPortExposed,
    &package_index_update_alone::PackageIndexUpdateAlone,
    &workdir_in_system_directory::WorkdirInSystemDirectory,
    &attacker_tools_installed::AttackerToolsInstalled,
    &proxy_in_env::ProxyInEnv,
];
