//! Finding the configuration files that apply to a Dockerfile.

use crate::error::ConfigError;
use crate::files::{ConfigFile, ConfigKind, load_file_as};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The project configuration file's name.
pub const PLIMSOLL_FILE: &str = ".plimsoll.toml";
/// hadolint's project configuration file names, in the order tried.
pub const HADOLINT_FILES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The configuration files in force for one Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// The nearest `.plimsoll.toml`.
    pub plimsoll: Option<Arc<ConfigFile>>,
    /// The nearest `.hadolint.yaml`/`.yml`, else hadolint's user-wide file.
    pub hadolint: Option<Arc<ConfigFile>>,
}

impl Discovered {
    /// An explicit `--config FILE` in its slot, with no discovery.
    pub fn explicit(file: ConfigFile) -> Discovered {
        let file = Some(Arc::new(file));
        match file.as_ref().map(|f| f.kind) {
            Some(ConfigKind::Plimsoll) => Discovered {
                plimsoll: file,
                hadolint: None,
            },
            _ => Discovered {
                plimsoll: None,
                hadolint: file,
            },
        }
    }

    /// The files, nearest format first.
    pub fn files(&self) -> impl Iterator<Item = &ConfigFile> {
        self.plimsoll
            .iter()
            .chain(self.hadolint.iter())
            .map(|f| f.as_ref())
    }
}

/// Where hadolint's user-wide configuration may be, the last resort for
/// the hadolint file. [`UserDirs::from_env`] reads `XDG_CONFIG_HOME` and
/// `HOME`; tests build their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserDirs {
    pub xdg_config_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl UserDirs {
    pub fn from_env() -> UserDirs {
        let dir = |var: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        UserDirs {
            xdg_config_home: dir("XDG_CONFIG_HOME"),
            home: dir("HOME").or_else(|| dir("USERPROFILE")),
        }
    }

    /// No user-wide files (for tests and `--isolated`-style runs).
    pub fn none() -> UserDirs {
        UserDirs::default()
    }

    /// hadolint's user-wide candidates, in hadolint's order:
    /// `$XDG_CONFIG_HOME/hadolint.yaml`, `~/.config/hadolint.yaml`,
    /// `~/.hadolint/hadolint.yaml`, `~/.hadolint/config.yaml`,
    /// `~/.hadolint.yaml` (each also as `.yml`).
    pub fn hadolint_candidates(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let visible = ["hadolint.yaml", "hadolint.yml"];
        if let Some(xdg) = &self.xdg_config_home {
            out.extend(visible.iter().map(|f| xdg.join(f)));
        }
        if let Some(home) = &self.home {
            let config = home.join(".config");
            out.extend(visible.iter().map(|f| config.join(f)));
            let app = home.join(".hadolint");
            out.extend(
                ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"]
                    .iter()
                    .map(|f| app.join(f)),
            );
            out.extend(HADOLINT_FILES.iter().map(|f| home.join(f)));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|p| seen.insert(p.clone()));
        out
    }
}

/// Finds the configuration for `start` (a Dockerfile, or a directory):
/// walks up from its directory to the filesystem root for the nearest
/// `.plimsoll.toml` and, independently, the nearest `.hadolint.yaml` (or
/// `.yml`); failing that, hadolint's user-wide file. `None` when neither
/// kind is found.
pub fn discover(start: &Path) -> Result<Option<Discovered>, ConfigError> {
    ConfigCache::new().discover(start)
}

/// [`discover`] with the user directories given.
pub fn discover_with(start: &Path, user: &UserDirs) -> Result<Option<Discovered>, ConfigError> {
    ConfigCache::with_user_dirs(user.clone()).discover(start)
}

