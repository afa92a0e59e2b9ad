//! sc16is740 (I2C, 14.7456 MHz crystal): init at 115200 8N1, write a buffer, read a buffer.
#![no_std]
#![no_main]

use fugit::RateExtU32;
use sc16is740::{Address, Config, I2cInterface, Sc16is740, Sc16is7xx};
use size::{keep, I2c};

type Driver = Sc16is7xx<I2cInterface<I2c>, Sc16is740>;
size::bench!(Driver, workload);

fn workload() {
    let mut uart: Driver = Sc16is7xx::new_i2c(I2c, Address::DEFAULT, 14_745_600.Hz(), Sc16is740);
    keep(uart.init(&Config::new(115_200.Hz())));
    keep(uart.write_all(b"hello from the base board\r\n"));
    let mut buffer = [0; 32];
    keep(uart.try_read(&mut buffer));
    keep(buffer);
    keep(uart);
}
