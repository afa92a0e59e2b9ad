//! A register-level model of the SC16IS740 / 750 / 760 / 752 / 762 that implements the I2C and SPI traits, for
//! tests on a PC (ours and yours).
//!
//! It models what a driver can get wrong: the sub-address byte (register in bits 6:3, channel in bits 2:1, the SPI read
//! bit), no auto-increment (bursts to THR and from RHR), the three register sets behind LCR (DLL/DLH with LCR\[7\] = 1,
//! EFR and XON/XOFF with LCR = 0xBF, 0x8–0xF only with LCR\[7\] = 0), the TCR/TLR overlay (MCR\[2\] and EFR\[4\]), the
//! EFR\[4\] gate on IER\[7:4\], FCR\[5:4\], MCR\[7:5\] and MCR\[2\], FCR as a write-only register under IIR,
//! 64-character FIFOs whose slots carry their character's line-error flags (LSR\[4:2\] of the top one, LSR\[7\] for
//! any), overrun, TEMT one character time after THRE, IIR by priority, the RX time-out erratum (an interrupt with an
//! empty FIFO), software reset through IOControl\[3\] (with the NACK of its data byte on I2C), GPIO (IODir before
//! IOState, or the pin does not drive), modem pins, loopback, auto-RTS/CTS, RS-485 direction, minimal Xon/Xoff, the
//! special character, sleep, and a serial line between two models ([`Sc16is7xxSim::connect`]) that flags framing and
//! parity errors when the two ends disagree on the format or the baud rate.
//!
//! Time runs in character times: every bus transaction first advances the chip by
//! [`set_chars_per_transaction`](Sc16is7xxSim::set_chars_per_transaction) of them (default 1); see
//! [`advance`](Sc16is7xxSim::advance) and [`settle`](Sc16is7xxSim::settle). Counters
//! ([`stray_accesses`](Sc16is7xxSim::stray_accesses), [`gated_writes_dropped`](Sc16is7xxSim::gated_writes_dropped),
//! …) let a test assert that a driver never did something it must not do.
//!
//! Faults: [`FaultyBus`] wraps the model (or any bus) and fails chosen or random transactions before the chip
//! sees them, after it took them, or part way through a write; it can answer one byte for ever
//! ([`FaultyBus::stuck_at`]) and, for the async traits, yield before and after each transaction so that a test
//! can drop a future at every await point. The model's own register constants below are deliberately not the
//! driver's, so a wrong constant in the driver fails a test.
//!
//! Bus answers: another I2C address gets a NACK of the address; a sub-address naming channel B on a
//! single-channel part (or channel 2 or 3) gets a NACK of that byte; a transaction with no byte at all is
//! acknowledged (a probe); a read before any sub-address was written answers [`i2c::ErrorKind::Other`]. An SPI
//! frame with no header byte, or whose header names a missing channel, answers [`spi::ErrorKind::Other`]; MISO
//! reads 0xFF while the host writes.
//!
//! Not modelled: analog timing (bit times, the ≥ 3 µs after a reset, FIFO-reset delays), IrDA, 9-bit multidrop
//! address matching, Xon/Xoff transmission and two-character Xon/Xoff sequences, the exact wake-up rules of sleep.
//! Choices where the sheet is silent or (mem): DLL/DLH reset to 0 (so [`Sc16is7xxSim::baud_rate`] is 0 until
//! programmed); the order of IIR priorities 5–7 is pin change (0x30), Xoff/special character (0x10), CTS/RTS
//! (0x20); with LCR\[7\] = 1 (not 0xBF) addresses 0x2 and 0x4–0x7 stay in the general set (16C550 convention) while
//! 0x8–0xF are refused; FIFOs stay 64 deep whatever FCR\[0\] says (the bit is recorded and mirrored in IIR\[7:6\]);
//! the GPIO registers and IOControl are shared by both channels of a dual part and the pin-change interrupt is
//! reported by channel A; the THR interrupt is cleared by the IIR read that reports it and re-armed by a THR
//! write or by setting IER\[1\]; the Xoff, special-character and CTS/RTS interrupts are cleared by the IIR read that
//! reports them; the CTS input starts not asserted (pin HIGH), so auto-CTS holds the transmitter until
//! [`Sc16is7xxSim::set_cts`]; the RX time-out fires after 4 quiet character times with data in the RX FIFO (or
//! at once with [`Sc16is7xxSim::idle`]).
//!
//! ```
//! use embedded_hal::i2c::I2c;
//! use sc16is740::fugit::RateExtU32;
//! use sc16is740::sim::{Reg, Sc16is7xxSim, SimVariant};
//!
//! let mut sim = Sc16is7xxSim::new(SimVariant::Sc16is740, 14_745_600.Hz());
//! // 115200 8N1: LCR = 0x83, DLL = 8, DLH = 0, LCR = 0x03 (one sub-address byte, then the data)
//! for bytes in [[0x18, 0x83], [0x00, 0x08], [0x08, 0x00], [0x18, 0x03]] {
//!     sim.write(0x48, &bytes)?;
//! }
//! assert_eq!(sim.baud_rate(0), 115_200);
//! sim.write(0x48, &[0x00, b'h', b'i'])?; // a burst to THR
//! sim.settle();
//! let mut line = [0; 8];
//! assert_eq!(sim.take_transmitted(0, &mut line), 2);
//! let mut lsr = [0];
//! sim.write_read(0x48, &[0x28], &mut lsr)?;
//! assert_eq!(lsr[0], 0x60);
//! assert_eq!(sim.reg(0, Reg::Lcr), 0x03);
//! # Ok::<(), embedded_hal::i2c::ErrorKind>(())
//! ```

use core::cell::{Cell, RefCell};

use embedded_hal::digital;
use embedded_hal::i2c::{self, NoAcknowledgeSource};
use embedded_hal::spi;

// The model's own register numbers and bits, from the reference sheet (§3), deliberately not shared with the
// driver's `register.rs`: a wrong constant there must not be hidden by the model using it too.
const A_RHR_THR: u8 = 0x0;
const A_IER: u8 = 0x1;
const A_IIR_FCR: u8 = 0x2;
const A_LCR: u8 = 0x3;
const A_MCR: u8 = 0x4;
const A_LSR: u8 = 0x5;
const A_MSR_TCR: u8 = 0x6;
const A_SPR_TLR: u8 = 0x7;
const A_TXLVL: u8 = 0x8;
const A_RXLVL: u8 = 0x9;
const A_IODIR: u8 = 0xA;
const A_IOSTATE: u8 = 0xB;
const A_IOINTENA: u8 = 0xC;
const A_IOCONTROL: u8 = 0xE;
const A_EFCR: u8 = 0xF;
// enhanced set (LCR = 0xBF)
const A_EFR: u8 = 0x2;
const A_XON1: u8 = 0x4;
const A_XON2: u8 = 0x5;
const A_XOFF1: u8 = 0x6;
const A_XOFF2: u8 = 0x7;
// special set (LCR[7] = 1)
const A_DLL: u8 = 0x0;
const A_DLH: u8 = 0x1;

const SPI_READ: u8 = 0x80;

const LCR_DLAB: u8 = 0x80;
const LCR_BREAK: u8 = 0x40;
const LCR_ENHANCED_KEY: u8 = 0xBF;
const LCR_PARITY_ENABLE: u8 = 0x08;
const LCR_RESET: u8 = 0x1D;

const IER_CTS: u8 = 0x80;
const IER_RTS: u8 = 0x40;
const IER_XOFF: u8 = 0x20;
const IER_SLEEP: u8 = 0x10;
const IER_MODEM: u8 = 0x08;
const IER_LINE: u8 = 0x04;
const IER_THR: u8 = 0x02;
const IER_RHR: u8 = 0x01;
const IER_GATED: u8 = 0xF0;

const FCR_FIFO_ENABLE: u8 = 0x01;
const FCR_RX_RESET: u8 = 0x02;
const FCR_TX_RESET: u8 = 0x04;
const FCR_GATED: u8 = 0x30;

const MCR_PRESCALER: u8 = 0x80;
const MCR_XON_ANY: u8 = 0x20;
const MCR_LOOPBACK: u8 = 0x10;
const MCR_TCR_TLR: u8 = 0x04;
const MCR_RTS: u8 = 0x02;
const MCR_DTR: u8 = 0x01;
const MCR_GATED: u8 = 0xE4;

const LSR_DATA: u8 = 0x01;
const LSR_OVERRUN: u8 = 0x02;
const LSR_PARITY: u8 = 0x04;
const LSR_FRAMING: u8 = 0x08;
const LSR_BREAK: u8 = 0x10;
const LSR_THR_EMPTY: u8 = 0x20;
const LSR_TX_IDLE: u8 = 0x40;
const LSR_FIFO_ERROR: u8 = 0x80;

const MSR_CTS: u8 = 0x10;
const MSR_DSR: u8 = 0x20;
const MSR_RI: u8 = 0x40;
const MSR_CD: u8 = 0x80;

const EFR_AUTO_CTS: u8 = 0x80;
const EFR_AUTO_RTS: u8 = 0x40;
const EFR_SPECIAL: u8 = 0x20;
const EFR_ENHANCED: u8 = 0x10;
const EFR_RX_XON1: u8 = 0x02;
const EFR_RX_XON2: u8 = 0x01;

const IOC_SRESET: u8 = 0x08;
const IOC_MODEM_B: u8 = 0x04;
const IOC_MODEM_A: u8 = 0x02;
const IOC_LATCH: u8 = 0x01;

const EFCR_RS485_INVERT: u8 = 0x20;
const EFCR_RS485: u8 = 0x10;
const EFCR_TX_DISABLE: u8 = 0x04;
const EFCR_RX_DISABLE: u8 = 0x02;

const IIR_NONE: u8 = 0x01;
const IIR_LINE: u8 = 0x06;
const IIR_TIMEOUT: u8 = 0x0C;
const IIR_RHR: u8 = 0x04;
const IIR_THR: u8 = 0x02;
const IIR_MODEM: u8 = 0x00;
const IIR_PINS: u8 = 0x30;
const IIR_XOFF: u8 = 0x10;
const IIR_CTS_RTS: u8 = 0x20;
const IIR_FIFOS_ON: u8 = 0xC0;

const FIFO_DEPTH: usize = 64;
/// Characters waiting on the line (inbound) or kept after they left (transmitted), per channel.
const LINE_DEPTH: usize = 256;
/// Character times of silence after which the RX time-out fires.
const TIMEOUT_CHARS: u8 = 4;
/// Upper bound of the character times `settle` and the IRQ pin's waits run (more than every queue can hold).
const RUN_LIMIT: u32 = 4096;

/// Which part of the family the model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SimVariant {
    /// One channel, no GPIO.
    Sc16is740,
    /// One channel, 8 GPIOs.
    Sc16is750,
    /// One channel, 8 GPIOs (faster SPI and IrDA, which the model does not distinguish).
    Sc16is760,
    /// Two channels, 8 GPIOs.
    Sc16is752,
    /// Two channels, 8 GPIOs.
    Sc16is762,
}

impl SimVariant {
    /// 1 or 2.
    pub fn channels(self) -> u8 {
        match self {
            Self::Sc16is752 | Self::Sc16is762 => 2,
            _ => 1,
        }
    }

    /// Whether the part has IODir, IOState and IOIntEna.
    pub fn has_gpio(self) -> bool {
        self != Self::Sc16is740
    }

    fn io_control_mask(self) -> u8 {
        match self {
            Self::Sc16is740 => 0,
            Self::Sc16is750 | Self::Sc16is760 => IOC_MODEM_A | IOC_LATCH,
            Self::Sc16is752 | Self::Sc16is762 => IOC_MODEM_B | IOC_MODEM_A | IOC_LATCH,
        }
    }
}

/// Line errors of one received character (what LSR\[4:2\] reports when it is at the top of the RX FIFO).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LineFault {
    /// Parity error (LSR\[2\]).
    pub parity: bool,
    /// Framing error (LSR\[3\]).
    pub framing: bool,
    /// Break (LSR\[4\]); the character is received as 0x00.
    pub break_: bool,
}

impl LineFault {
    fn flags(self) -> u8 {
        let bit = |set: bool, mask: u8| if set { mask } else { 0 };
        bit(self.parity, LSR_PARITY) | bit(self.framing, LSR_FRAMING) | bit(self.break_, LSR_BREAK)
    }
}

/// Every register of a channel (and the shared GPIO ones), for [`Sc16is7xxSim::reg`] and [`Sc16is7xxSim::poke`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Reg {
    /// The character at the top of the RX FIFO (0 when empty). Poke: a character enters the RX FIFO.
    Rhr,
    /// The newest character in the TX FIFO (0 when empty). Poke: a character enters the TX FIFO.
    Thr,
    /// Interrupt enable.
    Ier,
    /// The FIFO control value last written (without the self-clearing reset bits).
    Fcr,
    /// Interrupt identification, computed (poke ignored).
    Iir,
    /// Line control.
    Lcr,
    /// Modem control.
    Mcr,
    /// Line status, computed (poke ignored).
    Lsr,
    /// Modem status, computed (poke ignored).
    Msr,
    /// Scratch pad.
    Spr,
    /// Transmission control (flow-control levels).
    Tcr,
    /// Trigger levels.
    Tlr,
    /// Free TX FIFO spaces, computed (poke ignored; see [`Sc16is7xxSim::set_txlvl_glitch`]).
    Txlvl,
    /// Characters in the RX FIFO, computed (poke ignored).
    Rxlvl,
    /// GPIO direction (1 = output); 0 on the 740.
    IoDir,
    /// GPIO pin levels; poke sets the output latch of every pin.
    IoState,
    /// GPIO interrupt enable; 0 on the 740.
    IoIntEna,
    /// I/O control (SRESET never reads back; poking bit 3 does not reset).
    IoControl,
    /// Extra features control.
    Efcr,
    /// Divisor latch, low byte.
    Dll,
    /// Divisor latch, high byte.
    Dlh,
    /// Enhanced features.
    Efr,
    /// Xon1 character.
    Xon1,
    /// Xon2 character.
    Xon2,
    /// Xoff1 character.
    Xoff1,
    /// Xoff2 character (also the special character).
    Xoff2,
}

/// One character in a FIFO or on the way in: its value and its LSR\[4:2\] flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct RxChar {
    byte: u8,
    flags: u8,
}

/// One character that left a transmitter, with the frame format and rate it was sent with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct WireChar {
    byte: u8,
    /// LCR\[6:0\] (format, and the break bit) when the character left.
    lcr: u8,
    prescaler: u8,
    divisor: u16,
    crystal_hz: u32,
}

/// A fixed-capacity FIFO; every access goes through `get`/`get_mut`, so it cannot index out of range.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Ring<T, const N: usize> {
    items: [T; N],
    head: usize,
    len: usize,
}

