//! A register-level model of the PCA9685 that implements the I2C traits, for tests on a PC (ours and yours).
//!
//! It models what a driver can get wrong: the register pointer and auto-increment (with the chip's wrap points),
//! PRE_SCALE writes ignored while awake, the sticky EXTCLK bit (it latches only while asleep and clears only on a
//! power cycle or a software reset), RESTART after a sleep with PWM running (a command bit: writing 1 restarts,
//! writing 0 does nothing), when outputs take new LED register values (MODE2.OCH: at the STOP, or, with change on
//! ACK, only once all four registers of a channel were written), full-off over full-on precedence, the write-only
//! ALL_LED registers fanning out to every channel, read-only bits, sub-call and all-call addressing, and the
//! general-call software reset. It answers any other address with a NACK. Timing (the 500 µs oscillator start-up)
//! is not modelled.
//!
//! The model keeps its own register constants, independent of the driver's `register` module, so that a wrong
//! constant in the driver fails a test instead of agreeing with itself.
//!
//! [`FaultyBus`] wraps the model (or any bus) and injects bus faults for fault-tolerance tests.
//!
//! ```
//! use pca9685::{sim::Pca9685Sim, Address, Channel, Pca9685};
//! # use embedded_hal_mock::eh1::delay::NoopDelay;
//!
//! let mut pca = Pca9685::new(Pca9685Sim::new(Address::DEFAULT), Address::DEFAULT);
//! pca.set_frequency(fugit::HertzU32::Hz(50), &mut NoopDelay)?;
//! pca.wake(&mut NoopDelay)?;
//! pca.set_duty_cycle(Channel::C3, 1024)?;
//! let chip = pca.release();
//! assert_eq!(chip.output(Channel::C3).duty, 1024);
//! assert_eq!(chip.frequency_mhz(), 50_029);
//! # Ok::<(), pca9685::Error<embedded_hal::i2c::ErrorKind>>(())
//! ```

// Indices are `u8`s into 256-entry arrays (or channel numbers below 16 and offsets below 4), so they cannot go out
// of range; the arithmetic is on such small values.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

#[cfg(feature = "async")]
use core::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};

use crate::{Address, Channel};

// The chip's own map, written from the datasheet independently of `crate::register`.
const R_MODE1: u8 = 0x00;
const R_MODE2: u8 = 0x01;
const R_SUBADR1: u8 = 0x02;
const R_SUBADR2: u8 = 0x03;
const R_SUBADR3: u8 = 0x04;
const R_ALLCALLADR: u8 = 0x05;
const R_LED0_ON_L: u8 = 0x06;
const R_LED15_OFF_H: u8 = 0x45;
const R_ALL_LED_ON_L: u8 = 0xFA;
const R_ALL_LED_OFF_H: u8 = 0xFD;
const R_PRE_SCALE: u8 = 0xFE;
const R_TEST_MODE: u8 = 0xFF;
const GENERAL_CALL_ADDRESS: u8 = 0x00;
const SWRST_BYTE: u8 = 0x06;

const RESTART: u8 = 0x80;
const EXTCLK: u8 = 0x40;
const AI: u8 = 0x20;
const SLEEP: u8 = 0x10;
const SUB1: u8 = 0x08;
const SUB2: u8 = 0x04;
const SUB3: u8 = 0x02;
const ALLCALL: u8 = 0x01;
const OCH: u8 = 0x08;
const MODE2_READ_WRITE: u8 = 0x1F;
const LED_H_READ_WRITE: u8 = 0x1F;
const FULL_BIT: u8 = 0x10;

const POWER_ON: [(u8, u8); 7] = [
    (R_MODE1, 0x11),
    (R_MODE2, 0x04),
    (R_SUBADR1, 0xE2),
    (R_SUBADR2, 0xE4),
    (R_SUBADR3, 0xE8),
    (R_ALLCALLADR, 0xE0),
    (R_PRE_SCALE, 0x1E),
];
const INTERNAL_CLOCK_HZ: u64 = 25_000_000;

/// What one output is doing, as the chip would drive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Output {
    /// High time in 1/4096 of a period: 0 = low, 4096 = always high (before MODE2.INVRT).
    pub duty: u16,
    /// The count at which the output goes high.
    pub phase: u16,
}

