//! A register-level model of the PCA9685 that implements the I2C traits, for tests on a PC (ours and yours).
//!
//! It models what a driver can get wrong: the register pointer and auto-increment (with the chip's wrap points),
//! PRE_SCALE writes ignored while awake, the sticky EXTCLK bit, RESTART after a sleep with PWM running,
//! full-off over full-on precedence, the write-only ALL_LED registers fanning out to every channel, read-only
//! bits, sub-call and all-call addressing, and the general-call software reset. It answers any other address with
//! a NACK. Timing (the 500 µs oscillator start-up) is not modelled.
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

// Indices are `u8`s into 256-entry arrays (or small offsets below 0x46), so they cannot go out of range.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};

use crate::register as reg;
use crate::{Address, Channel};

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
            external_clock_hz: 0,
            test_mode_writes: 0,
            resets: 0,
        };
        sim.power_on_reset();
        sim
    }

    /// Power cycle: every register to its reset value.
    pub fn power_on_reset(&mut self) {
        self.registers = [0; 256];
        self.registers[usize::from(reg::MODE1)] = reg::MODE1_RESET;
        self.registers[usize::from(reg::MODE2)] = reg::MODE2_RESET;
        for (offset, value) in reg::ADDRESS_REGISTERS_RESET.iter().enumerate() {
            self.registers[usize::from(reg::SUBADR1) + offset] = *value;
        }
        for channel in 0..16 {
            self.registers[usize::from(reg::channel_register(channel)) + 3] = reg::FULL;
        }
        self.registers[usize::from(reg::PRE_SCALE)] = reg::PRE_SCALE_RESET;
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

    /// Overwrites a register behind the driver's back (to simulate another master or a glitch).
    pub fn poke(&mut self, address: u8, value: u8) {
        self.registers[usize::from(address)] = value;
    }

    /// The oscillator is off.
    pub fn is_sleeping(&self) -> bool {
        self.mode1() & reg::MODE1_SLEEP != 0
    }

    /// How often the TestMode register (0xFF), which a driver must never write, was written.
    pub fn test_mode_writes(&self) -> u32 {
        self.test_mode_writes
    }

    /// How many general-call software resets the chip has seen.
    pub fn software_resets(&self) -> u32 {
        self.resets
    }

    /// The PWM frequency the chip runs at, in millihertz: from EXTCLK or the nominal 25 MHz oscillator.
    pub fn frequency_mhz(&self) -> u32 {
        let clock = if self.mode1() & reg::MODE1_EXTCLK != 0 {
            self.external_clock_hz
        } else {
            reg::INTERNAL_OSCILLATOR_HZ
        };
        reg::frequency_mhz(clock, self.register(reg::PRE_SCALE))
    }

    /// What an output is doing now: low while asleep or halted after a sleep, else as its registers say (full off
    /// wins over full on, full on over the counts).
    pub fn output(&self, channel: Channel) -> Output {
        let off = Output { duty: 0, phase: 0 };
        if self.is_sleeping() || self.halted {
            return off;
        }
        let base = usize::from(reg::channel_register(channel.index()));
        let [on_l, on_h, off_l, off_h] = [0, 1, 2, 3].map(|i| self.registers[base + i]);
        let on = u16::from_le_bytes([on_l, on_h & 0x0F]);
        let off_count = u16::from_le_bytes([off_l, off_h & 0x0F]);
        if off_h & reg::FULL != 0 {
            off
        } else if on_h & reg::FULL != 0 {
            Output { duty: 4096, phase: on }
        } else if on == off_count {
            off
        } else {
            Output {
                duty: off_count.wrapping_sub(on) & reg::COUNT_MAX,
                phase: on,
            }
        }
    }

    fn mode1(&self) -> u8 {
        self.registers[usize::from(reg::MODE1)]
    }

    fn any_output_running(&self) -> bool {
        (0..16).any(|channel| {
            let base = usize::from(reg::channel_register(channel));
            self.registers[base + 3] & reg::FULL == 0
        })
    }

    fn answers(&self, address: u8) -> bool {
        let mode1 = self.mode1();
        let matches = |enable: u8, register: u8| mode1 & enable != 0 && self.register(register) >> 1 == address;
        address == self.address
            || matches(reg::MODE1_ALLCALL, reg::ALLCALLADR)
            || matches(reg::MODE1_SUB1, reg::SUBADR1)
            || matches(reg::MODE1_SUB1 >> 1, reg::SUBADR1 + 1)
            || matches(reg::MODE1_SUB1 >> 2, reg::SUBADR1 + 2)
    }

    fn advance(&mut self) {
        if self.mode1() & reg::MODE1_AI != 0 {
            self.pointer = match self.pointer {
                0x45 | 0xFE | 0xFF => 0,
                p => p + 1,
            };
        }
    }

    fn write_register(&mut self, value: u8) {
        let address = self.pointer;
        match address {
            reg::MODE1 => self.write_mode1(value),
            reg::MODE2 => self.registers[1] = value & reg::MODE2_WRITABLE,
            0x02..=0x05 => self.registers[usize::from(address)] = value & 0xFE,
            0x06..=0x45 => {
                let masked = if (address - reg::LED0_ON_L) % 2 == 1 {
                    value & 0x1F
                } else {
                    value
                };
                self.registers[usize::from(address)] = masked;
                // a PWM register write (OCH = 0, applied at STOP) clears a pending restart
                self.clear_restart();
            }
            0xFA..=0xFD => {
                let byte = usize::from(address - reg::ALL_LED_ON_L);
                let masked = if byte % 2 == 1 { value & 0x1F } else { value };
                for channel in 0..16 {
                    self.registers[usize::from(reg::channel_register(channel)) + byte] = masked;
                }
                self.clear_restart();
            }
            reg::PRE_SCALE if self.is_sleeping() => {
                self.registers[usize::from(reg::PRE_SCALE)] = value.max(reg::PRESCALE_MIN);
            }
            0xFF => self.test_mode_writes = self.test_mode_writes.saturating_add(1),
            _ => {}
        }
    }

    fn clear_restart(&mut self) {
        self.registers[0] &= !reg::MODE1_RESTART;
        self.halted = false;
    }

    fn write_mode1(&mut self, value: u8) {
        let old = self.mode1();
        let was_sleeping = old & reg::MODE1_SLEEP != 0;
        let sleeping = value & reg::MODE1_SLEEP != 0;
        let mut new = (value & !reg::MODE1_RESTART) | (old & reg::MODE1_RESTART);
        // EXTCLK is sticky, and only latches while the chip was already asleep.
        new &= !reg::MODE1_EXTCLK;
        if old & reg::MODE1_EXTCLK != 0 || (was_sleeping && value & reg::MODE1_EXTCLK != 0) {
            new |= reg::MODE1_EXTCLK;
        }
        if !was_sleeping && sleeping && !self.halted && self.any_output_running() {
            new |= reg::MODE1_RESTART;
            self.halted = true;
        }
        if value & reg::MODE1_RESTART != 0 && new & reg::MODE1_RESTART != 0 && !sleeping {
            new &= !reg::MODE1_RESTART;
            self.halted = false;
        }
        self.registers[0] = new;
    }

    fn read_register(&self) -> u8 {
        match self.pointer {
            0xFA..=0xFD => 0,
            p => self.register(p),
        }
    }

    fn general_call(&mut self, bytes: &[u8]) -> Result<(), ErrorKind> {
        if bytes == [reg::SWRST] {
            self.power_on_reset();
            self.resets = self.resets.saturating_add(1);
            Ok(())
        } else {
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data))
        }
    }

    fn run(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        if address == reg::GENERAL_CALL {
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
        Ok(())
    }
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

/// Wraps a bus and counts what crosses it into a `Cell<Traffic>` you keep, for bus-traffic figures.
///
/// ```
/// use core::cell::Cell;
/// use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
/// use pca9685::{Address, Pca9685};
///
/// let traffic = Cell::new(Traffic::default());
/// let mut pca = Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT), &traffic), Address::DEFAULT);
/// pca.all_off()?;
/// assert_eq!(traffic.take(), Traffic { transactions: 1, written: 2, read: 0 });
/// # Ok::<(), pca9685::Error<embedded_hal::i2c::ErrorKind>>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<'a, B> {
    bus: B,
    traffic: &'a core::cell::Cell<Traffic>,
}

impl<'a, B> CountingBus<'a, B> {
    /// Wraps `bus`, counting into `traffic`.
    pub fn new(bus: B, traffic: &'a core::cell::Cell<Traffic>) -> Self {
        Self { bus, traffic }
    }

    /// Gives the wrapped bus back.
    pub fn release(self) -> B {
        self.bus
    }

    fn count(&mut self, operations: &[Operation<'_>]) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut traffic = self.traffic.get();
        traffic.transactions = traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                Operation::Write(data) => traffic.written = traffic.written.saturating_add(bytes(data.len())),
                Operation::Read(buffer) => traffic.read = traffic.read.saturating_add(bytes(buffer.len())),
            }
        }
        self.traffic.set(traffic);
    }
}

impl<B: ErrorType> ErrorType for CountingBus<'_, B> {
    type Error = B::Error;
}

impl<B: I2c> I2c for CountingBus<'_, B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for CountingBus<'_, B> {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations).await
    }
}