impl<T: Copy + Default, const N: usize> Ring<T, N> {
    fn new() -> Self {
        Self {
            items: [T::default(); N],
            head: 0,
            len: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn is_full(&self) -> bool {
        self.len >= N
    }

    fn slot(&self, offset: usize) -> usize {
        self.head.wrapping_add(offset).checked_rem(N).unwrap_or(0)
    }

    fn get(&self, offset: usize) -> Option<T> {
        if offset < self.len {
            self.items.get(self.slot(offset)).copied()
        } else {
            None
        }
    }

    fn last(&self) -> Option<T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    fn push(&mut self, value: T) -> bool {
        if self.is_full() {
            return false;
        }
        let slot = self.slot(self.len);
        match self.items.get_mut(slot) {
            Some(item) => {
                *item = value;
                self.len = self.len.saturating_add(1);
                true
            }
            None => false,
        }
    }

    /// Pushes, dropping the oldest item when full.
    fn push_overwrite(&mut self, value: T) {
        if self.is_full() {
            let _ = self.pop();
        }
        let _ = self.push(value);
    }

    fn pop(&mut self) -> Option<T> {
        let value = self.get(0)?;
        self.head = self.slot(1);
        self.len = self.len.saturating_sub(1);
        Some(value)
    }

    fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }

    fn any(&self, mut f: impl FnMut(T) -> bool) -> bool {
        (0..self.len).any(|i| self.get(i).is_some_and(&mut f))
    }
}

/// One UART channel: its registers, FIFOs and line.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Uart {
    ier: u8,
    fcr: u8,
    lcr: u8,
    mcr: u8,
    spr: u8,
    dll: u8,
    dlh: u8,
    efr: u8,
    xon1: u8,
    xon2: u8,
    xoff1: u8,
    xoff2: u8,
    tcr: u8,
    tlr: u8,
    efcr: u8,
    rx: Ring<RxChar, FIFO_DEPTH>,
    tx: Ring<u8, FIFO_DEPTH>,
    /// The character in the transmit shift register.
    shift: Option<u8>,
    overrun: bool,
    timeout: bool,
    /// The erratum: a time-out interrupt with an empty RX FIFO, cleared by one RHR read.
    erratum: bool,
    /// Character times since a character arrived or RHR was read.
    quiet: u8,
    /// The THR interrupt was acknowledged by an IIR read; re-armed by a THR write or enabling IER\[1\].
    thr_ack: bool,
    /// TX held by a received Xoff.
    xoff_held: bool,
    xoff_event: bool,
    cts_rts_event: bool,
    /// Auto-RTS has deasserted RTS (RX FIFO at the TCR halt level).
    rts_halted: bool,
    /// MSR\[7:4\] as last evaluated, for the delta bits.
    msr_last: u8,
    msr_delta: u8,
    // The line and the test's injections: kept across a software reset.
    cts_pin: bool,
    txlvl_glitch: Option<u8>,
    inbound: Ring<RxChar, LINE_DEPTH>,
    sent: Ring<WireChar, LINE_DEPTH>,
}

impl Uart {
    fn new() -> Self {
        Self {
            ier: 0,
            fcr: 0,
            lcr: LCR_RESET,
            mcr: 0,
            spr: 0xFF,
            dll: 0,
            dlh: 0,
            efr: 0,
            xon1: 0,
            xon2: 0,
            xoff1: 0,
            xoff2: 0,
            tcr: 0,
            tlr: 0,
            efcr: 0,
            rx: Ring::new(),
            tx: Ring::new(),
            shift: None,
            overrun: false,
            timeout: false,
            erratum: false,
            quiet: 0,
            thr_ack: false,
            xoff_held: false,
            xoff_event: false,
            cts_rts_event: false,
            rts_halted: false,
            msr_last: 0,
            msr_delta: 0,
            cts_pin: false,
            txlvl_glitch: None,
            inbound: Ring::new(),
            sent: Ring::new(),
        }
    }

    /// Registers and FIFOs to their reset values; the line side stays.
    fn reset(&mut self) {
        let fresh = Self {
            cts_pin: self.cts_pin,
            txlvl_glitch: self.txlvl_glitch,
            inbound: self.inbound,
            sent: self.sent,
            ..Self::new()
        };
        *self = fresh;
    }

    fn loopback(&self) -> bool {
        self.mcr & MCR_LOOPBACK != 0
    }

    fn divisor(&self) -> u16 {
        u16::from_le_bytes([self.dll, self.dlh])
    }

    fn prescaler(&self) -> u8 {
        if self.mcr & MCR_PRESCALER != 0 {
            4
        } else {
            1
        }
    }

    fn rx_trigger(&self) -> usize {
        match (self.tlr >> 4, self.fcr >> 6) {
            (0, 0) => 8,
            (0, 1) => 16,
            (0, 2) => 56,
            (0, _) => 60,
            (tlr, _) => usize::from(tlr).saturating_mul(4),
        }
    }

    fn tx_trigger(&self) -> usize {
        match (self.tlr & 0x0F, (self.fcr >> 4) & 0x03) {
            (0, 0) => 8,
            (0, 1) => 16,
            (0, 2) => 32,
            (0, _) => 56,
            (tlr, _) => usize::from(tlr).saturating_mul(4),
        }
    }

    fn tx_spaces(&self) -> usize {
        FIFO_DEPTH.saturating_sub(self.tx.len())
    }

    fn transmitting(&self) -> bool {
        !self.tx.is_empty() || self.shift.is_some()
    }

    /// CTS as the transmitter sees it (in loopback RTS is wired to CTS).
    fn cts(&self) -> bool {
        if self.loopback() {
            self.mcr & MCR_RTS != 0
        } else {
            self.cts_pin
        }
    }

    fn tx_may_move(&self) -> bool {
        self.efcr & EFCR_TX_DISABLE == 0 && !self.xoff_held && (self.efr & EFR_AUTO_CTS == 0 || self.cts())
    }

    fn lsr(&self) -> u8 {
        let mut lsr = self.rx.get(0).map_or(0, |c| LSR_DATA | c.flags);
        if self.overrun {
            lsr |= LSR_OVERRUN;
        }
        if self.tx.is_empty() {
            lsr |= LSR_THR_EMPTY;
            if self.shift.is_none() {
                lsr |= LSR_TX_IDLE;
            }
        }
        if self.rx.any(|c| c.flags != 0) {
            lsr |= LSR_FIFO_ERROR;
        }
        lsr
    }

    fn update_rts(&mut self) {
        if self.efr & EFR_AUTO_RTS == 0 {
            self.rts_halted = false;
            return;
        }
        let level = self.rx.len();
        let halt = usize::from(self.tcr & 0x0F).saturating_mul(4);
        let resume = usize::from(self.tcr >> 4).saturating_mul(4);
        if level >= halt {
            if !self.rts_halted && self.ier & IER_RTS != 0 {
                self.cts_rts_event = true;
            }
            self.rts_halted = true;
        } else if level <= resume {
            self.rts_halted = false;
        }
    }

    fn rts_asserted(&self) -> bool {
        if self.efcr & EFCR_RS485 != 0 {
            self.transmitting() != (self.efcr & EFCR_RS485_INVERT != 0)
        } else if self.efr & EFR_AUTO_RTS != 0 {
            !self.rts_halted
        } else {
            self.mcr & MCR_RTS != 0
        }
    }

    fn pop_rx(&mut self) -> u8 {
        let byte = self.rx.pop().map_or(0, |c| c.byte);
        self.timeout = false;
        self.erratum = false;
        self.quiet = 0;
        self.update_rts();
        byte
    }

    fn idle_forever(&self) -> bool {
        (self.inbound.is_empty() || self.loopback())
            && self.shift.is_none()
            && (self.tx.is_empty() || !self.tx_may_move())
    }
}

fn word_mask(lcr: u8) -> u8 {
    match lcr & 0x03 {
        0 => 0x1F,
        1 => 0x3F,
        2 => 0x7F,
        _ => 0xFF,
    }
}

/// Word length, stop bits and parity of an LCR value (parity bits ignored when parity is off).
fn frame_format(lcr: u8) -> u8 {
    if lcr & LCR_PARITY_ENABLE == 0 {
        lcr & 0x07
    } else {
        lcr & 0x3F
    }
}

fn parity_mode(lcr: u8) -> u8 {
    if lcr & LCR_PARITY_ENABLE == 0 {
        0
    } else {
        lcr & 0x38
    }
}

fn bit(value: u8, n: u8) -> bool {
    value.checked_shr(u32::from(n)).unwrap_or(0) & 1 != 0
}

/// The simulated chip. Channel arguments: 0 = A, anything else = B (channel B exists in every variant's model but
/// is reachable over the bus only on the 752/762).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sc16is7xxSim {
    variant: SimVariant,
    crystal_hz: u32,
    address: u8,
    uarts: [Uart; 2],
    io_dir: u8,
    io_latch: u8,
    io_int_ena: u8,
    io_control: u8,
    gpio_inputs: u8,
    gpio_event: bool,
    gpio_latched: Option<u8>,
    chars_per_transaction: u32,
    software_resets: u32,
    stray_accesses: u32,
    gated_writes_dropped: u32,
    divisor_writes_while_asleep: u32,
    tx_overflows: u32,
    lcr_switches: u32,
    transactions: u32,
    inbound_dropped: u32,
    empty_thr_writes: u32,
}

impl Sc16is7xxSim {
    /// A chip of `variant` with a crystal (or clock on XTAL1) of `crystal`, at I2C address 0x48 (A1 = A0 = VDD),
    /// every register at its reset value, CTS not asserted, every GPIO input low.
    pub fn new(variant: SimVariant, crystal: fugit::HertzU32) -> Self {
        Self {
            variant,
            crystal_hz: crystal.raw(),
            address: 0x48,
            uarts: [Uart::new(), Uart::new()],
            io_dir: 0,
            io_latch: 0,
            io_int_ena: 0,
            io_control: 0,
            gpio_inputs: 0,
            gpio_event: false,
            gpio_latched: None,
            chars_per_transaction: 1,
            software_resets: 0,
            stray_accesses: 0,
            gated_writes_dropped: 0,
            divisor_writes_while_asleep: 0,
            tx_overflows: 0,
            lcr_switches: 0,
            transactions: 0,
            inbound_dropped: 0,
            empty_thr_writes: 0,
        }
    }

    /// The same chip strapped to another 7-bit I2C address.
    pub fn with_i2c_address(mut self, address: u8) -> Self {
        self.address = address;
        self
    }

    /// The 7-bit I2C address the chip answers.
    pub fn i2c_address(&self) -> u8 {
        self.address
    }

    /// The part modelled.
    pub fn variant(&self) -> SimVariant {
        self.variant
    }

    /// The crystal frequency.
    pub fn crystal(&self) -> fugit::HertzU32 {
        fugit::HertzU32::from_raw(self.crystal_hz)
    }

    fn uart(&self, ch: u8) -> &Uart {
        let [a, b] = &self.uarts;
        if ch == 0 {
            a
        } else {
            b
        }
    }

    fn uart_mut(&mut self, ch: u8) -> &mut Uart {
        let [a, b] = &mut self.uarts;
        if ch == 0 {
            a
        } else {
            b
        }
    }

    fn channel_exists(&self, ch: u8) -> bool {
        ch < self.variant.channels()
    }

    /// Power cycle (or the RESET pin): every register to its reset value, FIFOs, the inbound queue and the
    /// transmitted record emptied, the TXLVL glitch forgotten. Counters and the input pins stay.
    pub fn power_on_reset(&mut self) {
        for uart in self.uarts.iter_mut() {
            uart.inbound.clear();
            uart.sent.clear();
            uart.txlvl_glitch = None;
        }
        self.chip_reset();
    }

    fn chip_reset(&mut self) {
        for uart in self.uarts.iter_mut() {
            uart.reset();
        }
        self.io_dir = 0;
        self.io_latch = 0;
        self.io_int_ena = 0;
        self.io_control = 0;
        self.gpio_event = false;
        self.gpio_latched = None;
        for ch in 0..2 {
            let now = self.msr_status(ch);
            let uart = self.uart_mut(ch);
            uart.msr_last = now;
            uart.msr_delta = 0;
        }
    }

    /// A register as the chip holds it, without side effects (RHR is not popped, LSR and MSR not cleared).
    pub fn reg(&self, ch: u8, r: Reg) -> u8 {
        let u = self.uart(ch);
        let gpio = |value: u8| if self.variant.has_gpio() { value } else { 0 };
        match r {
            Reg::Rhr => u.rx.get(0).map_or(0, |c| c.byte),
            Reg::Thr => u.tx.last().unwrap_or(0),
            Reg::Ier => u.ier,
            Reg::Fcr => u.fcr,
            Reg::Iir => self.iir(ch),
            Reg::Lcr => u.lcr,
            Reg::Mcr => u.mcr,
            Reg::Lsr => u.lsr(),
            Reg::Msr => self.msr_status(ch) | u.msr_delta,
            Reg::Spr => u.spr,
            Reg::Tcr => u.tcr,
            Reg::Tlr => u.tlr,
            Reg::Txlvl => u8::try_from(u.tx_spaces()).unwrap_or(u8::MAX),
            Reg::Rxlvl => u8::try_from(u.rx.len()).unwrap_or(u8::MAX),
            Reg::IoDir => gpio(self.io_dir),
            Reg::IoState => gpio(self.io_state()),
            Reg::IoIntEna => gpio(self.io_int_ena),
            Reg::IoControl => self.io_control,
            Reg::Efcr => u.efcr,
            Reg::Dll => u.dll,
            Reg::Dlh => u.dlh,
            Reg::Efr => u.efr,
            Reg::Xon1 => u.xon1,
            Reg::Xon2 => u.xon2,
            Reg::Xoff1 => u.xoff1,
            Reg::Xoff2 => u.xoff2,
        }
    }

    /// Sets a stored register behind the driver's back, with no gate and no side effect (no LCR count, no reset
    /// through IOControl, no FIFO reset through FCR). Computed registers (IIR, LSR, MSR, TXLVL, RXLVL) ignore it.
    pub fn poke(&mut self, ch: u8, r: Reg, value: u8) {
        let io_control_mask = self.variant.io_control_mask();
        let u = self.uart_mut(ch);
        match r {
            Reg::Rhr => {
                if !u.rx.push(RxChar { byte: value, flags: 0 }) {
                    u.overrun = true;
                }
            }
            Reg::Thr => {
                let _ = u.tx.push(value);
            }
            Reg::Ier => u.ier = value,
            Reg::Fcr => u.fcr = value & !(FCR_RX_RESET | FCR_TX_RESET),
            Reg::Lcr => u.lcr = value,
            Reg::Mcr => u.mcr = value,
            Reg::Spr => u.spr = value,
            Reg::Tcr => u.tcr = value,
            Reg::Tlr => u.tlr = value,
            Reg::Efcr => u.efcr = value,
            Reg::Dll => u.dll = value,
            Reg::Dlh => u.dlh = value,
            Reg::Efr => u.efr = value,
            Reg::Xon1 => u.xon1 = value,
            Reg::Xon2 => u.xon2 = value,
            Reg::Xoff1 => u.xoff1 = value,
            Reg::Xoff2 => u.xoff2 = value,
            Reg::IoDir => self.io_dir = value,
            Reg::IoState => self.io_latch = value,
            Reg::IoIntEna => self.io_int_ena = value,
            Reg::IoControl => self.io_control = value & io_control_mask,
            Reg::Iir | Reg::Lsr | Reg::Msr | Reg::Txlvl | Reg::Rxlvl => {}
        }
        self.uart_mut(ch).update_rts();
        self.update_msr_all();
    }

    // ---- counters ----

    /// Software resets (IOControl\[3\] writes) seen.
    pub fn software_resets(&self) -> u32 {
        self.software_resets
    }

