//! A register-level model of the MCP25625 / MCP2515 that implements `SpiDevice`, and a CAN bus joining two of
//! them, for tests on a PC (ours and yours).
//!
//! The model runs the nine SPI instructions byte by byte within a CS frame (auto-increment, the
//! CANSTAT/CANCTRL mirrors in every row, BIT MODIFY acting as a plain write on registers that do not support it,
//! READ RX BUFFER clearing RXnIF as CS rises), the modes (configuration-only registers, sleep and wake-up into
//! listen-only, ABAT), the receive path (RXM, filters and masks with EXIDE and the two data bytes of standard
//! frames, rollover, overflow), the transmit path (priorities, loopback, one-shot), and fault confinement (TEC/REC,
//! EFLG, bus-off and its recovery after 128 × 11 recessive bits), and the RXnBF / TXnRTS pins
//! ([`rx_pin_high`](Mcp25625Sim::rx_pin_high), [`drive_tx_pin`](Mcp25625Sim::drive_tx_pin)).
//!
//! A lone [`Mcp25625Sim`] sends onto a "rest of the bus" that acknowledges every frame (or none, see
//! [`Mcp25625Sim::set_acknowledged`]) and records what was sent; [`inject`](Mcp25625Sim::inject) makes a frame
//! arrive from it. [`SimBus`] joins two chips: what one sends, the other receives, with arbitration by
//! identifier. Timing is not modelled: a frame is on the bus as soon as it is requested, and a mode change is
//! immediate unless [`set_mode_delay`](Mcp25625Sim::set_mode_delay) makes CANSTAT confirm it only some CS frames
//! later (CANCTRL.REQOP shows the request at once, [`requested_mode`](Mcp25625Sim::requested_mode)), or
//! [`refuse_mode_changes`](Mcp25625Sim::refuse_mode_changes) never. Received frames are numbered as they arrive
//! ([`rx_arrival`](Mcp25625Sim::rx_arrival)), so a test can see which buffer holds the older one after a rollover.
//!
//! [`FaultyBus`] wraps any of these buses and fails transactions on purpose (before the chip saw them, after, or
//! part way), answers a stuck byte, and yields around each transaction so async futures can be dropped anywhere.
//!
//! The model keeps its own instruction bytes, register addresses, bits and frame encoding, written from the
//! datasheet apart from the driver's `register.rs`, so that a wrong constant in the driver fails a test.
//!
//! ```
//! use embedded_can::{Frame as _, StandardId};
//! use fugit::RateExtU32;
//! use mcp25625::{sim::SimBus, BitTiming, Config, Frame, Mcp25625};
//! # use embedded_hal_mock::eh1::delay::NoopDelay;
//!
//! let bus = SimBus::new();
//! let config = Config::new(BitTiming::new(16.MHz(), 500.kHz())?);
//! let mut a = Mcp25625::new(bus.node(0));
//! let mut b = Mcp25625::new(bus.node(1));
//! a.init(&config, &mut NoopDelay)?;
//! b.init(&config, &mut NoopDelay)?;
//! a.send(&Frame::new(StandardId::new(0x123).unwrap(), &[1, 2, 3]).unwrap())?;
//! let frame = b.try_receive()?.unwrap();
//! assert_eq!(frame.data(), [1, 2, 3]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Register indices are masked to 0..=0x7F into 128-entry arrays; node indices are 0 or 1 into 2-entry arrays;
// identifier bits are masked or shifted into a byte before each `as u8`.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use core::cell::RefCell;

use embedded_can::Frame as _;
use embedded_hal::spi::{ErrorKind, ErrorType, Operation, SpiDevice};

use crate::{Frame, Mode};

const LOG: usize = 16;

/// The model's own instruction bytes, register addresses and bits, from the reference sheet (§2, §3), deliberately
/// not shared with the driver's `register.rs`: a wrong constant there must not be hidden by the model using it too.
mod k {
    pub const RESET: u8 = 0xC0;
    pub const READ: u8 = 0x03;
    pub const WRITE: u8 = 0x02;
    pub const READ_STATUS: u8 = 0xA0;
    pub const RX_STATUS: u8 = 0xB0;
    pub const BIT_MODIFY: u8 = 0x05;

    pub const BFPCTRL: u8 = 0x0C;
    pub const TXRTSCTRL: u8 = 0x0D;
    pub const CANSTAT: u8 = 0x0E;
    pub const CANCTRL: u8 = 0x0F;
    pub const TEC: u8 = 0x1C;
    pub const REC: u8 = 0x1D;
    pub const CANINTE: u8 = 0x2B;
    pub const CANINTF: u8 = 0x2C;
    pub const EFLG: u8 = 0x2D;
    pub const RXB0CTRL: u8 = 0x60;
    pub const RXB1CTRL: u8 = 0x70;

    pub const CANSTAT_RESET: u8 = 0x80;
    pub const CANCTRL_RESET: u8 = 0x87;

    pub const MODE_MASK: u8 = 0xE0;
    pub const CANCTRL_ABAT: u8 = 0x10;
    pub const CANCTRL_OSM: u8 = 0x08;

    pub const INT_MERR: u8 = 0x80;
    pub const INT_WAK: u8 = 0x40;
    pub const INT_ERR: u8 = 0x20;
    pub const INT_TX0: u8 = 0x04;
    pub const INT_RX1: u8 = 0x02;
    pub const INT_RX0: u8 = 0x01;

    pub const EFLG_RX1OVR: u8 = 0x80;
    pub const EFLG_RX0OVR: u8 = 0x40;
    pub const EFLG_TXBO: u8 = 0x20;
    pub const EFLG_TXEP: u8 = 0x10;
    pub const EFLG_RXEP: u8 = 0x08;
    pub const EFLG_TXWAR: u8 = 0x04;
    pub const EFLG_RXWAR: u8 = 0x02;
    pub const EFLG_EWARN: u8 = 0x01;

    pub const TXB_ABTF: u8 = 0x40;
    pub const TXB_MLOA: u8 = 0x20;
    pub const TXB_TXERR: u8 = 0x10;
    pub const TXB_TXREQ: u8 = 0x08;

    pub const RXB_RXM_MASK: u8 = 0x60;
    pub const RXB_RXM_ANY: u8 = 0x60;
    pub const RXB0_BUKT: u8 = 0x04;
    pub const RXB_RXRTR: u8 = 0x08;
    pub const RXB1_FILHIT_MASK: u8 = 0x07;

    pub const SIDL_EXIDE: u8 = 0x08;
    pub const SIDL_SRR: u8 = 0x10;
    pub const DLC_RTR: u8 = 0x40;
    pub const DLC_MASK: u8 = 0x0F;

    pub const STATUS_TX0REQ: u8 = 0x04;
    pub const STATUS_TX0IF: u8 = 0x08;

