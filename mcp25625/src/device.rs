//! The driver: one source, two drivers. `Mcp25625` (blocking, `embedded-hal`) and, with the `async` feature,
//! `Mcp25625Async` (`embedded-hal-async`) are generated from the same code by `maybe-async-cfg`.

#[cfg(feature = "async")]
use embedded_hal_async::{delay::DelayNs as AsyncDelayNs, spi::SpiDevice as AsyncSpiDevice};

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{Error as _, OutputPin};
use embedded_hal::spi::{Operation, SpiDevice};

use crate::register as reg;
use crate::types::{
    Acceptance, ArgumentError, BitTiming, ClockOut, Config, Error, ErrorCounters, ErrorFlags, ErrorReport, Filter,
    FilterNumber, Frame, InterruptCode, Interrupts, Mask, MaskNumber, Mode, ReceiveMethod, RxBuffer, RxPinMode,
    RxStatus, StandbyLevel, Status, TxBuffer, TxPinMode, TxPriority, TxState,
};

/// The standby pin of a driver that has none (a stand-alone MCP2515, or STBY tied low).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoPin;

impl embedded_hal::digital::ErrorType for NoPin {
    type Error = core::convert::Infallible;
}

impl OutputPin for NoPin {
    fn set_low(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// The first wait between two CANSTAT reads while a mode change is pending; it doubles after each read, up to
/// the timeout / [`MODE_POLL_SLICES`].
const MODE_POLL_US: u32 = 10;
/// How long a mode change may take by default: entering a mode waits for a frame in progress (at most ~160
/// bits), and the Particle library saw sleep requests take longer; 50 ms is generous at every bit rate down to
/// 5 kbit/s.
const MODE_TIMEOUT_US: u32 = 50_000;
/// The longest wait between two CANSTAT reads is the mode timeout divided by this.
const MODE_POLL_SLICES: u32 = 16;
/// A hard cap on the CANSTAT reads of one mode change, whatever the timeout.
const MODE_POLLS_MAX: u32 = 64;
/// The bit of `known` saying TXB0's cached header is right (TXBn's: this shifted by n).
const HEADER_KNOWN: u8 = 0x10;
/// The bit of `known` saying the cached RXB0CTRL is right.
const RXB0CTRL_KNOWN: u8 = 0x08;
/// How long [`send`](Mcp25625::send) waits for a free TX buffer by default.
const SEND_TIMEOUT_US: u32 = 100_000;
/// How long [`receive`](Mcp25625::receive) waits for a frame by default.
const RECEIVE_TIMEOUT_US: u32 = 1_000_000;
/// Bus time charged against a deadline per transaction, in µs, on top of [`BUS_US_PER_BYTE`] per byte: CS
/// set-up and hold and the host's turnaround.
const BUS_US_PER_TRANSACTION: u32 = 1;
/// Bus time charged per byte, in µs: 8 bits at 8 MHz (the chip allows 10 MHz). At a slower SPI clock a wait
/// lasts longer than its deadline by about the ratio of the clocks.
const BUS_US_PER_BYTE: u32 = 1;

/// The bus time charged for one transaction of `bytes` bytes, in µs. Deadlines are counted in whole µs on
/// 32 bits (every charge and wait is a whole number of µs), so no 64-bit arithmetic is linked.
const fn bus_time_us(bytes: u32) -> u32 {
    BUS_US_PER_TRANSACTION.saturating_add(BUS_US_PER_BYTE.saturating_mul(bytes))
}

/// A frame the chip handed over (read out of its buffer) that the caller has not got yet.
///
/// Laid out as 16 bytes aligned to 4 (registers first), so that the firmware copies it with word loads and
/// stores instead of a call to `memcpy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C, align(4))]
struct Held {
    registers: [u8; 13],
    buffer: RxBuffer,
    /// RXnIF is known to be clear for this frame (the buffer is free); otherwise the clear may not have happened.
    cleared: bool,
    /// RX1IF was set when this frame was taken from RXB0: the frame in RXB1 is older than any that refills RXB0.
    rx1_before: bool,
}

/// What a wake that did not finish still owes the chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum WakeCleanup {
    /// WAKIF may be set; CANINTE was not touched.
    ClearFlag,
    /// WAKIF may be set, and WAKIE was set by the wake: CANINTE goes back to this value.
    RestoreInterrupts(u8),
    /// WAKIF may be set, and WAKIE was set by the wake on a CANINTE the driver did not know: clear WAKIE only.
    ClearWakie,
}

/// The driver's belief about the chip, for the property tests (feature `sim`): `None` is unknown.
#[doc(hidden)]
#[cfg(feature = "sim")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheView {
    pub mode: Option<Mode>,
    pub canctrl: Option<u8>,
    pub abort_may_be_set: bool,
    pub cnf3_flags: Option<u8>,
    pub caninte: Option<u8>,
    pub bfpctrl: Option<u8>,
    pub priorities: [Option<u8>; 3],
    pub tx_headers: [Option<[u8; 5]>; 3],
    pub rollover: Option<bool>,
    pub rxb0ctrl: Option<u8>,
    pub holds_frame: bool,
}

