use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::marker::PhantomData;

/// The variables a word is expanded against.
///
/// `None` means *unset*, which BuildKit distinguishes from *set to the empty
/// string* (`${X-default}` only falls back when `X` is unset). Names are
/// compared exactly, as BuildKit does on Unix.
///
/// For lists of pairs the last pair with a name wins, like BuildKit's
/// `EnvsFromSlice` (a later `ENV` overrides an earlier one).
pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
}

impl<S: BuildHasher> Env for HashMap<String, String, S> {
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }
}

impl Env for [(&str, &str)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }
}

impl<const N: usize> Env for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl Env for Vec<(&str, &str)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl Env for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Env for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// The empty environment: every variable is unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// An environment backed by a closure; build one with [`env_fn`].
pub struct FnEnv<'s, F> {
    lookup: F,
    _values: PhantomData<&'s str>,
}

/// Wraps a lookup closure as an [`Env`]. The values it returns must outlive
/// the wrapper (borrow them from a map, or use `&'static str`).
///
/// ```
/// use plimsoll_expand::{Lexer, env_fn};
/// let env = env_fn(|name| (name == "ARCH").then_some("arm64"));
/// assert_eq!(Lexer::new('\\').process_word("$ARCH", &env).unwrap().value, "arm64");
/// ```
pub fn env_fn<'s, F>(lookup: F) -> FnEnv<'s, F>
where
    F: Fn(&str) -> Option<&'s str>,
{
    FnEnv {
        lookup,
        _values: PhantomData,
    }
}

impl<'s, F> Env for FnEnv<'s, F>
where
    F: Fn(&str) -> Option<&'s str>,
{
    fn get(&self, name: &str) -> Option<&str> {
        (self.lookup)(name)
    }
}

impl<F> std::fmt::Debug for FnEnv<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnEnv")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_pair_wins() {
        let env = [("A", "1"), ("B", "2"), ("A", "3")];
        assert_eq!(Env::get(&env, "A"), Some("3"));
        assert_eq!(Env::get(&env, "C"), None);
        let owned = vec![
            ("A".to_string(), "1".to_string()),
            ("A".to_string(), String::new()),
        ];
        assert_eq!(Env::get(&owned, "A"), Some(""));
    }

    #[test]
    fn maps_and_closures() {
        let map = HashMap::from([("K".to_string(), "v".to_string())]);
        assert_eq!(Env::get(&map, "K"), Some("v"));
        let tree = BTreeMap::from([("K".to_string(), "w".to_string())]);
        assert_eq!(Env::get(&tree, "K"), Some("w"));
        let by_fn = env_fn(|n| map.get(n).map(String::as_str));
        assert_eq!(by_fn.get("K"), Some("v"));
        assert_eq!(NoEnv.get("K"), None);
    }
}