    /// Bus accesses to an address that is not reachable in the current mode: RHR/THR, IER or 0x8–0xF while
    /// LCR = 0xBF, 0x8–0xF while LCR\[7\] = 1, 0xD (reserved), the GPIO registers of the 740. They read 0 and
    /// ignore writes.
    pub fn stray_accesses(&self) -> u32 {
        self.stray_accesses
    }

    /// Writes that tried to change an EFR\[4\]-gated bit (IER\[7:4\], FCR\[5:4\], MCR\[7:5\], MCR\[2\]) while
    /// EFR\[4\] was 0.
    pub fn gated_writes_dropped(&self) -> u32 {
        self.gated_writes_dropped
    }

    /// DLL/DLH writes while sleep mode was enabled (IER\[4\] = 1); they still apply.
    pub fn divisor_writes_while_asleep(&self) -> u32 {
        self.divisor_writes_while_asleep
    }

    /// THR writes dropped because the TX FIFO was full.
    pub fn tx_overflows(&self) -> u32 {
        self.tx_overflows
    }

    /// LCR writes over the bus.
    pub fn lcr_switches(&self) -> u32 {
        self.lcr_switches
    }

    /// Bus transactions (calls of an I2C or SPI `transaction`, whatever their outcome).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Inbound characters dropped because the line queue was full.
    pub fn inbound_dropped(&self) -> u32 {
        self.inbound_dropped
    }

    /// SPI frames that addressed THR for writing but carried no data (sheet §5.5: never do that).
    pub fn empty_thr_writes(&self) -> u32 {
        self.empty_thr_writes
    }

    // ---- computed registers ----

    fn pending(&self, ch: u8) -> Option<u8> {
        let u = self.uart(ch);
        let ier = u.ier;
        let top_error = u.rx.get(0).is_some_and(|c| c.flags != 0);
        if ier & IER_LINE != 0 && (u.overrun || top_error) {
            Some(IIR_LINE)
        } else if ier & IER_RHR != 0 && (u.timeout || u.erratum) {
            Some(IIR_TIMEOUT)
        } else if ier & IER_RHR != 0 && !u.rx.is_empty() && u.rx.len() >= u.rx_trigger() {
            Some(IIR_RHR)
        } else if ier & IER_THR != 0 && !u.thr_ack && u.tx_spaces() >= u.tx_trigger() {
            Some(IIR_THR)
        } else if ier & IER_MODEM != 0 && u.msr_delta != 0 {
            Some(IIR_MODEM)
        } else if ch == 0 && self.variant.has_gpio() && self.gpio_event {
            Some(IIR_PINS)
        } else if ier & IER_XOFF != 0 && u.xoff_event {
            Some(IIR_XOFF)
        } else if ier & (IER_CTS | IER_RTS) != 0 && u.cts_rts_event {
            Some(IIR_CTS_RTS)
        } else {
            None
        }
    }

    fn iir(&self, ch: u8) -> u8 {
        let fifos = if self.uart(ch).fcr & FCR_FIFO_ENABLE != 0 {
            IIR_FIFOS_ON
        } else {
            0
        };
        fifos | self.pending(ch).unwrap_or(IIR_NONE)
    }

    /// Mask of the four GPIOs that are `ch`'s modem pins (DSR, DTR, CD, RI from the lowest), if enabled.
    fn modem_pins(&self, ch: u8) -> Option<u8> {
        if !self.variant.has_gpio() {
            None
        } else if ch == 0 && self.io_control & IOC_MODEM_A != 0 {
            Some(0xF0)
        } else if ch != 0 && self.variant.channels() == 2 && self.io_control & IOC_MODEM_B != 0 {
            Some(0x0F)
        } else {
            None
        }
    }

    fn modem_mask(&self) -> u8 {
        self.modem_pins(0).unwrap_or(0) | self.modem_pins(1).unwrap_or(0)
    }

    /// MSR\[7:4\].
    fn msr_status(&self, ch: u8) -> u8 {
        let u = self.uart(ch);
        let flag = |set: bool, mask: u8| if set { mask } else { 0 };
        if u.loopback() {
            return flag(u.mcr & MCR_RTS != 0, MSR_CTS) | flag(u.mcr & MCR_DTR != 0, MSR_DSR);
        }
        let mut status = flag(u.cts_pin, MSR_CTS);
        if let Some(pins) = self.modem_pins(ch) {
            let base = if pins == 0xF0 { 4 } else { 0 };
            let low = |n: u8| !bit(self.gpio_inputs, base | n);
            status |= flag(low(0), MSR_DSR) | flag(low(3), MSR_RI) | flag(low(2), MSR_CD);
        }
        status
    }

    fn update_msr(&mut self, ch: u8) {
        let now = self.msr_status(ch);
        let u = self.uart_mut(ch);
        let last = u.msr_last;
        let changed = now ^ last;
        let mut delta = 0;
        if changed & MSR_CTS != 0 {
            delta |= 0x01;
        }
        if changed & MSR_DSR != 0 {
            delta |= 0x02;
        }
        // ΔRI: the RI pin went LOW → HIGH (MSR[6] 1 → 0)
        if last & MSR_RI != 0 && now & MSR_RI == 0 {
            delta |= 0x04;
        }
        if changed & MSR_CD != 0 {
            delta |= 0x08;
        }
        u.msr_delta |= delta;
        if last & MSR_CTS != 0 && now & MSR_CTS == 0 && u.ier & IER_CTS != 0 {
            u.cts_rts_event = true;
        }
        u.msr_last = now;
    }

    fn update_msr_all(&mut self) {
        self.update_msr(0);
        self.update_msr(1);
    }

    /// Mask of the GPIOs driven by the chip: outputs (IODir = 1) that are not modem pins, plus the DTR pins.
    pub fn gpio_output_mask(&self) -> u8 {
        if !self.variant.has_gpio() {
            return 0;
        }
        let modem = self.modem_mask();
        let mut driven = self.io_dir & !modem;
        if self.modem_pins(0).is_some() {
            driven |= 0x20;
        }
        if self.modem_pins(1).is_some() {
            driven |= 0x02;
        }
        driven
    }

    /// The levels the chip drives on its GPIOs (bit n = IOn high); pins it does not drive read 0 here. An output
    /// latch written while the pin was an input does not drive it: IOState before IODir is a visible mistake.
    pub fn gpio_output_levels(&self) -> u8 {
        if !self.variant.has_gpio() {
            return 0;
        }
        let modem = self.modem_mask();
        let mut levels = self.io_latch & self.io_dir & !modem;
        // DTR is active low: MCR[0] = 1 drives the pin low
        if self.modem_pins(0).is_some() && self.uart(0).mcr & MCR_DTR == 0 {
            levels |= 0x20;
        }
        if self.modem_pins(1).is_some() && self.uart(1).mcr & MCR_DTR == 0 {
            levels |= 0x02;
        }
        levels
    }

    /// The GPIO output latch as written (bit n: the level IOn drives once it is an output); a write of IOState
    /// changes only the bits of the pins that are outputs at the time.
    pub fn gpio_latch(&self) -> u8 {
        if self.variant.has_gpio() {
            self.io_latch
        } else {
            0
        }
    }

    fn io_state(&self) -> u8 {
        let driven = self.gpio_output_mask();
        let inputs = self.gpio_latched.unwrap_or(self.gpio_inputs);
        (self.gpio_output_levels() & driven) | (inputs & !driven)
    }

    /// Sets the levels applied to the GPIO pins from outside (bit n = IOn high); only pins that are inputs (or
    /// modem inputs) read them. An enabled input (IOIntEna) that changes raises the pin-change interrupt (IIR 0x30,
    /// channel A) until IOState is read; with IOControl\[0\] the levels at the first change are latched until then.
    pub fn set_gpio_inputs(&mut self, levels: u8) {
        let old = self.gpio_inputs;
        self.gpio_inputs = levels;
        if self.variant.has_gpio() {
            let watched = self.io_int_ena & !self.io_dir & !self.modem_mask();
            if (old ^ levels) & watched != 0 {
                if self.io_control & IOC_LATCH != 0 && !self.gpio_event {
                    self.gpio_latched = Some(levels);
                }
                self.gpio_event = true;
            }
        }
        self.update_msr_all();
    }

    // ---- bus access ----

    /// The register behind address `addr` of channel `ch` in the current mode; `None` = not reachable.
    fn decode(&self, ch: u8, addr: u8, write: bool) -> Option<Reg> {
        let u = self.uart(ch);
        let lcr = u.lcr;
        if addr == A_LCR {
            return Some(Reg::Lcr);
        }
        if lcr == LCR_ENHANCED_KEY {
            return match addr {
                A_EFR => Some(Reg::Efr),
                A_XON1 => Some(Reg::Xon1),
                A_XON2 => Some(Reg::Xon2),
                A_XOFF1 => Some(Reg::Xoff1),
                A_XOFF2 => Some(Reg::Xoff2),
                _ => None,
            };
        }
        let dlab = lcr & LCR_DLAB != 0;
        let overlay = !dlab && u.mcr & MCR_TCR_TLR != 0 && u.efr & EFR_ENHANCED != 0;
        let gpio = self.variant.has_gpio();
        match addr {
            A_DLL if dlab => Some(Reg::Dll),
            A_DLH if dlab => Some(Reg::Dlh),
            0x8..=0xF if dlab => None,
            A_RHR_THR if write => Some(Reg::Thr),
            A_RHR_THR => Some(Reg::Rhr),
            A_IER => Some(Reg::Ier),
            A_IIR_FCR if write => Some(Reg::Fcr),
            A_IIR_FCR => Some(Reg::Iir),
            A_MCR => Some(Reg::Mcr),
            A_LSR => Some(Reg::Lsr),
            A_MSR_TCR if overlay => Some(Reg::Tcr),
            A_MSR_TCR => Some(Reg::Msr),
            A_SPR_TLR if overlay => Some(Reg::Tlr),
            A_SPR_TLR => Some(Reg::Spr),
            A_TXLVL => Some(Reg::Txlvl),
            A_RXLVL => Some(Reg::Rxlvl),
            A_IODIR if gpio => Some(Reg::IoDir),
            A_IOSTATE if gpio => Some(Reg::IoState),
            A_IOINTENA if gpio => Some(Reg::IoIntEna),
            A_IOCONTROL => Some(Reg::IoControl),
            A_EFCR => Some(Reg::Efcr),
            _ => None,
        }
    }

    fn stray(&mut self) {
        self.stray_accesses = self.stray_accesses.saturating_add(1);
    }

    fn bus_read(&mut self, ch: u8, addr: u8) -> u8 {
        match self.decode(ch, addr, false) {
            Some(r) => self.read_reg(ch, r),
            None => {
                self.stray();
                0
            }
        }
    }

    /// Returns `true` when the write reset the chip.
    fn bus_write(&mut self, ch: u8, addr: u8, value: u8) -> bool {
        match self.decode(ch, addr, true) {
            Some(r) => self.write_reg(ch, r, value),
            None => {
                self.stray();
                false
            }
        }
    }

    fn read_reg(&mut self, ch: u8, r: Reg) -> u8 {
        let value = self.reg(ch, r);
        match r {
            Reg::Rhr => return self.uart_mut(ch).pop_rx(),
            Reg::Iir => {
                let u = self.uart_mut(ch);
                match value & 0x3F {
                    IIR_THR => u.thr_ack = true,
                    IIR_XOFF => u.xoff_event = false,
                    IIR_CTS_RTS => u.cts_rts_event = false,
                    _ => {}
                }
            }
            Reg::Lsr => self.uart_mut(ch).overrun = false,
            Reg::Msr => self.uart_mut(ch).msr_delta = 0,
            Reg::Txlvl => {
                if let Some(glitch) = self.uart_mut(ch).txlvl_glitch.take() {
                    return glitch;
                }
            }
            Reg::IoState => {
                self.gpio_event = false;
                self.gpio_latched = None;
            }
            _ => {}
        }
        value
    }

    /// The new value of a register with EFR\[4\]-gated bits `mask`.
    fn gate(&mut self, ch: u8, old: u8, new: u8, mask: u8) -> u8 {
        if self.uart(ch).efr & EFR_ENHANCED != 0 {
            return new;
        }
        if (old ^ new) & mask != 0 {
            self.gated_writes_dropped = self.gated_writes_dropped.saturating_add(1);
        }
        (new & !mask) | (old & mask)
    }

    /// Returns `true` when the write reset the chip.
    fn write_reg(&mut self, ch: u8, r: Reg, value: u8) -> bool {
        match r {
            Reg::Thr => {
                let u = self.uart_mut(ch);
                u.thr_ack = false;
                if !u.tx.push(value) {
                    self.tx_overflows = self.tx_overflows.saturating_add(1);
                }
            }
            Reg::Ier => {
                let old = self.uart(ch).ier;
                let new = self.gate(ch, old, value, IER_GATED);
                let u = self.uart_mut(ch);
                if old & IER_THR == 0 && new & IER_THR != 0 {
                    u.thr_ack = false;
                }
                u.ier = new;
            }
            Reg::Fcr => {
                let old = self.uart(ch).fcr;
                let new = self.gate(ch, old, value, FCR_GATED);
                let u = self.uart_mut(ch);
                if new & FCR_RX_RESET != 0 {
                    u.rx.clear();
                    u.timeout = false;
                    u.quiet = 0;
                    u.update_rts();
                }
                if new & FCR_TX_RESET != 0 {
                    u.tx.clear();
                }
                u.fcr = new & !(FCR_RX_RESET | FCR_TX_RESET);
            }
            Reg::Lcr => {
                self.lcr_switches = self.lcr_switches.saturating_add(1);
                let crystal_hz = self.crystal_hz;
                let u = self.uart_mut(ch);
                if u.lcr & LCR_BREAK == 0 && value & LCR_BREAK != 0 && !u.loopback() {
                    // the line goes low: the far end sees one break
                    u.sent.push_overwrite(WireChar {
                        byte: 0,
                        lcr: value & 0x7F,
                        prescaler: u.prescaler(),
                        divisor: u.divisor(),
                        crystal_hz,
                    });
                }
                u.lcr = value;
            }
            Reg::Mcr => {
                let old = self.uart(ch).mcr;
                let new = self.gate(ch, old, value, MCR_GATED);
                self.uart_mut(ch).mcr = new;
                self.update_msr(ch);
            }
            Reg::Dll | Reg::Dlh => {
                let u = self.uart_mut(ch);
                let asleep = u.ier & IER_SLEEP != 0;
                if r == Reg::Dll {
                    u.dll = value;
                } else {
                    u.dlh = value;
                }
                if asleep {
                    self.divisor_writes_while_asleep = self.divisor_writes_while_asleep.saturating_add(1);
                }
            }
            Reg::Spr => self.uart_mut(ch).spr = value,
            Reg::Tcr => {
                let u = self.uart_mut(ch);
                u.tcr = value;
                u.update_rts();
            }
            Reg::Tlr => self.uart_mut(ch).tlr = value,
            Reg::Efcr => self.uart_mut(ch).efcr = value,
            Reg::Efr => {
                let u = self.uart_mut(ch);
                u.efr = value;
                u.update_rts();
            }
            Reg::Xon1 => self.uart_mut(ch).xon1 = value,
            Reg::Xon2 => self.uart_mut(ch).xon2 = value,
            Reg::Xoff1 => self.uart_mut(ch).xoff1 = value,
            Reg::Xoff2 => self.uart_mut(ch).xoff2 = value,
            Reg::IoDir => self.io_dir = value,
            // only output pins take the latch value (sheet §5.10: IODir first, then IOState)
            Reg::IoState => self.io_latch = (self.io_latch & !self.io_dir) | (value & self.io_dir),
            Reg::IoIntEna => self.io_int_ena = value,
            Reg::IoControl => {
                if value & IOC_SRESET != 0 {
                    self.software_resets = self.software_resets.saturating_add(1);
                    self.chip_reset();
                    return true;
                }
                self.io_control = value & self.variant.io_control_mask();
                self.update_msr_all();
            }
            Reg::Rhr | Reg::Iir | Reg::Lsr | Reg::Msr | Reg::Txlvl | Reg::Rxlvl => {}
        }
        false
    }

