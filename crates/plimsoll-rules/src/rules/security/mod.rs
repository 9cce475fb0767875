//! PL11xx: attack surface and trust — verification switched off, remote
//! access tools, proxies baked in, risky ports and directories.
use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