    pub const BFPCTRL_B0BFM: u8 = 0x01;
    pub const BFPCTRL_B0BFE: u8 = 0x04;
    pub const BFPCTRL_B0BFS: u8 = 0x10;

    pub const MODE_NORMAL: u8 = 0x00;
    pub const MODE_SLEEP: u8 = 0x20;
    pub const MODE_LOOPBACK: u8 = 0x40;
    pub const MODE_LISTEN_ONLY: u8 = 0x60;
    pub const MODE_CONFIGURATION: u8 = 0x80;

    pub const fn txb_ctrl(n: u8) -> u8 {
        0x30 + ((n % 3) << 4)
    }

    pub const fn rxf_sidh(n: u8) -> u8 {
        match n % 6 {
            0 => 0x00,
            1 => 0x04,
            2 => 0x08,
            3 => 0x10,
            4 => 0x14,
            _ => 0x18,
        }
    }

    pub const fn rxm_sidh(n: u8) -> u8 {
        if n & 1 == 0 {
            0x20
        } else {
            0x24
        }
    }

    /// The shaded registers of the datasheet's Table 11-1: BFPCTRL, TXRTSCTRL, CANCTRL (and its mirrors), CNF1..3,
    /// CANINTE, CANINTF, EFLG, TXBnCTRL, RXBnCTRL.
    pub const fn bit_modifiable(address: u8) -> bool {
        matches!(
            address,
            0x0C | 0x0D | 0x28 | 0x29 | 0x2A | 0x2B | 0x2C | 0x2D | 0x30 | 0x40 | 0x50 | 0x60 | 0x70
        ) || address & 0x0F == 0x0F
    }
}

fn mode_code(mode: Mode) -> u8 {
    match mode {
        Mode::Normal => k::MODE_NORMAL,
        Mode::Sleep => k::MODE_SLEEP,
        Mode::Loopback => k::MODE_LOOPBACK,
        Mode::ListenOnly => k::MODE_LISTEN_ONLY,
        Mode::Configuration => k::MODE_CONFIGURATION,
    }
}

fn mode_from_code(value: u8) -> Option<Mode> {
    match value & k::MODE_MASK {
        k::MODE_NORMAL => Some(Mode::Normal),
        k::MODE_SLEEP => Some(Mode::Sleep),
        k::MODE_LOOPBACK => Some(Mode::Loopback),
        k::MODE_LISTEN_ONLY => Some(Mode::ListenOnly),
        k::MODE_CONFIGURATION => Some(Mode::Configuration),
        _ => None,
    }
}

/// SIDH, SIDL, EID8, EID0, DLC, D0..D7 of `frame` as a TX buffer holds it (RTR in DLC bit 6 for both formats).
fn frame_to_regs(frame: &Frame) -> [u8; 13] {
    let mut bytes = [0u8; 13];
    match frame.id() {
        embedded_can::Id::Standard(id) => {
            let id = id.as_raw();
            bytes[0] = (id >> 3) as u8;
            bytes[1] = ((id & 7) << 5) as u8;
        }
        embedded_can::Id::Extended(id) => {
            let id = id.as_raw();
            bytes[0] = (id >> 21) as u8;
            bytes[1] = (((id >> 18) & 7) << 5) as u8 | k::SIDL_EXIDE | ((id >> 16) & 3) as u8;
            bytes[2] = (id >> 8) as u8;
            bytes[3] = id as u8;
        }
    }
    bytes[4] = (frame.dlc() as u8 & k::DLC_MASK) | if frame.is_remote_frame() { k::DLC_RTR } else { 0 };
    for (slot, byte) in bytes[5..].iter_mut().zip(frame.data()) {
        *slot = *byte;
    }
    bytes
}

/// The frame in 13 buffer registers as an RX buffer holds it (remote: SIDL.SRR for standard, DLC.RTR for
/// extended).
fn regs_to_frame(bytes: &[u8; 13]) -> Frame {
    let extended = bytes[1] & k::SIDL_EXIDE != 0;
    let id: embedded_can::Id = if extended {
        let raw = u32::from(bytes[0]) << 21
            | u32::from(bytes[1] >> 5) << 18
            | u32::from(bytes[1] & 3) << 16
            | u32::from(bytes[2]) << 8
            | u32::from(bytes[3]);
        embedded_can::ExtendedId::new(raw)
            .unwrap_or(embedded_can::ExtendedId::ZERO)
            .into()
    } else {
        let raw = u16::from(bytes[0]) << 3 | u16::from(bytes[1] >> 5);
        embedded_can::StandardId::new(raw)
            .unwrap_or(embedded_can::StandardId::ZERO)
            .into()
    };
    let remote = if extended {
        bytes[4] & k::DLC_RTR != 0
    } else {
        bytes[1] & k::SIDL_SRR != 0
    };
    let dlc = usize::from(bytes[4] & k::DLC_MASK).min(8);
    let frame = if remote {
        Frame::new_remote(id, dlc)
    } else {
        Frame::new(id, &bytes[5..5 + dlc])
    };
    frame.unwrap_or_else(|| Frame::new(id, &[]).unwrap_or_else(|| unreachable!()))
}

/// Where the byte machine is inside one CS frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Phase {
    Instruction,
    ReadAddress,
    Read(u8),
    WriteAddress,
    Write(u8),
    ReadRx(u8),
    LoadTx(u8),
    Status(u8),
    ModifyAddress,
    ModifyMask(u8),
    ModifyData(u8, u8),
    Ignore,
}

/// The simulated chip.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp25625Sim {
    regs: [u8; 128],
    phase: Phase,
    /// READ RX BUFFER of this buffer ran in the current frame.
    rx_read: Option<u8>,
    tec: u16,
    rec: u16,
    recessive_sequences: u16,
    acknowledged: bool,
    refuse_mode_changes: bool,
    /// How many CS frames a mode request stays unconfirmed (CANSTAT still shows the old mode).
    mode_delay: u32,
    /// A requested mode and how many more CS frames it waits.
    pending_mode: Option<(Mode, u32)>,
    /// Arrival number of the frame in RXB0 and RXB1 (while RXnIF is set).
    arrival: [u32; 2],
    arrivals: u32,
    sent: [Option<Frame>; LOG],
    sent_count: usize,
    txreq_writes: u32,
    resets: u32,
    frames: u32,
}

impl Default for Mcp25625Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Mcp25625Sim {
    /// A chip just powered up: configuration mode, every register at its reset value.
    pub fn new() -> Self {
        let mut sim = Self {
            regs: [0; 128],
            phase: Phase::Instruction,
            rx_read: None,
            tec: 0,
            rec: 0,
            recessive_sequences: 0,
            acknowledged: true,
            refuse_mode_changes: false,
            mode_delay: 0,
            pending_mode: None,
            arrival: [0; 2],
            arrivals: 0,
            sent: [None; LOG],
            sent_count: 0,
            txreq_writes: 0,
            resets: 0,
            frames: 0,
        };
        sim.reset();
        sim
    }

