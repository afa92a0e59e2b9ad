//! Prints the bus-traffic figures of the pca9685 driver (to come).
fn main() {}
