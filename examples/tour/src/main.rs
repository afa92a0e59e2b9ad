//! A tour of the Gen 3 base-board drivers, each on its simulated chip. Run it with `cargo run -p tour`.

mod base_board;
mod bq24195;
mod max17043;
mod mcp23017;
mod mcp25625;
mod pca9685;
mod sc16is740;
mod shared_bus;

fn heading(title: &str) {
    println!();
    println!("== {title} ==");
}

fn main() {
    println!("Gen 3 base-board drivers: a tour on simulated chips");
    heading("bq24195: charger and power path");
    bq24195::chapter();
    heading("max17043: fuel gauge");
    max17043::chapter();
    heading("mcp23017: 16 more GPIO");
    mcp23017::chapter();
    heading("sc16is740: extra UARTs");
    sc16is740::chapter();
    heading("pca9685: 16 PWM outputs");
    pca9685::chapter();
    heading("mcp25625: CAN");
    mcp25625::chapter();
    heading("two drivers on one I2C bus, one error type");
    shared_bus::chapter();
    heading("finale: the whole base board");
    base_board::chapter();
}