    fn reset(&mut self) {
        self.regs = [0; 128];
        self.regs[usize::from(k::CANSTAT)] = k::CANSTAT_RESET;
        self.regs[usize::from(k::CANCTRL)] = k::CANCTRL_RESET;
        // the TXnRTS inputs have internal pull-ups
        self.regs[usize::from(k::TXRTSCTRL)] = 0x38;
        self.tec = 0;
        self.rec = 0;
        self.recessive_sequences = 0;
        self.pending_mode = None;
    }

    // ---- what a test can see and do ---------------------------------------------------------------------

    /// A register as the chip holds it (mirrors resolved).
    pub fn register(&self, address: u8) -> u8 {
        self.regs[usize::from(canonical(address))]
    }

    /// The mode the chip is in.
    pub fn mode(&self) -> Option<Mode> {
        mode_from_code(self.regs[usize::from(k::CANSTAT)])
    }

    /// TEC as the chip counts it (above 255 in bus-off).
    pub fn transmit_errors(&self) -> u16 {
        self.tec
    }

    /// The INT pin is asserted (low): an enabled interrupt flag is set.
    pub fn interrupt_pending(&self) -> bool {
        self.regs[usize::from(k::CANINTE)] & self.regs[usize::from(k::CANINTF)] != 0
    }

    /// Whether the lone chip's "rest of the bus" acknowledges its frames (default yes). Without an
    /// acknowledgement every attempt is an error (TEC + 8, up to error-passive).
    pub fn set_acknowledged(&mut self, acknowledged: bool) {
        self.acknowledged = acknowledged;
    }

    /// Makes every later mode request go unanswered (CANSTAT keeps the old mode), to test timeouts.
    pub fn refuse_mode_changes(&mut self, refuse: bool) {
        self.refuse_mode_changes = refuse;
    }

    /// Makes every later mode request wait `frames` CS frames before CANSTAT shows it (0, the default: at once):
    /// the chip finishing a frame in progress, or a slow oscillator. REQOP in CANCTRL shows the request at once.
    pub fn set_mode_delay(&mut self, frames: u32) {
        self.mode_delay = frames;
    }

    /// The mode requested in CANCTRL.REQOP (`None`: an invalid code).
    pub fn requested_mode(&self) -> Option<Mode> {
        mode_from_code(self.regs[usize::from(k::CANCTRL)])
    }

    /// How many frames were stored into a receive buffer so far (each got the next arrival number).
    pub fn frames_stored(&self) -> u32 {
        self.arrivals
    }

    /// The arrival number (1 for the first frame stored, and so on) of the frame in RX buffer `buffer` (0 or 1),
    /// or `None` while its RXnIF is clear. With rollover, the older frame has the smaller number.
    pub fn rx_arrival(&self, buffer: u8) -> Option<u32> {
        let n = buffer & 1;
        (self.regs[usize::from(k::CANINTF)] & (1 << n) != 0).then_some(self.arrival[usize::from(n)])
    }

    /// A frame arriving from the rest of the bus. Returns whether the chip acknowledged it.
    pub fn inject(&mut self, frame: &Frame) -> bool {
        self.receive(frame)
    }

    /// The frames the lone chip sent onto the rest of the bus, oldest first (the last 16).
    pub fn sent(&self) -> impl Iterator<Item = &Frame> {
        let start = self.sent_count.saturating_sub(LOG);
        (start..self.sent_count).filter_map(move |i| self.sent[i % LOG].as_ref())
    }

    /// How many frames the chip has sent successfully.
    pub fn frames_sent(&self) -> u32 {
        self.frames
    }

    /// How often TXREQ was set by a register write (WRITE or BIT MODIFY) instead of the RTS instruction: the
    /// erratum a driver must avoid. Should stay 0.
    pub fn txreq_register_writes(&self) -> u32 {
        self.txreq_writes
    }

    /// How many RESET instructions the chip has seen.
    pub fn resets(&self) -> u32 {
        self.resets
    }

    /// The bus has been idle for `sequences` × 11 recessive bits: a bus-off chip counts them and returns to
    /// error-active after 128.
    pub fn idle(&mut self, sequences: u16) {
        if self.bus_off() {
            self.recessive_sequences = self.recessive_sequences.saturating_add(sequences);
            if self.recessive_sequences >= 128 {
                self.tec = 0;
                self.rec = 0;
                self.recessive_sequences = 0;
                self.update_error_flags();
            }
        }
    }

    /// The level of the RXnBF pin of buffer `buffer` (0 or 1): `None` while the pin is off (high impedance);
    /// in "buffer full" mode low while the buffer holds a frame; in output mode the level BFPCTRL sets.
    pub fn rx_pin_high(&self, buffer: u8) -> Option<bool> {
        let bfpctrl = self.regs[usize::from(k::BFPCTRL)];
        let n = buffer & 1;
        if bfpctrl & (k::BFPCTRL_B0BFE << n) == 0 {
            None
        } else if bfpctrl & (k::BFPCTRL_B0BFM << n) != 0 {
            Some(self.regs[usize::from(k::CANINTF)] & (1 << n) == 0)
        } else {
            Some(bfpctrl & (k::BFPCTRL_B0BFS << n) != 0)
        }
    }

    /// Drives the TXnRTS pin of buffer `buffer` (0..=2). Its level shows in TXRTSCTRL; a falling edge requests
    /// the buffer's transmission when the pin is in request-to-send mode.
    pub fn drive_tx_pin(&mut self, buffer: u8, high: bool) {
        let n = buffer % 3;
        let level = 0x08 << n;
        let ctrl = self.regs[usize::from(k::TXRTSCTRL)];
        let was_high = ctrl & level != 0;
        self.regs[usize::from(k::TXRTSCTRL)] = if high { ctrl | level } else { ctrl & !level };
        if was_high && !high && ctrl & (1 << n) != 0 {
            self.request(n);
            self.settle_alone();
        }
    }

    // ---- SPI byte machine -------------------------------------------------------------------------------

