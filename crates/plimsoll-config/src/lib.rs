//! Configuration for plimsoll: `.plimsoll.toml`, hadolint's
//! `.hadolint.yaml`, `PLIMSOLL_*` and `HADOLINT_*` environment variables,
//! and the command line, merged key by key into one [`Settings`]; a
//! [`RuleSelector`] that turns them into "does this rule run, and at what
//! severity"; and BuildKit's `# check=` directive.
//!
//! ```no_run
//! use plimsoll_config::{ConfigCache, Layers, RuleSelector, Settings, resolve};
//! use std::path::Path;
//!
//! let cache = ConfigCache::new();
//! let env = Settings::from_process_env()?;
//! let file = Path::new("app/Dockerfile");
//! let mut layers = Layers { env, ..Layers::default() };
//! if let Some(found) = cache.discover(file)? {
//!     layers = layers.with_files(&found);
//! }
//! let settings = resolve(layers);
//! let rules = RuleSelector::new(&settings).for_path(file);
//! assert!(rules.is_enabled("DL3008", &[], true));
//! # Ok::<(), plimsoll_config::ConfigError>(())
//! ```

mod check;
mod discover;
mod env;
mod error;
mod files;
mod selector;
mod settings;
mod values;

pub use check::{CheckDirective, parse_check_directive};
pub use discover::{
    ConfigCache, Discovered, HADOLINT_FILES, PLIMSOLL_FILE, UserDirs, discover, discover_with,
};
pub use env::ENV_VARS;
pub use error::ConfigError;
pub use files::{
    ConfigFile, ConfigKind, load_file, load_file_as, parse_hadolint_yaml, parse_plimsoll_toml,
};
pub use selector::RuleSelector;
pub use settings::{Layers, Settings, resolve};
pub use values::{
    ContextEntry, FailureThreshold, HADOLINT_FORMATS, ImageSettings, LabelType, PerFileIgnore,
    SeverityOverride, map_hadolint_format,
};

#[cfg(test)]
mod tests;