#[maybe_async_cfg::maybe(
    idents(Mcp25625(sync = "Mcp25625", async = "Mcp25625Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The MCP25625 / MCP2515 driver.
///
/// The blocking driver is `Mcp25625`; with the `async` feature, `Mcp25625Async` has the same methods as
/// `async fn`s. Only the blocking one implements the `embedded-can` traits (they are blocking or `nb`).
///
/// Every instruction is one SPI transaction (one CS frame). The driver caches the registers only it writes
/// (CANCTRL, CANINTE, BFPCTRL, CNF3's SOF/WAKFIL bits, the three TX priorities and TX headers, RXB0CTRL), so
/// settings cost one write and no read. Every cached value is either what the chip holds or marked unknown: a
/// new driver knows nothing until [`reset`](Self::reset) or [`init`](Self::init) (or
/// [`assume_power_on_state`](Self::assume_power_on_state) right after power-on), an operation marks what it
/// touches unknown before its first write and known again only after its last one succeeded, so after any error
/// (or an async call dropped part way) the next operation that needs an unknown value reads it from the chip
/// first (one READ of CANSTAT and CANCTRL, 4 bytes, for the mode and CANCTRL).
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp25625<SPI, STBY = NoPin> {
    spi: SPI,
    standby: Option<STBY>,
    /// The level of STBY that puts the transceiver in standby.
    standby_level: StandbyLevel,
    /// The confirmed mode (CANSTAT.OPMOD, with CANCTRL.REQOP asking for the same), `None` when unknown.
    mode: Option<Mode>,
    /// CANCTRL without its command bits (REQOP, ABAT): OSM, CLKEN, CLKPRE.
    canctrl: Option<u8>,
    /// ABAT may be set on the chip (left by a mode change into sleep or configuration, an unfinished abort_all,
    /// or unknown); cleared before the next transmission.
    abort_set: bool,
    /// CNF3's SOF and WAKFIL bits.
    cnf3_flags: Option<u8>,
    caninte: Option<u8>,
    bfpctrl: Option<u8>,
    /// TXP of TXB0..2, two bits each (known: bits 0..=2 of `known`).
    priorities: u8,
    /// SIDH, SIDL, EID8, EID0, DLC last loaded into TXB0..2 (only the driver writes them).
    tx_headers: [[u8; 5]; 3],
    /// Which cached values are known: bit n TXBn's priority, bit 4 + n TXBn's header, bit 3 RXB0CTRL (one
    /// byte for all keeps the driver object within 64 bytes, which a firmware copies without calling `memcpy`).
    known: u8,
    /// RXB0CTRL's writable bits (RXM, BUKT), when `known` has [`RXB0CTRL_KNOWN`].
    rxb0ctrl: u8,
    /// The frame in RXB1 arrived before the one in RXB0 (rollover, then RXB0 emptied and refilled); `None`:
    /// unknown, RXB0 is taken first.
    rxb1_first: Option<bool>,
    held: Option<Held>,
    /// CANINTF and EFLG bits `service_errors` read (and may have cleared) but could not return yet.
    unreported: [u8; 2],
    wake_cleanup: Option<WakeCleanup>,
    receive_method: ReceiveMethod,
    mode_timeout_us: u32,
    send_timeout_us: u32,
    receive_timeout_us: u32,
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp25625(sync = "Mcp25625", async = "Mcp25625Async"),
        SpiDevice(sync = "SpiDevice", async = "AsyncSpiDevice"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI: SpiDevice> Mcp25625<SPI, NoPin> {
    /// A driver for the chip on `spi` (mode 0,0, at most 10 MHz), without a standby pin. Sends nothing; knows
    /// nothing about the chip until [`reset`](Self::reset), [`init`](Self::init) or
    /// [`assume_power_on_state`](Self::assume_power_on_state) (or reads what it needs).
    pub fn new(spi: SPI) -> Self {
        Self::with_standby_pin(spi, None, StandbyLevel::High)
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp25625(sync = "Mcp25625", async = "Mcp25625Async"),
        SpiDevice(sync = "SpiDevice", async = "AsyncSpiDevice"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI: SpiDevice, STBY: OutputPin> Mcp25625<SPI, STBY> {
    /// A driver for an MCP25625 whose transceiver STBY pin is wired to `standby`; `level` is the level that puts
    /// the transceiver in standby ([`StandbyLevel::High`] on the MCP25625; configurable because only one source
    /// states it, and a board may invert the pin). Sends nothing; the pin is first driven by [`init`](Self::init).
    pub fn with_standby(spi: SPI, standby: STBY, level: StandbyLevel) -> Self {
        Self::with_standby_pin(spi, Some(standby), level)
    }

    fn with_standby_pin(spi: SPI, standby: Option<STBY>, standby_level: StandbyLevel) -> Self {
        let mut driver = Self {
            spi,
            standby,
            standby_level,
            mode: None,
            canctrl: None,
            abort_set: true,
            cnf3_flags: None,
            caninte: None,
            bfpctrl: None,
            priorities: 0,
            tx_headers: [[0; 5]; 3],
            known: 0,
            rxb0ctrl: 0,
            rxb1_first: None,
            held: None,
            unreported: [0; 2],
            wake_cleanup: None,
            receive_method: ReceiveMethod::ReadThenClear,
            mode_timeout_us: MODE_TIMEOUT_US,
            send_timeout_us: SEND_TIMEOUT_US,
            receive_timeout_us: RECEIVE_TIMEOUT_US,
        };
        driver.forget();
        driver
    }

    /// Gives the bus back.
    pub fn release(self) -> SPI {
        self.spi
    }

    /// Gives the bus and the standby pin back.
    pub fn release_with_standby(self) -> (SPI, Option<STBY>) {
        (self.spi, self.standby)
    }

    /// The mode the driver last confirmed (CANSTAT read back), without bus traffic; `None` while it is unknown
    /// (before [`reset`](Self::reset)/[`init`](Self::init), or after a mode change that failed, timed out or was
    /// dropped). The next operation that needs the mode reads it. A sleeping chip wakes by itself on bus
    /// activity (into listen-only): this still says `Sleep` until [`read_mode`](Self::read_mode) or a mode change
    /// (which wakes the chip the same way in both cases).
    pub fn mode(&self) -> Option<Mode> {
        self.mode
    }

    /// How long a mode change may take before [`Error::ModeTimeout`] (50 ms unless set). CANSTAT is read at
    /// growing intervals (10 µs, doubling, up to a sixteenth of the timeout; at most 64 reads); each read is
    /// charged its bus time (1 µs per byte plus 1 µs, i.e. SPI at 8 MHz) on top of the waits.
    pub fn set_mode_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.mode_timeout_us = timeout.ticks();
    }

    /// How long [`send`](Self::send) (and `embedded_can::blocking::Can::transmit`) waits for a free TX buffer
    /// before [`Error::Timeout`] (100 ms unless set). A frame nobody acknowledges keeps its buffer for ever.
    /// Without a delay to wait on, the wait is counted in bus time: each READ STATUS is charged 3 µs (1 µs per
    /// byte plus 1 µs, i.e. SPI at 8 MHz; a slower clock makes the real wait longer by about the ratio).
    pub fn set_send_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.send_timeout_us = timeout.ticks();
    }

    /// How long [`receive`](Self::receive) (and `embedded_can::blocking::Can::receive`) waits for a frame before
    /// [`Error::Timeout`] (1 s unless set), counted in bus time like [`set_send_timeout`](Self::set_send_timeout).
    pub fn set_receive_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.receive_timeout_us = timeout.ticks();
    }

    /// How [`try_receive`](Self::try_receive) takes frames out of the chip: [`ReceiveMethod::ReadThenClear`]
    /// (the default: never loses a frame) or [`ReceiveMethod::ReadRxBuffer`] (5 bytes and one frame fewer, but a
    /// bus error or a dropped async receive during the READ RX BUFFER loses the frame).
    pub fn set_receive_method(&mut self, method: ReceiveMethod) {
        self.receive_method = method;
    }

    /// The driver's belief about the chip, for the property tests.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn cache_view(&self) -> CacheView {
        let priority =
            |n: u8| (self.known & (1 << n) != 0).then_some(self.priorities.wrapping_shr(u32::from(n) * 2) & 3);
        let header = |n: u8| {
            (self.known & (HEADER_KNOWN << n) != 0)
                .then(|| self.tx_headers.get(usize::from(n)).copied())
                .flatten()
        };
        CacheView {
            mode: self.mode,
            canctrl: self.canctrl,
            abort_may_be_set: self.abort_set,
            cnf3_flags: self.cnf3_flags,
            caninte: self.caninte,
            bfpctrl: self.bfpctrl,
            priorities: [priority(0), priority(1), priority(2)],
            tx_headers: [header(0), header(1), header(2)],
            rollover: self.rxb0ctrl_cache().map(|v| v & reg::RXB0_BUKT != 0),
            rxb0ctrl: self.rxb0ctrl_cache(),
            holds_frame: self.held.is_some(),
        }
    }

    /// The bus the driver owns, to look at it while the driver keeps it: a `sim::CountingBus`'s traffic, a
    /// simulated chip's registers. The driver caches nothing about the bus itself.
    pub fn bus(&self) -> &SPI {
        &self.spi
    }

    /// The bus the driver owns, to change it while the driver keeps it (make a simulated frame arrive, inject a
    /// fault, reset a traffic count). A transaction made on it behind the driver's back can leave the driver's
    /// cache wrong (a CANCTRL, CANINTE or TX buffer written directly): use `read_raw`/`modify_raw` for raw access
    /// instead.
    pub fn bus_mut(&mut self) -> &mut SPI {
        &mut self.spi
    }

    /// RXB0CTRL's writable bits, `None` when unknown.
    fn rxb0ctrl_cache(&self) -> Option<u8> {
        (self.known & RXB0CTRL_KNOWN != 0).then_some(self.rxb0ctrl)
    }

    /// Marks everything the driver caches about the chip unknown.
    fn forget(&mut self) {
        self.mode = None;
        self.canctrl = None;
        self.abort_set = true;
        self.cnf3_flags = None;
        self.caninte = None;
        self.bfpctrl = None;
        self.known = 0;
    }

    // ---- bus helpers ------------------------------------------------------------------------------------

    async fn command(&mut self, bytes: &[u8]) -> Result<(), Error<SPI::Error>> {
        self.spi.write(bytes).await.map_err(Error::Bus)
    }

    async fn command_read(&mut self, command: &[u8], buffer: &mut [u8]) -> Result<(), Error<SPI::Error>> {
        self.spi
            .transaction(&mut [Operation::Write(command), Operation::Read(buffer)])
            .await
            .map_err(Error::Bus)
    }

    async fn read_registers(&mut self, address: u8, buffer: &mut [u8]) -> Result<(), Error<SPI::Error>> {
        self.command_read(&[reg::READ, address], buffer).await
    }

    async fn read_register(&mut self, address: u8) -> Result<u8, Error<SPI::Error>> {
        let mut value = [0];
        self.read_registers(address, &mut value).await?;
        Ok(value[0])
    }

    /// WRITE of up to 4 consecutive registers in one frame.
    async fn write_registers(&mut self, address: u8, values: &[u8]) -> Result<(), Error<SPI::Error>> {
        let mut frame = [reg::WRITE, address, 0, 0, 0, 0];
        for (slot, value) in frame.iter_mut().skip(2).zip(values) {
            *slot = *value;
        }
        let length = values.len().min(4).saturating_add(2);
        let bytes = frame.get(..length).unwrap_or(&[]);
        self.command(bytes).await
    }

    async fn write_register(&mut self, address: u8, value: u8) -> Result<(), Error<SPI::Error>> {
        self.command(&[reg::WRITE, address, value]).await
    }

    /// BIT MODIFY (only on the registers that support it; elsewhere the chip writes every bit).
    async fn bit_modify(&mut self, address: u8, mask: u8, value: u8) -> Result<(), Error<SPI::Error>> {
        self.command(&[reg::BIT_MODIFY, address, mask, value]).await
    }

    /// Reads CANSTAT and CANCTRL in one READ (4 bytes): refreshes CANCTRL's cached bits and ABAT, and the mode if
    /// the chip is settled in one (REQOP = OPMOD). Returns OPMOD.
    async fn refresh_mode(&mut self) -> Result<Mode, Error<SPI::Error>> {
        let mut regs = [0u8; 2];
        self.read_registers(reg::CANSTAT, &mut regs).await?;
        let [canstat, canctrl] = regs;
        let current = Mode::from_register(canstat).ok_or(Error::NotDetected { canstat, canctrl })?;
        let settled = canstat & reg::MODE_MASK == canctrl & reg::MODE_MASK;
        self.mode = settled.then_some(current);
        self.canctrl = Some(canctrl & !reg::CANCTRL_COMMAND_BITS);
        self.abort_set = canctrl & reg::CANCTRL_ABAT != 0;
        Ok(current)
    }

    /// The mode to write into REQOP with another CANCTRL change (the chip's own, read when unknown), and
    /// CANCTRL's other bits.
    async fn canctrl_state(&mut self) -> Result<(Mode, u8), Error<SPI::Error>> {
        match (self.mode, self.canctrl) {
            (Some(mode), Some(canctrl)) => Ok((mode, canctrl)),
            _ => {
                let mode = self.refresh_mode().await?;
                Ok((mode, self.canctrl.unwrap_or(0)))
            }
        }
    }

    /// Checks configuration mode, reading it when unknown; an error (nothing written) otherwise.
    async fn require_configuration(&mut self) -> Result<(), Error<SPI::Error>> {
        if self.mode.is_none() {
            self.refresh_mode().await?;
        }
        if self.mode == Some(Mode::Configuration) {
            Ok(())
        } else {
            Err(ArgumentError::NotInConfigurationMode.into())
        }
    }

    /// One WRITE of RXB0CTRL, cached once written (unknown while it is under way).
    async fn write_rxb0ctrl(&mut self, value: u8) -> Result<(), Error<SPI::Error>> {
        self.known &= !RXB0CTRL_KNOWN;
        self.write_register(reg::RXB0CTRL, value).await?;
        self.rxb0ctrl = value;
        self.known |= RXB0CTRL_KNOWN;
        Ok(())
    }

    /// CNF3's SOF and WAKFIL bits, read (3 bytes) when unknown.
    async fn cnf3_state(&mut self) -> Result<u8, Error<SPI::Error>> {
        match self.cnf3_flags {
            Some(flags) => Ok(flags),
            None => {
                let flags = self.read_register(reg::CNF3).await? & (reg::CNF3_SOF | reg::CNF3_WAKFIL);
                self.cnf3_flags = Some(flags);
                Ok(flags)
            }
        }
    }

    fn set_standby_pin(&mut self, standby: bool) -> Result<(), Error<SPI::Error>> {
        let high = standby == (self.standby_level == StandbyLevel::High);
        if let Some(pin) = self.standby.as_mut() {
            let result = if high { pin.set_high() } else { pin.set_low() };
            result.map_err(|e| Error::Pin(e.kind()))?;
        }
        Ok(())
    }

    // ---- reset, detection, initialisation ---------------------------------------------------------------

    /// RESET (one byte, alone in its frame), a 2 ms wait for the oscillator, then one READ of CANSTAT and
    /// CANCTRL (4 bytes) to check that an MCP2515-family chip answers in configuration mode with CANCTRL's
    /// reset value. [`Error::NotDetected`] otherwise. The driver's cache returns to the reset values only once
    /// the detection succeeded; before the RESET it is marked unknown, so a failed (or dropped) reset leaves
    /// nothing stale. A frame the driver had read but not yet returned is kept.
    pub async fn reset<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.forget();
        self.wake_cleanup = None;
        self.command(&[reg::RESET]).await?;
        if let Some(held) = self.held.as_mut() {
            // the RESET emptied the buffer: the driver's copy is all there is
            held.cleared = true;
        }
        self.rxb1_first = Some(false);
        delay.delay_us(reg::RESET_WAIT_US).await;
        let mut regs = [0u8; 2];
        self.read_registers(reg::CANSTAT, &mut regs).await?;
        let [canstat, canctrl] = regs;
        if canstat & reg::MODE_MASK != reg::MODE_CONFIGURATION
            || canctrl & reg::CANCTRL_PRESENCE_MASK != reg::CANCTRL_PRESENCE_VALUE
        {
            return Err(Error::NotDetected { canstat, canctrl });
        }
        self.assume_power_on_state();
        Ok(())
    }

    /// Takes the chip to be in its power-on (reset) state, without any bus traffic: fills the driver's cache
    /// with the datasheet's reset values (configuration mode; CANCTRL 0x87 with ABAT clear; CNF3's SOF and
    /// WAKFIL, CANINTE, BFPCTRL, RXB0CTRL and the three TX priorities 0; receive buffers empty, no wake
    /// pending), exactly what a successful [`reset`](Self::reset) leaves, so that [`configure`](Self::configure)
    /// starts the chip at the protocol minimum (no RESET, no detection read, no read of what the cache knows).
    /// The TX buffers' identifiers stay unknown (their reset value is undefined).
    ///
    /// **Risk**: call it only right after the chip's power-on, or a reset (RESET instruction or pin) the caller
    /// knows happened and finished (2 ms for the oscillator). Otherwise the cache may disagree with the chip,
    /// and the driver acts on that belief: it skips writes it thinks are done (CANINTE, RXB0CTRL), writes
    /// CANCTRL with the wrong other bits, or writes configuration registers outside configuration mode (the
    /// chip ignores them). Nothing checks that a chip answers: [`configure`](Self::configure)'s final mode
    /// read-back is the first sign of one. When in doubt, [`init`](Self::init) (RESET and detection, 5 bytes
    /// more) is always correct.
    pub fn assume_power_on_state(&mut self) {
        self.mode = Some(Mode::Configuration);
        self.canctrl = Some(reg::CANCTRL_RESET & !reg::CANCTRL_COMMAND_BITS);
        self.abort_set = false;
        self.cnf3_flags = Some(0);
        self.caninte = Some(0);
        self.bfpctrl = Some(0);
        self.priorities = 0;
        self.known = 0b111 | RXB0CTRL_KNOWN;
        self.rxb0ctrl = 0;
        self.rxb1_first = Some(false);
        self.wake_cleanup = None;
        if let Some(held) = self.held.as_mut() {
            // a reset empties the receive buffers: the driver's copy is all there is
            held.cleared = true;
        }
    }

    /// Resets the chip and programs `config` in the fewest frames: RESET; READ CANSTAT+CANCTRL (detection);
    /// one WRITE of CNF3, CNF2, CNF1, CANINTE (CANINTE left out when `config` keeps its reset value 0);
    /// RXB0CTRL (unless it keeps its reset value); CANCTRL with the mode and CLKOUT settings; CANSTAT read back
    /// until the mode is reached. RXB1CTRL keeps its reset value (filtered; with `Acceptance::All` RXB1 fills
    /// only by rollover). The standby pin (if any) is set to normal first.
    /// After an error, what the failed step touched is unknown (read by the next operation that needs it); run
    /// `init` again.
    ///
    /// Right after power-on, [`assume_power_on_state`](Self::assume_power_on_state) and
    /// [`configure`](Self::configure) do the same without the RESET and the detection read (2 frames, 5 bytes
    /// fewer).
    pub async fn init<D: DelayNs>(&mut self, config: &Config, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.set_standby_pin(false)?;
        self.reset(delay).await?;
        self.program(config, delay).await
    }

    /// Programs `config` without a RESET, writing only what the cache does not already know to be right:
    /// configuration mode is entered first if the chip is not known to be in it (see [`set_mode`](Self::set_mode);
    /// CANSTAT and CANCTRL are read first, 4 bytes, when the mode is unknown); then one WRITE of CNF3, CNF2, CNF1
    /// (5 bytes), with CANINTE in the same burst (6 bytes) unless the cache knows it already holds
    /// `config.interrupts`; RXB0CTRL (3 bytes) unless known to hold the acceptance and rollover asked for;
    /// CANCTRL with the mode and CLKOUT settings (3 bytes) and CANSTAT read back until the mode is reached
    /// (3 bytes per read; skipped when ending in configuration mode with CANCTRL as wanted). The standby pin
    /// (if any) is set to normal first. Filters, masks, BFPCTRL and TXRTSCTRL are left as they are.
    ///
    /// After [`assume_power_on_state`](Self::assume_power_on_state) this is the protocol minimum: with
    /// `Config::new` (interrupts on receive, every frame accepted, rollover, normal mode) WRITE CNF3..CANINTE,
    /// WRITE RXB0CTRL, WRITE CANCTRL, READ CANSTAT: 4 frames, 15 bytes. The read-back is what confirms the mode
    /// change (and that a chip answers at all): the driver never reports a mode it has not seen.
    ///
    /// ```
    /// # use embedded_hal_mock::eh1::{delay::NoopDelay, spi::{Mock, Transaction as T}};
    /// use fugit::HertzU32;
    /// use mcp25625::{BitTiming, Config, Mcp25625};
    ///
    /// const TIMING: BitTiming = match BitTiming::new(HertzU32::MHz(16), HertzU32::kHz(500)) {
    ///     Ok(timing) => timing,
    ///     Err(_) => panic!("500 kbit/s is not reachable from 16 MHz"),
    /// };
    /// # let spi = Mock::new(&[
    /// #     T::transaction_start(), T::write_vec(vec![0x02, 0x28, 0x01, 0xB5, 0x00, 0x03]), T::transaction_end(),
    /// #     T::transaction_start(), T::write_vec(vec![0x02, 0x60, 0x64]), T::transaction_end(),
    /// #     T::transaction_start(), T::write_vec(vec![0x02, 0x0F, 0x00]), T::transaction_end(),
    /// #     T::transaction_start(), T::write_vec(vec![0x03, 0x0E]), T::read_vec(vec![0x00]), T::transaction_end(),
    /// # ]);
    /// # let mut delay = NoopDelay;
    /// let mut can = Mcp25625::new(spi);
    /// // right after the board powered the chip up (and its oscillator started):
    /// can.assume_power_on_state();
    /// can.configure(&Config::new(TIMING), &mut delay)?;
    /// # can.release().done();
    /// # Ok::<(), mcp25625::Error<embedded_hal::spi::ErrorKind>>(())
    /// ```
    pub async fn configure<D: DelayNs>(&mut self, config: &Config, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.set_standby_pin(false)?;
        if self.mode.is_none() {
            self.refresh_mode().await?;
        }
        if self.mode != Some(Mode::Configuration) {
            self.set_mode(Mode::Configuration, delay).await?;
        }
        self.program(config, delay).await?;
        if config.mode == Mode::Sleep {
            Ok(())
        } else {
            // a wake that did not finish: WAKIF cleared, CANINTE restored (nothing to do after a reset)
            self.finish_wake().await
        }
    }

    /// Programs `config` into a chip the driver knows to be in configuration mode: the common part of
    /// [`init`](Self::init) and [`configure`](Self::configure).
    async fn program<D: DelayNs>(&mut self, config: &Config, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        let [cnf1, cnf2, cnf3] = config.bit_timing.cnf();
        let (clock_bits, sof) = config.clock_out.encode();
        let wakfil = if config.wake_filter { reg::CNF3_WAKFIL } else { 0 };
        let flags = sof | wakfil;
        let interrupts = config.interrupts.bits();
        self.cnf3_flags = None;
        if self.caninte == Some(interrupts) {
            self.write_registers(reg::CNF3, &[cnf3 | flags, cnf2, cnf1]).await?;
        } else {
            self.caninte_touched();
            self.write_registers(reg::CNF3, &[cnf3 | flags, cnf2, cnf1, interrupts])
                .await?;
            self.caninte = Some(interrupts);
            if self.wake_cleanup.is_some() {
                self.wake_cleanup = Some(WakeCleanup::ClearFlag);
            }
        }
        self.cnf3_flags = Some(flags);
        let rxb0ctrl = rxb0ctrl(config.acceptance, config.rollover);
        if self.rxb0ctrl_cache() != Some(rxb0ctrl) {
            self.write_rxb0ctrl(rxb0ctrl).await?;
        }
        let osm = if config.one_shot { reg::CANCTRL_OSM } else { 0 };
        let canctrl = osm | clock_bits;
        if config.mode == Mode::Configuration && Some(canctrl) == self.canctrl {
            return Ok(());
        }
        self.request_mode(config.mode, canctrl, delay).await?;
        if config.mode == Mode::Sleep {
            self.set_standby_pin(true)?;
        }
        Ok(())
    }

    // ---- modes ------------------------------------------------------------------------------------------

    /// Requests `mode` (one WRITE of CANCTRL from the cache, 3 bytes) and reads CANSTAT (3 bytes) until the chip
    /// reports it, or [`Error::ModeTimeout`] after the mode timeout ([`set_mode_timeout`](Self::set_mode_timeout)).
    /// Entering sleep or configuration sets ABAT in the same write, so pending transmissions are aborted first;
    /// the next CANCTRL write clears ABAT (the next send does one if nothing else did). Entering sleep puts the
    /// transceiver in standby (after the controller confirmed sleep). Leaving sleep goes through
    /// [`wake`](Self::wake). When the driver does not know the mode (see [`mode`](Self::mode)), one READ of
    /// CANSTAT and CANCTRL (4 bytes) comes first.
    ///
    /// After an error or a timeout the mode is unknown ([`mode`](Self::mode) is `None`) and re-read by the next
    /// operation that needs it; the chip may still switch to the requested mode later, until another CANCTRL
    /// write asks for the mode it is in.
    pub async fn set_mode<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        let (current, canctrl) = self.canctrl_state().await?;
        if current == Mode::Sleep && mode != Mode::Sleep {
            return self.wake(mode, delay).await;
        }
        self.request_mode(mode, canctrl, delay).await?;
        if mode == Mode::Sleep {
            self.set_standby_pin(true)?;
        } else {
            self.finish_wake().await?;
        }
        Ok(())
    }

    /// Writes CANCTRL with `mode` and the other bits `canctrl` (cached once written), then confirms the mode.
    async fn request_mode<D: DelayNs>(
        &mut self,
        mode: Mode,
        canctrl: u8,
        delay: &mut D,
    ) -> Result<(), Error<SPI::Error>> {
        let abort = match mode {
            Mode::Sleep | Mode::Configuration => reg::CANCTRL_ABAT,
            _ => 0,
        };
        self.mode = None;
        self.canctrl = None;
        if abort != 0 {
            self.abort_set = true;
        }
        self.write_register(reg::CANCTRL, mode.code() | abort | canctrl).await?;
        self.canctrl = Some(canctrl);
        if abort == 0 {
            self.abort_set = false;
        }
        self.confirm_mode(mode, delay).await
    }

    async fn confirm_mode<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        let timeout_us = self.mode_timeout_us;
        let longest_wait_us = (self.mode_timeout_us / MODE_POLL_SLICES).max(MODE_POLL_US);
        let mut wait_us = MODE_POLL_US;
        let mut spent_us = 0u32;
        let mut polls = 0u32;
        loop {
            let canstat = self.read_register(reg::CANSTAT).await?;
            polls = polls.saturating_add(1);
            spent_us = spent_us.saturating_add(bus_time_us(3));
            let current = Mode::from_register(canstat);
            if current == Some(mode) {
                self.mode = Some(mode);
                return Ok(());
            }
            // time for a wait and one more read, which must end by the deadline
            let left_us = timeout_us.saturating_sub(spent_us).saturating_sub(bus_time_us(3));
            if left_us == 0 || polls >= MODE_POLLS_MAX {
                return Err(Error::ModeTimeout {
                    requested: mode,
                    current,
                });
            }
            let wait_now = wait_us.min(left_us);
            delay.delay_us(wait_now).await;
            spent_us = spent_us.saturating_add(wait_now);
            wait_us = wait_us.saturating_mul(2).min(longest_wait_us);
        }
    }

    /// Reads CANSTAT (3 bytes): the mode the chip is in and its highest-priority pending interrupt. When the chip
    /// is not in the mode the driver believes (e.g. woken from sleep by bus activity), the driver's mode becomes
    /// unknown and is re-read by the next operation that needs it.
    pub async fn read_mode(&mut self) -> Result<(Option<Mode>, InterruptCode), Error<SPI::Error>> {
        let canstat = self.read_register(reg::CANSTAT).await?;
        let mode = Mode::from_register(canstat);
        if self.mode.is_some() && self.mode != mode {
            self.mode = None;
        }
        Ok((mode, InterruptCode::decode(canstat)))
    }

    /// Sleep: pending transmissions aborted, the controller asleep (confirmed), then the transceiver in
    /// standby through the STBY pin. Same as `set_mode(Mode::Sleep)`.
    pub async fn sleep<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.set_mode(Mode::Sleep, delay).await
    }

    /// Wakes the chip from sleep into `mode`: sets WAKIE (if the driver had not) and WAKIF by BIT MODIFY, which
    /// wakes the controller into listen-only; waits 2 ms for the oscillator; takes the transceiver out of
    /// standby; requests `mode` and confirms it; then clears WAKIF and restores CANINTE.
    ///
    /// If it fails (or an async wake is dropped) part way, WAKIE and WAKIF may stay set and the mode is unknown:
    /// the next successful [`set_mode`](Self::set_mode) or `wake` into a mode other than sleep finishes the job
    /// (clears WAKIF and restores CANINTE); [`interrupts`](Self::interrupts) says `None` meanwhile.
    pub async fn wake<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        if mode == Mode::Sleep {
            return Err(ArgumentError::WrongMode.into());
        }
        let (_, canctrl) = self.canctrl_state().await?;
        self.mode = None;
        let had_wakie = self.caninte.is_some_and(|v| v & reg::INT_WAK != 0);
        if had_wakie {
            if self.wake_cleanup.is_none() {
                self.wake_cleanup = Some(WakeCleanup::ClearFlag);
            }
        } else {
            if !matches!(
                self.wake_cleanup,
                Some(WakeCleanup::RestoreInterrupts(_) | WakeCleanup::ClearWakie)
            ) {
                self.wake_cleanup = Some(match self.caninte {
                    Some(value) => WakeCleanup::RestoreInterrupts(value),
                    None => WakeCleanup::ClearWakie,
                });
            }
            self.caninte = None;
            self.bit_modify(reg::CANINTE, reg::INT_WAK, reg::INT_WAK).await?;
        }
        self.bit_modify(reg::CANINTF, reg::INT_WAK, reg::INT_WAK).await?;
        delay.delay_us(reg::RESET_WAIT_US).await;
        self.set_standby_pin(false)?;
        self.request_mode(mode, canctrl, delay).await?;
        self.finish_wake().await
    }

    /// CANINTE is about to be written by something else than a wake: unknown, and an unfinished wake no longer
    /// knows what the rest of it holds (it only clears the WAKIE it set).
    fn caninte_touched(&mut self) {
        self.caninte = None;
        if let Some(WakeCleanup::RestoreInterrupts(_)) = self.wake_cleanup {
            self.wake_cleanup = Some(WakeCleanup::ClearWakie);
        }
    }

    /// What an unfinished wake left: WAKIF cleared, CANINTE restored.
    async fn finish_wake(&mut self) -> Result<(), Error<SPI::Error>> {
        let Some(cleanup) = self.wake_cleanup else {
            return Ok(());
        };
        self.bit_modify(reg::CANINTF, reg::INT_WAK, 0).await?;
        match cleanup {
            WakeCleanup::ClearFlag => {}
            WakeCleanup::RestoreInterrupts(value) => {
                self.bit_modify(reg::CANINTE, reg::INT_WAK, value & reg::INT_WAK)
                    .await?;
                self.caninte = Some(value);
            }
            WakeCleanup::ClearWakie => {
                self.bit_modify(reg::CANINTE, reg::INT_WAK, 0).await?;
            }
        }
        self.wake_cleanup = None;
        Ok(())
    }

    /// Drives the transceiver's STBY pin directly (no SPI traffic): `true` = standby. A driver without a pin
    /// does nothing.
    pub fn set_transceiver_standby(&mut self, standby: bool) -> Result<(), Error<SPI::Error>> {
        self.set_standby_pin(standby)
    }

    // ---- settings -----------------------------------------------------------------------------------------

    /// Writes CNF3, CNF2, CNF1 in one WRITE (5 bytes), keeping the SOF and WAKFIL bits (read first, 3 bytes, when
    /// unknown). Configuration mode only: [`ArgumentError::NotInConfigurationMode`] otherwise (the mode is read
    /// first when unknown), nothing written.
    pub async fn set_bit_timing(&mut self, timing: BitTiming) -> Result<(), Error<SPI::Error>> {
        self.require_configuration().await?;
        let flags = self.cnf3_state().await?;
        let [cnf1, cnf2, cnf3] = timing.cnf();
        self.write_registers(reg::CNF3, &[cnf3 | flags, cnf2, cnf1]).await
    }

    /// Reads CNF1..CNF3 back (5 bytes) and checks them: a chip with a raw or invalid timing gives
    /// [`ArgumentError::BitTiming`].
    pub async fn bit_timing(&mut self) -> Result<BitTiming, Error<SPI::Error>> {
        let mut regs = [0u8; 3];
        self.read_registers(reg::CNF3, &mut regs).await?;
        let [cnf3, cnf2, cnf1] = regs;
        self.cnf3_flags = Some(cnf3 & (reg::CNF3_SOF | reg::CNF3_WAKFIL));
        Ok(BitTiming::from_cnf([cnf1, cnf2, cnf3])?)
    }

    /// One-shot mode (CANCTRL.OSM): each frame is attempted once, not retried after an error or lost
    /// arbitration. One WRITE of CANCTRL (3 bytes), with REQOP = the mode the chip is in and ABAT = 0.
    pub async fn set_one_shot(&mut self, one_shot: bool) -> Result<(), Error<SPI::Error>> {
        let (_, canctrl) = self.canctrl_state().await?;
        let canctrl = (canctrl & !reg::CANCTRL_OSM) | if one_shot { reg::CANCTRL_OSM } else { 0 };
        self.write_canctrl(canctrl).await
    }

    /// One WRITE of CANCTRL: REQOP = the confirmed mode (read first when unknown; never REQOP as read), ABAT = 0,
    /// and `canctrl`.
    /// When the chip was found between two modes (REQOP ≠ OPMOD), it may switch between the read and this write:
    /// the mode stays unknown.
    async fn write_canctrl(&mut self, canctrl: u8) -> Result<(), Error<SPI::Error>> {
        let (mode, _) = self.canctrl_state().await?;
        let settled = self.mode.is_some();
        self.canctrl = None;
        self.write_register(reg::CANCTRL, mode.code() | canctrl).await?;
        self.canctrl = Some(canctrl);
        if settled {
            self.mode = Some(mode);
        }
        self.abort_set = false;
        Ok(())
    }

    /// The CLKOUT/SOF pin: one WRITE of CANCTRL (3 bytes), plus a BIT MODIFY of CNF3.SOF (4 bytes, configuration
    /// mode only) when switching between a clock and the start-of-frame signal.
    pub async fn set_clock_out(&mut self, clock_out: ClockOut) -> Result<(), Error<SPI::Error>> {
        let (bits, sof) = clock_out.encode();
        let flags = self.cnf3_state().await?;
        if sof != flags & reg::CNF3_SOF {
            self.require_configuration().await?;
            self.cnf3_flags = None;
            self.bit_modify(reg::CNF3, reg::CNF3_SOF, sof).await?;
            self.cnf3_flags = Some((flags & !reg::CNF3_SOF) | sof);
        }
        let (_, canctrl) = self.canctrl_state().await?;
        self.write_canctrl((canctrl & reg::CANCTRL_OSM) | bits).await
    }

    /// The low-pass filter on RXCAN against spurious wake-ups (CNF3.WAKFIL): BIT MODIFY, 4 bytes.
    /// Configuration mode only.
    pub async fn set_wake_filter(&mut self, on: bool) -> Result<(), Error<SPI::Error>> {
        self.require_configuration().await?;
        let value = if on { reg::CNF3_WAKFIL } else { 0 };
        let flags = self.cnf3_flags.take();
        self.bit_modify(reg::CNF3, reg::CNF3_WAKFIL, value).await?;
        self.cnf3_flags = flags.map(|flags| (flags & !reg::CNF3_WAKFIL) | value);
        Ok(())
    }

    // ---- interrupts and errors ----------------------------------------------------------------------------

    /// The interrupt sources that drive INT (CANINTE): one WRITE, 3 bytes. INT is level-triggered: it stays low
    /// while any enabled flag is set.
    pub async fn set_interrupts(&mut self, interrupts: Interrupts) -> Result<(), Error<SPI::Error>> {
        self.caninte_touched();
        self.write_register(reg::CANINTE, interrupts.bits()).await?;
        self.caninte = Some(interrupts.bits());
        if self.wake_cleanup.is_some() {
            self.wake_cleanup = Some(WakeCleanup::ClearFlag);
        }
        Ok(())
    }

    /// The enabled interrupt sources, from the cache; `None` while unknown (before [`reset`](Self::reset) or
    /// [`init`](Self::init), after a failed [`set_interrupts`](Self::set_interrupts) or an unfinished
    /// [`wake`](Self::wake)).
    pub fn interrupts(&self) -> Option<Interrupts> {
        self.caninte.map(Interrupts::from_bits_truncate)
    }

    /// Reads CANINTF (3 bytes).
    pub async fn interrupt_flags(&mut self) -> Result<Interrupts, Error<SPI::Error>> {
        Ok(Interrupts::from_bits_truncate(self.read_register(reg::CANINTF).await?))
    }

    /// Clears the given CANINTF flags (BIT MODIFY, 4 bytes). A flag whose cause persists is set again by the
    /// chip. Receive flags are cleared by the driver when it reads a buffer; clearing them here throws the
    /// frame away.
    pub async fn clear_interrupts(&mut self, interrupts: Interrupts) -> Result<(), Error<SPI::Error>> {
        if interrupts.intersects(Interrupts::RX0 | Interrupts::RX1) {
            self.rxb1_first = None;
        }
        self.bit_modify(reg::CANINTF, interrupts.bits(), 0).await
    }

    /// Reads EFLG (3 bytes).
    pub async fn error_flags(&mut self) -> Result<ErrorFlags, Error<SPI::Error>> {
        Ok(ErrorFlags(self.read_register(reg::EFLG).await?))
    }

    /// Reads TEC and REC in one READ (4 bytes).
    pub async fn error_counters(&mut self) -> Result<ErrorCounters, Error<SPI::Error>> {
        let mut regs = [0u8; 2];
        self.read_registers(reg::TEC, &mut regs).await?;
        let [transmit, receive] = regs;
        Ok(ErrorCounters { transmit, receive })
    }

    /// Reads CANINTF and EFLG in one READ (4 bytes) and clears what the MCU has to clear: the RX0OVR/RX1OVR
    /// overflow flags (else ERRIF keeps firing) and ERRIF/MERRF, each with one BIT MODIFY only when set.
    /// Returns what was found; [`ErrorFlags::state`] tells error-active, passive or bus-off (the chip leaves
    /// bus-off by itself after 128 × 11 recessive bits). If a clear fails (or an async call is dropped after the
    /// read), the flags read are kept and reported by the next call as well, so an overflow is never cleared
    /// unseen.
    pub async fn service_errors(&mut self) -> Result<ErrorReport, Error<SPI::Error>> {
        let mut regs = [0u8; 2];
        self.read_registers(reg::CANINTF, &mut regs).await?;
        let [unreported_intf, unreported_eflg] = self.unreported;
        let canintf = regs[0] | unreported_intf;
        let eflg = regs[1] | (unreported_eflg & reg::EFLG_COMMAND_BITS);
        self.unreported = [canintf, eflg];
        let overflow = regs[1] & reg::EFLG_COMMAND_BITS;
        if overflow != 0 {
            self.bit_modify(reg::EFLG, overflow, 0).await?;
        }
        let errors = regs[0] & (reg::INT_ERR | reg::INT_MERR);
        if errors != 0 {
            self.bit_modify(reg::CANINTF, errors, 0).await?;
        }
        self.unreported = [0; 2];
        Ok(ErrorReport {
            interrupts: Interrupts::from_bits_truncate(canintf),
            flags: ErrorFlags(eflg),
        })
    }

    /// READ STATUS (2 bytes): RX flags, TX requests and TX flags in one byte.
    pub async fn status(&mut self) -> Result<Status, Error<SPI::Error>> {
        let mut status = [0u8];
        self.command_read(&[reg::READ_STATUS], &mut status).await?;
        Ok(Status(status[0]))
    }

    /// RX STATUS (2 bytes): which buffers hold a frame, its kind and the filter it matched.
    pub async fn rx_status(&mut self) -> Result<RxStatus, Error<SPI::Error>> {
        let mut status = [0u8];
        self.command_read(&[reg::RX_STATUS], &mut status).await?;
        Ok(RxStatus::decode(status[0]))
    }

    // ---- transmit -----------------------------------------------------------------------------------------

    /// Queues `frame` at the lowest priority if a buffer is free; see
    /// [`try_send_with_priority`](Self::try_send_with_priority).
    pub async fn try_send(&mut self, frame: &Frame) -> Result<Option<TxBuffer>, Error<SPI::Error>> {
        self.try_send_with_priority(frame, TxPriority::Lowest).await
    }

    /// Queues `frame`: READ STATUS (2 bytes) to see which buffers are busy; a BIT MODIFY of TXBnCTRL.TXP (4 bytes)
    /// only if that buffer's priority changes; LOAD TX BUFFER (1 + 5 + data bytes: 14 for 8 bytes); RTS (1 byte).
    /// When the buffer last carried the same identifier and length, only the data is loaded (1 + data bytes), or
    /// nothing for a frame without data.
    /// `Ok(None)`: no buffer can take it now (nothing sent after the status read).
    ///
    /// The chip sends the higher-numbered of two equal-priority buffers first, so the driver puts a frame only
    /// below every pending buffer of the same priority (or of a priority it does not know): frames of equal
    /// priority leave in the order given (up to three queued). Transmission is started only with the RTS
    /// instruction, never by writing TXREQ (erratum DS80179G item 5: a TXREQ write can send a frame twice).
    ///
    /// Errors: [`Error::Bus`] means the frame was not sent (the buffer's cached header and priority are
    /// forgotten); [`Error::MaybeSent`] means the RTS itself failed and the frame may go out. If ABAT may be set
    /// (after sleep, configuration, an unfinished [`abort_all`](Self::abort_all)), one CANCTRL WRITE (3 bytes)
    /// clears it first.
    pub async fn try_send_with_priority(
        &mut self,
        frame: &Frame,
        priority: TxPriority,
    ) -> Result<Option<TxBuffer>, Error<SPI::Error>> {
        let status = self.status().await?;
        let Some(buffer) = choose_buffer(status, self.priorities, self.known & 0b111, priority) else {
            return Ok(None);
        };
        self.load_and_send(buffer, frame, priority).await?;
        Ok(Some(buffer))
    }

    /// Loads `frame` into `buffer` and requests it, without looking at the status (the caller knows the buffer
    /// is free: a busy buffer must not be written). TXP by BIT MODIFY only if it changes; LOAD TX BUFFER; RTS.
    /// Errors as [`try_send_with_priority`](Self::try_send_with_priority).
    pub async fn send_from(
        &mut self,
        buffer: TxBuffer,
        frame: &Frame,
        priority: TxPriority,
    ) -> Result<(), Error<SPI::Error>> {
        self.load_and_send(buffer, frame, priority).await
    }

    async fn load_and_send(
        &mut self,
        buffer: TxBuffer,
        frame: &Frame,
        priority: TxPriority,
    ) -> Result<(), Error<SPI::Error>> {
        if self.abort_set {
            // ABAT, left set when entering sleep or configuration, would abort this frame too
            let (_, canctrl) = self.canctrl_state().await?;
            if self.abort_set {
                self.write_canctrl(canctrl).await?;
            }
        }
        let n = buffer.index();
        let shift = n.saturating_mul(2);
        let bit = 1u8.wrapping_shl(u32::from(n));
        let current = self.priorities.wrapping_shr(u32::from(shift)) & 3;
        if self.known & bit == 0 || current != priority as u8 {
            self.known &= !bit;
            self.bit_modify(reg::txb_ctrl(n), reg::TXB_TXP_MASK, priority as u8)
                .await?;
            self.priorities = (self.priorities & !3u8.wrapping_shl(u32::from(shift)))
                | (priority as u8).wrapping_shl(u32::from(shift));
            self.known |= bit;
        }
        let (registers, length) = frame.encode();
        let [sidh, sidl, eid8, eid0, dlc, ..] = registers;
        let header = [sidh, sidl, eid8, eid0, dlc];
        let header_bit = HEADER_KNOWN.wrapping_shl(u32::from(n));
        let same_header = self.known & header_bit != 0 && self.tx_headers.get(usize::from(n)) == Some(&header);
        // the same identifier and length as last time in this buffer: load only the data (LOAD TX BUFFER
        // from TXBnD0), or nothing at all for a frame without data
        let (instruction, skip) = if same_header {
            (reg::LOAD_TX_BUFFER | n.saturating_mul(2) | 1, 5)
        } else {
            (reg::LOAD_TX_BUFFER | n.saturating_mul(2), 0)
        };
        let count = length.saturating_sub(skip);
        if count > 0 {
            let mut load = [0u8; 14];
            for (slot, value) in load
                .iter_mut()
                .zip(core::iter::once(instruction).chain(registers.into_iter().skip(skip)))
            {
                *slot = value;
            }
            let bytes = load.get(..count.saturating_add(1)).unwrap_or(&[]);
            self.known &= !header_bit;
            self.command(bytes).await?;
            if let Some(cached) = self.tx_headers.get_mut(usize::from(n)) {
                *cached = header;
                self.known |= header_bit;
            }
        }
        self.spi
            .write(&[reg::RTS | bit])
            .await
            .map_err(|bus| Error::MaybeSent { buffer, bus })
    }

    /// Queues `frame`, reading the status until a buffer is free, or [`Error::Timeout`] after the send timeout
    /// ([`set_send_timeout`](Self::set_send_timeout), 100 ms unless set; a frame nobody acknowledges keeps its
    /// buffer). Errors as [`try_send`](Self::try_send).
    pub async fn send(&mut self, frame: &Frame) -> Result<TxBuffer, Error<SPI::Error>> {
        let timeout_us = self.send_timeout_us;
        let mut spent_us = 0u32;
        loop {
            if let Some(buffer) = self.try_send(frame).await? {
                return Ok(buffer);
            }
            spent_us = spent_us.saturating_add(bus_time_us(2));
            if spent_us >= timeout_us {
                return Err(Error::Timeout);
            }
        }
    }

    /// Aborts one pending transmission: BIT MODIFY clearing TXBnCTRL.TXREQ (4 bytes). A frame already on the
    /// bus finishes.
    pub async fn abort(&mut self, buffer: TxBuffer) -> Result<(), Error<SPI::Error>> {
        self.bit_modify(reg::txb_ctrl(buffer.index()), reg::TXB_TXREQ, 0).await
    }

    /// Aborts every pending transmission: CANCTRL written with ABAT, then without (3 + 3 bytes), with REQOP = the
    /// confirmed mode (CANSTAT and CANCTRL read first, 4 bytes, when unknown). The chip clears every TXREQ (and
    /// sets ABTF) as soon as ABAT is set. If the second write fails (or an async call is dropped between them),
    /// ABAT may stay set: the driver knows it, and the next send clears it first.
    pub async fn abort_all(&mut self) -> Result<(), Error<SPI::Error>> {
        let (mode, canctrl) = self.canctrl_state().await?;
        self.abort_set = true;
        self.write_register(reg::CANCTRL, mode.code() | reg::CANCTRL_ABAT | canctrl)
            .await?;
        self.write_canctrl(canctrl).await
    }

    /// Reads one TXBnCTRL (3 bytes): pending, aborted, lost arbitration, error.
    pub async fn tx_state(&mut self, buffer: TxBuffer) -> Result<TxState, Error<SPI::Error>> {
        Ok(TxState(self.read_register(reg::txb_ctrl(buffer.index())).await?))
    }

    // ---- receive ------------------------------------------------------------------------------------------

    /// The next received frame, if any, oldest first.
    ///
    /// READ STATUS (2 bytes); then, with the default [`ReceiveMethod::ReadThenClear`], a READ of the buffer's 13
    /// registers (15 bytes) and a BIT MODIFY clearing its RXnIF (4 bytes): the buffer is freed only once the
    /// driver holds the frame. With [`ReceiveMethod::ReadRxBuffer`], READ RX BUFFER (14 bytes), which frees the
    /// buffer as CS rises. After taking RXB0 while RXB1 was empty and rollover may be on, one more READ STATUS
    /// (2 bytes) sees whether a frame rolled over into RXB1 meanwhile: that frame is older than the next one to
    /// arrive in RXB0, and comes first.
    ///
    /// Frames come out in the order they arrived, rollover included. A receive that fails (or an async receive
    /// dropped at any point) with `ReadThenClear` loses nothing: a frame the driver already read is kept and
    /// returned by the next call, which first makes sure its buffer was freed (READ STATUS, and if the flag is
    /// still set a READ of the buffer: the same frame is cleared, another one is left for later). One case stays
    /// ambiguous: an identical frame arriving in the same buffer between the failed clear and the next call is
    /// taken for the first one. With `ReadRxBuffer`, a bus error during the READ RX BUFFER loses the frame.
    pub async fn try_receive(&mut self) -> Result<Option<Frame>, Error<SPI::Error>> {
        if self.held.is_some() {
            return self.deliver_held().await.map(Some);
        }
        let status = self.status().await?;
        let rx0 = status.rx_pending(RxBuffer::B0);
        let rx1 = status.rx_pending(RxBuffer::B1);
        let buffer = match (rx0, rx1) {
            (false, false) => {
                self.rxb1_first = Some(false);
                return Ok(None);
            }
            (true, false) => RxBuffer::B0,
            (false, true) => RxBuffer::B1,
            (true, true) if self.rxb1_first == Some(true) => RxBuffer::B1,
            (true, true) => RxBuffer::B0,
        };
        let mut registers = [0u8; 13];
        match self.receive_method {
            ReceiveMethod::ReadThenClear => {
                self.read_registers(rxb_sidh(buffer), &mut registers).await?;
                self.held = Some(Held {
                    buffer,
                    registers,
                    cleared: false,
                    rx1_before: rx1,
                });
                self.rxb1_first = None;
                self.bit_modify(reg::CANINTF, rx_flag(buffer), 0).await?;
            }
            ReceiveMethod::ReadRxBuffer => {
                // if this fails the frame may be gone; the order known so far stays the best guess
                self.command_read(&[read_rx_buffer_instruction(buffer)], &mut registers)
                    .await?;
            }
        }
        self.held = Some(Held {
            buffer,
            registers,
            cleared: true,
            rx1_before: rx1,
        });
        self.after_taking(buffer, rx1).await;
        Ok(Some(self.take_held(registers)))
    }

    /// Once a frame left `buffer` (its RXnIF cleared), learns which buffer holds the older frame now. `rx1`:
    /// RX1IF was set before the frame was taken.
    async fn after_taking(&mut self, buffer: RxBuffer, rx1: bool) {
        self.rxb1_first = match buffer {
            RxBuffer::B1 => Some(false),
            RxBuffer::B0 if rx1 => Some(true),
            RxBuffer::B0 if self.rxb0ctrl_cache().is_some_and(|v| v & reg::RXB0_BUKT == 0) => Some(false),
            RxBuffer::B0 => match self.status().await {
                // a frame that rolled over while RXB0 was full is older than any that refills RXB0
                Ok(status) => Some(status.rx_pending(RxBuffer::B1)),
                Err(_) => None,
            },
        };
    }

    fn take_held(&mut self, registers: [u8; 13]) -> Frame {
        self.held = None;
        Frame::decode(&registers)
    }

    /// Returns the frame the driver holds, first making sure its buffer was freed.
    async fn deliver_held(&mut self) -> Result<Frame, Error<SPI::Error>> {
        let Some(held) = self.held else {
            return Err(Error::Timeout);
        };
        if !held.cleared {
            let status = self.status().await?;
            let rx1 = status.rx_pending(RxBuffer::B1);
            if status.rx_pending(held.buffer) {
                let mut registers = [0u8; 13];
                self.read_registers(rxb_sidh(held.buffer), &mut registers).await?;
                if same_registers(&registers, &held.registers) {
                    // the clear did not reach the chip: this is the same frame, and a frame in RXB1 now came
                    // before whatever refills RXB0 after the clear
                    if let Some(kept) = self.held.as_mut() {
                        kept.rx1_before |= rx1;
                    }
                    self.bit_modify(reg::CANINTF, rx_flag(held.buffer), 0).await?;
                    self.rxb1_first = match held.buffer {
                        RxBuffer::B0 => Some(rx1),
                        RxBuffer::B1 => Some(false),
                    };
                } else {
                    // a newer frame refilled the buffer after the clear; a frame in RXB1 is older than it if it
                    // was there before, else it cannot be told
                    self.rxb1_first = match held.buffer {
                        RxBuffer::B0 if !rx1 => Some(false),
                        RxBuffer::B0 if held.rx1_before => Some(true),
                        RxBuffer::B0 => None,
                        RxBuffer::B1 => Some(false),
                    };
                }
            } else {
                self.rxb1_first = match held.buffer {
                    RxBuffer::B0 => Some(rx1),
                    RxBuffer::B1 => Some(false),
                };
            }
        }
        Ok(self.take_held(held.registers))
    }

    /// Reads one receive buffer with READ RX BUFFER (1 + 13 bytes) and frees it (RXnIF clears as CS rises),
    /// without checking that it held a frame. A bus error during it may lose the frame; the driver's
    /// receive-order bookkeeping is reset (see [`try_receive`](Self::try_receive)).
    pub async fn read_rx_buffer(&mut self, buffer: RxBuffer) -> Result<Frame, Error<SPI::Error>> {
        let mut registers = [0u8; 13];
        self.rxb1_first = None;
        self.command_read(&[read_rx_buffer_instruction(buffer)], &mut registers)
            .await?;
        Ok(Frame::decode(&registers))
    }

    /// Waits for a frame, reading the status over and over, or [`Error::Timeout`] after the receive timeout
    /// ([`set_receive_timeout`](Self::set_receive_timeout), 1 s unless set). Errors as
    /// [`try_receive`](Self::try_receive).
    pub async fn receive(&mut self) -> Result<Frame, Error<SPI::Error>> {
        let timeout_us = self.receive_timeout_us;
        let mut spent_us = 0u32;
        loop {
            if let Some(frame) = self.try_receive().await? {
                return Ok(frame);
            }
            spent_us = spent_us.saturating_add(bus_time_us(2));
            if spent_us >= timeout_us {
                return Err(Error::Timeout);
            }
        }
    }

    // ---- acceptance filters -------------------------------------------------------------------------------

    /// Programs one filter: one WRITE of its four registers (6 bytes). Configuration mode only:
    /// [`ArgumentError::NotInConfigurationMode`] otherwise (the chip would ignore the write); when the driver does
    /// not know the mode it reads CANSTAT and CANCTRL first (4 bytes).
    pub async fn set_filter(&mut self, number: FilterNumber, filter: Filter) -> Result<(), Error<SPI::Error>> {
        self.require_configuration().await?;
        self.write_registers(reg::rxf_sidh(number as u8), &filter.encode())
            .await
    }

    /// Programs one mask: one WRITE of its four registers (6 bytes). Configuration mode only, as
    /// [`set_filter`](Self::set_filter).
    pub async fn set_mask(&mut self, number: MaskNumber, mask: Mask) -> Result<(), Error<SPI::Error>> {
        self.require_configuration().await?;
        self.write_registers(reg::rxm_sidh(number as u8), &mask.encode()).await
    }

    /// Which frames the buffers take, and rollover: one WRITE each of RXB0CTRL and RXB1CTRL (3 + 3 bytes).
    /// Works in any mode.
    pub async fn set_acceptance(&mut self, acceptance: Acceptance, rollover: bool) -> Result<(), Error<SPI::Error>> {
        let rxm = match acceptance {
            Acceptance::All => reg::RXB_RXM_ANY,
            Acceptance::Filtered => 0,
        };
        self.write_rxb0ctrl(rxb0ctrl(acceptance, rollover)).await?;
        self.write_register(reg::RXB1CTRL, rxm).await
    }

    // ---- pins ---------------------------------------------------------------------------------------------

    /// The function of the RXnBF pin of `buffer` (BFPCTRL): one WRITE from the cache (3 bytes; BFPCTRL is read
    /// first, 3 bytes, when unknown).
    pub async fn set_rx_pin(&mut self, buffer: RxBuffer, pin: RxPinMode) -> Result<(), Error<SPI::Error>> {
        let current = match self.bfpctrl {
            Some(value) => value,
            None => self.read_register(reg::BFPCTRL).await? & 0x3F,
        };
        let shift = buffer as u8;
        let bits = match pin {
            RxPinMode::Disabled => 0,
            RxPinMode::BufferFull => reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFM,
            RxPinMode::Output(false) => reg::BFPCTRL_B0BFE,
            RxPinMode::Output(true) => reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFS,
        }
        .wrapping_shl(u32::from(shift));
        let all = (reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFM | reg::BFPCTRL_B0BFS).wrapping_shl(u32::from(shift));
        let bfpctrl = (current & !all) | bits;
        self.bfpctrl = None;
        self.write_register(reg::BFPCTRL, bfpctrl).await?;
        self.bfpctrl = Some(bfpctrl);
        Ok(())
    }

    /// The function of the TX0RTS..TX2RTS pins (TXRTSCTRL, one WRITE of 3 bytes). Configuration mode only, as
    /// [`set_filter`](Self::set_filter).
    pub async fn set_tx_pins(&mut self, pins: [TxPinMode; 3]) -> Result<(), Error<SPI::Error>> {
        self.require_configuration().await?;
        let bits = pins
            .iter()
            .zip([1u8, 2, 4])
            .filter(|(mode, _)| **mode == TxPinMode::RequestToSend)
            .fold(0u8, |acc, (_, bit)| acc | bit);
        self.write_register(reg::TXRTSCTRL, bits).await
    }

    /// The levels of the TX0RTS..TX2RTS pins (TXRTSCTRL bits 3..5; 3 bytes), meaningful in input mode.
    pub async fn tx_pin_levels(&mut self) -> Result<[bool; 3], Error<SPI::Error>> {
        let value = self.read_register(reg::TXRTSCTRL).await?;
        Ok([value & 0x08 != 0, value & 0x10 != 0, value & 0x20 != 0])
    }

    // ---- raw access ---------------------------------------------------------------------------------------

    /// Reads consecutive registers from `address` in one READ (2 + n bytes). The driver's cache is not
    /// touched.
    pub async fn read_raw(&mut self, address: u8, buffer: &mut [u8]) -> Result<(), Error<SPI::Error>> {
        self.read_registers(address, buffer).await
    }

    /// BIT MODIFY of one register (4 bytes). Meant for diagnostics: what the driver caches of that register
    /// becomes unknown (read again when needed). TXBnCTRL.TXREQ must not be set this way (erratum).
    pub async fn modify_raw(&mut self, address: u8, mask: u8, value: u8) -> Result<(), Error<SPI::Error>> {
        let address = address & 0x7F;
        match address {
            _ if address & 0x0F == 0x0F => {
                self.mode = None;
                self.canctrl = None;
                self.abort_set = true;
            }
            reg::CANINTE => self.caninte_touched(),
            reg::BFPCTRL => self.bfpctrl = None,
            reg::CNF3 => self.cnf3_flags = None,
            reg::RXB0CTRL => self.known &= !RXB0CTRL_KNOWN,
            reg::CANINTF => self.rxb1_first = None,
            0x30 | 0x40 | 0x50 => {
                let n = (address >> 4).saturating_sub(3);
                self.known &= !1u8.wrapping_shl(u32::from(n));
            }
            _ => {}
        }
        self.bit_modify(address, mask, value).await
    }
}

