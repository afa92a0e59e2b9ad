//! Prints the bus-traffic figures of the bq24195 driver.
fn main() {}
