//! Every public operation of `mcp23017` (filled in with the crate).

/// The blocking driver.
pub fn exercise() {}

/// The async driver.
#[cfg(feature = "async")]
pub fn exercise_async() {}