#[cfg(feature = "async")]
impl<SPI: AsyncSpiDevice, STBY: OutputPin> Mcp25625Async<SPI, STBY> {
    /// Waits for a frame: tries to read one, and while there is none waits for the INT pin to go low. INT must be
    /// driven by the receive interrupts only (the default of [`Config::new`]); another enabled flag would keep
    /// INT low and make this poll, up to the receive timeout ([`set_receive_timeout`](Self::set_receive_timeout),
    /// counted in bus time: 3 µs per READ STATUS) and then [`Error::Timeout`]. The wait on the pin itself has no
    /// clock: bound it with the executor's timeout (e.g. embassy's `with_timeout`); dropping this future is
    /// cancel-safe (a frame already read is returned by the next receive).
    pub async fn receive_on_interrupt<INT: embedded_hal_async::digital::Wait>(
        &mut self,
        int: &mut INT,
    ) -> Result<Frame, Error<SPI::Error>> {
        let timeout_us = self.receive_timeout_us;
        let mut spent_us = 0u32;
        loop {
            if let Some(frame) = self.try_receive().await? {
                return Ok(frame);
            }
            spent_us = spent_us.saturating_add(bus_time_us(2));
            if spent_us >= timeout_us {
                return Err(Error::Timeout);
            }
            int.wait_for_low().await.map_err(|e| Error::Pin(e.kind()))?;
        }
    }

