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
    FilterNumber, Frame, InterruptCode, Interrupts, Mask, MaskNumber, Mode, RxBuffer, RxPinMode, RxStatus,
    StandbyLevel, Status, TxBuffer, TxPinMode, TxPriority, TxState,
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

/// How often the driver reads CANSTAT while waiting for a mode change.
const MODE_POLL_US: u32 = 10;
/// How long it waits by default: entering a mode waits for a frame in progress (at most ~160 bits), and the
/// Particle library saw sleep requests take longer; 50 ms is generous at every bit rate down to 5 kbit/s.
const MODE_TIMEOUT_US: u32 = 50_000;

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
/// (CANCTRL, CANINTE, BFPCTRL, CNF3's SOF/WAKFIL bits, the three TX priorities), so settings cost one write and no
/// read. The cache is valid from [`reset`](Self::reset) or [`init`](Self::init) on; call one of them first.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp25625<SPI, STBY = NoPin> {
    spi: SPI,
    standby: Option<STBY>,
    /// The level of STBY that puts the transceiver in standby.
    standby_level: StandbyLevel,
    mode: Mode,
    /// CANCTRL without REQOP and ABAT: OSM, CLKEN, CLKPRE.
    canctrl: u8,
    /// ABAT was left set by a mode change into sleep or configuration; cleared before the next transmission.
    abort_set: bool,
    /// CNF3's SOF and WAKFIL bits.
    cnf3_flags: u8,
    caninte: u8,
    bfpctrl: u8,
    /// TXP of TXB0..2, two bits each.
    priorities: u8,
    /// SIDH, SIDL, EID8, EID0, DLC last loaded into TXB0..2 (only the driver writes them), and which are known.
    tx_headers: [[u8; 5]; 3],
    tx_headers_known: u8,
    mode_timeout_us: u32,
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
    /// A driver for the chip on `spi` (mode 0,0, at most 10 MHz), without a standby pin. Sends nothing.
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
        Self {
            spi,
            standby,
            standby_level,
            mode: Mode::Configuration,
            canctrl: reg::CANCTRL_RESET & !reg::MODE_MASK,
            abort_set: false,
            cnf3_flags: 0,
            caninte: 0,
            bfpctrl: 0,
            priorities: 0,
            tx_headers: [[0; 5]; 3],
            tx_headers_known: 0,
            mode_timeout_us: MODE_TIMEOUT_US,
        }
    }

    /// Gives the bus back.
    pub fn release(self) -> SPI {
        self.spi
    }

    /// Gives the bus and the standby pin back.
    pub fn release_with_standby(self) -> (SPI, Option<STBY>) {
        (self.spi, self.standby)
    }

    /// The mode the driver last confirmed (CANSTAT read back), without bus traffic.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// How long a mode change may take before [`Error::ModeTimeout`] (50 ms unless set).
    pub fn set_mode_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.mode_timeout_us = timeout.ticks();
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

    fn require_configuration(&self) -> Result<(), Error<SPI::Error>> {
        if self.mode == Mode::Configuration {
            Ok(())
        } else {
            Err(ArgumentError::NotInConfigurationMode.into())
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
    /// reset value. [`Error::NotDetected`] otherwise. The driver's cache returns to the reset values.
    pub async fn reset<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.command(&[reg::RESET]).await?;
        delay.delay_us(reg::RESET_WAIT_US).await;
        let mut regs = [0u8; 2];
        self.read_registers(reg::CANSTAT, &mut regs).await?;
        let [canstat, canctrl] = regs;
        if canstat & reg::MODE_MASK != reg::MODE_CONFIGURATION
            || canctrl & reg::CANCTRL_PRESENCE_MASK != reg::CANCTRL_PRESENCE_VALUE
        {
            return Err(Error::NotDetected { canstat, canctrl });
        }
        self.mode = Mode::Configuration;
        self.canctrl = reg::CANCTRL_RESET & !reg::MODE_MASK;
        self.abort_set = false;
        self.cnf3_flags = 0;
        self.caninte = 0;
        self.bfpctrl = 0;
        self.priorities = 0;
        self.tx_headers_known = 0;
        Ok(())
    }

    /// Resets the chip and programs `config` in the fewest frames: RESET; READ CANSTAT+CANCTRL (detection);
    /// one WRITE of CNF3, CNF2, CNF1, CANINTE; RXB0CTRL (unless it keeps its reset value); CANCTRL with the mode
    /// and CLKOUT settings; CANSTAT read back until the mode is reached. RXB1CTRL keeps its reset value (filtered;
    /// with `Acceptance::All` RXB1 fills only by rollover). The standby pin (if any) is set to normal first.
    pub async fn init<D: DelayNs>(&mut self, config: &Config, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        self.set_standby_pin(false)?;
        self.reset(delay).await?;
        let [cnf1, cnf2, cnf3] = config.bit_timing.cnf();
        let (clock_bits, sof) = config.clock_out.encode();
        let wakfil = if config.wake_filter { reg::CNF3_WAKFIL } else { 0 };
        let interrupts = config.interrupts.0;
        self.write_registers(reg::CNF3, &[cnf3 | sof | wakfil, cnf2, cnf1, interrupts])
            .await?;
        self.cnf3_flags = sof | wakfil;
        self.caninte = interrupts;
        let rxb0ctrl = rxb0ctrl(config.acceptance, config.rollover);
        if rxb0ctrl != 0 {
            self.write_register(reg::RXB0CTRL, rxb0ctrl).await?;
        }
        let osm = if config.one_shot { reg::CANCTRL_OSM } else { 0 };
        let canctrl = osm | clock_bits;
        if config.mode == Mode::Configuration && canctrl == self.canctrl {
            return Ok(());
        }
        self.request_mode(config.mode, canctrl, delay).await?;
        if config.mode == Mode::Sleep {
            self.set_standby_pin(true)?;
        }
        Ok(())
    }

    // ---- modes ------------------------------------------------------------------------------------------

    /// Requests `mode` (one WRITE of CANCTRL from the cache, 3 bytes) and reads CANSTAT (3 bytes) every 10 µs
    /// until the chip reports it, or [`Error::ModeTimeout`]. Entering sleep or configuration sets ABAT in the same
    /// write, so pending transmissions are aborted first; the next CANCTRL write clears ABAT (the next send
    /// does one if nothing else did). Entering sleep puts the transceiver in standby (after the controller
    /// confirmed sleep). Leaving sleep goes through [`wake`](Self::wake).
    pub async fn set_mode<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        if self.mode == Mode::Sleep && mode != Mode::Sleep {
            return self.wake(mode, delay).await;
        }
        self.request_mode(mode, self.canctrl, delay).await?;
        if mode == Mode::Sleep {
            self.set_standby_pin(true)?;
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
        self.write_register(reg::CANCTRL, mode.code() | abort | canctrl).await?;
        self.canctrl = canctrl;
        self.abort_set = abort != 0;
        self.confirm_mode(mode, delay).await
    }

    async fn confirm_mode<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        let mut waited = 0u32;
        loop {
            let canstat = self.read_register(reg::CANSTAT).await?;
            let current = Mode::from_register(canstat);
            if current == Some(mode) {
                self.mode = mode;
                return Ok(());
            }
            if waited >= self.mode_timeout_us {
                if let Some(current) = current {
                    self.mode = current;
                }
                return Err(Error::ModeTimeout {
                    requested: mode,
                    current,
                });
            }
            delay.delay_us(MODE_POLL_US).await;
            waited = waited.saturating_add(MODE_POLL_US);
        }
    }

    /// Reads CANSTAT (3 bytes): the mode the chip is in and its highest-priority pending interrupt. Refreshes
    /// the driver's idea of the mode.
    pub async fn read_mode(&mut self) -> Result<(Option<Mode>, InterruptCode), Error<SPI::Error>> {
        let canstat = self.read_register(reg::CANSTAT).await?;
        let mode = Mode::from_register(canstat);
        if let Some(mode) = mode {
            self.mode = mode;
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
    pub async fn wake<D: DelayNs>(&mut self, mode: Mode, delay: &mut D) -> Result<(), Error<SPI::Error>> {
        if mode == Mode::Sleep {
            return Err(ArgumentError::WrongMode.into());
        }
        let had_wakie = self.caninte & reg::INT_WAK != 0;
        if !had_wakie {
            self.bit_modify(reg::CANINTE, reg::INT_WAK, reg::INT_WAK).await?;
        }
        self.bit_modify(reg::CANINTF, reg::INT_WAK, reg::INT_WAK).await?;
        delay.delay_us(reg::RESET_WAIT_US).await;
        self.mode = Mode::ListenOnly;
        self.set_standby_pin(false)?;
        self.request_mode(mode, self.canctrl, delay).await?;
        self.bit_modify(reg::CANINTF, reg::INT_WAK, 0).await?;
        if !had_wakie {
            self.bit_modify(reg::CANINTE, reg::INT_WAK, 0).await?;
        }
        Ok(())
    }

    /// Drives the transceiver's STBY pin directly (no SPI traffic): `true` = standby. A driver without a pin
    /// does nothing.
    pub fn set_transceiver_standby(&mut self, standby: bool) -> Result<(), Error<SPI::Error>> {
        self.set_standby_pin(standby)
    }

    // ---- settings -----------------------------------------------------------------------------------------

    /// Writes CNF3, CNF2, CNF1 in one WRITE (5 bytes), keeping the SOF and WAKFIL bits. Configuration mode only.
    pub async fn set_bit_timing(&mut self, timing: BitTiming) -> Result<(), Error<SPI::Error>> {
        self.require_configuration()?;
        let [cnf1, cnf2, cnf3] = timing.cnf();
        self.write_registers(reg::CNF3, &[cnf3 | self.cnf3_flags, cnf2, cnf1])
            .await
    }

    /// Reads CNF1..CNF3 back (5 bytes) and checks them: a chip with a raw or invalid timing gives
    /// [`ArgumentError::BitTiming`].
    pub async fn bit_timing(&mut self) -> Result<BitTiming, Error<SPI::Error>> {
        let mut regs = [0u8; 3];
        self.read_registers(reg::CNF3, &mut regs).await?;
        let [cnf3, cnf2, cnf1] = regs;
        Ok(BitTiming::from_cnf([cnf1, cnf2, cnf3])?)
    }

    /// One-shot mode (CANCTRL.OSM): each frame is attempted once, not retried after an error or lost
    /// arbitration. One WRITE of CANCTRL (3 bytes).
    pub async fn set_one_shot(&mut self, one_shot: bool) -> Result<(), Error<SPI::Error>> {
        let canctrl = (self.canctrl & !reg::CANCTRL_OSM) | if one_shot { reg::CANCTRL_OSM } else { 0 };
        self.write_canctrl(canctrl).await
    }

    async fn write_canctrl(&mut self, canctrl: u8) -> Result<(), Error<SPI::Error>> {
        self.write_register(reg::CANCTRL, self.mode.code() | canctrl).await?;
        self.canctrl = canctrl;
        self.abort_set = false;
        Ok(())
    }

    /// The CLKOUT/SOF pin: one WRITE of CANCTRL (3 bytes), plus a BIT MODIFY of CNF3.SOF (4 bytes, configuration
    /// mode only) when switching between a clock and the start-of-frame signal.
    pub async fn set_clock_out(&mut self, clock_out: ClockOut) -> Result<(), Error<SPI::Error>> {
        let (bits, sof) = clock_out.encode();
        if sof != self.cnf3_flags & reg::CNF3_SOF {
            self.require_configuration()?;
            self.bit_modify(reg::CNF3, reg::CNF3_SOF, sof).await?;
            self.cnf3_flags = (self.cnf3_flags & !reg::CNF3_SOF) | sof;
        }
        let canctrl = (self.canctrl & reg::CANCTRL_OSM) | bits;
        self.write_canctrl(canctrl).await
    }

    /// The low-pass filter on RXCAN against spurious wake-ups (CNF3.WAKFIL): BIT MODIFY, 4 bytes.
    /// Configuration mode only.
    pub async fn set_wake_filter(&mut self, on: bool) -> Result<(), Error<SPI::Error>> {
        self.require_configuration()?;
        let value = if on { reg::CNF3_WAKFIL } else { 0 };
        self.bit_modify(reg::CNF3, reg::CNF3_WAKFIL, value).await?;
        self.cnf3_flags = (self.cnf3_flags & !reg::CNF3_WAKFIL) | value;
        Ok(())
    }

    // ---- interrupts and errors ----------------------------------------------------------------------------

    /// The interrupt sources that drive INT (CANINTE): one WRITE, 3 bytes. INT is level-triggered: it stays low
    /// while any enabled flag is set.
    pub async fn set_interrupts(&mut self, interrupts: Interrupts) -> Result<(), Error<SPI::Error>> {
        self.write_register(reg::CANINTE, interrupts.0).await?;
        self.caninte = interrupts.0;
        Ok(())
    }

    /// The enabled interrupt sources, from the cache.
    pub fn interrupts(&self) -> Interrupts {
        Interrupts(self.caninte)
    }

    /// Reads CANINTF (3 bytes).
    pub async fn interrupt_flags(&mut self) -> Result<Interrupts, Error<SPI::Error>> {
        Ok(Interrupts(self.read_register(reg::CANINTF).await?))
    }

    /// Clears the given CANINTF flags (BIT MODIFY, 4 bytes). A flag whose cause persists is set again by the
    /// chip. Receive flags are cleared by the driver when it reads a buffer; no need to clear them here.
    pub async fn clear_interrupts(&mut self, interrupts: Interrupts) -> Result<(), Error<SPI::Error>> {
        self.bit_modify(reg::CANINTF, interrupts.0, 0).await
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
    /// bus-off by itself after 128 × 11 recessive bits).
    pub async fn service_errors(&mut self) -> Result<ErrorReport, Error<SPI::Error>> {
        let mut regs = [0u8; 2];
        self.read_registers(reg::CANINTF, &mut regs).await?;
        let [canintf, eflg] = regs;
        let overflow = eflg & (reg::EFLG_RX0OVR | reg::EFLG_RX1OVR);
        if overflow != 0 {
            self.bit_modify(reg::EFLG, overflow, 0).await?;
        }
        let errors = canintf & (reg::INT_ERR | reg::INT_MERR);
        if errors != 0 {
            self.bit_modify(reg::CANINTF, errors, 0).await?;
        }
        Ok(ErrorReport {
            interrupts: Interrupts(canintf),
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
    /// below every pending buffer of the same priority: frames of equal priority leave in the order given
    /// (up to three queued). Transmission is started only with the RTS instruction, never by writing TXREQ
    /// (erratum DS80179G item 5: a TXREQ write can send a frame twice).
    pub async fn try_send_with_priority(
        &mut self,
        frame: &Frame,
        priority: TxPriority,
    ) -> Result<Option<TxBuffer>, Error<SPI::Error>> {
        let status = self.status().await?;
        let Some(buffer) = choose_buffer(status, self.priorities, priority) else {
            return Ok(None);
        };
        self.load_and_send(buffer, frame, priority).await?;
        Ok(Some(buffer))
    }

    /// Loads `frame` into `buffer` and requests it, without looking at the status (the caller knows the buffer
    /// is free: a busy buffer must not be written). TXP by BIT MODIFY only if it changes; LOAD TX BUFFER; RTS.
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
            self.write_register(reg::CANCTRL, self.mode.code() | self.canctrl)
                .await?;
            self.abort_set = false;
        }
        let n = buffer.index();
        let shift = n.saturating_mul(2);
        let current = self.priorities.wrapping_shr(u32::from(shift)) & 3;
        if current != priority as u8 {
            self.bit_modify(reg::txb_ctrl(n), reg::TXB_TXP_MASK, priority as u8)
                .await?;
            self.priorities = (self.priorities & !3u8.wrapping_shl(u32::from(shift)))
                | (priority as u8).wrapping_shl(u32::from(shift));
        }
        let (registers, length) = frame.encode();
        let [sidh, sidl, eid8, eid0, dlc, ..] = registers;
        let header = [sidh, sidl, eid8, eid0, dlc];
        let bit = 1u8.wrapping_shl(u32::from(n));
        let same_header = self.tx_headers_known & bit != 0 && self.tx_headers.get(usize::from(n)) == Some(&header);
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
            self.tx_headers_known &= !bit;
            self.command(bytes).await?;
            if let Some(cached) = self.tx_headers.get_mut(usize::from(n)) {
                *cached = header;
                self.tx_headers_known |= bit;
            }
        }
        self.command(&[reg::RTS | bit]).await
    }

    /// Queues `frame`, reading the status until a buffer is free (no timeout: a bus that never frees a buffer,
    /// e.g. one without another node to acknowledge, blocks forever; use [`try_send`](Self::try_send) to decide
    /// yourself).
    pub async fn send(&mut self, frame: &Frame) -> Result<TxBuffer, Error<SPI::Error>> {
        loop {
            if let Some(buffer) = self.try_send(frame).await? {
                return Ok(buffer);
            }
        }
    }

    /// Aborts one pending transmission: BIT MODIFY clearing TXBnCTRL.TXREQ (4 bytes). A frame already on the
    /// bus finishes.
    pub async fn abort(&mut self, buffer: TxBuffer) -> Result<(), Error<SPI::Error>> {
        self.bit_modify(reg::txb_ctrl(buffer.index()), reg::TXB_TXREQ, 0).await
    }

    /// Aborts every pending transmission: CANCTRL written with ABAT, then without (3 + 3 bytes). The chip
    /// clears every TXREQ (and sets ABTF) as soon as ABAT is set.
    pub async fn abort_all(&mut self) -> Result<(), Error<SPI::Error>> {
        self.write_register(reg::CANCTRL, self.mode.code() | reg::CANCTRL_ABAT | self.canctrl)
            .await?;
        self.write_register(reg::CANCTRL, self.mode.code() | self.canctrl)
            .await?;
        self.abort_set = false;
        Ok(())
    }

    /// Reads one TXBnCTRL (3 bytes): pending, aborted, lost arbitration, error.
    pub async fn tx_state(&mut self, buffer: TxBuffer) -> Result<TxState, Error<SPI::Error>> {
        Ok(TxState(self.read_register(reg::txb_ctrl(buffer.index())).await?))
    }

    // ---- receive ------------------------------------------------------------------------------------------

    /// The next received frame, if any: READ STATUS (2 bytes), then READ RX BUFFER of RXB0 if it is full, else of
    /// RXB1 (14 bytes), which clears its RXnIF as CS rises. RXB0 is always drained first, and the flags are
    /// read afresh at each call, so a frame that rolled over into RXB1 meanwhile comes in order.
    pub async fn try_receive(&mut self) -> Result<Option<Frame>, Error<SPI::Error>> {
        let status = self.status().await?;
        let buffer = if status.rx_pending(RxBuffer::B0) {
            RxBuffer::B0
        } else if status.rx_pending(RxBuffer::B1) {
            RxBuffer::B1
        } else {
            return Ok(None);
        };
        Ok(Some(self.read_rx_buffer(buffer).await?))
    }

    /// Reads one receive buffer with READ RX BUFFER (1 + 13 bytes) and frees it (RXnIF clears as CS rises),
    /// without checking that it held a frame.
    pub async fn read_rx_buffer(&mut self, buffer: RxBuffer) -> Result<Frame, Error<SPI::Error>> {
        let mut registers = [0u8; 13];
        let instruction = match buffer {
            RxBuffer::B0 => reg::READ_RX_BUFFER,
            RxBuffer::B1 => reg::READ_RX_BUFFER | 0x04,
        };
        self.command_read(&[instruction], &mut registers).await?;
        Ok(Frame::decode(&registers))
    }

    /// Waits for a frame, reading the status over and over (no timeout).
    pub async fn receive(&mut self) -> Result<Frame, Error<SPI::Error>> {
        loop {
            if let Some(frame) = self.try_receive().await? {
                return Ok(frame);
            }
        }
    }

    // ---- acceptance filters -------------------------------------------------------------------------------

    /// Programs one filter: one WRITE of its four registers (6 bytes). Configuration mode only.
    pub async fn set_filter(&mut self, number: FilterNumber, filter: Filter) -> Result<(), Error<SPI::Error>> {
        self.require_configuration()?;
        self.write_registers(reg::rxf_sidh(number as u8), &filter.encode())
            .await
    }

    /// Programs one mask: one WRITE of its four registers (6 bytes). Configuration mode only.
    pub async fn set_mask(&mut self, number: MaskNumber, mask: Mask) -> Result<(), Error<SPI::Error>> {
        self.require_configuration()?;
        self.write_registers(reg::rxm_sidh(number as u8), &mask.encode()).await
    }

    /// Which frames the buffers take, and rollover: one WRITE each of RXB0CTRL and RXB1CTRL (3 + 3 bytes).
    /// Works in any mode.
    pub async fn set_acceptance(&mut self, acceptance: Acceptance, rollover: bool) -> Result<(), Error<SPI::Error>> {
        let rxm = match acceptance {
            Acceptance::All => reg::RXB_RXM_ANY,
            Acceptance::Filtered => 0,
        };
        self.write_register(reg::RXB0CTRL, rxb0ctrl(acceptance, rollover))
            .await?;
        self.write_register(reg::RXB1CTRL, rxm).await
    }

    // ---- pins ---------------------------------------------------------------------------------------------

    /// The function of the RXnBF pin of `buffer` (BFPCTRL): one WRITE from the cache (3 bytes).
    pub async fn set_rx_pin(&mut self, buffer: RxBuffer, pin: RxPinMode) -> Result<(), Error<SPI::Error>> {
        let shift = buffer as u8;
        let bits = match pin {
            RxPinMode::Disabled => 0,
            RxPinMode::BufferFull => reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFM,
            RxPinMode::Output(false) => reg::BFPCTRL_B0BFE,
            RxPinMode::Output(true) => reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFS,
        }
        .wrapping_shl(u32::from(shift));
        let all = (reg::BFPCTRL_B0BFE | reg::BFPCTRL_B0BFM | reg::BFPCTRL_B0BFS).wrapping_shl(u32::from(shift));
        let bfpctrl = (self.bfpctrl & !all) | bits;
        self.write_register(reg::BFPCTRL, bfpctrl).await?;
        self.bfpctrl = bfpctrl;
        Ok(())
    }

    /// The function of the TX0RTS..TX2RTS pins (TXRTSCTRL, one WRITE of 3 bytes). Configuration mode only.
    pub async fn set_tx_pins(&mut self, pins: [TxPinMode; 3]) -> Result<(), Error<SPI::Error>> {
        self.require_configuration()?;
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

    /// BIT MODIFY of one register (4 bytes). Meant for diagnostics: a register the driver caches is not updated,
    /// and TXBnCTRL.TXREQ must not be set this way (erratum).
    pub async fn modify_raw(&mut self, address: u8, mask: u8, value: u8) -> Result<(), Error<SPI::Error>> {
        self.bit_modify(address, mask, value).await
    }
}

#[cfg(feature = "async")]
impl<SPI: AsyncSpiDevice, STBY: OutputPin> Mcp25625Async<SPI, STBY> {
    /// Waits for a frame: tries to read one, and while there is none waits for the INT pin to go low. INT must be
    /// driven by the receive interrupts only (the default of [`Config::new`]); another enabled flag would keep
    /// INT low and make this poll.
    pub async fn receive_on_interrupt<INT: embedded_hal_async::digital::Wait>(
        &mut self,
        int: &mut INT,
    ) -> Result<Frame, Error<SPI::Error>> {
        loop {
            if let Some(frame) = self.try_receive().await? {
                return Ok(frame);
            }
            int.wait_for_low().await.map_err(|e| Error::Pin(e.kind()))?;
        }
    }

    /// Queues `frame` at the lowest priority, waiting on the INT pin while no buffer can take it. Enable the TX
    /// interrupts ([`Interrupts::TX0`], `TX1`, `TX2`) for this: after each wake-up the driver clears the three
    /// TXnIF flags (BIT MODIFY, 4 bytes) so that INT can rise again. Another enabled flag that stays set keeps
    /// INT low and makes this poll.
    pub async fn send_on_interrupt<INT: embedded_hal_async::digital::Wait>(
        &mut self,
        frame: &Frame,
        int: &mut INT,
    ) -> Result<TxBuffer, Error<SPI::Error>> {
        loop {
            if let Some(buffer) = self.try_send(frame).await? {
                return Ok(buffer);
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

/// RXB0CTRL for an acceptance and rollover setting.
const fn rxb0ctrl(acceptance: Acceptance, rollover: bool) -> u8 {
    let rxm = match acceptance {
        Acceptance::All => reg::RXB_RXM_ANY,
        Acceptance::Filtered => 0,
    };
    rxm | if rollover { reg::RXB0_BUKT } else { 0 }
}

/// The buffer for a new frame of `priority`: the highest-numbered free buffer below every pending buffer of the
/// same priority (the chip sends equal priorities high-numbered first), or `None`.
fn choose_buffer(status: Status, priorities: u8, priority: TxPriority) -> Option<TxBuffer> {
    let same_priority_pending = |b: TxBuffer| {
        status.tx_requested(b) && priorities.wrapping_shr(u32::from(b.index()).saturating_mul(2)) & 3 == priority as u8
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
        assert_eq!(choose_buffer(Status(0), 0, lowest), Some(TxBuffer::B2));
        // TXB2 pending: TXB1
        assert_eq!(choose_buffer(Status(0x40), 0, lowest), Some(TxBuffer::B1));
        // TXB1 pending, TXB2 free: only TXB0 is behind TXB1
        assert_eq!(choose_buffer(Status(0x10), 0, lowest), Some(TxBuffer::B0));
        // TXB0 pending: nothing below it
        assert_eq!(choose_buffer(Status(0x04), 0, lowest), None);
        // TXB0 pending at another priority: TXB2 is free to use
        assert_eq!(choose_buffer(Status(0x04), 0b11, lowest), Some(TxBuffer::B2));
        assert_eq!(choose_buffer(Status(0x54), 0, TxPriority::High), None);
    }
}
