//! PL10xx: the Dockerfile-stage practices of PRACTICES.md about how an
//! image is built and run — layer order, base size, build tools, PID 1,
//! services and their health.
use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
