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
//! identifier. Timing is not modelled: a mode change is immediate, a frame is on the bus as soon as it is
//! requested.
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

// Register indices are masked to 0..=0x7F into 128-entry arrays; node indices are 0 or 1 into 2-entry arrays.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use core::cell::RefCell;

use embedded_can::Frame as _;
use embedded_hal::spi::{ErrorKind, ErrorType, Operation, SpiDevice};

use crate::register as reg;
use crate::{Frame, Mode};

const LOG: usize = 16;

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
        self.regs[usize::from(reg::CANSTAT)] = reg::CANSTAT_RESET;
        self.regs[usize::from(reg::CANCTRL)] = reg::CANCTRL_RESET;
        // the TXnRTS inputs have internal pull-ups
        self.regs[usize::from(reg::TXRTSCTRL)] = 0x38;
        self.tec = 0;
        self.rec = 0;
        self.recessive_sequences = 0;
    }

    // ---- what a test can see and do ---------------------------------------------------------------------

    /// A register as the chip holds it (mirrors resolved).
    pub fn register(&self, address: u8) -> u8 {
        self.regs[usize::from(canonical(address))]
    }

    /// The mode the chip is in.
    pub fn mode(&self) -> Option<Mode> {
        Mode::from_register(self.regs[usize::from(reg::CANSTAT)])
    }

    /// TEC as the chip counts it (above 255 in bus-off).
    pub fn transmit_errors(&self) -> u16 {
        self.tec
    }

    /// The INT pin is asserted (low): an enabled interrupt flag is set.
    pub fn interrupt_pending(&self) -> bool {
        self.regs[usize::from(reg::CANINTE)] & self.regs[usize::from(reg::CANINTF)] != 0
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
        let bfpctrl = self.regs[usize::from(reg::BFPCTRL)];
        let n = buffer & 1;
        if bfpctrl & (reg::BFPCTRL_B0BFE << n) == 0 {
            None
        } else if bfpctrl & (reg::BFPCTRL_B0BFM << n) != 0 {
            Some(self.regs[usize::from(reg::CANINTF)] & (1 << n) == 0)
        } else {
            Some(bfpctrl & (reg::BFPCTRL_B0BFS << n) != 0)
        }
    }

    /// Drives the TXnRTS pin of buffer `buffer` (0..=2). Its level shows in TXRTSCTRL; a falling edge requests
    /// the buffer's transmission when the pin is in request-to-send mode.
    pub fn drive_tx_pin(&mut self, buffer: u8, high: bool) {
        let n = buffer % 3;
        let level = 0x08 << n;
        let ctrl = self.regs[usize::from(reg::TXRTSCTRL)];
        let was_high = ctrl & level != 0;
        self.regs[usize::from(reg::TXRTSCTRL)] = if high { ctrl | level } else { ctrl & !level };
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
                if self.regs[ctrl] & reg::TXB_TXREQ == 0 {
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
                let mask = if reg::bit_modifiable(address) { mask } else { 0xFF };
                self.write(address, mosi, mask);
                self.phase = Phase::Ignore;
                0xFF
            }
            Phase::Ignore => 0xFF,
        }
    }

    fn instruction(&mut self, byte: u8) -> Phase {
        match byte {
            reg::RESET => {
                self.reset();
                self.resets += 1;
                Phase::Ignore
            }
            reg::READ => Phase::ReadAddress,
            reg::WRITE => Phase::WriteAddress,
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
            reg::READ_STATUS => Phase::Status(self.read_status()),
            reg::RX_STATUS => Phase::Status(self.rx_status()),
            reg::BIT_MODIFY => Phase::ModifyAddress,
            _ => Phase::Ignore,
        }
    }

    fn end_of_frame(&mut self) {
        if let Some(buffer) = self.rx_read.take() {
            self.regs[usize::from(reg::CANINTF)] &= !(1 << buffer);
        }
        self.phase = Phase::Instruction;
    }

    fn read_status(&self) -> u8 {
        let intf = self.regs[usize::from(reg::CANINTF)];
        let mut status = intf & 3;
        for n in 0..3u8 {
            if self.regs[usize::from(reg::txb_ctrl(n))] & reg::TXB_TXREQ != 0 {
                status |= reg::STATUS_TX0REQ << (2 * n);
            }
            if intf & (reg::INT_TX0 << n) != 0 {
                status |= reg::STATUS_TX0IF << (2 * n);
            }
        }
        status
    }

    fn rx_status(&self) -> u8 {
        let intf = self.regs[usize::from(reg::CANINTF)] & 3;
        if intf == 0 {
            return 0;
        }
        let base: usize = if intf & 1 != 0 { 0x60 } else { 0x70 };
        let sidl = self.regs[base + 2];
        let dlc = self.regs[base + 5];
        let extended = sidl & reg::SIDL_EXIDE != 0;
        let remote = if extended {
            dlc & reg::DLC_RTR != 0
        } else {
            sidl & reg::SIDL_SRR != 0
        };
        let ctrl = self.regs[base];
        let filter = if base == 0x60 {
            ctrl & 1
        } else {
            let hit = ctrl & reg::RXB1_FILHIT_MASK;
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
            reg::BFPCTRL => self.regs[usize::from(address)] = new & 0x3F,
            reg::TXRTSCTRL if self.config_mode() => {
                self.regs[usize::from(address)] = (old & 0x38) | (new & 0x07);
            }
            reg::CANCTRL => self.write_canctrl(new),
            reg::CANINTE => self.regs[usize::from(address)] = new,
            reg::CANINTF => {
                self.regs[usize::from(address)] = new;
                if new & reg::INT_WAK != 0
                    && old & reg::INT_WAK == 0
                    && self.mode() == Some(Mode::Sleep)
                    && self.regs[usize::from(reg::CANINTE)] & reg::INT_WAK != 0
                {
                    self.set_mode(Mode::ListenOnly);
                }
            }
            reg::EFLG => {
                // only RX0OVR/RX1OVR are writable, and only to clear them
                let keep = old & 0x3F;
                self.regs[usize::from(address)] = keep | (old & new & 0xC0);
            }
            0x30 | 0x40 | 0x50 => {
                let requested = new & reg::TXB_TXREQ != 0;
                let pending = old & reg::TXB_TXREQ != 0;
                let mut ctrl = (old & !0x0B) | (new & 0x0B);
                if requested && !pending {
                    self.txreq_writes += 1;
                    ctrl &= !(reg::TXB_ABTF | reg::TXB_MLOA | reg::TXB_TXERR);
                }
                if !requested && pending {
                    ctrl |= reg::TXB_ABTF;
                }
                self.regs[usize::from(address)] = ctrl;
            }
            0x31..=0x3D | 0x41..=0x4D | 0x51..=0x5D if self.regs[usize::from(address & 0x70)] & reg::TXB_TXREQ == 0 => {
                self.regs[usize::from(address)] = new;
            }
            reg::RXB0CTRL => self.regs[0x60] = (old & 0x0B) | (new & 0x64) | ((new & 0x04) >> 1),
            reg::RXB1CTRL => self.regs[0x70] = (old & 0x0F) | (new & 0x60),
            _ => {}
        }
    }

    fn write_canctrl(&mut self, value: u8) {
        self.regs[usize::from(reg::CANCTRL)] = value;
        if value & reg::CANCTRL_ABAT != 0 {
            for n in 0..3u8 {
                let ctrl = &mut self.regs[usize::from(reg::txb_ctrl(n))];
                if *ctrl & reg::TXB_TXREQ != 0 {
                    *ctrl = (*ctrl & !reg::TXB_TXREQ) | reg::TXB_ABTF;
                }
            }
        }
        // a sleeping chip leaves sleep only through a wake-up (then in listen-only)
        if self.refuse_mode_changes || self.mode() == Some(Mode::Sleep) {
            return;
        }
        if let Some(mode) = Mode::from_register(value) {
            self.set_mode(mode);
        }
    }

    fn set_mode(&mut self, mode: Mode) {
        if mode == Mode::Configuration {
            self.tec = 0;
            self.rec = 0;
            self.update_error_flags();
        }
        let canstat = &mut self.regs[usize::from(reg::CANSTAT)];
        *canstat = (*canstat & !reg::MODE_MASK) | mode.code();
    }

    fn request(&mut self, n: u8) {
        let abort = self.regs[usize::from(reg::CANCTRL)] & reg::CANCTRL_ABAT != 0;
        let ctrl = &mut self.regs[usize::from(reg::txb_ctrl(n))];
        *ctrl &= !(reg::TXB_ABTF | reg::TXB_MLOA | reg::TXB_TXERR);
        // while ABAT is set, a request is aborted at once (the model's reading of "abort all pending")
        *ctrl |= if abort { reg::TXB_ABTF } else { reg::TXB_TXREQ };
    }

    // ---- the CAN side -----------------------------------------------------------------------------------

    fn bus_off(&self) -> bool {
        self.tec > 255
    }

    fn update_error_flags(&mut self) {
        let mut flags = 0;
        if self.tec > 255 {
            flags |= reg::EFLG_TXBO;
        }
        if self.tec >= 128 {
            flags |= reg::EFLG_TXEP;
        }
        if self.rec >= 128 {
            flags |= reg::EFLG_RXEP;
        }
        if self.tec >= 96 {
            flags |= reg::EFLG_TXWAR;
        }
        if self.rec >= 96 {
            flags |= reg::EFLG_RXWAR;
        }
        if flags & (reg::EFLG_TXWAR | reg::EFLG_RXWAR) != 0 {
            flags |= reg::EFLG_EWARN;
        }
        let eflg = &mut self.regs[usize::from(reg::EFLG)];
        let old = *eflg & 0x3F;
        *eflg = (*eflg & 0xC0) | flags;
        if old != flags {
            self.regs[usize::from(reg::CANINTF)] |= reg::INT_ERR;
        }
        self.regs[usize::from(reg::TEC)] = u8::try_from(self.tec).unwrap_or(255);
        self.regs[usize::from(reg::REC)] = u8::try_from(self.rec).unwrap_or(255);
    }

    /// The frame this chip would put on the bus now: (buffer, frame), highest TXP first, then higher buffer.
    fn pending(&self) -> Option<(u8, Frame)> {
        let mode = self.mode();
        if !matches!(mode, Some(Mode::Normal | Mode::Loopback)) || self.bus_off() {
            return None;
        }
        (0..3u8)
            .rev()
            .filter(|n| self.regs[usize::from(reg::txb_ctrl(*n))] & reg::TXB_TXREQ != 0)
            .max_by_key(|n| (self.regs[usize::from(reg::txb_ctrl(*n))] & 3, *n))
            .map(|n| (n, self.tx_frame(n)))
    }

    fn tx_frame(&self, n: u8) -> Frame {
        let base = usize::from(reg::txb_ctrl(n)) + 1;
        let mut bytes = [0u8; 13];
        bytes.copy_from_slice(&self.regs[base..base + 13]);
        let remote = bytes[4] & reg::DLC_RTR != 0;
        let mut frame = Frame::decode(&bytes);
        if remote && frame.is_standard() {
            // TX buffers carry RTR in DLC for both formats; an RX buffer carries it in SIDL.SRR
            bytes[1] |= reg::SIDL_SRR;
            frame = Frame::decode(&bytes);
        }
        frame
    }

    fn transmitted(&mut self, n: u8) {
        let ctrl = &mut self.regs[usize::from(reg::txb_ctrl(n))];
        *ctrl &= !(reg::TXB_TXREQ | reg::TXB_TXERR | reg::TXB_MLOA);
        self.regs[usize::from(reg::CANINTF)] |= reg::INT_TX0 << n;
        self.tec = self.tec.saturating_sub(1);
        self.frames += 1;
        self.update_error_flags();
    }

    fn transmit_failed(&mut self, n: u8, acknowledgement: bool) {
        let passive = self.tec >= 128;
        if !(acknowledgement && passive) {
            self.tec += 8;
        }
        let one_shot = self.regs[usize::from(reg::CANCTRL)] & reg::CANCTRL_OSM != 0;
        let ctrl = &mut self.regs[usize::from(reg::txb_ctrl(n))];
        *ctrl |= reg::TXB_TXERR;
        if one_shot {
            *ctrl &= !reg::TXB_TXREQ;
        }
        self.regs[usize::from(reg::CANINTF)] |= reg::INT_MERR;
        self.update_error_flags();
    }

    fn lost_arbitration(&mut self, n: u8) {
        let one_shot = self.regs[usize::from(reg::CANCTRL)] & reg::CANCTRL_OSM != 0;
        let ctrl = &mut self.regs[usize::from(reg::txb_ctrl(n))];
        *ctrl |= reg::TXB_MLOA;
        if one_shot {
            *ctrl &= !reg::TXB_TXREQ;
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
                if self.regs[usize::from(reg::CANINTE)] & reg::INT_WAK != 0 {
                    self.regs[usize::from(reg::CANINTF)] |= reg::INT_WAK;
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
            if self.regs[usize::from(reg::CANINTF)] & reg::INT_RX0 == 0 {
                self.load_rx(0, frame, hit);
            } else if rxb0ctrl & reg::RXB0_BUKT != 0 {
                if self.regs[usize::from(reg::CANINTF)] & reg::INT_RX1 == 0 {
                    self.load_rx(1, frame, hit);
                } else {
                    self.overflow(reg::EFLG_RX1OVR);
                }
            } else {
                self.overflow(reg::EFLG_RX0OVR);
            }
        } else if let Some(hit) = self.accepts(self.regs[0x70], frame, &[2, 3, 4, 5], 1) {
            if self.regs[usize::from(reg::CANINTF)] & reg::INT_RX1 == 0 {
                self.load_rx(1, frame, hit);
            } else {
                self.overflow(reg::EFLG_RX1OVR);
            }
        }
    }

    fn overflow(&mut self, flag: u8) {
        self.regs[usize::from(reg::EFLG)] |= flag;
        self.regs[usize::from(reg::CANINTF)] |= reg::INT_ERR;
    }

    /// The filter that takes `frame` for a buffer with control `ctrl`, filters `filters`, mask `mask`.
    fn accepts(&self, ctrl: u8, frame: &Frame, filters: &[u8], mask: u8) -> Option<u8> {
        if ctrl & reg::RXB_RXM_MASK == reg::RXB_RXM_ANY {
            return Some(filters[0]);
        }
        let m = usize::from(reg::rxm_sidh(mask));
        let mask = [self.regs[m], self.regs[m + 1], self.regs[m + 2], self.regs[m + 3]];
        let (bytes, _) = frame.encode();
        let mut message = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if frame.is_standard() {
            // the EID filter bits apply to the first two data bytes of standard data frames
            let data = frame.data();
            message[2] = data.first().copied().unwrap_or(0);
            message[3] = data.get(1).copied().unwrap_or(0);
        }
        filters.iter().copied().find(|n| {
            let f = usize::from(reg::rxf_sidh(*n));
            let filter = [self.regs[f], self.regs[f + 1], self.regs[f + 2], self.regs[f + 3]];
            let exide_matches = (filter[1] & reg::SIDL_EXIDE != 0) == frame.is_extended();
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
        let (mut bytes, _) = frame.encode();
        if frame.is_remote_frame() {
            if frame.is_standard() {
                bytes[1] |= reg::SIDL_SRR;
                bytes[4] &= !reg::DLC_RTR;
            }
            for byte in bytes.iter_mut().skip(5) {
                *byte = 0;
            }
        }
        self.regs[base + 1..base + 14].copy_from_slice(&bytes);
        let rtr = if frame.is_remote_frame() { reg::RXB_RXRTR } else { 0 };
        let ctrl = &mut self.regs[base];
        *ctrl = if buffer == 0 {
            (*ctrl & 0x66) | rtr | (hit & 1)
        } else {
            (*ctrl & 0x60) | rtr | (hit & 7)
        };
        self.regs[usize::from(reg::CANINTF)] |= 1 << buffer;
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
        0x0E => reg::CANSTAT,
        0x0F => reg::CANCTRL,
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

/// Wraps an SPI device and counts what crosses it into a shared [`Traffic`] cell, which the caller can read
/// while a driver owns the wrapper.
///
/// ```
/// use core::cell::Cell;
/// use mcp25625::sim::{CountingBus, Mcp25625Sim, Traffic};
/// # use embedded_hal_mock::eh1::delay::NoopDelay;
///
/// let traffic = Cell::new(Traffic::default());
/// let mut can = mcp25625::Mcp25625::new(CountingBus::new(Mcp25625Sim::new(), &traffic));
/// can.status()?;
/// assert_eq!(traffic.take(), Traffic { frames: 1, bytes: 2 });
/// # Ok::<(), mcp25625::Error<embedded_hal::spi::ErrorKind>>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<'a, B> {
    /// The wrapped device.
    pub bus: B,
    traffic: &'a core::cell::Cell<Traffic>,
}

impl<'a, B> CountingBus<'a, B> {
    /// Wraps `bus`, counting into `traffic`.
    pub fn new(bus: B, traffic: &'a core::cell::Cell<Traffic>) -> Self {
        Self { bus, traffic }
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
        let mut traffic = self.traffic.get();
        traffic.frames += 1;
        traffic.bytes += u32::try_from(bytes).unwrap_or(u32::MAX);
        self.traffic.set(traffic);
    }
}

impl<B: ErrorType> ErrorType for CountingBus<'_, B> {
    type Error = B::Error;
}

impl<B: SpiDevice> SpiDevice for CountingBus<'_, B> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for CountingBus<'_, B> {
    async fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(operations).await
    }
}