    fn exchange(&mut self, mosi: u8) -> u8 {
        match self.phase {
            Phase::Instruction => {
                self.phase = self.instruction(mosi);
                0xFF
            }
            Phase::ReadAddress => {
                self.phase = Phase::Read(mosi & 0x7F);
                0xFF
            }
            Phase::Read(address) => {
                self.phase = Phase::Read((address + 1) & 0x7F);
                self.register(address)
            }
            Phase::WriteAddress => {
                self.phase = Phase::Write(mosi & 0x7F);
                0xFF
            }
            Phase::Write(address) => {
                self.write(address, mosi, 0xFF);
                self.phase = Phase::Write((address + 1) & 0x7F);
                0xFF
            }
            Phase::ReadRx(address) => {
                self.phase = Phase::ReadRx((address + 1) & 0x7F);
                self.register(address)
            }
            Phase::LoadTx(address) => {
                let ctrl = usize::from(address & 0x70);
                if self.regs[ctrl] & k::TXB_TXREQ == 0 {
                    self.regs[usize::from(address)] = mosi;
                }
                self.phase = Phase::LoadTx((address + 1) & 0x7F);
                0xFF
            }
            Phase::Status(byte) => byte,
            Phase::ModifyAddress => {
                self.phase = Phase::ModifyMask(mosi & 0x7F);
                0xFF
            }
            Phase::ModifyMask(address) => {
                self.phase = Phase::ModifyData(address, mosi);
                0xFF
            }
            Phase::ModifyData(address, mask) => {
                let mask = if k::bit_modifiable(address) { mask } else { 0xFF };
                self.write(address, mosi, mask);
                self.phase = Phase::Ignore;
                0xFF
            }
            Phase::Ignore => 0xFF,
        }
    }

    fn instruction(&mut self, byte: u8) -> Phase {
        match byte {
            k::RESET => {
                self.reset();
                self.resets += 1;
                Phase::Ignore
            }
            k::READ => Phase::ReadAddress,
            k::WRITE => Phase::WriteAddress,
            0x90 | 0x92 | 0x94 | 0x96 => {
                let n = (byte >> 1) & 3;
                self.rx_read = Some(n >> 1);
                let start = [0x61, 0x66, 0x71, 0x76][usize::from(n)];
                Phase::ReadRx(start)
            }
            0x40..=0x45 => {
                let abc = byte & 7;
                let start = 0x31 + (abc >> 1) * 0x10 + if abc & 1 == 0 { 0 } else { 5 };
                Phase::LoadTx(start)
            }
            0x80..=0x87 => {
                for n in 0..3u8 {
                    if byte & (1 << n) != 0 {
                        self.request(n);
                    }
                }
                Phase::Ignore
            }
            k::READ_STATUS => Phase::Status(self.read_status()),
            k::RX_STATUS => Phase::Status(self.rx_status()),
            k::BIT_MODIFY => Phase::ModifyAddress,
            _ => Phase::Ignore,
        }
    }

    fn end_of_frame(&mut self) {
        if let Some(buffer) = self.rx_read.take() {
            self.regs[usize::from(k::CANINTF)] &= !(1 << buffer);
        }
        self.phase = Phase::Instruction;
    }

    fn read_status(&self) -> u8 {
        let intf = self.regs[usize::from(k::CANINTF)];
        let mut status = intf & 3;
        for n in 0..3u8 {
            if self.regs[usize::from(k::txb_ctrl(n))] & k::TXB_TXREQ != 0 {
                status |= k::STATUS_TX0REQ << (2 * n);
            }
            if intf & (k::INT_TX0 << n) != 0 {
                status |= k::STATUS_TX0IF << (2 * n);
            }
        }
        status
    }

    fn rx_status(&self) -> u8 {
        let intf = self.regs[usize::from(k::CANINTF)] & 3;
        if intf == 0 {
            return 0;
        }
        let base: usize = if intf & 1 != 0 { 0x60 } else { 0x70 };
        let sidl = self.regs[base + 2];
        let dlc = self.regs[base + 5];
        let extended = sidl & k::SIDL_EXIDE != 0;
        let remote = if extended {
            dlc & k::DLC_RTR != 0
        } else {
            sidl & k::SIDL_SRR != 0
        };
        let ctrl = self.regs[base];
        let filter = if base == 0x60 {
            ctrl & 1
        } else {
            let hit = ctrl & k::RXB1_FILHIT_MASK;
            if hit < 2 {
                hit + 6
            } else {
                hit
            }
        };
        intf << 6 | u8::from(extended) << 4 | u8::from(remote) << 3 | filter
    }

    fn config_mode(&self) -> bool {
        self.mode() == Some(Mode::Configuration)
    }

    /// One register write through WRITE (mask 0xFF) or BIT MODIFY, with each register's access rules.
    fn write(&mut self, address: u8, value: u8, mask: u8) {
        let address = canonical(address);
        let old = self.regs[usize::from(address)];
        let new = (old & !mask) | (value & mask);
        match address {
            0x00..=0x0B | 0x10..=0x1B | 0x20..=0x2A if self.config_mode() => {
                self.regs[usize::from(address)] = new;
            }
            k::BFPCTRL => self.regs[usize::from(address)] = new & 0x3F,
            k::TXRTSCTRL if self.config_mode() => {
                self.regs[usize::from(address)] = (old & 0x38) | (new & 0x07);
            }
            k::CANCTRL => self.write_canctrl(new),
            k::CANINTE => self.regs[usize::from(address)] = new,
            k::CANINTF => {
                self.regs[usize::from(address)] = new;
                if new & k::INT_WAK != 0
                    && old & k::INT_WAK == 0
                    && self.mode() == Some(Mode::Sleep)
                    && self.regs[usize::from(k::CANINTE)] & k::INT_WAK != 0
                {
                    self.set_mode(Mode::ListenOnly);
                }
            }
            k::EFLG => {
                // only RX0OVR/RX1OVR are writable, and only to clear them
                let keep = old & 0x3F;
                self.regs[usize::from(address)] = keep | (old & new & 0xC0);
            }
            0x30 | 0x40 | 0x50 => {
                let requested = new & k::TXB_TXREQ != 0;
                let pending = old & k::TXB_TXREQ != 0;
                let mut ctrl = (old & !0x0B) | (new & 0x0B);
                if requested && !pending {
                    self.txreq_writes += 1;
                    ctrl &= !(k::TXB_ABTF | k::TXB_MLOA | k::TXB_TXERR);
                }
                if !requested && pending {
                    ctrl |= k::TXB_ABTF;
                }
                self.regs[usize::from(address)] = ctrl;
            }
            0x31..=0x3D | 0x41..=0x4D | 0x51..=0x5D if self.regs[usize::from(address & 0x70)] & k::TXB_TXREQ == 0 => {
                self.regs[usize::from(address)] = new;
            }
            k::RXB0CTRL => self.regs[0x60] = (old & 0x0B) | (new & 0x64) | ((new & 0x04) >> 1),
            k::RXB1CTRL => self.regs[0x70] = (old & 0x0F) | (new & 0x60),
            _ => {}
        }
    }

    fn write_canctrl(&mut self, value: u8) {
        self.regs[usize::from(k::CANCTRL)] = value;
        if value & k::CANCTRL_ABAT != 0 {
            for n in 0..3u8 {
                let ctrl = &mut self.regs[usize::from(k::txb_ctrl(n))];
                if *ctrl & k::TXB_TXREQ != 0 {
                    *ctrl = (*ctrl & !k::TXB_TXREQ) | k::TXB_ABTF;
                }
            }
        }
        // a sleeping chip leaves sleep only through a wake-up (then in listen-only)
        if self.refuse_mode_changes || self.mode() == Some(Mode::Sleep) {
            self.pending_mode = None;
            return;
        }
        if let Some(mode) = mode_from_code(value) {
            if self.mode_delay == 0 || self.mode() == Some(mode) {
                self.pending_mode = None;
                self.set_mode(mode);
            } else {
                self.pending_mode = Some((mode, self.mode_delay));
            }
        }
    }