    fn begin_transaction(&mut self) {
        self.transactions = self.transactions.saturating_add(1);
        self.advance(self.chars_per_transaction);
    }

    /// (channel, register address) of a sub-address byte, if the channel exists.
    fn sub_address(&self, byte: u8) -> Option<(u8, u8)> {
        let ch = (byte >> 1) & 0x03;
        self.channel_exists(ch).then_some((ch, (byte >> 3) & 0x0F))
    }

    fn run_i2c(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), i2c::ErrorKind> {
        self.begin_transaction();
        if address != self.address {
            return Err(i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
        }
        let mut target: Option<(u8, u8)> = None;
        // the first byte written after the address (and after each repeated START that follows a read) is the
        // sub-address; every further byte goes to that same register
        let mut need_sub_address = true;
        for operation in operations {
            match operation {
                i2c::Operation::Write(bytes) => {
                    for value in bytes.iter() {
                        if need_sub_address {
                            target = Some(
                                self.sub_address(*value)
                                    .ok_or(i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))?,
                            );
                            need_sub_address = false;
                        } else if let Some((ch, addr)) = target {
                            if self.bus_write(ch, addr, *value) {
                                // the chip NACKs the data byte that resets it (sheet §5.11)
                                return Err(i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data));
                            }
                        }
                    }
                }
                i2c::Operation::Read(buffer) => {
                    let Some((ch, addr)) = target else {
                        // a read with no sub-address written first
                        return Err(i2c::ErrorKind::Other);
                    };
                    for value in buffer.iter_mut() {
                        *value = self.bus_read(ch, addr);
                    }
                    need_sub_address = true;
                }
            }
        }
        Ok(())
    }

    fn spi_exchange(&mut self, frame: &mut SpiFrame, out: u8) -> Result<u8, spi::ErrorKind> {
        match frame.header {
            None => {
                let (ch, addr) = self.sub_address(out).ok_or(spi::ErrorKind::Other)?;
                frame.header = Some((out & SPI_READ != 0, ch, addr));
                Ok(0)
            }
            Some((true, ch, addr)) => {
                frame.data = frame.data.saturating_add(1);
                Ok(self.bus_read(ch, addr))
            }
            Some((false, ch, addr)) => {
                frame.data = frame.data.saturating_add(1);
                let _ = self.bus_write(ch, addr, out);
                Ok(0xFF)
            }
        }
    }

    fn run_spi(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), spi::ErrorKind> {
        self.begin_transaction();
        let mut frame = SpiFrame { header: None, data: 0 };
        for operation in operations {
            match operation {
                spi::Operation::Write(bytes) => {
                    for out in bytes.iter() {
                        self.spi_exchange(&mut frame, *out)?;
                    }
                }
                spi::Operation::Read(buffer) => {
                    for into in buffer.iter_mut() {
                        *into = self.spi_exchange(&mut frame, 0)?;
                    }
                }
                spi::Operation::Transfer(read, write) => {
                    for i in 0..read.len().max(write.len()) {
                        let out = write.get(i).copied().unwrap_or(0);
                        let answer = self.spi_exchange(&mut frame, out)?;
                        if let Some(into) = read.get_mut(i) {
                            *into = answer;
                        }
                    }
                }
                spi::Operation::TransferInPlace(buffer) => {
                    for byte in buffer.iter_mut() {
                        *byte = self.spi_exchange(&mut frame, *byte)?;
                    }
                }
                spi::Operation::DelayNs(_) => {}
            }
        }
        match frame.header {
            None => Err(spi::ErrorKind::Other),
            Some((false, ch, addr)) => {
                if frame.data == 0 && self.decode(ch, addr, true) == Some(Reg::Thr) {
                    self.empty_thr_writes = self.empty_thr_writes.saturating_add(1);
                }
                Ok(())
            }
            Some(_) => Ok(()),
        }
    }

    // ---- the line side and time ----

    /// How many character times each bus transaction lets pass before it acts (default 1; 0 freezes time).
    pub fn set_chars_per_transaction(&mut self, char_times: u32) {
        self.chars_per_transaction = char_times;
    }

    /// Runs `char_times` character times with no bus traffic (stops early once nothing can change any more).
    pub fn advance(&mut self, char_times: u32) {
        for _ in 0..char_times {
            if self.quiescent() {
                break;
            }
            self.step();
        }
    }

    /// Runs until every transmitter is idle (or blocked: TX disabled, auto-CTS, Xoff) and every inbound queue
    /// is delivered. No RX time-out is waited for.
    pub fn settle(&mut self) {
        for _ in 0..RUN_LIMIT {
            if self.uarts.iter().all(Uart::idle_forever) {
                break;
            }
            self.step();
        }
    }

    /// Nothing can change any more without a bus access or a stimulus.
    fn quiescent(&self) -> bool {
        self.uarts
            .iter()
            .all(|u| u.idle_forever() && (u.rx.is_empty() || u.timeout))
    }

    fn run_until(&mut self, done: impl Fn(&Self) -> bool) -> bool {
        for _ in 0..RUN_LIMIT {
            if done(self) {
                return true;
            }
            if self.quiescent() {
                return false;
            }
            self.step();
        }
        done(self)
    }

    fn step(&mut self) {
        self.step_channel(0);
        self.step_channel(1);
    }

    fn step_channel(&mut self, ch: u8) {
        let crystal_hz = self.crystal_hz;
        let u = self.uart_mut(ch);
        let mut looped = None;
        if let Some(byte) = u.shift.take() {
            if u.loopback() {
                looped = Some(RxChar { byte, flags: 0 });
            } else {
                u.sent.push_overwrite(WireChar {
                    byte,
                    lcr: u.lcr & 0x7F,
                    prescaler: u.prescaler(),
                    divisor: u.divisor(),
                    crystal_hz,
                });
            }
        }
        if u.tx_may_move() {
            u.shift = u.tx.pop();
        }
        let incoming = if u.loopback() { looped } else { u.inbound.pop() };
        match incoming {
            Some(c) => self.arrive(ch, c),
            None => {
                let u = self.uart_mut(ch);
                if !u.rx.is_empty() {
                    u.quiet = u.quiet.saturating_add(1);
                    if u.quiet >= TIMEOUT_CHARS {
                        u.timeout = true;
                    }
                }
            }
        }
    }

    /// A character reaches the receiver of `ch`.
    fn arrive(&mut self, ch: u8, c: RxChar) {
        let u = self.uart_mut(ch);
        u.quiet = 0;
        if u.efcr & EFCR_RX_DISABLE != 0 {
            return;
        }
        let byte = c.byte & word_mask(u.lcr);
        if c.flags == 0 {
            let efr = u.efr;
            let compare1 = efr & EFR_RX_XON1 != 0;
            let compare2 = efr & EFR_RX_XON2 != 0;
            if (compare1 && byte == u.xoff1) || (compare2 && byte == u.xoff2) {
                u.xoff_held = true;
                if u.ier & IER_XOFF != 0 {
                    u.xoff_event = true;
                }
                return;
            }
            if (compare1 && byte == u.xon1) || (compare2 && byte == u.xon2) {
                u.xoff_held = false;
                return;
            }
            if u.xoff_held && u.mcr & MCR_XON_ANY != 0 {
                u.xoff_held = false;
            }
            if efr & EFR_SPECIAL != 0 && byte == u.xoff2 && u.ier & IER_XOFF != 0 {
                u.xoff_event = true;
            }
        }
        if !u.rx.push(RxChar { byte, flags: c.flags }) {
            u.overrun = true;
        }
        u.update_rts();
    }

    fn queue(&mut self, ch: u8, c: RxChar) -> bool {
        let accepted = self.uart_mut(ch).inbound.push(c);
        if !accepted {
            self.inbound_dropped = self.inbound_dropped.saturating_add(1);
        }
        accepted
    }

    /// Queues characters arriving on the RX pin of `ch` (error-free, in the receiver's format); they enter the RX
    /// FIFO one per character time. The queue holds 256; the excess is dropped and counted
    /// ([`inbound_dropped`](Self::inbound_dropped)). Returns how many were queued.
    pub fn receive(&mut self, ch: u8, bytes: &[u8]) -> usize {
        bytes
            .iter()
            .filter(|byte| self.queue(ch, RxChar { byte: **byte, flags: 0 }))
            .count()
    }

    /// Queues one character with line errors (a break arrives as 0x00). Returns whether it was queued.
    pub fn receive_with_fault(&mut self, ch: u8, byte: u8, fault: LineFault) -> bool {
        let byte = if fault.break_ { 0 } else { byte };
        self.queue(
            ch,
            RxChar {
                byte,
                flags: fault.flags(),
            },
        )
    }

    /// Moves every queued inbound character of `ch` into the RX FIFO at once (the excess overruns).
    pub fn deliver_now(&mut self, ch: u8) {
        while let Some(c) = self.uart_mut(ch).inbound.pop() {
            self.arrive(ch, c);
        }
    }

    /// Inbound characters of `ch` still on the way.
    pub fn inbound_len(&self, ch: u8) -> usize {
        self.uart(ch).inbound.len()
    }

    /// Copies the characters `ch` has put on the line (oldest first; breaks as 0x00) into `into` and forgets them;
    /// returns how many. What does not fit stays for the next call. The record keeps the last 256.
    pub fn take_transmitted(&mut self, ch: u8, into: &mut [u8]) -> usize {
        let sent = &mut self.uart_mut(ch).sent;
        let mut count = 0usize;
        for slot in into.iter_mut() {
            match sent.pop() {
                Some(w) => {
                    *slot = w.byte;
                    count = count.saturating_add(1);
                }
                None => break,
            }
        }
        count
    }

    /// Characters `ch` has put on the line and nobody took yet.
    pub fn transmitted_len(&self, ch: u8) -> usize {
        self.uart(ch).sent.len()
    }

    /// Wires TX of `a`'s channel `a_ch` to RX of `b`'s `b_ch` and back, and moves what each side has transmitted
    /// into the other's inbound queue. A character whose frame format (word length, parity, stop bits) or baud
    /// rate differs from the receiver's current ones arrives with a framing error (and a parity error when the
    /// parity settings differ); one sent during a break arrives as 0x00 with break and framing errors.
    pub fn connect(a: &mut Self, a_ch: u8, b: &mut Self, b_ch: u8) {
        Self::carry(a, a_ch, b, b_ch);
        Self::carry(b, b_ch, a, a_ch);
    }

    fn carry(from: &mut Self, from_ch: u8, to: &mut Self, to_ch: u8) {
        let receiver = to.uart(to_ch);
        let (rx_lcr, rx_rate) = (receiver.lcr, (to.crystal_hz, receiver.prescaler(), receiver.divisor()));
        while let Some(w) = from.uart_mut(from_ch).sent.pop() {
            let c = if w.lcr & LCR_BREAK != 0 {
                RxChar {
                    byte: 0,
                    flags: LSR_BREAK | LSR_FRAMING,
                }
            } else {
                let same_rate = same_baud((w.crystal_hz, w.prescaler, w.divisor), rx_rate);
                let parity = parity_mode(w.lcr) != parity_mode(rx_lcr);
                let framing = parity || !same_rate || frame_format(w.lcr) != frame_format(rx_lcr);
                RxChar {
                    byte: w.byte & word_mask(w.lcr),
                    flags: LineFault {
                        parity,
                        framing,
                        break_: false,
                    }
                    .flags(),
                }
            };
            let _ = to.queue(to_ch, c);
        }
    }

    // ---- modem and flow-control pins ----

    /// Drives the CTS input of `ch`: `asserted` = pin LOW = MSR\[4\] set.
    pub fn set_cts(&mut self, ch: u8, asserted: bool) {
        self.uart_mut(ch).cts_pin = asserted;
        self.update_msr(ch);
    }

    /// Whether the RTS output of `ch` is asserted (LOW): MCR\[1\], or auto-RTS (EFR\[6\]) between the TCR levels
    /// (a TCR halt level of 0 holds RTS deasserted), or in RS-485 mode (EFCR\[4\]) the transmitter's direction
    /// level (asserted while characters are in the TX FIFO or the shift register; EFCR\[5\] inverts).
    pub fn rts_asserted(&self, ch: u8) -> bool {
        self.uart(ch).rts_asserted()
    }

    /// Whether a received Xoff holds the transmitter of `ch`.
    pub fn tx_held_by_xoff(&self, ch: u8) -> bool {
        self.uart(ch).xoff_held
    }

    // ---- interrupts ----

    /// Whether `ch` has an interrupt pending (IIR\[0\] = 0).
    pub fn irq_asserted(&self, ch: u8) -> bool {
        self.channel_exists(ch) && self.pending(ch).is_some()
    }

    /// The IRQ pin (shared by both channels of a dual part) is low.
    pub fn irq_pin_low(&self) -> bool {
        self.irq_asserted(0) || self.irq_asserted(1)
    }

    /// Raises the RX time-out of `ch` now if its RX FIFO holds data (the line went quiet).
    pub fn rx_timeout(&mut self, ch: u8) {
        let u = self.uart_mut(ch);
        if !u.rx.is_empty() {
            u.timeout = true;
        }
    }

    /// The line of `ch` goes quiet: delivers its inbound queue, then raises the RX time-out if data is left in
    /// the RX FIFO.
    pub fn idle(&mut self, ch: u8) {
        self.deliver_now(ch);
        self.rx_timeout(ch);
    }

    /// The silicon erratum (sheet §5.3): an RX time-out interrupt (IIR 0x0C, with IER\[0\]) while the RX FIFO is
    /// empty, cleared only by one RHR read (which returns 0).
    pub fn force_rx_timeout_erratum(&mut self, ch: u8) {
        self.uart_mut(ch).erratum = true;
    }

    /// Makes the next TXLVL read of `ch` over the bus return `value` (e.g. 255, as a failed SPI transfer cast to
    /// `u8` did on Linux), once; `None` cancels.
    pub fn set_txlvl_glitch(&mut self, ch: u8, value: Option<u8>) {
        self.uart_mut(ch).txlvl_glitch = value;
    }

    // ---- rates and modes ----

    /// The divisor latch of `ch` (DLH:DLL).
    pub fn divisor(&self, ch: u8) -> u16 {
        self.uart(ch).divisor()
    }

    /// The clock prescaler of `ch`: 1, or 4 with MCR\[7\].
    pub fn prescaler(&self, ch: u8) -> u8 {
        self.uart(ch).prescaler()
    }

    /// crystal / (prescaler × 16 × divisor), truncated; 0 when the divisor is 0.
    pub fn baud_rate(&self, ch: u8) -> u32 {
        let u = self.uart(ch);
        let denominator = u64::from(u.prescaler())
            .saturating_mul(16)
            .saturating_mul(u64::from(u.divisor()));
        u64::from(self.crystal_hz)
            .checked_div(denominator)
            .and_then(|rate| u32::try_from(rate).ok())
            .unwrap_or(0)
    }

    /// Sleep mode is on (IER\[4\]) and `ch` has nothing to do: both FIFOs empty, nothing shifting or arriving.
    pub fn is_asleep(&self, ch: u8) -> bool {
        let u = self.uart(ch);
        u.ier & IER_SLEEP != 0 && u.rx.is_empty() && !u.transmitting() && u.inbound.is_empty()
    }
}

