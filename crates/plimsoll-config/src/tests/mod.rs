mod check;
mod discover;
mod env;
mod precedence;
mod selector;
mod toml_format;
mod yaml_format;

use crate::{ConfigError, ConfigFile, Settings, parse_hadolint_yaml, parse_plimsoll_toml};
use std::path::Path;

fn toml(text: &str) -> Settings {
    parse_plimsoll_toml(text, Path::new("/proj/.plimsoll.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
        .settings
}

fn toml_err(text: &str) -> ConfigError {
    match parse_plimsoll_toml(text, Path::new("/proj/.plimsoll.toml")) {
        Ok(f) => panic!("expected an error, got {:?}", f.settings),
        Err(e) => e,
    }
}

fn yaml_file(text: &str) -> ConfigFile {
    parse_hadolint_yaml(text, Path::new("/proj/.hadolint.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn yaml(text: &str) -> Settings {
    yaml_file(text).settings
}

fn yaml_err(text: &str) -> ConfigError {
    match parse_hadolint_yaml(text, Path::new("/proj/.hadolint.yaml")) {
        Ok(f) => panic!("expected an error, got {:?}", f.settings),
        Err(e) => e,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