    /// Queues `frame` at the lowest priority, waiting on the INT pin while no buffer can take it. Enable the TX
    /// interrupts ([`Interrupts::TX0`], `TX1`, `TX2`) for this: after each wake-up the driver clears the three
    /// TXnIF flags (BIT MODIFY, 4 bytes) so that INT can rise again. Another enabled flag that stays set keeps
    /// INT low and makes this poll, up to the send timeout ([`set_send_timeout`](Self::set_send_timeout), counted
    /// in bus time: 8 µs per round) and then [`Error::Timeout`]. The wait on the pin itself has no clock: bound it
    /// with the executor's timeout; dropping this future while it waits on the pin sends nothing, dropping it
    /// during its transactions is not cancel-safe (see [`try_send`](Self::try_send)).
    pub async fn send_on_interrupt<INT: embedded_hal_async::digital::Wait>(
        &mut self,
        frame: &Frame,
        int: &mut INT,
    ) -> Result<TxBuffer, Error<SPI::Error>> {
        let timeout_us = self.send_timeout_us;
        let mut spent_us = 0u32;
        loop {
            if let Some(buffer) = self.try_send(frame).await? {
                return Ok(buffer);
            }
            spent_us = spent_us.saturating_add(bus_time_us(2)).saturating_add(bus_time_us(4));
            if spent_us >= timeout_us {
                return Err(Error::Timeout);
            }
            int.wait_for_low().await.map_err(|e| Error::Pin(e.kind()))?;
            self.clear_interrupts(Interrupts::TX0 | Interrupts::TX1 | Interrupts::TX2)
                .await?;
        }
    }

