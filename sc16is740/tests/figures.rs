//! Pinned bus-traffic figures (transactions, and bytes after each address byte on I2C), counted on the simulator,
//! and the payload efficiency of bulk transfers.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]
mod common;

use common::*;
use core::cell::RefCell;
use sc16is740::sim::{CountingBus, Sc16is7xxSim, SharedSim, SimVariant, Traffic};
use sc16is740::{Sc16is750, Sc16is7xx};

fn tx(transactions: u32, written: u32, read: u32) -> Traffic {
    Traffic {
        transactions,
        written,
        read,
    }
}

type Uart<'a> = sc16is740::Sc16is7xxI2c<CountingBus<SharedSim<'a>>, Sc16is750>;

/// What crossed the driver's counting bus since the last call (the counts start again at 0).
macro_rules! take {
    ($u:expr) => {{
        let traffic = $u.bus().traffic();
        $u.bus_mut().reset_traffic();
        traffic
    }};
}

/// An initialised channel on a counting bus, traffic reset.
fn ready(chip: &RefCell<Sc16is7xxSim>) -> Uart<'_> {
    let mut u = Sc16is7xx::new_i2c(
        CountingBus::new(SharedSim(chip)),
        Address::DEFAULT,
        XTAL.Hz(),
        Sc16is750,
    );
    u.init(&Config::default()).unwrap();
    take!(u);
    u
}

fn sim() -> RefCell<Sc16is7xxSim> {
    RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is750, XTAL.Hz()))
}

#[test]
fn init_is_thirteen_two_byte_writes() {
    let chip = sim();
    let mut u = Sc16is7xx::new_i2c(
        CountingBus::new(SharedSim(&chip)),
        Address::DEFAULT,
        XTAL.Hz(),
        Sc16is750,
    );
    u.init(&Config::default()).unwrap();
    assert_eq!(take!(u), tx(13, 26, 0));
    assert_eq!(chip.borrow().baud_rate(0), 115_200);
    assert_eq!(chip.borrow().stray_accesses(), 0);
    assert_eq!(chip.borrow().gated_writes_dropped(), 0);
}

/// The start-up row: from power-on, 5 transactions of 2 bytes (15 with the address bytes), the minimum;
/// and the workload's first write is one burst (the TX FIFO was just reset).
#[test]
fn init_from_power_on_is_five_two_byte_writes() {
    let chip = sim();
    let mut u = Sc16is7xx::new_i2c(
        CountingBus::new(SharedSim(&chip)),
        Address::DEFAULT,
        XTAL.Hz(),
        Sc16is750,
    );
    u.assume_power_on_state();
    assert_eq!(take!(u), tx(0, 0, 0));
    u.init(&Config::default()).unwrap();
    assert_eq!(take!(u), tx(5, 10, 0));
    assert_eq!(chip.borrow().baud_rate(0), 115_200);
    u.write_all(b"hello from the base board\r\n").unwrap();
    assert_eq!(take!(u), tx(1, 1 + 27, 0));
    assert_eq!(chip.borrow().stray_accesses(), 0);
    assert_eq!(chip.borrow().gated_writes_dropped(), 0);
}

#[test]
fn sixty_four_bytes_into_an_empty_fifo_is_one_txlvl_read_and_one_write_of_65() {
    let chip = sim();
    let mut u = ready(&chip);
    chip.borrow_mut().set_chars_per_transaction(0);
    assert_eq!(u.try_write(&payload(64)).unwrap(), 64);
    assert_eq!(take!(u), tx(2, 1 + 65, 1));
}

#[test]
fn sixteen_waiting_bytes_unchecked_is_one_rxlvl_read_and_one_write_read_of_1_plus_16() {
    let chip = sim();
    let mut u = ready(&chip);
    u.set_receive_check(ReceiveCheck::Unchecked);
    chip.borrow_mut().receive(0, &payload(16));
    chip.borrow_mut().deliver_now(0);
    let mut buffer = [0; 64];
    assert_eq!(u.try_read(&mut buffer).unwrap(), 16);
    assert_eq!(&buffer[..16], &payload(16)[..]);
    assert_eq!(take!(u), tx(2, 2, 1 + 16));
}

#[test]
fn sixteen_waiting_bytes_checked_adds_one_lsr_read() {
    let chip = sim();
    let mut u = ready(&chip);
    chip.borrow_mut().receive(0, &payload(16));
    chip.borrow_mut().deliver_now(0);
    let mut buffer = [0; 64];
    assert_eq!(u.try_read(&mut buffer).unwrap(), 16);
    assert_eq!(take!(u), tx(3, 3, 1 + 1 + 16));
    // an empty FIFO: the LSR read alone
    assert_eq!(u.try_read(&mut buffer).unwrap(), 0);
    assert_eq!(take!(u), tx(1, 1, 1));
}