/// Whether two (crystal, prescaler, divisor) give exactly the same baud rate (divisor 0 = no clock).
fn same_baud(a: (u32, u8, u16), b: (u32, u8, u16)) -> bool {
    let side = |(xtal, _, _): (u32, u8, u16), (_, p, d): (u32, u8, u16)| {
        u64::from(xtal)
            .saturating_mul(u64::from(p))
            .saturating_mul(u64::from(d))
    };
    side(a, b) == side(b, a)
}

/// One SPI frame in progress (chip select low): the header once it was clocked, and the data bytes since.
struct SpiFrame {
    header: Option<(bool, u8, u8)>,
    data: u32,
}

impl i2c::ErrorType for Sc16is7xxSim {
    type Error = i2c::ErrorKind;
}

impl i2c::I2c for Sc16is7xxSim {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.run_i2c(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Sc16is7xxSim {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.run_i2c(address, operations)
    }
}

impl spi::ErrorType for Sc16is7xxSim {
    type Error = spi::ErrorKind;
}

impl spi::SpiDevice for Sc16is7xxSim {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run_spi(operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for Sc16is7xxSim {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run_spi(operations)
    }
}

/// A shared handle, so the model can be the driver's bus and still be observed and poked while the driver owns
/// the handle. Each transaction borrows the model for its duration (never across an `await`); a model already
/// borrowed answers [`ErrorKind::Other`](i2c::ErrorKind::Other).
///
/// ```
/// use core::cell::RefCell;
/// use embedded_hal::i2c::I2c;
/// use sc16is740::fugit::RateExtU32;
/// use sc16is740::sim::{Reg, Sc16is7xxSim, SharedSim, SimVariant};
///
/// let chip = RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is750, 1_843_200.Hz()));
/// let mut bus = SharedSim(&chip);
/// bus.write(0x48, &[0x38, 0x55])?;
/// assert_eq!(chip.borrow().reg(0, Reg::Spr), 0x55);
/// # Ok::<(), embedded_hal::i2c::ErrorKind>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SharedSim<'a>(pub &'a RefCell<Sc16is7xxSim>);

impl i2c::ErrorType for SharedSim<'_> {
    type Error = i2c::ErrorKind;
}

impl i2c::I2c for SharedSim<'_> {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        let mut sim = self.0.try_borrow_mut().map_err(|_| i2c::ErrorKind::Other)?;
        sim.run_i2c(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for SharedSim<'_> {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        let mut sim = self.0.try_borrow_mut().map_err(|_| i2c::ErrorKind::Other)?;
        sim.run_i2c(address, operations)
    }
}

impl spi::ErrorType for SharedSim<'_> {
    type Error = spi::ErrorKind;
}

impl spi::SpiDevice for SharedSim<'_> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        let mut sim = self.0.try_borrow_mut().map_err(|_| spi::ErrorKind::Other)?;
        sim.run_spi(operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for SharedSim<'_> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        let mut sim = self.0.try_borrow_mut().map_err(|_| spi::ErrorKind::Other)?;
        sim.run_spi(operations)
    }
}

/// Why the simulated IRQ pin could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SimPinError {
    /// The level waited for never comes: nothing left in the model can change the IRQ (a real MCU would hang).
    WouldWaitForever,
    /// The model was borrowed elsewhere at the time.
    Busy,
}

impl core::fmt::Display for SimPinError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::WouldWaitForever => f.write_str("the simulated IRQ would never reach the level waited for"),
            Self::Busy => f.write_str("the simulated chip was borrowed elsewhere"),
        }
    }
}

impl core::error::Error for SimPinError {}

impl digital::Error for SimPinError {
    fn kind(&self) -> digital::ErrorKind {
        digital::ErrorKind::Other
    }
}

/// The chip's IRQ output (active low) as an MCU input pin.
///
/// The `wait_for_*` methods (under `async`) return at once when the level is already there; otherwise they run
/// the model's time (delivering inbound characters, shifting out the TX FIFO, letting an RX time-out come) until
/// it is, and answer [`SimPinError::WouldWaitForever`] when nothing left can bring it, instead of hanging.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SimIrqPin<'a> {
    sim: &'a RefCell<Sc16is7xxSim>,
    /// `None`: the physical pin (either channel).
    channel: Option<u8>,
}

impl<'a> SimIrqPin<'a> {
    /// The interrupt output of channel `ch` alone (on a single-channel part, the IRQ pin).
    pub fn new(sim: &'a RefCell<Sc16is7xxSim>, ch: u8) -> Self {
        Self { sim, channel: Some(ch) }
    }

    /// The IRQ pin of a dual part, low when either channel has an interrupt pending.
    pub fn shared(sim: &'a RefCell<Sc16is7xxSim>) -> Self {
        Self { sim, channel: None }
    }

    fn low_on(channel: Option<u8>, sim: &Sc16is7xxSim) -> bool {
        match channel {
            Some(ch) => sim.irq_asserted(ch),
            None => sim.irq_pin_low(),
        }
    }

    fn is_low_now(&self) -> Result<bool, SimPinError> {
        let sim = self.sim.try_borrow().map_err(|_| SimPinError::Busy)?;
        Ok(Self::low_on(self.channel, &sim))
    }

    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    fn wait_level(&self, low: bool) -> Result<(), SimPinError> {
        let mut sim = self.sim.try_borrow_mut().map_err(|_| SimPinError::Busy)?;
        let channel = self.channel;
        if sim.run_until(|s| Self::low_on(channel, s) == low) {
            Ok(())
        } else {
            Err(SimPinError::WouldWaitForever)
        }
    }
}

impl digital::ErrorType for SimIrqPin<'_> {
    type Error = SimPinError;
}

impl digital::InputPin for SimIrqPin<'_> {
    fn is_high(&mut self) -> Result<bool, Self::Error> {
        self.is_low_now().map(|low| !low)
    }

    fn is_low(&mut self) -> Result<bool, Self::Error> {
        self.is_low_now()
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::digital::Wait for SimIrqPin<'_> {
    async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
        self.wait_level(false)
    }

    async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
        self.wait_level(true)
    }

    async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
        self.wait_level(false)
    }

    async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
        self.wait_level(true)
    }

    async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
        let low = self.is_low_now()?;
        self.wait_level(!low)
    }
}

/// Bus traffic counted by [`CountingBus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Traffic {
    /// Transactions (I2C START … STOP, or one SPI chip-select frame).
    pub transactions: u32,
    /// Bytes written: after the address byte on I2C (the sub-address included); every byte clocked out on SPI
    /// (the header included).
    pub written: u32,
    /// Bytes read.
    pub read: u32,
}

/// Wraps a bus and counts what crosses it, for bus-traffic figures. The same shape as [`FaultyBus`]: `new(bus)`,
/// [`traffic`](Self::traffic), [`reset_traffic`](Self::reset_traffic), `inner`, `inner_mut`, `into_inner`. While a
/// driver owns it, read the figures through the driver's `bus()`.
///
/// ```
/// use embedded_hal::i2c::I2c;
/// use sc16is740::fugit::RateExtU32;
/// use sc16is740::sim::{CountingBus, Sc16is7xxSim, SimVariant, Traffic};
///
/// let mut bus = CountingBus::new(Sc16is7xxSim::new(SimVariant::Sc16is740, 1_843_200.Hz()));
/// let mut lsr = [0];
/// bus.write_read(0x48, &[0x28], &mut lsr)?;
/// assert_eq!(bus.traffic(), Traffic { transactions: 1, written: 1, read: 1 });
/// bus.reset_traffic();
/// assert_eq!(bus.traffic(), Traffic::default());
/// # Ok::<(), embedded_hal::i2c::ErrorKind>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Cell<Traffic>,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, with every count at 0.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Cell::new(Traffic::default()),
        }
    }

    /// What crossed the bus since `new` or the last [`reset_traffic`](Self::reset_traffic).
    pub fn traffic(&self) -> Traffic {
        self.traffic.get()
    }

    /// Sets every count back to 0.
    pub fn reset_traffic(&mut self) {
        self.traffic.set(Traffic::default());
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, mutably (what goes through it directly is not counted).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Gives the wrapped bus back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    fn add(&self, written: usize, read: usize) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut traffic = self.traffic.get();
        traffic.written = traffic.written.saturating_add(bytes(written));
        traffic.read = traffic.read.saturating_add(bytes(read));
        self.traffic.set(traffic);
    }

    fn count_transaction(&self) {
        let mut traffic = self.traffic.get();
        traffic.transactions = traffic.transactions.saturating_add(1);
        self.traffic.set(traffic);
    }

    fn count_i2c(&self, operations: &[i2c::Operation<'_>]) {
        self.count_transaction();
        for operation in operations {
            match operation {
                i2c::Operation::Write(data) => self.add(data.len(), 0),
                i2c::Operation::Read(buffer) => self.add(0, buffer.len()),
            }
        }
    }

    fn count_spi(&self, operations: &[spi::Operation<'_, u8>]) {
        self.count_transaction();
        for operation in operations {
            match operation {
                spi::Operation::Write(data) => self.add(data.len(), 0),
                spi::Operation::Read(buffer) => self.add(0, buffer.len()),
                spi::Operation::Transfer(read, write) => self.add(write.len(), read.len()),
                spi::Operation::TransferInPlace(buffer) => self.add(buffer.len(), buffer.len()),
                spi::Operation::DelayNs(_) => {}
            }
        }
    }
}

impl<B: i2c::ErrorType> i2c::ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: i2c::I2c> i2c::I2c for CountingBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.count_i2c(operations);
        self.bus.transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for CountingBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.count_i2c(operations);
        self.bus.transaction(address, operations).await
    }
}

impl<B: spi::ErrorType> spi::ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: spi::SpiDevice> spi::SpiDevice for CountingBus<B> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count_spi(operations);
        self.bus.transaction(operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for CountingBus<B> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count_spi(operations);
        self.bus.transaction(operations).await
    }
}

// ---- fault injection -----------------------------------------------------------------------------------

/// Where an injected fault strikes a transaction of a [`FaultyBus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing of the transaction.
    BeforeChip,
    /// The chip performs the whole transaction (its registers change, a read pops what reading pops), then the
    /// host sees the error.
    AfterChip,
    /// The chip takes the first `n` bytes the host writes in the transaction (the sub-address byte counts) and
    /// nothing after: no read of that transaction reaches it.
    Partway(usize),
}

/// The error an injected fault reports: an I2C or an SPI error kind (see [`FaultyBus::set_error_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultKind {
    /// Reported by the I2C traits (an SPI user sees [`spi::ErrorKind::Other`]).
    I2c(i2c::ErrorKind),
    /// Reported by the SPI traits (an I2C user sees [`i2c::ErrorKind::Other`]).
    Spi(spi::ErrorKind),
}

impl From<i2c::ErrorKind> for FaultKind {
    fn from(kind: i2c::ErrorKind) -> Self {
        Self::I2c(kind)
    }
}

impl From<spi::ErrorKind> for FaultKind {
    fn from(kind: spi::ErrorKind) -> Self {
        Self::Spi(kind)
    }
}

/// The error of a [`FaultyBus`]: an injected fault, or the wrapped bus's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultyBusError<E> {
    /// A fault the wrapper injected.
    Injected(FaultKind),
    /// The wrapped bus failed.
    Bus(E),
}

impl<E: core::fmt::Debug> core::fmt::Display for FaultyBusError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected(kind) => write!(f, "injected bus fault ({kind:?})"),
            Self::Bus(e) => write!(f, "bus error ({e:?})"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for FaultyBusError<E> {}

impl<E: i2c::Error> i2c::Error for FaultyBusError<E> {
    fn kind(&self) -> i2c::ErrorKind {
        match self {
            Self::Injected(FaultKind::I2c(kind)) => *kind,
            Self::Injected(FaultKind::Spi(_)) => i2c::ErrorKind::Other,
            Self::Bus(e) => e.kind(),
        }
    }
}

impl<E: spi::Error> spi::Error for FaultyBusError<E> {
    fn kind(&self) -> spi::ErrorKind {
        match self {
            Self::Injected(FaultKind::Spi(kind)) => *kind,
            Self::Injected(FaultKind::I2c(_)) => spi::ErrorKind::Other,
            Self::Bus(e) => e.kind(),
        }
    }
}

/// Wraps a bus (the model, a [`SharedSim`], a [`CountingBus`], …) and makes chosen transactions fail: once at
/// transaction `n` ([`fail_nth`](Self::fail_nth)), or each with a probability ([`fail_randomly`](Self::fail_randomly)),
/// before the chip saw anything, after it took the whole transaction, or part way
/// ([`FaultPoint`]). It can also answer one byte for every byte read ([`stuck_at`](Self::stuck_at)) and, for the
/// async traits, return `Pending` once before and once after each transaction reaches the chip
/// ([`yield_around_transactions`](Self::yield_around_transactions)), so a test can drop a future at every await
/// point. One call of `transaction` is one transaction.
///
/// ```
/// use embedded_hal::i2c::I2c;
/// use sc16is740::fugit::RateExtU32;
/// use sc16is740::sim::{FaultPoint, FaultyBus, Reg, Sc16is7xxSim, SimVariant};
///
/// let mut bus = FaultyBus::new(Sc16is7xxSim::new(SimVariant::Sc16is740, 1_843_200.Hz()));
/// bus.fail_nth(0, FaultPoint::BeforeChip);
/// assert!(bus.write(0x48, &[0x38, 0x55]).is_err()); // SPR untouched
/// bus.fail_nth(0, FaultPoint::AfterChip);
/// assert!(bus.write(0x48, &[0x38, 0x66]).is_err()); // SPR written, then the error
/// assert_eq!(bus.inner().reg(0, Reg::Spr), 0x66);
/// assert_eq!((bus.transactions(), bus.faults()), (2, 2));
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FaultyBus<B> {
    bus: B,
    nth: Option<(u32, FaultPoint)>,
    random: Option<(u64, u16)>,
    stuck: Option<u8>,
    i2c_kind: i2c::ErrorKind,
    spi_kind: spi::ErrorKind,
    yields: bool,
    transactions: u32,
    faults: u32,
}

impl<B> FaultyBus<B> {
    /// Wraps `bus`, injecting nothing yet.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            nth: None,
            random: None,
            stuck: None,
            i2c_kind: i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data),
            spi_kind: spi::ErrorKind::Other,
            yields: false,
            transactions: 0,
            faults: 0,
        }
    }

    /// The wrapped bus back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, mutably (what you do through it is not counted nor faulted).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Transaction `n` counted from now (0 = the next one) fails once, at `point`.
    pub fn fail_nth(&mut self, n: u32, point: FaultPoint) {
        self.nth = Some((n, point));
    }

    /// Each transaction fails with probability `per_mille` / 1000, at a point chosen at random, from a small
    /// deterministic generator seeded with `seed`.
    pub fn fail_randomly(&mut self, seed: u64, per_mille: u16) {
        self.random = Some((seed ^ 0x9E37_79B9_7F4A_7C15, per_mille));
    }

    /// Ends both fault plans.
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.random = None;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (the chip still performs the transaction); `None`: ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error an injected fault reports (I2C default: `NoAcknowledge(Data)`; SPI default: `Other`).
    pub fn set_error_kind(&mut self, kind: impl Into<FaultKind>) {
        match kind.into() {
            FaultKind::I2c(kind) => self.i2c_kind = kind,
            FaultKind::Spi(kind) => self.spi_kind = kind,
        }
    }

    /// The async impls return `Pending` once before each transaction reaches the chip and once after it did
    /// (the blocking impls ignore it).
    pub fn yield_around_transactions(&mut self, on: bool) {
        self.yields = on;
    }

    /// Transactions seen (faulted or not).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    fn next_random(state: &mut u64) -> u64 {
        // splitmix64
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Counts a transaction and decides its fate.
    fn plan(&mut self) -> Option<FaultPoint> {
        self.transactions = self.transactions.saturating_add(1);
        let mut fault = None;
        if let Some((n, point)) = self.nth {
            if n == 0 {
                self.nth = None;
                fault = Some(point);
            } else {
                self.nth = Some((n.saturating_sub(1), point));
            }
        }
        if let Some((mut state, per_mille)) = self.random {
            let roll = Self::next_random(&mut state) % 1000;
            let which = Self::next_random(&mut state);
            self.random = Some((state, per_mille));
            if fault.is_none() && roll < u64::from(per_mille) {
                fault = Some(match which % 4 {
                    0 => FaultPoint::BeforeChip,
                    1 => FaultPoint::AfterChip,
                    // mostly a burst cut short: the sub-address and some of the data
                    _ => FaultPoint::Partway(usize::try_from((which >> 8) % 66).unwrap_or(0)),
                });
            }
        }
        if fault.is_some() {
            self.faults = self.faults.saturating_add(1);
        }
        fault
    }
}