/// The simulated chip.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pca9685Sim {
    address: u8,
    registers: [u8; 256],
    pointer: u8,
    /// Channels stay dark after a wake until RESTART is written (or a PWM register is written).
    halted: bool,
    /// What each output runs from: its four LED registers as they were when the output last took them.
    latched: [[u8; 4]; 16],
    /// Per channel, which of its four LED registers (bits 0..=3) were written since its output last took them.
    written: [u8; 16],
    external_clock_hz: u32,
    test_mode_writes: u32,
    resets: u32,
}

impl Pca9685Sim {
    /// A chip strapped to `address`, in its power-on state: asleep, every output full off, all-call at 0x70.
    pub fn new(address: Address) -> Self {
        let mut sim = Self {
            address: address.get(),
            registers: [0; 256],
            pointer: 0,
            halted: false,
            latched: [[0; 4]; 16],
            written: [0; 16],
            external_clock_hz: 0,
            test_mode_writes: 0,
            resets: 0,
        };
        sim.power_on_reset();
        sim
    }

    /// Power cycle: every register to its reset value, every output full off.
    pub fn power_on_reset(&mut self) {
        self.registers = [0; 256];
        for (register, value) in POWER_ON {
            self.registers[usize::from(register)] = value;
        }
        for channel in 0..16 {
            self.registers[led_base(channel) + 3] = FULL_BIT;
            self.latch(channel);
        }
        self.written = [0; 16];
        self.pointer = 0;
        self.halted = false;
    }

    /// The frequency fed to EXTCLK (used only once MODE1.EXTCLK is set). 0 until given.
    pub fn set_external_clock(&mut self, frequency: fugit::HertzU32) {
        self.external_clock_hz = frequency.raw();
    }

    /// A register's value as the chip holds it (ALL_LED registers read 0, as on the chip).
    pub fn register(&self, address: u8) -> u8 {
        self.registers[usize::from(address)]
    }

    /// Overwrites a register behind the driver's back (to simulate another master or a glitch). An LED register
    /// reaches its output at once, as if written in a transaction of its own with OCH = 0.
    pub fn poke(&mut self, address: u8, value: u8) {
        self.registers[usize::from(address)] = value;
        if (R_LED0_ON_L..=R_LED15_OFF_H).contains(&address) {
            self.latch((address - R_LED0_ON_L) / 4);
        }
    }

    /// The oscillator is off.
    pub fn is_sleeping(&self) -> bool {
        self.mode1() & SLEEP != 0
    }

    /// MODE1.RESTART reads 1: PWM was running when the chip was put to sleep, and its outputs stay dark until
    /// RESTART is written (or a PWM register is).
    pub fn restart_pending(&self) -> bool {
        self.mode1() & RESTART != 0
    }

    /// The channel's LED registers were written, but its output has not taken them yet (with MODE2.OCH = change on
    /// ACK, until all four of them were written).
    pub fn pending_update(&self, channel: Channel) -> bool {
        self.written[usize::from(channel.index())] != 0
    }

    /// How often the TestMode register (0xFF), which a driver must never write, was written.
    pub fn test_mode_writes(&self) -> u32 {
        self.test_mode_writes
    }

    /// How many general-call software resets the chip has seen.
    pub fn software_resets(&self) -> u32 {
        self.resets
    }

    /// The PWM frequency the chip runs at, in millihertz, rounded to the nearest: from EXTCLK or the nominal 25 MHz
    /// oscillator.
    pub fn frequency_mhz(&self) -> u32 {
        let clock = if self.mode1() & EXTCLK != 0 {
            u64::from(self.external_clock_hz)
        } else {
            INTERNAL_CLOCK_HZ
        };
        let ticks = 4096 * (u64::from(self.register(R_PRE_SCALE)) + 1);
        u32::try_from((clock * 1000 + ticks / 2) / ticks).unwrap_or(u32::MAX)
    }

    /// What an output is doing now: low while asleep or halted after a sleep, else as the LED registers it last
    /// took say (full off wins over full on, full on over the counts).
    pub fn output(&self, channel: Channel) -> Output {
        let off = Output { duty: 0, phase: 0 };
        if self.is_sleeping() || self.halted {
            return off;
        }
        let [on_l, on_h, off_l, off_h] = self.latched[usize::from(channel.index())];
        let on = u16::from_le_bytes([on_l, on_h & 0x0F]);
        let off_count = u16::from_le_bytes([off_l, off_h & 0x0F]);
        if off_h & FULL_BIT != 0 {
            off
        } else if on_h & FULL_BIT != 0 {
            Output { duty: 4096, phase: on }
        } else if on == off_count {
            off
        } else {
            Output {
                duty: off_count.wrapping_sub(on) & 0x0FFF,
                phase: on,
            }
        }
    }

