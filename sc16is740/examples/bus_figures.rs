//! Prints the bus traffic of each sc16is740 operation, counted on the simulator, and the payload efficiency of
//! bulk transfers: `cargo run -p sc16is740 --example bus_figures --features sim`.
// A host program printing a table: small sums and fixed slices of a 64-byte payload.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::cell::RefCell;

use sc16is740::fugit::RateExtU32;
use sc16is740::sim::{CountingBus, Sc16is7xxSim, SharedSim, SimVariant, Traffic};
use sc16is740::{
    Address, Config, Error, FlowLevels, GpioPin, HardwareFlowControl, Interrupts, LineFormat, ReceiveCheck, Sc16is750,
    Sc16is7xx, Sc16is7xxI2c,
};

type Uart<'a> = Sc16is7xxI2c<CountingBus<SharedSim<'a>>, Sc16is750>;

type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

const XTAL: u32 = 14_745_600;

/// What crossed the bus since the last call; the counts start again at 0.
fn take(u: &mut Uart<'_>) -> Traffic {
    let traffic = u.bus().traffic();
    u.bus_mut().reset_traffic();
    traffic
}

/// One row: what the operation moved, and the protocol minimum (transactions, bytes written, bytes read).
fn row(u: &mut Uart<'_>, name: &str, minimum: (u32, u32, u32)) {
    let t = take(u);
    let (transactions, written, read) = minimum;
    let mark = if (t.transactions, t.written, t.read) == minimum {
        ""
    } else {
        " (above)"
    };
    println!(
        "| {name} | {} | {} | {} | {transactions} / {written} / {read}{mark} |",
        t.transactions, t.written, t.read
    );
}

/// Payload over every byte on the I2C wire (one address byte per write, two per write-read).
fn efficiency(name: &str, payload: u32, t: Traffic, write_reads: u32) {
    let writes = t.transactions.saturating_sub(write_reads);
    let after_address = t.written + t.read;
    let wire = after_address + writes + 2 * write_reads;
    println!(
        "| {name} | {payload} | {after_address} | {:.1} % | {wire} | {:.1} % |",
        f64::from(payload) * 100.0 / f64::from(after_address),
        f64::from(payload) * 100.0 / f64::from(wire)
    );
}

/// The simulator needs no time to reset.
struct NoDelay;

impl embedded_hal::delay::DelayNs for NoDelay {
    fn delay_ns(&mut self, _: u32) {}
}

fn main() -> Result {
    let chip = RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is750, XTAL.Hz()));
    let mut u = Sc16is7xx::new_i2c(
        CountingBus::new(SharedSim(&chip)),
        Address::DEFAULT,
        XTAL.Hz(),
        Sc16is750,
    );
    let payload: Vec<u8> = (0..64).collect();
    let mut buffer = [0; 64];

    println!("| operation (I2C) | transactions | bytes written | bytes read | minimum |");
    println!("|---|---|---|---|---|");
    // start-up from power-on: the simulator has just been created, as a chip just powered
    u.assume_power_on_state();
    u.init(&Config::default())?;
    row(
        &mut u,
        "`init` 115200 8N1 from power-on (`assume_power_on_state`)",
        (5, 10, 0),
    );
    u.write_all(b"hello from the base board\r\n")?;
    row(&mut u, "`write_all` of 27 bytes right after `init`", (1, 28, 0));
    chip.borrow_mut().settle();
    take(&mut u);
    u.invalidate_cache();
    u.init(&Config::default())?;
    row(&mut u, "`init` 115200 8N1 from any state (cold cache)", (5, 10, 0));
    u.set_baud_rate(9_600.Hz())?;
    row(&mut u, "`set_baud_rate`, same prescaler", (4, 8, 0));
    u.set_line_format(LineFormat::F7E1)?;
    row(&mut u, "`set_line_format` (7E1)", (1, 2, 0));
    chip.borrow_mut().set_chars_per_transaction(0);
    u.try_write(&payload)?;
    row(&mut u, "`try_write` 64 bytes into an empty FIFO", (2, 66, 1));
    chip.borrow_mut().settle();
    take(&mut u);
    chip.borrow_mut().receive(0, &payload[..16]);
    chip.borrow_mut().deliver_now(0);
    u.try_read(&mut buffer)?;
    row(
        &mut u,
        "read 16 waiting bytes (line-status check, the default)",
        (2, 2, 17),
    );
    u.set_receive_check(ReceiveCheck::Unchecked);
    chip.borrow_mut().receive(0, &payload[..16]);
    chip.borrow_mut().deliver_now(0);
    u.try_read(&mut buffer)?;
    row(&mut u, "read 16 waiting bytes (`ReceiveCheck::Unchecked`)", (2, 2, 17));
    u.set_receive_check(ReceiveCheck::LineStatus);
    u.try_read(&mut buffer)?;
    row(&mut u, "poll an empty RX FIFO", (1, 1, 1));
    u.flush()?;
    row(&mut u, "`flush` on an idle transmitter", (1, 1, 1));
    u.set_interrupts(Interrupts::RX_DATA | Interrupts::LINE_STATUS)?;
    row(&mut u, "`set_interrupts`", (1, 2, 0));
    u.pending_interrupt()?;
    row(&mut u, "`pending_interrupt`", (1, 1, 1));
    u.set_gpio_direction(0x0F)?;
    u.set_gpio_outputs(0)?;
    take(&mut u);
    u.set_gpio_pin(GpioPin::new(2).map_err(Error::Argument)?, true)?;
    row(&mut u, "one GPIO output (cached latch)", (1, 2, 0));
    u.set_hardware_flow_control(HardwareFlowControl {
        auto_rts: true,
        auto_cts: true,
        levels: FlowLevels::default(),
    })?;
    row(&mut u, "auto RTS/CTS with TCR levels", (6, 12, 0));
    u.software_reset(&mut NoDelay)?;
    row(&mut u, "`software_reset` (proved by reading LCR back)", (1, 2, 0));
    u.init(&Config::default())?;
    row(&mut u, "`init` 115200 8N1 after `software_reset`", (5, 10, 0));

    println!();
    println!("| bulk transfer at full FIFO (I2C) | payload | bytes after the address | efficiency | bytes on the wire | efficiency |");
    println!("|---|---|---|---|---|---|");
    u.set_line_format(LineFormat::F8N1)?;
    take(&mut u);
    u.try_write(&payload)?;
    efficiency("write 64", 64, take(&mut u), 1);
    for (check, name, write_reads) in [
        (ReceiveCheck::Unchecked, "read 64, unchecked", 2),
        (ReceiveCheck::LineStatus, "read 64, line-status check", 3),
    ] {
        u.set_receive_check(check);
        chip.borrow_mut().receive(0, &payload);
        chip.borrow_mut().deliver_now(0);
        take(&mut u);
        u.try_read(&mut buffer)?;
        efficiency(name, 64, take(&mut u), write_reads);
    }
    Ok(())
}