/// The bytes of the first write operation of a transaction, cut to `n` (what a `Partway(n)` fault lets through).
fn first_write_i2c<'b>(operations: &[i2c::Operation<'b>], n: usize) -> Option<&'b [u8]> {
    operations.iter().find_map(|operation| match operation {
        i2c::Operation::Write(bytes) => Some(bytes.get(..n.min(bytes.len())).unwrap_or(bytes)),
        i2c::Operation::Read(_) => None,
    })
}

fn first_write_spi<'b>(operations: &[spi::Operation<'b, u8>], n: usize) -> Option<&'b [u8]> {
    operations.iter().find_map(|operation| match operation {
        spi::Operation::Write(bytes) => Some(bytes.get(..n.min(bytes.len())).unwrap_or(bytes)),
        _ => None,
    })
}

fn stick_i2c(operations: &mut [i2c::Operation<'_>], byte: Option<u8>) {
    if let Some(byte) = byte {
        for operation in operations.iter_mut() {
            if let i2c::Operation::Read(buffer) = operation {
                buffer.fill(byte);
            }
        }
    }
}

fn stick_spi(operations: &mut [spi::Operation<'_, u8>], byte: Option<u8>) {
    if let Some(byte) = byte {
        for operation in operations.iter_mut() {
            match operation {
                spi::Operation::Read(buffer) | spi::Operation::TransferInPlace(buffer) => buffer.fill(byte),
                spi::Operation::Transfer(read, _) => read.fill(byte),
                _ => {}
            }
        }
    }
}

impl<B: i2c::ErrorType> i2c::ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: i2c::I2c> i2c::I2c for FaultyBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        let injected = FaultyBusError::Injected(FaultKind::I2c(self.i2c_kind));
        match self.plan() {
            None => {
                let result = self.bus.transaction(address, operations).map_err(FaultyBusError::Bus);
                stick_i2c(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations);
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                if let Some(bytes) = first_write_i2c(operations, n).filter(|b| !b.is_empty()) {
                    let _ = self.bus.transaction(address, &mut [i2c::Operation::Write(bytes)]);
                }
                Err(injected)
            }
        }
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for FaultyBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        if self.yields {
            YieldOnce(false).await;
        }
        let injected = FaultyBusError::Injected(FaultKind::I2c(self.i2c_kind));
        let result = match self.plan() {
            None => {
                let result = self
                    .bus
                    .transaction(address, operations)
                    .await
                    .map_err(FaultyBusError::Bus);
                stick_i2c(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations).await;
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                if let Some(bytes) = first_write_i2c(operations, n).filter(|b| !b.is_empty()) {
                    let _ = self.bus.transaction(address, &mut [i2c::Operation::Write(bytes)]).await;
                }
                Err(injected)
            }
        };
        if self.yields {
            YieldOnce(false).await;
        }
        result
    }
}

impl<B: spi::ErrorType> spi::ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: spi::SpiDevice> spi::SpiDevice for FaultyBus<B> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        let injected = FaultyBusError::Injected(FaultKind::Spi(self.spi_kind));
        match self.plan() {
            None => {
                let result = self.bus.transaction(operations).map_err(FaultyBusError::Bus);
                stick_spi(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(operations);
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                if let Some(bytes) = first_write_spi(operations, n).filter(|b| !b.is_empty()) {
                    let _ = self.bus.transaction(&mut [spi::Operation::Write(bytes)]);
                }
                Err(injected)
            }
        }
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for FaultyBus<B> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        if self.yields {
            YieldOnce(false).await;
        }
        let injected = FaultyBusError::Injected(FaultKind::Spi(self.spi_kind));
        let result = match self.plan() {
            None => {
                let result = self.bus.transaction(operations).await.map_err(FaultyBusError::Bus);
                stick_spi(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(operations).await;
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                if let Some(bytes) = first_write_spi(operations, n).filter(|b| !b.is_empty()) {
                    let _ = self.bus.transaction(&mut [spi::Operation::Write(bytes)]).await;
                }
                Err(injected)
            }
        };
        if self.yields {
            YieldOnce(false).await;
        }
        result
    }
}

/// A future that is `Pending` once (waking its waker at once), then ready.
#[cfg(feature = "async")]
struct YieldOnce(bool);

#[cfg(feature = "async")]
impl core::future::Future for YieldOnce {
    type Output = ();

    fn poll(mut self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> core::task::Poll<()> {
        if self.0 {
            core::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            core::task::Poll::Pending
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use embedded_hal::i2c::{ErrorKind, I2c, NoAcknowledgeSource};
    use embedded_hal::spi::{Operation, SpiDevice};

    const XTAL: u32 = 14_745_600;
    const ADDR: u8 = 0x48;

    fn sub(reg: u8, ch: u8) -> u8 {
        reg << 3 | ch << 1
    }

    fn write(sim: &mut Sc16is7xxSim, bytes: &[u8]) {
        I2c::write(sim, ADDR, bytes).unwrap();
    }

    fn read(sim: &mut Sc16is7xxSim, sub: u8) -> u8 {
        let mut value = [0];
        I2c::write_read(sim, ADDR, &[sub], &mut value).unwrap();
        value[0]
    }

    /// 115200 8N1 at 14.7456 MHz with the sheet's §4.3 vectors.
    fn configured(variant: SimVariant) -> Sc16is7xxSim {
        let mut sim = Sc16is7xxSim::new(variant, fugit::HertzU32::from_raw(XTAL));
        for bytes in [[0x18, 0x83], [0x00, 0x08], [0x08, 0x00], [0x18, 0x03]] {
            write(&mut sim, &bytes);
        }
        sim
    }

    fn enhanced(sim: &mut Sc16is7xxSim) {
        write(sim, &[0x18, 0xBF]);
        write(sim, &[0x10, 0x10]);
        write(sim, &[0x18, 0x03]);
    }

    #[test]
    fn worked_vectors_give_115200_8n1() {
        let mut sim = configured(SimVariant::Sc16is740);
        assert_eq!(sim.divisor(0), 8);
        assert_eq!(sim.prescaler(0), 1);
        assert_eq!(sim.baud_rate(0), 115_200);
        assert_eq!(sim.reg(0, Reg::Lcr), 0x03);
        assert_eq!(sim.lcr_switches(), 2);
        assert_eq!(sim.stray_accesses(), 0);
        write(&mut sim, &[0x10, 0x07]);
        assert_eq!(sim.reg(0, Reg::Fcr), 0x01);
        assert_eq!(read(&mut sim, 0x10), 0xC1);
        assert_eq!(sim.transactions(), 6);
    }

    #[test]
    fn reset_values() {
        let sim = Sc16is7xxSim::new(SimVariant::Sc16is750, fugit::HertzU32::from_raw(XTAL));
        let expect = [
            (Reg::Lcr, 0x1D),
            (Reg::Ier, 0),
            (Reg::Iir, 0x01),
            (Reg::Fcr, 0),
            (Reg::Mcr, 0),
            (Reg::Lsr, 0x60),
            (Reg::Spr, 0xFF),
            (Reg::Txlvl, 64),
            (Reg::Rxlvl, 0),
            (Reg::Efr, 0),
            (Reg::Dll, 0),
            (Reg::Dlh, 0),
        ];
        for (r, value) in expect {
            assert_eq!(sim.reg(0, r), value, "{r:?}");
        }
        assert_eq!(sim.baud_rate(0), 0);
    }

    #[test]
    fn lcr_gates_the_register_sets() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x08, 0x05]); // IER with LCR[7] = 0
        write(&mut sim, &[0x18, 0x83]);
        write(&mut sim, &[0x00, 0x60]); // DLL, not THR
        assert_eq!(sim.reg(0, Reg::Dll), 0x60);
        assert_eq!(sim.reg(0, Reg::Txlvl), 64);
        assert_eq!(read(&mut sim, 0x08), 0x00); // DLH, not IER
        assert_eq!(read(&mut sim, 0x38), 0xFF); // SPR still reachable (16C550 convention)
        assert_eq!(read(&mut sim, 0x40), 0); // TXLVL: stray while LCR[7] = 1
        assert_eq!(sim.stray_accesses(), 1);

        write(&mut sim, &[0x18, 0xBF]);
        write(&mut sim, &[0x10, 0x10]); // EFR
        write(&mut sim, &[0x20, 0x11]); // XON1
        write(&mut sim, &[0x28, 0x13]); // XON2
        write(&mut sim, &[0x30, 0x15]); // XOFF1
        write(&mut sim, &[0x38, 0x17]); // XOFF2
        assert_eq!(read(&mut sim, 0x10), 0x10);
        write(&mut sim, &[0x00, 0x55]); // DLL/THR: unreachable at 0xBF
        assert_eq!(read(&mut sim, 0x08), 0); // IER: unreachable
        assert_eq!(sim.stray_accesses(), 3);
        assert_eq!(sim.reg(0, Reg::Dll), 0x60);
        assert_eq!(sim.reg(0, Reg::Ier), 0x05);
        assert_eq!(
            [Reg::Efr, Reg::Xon1, Reg::Xon2, Reg::Xoff1, Reg::Xoff2].map(|r| sim.reg(0, r)),
            [0x10, 0x11, 0x13, 0x15, 0x17]
        );
        write(&mut sim, &[0x18, 0x03]);
        assert_eq!(sim.reg(0, Reg::Spr), 0xFF);
        assert_eq!(sim.reg(0, Reg::Mcr), 0);
        assert_eq!(read(&mut sim, 0x08), 0x05);
        assert_eq!(sim.baud_rate(0), 14_745_600 / 16 / 0x60);
    }