    fn mode1(&self) -> u8 {
        self.registers[usize::from(R_MODE1)]
    }

    fn change_on_ack(&self) -> bool {
        self.registers[usize::from(R_MODE2)] & OCH != 0
    }

    fn latch(&mut self, channel: u8) {
        let base = led_base(channel);
        let channel = usize::from(channel);
        for byte in 0..4 {
            self.latched[channel][byte] = self.registers[base + byte];
        }
        self.written[channel] = 0;
    }

    fn any_output_running(&self) -> bool {
        self.latched.iter().any(|led| led[3] & FULL_BIT == 0)
    }

    fn answers(&self, address: u8) -> bool {
        let mode1 = self.mode1();
        let matches = |enable: u8, register: u8| mode1 & enable != 0 && self.register(register) >> 1 == address;
        address == self.address
            || matches(ALLCALL, R_ALLCALLADR)
            || matches(SUB1, R_SUBADR1)
            || matches(SUB2, R_SUBADR2)
            || matches(SUB3, R_SUBADR3)
    }

    fn advance(&mut self) {
        if self.mode1() & AI != 0 {
            self.pointer = match self.pointer {
                R_LED15_OFF_H | R_PRE_SCALE | R_TEST_MODE => 0,
                p => p + 1,
            };
        }
    }

    /// One LED register byte (0..=3) of one channel written: with OCH = 1 the output takes the four registers at
    /// the ACK of the last of them.
    fn led_written(&mut self, channel: u8, byte: u8, value: u8) {
        let masked = if byte % 2 == 1 { value & LED_H_READ_WRITE } else { value };
        self.registers[led_base(channel) + usize::from(byte)] = masked;
        self.written[usize::from(channel)] |= 1 << byte;
        if self.change_on_ack() && self.written[usize::from(channel)] == 0x0F {
            self.latch(channel);
            self.clear_restart();
        }
    }

    fn write_register(&mut self, value: u8) {
        let address = self.pointer;
        match address {
            R_MODE1 => self.write_mode1(value),
            R_MODE2 => self.registers[usize::from(R_MODE2)] = value & MODE2_READ_WRITE,
            R_SUBADR1..=R_ALLCALLADR => self.registers[usize::from(address)] = value & 0xFE,
            R_LED0_ON_L..=R_LED15_OFF_H => {
                let offset = address - R_LED0_ON_L;
                self.led_written(offset / 4, offset % 4, value);
            }
            R_ALL_LED_ON_L..=R_ALL_LED_OFF_H => {
                for channel in 0..16 {
                    self.led_written(channel, address - R_ALL_LED_ON_L, value);
                }
            }
            R_PRE_SCALE if self.is_sleeping() => {
                // the hardware forces a minimum of 3
                self.registers[usize::from(R_PRE_SCALE)] = value.max(3);
            }
            R_TEST_MODE => self.test_mode_writes = self.test_mode_writes.saturating_add(1),
            _ => {}
        }
    }

    /// The STOP: with OCH = 0 every output whose LED registers were written takes them now.
    fn stop(&mut self) {
        if self.change_on_ack() {
            return;
        }
        let mut any = false;
        for channel in 0..16 {
            if self.written[usize::from(channel)] != 0 {
                self.latch(channel);
                any = true;
            }
        }
        if any {
            self.clear_restart();
        }
    }

    fn clear_restart(&mut self) {
        self.registers[usize::from(R_MODE1)] &= !RESTART;
        self.halted = false;
    }

    fn write_mode1(&mut self, value: u8) {
        let old = self.mode1();
        let was_sleeping = old & SLEEP != 0;
        let sleeping = value & SLEEP != 0;
        // RESTART is a command: writing 0 leaves it as it reads.
        let mut new = (value & !RESTART) | (old & RESTART);
        // EXTCLK is sticky, and only latches while the chip was already asleep.
        new &= !EXTCLK;
        if old & EXTCLK != 0 || (was_sleeping && value & EXTCLK != 0) {
            new |= EXTCLK;
        }
        if !was_sleeping && sleeping && !self.halted && self.any_output_running() {
            new |= RESTART;
            self.halted = true;
        }
        if value & RESTART != 0 && new & RESTART != 0 && !sleeping {
            new &= !RESTART;
            self.halted = false;
        }
        self.registers[usize::from(R_MODE1)] = new;
    }