    fn set_mode(&mut self, mode: Mode) {
        if mode == Mode::Configuration {
            self.tec = 0;
            self.rec = 0;
            self.update_error_flags();
        }
        let canstat = &mut self.regs[usize::from(k::CANSTAT)];
        *canstat = (*canstat & !k::MODE_MASK) | mode_code(mode);
    }

    fn request(&mut self, n: u8) {
        let abort = self.regs[usize::from(k::CANCTRL)] & k::CANCTRL_ABAT != 0;
        let ctrl = &mut self.regs[usize::from(k::txb_ctrl(n))];
        *ctrl &= !(k::TXB_ABTF | k::TXB_MLOA | k::TXB_TXERR);
        // while ABAT is set, a request is aborted at once (the model's reading of "abort all pending")
        *ctrl |= if abort { k::TXB_ABTF } else { k::TXB_TXREQ };
    }

    // ---- the CAN side -----------------------------------------------------------------------------------

    fn bus_off(&self) -> bool {
        self.tec > 255
    }

    fn update_error_flags(&mut self) {
        let mut flags = 0;
        if self.tec > 255 {
            flags |= k::EFLG_TXBO;
        }
        if self.tec >= 128 {
            flags |= k::EFLG_TXEP;
        }
        if self.rec >= 128 {
            flags |= k::EFLG_RXEP;
        }
        if self.tec >= 96 {
            flags |= k::EFLG_TXWAR;
        }
        if self.rec >= 96 {
            flags |= k::EFLG_RXWAR;
        }
        if flags & (k::EFLG_TXWAR | k::EFLG_RXWAR) != 0 {
            flags |= k::EFLG_EWARN;
        }
        let eflg = &mut self.regs[usize::from(k::EFLG)];
        let old = *eflg & 0x3F;
        *eflg = (*eflg & 0xC0) | flags;
        if old != flags {
            self.regs[usize::from(k::CANINTF)] |= k::INT_ERR;
        }
        self.regs[usize::from(k::TEC)] = u8::try_from(self.tec).unwrap_or(255);
        self.regs[usize::from(k::REC)] = u8::try_from(self.rec).unwrap_or(255);
    }

    /// The frame this chip would put on the bus now: (buffer, frame), highest TXP first, then higher buffer.
    fn pending(&self) -> Option<(u8, Frame)> {
        let mode = self.mode();
        if !matches!(mode, Some(Mode::Normal | Mode::Loopback)) || self.bus_off() {
            return None;
        }
        (0..3u8)
            .rev()
            .filter(|n| self.regs[usize::from(k::txb_ctrl(*n))] & k::TXB_TXREQ != 0)
            .max_by_key(|n| (self.regs[usize::from(k::txb_ctrl(*n))] & 3, *n))
            .map(|n| (n, self.tx_frame(n)))
    }

    fn tx_frame(&self, n: u8) -> Frame {
        let base = usize::from(k::txb_ctrl(n)) + 1;
        let mut bytes = [0u8; 13];
        bytes.copy_from_slice(&self.regs[base..base + 13]);
        let remote = bytes[4] & k::DLC_RTR != 0;
        let mut frame = regs_to_frame(&bytes);
        if remote && frame.is_standard() {
            // TX buffers carry RTR in DLC for both formats; an RX buffer carries it in SIDL.SRR
            bytes[1] |= k::SIDL_SRR;
            frame = regs_to_frame(&bytes);
        }
        frame
    }

    fn transmitted(&mut self, n: u8) {
        let ctrl = &mut self.regs[usize::from(k::txb_ctrl(n))];
        *ctrl &= !(k::TXB_TXREQ | k::TXB_TXERR | k::TXB_MLOA);
        self.regs[usize::from(k::CANINTF)] |= k::INT_TX0 << n;
        self.tec = self.tec.saturating_sub(1);
        self.frames += 1;
        self.update_error_flags();
    }

    fn transmit_failed(&mut self, n: u8, acknowledgement: bool) {
        let passive = self.tec >= 128;
        if !(acknowledgement && passive) {
            self.tec += 8;
        }
        let one_shot = self.regs[usize::from(k::CANCTRL)] & k::CANCTRL_OSM != 0;
        let ctrl = &mut self.regs[usize::from(k::txb_ctrl(n))];
        *ctrl |= k::TXB_TXERR;
        if one_shot {
            *ctrl &= !k::TXB_TXREQ;
        }
        self.regs[usize::from(k::CANINTF)] |= k::INT_MERR;
        self.update_error_flags();
    }

    fn lost_arbitration(&mut self, n: u8) {
        let one_shot = self.regs[usize::from(k::CANCTRL)] & k::CANCTRL_OSM != 0;
        let ctrl = &mut self.regs[usize::from(k::txb_ctrl(n))];
        *ctrl |= k::TXB_MLOA;
        if one_shot {
            *ctrl &= !k::TXB_TXREQ;
        }
    }

    fn receive_error(&mut self) {
        if !self.bus_off() && matches!(self.mode(), Some(Mode::Normal)) {
            self.rec = (self.rec + 1).min(255);
            self.update_error_flags();
        }
    }

    /// A valid frame seen on the bus: wakes a sleeping chip, is stored if a buffer takes it. Returns whether
    /// this chip acknowledges it (normal mode only, filters or not).
    fn receive(&mut self, frame: &Frame) -> bool {
        match self.mode() {
            Some(Mode::Sleep) => {
                if self.regs[usize::from(k::CANINTE)] & k::INT_WAK != 0 {
                    self.regs[usize::from(k::CANINTF)] |= k::INT_WAK;
                    self.set_mode(Mode::ListenOnly);
                }
                false
            }
            Some(Mode::Normal) if !self.bus_off() => {
                self.store(frame);
                self.rec = self.rec.saturating_sub(1);
                self.update_error_flags();
                true
            }
            Some(Mode::ListenOnly) => {
                self.store(frame);
                false
            }
            _ => false,
        }
    }