    /// Waits for INT low, then reads CANINTF (3 bytes) to say why.
    pub async fn wait_for_interrupt<INT: embedded_hal_async::digital::Wait>(
        &mut self,
        int: &mut INT,
    ) -> Result<Interrupts, Error<SPI::Error>> {
        int.wait_for_low().await.map_err(|e| Error::Pin(e.kind()))?;
        self.interrupt_flags().await
    }
}

impl<SPI: SpiDevice, STBY: OutputPin> embedded_can::nb::Can for Mcp25625<SPI, STBY> {
    type Frame = Frame;
    type Error = Error<SPI::Error>;

    /// Queues the frame at the lowest priority, or `WouldBlock` when no buffer can take it now. Never replaces a
    /// pending frame, so never returns one.
    fn transmit(&mut self, frame: &Frame) -> nb::Result<Option<Frame>, Self::Error> {
        match self.try_send(frame)? {
            Some(_) => Ok(None),
            None => Err(nb::Error::WouldBlock),
        }
    }

    fn receive(&mut self) -> nb::Result<Frame, Self::Error> {
        self.try_receive()?.ok_or(nb::Error::WouldBlock)
    }
}

impl<SPI: SpiDevice, STBY: OutputPin> embedded_can::blocking::Can for Mcp25625<SPI, STBY> {
    type Frame = Frame;
    type Error = Error<SPI::Error>;