    fn read_register(&self) -> u8 {
        match self.pointer {
            R_ALL_LED_ON_L..=R_ALL_LED_OFF_H => 0,
            p => self.register(p),
        }
    }

    fn general_call(&mut self, bytes: &[u8]) -> Result<(), ErrorKind> {
        if bytes == [SWRST_BYTE] {
            self.power_on_reset();
            self.resets = self.resets.saturating_add(1);
            Ok(())
        } else {
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))
        }
    }

    fn run(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        if address == GENERAL_CALL_ADDRESS {
            return match operations {
                [Operation::Write(bytes)] => self.general_call(bytes),
                _ => Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)),
            };
        }
        if !self.answers(address) {
            return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
        }
        let mut previous_was_write = false;
        for operation in operations {
            match operation {
                Operation::Write(bytes) => {
                    let mut data = bytes.iter();
                    if !previous_was_write {
                        if let Some(pointer) = data.next() {
                            self.pointer = *pointer;
                        }
                    }
                    for value in data {
                        self.write_register(*value);
                        self.advance();
                    }
                    previous_was_write = true;
                }
                Operation::Read(buffer) => {
                    for value in buffer.iter_mut() {
                        *value = self.read_register();
                        self.advance();
                    }
                    previous_was_write = false;
                }
            }
        }
        self.stop();
        Ok(())
    }
}

/// The register index of byte 0 (ON_L) of a channel.
fn led_base(channel: u8) -> usize {
    usize::from(R_LED0_ON_L) + 4 * usize::from(channel)
}

impl ErrorType for Pca9685Sim {
    type Error = ErrorKind;
}

impl I2c for Pca9685Sim {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Pca9685Sim {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

// ---- fault injection --------------------------------------------------------------------------------------------

/// Where an injected fault hits a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing of the transaction.
    BeforeChip,
    /// The chip performs the whole transaction (registers change, reads happen), then the host sees the error.
    AfterChip,
    /// The chip takes the first `n` bytes the host wrote in the transaction (the register pointer counts), and
    /// nothing after: no later write byte and no read. Then the host sees the error.
    Partway(usize),
}

/// The error of a [`FaultyBus`]: a fault it injected, or an error of the wrapped bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultyBusError<E> {
    /// A fault injected by the [`FaultyBus`], reporting this kind.
    Injected(ErrorKind),
    /// The wrapped bus failed.
    Bus(E),
}

impl<E: embedded_hal::i2c::Error> embedded_hal::i2c::Error for FaultyBusError<E> {
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

#[cfg(feature = "defmt")]
impl<E: core::fmt::Debug> defmt::Format for FaultyBusError<E> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self));
    }
}

/// The most operations of one transaction a [`FaultPoint::Partway`] fault can forward (the driver uses two).
const PARTWAY_MAX_OPERATIONS: usize = 8;

/// A bus wrapper that makes transactions fail on purpose, for fault-tolerance tests: one chosen transaction
/// ([`fail_nth`](Self::fail_nth)), or each with a probability ([`fail_randomly`](Self::fail_randomly)), at a
/// chosen [`FaultPoint`]; a bus whose reads all return one byte ([`stuck_at`](Self::stuck_at)); and, for the
/// async traits, a `Pending` before and after every transaction so that a test can drop a future at each await
/// point ([`yield_around_transactions`](Self::yield_around_transactions)).
///
/// One call of `transaction` (or `write`, `write_read`, …) is one transaction.
///
/// ```
/// use pca9685::sim::{FaultPoint, FaultyBus, Pca9685Sim};
/// use pca9685::{Address, Pca9685};
///
/// let mut bus = FaultyBus::new(Pca9685Sim::new(Address::DEFAULT));
/// bus.fail_nth(0, FaultPoint::AfterChip);
/// let mut pca = Pca9685::new(bus, Address::DEFAULT);
/// assert!(pca.all_off().is_err()); // the chip took it, the host saw an error
/// assert!(pca.all_off().is_ok());
/// assert_eq!(pca.release().faults(), 1);
/// ```
#[derive(Debug)]
pub struct FaultyBus<B> {
    bus: B,
    nth: Option<(u32, FaultPoint)>,
    random: Option<(u64, u16)>,
    stuck: Option<u8>,
    kind: ErrorKind,
    yield_around: bool,
    transactions: u32,
    faults: u32,
}