    fn store(&mut self, frame: &Frame) {
        let rxb0ctrl = self.regs[0x60];
        if let Some(hit) = self.accepts(rxb0ctrl, frame, &[0, 1], 0) {
            if self.regs[usize::from(k::CANINTF)] & k::INT_RX0 == 0 {
                self.load_rx(0, frame, hit);
            } else if rxb0ctrl & k::RXB0_BUKT != 0 {
                if self.regs[usize::from(k::CANINTF)] & k::INT_RX1 == 0 {
                    self.load_rx(1, frame, hit);
                } else {
                    self.overflow(k::EFLG_RX1OVR);
                }
            } else {
                self.overflow(k::EFLG_RX0OVR);
            }
        } else if let Some(hit) = self.accepts(self.regs[0x70], frame, &[2, 3, 4, 5], 1) {
            if self.regs[usize::from(k::CANINTF)] & k::INT_RX1 == 0 {
                self.load_rx(1, frame, hit);
            } else {
                self.overflow(k::EFLG_RX1OVR);
            }
        }
    }

    fn overflow(&mut self, flag: u8) {
        self.regs[usize::from(k::EFLG)] |= flag;
        self.regs[usize::from(k::CANINTF)] |= k::INT_ERR;
    }

    /// The filter that takes `frame` for a buffer with control `ctrl`, filters `filters`, mask `mask`.
    fn accepts(&self, ctrl: u8, frame: &Frame, filters: &[u8], mask: u8) -> Option<u8> {
        if ctrl & k::RXB_RXM_MASK == k::RXB_RXM_ANY {
            return Some(filters[0]);
        }
        let m = usize::from(k::rxm_sidh(mask));
        let mask = [self.regs[m], self.regs[m + 1], self.regs[m + 2], self.regs[m + 3]];
        let bytes = frame_to_regs(frame);
        let mut message = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if frame.is_standard() {
            // the EID filter bits apply to the first two data bytes of standard data frames
            let data = frame.data();
            message[2] = data.first().copied().unwrap_or(0);
            message[3] = data.get(1).copied().unwrap_or(0);
        }
        filters.iter().copied().find(|n| {
            let f = usize::from(k::rxf_sidh(*n));
            let filter = [self.regs[f], self.regs[f + 1], self.regs[f + 2], self.regs[f + 3]];
            let exide_matches = (filter[1] & k::SIDL_EXIDE != 0) == frame.is_extended();
            let mut sid_mask = [mask[0], mask[1] & 0xE3, mask[2], mask[3]];
            if frame.is_standard() {
                // standard frames: SID bits, then (where the mask asks) the data bytes
                sid_mask[1] &= 0xE0;
            }
            exide_matches && (0..4).all(|i| (message[i] ^ filter[i]) & sid_mask[i] == 0)
        })
    }

    fn load_rx(&mut self, buffer: u8, frame: &Frame, hit: u8) {
        let base = if buffer == 0 { 0x60usize } else { 0x70 };
        let mut bytes = frame_to_regs(frame);
        if frame.is_remote_frame() {
            if frame.is_standard() {
                bytes[1] |= k::SIDL_SRR;
                bytes[4] &= !k::DLC_RTR;
            }
            for byte in bytes.iter_mut().skip(5) {
                *byte = 0;
            }
        }
        self.regs[base + 1..base + 14].copy_from_slice(&bytes);
        self.arrivals += 1;
        self.arrival[usize::from(buffer & 1)] = self.arrivals;
        let rtr = if frame.is_remote_frame() { k::RXB_RXRTR } else { 0 };
        let ctrl = &mut self.regs[base];
        *ctrl = if buffer == 0 {
            (*ctrl & 0x66) | rtr | (hit & 1)
        } else {
            (*ctrl & 0x60) | rtr | (hit & 7)
        };
        self.regs[usize::from(k::CANINTF)] |= 1 << buffer;
    }

    fn log(&mut self, frame: Frame) {
        self.sent[self.sent_count % LOG] = Some(frame);
        self.sent_count += 1;
    }

    /// After a CS frame, alone: loopback frames come back; normal-mode frames go to the rest of the bus.
    fn settle_alone(&mut self) {
        for _ in 0..3 {
            let Some((n, frame)) = self.pending() else { return };
            if self.mode() == Some(Mode::Loopback) {
                self.store(&frame);
                self.transmitted(n);
            } else if self.acknowledged {
                self.log(frame);
                self.transmitted(n);
            } else {
                self.transmit_failed(n, true);
                return;
            }
        }
    }

    fn run(&mut self, operations: &mut [Operation<'_, u8>]) {
        if let Some((mode, frames)) = self.pending_mode {
            if frames == 0 {
                self.pending_mode = None;
                self.set_mode(mode);
            } else {
                self.pending_mode = Some((mode, frames - 1));
            }
        }
        for operation in operations.iter_mut() {
            match operation {
                Operation::Write(bytes) => {
                    for byte in bytes.iter() {
                        self.exchange(*byte);
                    }
                }
                Operation::Read(buffer) => {
                    for byte in buffer.iter_mut() {
                        *byte = self.exchange(0);
                    }
                }
                Operation::Transfer(read, write) => {
                    let length = read.len().max(write.len());
                    for i in 0..length {
                        let out = self.exchange(write.get(i).copied().unwrap_or(0));
                        if let Some(slot) = read.get_mut(i) {
                            *slot = out;
                        }
                    }
                }
                Operation::TransferInPlace(buffer) => {
                    for byte in buffer.iter_mut() {
                        *byte = self.exchange(*byte);
                    }
                }
                Operation::DelayNs(_) => {}
            }
        }
        self.end_of_frame();
    }
}

/// CANSTAT and CANCTRL answer at offsets 0xE and 0xF of every row.
const fn canonical(address: u8) -> u8 {
    let address = address & 0x7F;
    match address & 0x0F {
        0x0E => k::CANSTAT,
        0x0F => k::CANCTRL,
        _ => address,
    }
}

impl ErrorType for Mcp25625Sim {
    type Error = ErrorKind;
}

impl SpiDevice for Mcp25625Sim {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run(operations);
        self.settle_alone();
        Ok(())
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for Mcp25625Sim {
    async fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        SpiDevice::transaction(self, operations)
    }
}

// ---- two chips on one bus -------------------------------------------------------------------------------------

#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct BusState {
    nodes: [Mcp25625Sim; 2],
    fault: bool,
}

/// A CAN bus with two simulated chips on it. Each [`node`](Self::node) is an `SpiDevice` for a driver; after
/// every CS frame the bus arbitrates and delivers what the chips want to send.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SimBus {
    state: RefCell<BusState>,
}

impl Default for SimBus {
    fn default() -> Self {
        Self::new()
    }
}

impl SimBus {
    /// Two chips, just powered up.
    pub fn new() -> Self {
        Self {
            state: RefCell::new(BusState {
                nodes: [Mcp25625Sim::new(), Mcp25625Sim::new()],
                fault: false,
            }),
        }
    }