#[test]
fn settings_from_the_cache_are_single_writes() {
    let chip = sim();
    let mut u = ready(&chip);
    u.set_line_format(LineFormat::F7E1).unwrap();
    assert_eq!(take!(u), tx(1, 2, 0));
    u.set_baud_rate(9_600.Hz()).unwrap();
    assert_eq!(take!(u), tx(4, 8, 0));
    u.set_interrupts(Interrupts::RX_DATA).unwrap();
    assert_eq!(take!(u), tx(1, 2, 0));
    u.set_gpio_direction(0x08).unwrap();
    u.set_gpio_outputs(0x00).unwrap();
    take!(u);
    u.set_gpio_pin(GpioPin::new(3).unwrap(), true).unwrap();
    assert_eq!(take!(u), tx(1, 2, 0));
    u.set_hardware_flow_control(HardwareFlowControl {
        auto_rts: true,
        auto_cts: true,
        levels: FlowLevels::default(),
    })
    .unwrap();
    assert_eq!(take!(u), tx(6, 12, 0));
    assert_eq!(chip.borrow().stray_accesses(), 0);
    assert_eq!(chip.borrow().gated_writes_dropped(), 0);
}

#[test]
fn a_software_reset_is_the_reset_write_and_one_lcr_read_back() {
    let chip = sim();
    let mut u = ready(&chip);
    u.software_reset(&mut NoopDelay).unwrap();
    // the reset is proved by LCR reading 0x1D (issue 12): one 1 + 1 write-read more than before
    assert_eq!(take!(u), tx(2, 2 + 1, 1));
    // after a reset LCR is 0x1D: a second reset first writes another format, so that the read-back means something
    u.software_reset(&mut NoopDelay).unwrap();
    assert_eq!(take!(u), tx(3, 2 + 2 + 1, 1));
    assert_eq!(chip.borrow().software_resets(), 2);
    // the reset leaves the power-on state: init at the minimum
    u.init(&Config::default()).unwrap();
    assert_eq!(take!(u), tx(5, 10, 0));
    assert_eq!(chip.borrow().baud_rate(0), 115_200);
}

/// Payload bytes over every byte on the wire, I2C address bytes included (one per write, two per write-read).
fn efficiency_i2c(payload: u32, traffic: Traffic, write_reads: u32) -> f64 {
    let writes = traffic.transactions - write_reads;
    let wire = traffic.written + traffic.read + writes + 2 * write_reads;
    f64::from(payload) / f64::from(wire)
}

#[test]
fn bulk_transfers_at_full_fifo_are_at_least_90_percent_payload() {
    let chip = sim();
    let mut u = ready(&chip);
    chip.borrow_mut().set_chars_per_transaction(0);
    u.try_write(&payload(64)).unwrap();
    let write = take!(u);
    // bytes after the address: 64 / 67; every wire byte: 64 / 70
    assert!(f64::from(64u32) / f64::from(write.written + write.read) >= 0.95);
    assert!(efficiency_i2c(64, write, 1) >= 0.90, "{write:?}");

    u.set_receive_check(ReceiveCheck::Unchecked);
    chip.borrow_mut().receive(0, &payload(64));
    chip.borrow_mut().deliver_now(0);
    let mut buffer = [0; 64];
    assert_eq!(u.try_read(&mut buffer).unwrap(), 64);
    let read = take!(u);
    assert_eq!(read, tx(2, 2, 65));
    assert!(efficiency_i2c(64, read, 2) >= 0.90, "{read:?}");

    // with the line-status check: one more 1 + 1 write-read (92.8 % after the address, 85.3 % on the wire)
    u.set_receive_check(ReceiveCheck::LineStatus);
    chip.borrow_mut().receive(0, &payload(64));
    chip.borrow_mut().deliver_now(0);
    assert_eq!(u.try_read(&mut buffer).unwrap(), 64);
    let checked = take!(u);
    assert_eq!(checked, tx(3, 3, 66));
    assert!(f64::from(64u32) / f64::from(checked.written + checked.read) >= 0.90);
}

#[test]
fn spi_bulk_transfers() {
    let chip = sim();
    let mut u = Sc16is7xx::new_spi(CountingBus::new(SharedSim(&chip)), XTAL.Hz(), Sc16is750);
    u.init(&Config::default()).unwrap();
    take!(u);
    chip.borrow_mut().set_chars_per_transaction(0);
    assert_eq!(u.try_write(&payload(64)).unwrap(), 64);
    // an SPI frame counts its header: TXLVL (1 + 1), THR burst (1 + 64)
    assert_eq!(take!(u), tx(2, 1 + 65, 1));
    chip.borrow_mut().receive(0, &payload(64));
    chip.borrow_mut().deliver_now(0);
    let mut buffer = [0; 64];
    assert_eq!(u.try_read(&mut buffer).unwrap(), 64);
    let read = take!(u);
    assert_eq!(read, tx(3, 3, 66));
    assert!(f64::from(64u32) / f64::from(read.written + read.read) >= 0.90);
}
