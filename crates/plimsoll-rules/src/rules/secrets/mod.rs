//! PL12xx: secrets in the Dockerfile — literal credentials, secrets written
//! into layers, secret build arguments consumed in the final stage.
use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