    /// The SPI side of chip `index` (0 or 1; anything else is chip 1).
    pub fn node(&self, index: usize) -> SimNode<'_> {
        SimNode {
            bus: self,
            index: index.min(1),
        }
    }

    /// Runs `f` on chip `index` (to look at or poke the model).
    pub fn with_chip<R>(&self, index: usize, f: impl FnOnce(&mut Mcp25625Sim) -> R) -> R {
        let mut state = self.state.borrow_mut();
        f(&mut state.nodes[index.min(1)])
    }

    /// A wiring fault (e.g. CANH shorted): every frame fails with a bit error, so senders climb to bus-off.
    pub fn set_fault(&self, fault: bool) {
        self.state.borrow_mut().fault = fault;
        self.settle();
    }

    /// The bus idles for `sequences` × 11 recessive bits (a bus-off chip recovers after 128), then pending
    /// frames go.
    pub fn idle(&self, sequences: u16) {
        {
            let mut state = self.state.borrow_mut();
            if !state.fault {
                for node in state.nodes.iter_mut() {
                    node.idle(sequences);
                }
            }
        }
        self.settle();
    }

    fn settle(&self) {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        // each round puts one frame (or one failed attempt) on the bus; 64 rounds reach bus-off from anywhere
        for _ in 0..64 {
            for node in state.nodes.iter_mut() {
                if node.mode() == Some(Mode::Loopback) {
                    node.settle_alone();
                }
            }
            let candidates: [Option<(u8, Frame)>; 2] = [
                state.nodes[0]
                    .pending()
                    .filter(|_| state.nodes[0].mode() == Some(Mode::Normal)),
                state.nodes[1]
                    .pending()
                    .filter(|_| state.nodes[1].mode() == Some(Mode::Normal)),
            ];
            let winner = match (&candidates[0], &candidates[1]) {
                (None, None) => return,
                (Some(_), None) => 0,
                (None, Some(_)) => 1,
                (Some((_, a)), Some((_, b))) => {
                    if arbitration_key(a) <= arbitration_key(b) {
                        0
                    } else {
                        1
                    }
                }
            };
            let other = 1 - winner;
            let Some((buffer, frame)) = candidates[winner] else {
                return;
            };
            if let Some((loser_buffer, loser_frame)) = candidates[other] {
                if arbitration_key(&loser_frame) != arbitration_key(&frame) {
                    state.nodes[other].lost_arbitration(loser_buffer);
                }
            }
            if state.fault {
                state.nodes[winner].transmit_failed(buffer, false);
                state.nodes[other].receive_error();
                continue;
            }
            if state.nodes[other].receive(&frame) {
                state.nodes[winner].transmitted(buffer);
            } else {
                state.nodes[winner].transmit_failed(buffer, true);
                // an unacknowledged frame is retried at once; stop when nothing can change
                if state.nodes[winner].tec >= 128 {
                    return;
                }
            }
        }
    }
}

/// Lower wins: base identifier, then standard before extended, then the extended bits, then data before remote.
fn arbitration_key(frame: &Frame) -> (u32, bool, u32, bool) {
    match frame.id() {
        embedded_can::Id::Standard(id) => (u32::from(id.as_raw()), false, 0, frame.is_remote_frame()),
        embedded_can::Id::Extended(id) => (id.as_raw() >> 18, true, id.as_raw() & 0x3FFFF, frame.is_remote_frame()),
    }
}

/// The SPI side of one chip on a [`SimBus`].
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SimNode<'a> {
    bus: &'a SimBus,
    index: usize,
}

impl ErrorType for SimNode<'_> {
    type Error = ErrorKind;
}

impl SpiDevice for SimNode<'_> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.bus.state.borrow_mut().nodes[self.index].run(operations);
        self.bus.settle();
        Ok(())
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for SimNode<'_> {
    async fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        SpiDevice::transaction(self, operations)
    }
}

// ---- bus-traffic counting -------------------------------------------------------------------------------------

/// Bus traffic counted by [`CountingBus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Traffic {
    /// SPI transactions (CS frames).
    pub frames: u32,
    /// Bytes clocked (each byte is written and read at once on SPI).
    pub bytes: u32,
}

/// Wraps an SPI device and counts what crosses it. A driver that owns the wrapper shows it through
/// `bus()`/`bus_mut()`, so the count can be read (and reset) while the driver keeps the bus.
///
/// ```
/// use mcp25625::sim::{CountingBus, Mcp25625Sim, Traffic};
///
/// let mut can = mcp25625::Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
/// can.status()?;
/// assert_eq!(can.bus().traffic(), Traffic { frames: 1, bytes: 2 });
/// can.bus_mut().reset_traffic();
/// assert_eq!(can.bus().traffic(), Traffic::default());
/// # Ok::<(), mcp25625::Error<mcp25625::embedded_hal::spi::ErrorKind>>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, counting from zero.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Traffic::default(),
        }
    }

    /// What crossed the bus since it was wrapped or since the last [`reset_traffic`](Self::reset_traffic).
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Counts from zero again.
    pub fn reset_traffic(&mut self) {
        self.traffic = Traffic::default();
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, mutably.
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Gives the wrapped bus back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    fn count(&mut self, operations: &[Operation<'_, u8>]) {
        let bytes: usize = operations
            .iter()
            .map(|operation| match operation {
                Operation::Write(data) => data.len(),
                Operation::Read(buffer) => buffer.len(),
                Operation::Transfer(read, write) => read.len().max(write.len()),
                Operation::TransferInPlace(buffer) => buffer.len(),
                Operation::DelayNs(_) => 0,
            })
            .sum();
        self.traffic.frames = self.traffic.frames.saturating_add(1);
        self.traffic.bytes = self
            .traffic
            .bytes
            .saturating_add(u32::try_from(bytes).unwrap_or(u32::MAX));
    }
}

impl<B: ErrorType> ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: SpiDevice> SpiDevice for CountingBus<B> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for CountingBus<B> {
    async fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(operations).await
    }
}

// ---- fault injection ------------------------------------------------------------------------------------------

/// Where an injected fault hits a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing (CS never fell, or the bus was not granted).
    BeforeChip,
    /// The chip performed the whole transaction (its registers changed, a READ RX BUFFER freed its buffer), then
    /// the host sees the error.
    AfterChip,
    /// The chip took the first `n` bytes the host wrote in the transaction, then CS rose: nothing after them
    /// (not even a read that followed) reached it.
    Partway(usize),
}

/// The error of a [`FaultyBus`]: an injected fault, or the wrapped bus's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultyBusError<E> {
    /// A fault injected by the wrapper, reporting this kind.
    Injected(ErrorKind),
    /// The wrapped bus failed.
    Bus(E),
}

