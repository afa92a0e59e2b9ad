//! Prints the bus-traffic figures of the mcp23017 driver (to come).
fn main() {}