#[cfg(feature = "defmt")]
impl<B> defmt::Format for FaultyBus<B> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "FaultyBus {{ transactions: {}, faults: {} }}",
            self.transactions,
            self.faults
        );
    }
}

impl<B> FaultyBus<B> {
    /// Wraps `bus`, injecting no fault until told to.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            nth: None,
            random: None,
            stuck: None,
            kind: ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data),
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

    /// The wrapped bus, mutably (to poke a simulated chip between operations).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Transaction `n`, counted from now (0 = the next one), fails once at `point`.
    pub fn fail_nth(&mut self, n: u32, point: FaultPoint) {
        self.nth = Some((n, point));
    }

    /// Each transaction fails with a probability of `per_mille` / 1000, at a point chosen at random, from a small
    /// deterministic generator seeded with `seed` (the same seed gives the same faults).
    pub fn fail_randomly(&mut self, seed: u64, per_mille: u16) {
        // splitmix64 never gets stuck at 0, whatever the seed
        self.random = Some((seed, per_mille));
    }

    /// Ends both fault plans ([`fail_nth`](Self::fail_nth) and [`fail_randomly`](Self::fail_randomly)).
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.random = None;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (a chip that answers the same byte for ever, a floating
    /// bus); the writes still reach the wrapped bus. `None` ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error kind an injected fault reports (default: a NACK of a data byte).
    pub fn set_error_kind(&mut self, kind: ErrorKind) {
        self.kind = kind;
    }

    /// With `true`, the async transaction returns `Pending` once before the transaction reaches the wrapped bus
    /// and once after it did, so that a test can drop the future at every await point. The blocking impl ignores
    /// it.
    pub fn yield_around_transactions(&mut self, enabled: bool) {
        self.yield_around = enabled;
    }

    /// Transactions that reached the wrapper so far (failed ones included).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected so far.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    fn next_random(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Counts the transaction and decides whether (and where) it fails.
    fn plan(&mut self, operations: &[Operation<'_>]) -> Option<FaultPoint> {
        self.transactions = self.transactions.saturating_add(1);
        let written: usize = operations
            .iter()
            .map(|operation| match operation {
                Operation::Write(bytes) => bytes.len(),
                Operation::Read(_) => 0,
            })
            .sum();
        let mut fault = None;
        if let Some((n, point)) = self.nth {
            if n == 0 {
                self.nth = None;
                fault = Some(point);
            } else {
                self.nth = Some((n - 1, point));
            }
        }
        if let Some((state, per_mille)) = &mut self.random {
            let roll = Self::next_random(state);
            if fault.is_none() && roll % 1000 < u64::from(*per_mille) {
                let choice = Self::next_random(state);
                fault = Some(match choice % 3 {
                    0 => FaultPoint::BeforeChip,
                    1 => FaultPoint::AfterChip,
                    _ => FaultPoint::Partway(usize::try_from((choice >> 8) % (written as u64 + 1)).unwrap_or(0)),
                });
            }
        }
        if fault.is_some() {
            self.faults = self.faults.saturating_add(1);
        }
        fault
    }

    /// What the host reads on a stuck bus.
    fn stick(&self, operations: &mut [Operation<'_>]) {
        if let Some(byte) = self.stuck {
            for operation in operations {
                if let Operation::Read(buffer) = operation {
                    buffer.fill(byte);
                }
            }
        }
    }
}

/// The first `taken` written bytes of `operations` (and the reads between them), as the operations of a shorter
/// transaction in `cut`; returns how many there are.
fn cut_after<'a>(operations: &'a mut [Operation<'_>], taken: usize, cut: &mut [Operation<'a>]) -> usize {
    let mut remaining = taken;
    let mut count = 0;
    for operation in operations {
        if remaining == 0 || count == cut.len() {
            break;
        }
        cut[count] = match operation {
            Operation::Write(bytes) => {
                let take = remaining.min(bytes.len());
                remaining -= take;
                Operation::Write(&bytes[..take])
            }
            Operation::Read(buffer) => Operation::Read(buffer),
        };
        count += 1;
    }
    count
}

impl<B: ErrorType> ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: I2c> I2c for FaultyBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        let injected = Err(FaultyBusError::Injected(self.kind));
        match self.plan(operations) {
            None => {
                self.bus.transaction(address, operations).map_err(FaultyBusError::Bus)?;
                self.stick(operations);
                Ok(())
            }
            Some(FaultPoint::BeforeChip) => injected,
            Some(FaultPoint::AfterChip) => {
                self.bus.transaction(address, operations).map_err(FaultyBusError::Bus)?;
                injected
            }
            Some(FaultPoint::Partway(taken)) => {
                let mut cut: [Operation<'_>; PARTWAY_MAX_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = cut_after(operations, taken, &mut cut);
                if count > 0 {
                    // whatever the chip answers, the host saw the injected fault
                    let _ = self.bus.transaction(address, &mut cut[..count]);
                }
                injected
            }
        }
    }
}