impl<E: embedded_hal::spi::Error> embedded_hal::spi::Error for FaultyBusError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Injected(kind) => *kind,
            Self::Bus(e) => e.kind(),
        }
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for FaultyBusError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected(kind) => write!(f, "injected bus fault: {kind:?}"),
            Self::Bus(e) => write!(f, "bus error: {e:?}"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for FaultyBusError<E> {}

/// Wraps a bus (a [`Mcp25625Sim`], a [`SimNode`], a [`CountingBus`], a shared-bus handle) and makes
/// transactions fail on purpose: one chosen transaction ([`fail_nth`](Self::fail_nth)), or each with a
/// probability ([`fail_randomly`](Self::fail_randomly)), before the chip saw it, after it took it, or part
/// way; or makes every byte read the same ([`stuck_at`](Self::stuck_at)). One call of `transaction` is one
/// transaction. With [`yield_around_transactions`](Self::yield_around_transactions) the async impl returns
/// `Pending` once before a transaction reaches the chip and once after, so a test can drop a future at every
/// await point.
///
/// ```
/// use mcp25625::sim::{FaultPoint, FaultyBus, Mcp25625Sim};
/// # use embedded_hal_mock::eh1::delay::NoopDelay;
///
/// let mut bus = FaultyBus::new(Mcp25625Sim::new());
/// bus.fail_nth(1, FaultPoint::BeforeChip); // the detection read after RESET
/// let mut can = mcp25625::Mcp25625::new(bus);
/// assert!(can.reset(&mut NoopDelay).is_err());
/// assert!(can.reset(&mut NoopDelay).is_ok());
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FaultyBus<B> {
    bus: B,
    nth: Option<(u32, FaultPoint)>,
    per_mille: u16,
    seed: u64,
    stuck: Option<u8>,
    kind: ErrorKind,
    yield_around: bool,
    transactions: u32,
    faults: u32,
}

impl<B> FaultyBus<B> {
    /// Wraps `bus`, with no faults planned.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            nth: None,
            per_mille: 0,
            seed: 0,
            stuck: None,
            kind: ErrorKind::Other,
            yield_around: false,
            transactions: 0,
            faults: 0,
        }
    }

    /// Gives the wrapped bus back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, mutably.
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
        self.seed = seed ^ 0x9E37_79B9_7F4A_7C15;
        self.per_mille = per_mille.min(1000);
    }

    /// Ends both plans ([`fail_nth`](Self::fail_nth) and [`fail_randomly`](Self::fail_randomly)).
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.per_mille = 0;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (a chip that answers the same byte for ever, a floating
    /// bus); the wrapped bus still performs the transaction. `None` ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error kind an injected fault reports (default [`ErrorKind::Other`]).
    pub fn set_error_kind(&mut self, kind: ErrorKind) {
        self.kind = kind;
    }

    /// Whether the async impl returns `Pending` once before and once after each transaction (the blocking
    /// impl ignores it).
    pub fn yield_around_transactions(&mut self, on: bool) {
        self.yield_around = on;
    }

    /// Transactions seen (failed ones included).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    fn random(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.seed;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// The fault planned for this transaction, if any; counts it.
    fn plan(&mut self) -> Option<FaultPoint> {
        self.transactions += 1;
        let mut fault = None;
        if let Some((n, point)) = self.nth {
            if n == 0 {
                self.nth = None;
                fault = Some(point);
            } else {
                self.nth = Some((n - 1, point));
            }
        }
        if fault.is_none() && self.per_mille > 0 && self.random() % 1000 < u64::from(self.per_mille) {
            fault = Some(match self.random() % 3 {
                0 => FaultPoint::BeforeChip,
                1 => FaultPoint::AfterChip,
                _ => FaultPoint::Partway((self.random() % 16) as usize),
            });
        }
        if fault.is_some() {
            self.faults += 1;
        }
        fault
    }

    fn stick(&self, operations: &mut [Operation<'_, u8>]) {
        let Some(byte) = self.stuck else { return };
        for operation in operations.iter_mut() {
            match operation {
                Operation::Read(buffer) | Operation::TransferInPlace(buffer) | Operation::Transfer(buffer, _) => {
                    buffer.fill(byte);
                }
                Operation::Write(_) | Operation::DelayNs(_) => {}
            }
        }
    }
}

/// Cuts `operations` after the host wrote `n` bytes; returns how many operations (the last one shortened) remain.
fn cut(operations: &mut [Operation<'_, u8>], n: usize) -> usize {
    let mut left = n;
    for (i, op) in operations.iter_mut().enumerate() {
        if left == 0 {
            return i;
        }
        let written = match op {
            Operation::Write(bytes) => bytes.len(),
            Operation::Transfer(_, write) => write.len(),
            Operation::TransferInPlace(buffer) => buffer.len(),
            Operation::Read(_) | Operation::DelayNs(_) => 0,
        };
        if written > left {
            match op {
                Operation::Write(bytes) => *bytes = &bytes[..left],
                Operation::Transfer(read, write) => {
                    *write = &write[..left];
                    let taken = core::mem::take(read);
                    let keep = left.min(taken.len());
                    *read = &mut taken[..keep];
                }
                Operation::TransferInPlace(buffer) => {
                    let taken = core::mem::take(buffer);
                    *buffer = &mut taken[..left];
                }
                Operation::Read(_) | Operation::DelayNs(_) => {}
            }
            return i + 1;
        }
        left -= written;
    }
    operations.len()
}

impl<B: ErrorType> ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: SpiDevice> SpiDevice for FaultyBus<B> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        let fault = self.plan();
        let injected = Err(FaultyBusError::Injected(self.kind));
        match fault {
            None => {
                self.bus.transaction(operations).map_err(FaultyBusError::Bus)?;
                self.stick(operations);
                Ok(())
            }
            Some(FaultPoint::BeforeChip) => injected,
            Some(FaultPoint::AfterChip) => {
                self.bus.transaction(operations).map_err(FaultyBusError::Bus)?;
                injected
            }
            Some(FaultPoint::Partway(n)) => {
                let keep = cut(operations, n);
                self.bus
                    .transaction(&mut operations[..keep])
                    .map_err(FaultyBusError::Bus)?;
                injected
            }
        }
    }
}

/// Returns `Pending` once (waking itself at once), then `Ready`.
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

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for FaultyBus<B> {
    async fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        if self.yield_around {
            YieldOnce(false).await;
        }
        let fault = self.plan();
        let injected = Err(FaultyBusError::Injected(self.kind));
        let result = match fault {
            None => match self.bus.transaction(operations).await {
                Ok(()) => {
                    self.stick(operations);
                    Ok(())
                }
                Err(e) => Err(FaultyBusError::Bus(e)),
            },
            Some(FaultPoint::BeforeChip) => injected,
            Some(FaultPoint::AfterChip) => match self.bus.transaction(operations).await {
                Ok(()) => injected,
                Err(e) => Err(FaultyBusError::Bus(e)),
            },
            Some(FaultPoint::Partway(n)) => {
                let keep = cut(operations, n);
                match self.bus.transaction(&mut operations[..keep]).await {
                    Ok(()) => injected,
                    Err(e) => Err(FaultyBusError::Bus(e)),
                }
            }
        };
        if self.yield_around && fault != Some(FaultPoint::BeforeChip) {
            YieldOnce(false).await;
        }
        result
    }
}
