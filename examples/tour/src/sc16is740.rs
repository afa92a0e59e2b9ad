//! The SC16IS740 chapter: two simulated UARTs on one wire, 7E1, a framing error caught, bus bytes counted.

use core::cell::RefCell;

use sc16is740::fugit::RateExtU32;
use sc16is740::sim::{CountingBus, Reg, Sc16is7xxSim, SharedSim, SimVariant, Traffic};
use sc16is740::{Address, Config, Error, LineError, LineFormat, Sc16is740, Sc16is7xx, Sc16is7xxI2c};

type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

const XTAL: u32 = 14_745_600;

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("  the chapter stopped: {e}");
    }
}

/// What crossed A's counting bus since the last call; the counts start again at 0.
fn take(uart: &mut Sc16is7xxI2c<CountingBus<SharedSim<'_>>>) -> Traffic {
    let traffic = uart.bus().traffic();
    uart.bus_mut().reset_traffic();
    traffic
}

fn wire(a: &RefCell<Sc16is7xxSim>, b: &RefCell<Sc16is7xxSim>) {
    a.borrow_mut().settle();
    Sc16is7xxSim::connect(&mut a.borrow_mut(), 0, &mut b.borrow_mut(), 0);
    b.borrow_mut().settle();
}

fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '.'
            }
        })
        .collect()
}

fn run() -> Result {
    let (chip_a, chip_b) = (
        RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is740, XTAL.Hz())),
        RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is740, XTAL.Hz())),
    );
    println!(
        "  Two SC16IS740s (14.7456 MHz crystals) wake with LCR = {:#04x}: 6 data bits, even parity, 2 stop bits.",
        chip_a.borrow().reg(0, Reg::Lcr)
    );
    let mut a = Sc16is7xx::new_i2c(
        CountingBus::new(SharedSim(&chip_a)),
        Address::DEFAULT,
        XTAL.Hz(),
        Sc16is740,
    );
    let mut b = Sc16is7xx::new_i2c(SharedSim(&chip_b), Address::DEFAULT, XTAL.Hz(), Sc16is740);

    let config = Config::new(9_600.Hz()).format(LineFormat::F7E1);
    let rate = a.init(&config)?;
    b.init(&config)?;
    let t = take(&mut a);
    println!(
        "  init at 7E1, 9600 baud (a format the nRF52840's own UARTs cannot do): divisor {}, {} Hz, {} writes of 2 bytes.",
        rate.divisor,
        rate.actual.raw(),
        t.transactions
    );
    match a.set_baud_rate(57_600.Hz()) {
        Ok(r) => println!("  (57600 baud would be divisor {}, exact.)", r.divisor),
        Err(e) => println!("  57600 baud: {e}"),
    }
    a.set_baud_rate(9_600.Hz())?;
    take(&mut a);

    let message = b"Hello from UART A, 7E1 at 9600!";
    a.write_all(message)?;
    let t = take(&mut a);
    println!(
        "  A sends {} bytes: {} transactions, {} bytes written ({} payload + sub-addresses), {} read (TXLVL).",
        message.len(),
        t.transactions,
        t.written,
        message.len(),
        t.read
    );
    a.flush()?;
    take(&mut a);
    wire(&chip_a, &chip_b);
    let mut buffer = [0; 64];
    let n = b.try_read(&mut buffer)?;
    println!(
        "  B reads {n} bytes in one burst: \"{}\"",
        printable(buffer.get(..n).unwrap_or(&[]))
    );

    println!("  B switches to 8N1 while A stays at 7E1, and A sends \"?\"...");
    b.set_line_format(LineFormat::F8N1)?;
    a.write_all(b"?")?;
    wire(&chip_a, &chip_b);
    match b.try_read(&mut buffer) {
        Err(Error::Line(LineError::Framing(byte))) => {
            println!("  ...B reports a framing error on {byte:#04x}, taken out of its FIFO.");
        }
        other => println!("  ...B got {other:?}"),
    }
    b.set_line_format(LineFormat::F7E1)?;

    println!("  64 bytes arrive at A while nobody reads, then 6 more: the FIFO overruns.");
    chip_a.borrow_mut().receive(0, &[b'x'; 70]);
    chip_a.borrow_mut().deliver_now(0);
    take(&mut a);
    let n = a.try_read(&mut buffer)?;
    let t = take(&mut a);
    println!(
        "  A reads {n} good bytes first ({} transactions: RXLVL, LSR, one burst of {} bytes), then:",
        t.transactions,
        t.read.saturating_sub(2)
    );
    match a.try_read(&mut buffer) {
        Err(e) => println!("  {e}"),
        Ok(n) => println!("  {n} more bytes"),
    }
    let sim = chip_a.borrow();
    println!(
        "  A's chip now holds LCR {:#04x}, EFR {:#04x} (enhanced functions on), divisor {}; stray accesses to a \
         wrong register set: {}.",
        sim.reg(0, Reg::Lcr),
        sim.reg(0, Reg::Efr),
        sim.divisor(0),
        sim.stray_accesses()
    );
    Ok(())
}