    #[test]
    fn efr4_gates_enhanced_bits() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x08, 0xFF]);
        assert_eq!(sim.reg(0, Reg::Ier), 0x0F);
        write(&mut sim, &[0x20, 0xFF]);
        assert_eq!(sim.reg(0, Reg::Mcr), 0x1B);
        write(&mut sim, &[0x10, 0x31]);
        assert_eq!(sim.reg(0, Reg::Fcr), 0x01);
        assert_eq!(sim.gated_writes_dropped(), 3);
        write(&mut sim, &[0x08, 0x0F]); // gated bits unchanged: nothing dropped
        assert_eq!(sim.gated_writes_dropped(), 3);

        enhanced(&mut sim);
        write(&mut sim, &[0x08, 0xF0]);
        assert_eq!(sim.reg(0, Reg::Ier), 0xF0);
        write(&mut sim, &[0x20, 0x80]);
        assert_eq!(sim.prescaler(0), 4);
        assert_eq!(sim.baud_rate(0), 28_800);
        assert_eq!(sim.gated_writes_dropped(), 3);
    }

    #[test]
    fn fcr_is_write_only_under_iir() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x10, 0xC1]);
        assert_eq!(sim.reg(0, Reg::Fcr), 0xC1);
        assert_eq!(read(&mut sim, 0x10), 0xC1); // IIR: FIFOs on, nothing pending
        write(&mut sim, &[0x10, 0x00]);
        assert_eq!(read(&mut sim, 0x10), 0x01);
        // the resets self-clear and empty the FIFOs
        sim.set_chars_per_transaction(0);
        write(&mut sim, &[0x00, 1, 2, 3]);
        sim.receive(0, &[9, 9]);
        sim.deliver_now(0);
        write(&mut sim, &[0x10, 0x07]);
        assert_eq!(sim.reg(0, Reg::Fcr), 0x01);
        assert_eq!(sim.reg(0, Reg::Txlvl), 64);
        assert_eq!(sim.reg(0, Reg::Rxlvl), 0);
    }

    #[test]
    fn tcr_tlr_overlay_needs_mcr2_and_efr4() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x30, 0x6C]); // MSR: read-only, ignored
        write(&mut sim, &[0x38, 0x42]); // SPR
        assert_eq!(sim.reg(0, Reg::Tcr), 0);
        assert_eq!(sim.reg(0, Reg::Spr), 0x42);
        write(&mut sim, &[0x20, 0x04]); // MCR[2] without EFR[4]: dropped
        assert_eq!(sim.reg(0, Reg::Mcr), 0);
        enhanced(&mut sim);
        write(&mut sim, &[0x20, 0x04]);
        write(&mut sim, &[0x30, 0x6C]);
        write(&mut sim, &[0x38, 0x24]);
        assert_eq!(sim.reg(0, Reg::Tcr), 0x6C);
        assert_eq!(sim.reg(0, Reg::Tlr), 0x24);
        assert_eq!(sim.reg(0, Reg::Spr), 0x42);
        assert_eq!(read(&mut sim, 0x30), 0x6C);
        // TLR overrides FCR's trigger levels: RX 8, TX 16
        assert_eq!(sim.uart(0).rx_trigger(), 8);
        assert_eq!(sim.uart(0).tx_trigger(), 16);
        write(&mut sim, &[0x20, 0x00]);
        assert_eq!(read(&mut sim, 0x38), 0x42);
    }

    #[test]
    fn burst_thr_write_fills_the_fifo() {
        let mut sim = configured(SimVariant::Sc16is740);
        let mut burst = [0x55u8; 66];
        burst[0] = 0x00;
        write(&mut sim, &burst); // 65 characters: one too many
        assert_eq!(sim.reg(0, Reg::Txlvl), 0);
        assert_eq!(sim.tx_overflows(), 1);
        assert_eq!(sim.reg(0, Reg::Lsr) & 0x60, 0);
        // the next transaction lets one character time pass: one moves to the shift register
        assert_eq!(read(&mut sim, 0x40), 1);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 64);
        let mut line = [0; 100];
        assert_eq!(sim.take_transmitted(0, &mut line), 64);
        assert!(line[..64].iter().all(|b| *b == 0x55));
        assert_eq!(sim.transmitted_len(0), 0);
    }

    #[test]
    fn burst_rhr_read() {
        let mut sim = configured(SimVariant::Sc16is740);
        assert_eq!(sim.receive(0, b"hello"), 5);
        sim.deliver_now(0);
        assert_eq!(read(&mut sim, 0x48), 5);
        let mut data = [0; 5];
        I2c::write_read(&mut sim, ADDR, &[0x00], &mut data).unwrap();
        assert_eq!(&data, b"hello");
        assert_eq!(read(&mut sim, 0x48), 0);
        assert_eq!(read(&mut sim, 0x28) & 0x01, 0);
        assert_eq!(read(&mut sim, 0x00), 0); // empty FIFO reads 0
    }

    #[test]
    fn lsr_flags_follow_the_top_character() {
        let mut sim = configured(SimVariant::Sc16is740);
        sim.receive(0, b"a");
        sim.receive_with_fault(
            0,
            b'b',
            LineFault {
                parity: true,
                ..LineFault::default()
            },
        );
        sim.receive(0, b"c");
        sim.deliver_now(0);
        assert_eq!(read(&mut sim, 0x28), 0x80 | 0x60 | 0x01);
        assert_eq!(read(&mut sim, 0x00), b'a');
        assert_eq!(read(&mut sim, 0x28), 0x80 | 0x60 | 0x04 | 0x01);
        assert_eq!(read(&mut sim, 0x00), b'b');
        assert_eq!(read(&mut sim, 0x28), 0x60 | 0x01);
        sim.receive_with_fault(
            0,
            b'x',
            LineFault {
                break_: true,
                framing: true,
                ..LineFault::default()
            },
        );
        assert_eq!(read(&mut sim, 0x00), b'c');
        sim.deliver_now(0);
        assert_eq!(read(&mut sim, 0x28), 0x80 | 0x60 | 0x10 | 0x08 | 0x01);
        assert_eq!(read(&mut sim, 0x00), 0x00);
    }

    #[test]
    fn overrun_loses_the_character_and_clears_on_lsr_read() {
        let mut sim = configured(SimVariant::Sc16is740);
        let data: [u8; 70] = core::array::from_fn(|i| u8::try_from(i).unwrap());
        sim.receive(0, &data);
        sim.deliver_now(0);
        assert_eq!(sim.reg(0, Reg::Rxlvl), 64);
        assert_eq!(read(&mut sim, 0x28) & 0x02, 0x02);
        assert_eq!(read(&mut sim, 0x28) & 0x02, 0);
        let mut first = [0; 64];
        I2c::write_read(&mut sim, ADDR, &[0x00], &mut first).unwrap();
        assert_eq!(first[63], 63);
        // the line queue is bounded
        let many = [0u8; 300];
        assert_eq!(sim.receive(0, &many), 256);
        assert_eq!(sim.inbound_dropped(), 44);
    }

    #[test]
    fn temt_comes_one_character_after_thre() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x00, b'x']);
        assert_eq!(sim.reg(0, Reg::Lsr), 0x00);
        assert_eq!(read(&mut sim, 0x28), 0x20); // in the shift register
        assert_eq!(sim.transmitted_len(0), 0);
        assert_eq!(read(&mut sim, 0x28), 0x60); // gone
        assert_eq!(sim.transmitted_len(0), 1);
    }

    #[test]
    fn loopback_sends_to_the_own_receiver() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x20, 0x13]); // loopback, RTS, DTR
        assert_eq!(read(&mut sim, 0x30) & 0x30, 0x30);
        write(&mut sim, &[0x00, b'o', b'k']);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 0);
        let mut data = [0; 2];
        I2c::write_read(&mut sim, ADDR, &[0x00], &mut data).unwrap();
        assert_eq!(&data, b"ok");
    }

    #[test]
    fn connect_carries_characters_and_flags_mismatches() {
        let mut a = configured(SimVariant::Sc16is740);
        let mut b = configured(SimVariant::Sc16is750);
        write(&mut a, &[0x00, b'h', b'i']);
        write(&mut b, &[0x00, b'!']);
        a.settle();
        b.settle();
        Sc16is7xxSim::connect(&mut a, 0, &mut b, 0);
        b.deliver_now(0);
        a.deliver_now(0);
        assert_eq!(read(&mut b, 0x28), 0x61);
        assert_eq!(read(&mut b, 0x00), b'h');
        assert_eq!(read(&mut b, 0x00), b'i');
        assert_eq!(read(&mut a, 0x00), b'!');

        // b at 9600: framing error
        write(&mut b, &[0x18, 0x83]);
        write(&mut b, &[0x00, 96]);
        write(&mut b, &[0x18, 0x03]);
        write(&mut a, &[0x00, b'z']);
        a.settle();
        Sc16is7xxSim::connect(&mut a, 0, &mut b, 0);
        b.deliver_now(0);
        assert_eq!(read(&mut b, 0x28) & 0x9C, 0x88);
        assert_eq!(read(&mut b, 0x00), b'z');

        // same rate, 7E1 against 8N1: framing and parity; the character is cut to 7 bits
        write(&mut b, &[0x18, 0x83]);
        write(&mut b, &[0x00, 8]);
        write(&mut b, &[0x18, 0x03]);
        write(&mut a, &[0x18, 0x1A]);
        write(&mut a, &[0x00, 0xFF]);
        a.settle();
        Sc16is7xxSim::connect(&mut a, 0, &mut b, 0);
        b.deliver_now(0);
        assert_eq!(read(&mut b, 0x28) & 0x9C, 0x8C);
        assert_eq!(read(&mut b, 0x00), 0x7F);

        // a break
        write(&mut a, &[0x18, 0x43]);
        write(&mut a, &[0x18, 0x03]);
        Sc16is7xxSim::connect(&mut a, 0, &mut b, 0);
        b.deliver_now(0);
        assert_eq!(read(&mut b, 0x28) & 0x9C, 0x98);
        assert_eq!(read(&mut b, 0x00), 0);
    }

    #[test]
    fn software_reset_is_nacked_on_i2c_and_resets_everything() {
        let mut sim = configured(SimVariant::Sc16is752);
        enhanced(&mut sim);
        write(&mut sim, &[0x38, 0x12]);
        write(&mut sim, &[0x3A, 0x34]);
        write(&mut sim, &[0x08, 0x0F]);
        write(&mut sim, &[0x50, 0xFF]);
        write(&mut sim, &[0x00, 1, 2, 3]);
        assert_eq!(
            I2c::write(&mut sim, ADDR, &[0x70, 0x08]),
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))
        );
        assert_eq!(sim.software_resets(), 1);
        for ch in 0..2 {
            assert_eq!(sim.reg(ch, Reg::Lcr), 0x1D);
            assert_eq!(sim.reg(ch, Reg::Spr), 0xFF);
            assert_eq!(sim.reg(ch, Reg::Ier), 0);
            assert_eq!(sim.reg(ch, Reg::Efr), 0);
            assert_eq!(sim.reg(ch, Reg::Lsr), 0x60);
            assert_eq!(sim.reg(ch, Reg::Txlvl), 64);
            assert_eq!(sim.reg(ch, Reg::Iir), 0x01);
            assert_eq!(sim.divisor(ch), 0);
        }
        assert_eq!(sim.reg(0, Reg::IoDir), 0);
        assert_eq!(sim.reg(0, Reg::IoControl), 0);
        // over SPI the same write is acknowledged
        sim.poke(0, Reg::Spr, 0);
        SpiDevice::write(&mut sim, &[0x70, 0x08]).unwrap();
        assert_eq!(sim.software_resets(), 2);
        assert_eq!(sim.reg(0, Reg::Spr), 0xFF);
    }

    #[test]
    fn spi_frames_and_the_read_bit() {
        let mut sim = configured(SimVariant::Sc16is740);
        SpiDevice::write(&mut sim, &[0x38, 0x5A]).unwrap();
        assert_eq!(sim.reg(0, Reg::Spr), 0x5A);
        let mut answer = [0; 2];
        SpiDevice::transfer(&mut sim, &mut answer, &[0xB8, 0x00]).unwrap();
        assert_eq!(answer[1], 0x5A);
        let mut in_place = [0xA8, 0x00, 0xC0, 0x00];
        SpiDevice::transfer_in_place(&mut sim, &mut in_place).unwrap();
        assert_eq!(in_place[1], 0x60); // LSR
        assert_eq!(in_place[3], 0x60); // still LSR: the header is not re-read
                                       // a burst read from RHR: header, then clocked bytes
        sim.receive(0, b"spi!");
        sim.deliver_now(0);
        let mut data = [0; 4];
        SpiDevice::transaction(
            &mut sim,
            &mut [
                Operation::Write(&[0x80]),
                Operation::DelayNs(100),
                Operation::Read(&mut data),
            ],
        )
        .unwrap();
        assert_eq!(&data, b"spi!");
        // a write frame to THR with no data is counted
        SpiDevice::write(&mut sim, &[0x00]).unwrap();
        assert_eq!(sim.empty_thr_writes(), 1);
        // malformed frames
        assert_eq!(SpiDevice::transaction(&mut sim, &mut []), Err(spi::ErrorKind::Other));
        assert_eq!(
            SpiDevice::transaction(&mut sim, &mut [Operation::DelayNs(5)]),
            Err(spi::ErrorKind::Other)
        );
        assert_eq!(SpiDevice::write(&mut sim, &[0x3A, 0x00]), Err(spi::ErrorKind::Other));
    }

    #[test]
    fn channel_b_on_752_and_nack_on_740() {
        let mut dual = configured(SimVariant::Sc16is752);
        write(&mut dual, &[sub(0x7, 1), 0x77]);
        assert_eq!(dual.reg(1, Reg::Spr), 0x77);
        assert_eq!(dual.reg(0, Reg::Spr), 0xFF);
        assert_eq!(read(&mut dual, sub(0x7, 1)), 0x77);
        assert_eq!(
            I2c::write(&mut dual, ADDR, &[sub(0x7, 2), 0]),
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))
        );
        let mut single = configured(SimVariant::Sc16is740);
        assert_eq!(
            I2c::write(&mut single, ADDR, &[sub(0x7, 1), 0x77]),
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))
        );
        assert_eq!(single.reg(1, Reg::Spr), 0xFF);
        // another address, an empty transaction, a read with no sub-address
        assert_eq!(
            I2c::write(&mut single, 0x49, &[0x38, 0]),
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address))
        );
        assert_eq!(I2c::write(&mut single, ADDR, &[]), Ok(()));
        assert_eq!(I2c::transaction(&mut single, ADDR, &mut []), Ok(()));
        let mut byte = [0];
        assert_eq!(I2c::read(&mut single, ADDR, &mut byte), Err(ErrorKind::Other));
        let moved = Sc16is7xxSim::new(SimVariant::Sc16is740, fugit::HertzU32::from_raw(XTAL)).with_i2c_address(0x57);
        let mut moved = moved;
        assert_eq!(I2c::write(&mut moved, 0x57, &[0x38, 1]), Ok(()));
    }

    #[test]
    fn gpio_on_750_and_not_on_740() {
        let mut sim = configured(SimVariant::Sc16is750);
        write(&mut sim, &[0x50, 0x0F]); // IODir: IO3..0 outputs
        write(&mut sim, &[0x58, 0x05]); // IOState
        assert_eq!(sim.gpio_output_levels(), 0x05);
        assert_eq!(sim.gpio_output_mask(), 0x0F);
        sim.set_gpio_inputs(0xA0);
        assert_eq!(read(&mut sim, 0x58), 0xA5);
        // the order mistake: IOState before IODir does not drive the pin
        write(&mut sim, &[0x58, 0x35]);
        write(&mut sim, &[0x50, 0x3F]);
        assert_eq!(sim.gpio_output_levels(), 0x05);
        // pin-change interrupt, cleared by an IOState read
        write(&mut sim, &[0x60, 0x80]);
        sim.set_gpio_inputs(0x20);
        assert_eq!(read(&mut sim, 0x10), 0x30);
        assert!(sim.irq_asserted(0));
        let _ = read(&mut sim, 0x58);
        assert_eq!(read(&mut sim, 0x10), 0x01);
        // modem pins: IO6 low -> CD, IO7 and IO4 high; DTR (IO5) driven high while MCR[0] = 0
        write(&mut sim, &[0x70, 0x02]);
        sim.set_gpio_inputs(0x90);
        assert_eq!(read(&mut sim, 0x30) & 0xE0, 0x80);
        assert_eq!(sim.gpio_output_levels() & 0x20, 0x20);
        write(&mut sim, &[0x20, 0x01]);
        assert_eq!(sim.gpio_output_levels() & 0x20, 0);

        let mut bare = configured(SimVariant::Sc16is740);
        write(&mut bare, &[0x50, 0xFF]);
        assert_eq!(read(&mut bare, 0x58), 0);
        assert_eq!(bare.gpio_output_levels(), 0);
        assert_eq!(bare.stray_accesses(), 2);
    }

    #[test]
    fn iir_priorities_and_thr_acknowledge() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x08, 0x07]); // RX data, THR, line status
        assert_eq!(read(&mut sim, 0x10), 0x02); // THR empty
        assert_eq!(read(&mut sim, 0x10), 0x01); // acknowledged by the read
        assert!(!sim.irq_asserted(0));
        sim.receive(0, &[0; 8]);
        sim.deliver_now(0);
        assert_eq!(read(&mut sim, 0x10), 0x04); // trigger level 8 reached
        sim.receive_with_fault(
            0,
            1,
            LineFault {
                framing: true,
                ..LineFault::default()
            },
        );
        let mut drain = [0; 8];
        I2c::write_read(&mut sim, ADDR, &[0x00], &mut drain).unwrap();
        sim.deliver_now(0);
        assert_eq!(read(&mut sim, 0x10), 0x06); // line status beats everything
        let _ = read(&mut sim, 0x00);
        assert_eq!(read(&mut sim, 0x10), 0x01);
        write(&mut sim, &[0x00, b'a']); // re-arms THR
        sim.settle();
        assert!(sim.irq_pin_low());
        assert_eq!(read(&mut sim, 0x10), 0x02);
        assert!(!sim.irq_pin_low());
    }

    #[test]
    fn rx_timeout_and_the_erratum() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x08, 0x01]);
        sim.force_rx_timeout_erratum(0);
        assert!(sim.irq_asserted(0));
        assert_eq!(read(&mut sim, 0x10), 0x0C);
        assert_eq!(read(&mut sim, 0x48), 0);
        assert_eq!(read(&mut sim, 0x00), 0); // one RHR read clears it
        assert_eq!(read(&mut sim, 0x10), 0x01);
        // below the trigger level, 4 quiet character times raise the time-out
        sim.receive(0, b"abc");
        sim.advance(3);
        assert_eq!(sim.reg(0, Reg::Iir), 0x01);
        sim.advance(4);
        assert_eq!(sim.reg(0, Reg::Iir), 0x0C);
        assert_eq!(read(&mut sim, 0x00), b'a');
        assert_eq!(sim.reg(0, Reg::Iir), 0x01);
        sim.idle(0);
        assert_eq!(sim.reg(0, Reg::Iir), 0x0C);
    }

    #[test]
    fn txlvl_glitch_reads_once() {
        let mut sim = configured(SimVariant::Sc16is740);
        sim.set_txlvl_glitch(0, Some(255));
        assert_eq!(read(&mut sim, 0x40), 255);
        assert_eq!(read(&mut sim, 0x40), 64);
    }

    #[test]
    fn auto_cts_holds_the_transmitter_and_auto_rts_follows_tcr() {
        let mut sim = configured(SimVariant::Sc16is740);
        enhanced(&mut sim);
        write(&mut sim, &[0x20, 0x04]); // TCR/TLR on
        write(&mut sim, &[0x30, 0x12]); // halt 8, resume 4
        write(&mut sim, &[0x18, 0xBF]);
        write(&mut sim, &[0x10, 0xD0]); // auto-CTS, auto-RTS, EFR[4]
        write(&mut sim, &[0x18, 0x03]);
        write(&mut sim, &[0x00, b'x']);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 0);
        sim.set_cts(0, true);
        assert_eq!(sim.reg(0, Reg::Msr) & 0x11, 0x11); // 0x6 is TCR here
        write(&mut sim, &[0x20, 0x00]);
        assert_eq!(read(&mut sim, 0x30) & 0x11, 0x11);
        assert_eq!(read(&mut sim, 0x30) & 0x11, 0x10);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 1);
        assert!(sim.rts_asserted(0));
        sim.receive(0, &[0; 8]);
        sim.deliver_now(0);
        assert!(!sim.rts_asserted(0));
        let mut some = [0; 4];
        I2c::write_read(&mut sim, ADDR, &[0x00], &mut some).unwrap();
        assert!(sim.rts_asserted(0));
    }

    #[test]
    fn xoff_pauses_and_special_character_interrupts() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x18, 0xBF]);
        write(&mut sim, &[0x20, 0x11]); // XON1
        write(&mut sim, &[0x30, 0x13]); // XOFF1
        write(&mut sim, &[0x38, b'#']); // XOFF2 = special character
        write(&mut sim, &[0x10, 0x32]); // special char, EFR[4], compare Xon1/Xoff1
        write(&mut sim, &[0x18, 0x03]);
        write(&mut sim, &[0x08, 0x20]);
        sim.receive(0, &[0x13]);
        sim.deliver_now(0);
        assert!(sim.tx_held_by_xoff(0));
        assert_eq!(sim.reg(0, Reg::Rxlvl), 0);
        assert_eq!(read(&mut sim, 0x10), 0x10);
        write(&mut sim, &[0x00, b'q']);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 0);
        sim.receive(0, &[0x11, b'#']);
        sim.deliver_now(0);
        assert!(!sim.tx_held_by_xoff(0));
        assert_eq!(sim.reg(0, Reg::Rxlvl), 1);
        assert_eq!(read(&mut sim, 0x10), 0x10);
        assert_eq!(read(&mut sim, 0x10), 0x01);
        sim.settle();
        assert_eq!(sim.transmitted_len(0), 1);
    }

    #[test]
    fn sleep_and_divisor_writes() {
        let mut sim = configured(SimVariant::Sc16is740);
        enhanced(&mut sim);
        write(&mut sim, &[0x08, 0x10]);
        assert!(sim.is_asleep(0));
        write(&mut sim, &[0x18, 0x83]);
        write(&mut sim, &[0x00, 0x10]);
        write(&mut sim, &[0x18, 0x03]);
        assert_eq!(sim.divisor_writes_while_asleep(), 1);
        sim.receive(0, b"w");
        assert!(!sim.is_asleep(0));
    }

    #[test]
    fn rs485_direction_on_rts() {
        let mut sim = configured(SimVariant::Sc16is740);
        write(&mut sim, &[0x78, 0x10]);
        assert!(!sim.rts_asserted(0));
        write(&mut sim, &[0x00, 1, 2]);
        assert!(sim.rts_asserted(0));
        sim.settle();
        assert!(!sim.rts_asserted(0));
        write(&mut sim, &[0x78, 0x30]);
        assert!(sim.rts_asserted(0));
    }

    #[test]
    fn counting_bus_counts_i2c_and_spi() {
        let mut bus = CountingBus::new(configured(SimVariant::Sc16is740));
        let mut lsr = [0];
        I2c::write_read(&mut bus, ADDR, &[0x28], &mut lsr).unwrap();
        assert_eq!(
            bus.traffic(),
            Traffic {
                transactions: 1,
                written: 1,
                read: 1
            }
        );
        bus.reset_traffic();
        let mut data = [0; 16];
        SpiDevice::transaction(&mut bus, &mut [Operation::Write(&[0x80]), Operation::Read(&mut data)]).unwrap();
        assert_eq!(
            bus.traffic(),
            Traffic {
                transactions: 1,
                written: 1,
                read: 16
            }
        );
        let sim = bus.into_inner();
        assert_eq!(sim.transactions(), 6);
    }

    #[test]
    fn shared_sim_refuses_a_borrowed_model() {
        let chip = RefCell::new(configured(SimVariant::Sc16is740));
        let mut bus = SharedSim(&chip);
        I2c::write(&mut bus, ADDR, &[0x38, 0x01]).unwrap();
        SpiDevice::write(&mut bus, &[0x38, 0x02]).unwrap();
        assert_eq!(chip.borrow().reg(0, Reg::Spr), 0x02);
        let held = chip.borrow();
        assert_eq!(I2c::write(&mut bus, ADDR, &[0x38, 0x03]), Err(ErrorKind::Other));
        assert_eq!(SpiDevice::write(&mut bus, &[0x38, 0x03]), Err(spi::ErrorKind::Other));
        drop(held);
        let mut pin = SimIrqPin::new(&chip, 0);
        assert_eq!(digital::InputPin::is_high(&mut pin), Ok(true));
    }

    #[test]
    fn faulty_bus_fails_where_it_is_told() {
        let mut bus = FaultyBus::new(configured(SimVariant::Sc16is740));
        // Partway(2): the sub-address and 1 byte of a THR burst reach the chip
        bus.fail_nth(1, FaultPoint::Partway(2));
        I2c::write(&mut bus, ADDR, &[sub(0x7, 0), 0x11]).unwrap();
        let e = I2c::write(&mut bus, ADDR, &[sub(0x0, 0), b'a', b'b', b'c']).unwrap_err();
        assert_eq!(
            e,
            FaultyBusError::Injected(FaultKind::I2c(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)))
        );
        assert_eq!(bus.inner().reg(0, Reg::Txlvl), 63);
        assert_eq!(bus.inner().reg(0, Reg::Spr), 0x11);
        // AfterChip on a read: the RHR byte is popped, the host sees the error
        bus.inner_mut().receive(0, b"xy");
        bus.inner_mut().deliver_now(0);
        bus.set_error_kind(ErrorKind::ArbitrationLoss);
        bus.fail_nth(0, FaultPoint::AfterChip);
        let mut byte = [0];
        let e = I2c::write_read(&mut bus, ADDR, &[sub(0x0, 0)], &mut byte).unwrap_err();
        assert_eq!(i2c::Error::kind(&e), ErrorKind::ArbitrationLoss);
        assert_eq!(bus.inner().reg(0, Reg::Rxlvl), 1);
        // BeforeChip on a read: nothing popped
        bus.fail_nth(0, FaultPoint::BeforeChip);
        assert!(I2c::write_read(&mut bus, ADDR, &[sub(0x0, 0)], &mut byte).is_err());
        assert_eq!(bus.inner().reg(0, Reg::Rxlvl), 1);
        // stuck: every byte read is that byte, the chip still acts
        bus.stuck_at(Some(0x5A));
        I2c::write_read(&mut bus, ADDR, &[sub(0x0, 0)], &mut byte).unwrap();
        assert_eq!(byte, [0x5A]);
        assert_eq!(bus.inner().reg(0, Reg::Rxlvl), 0);
        bus.stuck_at(None);
        I2c::write_read(&mut bus, ADDR, &[sub(0x7, 0)], &mut byte).unwrap();
        assert_eq!(byte, [0x11]);
        assert_eq!((bus.transactions(), bus.faults()), (6, 3));
        // the wrapped bus's own error passes through
        let e = I2c::write(&mut bus, 0x49, &[0x38, 0]).unwrap_err();
        assert_eq!(
            e,
            FaultyBusError::Bus(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address))
        );
    }

    #[test]
    fn faulty_bus_random_faults_are_deterministic_and_stop() {
        let run = |seed: u64| {
            let mut bus = FaultyBus::new(configured(SimVariant::Sc16is740));
            bus.fail_randomly(seed, 300);
            let outcomes: [bool; 64] =
                core::array::from_fn(|_| I2c::write(&mut bus, ADDR, &[sub(0x7, 0), 0x22]).is_err());
            bus.stop_failing();
            assert!(I2c::write(&mut bus, ADDR, &[sub(0x7, 0), 0x22]).is_ok());
            (outcomes, bus.faults())
        };
        let (a, faults) = run(7);
        assert_eq!(run(7).0, a);
        assert_ne!(run(8).0, a);
        assert!((5..=40).contains(&faults), "{faults} of 64 at 30 %");
    }

    #[test]
    fn faulty_bus_on_spi() {
        let mut bus = FaultyBus::new(configured(SimVariant::Sc16is740));
        bus.fail_nth(0, FaultPoint::Partway(1));
        let e = SpiDevice::write(&mut bus, &[sub(0x7, 0), 0x33]).unwrap_err();
        assert_eq!(spi::Error::kind(&e), spi::ErrorKind::Other);
        assert_eq!(
            i2c::Error::kind(&FaultyBusError::<ErrorKind>::Injected(FaultKind::Spi(
                spi::ErrorKind::Other
            ))),
            ErrorKind::Other
        );
        assert_ne!(bus.inner().reg(0, Reg::Spr), 0x33);
        bus.set_error_kind(spi::ErrorKind::ModeFault);
        bus.fail_nth(0, FaultPoint::AfterChip);
        let e = SpiDevice::write(&mut bus, &[sub(0x7, 0), 0x33]).unwrap_err();
        assert_eq!(spi::Error::kind(&e), spi::ErrorKind::ModeFault);
        assert_eq!(bus.inner().reg(0, Reg::Spr), 0x33);
        bus.stuck_at(Some(0));
        let mut byte = [9];
        SpiDevice::transaction(
            &mut bus,
            &mut [Operation::Write(&[0x80 | sub(0x7, 0)]), Operation::Read(&mut byte)],
        )
        .unwrap();
        assert_eq!(byte, [0]);
        assert_eq!(bus.into_inner().reg(0, Reg::Spr), 0x33);
    }

    #[cfg(feature = "async")]
    mod asynch {
        extern crate std;

        use super::*;
        use core::future::Future;
        use core::pin::pin;
        use core::task::{Context, Poll};
        use embedded_hal_async::digital::Wait;
        use std::sync::Arc;
        use std::task::Wake;

        struct Noop;
        impl Wake for Noop {
            fn wake(self: Arc<Self>) {}
        }

        /// The sim's futures never pend: one poll finishes them.
        fn block_on<F: Future>(future: F) -> F::Output {
            let waker = Arc::new(Noop).into();
            let mut context = Context::from_waker(&waker);
            let mut future = pin!(future);
            loop {
                if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                    return output;
                }
            }
        }

        #[test]
        fn faulty_bus_yields_before_and_after_the_chip() {
            let waker = Arc::new(Noop).into();
            let mut context = Context::from_waker(&waker);
            let mut bus = FaultyBus::new(configured(SimVariant::Sc16is740));
            bus.yield_around_transactions(true);
            {
                let bytes = [sub(0x7, 0), 0x44];
                let mut write = pin!(embedded_hal_async::i2c::I2c::write(&mut bus, ADDR, &bytes));
                assert!(write.as_mut().poll(&mut context).is_pending());
                assert!(write.as_mut().poll(&mut context).is_pending());
                assert_eq!(write.as_mut().poll(&mut context), Poll::Ready(Ok(())));
            }
            assert_eq!(bus.inner().reg(0, Reg::Spr), 0x44);
            {
                // dropped before the chip: nothing written
                let bytes = [sub(0x7, 0), 0x55];
                let mut write = pin!(embedded_hal_async::i2c::I2c::write(&mut bus, ADDR, &bytes));
                assert!(write.as_mut().poll(&mut context).is_pending());
            }
            assert_eq!(bus.inner().reg(0, Reg::Spr), 0x44);
            {
                // dropped after the chip: written
                let bytes = [sub(0x7, 0), 0x66];
                let mut write = pin!(embedded_hal_async::i2c::I2c::write(&mut bus, ADDR, &bytes));
                assert!(write.as_mut().poll(&mut context).is_pending());
                assert!(write.as_mut().poll(&mut context).is_pending());
            }
            assert_eq!(bus.inner().reg(0, Reg::Spr), 0x66);
            bus.yield_around_transactions(false);
            assert_eq!(
                block_on(embedded_hal_async::i2c::I2c::write(
                    &mut bus,
                    ADDR,
                    &[sub(0x7, 0), 0x77]
                )),
                Ok(())
            );
        }

        #[test]
        fn irq_pin_waits_by_running_the_model() {
            let chip = RefCell::new(configured(SimVariant::Sc16is752));
            I2c::write(&mut SharedSim(&chip), ADDR, &[sub(0x1, 1), 0x01]).unwrap();
            // channel B still has the reset format 6E2: 'a' would arrive as 0x21
            I2c::write(&mut SharedSim(&chip), ADDR, &[sub(0x3, 1), 0x03]).unwrap();
            let mut pin_b = SimIrqPin::new(&chip, 1);
            let mut shared = SimIrqPin::shared(&chip);
            assert_eq!(block_on(pin_b.wait_for_low()), Err(SimPinError::WouldWaitForever));
            chip.borrow_mut().receive(1, b"abc"); // below the trigger: the time-out brings the IRQ
            assert_eq!(block_on(shared.wait_for_falling_edge()), Ok(()));
            assert_eq!(chip.borrow().reg(1, Reg::Iir), 0x0C);
            assert_eq!(block_on(pin_b.wait_for_low()), Ok(()));
            assert_eq!(block_on(pin_b.wait_for_high()), Err(SimPinError::WouldWaitForever));
            let mut data = [0; 3];
            let mut bus = SharedSim(&chip);
            block_on(embedded_hal_async::i2c::I2c::write_read(
                &mut bus,
                ADDR,
                &[sub(0, 1)],
                &mut data,
            ))
            .unwrap();
            assert_eq!(&data, b"abc");
            assert_eq!(digital::InputPin::is_high(&mut shared), Ok(true));
            assert_eq!(block_on(pin_b.wait_for_any_edge()), Err(SimPinError::WouldWaitForever));
        }
    }
}
