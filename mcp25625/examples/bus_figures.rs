//! Prints the bus-traffic figures (to come).
fn main() {}