/// Discovery for many files: each directory is looked at once and each
/// configuration file read once. Shareable between threads.
#[derive(Debug)]
pub struct ConfigCache {
    user: UserDirs,
    state: Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    /// Directory → nearest file of each kind found walking up from it.
    plimsoll_near: HashMap<PathBuf, Option<PathBuf>>,
    hadolint_near: HashMap<PathBuf, Option<PathBuf>>,
    /// The user-wide hadolint file, once looked for.
    hadolint_user: Option<Option<PathBuf>>,
    /// Files read, by path.
    files: HashMap<PathBuf, Arc<ConfigFile>>,
    /// How many directories were looked at (for tests).
    dirs_checked: usize,
}

impl ConfigCache {
    /// A cache whose hadolint fallback is read from `XDG_CONFIG_HOME` and
    /// `HOME` now.
    pub fn new() -> ConfigCache {
        ConfigCache::with_user_dirs(UserDirs::from_env())
    }

    pub fn with_user_dirs(user: UserDirs) -> ConfigCache {
        ConfigCache {
            user,
            state: Mutex::default(),
        }
    }

    /// See [`discover`].
    pub fn discover(&self, start: &Path) -> Result<Option<Discovered>, ConfigError> {
        let start = std::path::absolute(start).map_err(|source| ConfigError::Io {
            path: start.to_path_buf(),
            source,
        })?;
        let dir = if start.is_dir() {
            start
        } else {
            match start.parent() {
                Some(p) => p.to_path_buf(),
                None => start,
            }
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let plimsoll_path = nearest(&mut state, &dir, ConfigKind::Plimsoll);
        let mut hadolint_path = nearest(&mut state, &dir, ConfigKind::Hadolint);
        if hadolint_path.is_none() {
            hadolint_path = state
                .hadolint_user
                .get_or_insert_with(|| {
                    self.user
                        .hadolint_candidates()
                        .into_iter()
                        .find(|p| p.is_file())
                })
                .clone();
        }
        if plimsoll_path.is_none() && hadolint_path.is_none() {
            return Ok(None);
        }
        let plimsoll = plimsoll_path
            .map(|p| read(&mut state, p, ConfigKind::Plimsoll))
            .transpose()?;
        let hadolint = hadolint_path
            .map(|p| read(&mut state, p, ConfigKind::Hadolint))
            .transpose()?;
        Ok(Some(Discovered { plimsoll, hadolint }))
    }

    /// How many directories have been looked at on disk so far.
    pub fn directories_checked(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .dirs_checked
    }
}

impl Default for ConfigCache {
    /// Same as [`ConfigCache::new`].
    fn default() -> Self {
        ConfigCache::new()
    }
}

fn read(
    state: &mut CacheState,
    path: PathBuf,
    kind: ConfigKind,
) -> Result<Arc<ConfigFile>, ConfigError> {
    if let Some(f) = state.files.get(&path) {
        return Ok(f.clone());
    }
    let file = Arc::new(load_file_as(&path, kind)?);
    state.files.insert(path, file.clone());
    Ok(file)
}

/// The nearest file of `kind` at or above `dir`, filling the cache for
/// every directory passed.
fn nearest(state: &mut CacheState, dir: &Path, kind: ConfigKind) -> Option<PathBuf> {
    let mut visited = Vec::new();
    let mut found = None;
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let cache = match kind {
            ConfigKind::Plimsoll => &state.plimsoll_near,
            ConfigKind::Hadolint => &state.hadolint_near,
        };
        if let Some(hit) = cache.get(d) {
            found = hit.clone();
            break;
        }
        state.dirs_checked += 1;
        visited.push(d.to_path_buf());
        let here = match kind {
            ConfigKind::Plimsoll => [PLIMSOLL_FILE]
                .iter()
                .map(|f| d.join(f))
                .find(|p| p.is_file()),
            ConfigKind::Hadolint => HADOLINT_FILES
                .iter()
                .map(|f| d.join(f))
                .find(|p| p.is_file()),
        };
        if here.is_some() {
            found = here;
            break;
        }
        cur = d.parent();
    }
    let cache = match kind {
        ConfigKind::Plimsoll => &mut state.plimsoll_near,
        ConfigKind::Hadolint => &mut state.hadolint_near,
    };
    for d in visited {
        cache.insert(d, found.clone());
    }
    found
}