/// Returns `Pending` once (waking itself at once), then `Ready`.
#[cfg(feature = "async")]
struct YieldOnce(bool);

#[cfg(feature = "async")]
impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            context.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for FaultyBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        if self.yield_around {
            YieldOnce(false).await;
        }
        let injected = Err(FaultyBusError::Injected(self.kind));
        let result = match self.plan(operations) {
            None => match self.bus.transaction(address, operations).await {
                Ok(()) => {
                    self.stick(operations);
                    Ok(())
                }
                Err(e) => Err(FaultyBusError::Bus(e)),
            },
            Some(FaultPoint::BeforeChip) => injected,
            Some(FaultPoint::AfterChip) => match self.bus.transaction(address, operations).await {
                Ok(()) => injected,
                Err(e) => Err(FaultyBusError::Bus(e)),
            },
            Some(FaultPoint::Partway(taken)) => {
                let mut cut: [Operation<'_>; PARTWAY_MAX_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = cut_after(operations, taken, &mut cut);
                if count > 0 {
                    let _ = self.bus.transaction(address, &mut cut[..count]).await;
                }
                injected
            }
        };
        if self.yield_around {
            YieldOnce(false).await;
        }
        result
    }
}

/// Bus traffic counted by [`CountingBus`]: transactions, and bytes on the wire after each address byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Traffic {
    /// I2C transactions (START … STOP).
    pub transactions: u32,
    /// Bytes written, address bytes excluded.
    pub written: u32,
    /// Bytes read.
    pub read: u32,
}

/// Wraps a bus and counts what crosses it, for bus-traffic figures. The same names as [`FaultyBus`]:
/// [`new`](Self::new), [`inner`](Self::inner), [`inner_mut`](Self::inner_mut), [`into_inner`](Self::into_inner).
///
/// While a driver owns it, read the figures through the driver's `bus()`:
///
/// ```
/// use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
/// use pca9685::{Address, OutputConfig, Pca9685};
///
/// let mut pca = Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT);
/// pca.set_output_config(OutputConfig::default())?;
/// assert_eq!(pca.bus().traffic(), Traffic { transactions: 1, written: 2, read: 0 });
/// pca.bus_mut().reset_traffic();
/// pca.all_off()?;
/// assert_eq!(pca.bus().traffic(), Traffic { transactions: 1, written: 2, read: 0 });
/// assert!(pca.release().into_inner().is_sleeping());
/// # Ok::<(), pca9685::Error<embedded_hal::i2c::ErrorKind>>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, with every count at zero.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Traffic::default(),
        }
    }

    /// What crossed the bus since [`new`](Self::new) or the last [`reset_traffic`](Self::reset_traffic).
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Sets every count back to zero.
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

    fn count(&mut self, operations: &[Operation<'_>]) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let traffic = &mut self.traffic;
        traffic.transactions = traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                Operation::Write(data) => traffic.written = traffic.written.saturating_add(bytes(data.len())),
                Operation::Read(buffer) => traffic.read = traffic.read.saturating_add(bytes(buffer.len())),
            }
        }
    }
}

impl<B: ErrorType> ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: I2c> I2c for CountingBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for CountingBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations).await
    }
}