    fn transmit(&mut self, frame: &Frame) -> Result<(), Self::Error> {
        self.send(frame).map(|_| ())
    }

    fn receive(&mut self) -> Result<Frame, Self::Error> {
        Mcp25625::receive(self)
    }
}

/// The same 13 buffer registers (compared without a call to `memcmp`).
fn same_registers(a: &[u8; 13], b: &[u8; 13]) -> bool {
    a.iter().zip(b).fold(0, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// RXB0CTRL for an acceptance and rollover setting.
const fn rxb0ctrl(acceptance: Acceptance, rollover: bool) -> u8 {
    let rxm = match acceptance {
        Acceptance::All => reg::RXB_RXM_ANY,
        Acceptance::Filtered => 0,
    };
    rxm | if rollover { reg::RXB0_BUKT } else { 0 }
}

/// The first of the 13 frame registers of an RX buffer.
const fn rxb_sidh(buffer: RxBuffer) -> u8 {
    match buffer {
        RxBuffer::B0 => reg::RXB0SIDH,
        RxBuffer::B1 => reg::RXB1SIDH,
    }
}

/// RXnIF of an RX buffer (CANINTF).
const fn rx_flag(buffer: RxBuffer) -> u8 {
    match buffer {
        RxBuffer::B0 => reg::INT_RX0,
        RxBuffer::B1 => reg::INT_RX1,
    }
}

/// READ RX BUFFER from an RX buffer's SIDH.
const fn read_rx_buffer_instruction(buffer: RxBuffer) -> u8 {
    match buffer {
        RxBuffer::B0 => reg::READ_RX_BUFFER,
        RxBuffer::B1 => reg::READ_RX_BUFFER | 0x04,
    }
}

/// The buffer for a new frame of `priority`: the highest-numbered free buffer below every pending buffer of the
/// same priority, or of a priority the driver does not know (`known`, bit n for TXBn) (the chip sends equal
/// priorities high-numbered first), or `None`.
fn choose_buffer(status: Status, priorities: u8, known: u8, priority: TxPriority) -> Option<TxBuffer> {
    let same_priority_pending = |b: TxBuffer| {
        status.tx_requested(b)
            && (known.wrapping_shr(u32::from(b.index())) & 1 == 0
                || priorities.wrapping_shr(u32::from(b.index()).saturating_mul(2)) & 3 == priority as u8)
    };
    let limit = TxBuffer::ALL
        .iter()
        .copied()
        .find(|b| same_priority_pending(*b))
        .map_or(3, TxBuffer::index);
    TxBuffer::ALL
        .iter()
        .rev()
        .copied()
        .find(|b| b.index() < limit && !status.tx_requested(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_fill_high_to_low_and_never_overtake() {
        let lowest = TxPriority::Lowest;
        assert_eq!(choose_buffer(Status(0), 0, 7, lowest), Some(TxBuffer::B2));
        // TXB2 pending: TXB1
        assert_eq!(choose_buffer(Status(0x40), 0, 7, lowest), Some(TxBuffer::B1));
        // TXB1 pending, TXB2 free: only TXB0 is behind TXB1
        assert_eq!(choose_buffer(Status(0x10), 0, 7, lowest), Some(TxBuffer::B0));
        // TXB0 pending: nothing below it
        assert_eq!(choose_buffer(Status(0x04), 0, 7, lowest), None);
        // TXB0 pending at another priority: TXB2 is free to use
        assert_eq!(choose_buffer(Status(0x04), 0b11, 7, lowest), Some(TxBuffer::B2));
        assert_eq!(choose_buffer(Status(0x54), 0, 7, TxPriority::High), None);
        // TXB0 pending at an unknown priority: treated as equal, nothing overtakes it
        assert_eq!(choose_buffer(Status(0x04), 0b11, 0b110, lowest), None);
    }

    #[test]
    fn registers_compared_byte_for_byte() {
        let a = [0x24, 0x60, 0, 0, 2, 0xAA, 0x55, 0, 0, 0, 0, 0, 0];
        assert!(same_registers(&a, &a));
        for at in 0..13 {
            let mut b = a;
            b[at] ^= 0x80;
            assert!(!same_registers(&a, &b), "byte {at}");
        }
        // two bytes differing in the same bit: an XOR of the differences would cancel out, an OR does not
        let mut b = a;
        b[0] ^= 0x01;
        b[12] ^= 0x01;
        assert!(!same_registers(&a, &b));
    }
}
