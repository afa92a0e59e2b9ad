//! What the user passes in and gets back: modes, bit timing, frames, buffers, filters, flags, errors.

use embedded_can::{ExtendedId, Id, StandardId};

use crate::register as reg;

// ---- modes ------------------------------------------------------------------------------------------------

/// An operating mode (CANCTRL.REQOP / CANSTAT.OPMOD). Exhaustive on purpose: it mirrors the five valid codes
/// of a closed register field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Mode {
    /// Sends and receives, acknowledges frames, counts errors.
    Normal,
    /// Oscillator stopped; bus activity (or [`wake`](crate::Mcp25625::wake)) wakes the chip into listen-only.
    Sleep,
    /// Sent frames come back to the receive buffers; nothing goes on the bus.
    Loopback,
    /// Receives every valid frame, sends nothing, acknowledges nothing.
    ListenOnly,
    /// After reset: bit timing, filters, masks and TXRTSCTRL can only be written here. Entering it clears TEC/REC.
    Configuration,
}

impl Mode {
    /// The REQOP/OPMOD code in bits 7:5.
    pub const fn code(self) -> u8 {
        match self {
            Self::Normal => reg::MODE_NORMAL,
            Self::Sleep => reg::MODE_SLEEP,
            Self::Loopback => reg::MODE_LOOPBACK,
            Self::ListenOnly => reg::MODE_LISTEN_ONLY,
            Self::Configuration => reg::MODE_CONFIGURATION,
        }
    }

    /// The mode in bits 7:5 of CANSTAT or CANCTRL; `None` for the invalid codes 101..111.
    pub const fn from_register(value: u8) -> Option<Self> {
        match value & reg::MODE_MASK {
            reg::MODE_NORMAL => Some(Self::Normal),
            reg::MODE_SLEEP => Some(Self::Sleep),
            reg::MODE_LOOPBACK => Some(Self::Loopback),
            reg::MODE_LISTEN_ONLY => Some(Self::ListenOnly),
            reg::MODE_CONFIGURATION => Some(Self::Configuration),
            _ => None,
        }
    }
}

// ---- bit timing -------------------------------------------------------------------------------------------

/// Why a bit timing was refused. More reasons may come in a minor version (`#[non_exhaustive]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum BitTimingError {
    /// No BRP gives a whole number of 8..=25 time quanta per bit at this oscillator (1 Mbit/s at 8 MHz, or a
    /// zero rate or clock).
    BitrateNotAchievable,
    /// SJW outside 1..=4.
    SjwOutOfRange,
    /// Sample point outside 50.0..=95.0 % (500..=950 ‰).
    SamplePointOutOfRange,
    /// BRP above 63.
    BrpOutOfRange,
    /// PropSeg or PS1 outside 1..=8, or PS2 outside 2..=8.
    SegmentOutOfRange,
    /// PS2 must be longer than SJW.
    Ps2NotAboveSjw,
    /// PS1 must be at least SJW (a resynchronisation lengthens PS1 by up to SJW).
    Ps1BelowSjw,
    /// PropSeg + PS1 must be at least PS2.
    Ps2AboveTseg1,
    /// The bit must be 8..=25 time quanta long.
    QuantaOutOfRange,
    /// Raw CNF2 with BTLMODE = 0 (PS2 not taken from CNF3): the driver only programs BTLMODE = 1.
    BtlModeClear,
}

/// The bit timing of the CAN controller: CNF1..CNF3 without the CLKOUT/SOF and wake-filter bits.
///
/// Every value of this type obeys every rule (see [`BitTimingError`]): it can only be made by
/// [`BitTiming::new`], [`BitTiming::with_sample_point`], [`BitTiming::from_segments`] or
/// [`BitTiming::from_cnf`], all of which check.
///
/// A bit is Sync (1 TQ) + PropSeg + PS1 + PS2 time quanta, with TQ = 2 × (BRP + 1) / Fosc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BitTiming {
    brp: u8,
    sjw: u8,
    prop_seg: u8,
    phase_seg1: u8,
    phase_seg2: u8,
    triple_sampling: bool,
}

impl BitTiming {
    /// The timing for `bitrate` at `oscillator` with the sample point nearest 87.5 % (the CANopen/DeviceNet
    /// recommendation), SJW = 1, single sampling.
    ///
    /// ```
    /// use fugit::RateExtU32;
    /// let timing = mcp25625::BitTiming::new(16.MHz(), 500.kHz())?;
    /// assert_eq!(timing.cnf(), [0x00, 0xB5, 0x01]);
    /// assert_eq!(timing.sample_point_permille(), 875);
    /// # Ok::<(), mcp25625::BitTimingError>(())
    /// ```
    ///
    /// A `const fn` on 32-bit integers: a fixed configuration can be computed at compile time, so the firmware
    /// carries neither the search nor a division routine, and an unreachable rate fails the build:
    ///
    /// ```
    /// use fugit::HertzU32;
    /// use mcp25625::{BitTiming, Config};
    ///
    /// const TIMING: BitTiming = match BitTiming::new(HertzU32::MHz(16), HertzU32::kHz(500)) {
    ///     Ok(timing) => timing,
    ///     Err(_) => panic!("500 kbit/s is not reachable from 16 MHz"),
    /// };
    /// const CONFIG: Config = Config::new(TIMING);
    /// assert_eq!(CONFIG.bit_timing.cnf(), [0x00, 0xB5, 0x01]);
    /// ```
    pub const fn new(oscillator: fugit::HertzU32, bitrate: fugit::HertzU32) -> Result<Self, BitTimingError> {
        Self::with_sample_point(oscillator, bitrate, 875, 1)
    }

    /// The timing for `bitrate` at `oscillator` with the sample point nearest `sample_point_permille`
    /// (500..=950) and the given SJW (1..=4).
    ///
    /// Only exact bit rates are accepted. Among the BRP values that give 8..=25 TQ per bit, the one whose best
    /// sample point is nearest the request wins; on a tie the bit nearest 16 TQ, then the longer one. Within a
    /// bit, an equally near lower sample point (longer PS2) is preferred. PropSeg + PS1 is split evenly
    /// (PS1 takes the odd quantum), which does not move the sample point. A `const fn` on 32-bit integers
    /// (see [`new`](Self::new)).
    pub const fn with_sample_point(
        oscillator: fugit::HertzU32,
        bitrate: fugit::HertzU32,
        sample_point_permille: u16,
        sjw: u8,
    ) -> Result<Self, BitTimingError> {
        if sjw < 1 || sjw > 4 {
            return Err(BitTimingError::SjwOutOfRange);
        }
        if sample_point_permille < 500 || sample_point_permille > 950 {
            return Err(BitTimingError::SamplePointOutOfRange);
        }
        let osc = oscillator.raw();
        let rate = bitrate.raw();
        let target = sample_point_permille as u32;
        // the best so far: its error numerator (‰·TQ, at most 25 × 1000), its bit length (denominator, 8..=25)
        let mut best: Option<(u32, u32, Self)> = None;
        let mut brp = 0u8;
        while brp <= reg::BRP_MAX {
            let ntq = exact_quanta(osc, rate, brp);
            if ntq >= reg::TQ_PER_BIT_MIN as u32 && ntq <= reg::TQ_PER_BIT_MAX as u32 {
                #[allow(clippy::cast_possible_truncation)] // 8..=25: exact
                let ntq8 = ntq as u8;
                if let Some((error, timing)) = best_in_bit(brp, ntq8, target, sjw) {
                    let better = match best {
                        None => true,
                        // error / ntq against best_error / best_ntq, cross-multiplied: at most 25 000 × 25
                        Some((best_error, best_ntq, _)) => {
                            let lhs = error.saturating_mul(best_ntq);
                            let rhs = best_error.saturating_mul(ntq);
                            let distance = ntq.abs_diff(16);
                            let best_distance = best_ntq.abs_diff(16);
                            lhs < rhs
                                || (lhs == rhs
                                    && (distance < best_distance || (distance == best_distance && ntq > best_ntq)))
                        }
                    };
                    if better {
                        best = Some((error, ntq, timing));
                    }
                }
            }
            brp = brp.saturating_add(1);
        }
        match best {
            Some((_, _, timing)) => Ok(timing),
            None => Err(BitTimingError::BitrateNotAchievable),
        }
    }

    /// A timing from its parts, checked against every rule: `brp` 0..=63, `sjw` 1..=4, PropSeg and PS1 1..=8,
    /// PS2 2..=8, PS2 > SJW, PS1 ≥ SJW, PropSeg + PS1 ≥ PS2, 8..=25 TQ per bit.
    pub const fn from_segments(
        brp: u8,
        sjw: u8,
        prop_seg: u8,
        phase_seg1: u8,
        phase_seg2: u8,
        triple_sampling: bool,
    ) -> Result<Self, BitTimingError> {
        if brp > reg::BRP_MAX {
            return Err(BitTimingError::BrpOutOfRange);
        }
        if sjw < 1 || sjw > 4 {
            return Err(BitTimingError::SjwOutOfRange);
        }
        if prop_seg < 1 || prop_seg > 8 || phase_seg1 < 1 || phase_seg1 > 8 || phase_seg2 < 2 || phase_seg2 > 8 {
            return Err(BitTimingError::SegmentOutOfRange);
        }
        if phase_seg2 <= sjw {
            return Err(BitTimingError::Ps2NotAboveSjw);
        }
        if phase_seg1 < sjw {
            return Err(BitTimingError::Ps1BelowSjw);
        }
        if prop_seg.saturating_add(phase_seg1) < phase_seg2 {
            return Err(BitTimingError::Ps2AboveTseg1);
        }
        let ntq = 1u8
            .saturating_add(prop_seg)
            .saturating_add(phase_seg1)
            .saturating_add(phase_seg2);
        if ntq < reg::TQ_PER_BIT_MIN || ntq > reg::TQ_PER_BIT_MAX {
            return Err(BitTimingError::QuantaOutOfRange);
        }
        Ok(Self {
            brp,
            sjw,
            prop_seg,
            phase_seg1,
            phase_seg2,
            triple_sampling,
        })
    }

    /// A timing from raw CNF1, CNF2, CNF3 (for example from a table), checked against every rule. CNF2 must
    /// have BTLMODE set; CNF3's SOF and WAKFIL bits are ignored (see [`ClockOut`] and
    /// [`Config::wake_filter`]).
    ///
    /// ```
    /// use mcp25625::{BitTiming, BitTimingError};
    /// // the widely copied "8 MHz, 1000 kbit/s" row: PS2 = 1 TQ, 4 TQ per bit
    /// assert_eq!(BitTiming::from_cnf([0x00, 0x80, 0x80]), Err(BitTimingError::SegmentOutOfRange));
    /// assert!(BitTiming::from_cnf([0x00, 0x90, 0x82]).is_ok());
    /// ```
    pub const fn from_cnf(cnf: [u8; 3]) -> Result<Self, BitTimingError> {
        let [cnf1, cnf2, cnf3] = cnf;
        if cnf2 & reg::CNF2_BTLMODE == 0 {
            return Err(BitTimingError::BtlModeClear);
        }
        Self::from_segments(
            cnf1 & 0x3F,
            (cnf1 >> 6).saturating_add(1),
            (cnf2 & 0x07).saturating_add(1),
            ((cnf2 >> 3) & 0x07).saturating_add(1),
            (cnf3 & reg::CNF3_PHSEG2_MASK).saturating_add(1),
            cnf2 & reg::CNF2_SAM != 0,
        )
    }

    /// The same timing with triple sampling (CNF2.SAM: three samples, majority vote) on or off.
    pub const fn with_triple_sampling(mut self, on: bool) -> Self {
        self.triple_sampling = on;
        self
    }

    /// CNF1, CNF2, CNF3 (BTLMODE set; SOF and WAKFIL clear).
    pub const fn cnf(&self) -> [u8; 3] {
        let cnf1 = (self.sjw.wrapping_sub(1) & 3) << 6 | (self.brp & 0x3F);
        let sam = if self.triple_sampling { reg::CNF2_SAM } else { 0 };
        let cnf2 =
            reg::CNF2_BTLMODE | sam | (self.phase_seg1.wrapping_sub(1) & 7) << 3 | (self.prop_seg.wrapping_sub(1) & 7);
        let cnf3 = self.phase_seg2.wrapping_sub(1) & 7;
        [cnf1, cnf2, cnf3]
    }

    /// BRP (TQ = 2 × (BRP + 1) / Fosc).
    pub const fn brp(&self) -> u8 {
        self.brp
    }
    /// Synchronisation jump width in TQ.
    pub const fn sjw(&self) -> u8 {
        self.sjw
    }
    /// Propagation segment in TQ.
    pub const fn prop_seg(&self) -> u8 {
        self.prop_seg
    }
    /// Phase segment 1 in TQ.
    pub const fn phase_seg1(&self) -> u8 {
        self.phase_seg1
    }
    /// Phase segment 2 in TQ.
    pub const fn phase_seg2(&self) -> u8 {
        self.phase_seg2
    }
    /// Three samples per bit.
    pub const fn triple_sampling(&self) -> bool {
        self.triple_sampling
    }
    /// Time quanta per bit.
    pub const fn quanta_per_bit(&self) -> u8 {
        1u8.wrapping_add(self.prop_seg)
            .wrapping_add(self.phase_seg1)
            .wrapping_add(self.phase_seg2)
    }
    /// Sample point in per mille of the bit.
    pub const fn sample_point_permille(&self) -> u16 {
        let before = 1u16
            .wrapping_add(self.prop_seg as u16)
            .wrapping_add(self.phase_seg1 as u16);
        match before.wrapping_mul(1000).checked_div(self.quanta_per_bit() as u16) {
            Some(permille) => permille,
            None => 0,
        }
    }
    /// The bit rate this timing gives at `oscillator` (rounded down).
    pub const fn bitrate(&self, oscillator: fugit::HertzU32) -> fugit::HertzU32 {
        let divider = 2u32
            .saturating_mul((self.brp as u32).saturating_add(1))
            .saturating_mul(self.quanta_per_bit() as u32);
        fugit::HertzU32::from_raw(match oscillator.raw().checked_div(divider) {
            Some(rate) => rate,
            None => 0,
        })
    }
}

/// The number of time quanta per bit when `oscillator` = 2 × (`brp` + 1) × `bitrate` × that number exactly,
/// else 0 (also for a zero clock or rate).
///
/// Two 32-bit divisions instead of one by the 64-bit product 2 × (BRP + 1) × rate (up to 2⁷ × 2³²): the
/// product divides the clock exactly if and only if the prescaler 2 × (BRP + 1) (2..=128, no overflow for
/// BRP ≤ 63) divides it and the bit rate divides the quotient; the second quotient is then the number of
/// quanta. Nothing is multiplied, so nothing can overflow.
const fn exact_quanta(oscillator: u32, bitrate: u32, brp: u8) -> u32 {
    let prescaler = (brp as u32).saturating_add(1).saturating_mul(2);
    let Some(0) = oscillator.checked_rem(prescaler) else {
        return 0;
    };
    let Some(quantum_rate) = oscillator.checked_div(prescaler) else {
        return 0;
    };
    let Some(0) = quantum_rate.checked_rem(bitrate) else {
        return 0;
    };
    match quantum_rate.checked_div(bitrate) {
        Some(ntq) => ntq,
        None => 0,
    }
}

/// The best split of one bit of `ntq` quanta at `brp`: (|sample point × ntq − target × ntq| in ‰·TQ, timing).
/// Every figure fits 32 bits with room: (tseg1 + 1) × 1000 ≤ 25 000 and target × ntq ≤ 950 × 25.
const fn best_in_bit(brp: u8, ntq: u8, target: u32, sjw: u8) -> Option<(u32, BitTiming)> {
    let mut best: Option<(u32, BitTiming)> = None;
    // from the longest PS2 down, so that an equally near lower sample point wins
    let mut ps2 = 8u8;
    while ps2 >= 2 {
        if let Some(tseg1) = ntq.saturating_sub(1).checked_sub(ps2) {
            // PS1 above 8 (tseg1 ≥ 17) leaves PropSeg above 8 too: no split is valid, and `from_segments` says so
            let mut ps1 = tseg1.div_ceil(2);
            if ps1 < sjw {
                ps1 = sjw;
            }
            if let Some(prop) = tseg1.checked_sub(ps1) {
                if let Ok(timing) = BitTiming::from_segments(brp, sjw, prop, ps1, ps2, false) {
                    let error = (tseg1 as u32)
                        .saturating_add(1)
                        .saturating_mul(1000)
                        .abs_diff(target.saturating_mul(ntq as u32));
                    let better = match best {
                        None => true,
                        Some((e, _)) => error < e,
                    };
                    if better {
                        best = Some((error, timing));
                    }
                }
            }
        }
        ps2 = ps2.saturating_sub(1);
    }
    best
}

// ---- configuration ----------------------------------------------------------------------------------------

/// What the CLKOUT/SOF pin outputs (CANCTRL.CLKEN, CLKPRE and CNF3.SOF). Exhaustive on purpose: every setting
/// of those closed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ClockOut {
    /// Pin off (high impedance).
    #[default]
    Disabled,
    /// The oscillator divided by 1.
    Divide1,
    /// Fosc / 2.
    Divide2,
    /// Fosc / 4.
    Divide4,
    /// Fosc / 8 (the reset state).
    Divide8,
    /// A start-of-frame pulse instead of a clock.
    StartOfFrame,
}

impl ClockOut {
    /// (CANCTRL bits 2:0, CNF3.SOF bit).
    pub const fn encode(self) -> (u8, u8) {
        match self {
            Self::Disabled => (0, 0),
            Self::Divide1 => (reg::CANCTRL_CLKEN, 0),
            Self::Divide2 => (reg::CANCTRL_CLKEN | 1, 0),
            Self::Divide4 => (reg::CANCTRL_CLKEN | 2, 0),
            Self::Divide8 => (reg::CANCTRL_CLKEN | 3, 0),
            Self::StartOfFrame => (reg::CANCTRL_CLKEN, reg::CNF3_SOF),
        }
    }
}

/// How the receive buffers accept frames (RXBnCTRL.RXM and RXB0CTRL.BUKT). The two other RXM codes are
/// reserved today; should they be used, they come as new variants (`#[non_exhaustive]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Acceptance {
    /// Filters and masks off: every valid frame is received (RXM = 11).
    #[default]
    All,
    /// Only frames that pass the filters (RXM = 00): program them with [`set_filter`](crate::Mcp25625::set_filter)
    /// and [`set_mask`](crate::Mcp25625::set_mask) in configuration mode. Their reset values are undefined.
    Filtered,
}

/// Everything [`init`](crate::Mcp25625::init) programs.
///
/// Exhaustive on purpose, so that it can be built with a struct literal; a new field comes with a major
/// version. [`Config::new`] and its builder methods are the usual way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// The bit timing.
    pub bit_timing: BitTiming,
    /// The mode to end in.
    pub mode: Mode,
    /// Which frames are received.
    pub acceptance: Acceptance,
    /// A frame for a full RXB0 goes to RXB1 (BUKT). The driver always drains RXB0 first.
    pub rollover: bool,
    /// Interrupts that drive the INT pin (CANINTE).
    pub interrupts: Interrupts,
    /// Each frame is attempted once only (CANCTRL.OSM).
    pub one_shot: bool,
    /// The CLKOUT pin.
    pub clock_out: ClockOut,
    /// The low-pass filter on RXCAN for waking from sleep (CNF3.WAKFIL).
    pub wake_filter: bool,
}

impl Config {
    /// Normal mode at `bit_timing`, every frame accepted, rollover on, INT for received frames, CLKOUT off.
    pub const fn new(bit_timing: BitTiming) -> Self {
        Self {
            bit_timing,
            mode: Mode::Normal,
            acceptance: Acceptance::All,
            rollover: true,
            interrupts: Interrupts::RX0.union(Interrupts::RX1),
            one_shot: false,
            clock_out: ClockOut::Disabled,
            wake_filter: false,
        }
    }

    /// The same configuration ending in `mode`.
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The same configuration with other interrupts enabled.
    pub const fn interrupts(mut self, interrupts: Interrupts) -> Self {
        self.interrupts = interrupts;
        self
    }

    /// The same configuration with another acceptance.
    pub const fn acceptance(mut self, acceptance: Acceptance) -> Self {
        self.acceptance = acceptance;
        self
    }
}

// ---- flags ------------------------------------------------------------------------------------------------

bitflags::bitflags! {
    /// A set of interrupt sources, as in CANINTE (enables) and CANINTF (flags): combine them with `|`, test
    /// them with `contains`, list them with `iter`. Every one of the eight bits is a source, so every byte is a
    /// valid set (`from_bits_truncate` keeps them all).
    ///
    /// ```
    /// use mcp25625::Interrupts;
    /// let enabled = Interrupts::RX0 | Interrupts::RX1 | Interrupts::ERROR;
    /// assert!(enabled.contains(Interrupts::RX0 | Interrupts::RX1));
    /// assert_eq!(enabled & !Interrupts::ERROR, Interrupts::RX0 | Interrupts::RX1);
    /// assert_eq!(enabled.bits(), 0x23);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Interrupts: u8 {
        /// Message error while sending or receiving (MERR).
        const MESSAGE_ERROR = reg::INT_MERR;
        /// Wake-up from sleep (WAK).
        const WAKE_UP = reg::INT_WAK;
        /// An EFLG condition changed: warning, passive, bus-off, overflow (ERR).
        const ERROR = reg::INT_ERR;
        /// TXB2 sent.
        const TX2 = reg::INT_TX2;
        /// TXB1 sent.
        const TX1 = reg::INT_TX1;
        /// TXB0 sent.
        const TX0 = reg::INT_TX0;
        /// A frame in RXB1.
        const RX1 = reg::INT_RX1;
        /// A frame in RXB0.
        const RX0 = reg::INT_RX0;
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Interrupts {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "Interrupts({=u8:#04x})", self.bits());
    }
}

/// EFLG: error warnings, error-passive, bus-off, receive overflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ErrorFlags(pub u8);

impl ErrorFlags {
    /// RXB1 overflowed (a frame was lost).
    pub const fn rx1_overflow(self) -> bool {
        self.0 & reg::EFLG_RX1OVR != 0
    }
    /// RXB0 overflowed.
    pub const fn rx0_overflow(self) -> bool {
        self.0 & reg::EFLG_RX0OVR != 0
    }
    /// Either buffer overflowed.
    pub const fn overflow(self) -> bool {
        self.rx0_overflow() || self.rx1_overflow()
    }
    /// Bus-off (TEC past 255).
    pub const fn bus_off(self) -> bool {
        self.0 & reg::EFLG_TXBO != 0
    }
    /// Transmit error-passive (TEC ≥ 128).
    pub const fn tx_passive(self) -> bool {
        self.0 & reg::EFLG_TXEP != 0
    }
    /// Receive error-passive (REC ≥ 128).
    pub const fn rx_passive(self) -> bool {
        self.0 & reg::EFLG_RXEP != 0
    }
    /// TEC ≥ 96.
    pub const fn tx_warning(self) -> bool {
        self.0 & reg::EFLG_TXWAR != 0
    }
    /// REC ≥ 96.
    pub const fn rx_warning(self) -> bool {
        self.0 & reg::EFLG_RXWAR != 0
    }
    /// The error state these flags describe.
    pub const fn state(self) -> ErrorState {
        if self.bus_off() {
            ErrorState::BusOff
        } else if self.tx_passive() || self.rx_passive() {
            ErrorState::Passive
        } else if self.0 & reg::EFLG_EWARN != 0 {
            ErrorState::Warning
        } else {
            ErrorState::Active
        }
    }
}

/// The node's fault-confinement state. Exhaustive on purpose: the states of the CAN specification (with the
/// chip's warning level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ErrorState {
    /// Error-active, both counters below 96.
    Active,
    /// Error-active, a counter at 96 or above.
    Warning,
    /// Error-passive: a counter at 128 or above.
    Passive,
    /// Bus-off: no part in bus traffic. The chip recovers by itself after 128 × 11 recessive bits.
    BusOff,
}

/// The two error counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ErrorCounters {
    /// Transmit error counter (TEC).
    pub transmit: u8,
    /// Receive error counter (REC).
    pub receive: u8,
}

/// What [`service_errors`](crate::Mcp25625::service_errors) found (and cleared). More fields may come in a
/// minor version (`#[non_exhaustive]`: only the driver builds it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct ErrorReport {
    /// CANINTF as read.
    pub interrupts: Interrupts,
    /// EFLG as read.
    pub flags: ErrorFlags,
}

/// The READ STATUS byte: receive flags, transmit requests and transmit flags in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Status(pub u8);

impl Status {
    /// RXB`n` holds an unread frame (RXnIF).
    pub const fn rx_pending(self, buffer: RxBuffer) -> bool {
        self.0 & 1u8.wrapping_shl(buffer as u32) != 0
    }
    /// TXB`n` is waiting to be sent (TXREQ).
    pub const fn tx_requested(self, buffer: TxBuffer) -> bool {
        self.0 & reg::STATUS_TX0REQ.wrapping_shl((buffer as u32).wrapping_mul(2)) != 0
    }
    /// TXB`n` was sent (TXnIF).
    pub const fn tx_done(self, buffer: TxBuffer) -> bool {
        self.0 & reg::STATUS_TX0IF.wrapping_shl((buffer as u32).wrapping_mul(2)) != 0
    }
}

/// The kind of frame RX STATUS reports. Exhaustive on purpose: a 2-bit field's four values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FrameKind {
    /// Standard data frame.
    StandardData,
    /// Standard remote frame.
    StandardRemote,
    /// Extended data frame.
    ExtendedData,
    /// Extended remote frame.
    ExtendedRemote,
}

/// The RX STATUS byte, decoded (bits 4:0 describe RXB0 when both buffers are full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RxStatus {
    /// RXB0 holds a frame.
    pub rxb0: bool,
    /// RXB1 holds a frame.
    pub rxb1: bool,
    /// The kind of the (first) frame.
    pub kind: FrameKind,
    /// The filter it matched (0..=5); a frame rolled over from RXB0 reports the RXB0 filter.
    pub filter: u8,
    /// It rolled over from RXB0 into RXB1.
    pub rolled_over: bool,
}

impl RxStatus {
    /// Decodes the RX STATUS byte.
    pub const fn decode(byte: u8) -> Self {
        let kind = match (byte >> 3) & 3 {
            0 => FrameKind::StandardData,
            1 => FrameKind::StandardRemote,
            2 => FrameKind::ExtendedData,
            _ => FrameKind::ExtendedRemote,
        };
        let hit = byte & 7;
        Self {
            rxb0: byte & 0x40 != 0,
            rxb1: byte & 0x80 != 0,
            kind,
            filter: if hit >= 6 { hit.wrapping_sub(6) } else { hit },
            rolled_over: hit >= 6,
        }
    }
}

/// The highest-priority pending interrupt (CANSTAT.ICOD). Exhaustive on purpose: a 3-bit field's eight values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InterruptCode {
    /// None.
    None,
    /// Error.
    Error,
    /// Wake-up.
    WakeUp,
    /// TXB0.
    Tx0,
    /// TXB1.
    Tx1,
    /// TXB2.
    Tx2,
    /// RXB0.
    Rx0,
    /// RXB1.
    Rx1,
}

impl InterruptCode {
    /// From CANSTAT.
    pub const fn decode(canstat: u8) -> Self {
        match (canstat & reg::CANSTAT_ICOD_MASK) >> 1 {
            0 => Self::None,
            1 => Self::Error,
            2 => Self::WakeUp,
            3 => Self::Tx0,
            4 => Self::Tx1,
            5 => Self::Tx2,
            6 => Self::Rx0,
            _ => Self::Rx1,
        }
    }
}

// ---- buffers, filters, pins -------------------------------------------------------------------------------

/// A transmit buffer. Exhaustive on purpose: the chip has three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
pub enum TxBuffer {
    B0 = 0,
    B1 = 1,
    B2 = 2,
}

impl TxBuffer {
    /// All three, TXB0 first.
    pub const ALL: [Self; 3] = [Self::B0, Self::B1, Self::B2];
    /// 0..=2.
    pub const fn index(self) -> u8 {
        self as u8
    }
}

/// A receive buffer. Exhaustive on purpose: the chip has two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
pub enum RxBuffer {
    B0 = 0,
    B1 = 1,
}

/// Transmit priority (TXBnCTRL.TXP; exhaustive on purpose: a 2-bit field's four values). Between buffers of equal priority the chip sends the higher-numbered first;
/// the driver fills buffers so that frames of equal priority still leave in the order they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TxPriority {
    /// TXP = 00 (the reset value, and what plain `transmit` uses).
    #[default]
    Lowest = 0,
    /// TXP = 01.
    Low = 1,
    /// TXP = 10.
    High = 2,
    /// TXP = 11.
    Highest = 3,
}

/// The state of one transmit buffer (TXBnCTRL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TxState(pub u8);

impl TxState {
    /// Waiting to be sent.
    pub const fn pending(self) -> bool {
        self.0 & reg::TXB_TXREQ != 0
    }
    /// Aborted.
    pub const fn aborted(self) -> bool {
        self.0 & reg::TXB_ABTF != 0
    }
    /// Lost arbitration.
    pub const fn lost_arbitration(self) -> bool {
        self.0 & reg::TXB_MLOA != 0
    }
    /// A bus error while sending.
    pub const fn error(self) -> bool {
        self.0 & reg::TXB_TXERR != 0
    }
}

/// An acceptance filter, RXF0..RXF5. RXF0/1 (with mask 0) feed RXB0, RXF2..5 (with mask 1) feed RXB1.
/// Exhaustive on purpose: the chip has six.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
pub enum FilterNumber {
    F0 = 0,
    F1,
    F2,
    F3,
    F4,
    F5,
}

/// An acceptance mask, RXM0 (RXB0) or RXM1 (RXB1). Exhaustive on purpose: the chip has two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
pub enum MaskNumber {
    M0 = 0,
    M1,
}

/// What a filter matches: a standard or an extended identifier (the filter's EXIDE bit; exhaustive on purpose:
/// CAN has these two formats).
///
/// For a standard filter, `data` holds the filter bits for the first two data bytes (EID15..0), which the chip
/// compares with standard data frames when the mask asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Filter {
    /// Matches standard frames.
    Standard {
        /// The 11-bit identifier (bits above 10 ignored).
        id: u16,
        /// Data bytes 0 and 1 (only compared where the mask's extended bits are set).
        data: [u8; 2],
    },
    /// Matches extended frames with this 29-bit identifier (bits above 28 ignored).
    Extended(u32),
}

impl Filter {
    /// A standard-identifier filter.
    pub const fn standard(id: u16) -> Self {
        Self::Standard { id, data: [0, 0] }
    }
    /// The four filter registers.
    pub const fn encode(self) -> [u8; 4] {
        match self {
            Self::Standard { id, data } => {
                let [sidh, sidl, _, _] = reg::encode_standard_id(id);
                [sidh, sidl, data[0], data[1]]
            }
            Self::Extended(id) => reg::encode_extended_id(id),
        }
    }
}

/// A mask: 1 = the bit must match the filter, 0 = don't care. One mask covers standard and extended frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mask(pub u32);

impl Mask {
    /// Every frame passes.
    pub const ACCEPT_ALL: Self = Self(0);
    /// All 11 standard identifier bits must match (data bytes not compared).
    pub const fn standard(mask: u16) -> Self {
        Self(((mask as u32) & 0x7FF) << 18)
    }
    /// All 29 extended identifier bits as given.
    pub const fn extended(mask: u32) -> Self {
        Self(mask & 0x1FFF_FFFF)
    }
    /// The four mask registers (the same layout as an extended filter, without EXIDE).
    pub const fn encode(self) -> [u8; 4] {
        let [sidh, sidl, eid8, eid0] = reg::encode_extended_id(self.0);
        [sidh, sidl & !reg::SIDL_EXIDE, eid8, eid0]
    }
}

/// The level of the MCP25625's STBY pin that puts its transceiver in standby. Exhaustive on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StandbyLevel {
    /// High = standby, low = normal (the MCP25625 pin as documented).
    #[default]
    High,
    /// Low = standby (a board that inverts the pin).
    Low,
}

/// The function of an RXnBF pin (BFPCTRL). Exhaustive on purpose: every setting of the pin's two bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RxPinMode {
    /// High impedance (the reset state).
    #[default]
    Disabled,
    /// Goes low while its receive buffer holds a frame.
    BufferFull,
    /// A digital output at this level.
    Output(bool),
}

/// The function of the TXnRTS pins (TXRTSCTRL, configuration mode only). Exhaustive on purpose: the pin's one
/// bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TxPinMode {
    /// Digital input, read with [`tx_pin_levels`](crate::Mcp25625::tx_pin_levels) (the reset state).
    #[default]
    Input,
    /// A falling edge requests transmission of the pin's buffer.
    RequestToSend,
}

// ---- frames -----------------------------------------------------------------------------------------------

/// A CAN 2.0B frame: standard or extended identifier, data or remote, 0..=8 bytes.
///
/// 16 bytes aligned to 4 (the identifier packed in one `u32`), so that a firmware moves it, and a `Result`
/// holding it, with word loads and stores rather than a call to `memcpy`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct Frame {
    // first, so that a `Result<Frame, Error>` keeps its tag (the niche of `remote`) and the error in the first
    // word, and the rest of the frame is copied as aligned words
    remote: bool,
    dlc: u8,
    /// The raw identifier, with [`EXTENDED`] set for a 29-bit one.
    id: u32,
    data: [u8; 8],
}

/// The flag of [`Frame`]'s packed identifier that makes it extended.
const EXTENDED: u32 = 1 << 31;

/// An identifier packed in one `u32`: the raw value, with [`EXTENDED`] for a 29-bit one.
fn pack_id(id: Id) -> u32 {
    match id {
        Id::Standard(id) => u32::from(id.as_raw()),
        Id::Extended(id) => id.as_raw() | EXTENDED,
    }
}

impl core::fmt::Debug for Frame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Frame")
            .field("id", &self.id())
            .field("remote", &self.remote)
            .field("dlc", &self.dlc)
            .field("data", &self.data)
            .finish()
    }
}

impl Frame {
    /// The 13 buffer registers from SIDH on (SIDH, SIDL, EID8, EID0, DLC, D0..D7), and how many of them carry
    /// the frame (5 + data length). RTR goes to DLC bit 6 for both formats, as the TX buffers want.
    pub fn encode(&self) -> ([u8; 13], usize) {
        let id = match self.id() {
            Id::Standard(id) => reg::encode_standard_id(id.as_raw()),
            Id::Extended(id) => reg::encode_extended_id(id.as_raw()),
        };
        let [sidh, sidl, eid8, eid0] = id;
        let dlc = (self.dlc & reg::DLC_MASK) | if self.remote { reg::DLC_RTR } else { 0 };
        let mut bytes = [sidh, sidl, eid8, eid0, dlc, 0, 0, 0, 0, 0, 0, 0, 0];
        let length = if self.remote { 0 } else { usize::from(self.dlc.min(8)) };
        for (slot, byte) in bytes.iter_mut().skip(5).zip(self.data.iter().take(length)) {
            *slot = *byte;
        }
        (bytes, 5usize.saturating_add(length))
    }

    /// A frame from the 13 registers of an RX buffer. The remote flag is SIDL.SRR for standard frames and
    /// DLC.RTR for extended ones; a DLC above 8 means 8 bytes.
    pub fn decode(bytes: &[u8; 13]) -> Self {
        let [sidh, sidl, eid8, eid0, dlc, data @ ..] = *bytes;
        let extended = sidl & reg::SIDL_EXIDE != 0;
        let (id, remote) = if extended {
            let raw = reg::decode_extended_id([sidh, sidl, eid8, eid0]);
            (
                pack_id(Id::Extended(ExtendedId::new(raw).unwrap_or(ExtendedId::ZERO))),
                dlc & reg::DLC_RTR != 0,
            )
        } else {
            let raw = reg::decode_standard_id(sidh, sidl);
            (
                pack_id(Id::Standard(StandardId::new(raw).unwrap_or(StandardId::ZERO))),
                sidl & reg::SIDL_SRR != 0,
            )
        };
        let dlc = (dlc & reg::DLC_MASK).min(8);
        let mut frame = Self {
            id,
            remote,
            dlc,
            data: [0; 8],
        };
        if !remote {
            frame.data = data;
            for byte in frame.data.iter_mut().skip(usize::from(dlc)) {
                *byte = 0;
            }
        }
        frame
    }

    /// The identifier.
    pub fn id(&self) -> Id {
        if self.id & EXTENDED != 0 {
            Id::Extended(ExtendedId::new(self.id & !EXTENDED).unwrap_or(ExtendedId::ZERO))
        } else {
            let raw = u16::try_from(self.id).unwrap_or(0);
            Id::Standard(StandardId::new(raw).unwrap_or(StandardId::ZERO))
        }
    }
}

impl embedded_can::Frame for Frame {
    fn new(id: impl Into<Id>, data: &[u8]) -> Option<Self> {
        if data.len() > 8 {
            return None;
        }
        let mut bytes = [0u8; 8];
        for (slot, byte) in bytes.iter_mut().zip(data) {
            *slot = *byte;
        }
        Some(Self {
            id: pack_id(id.into()),
            remote: false,
            dlc: u8::try_from(data.len()).ok()?,
            data: bytes,
        })
    }

    fn new_remote(id: impl Into<Id>, dlc: usize) -> Option<Self> {
        if dlc > 8 {
            return None;
        }
        Some(Self {
            id: pack_id(id.into()),
            remote: true,
            dlc: u8::try_from(dlc).ok()?,
            data: [0; 8],
        })
    }

    fn is_extended(&self) -> bool {
        self.id & EXTENDED != 0
    }

    fn is_remote_frame(&self) -> bool {
        self.remote
    }

    fn id(&self) -> Id {
        Frame::id(self)
    }

    fn dlc(&self) -> usize {
        usize::from(self.dlc)
    }

    fn data(&self) -> &[u8] {
        if self.remote {
            &[]
        } else {
            self.data.get(..usize::from(self.dlc)).unwrap_or(&[])
        }
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Frame {
    fn format(&self, f: defmt::Formatter) {
        use embedded_can::Frame as _;
        match self.id() {
            Id::Standard(id) => defmt::write!(f, "std {=u16:#05x}", id.as_raw()),
            Id::Extended(id) => defmt::write!(f, "ext {=u32:#010x}", id.as_raw()),
        }
        if self.remote {
            defmt::write!(f, " remote dlc {=u8}", self.dlc)
        } else {
            defmt::write!(f, " {=[u8]:02x}", self.data())
        }
    }
}

// ---- receiving --------------------------------------------------------------------------------------------

/// How [`try_receive`](crate::Mcp25625::try_receive) takes a frame out of a receive buffer. Another method may
/// come in a minor version (`#[non_exhaustive]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ReceiveMethod {
    /// READ of the 13 buffer registers (15 bytes), then BIT MODIFY clearing RXnIF (4 bytes): the buffer is freed
    /// only once the driver holds the frame, so a failed or cancelled receive never loses it.
    #[default]
    ReadThenClear,
    /// READ RX BUFFER (14 bytes), which frees the buffer as CS rises: one frame and 5 bytes fewer, but a bus error
    /// during it (or an async receive dropped while it runs) loses the frame: the chip freed the buffer, the
    /// driver never got the bytes. After such a loss, with rollover, the driver can no longer tell which of the
    /// two buffers holds the older frame, and may return two frames in the wrong order once.
    ReadRxBuffer,
}

// ---- errors -----------------------------------------------------------------------------------------------

/// An argument the driver refused before touching the bus. More reasons may come in a minor version
/// (`#[non_exhaustive]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ArgumentError {
    /// A bit timing that breaks a rule.
    BitTiming(BitTimingError),
    /// The operation needs configuration mode (bit timing, filters, masks, TXnRTS pins); the driver is in
    /// another one.
    NotInConfigurationMode,
    /// A mode change to sleep while the driver holds the chip in sleep already, or another request that makes
    /// no sense in the current mode.
    WrongMode,
}

impl From<BitTimingError> for ArgumentError {
    fn from(e: BitTimingError) -> Self {
        Self::BitTiming(e)
    }
}

/// Everything that can go wrong, with the SPI error `E`. More variants may come in a minor version
/// (`#[non_exhaustive]`): a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E> {
    /// The SPI bus reported an error.
    Bus(E),
    /// The standby pin could not be set.
    Pin(embedded_hal::digital::ErrorKind),
    /// An argument was refused; nothing was sent.
    Argument(ArgumentError),
    /// The chip did not reach the requested mode in time (CANSTAT.OPMOD read back).
    ModeTimeout {
        /// The mode asked for.
        requested: Mode,
        /// The mode CANSTAT reported last (`None`: an invalid code).
        current: Option<Mode>,
    },
    /// A wait ended at its deadline: [`send`](crate::Mcp25625::send) found no free TX buffer (a frame nobody
    /// acknowledges keeps its buffer), or [`receive`](crate::Mcp25625::receive) no frame. Nothing was sent or
    /// taken.
    Timeout,
    /// The RTS instruction that starts a transmission failed on the bus: the chip may or may not have taken it,
    /// so the frame in `buffer` may go out. Check with [`tx_state`](crate::Mcp25625::tx_state) or
    /// [`abort`](crate::Mcp25625::abort) it before sending it again, or it may be sent twice.
    MaybeSent {
        /// The buffer holding the frame.
        buffer: TxBuffer,
        /// The bus error.
        bus: E,
    },
    /// After reset, CANSTAT/CANCTRL did not read as an MCP2515-family chip (0x80 / 0x87): no chip, no clock,
    /// or another device on this chip select. Also when CANSTAT reports an invalid mode code.
    NotDetected {
        /// CANSTAT as read.
        canstat: u8,
        /// CANCTRL as read.
        canctrl: u8,
    },
}

impl<E> From<ArgumentError> for Error<E> {
    fn from(e: ArgumentError) -> Self {
        Self::Argument(e)
    }
}

impl<E> From<BitTimingError> for Error<E> {
    fn from(e: BitTimingError) -> Self {
        Self::Argument(ArgumentError::BitTiming(e))
    }
}

impl core::fmt::Display for BitTimingError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::BitrateNotAchievable => "bit rate not achievable with 8..=25 TQ per bit at this oscillator",
            Self::SjwOutOfRange => "SJW outside 1..=4",
            Self::SamplePointOutOfRange => "sample point outside 500..=950 per mille",
            Self::BrpOutOfRange => "BRP above 63",
            Self::SegmentOutOfRange => "PropSeg/PS1 outside 1..=8 or PS2 outside 2..=8",
            Self::Ps2NotAboveSjw => "PS2 not longer than SJW",
            Self::Ps1BelowSjw => "PS1 shorter than SJW",
            Self::Ps2AboveTseg1 => "PropSeg + PS1 shorter than PS2",
            Self::QuantaOutOfRange => "bit not 8..=25 TQ long",
            Self::BtlModeClear => "CNF2.BTLMODE clear",
        })
    }
}

impl core::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::BitTiming(e) => write!(f, "invalid bit timing: {e}"),
            Self::NotInConfigurationMode => f.write_str("needs configuration mode"),
            Self::WrongMode => f.write_str("not possible in the current mode"),
        }
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "MCP25625 bus error: {e:?}"),
            Self::Pin(e) => write!(f, "MCP25625 standby pin error: {e:?}"),
            Self::Argument(e) => write!(f, "MCP25625 argument error: {e}"),
            Self::ModeTimeout { requested, current } => {
                write!(f, "MCP25625 did not enter {requested:?} (still {current:?})")
            }
            Self::Timeout => f.write_str("MCP25625 wait reached its deadline"),
            Self::MaybeSent { buffer, bus } => {
                write!(
                    f,
                    "MCP25625 bus error on RTS of {buffer:?}: the frame may be sent ({bus:?})"
                )
            }
            Self::NotDetected { canstat, canctrl } => {
                write!(
                    f,
                    "no MCP25625 after reset (CANSTAT {canstat:#04x}, CANCTRL {canctrl:#04x})"
                )
            }
        }
    }
}

impl core::error::Error for BitTimingError {}
impl core::error::Error for ArgumentError {}
impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

impl<E: core::fmt::Debug> embedded_can::Error for Error<E> {
    fn kind(&self) -> embedded_can::ErrorKind {
        embedded_can::ErrorKind::Other
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]
mod tests {
    extern crate std;
    use super::*;
    use embedded_can::Frame as _;
    use fugit::RateExtU32;
    use std::format;

    /// Table A of the sheet: sample point near 87.5 %, SJW 1. The sheet's split of PropSeg + PS1 is one of
    /// several equal ones: CNF1 and CNF3 must match exactly, and CNF2 in its flags and in PropSeg + PS1.
    const TABLE_A: [(u32, u32, Option<[u8; 3]>); 12] = [
        (8, 125, Some([0x01, 0xBC, 0x01])),
        (8, 250, Some([0x00, 0xBC, 0x01])),
        (8, 500, Some([0x00, 0x91, 0x01])),
        (8, 1000, None),
        (16, 125, Some([0x03, 0xBC, 0x01])),
        (16, 250, Some([0x01, 0xBC, 0x01])),
        (16, 500, Some([0x00, 0xBC, 0x01])),
        (16, 1000, Some([0x00, 0x91, 0x01])),
        (20, 125, Some([0x04, 0xBC, 0x01])),
        (20, 250, Some([0x01, 0xBF, 0x02])),
        (20, 500, Some([0x00, 0xBF, 0x02])),
        (20, 1000, Some([0x00, 0x9A, 0x01])),
    ];

    /// Table B of the sheet: sample point 75 %.
    const TABLE_B: [(u32, u32, [u8; 3]); 11] = [
        (8, 125, [0x01, 0xAC, 0x03]),
        (8, 250, [0x00, 0xAC, 0x03]),
        (8, 500, [0x00, 0x91, 0x01]),
        (16, 125, [0x03, 0xAC, 0x03]),
        (16, 250, [0x01, 0xAC, 0x03]),
        (16, 500, [0x00, 0xAC, 0x03]),
        (16, 1000, [0x00, 0x91, 0x01]),
        (20, 125, [0x04, 0xAC, 0x03]),
        (20, 250, [0x01, 0xB6, 0x04]),
        (20, 500, [0x00, 0xB6, 0x04]),
        (20, 1000, [0x00, 0x99, 0x02]),
    ];

    fn tseg1(cnf2: u8) -> u8 {
        (cnf2 & 7) + ((cnf2 >> 3) & 7) + 2
    }

    fn assert_equivalent(ours: [u8; 3], sheet: [u8; 3], row: &str) {
        assert_eq!(ours[0], sheet[0], "CNF1 {row}");
        assert_eq!(ours[2], sheet[2], "CNF3 {row}");
        assert_eq!(ours[1] & 0xC0, sheet[1] & 0xC0, "CNF2 flags {row}");
        assert_eq!(tseg1(ours[1]), tseg1(sheet[1]), "PropSeg + PS1 {row}");
        assert!(BitTiming::from_cnf(sheet).is_ok(), "sheet row {row} valid");
    }

    #[test]
    fn computed_timing_matches_table_a() {
        for (mhz, kbit, expected) in TABLE_A {
            let row = format!("{mhz} MHz {kbit} kbit/s");
            let timing = BitTiming::new(mhz.MHz(), kbit.kHz());
            match expected {
                Some(sheet) => {
                    let timing = timing.unwrap_or_else(|e| panic!("{row}: {e}"));
                    assert_equivalent(timing.cnf(), sheet, &row);
                    assert_eq!(timing.bitrate(mhz.MHz()).raw(), kbit * 1000, "{row}");
                }
                None => assert_eq!(timing, Err(BitTimingError::BitrateNotAchievable), "{row}"),
            }
        }
    }

    #[test]
    fn computed_timing_matches_table_b() {
        for (mhz, kbit, sheet) in TABLE_B {
            let row = format!("{mhz} MHz {kbit} kbit/s");
            let timing = BitTiming::with_sample_point(mhz.MHz(), kbit.kHz(), 750, 1).unwrap();
            assert_equivalent(timing.cnf(), sheet, &row);
        }
    }

    #[test]
    fn our_exact_bytes() {
        // pinned so that a change of the split is seen
        let cnf = |mhz: u32, kbit: u32| BitTiming::new(mhz.MHz(), kbit.kHz()).unwrap().cnf();
        assert_eq!(cnf(16, 500), [0x00, 0xB5, 0x01]); // 16 TQ, 6/7/2
        assert_eq!(cnf(8, 500), [0x00, 0x91, 0x01]); // 8 TQ, 2/3/2
        assert_eq!(cnf(20, 250), [0x01, 0xBF, 0x02]); // 20 TQ, 8/8/3
        assert_eq!(cnf(20, 1000), [0x00, 0x9A, 0x01]); // 10 TQ, 3/4/2
    }

    #[test]
    fn datasheet_example_and_community_table() {
        // DS21801F p.41: 20 MHz, 125 kbit/s, BRP 4, 16 TQ, Prop 2, PS1 7, PS2 6
        let timing = BitTiming::from_cnf([0x04, 0xB1, 0x05]).unwrap();
        assert_eq!(timing.quanta_per_bit(), 16);
        assert_eq!(timing.sample_point_permille(), 625);
        assert_eq!(timing.bitrate(20.MHz()).raw(), 125_000);
        // Table C: every row valid except 8 MHz / 1000 k (and the same row of the Particle library)
        for cnf in [
            [0x00, 0x90, 0x82],
            [0x00, 0xB1, 0x85],
            [0x01, 0xB1, 0x85],
            [0x00, 0xD0, 0x82],
            [0x00, 0xF0, 0x86],
            [0x41, 0xF1, 0x85],
            [0x03, 0xF0, 0x86],
            [0x00, 0xD9, 0x82],
            [0x00, 0xFA, 0x87],
            [0x41, 0xFB, 0x86],
            [0x03, 0xFA, 0x87],
        ] {
            assert!(BitTiming::from_cnf(cnf).is_ok(), "{cnf:02x?}");
        }
        assert!(BitTiming::from_cnf([0x00, 0x80, 0x80]).is_err());
        assert!(BitTiming::from_cnf([0x00, 0xC0, 0x80]).is_err());
        assert_eq!(
            BitTiming::from_cnf([0x00, 0x10, 0x02]),
            Err(BitTimingError::BtlModeClear)
        );
    }

    #[test]
    fn every_rule_is_checked() {
        use BitTimingError as E;
        assert_eq!(BitTiming::from_segments(64, 1, 5, 8, 2, false), Err(E::BrpOutOfRange));
        assert_eq!(BitTiming::from_segments(0, 0, 5, 8, 2, false), Err(E::SjwOutOfRange));
        assert_eq!(BitTiming::from_segments(0, 5, 5, 8, 2, false), Err(E::SjwOutOfRange));
        assert_eq!(
            BitTiming::from_segments(0, 1, 0, 8, 2, false),
            Err(E::SegmentOutOfRange)
        );
        assert_eq!(
            BitTiming::from_segments(0, 1, 5, 9, 2, false),
            Err(E::SegmentOutOfRange)
        );
        assert_eq!(
            BitTiming::from_segments(0, 1, 5, 8, 1, false),
            Err(E::SegmentOutOfRange)
        );
        assert_eq!(BitTiming::from_segments(0, 2, 5, 8, 2, false), Err(E::Ps2NotAboveSjw));
        assert_eq!(BitTiming::from_segments(0, 3, 5, 2, 4, false), Err(E::Ps1BelowSjw));
        assert_eq!(BitTiming::from_segments(0, 1, 1, 2, 4, false), Err(E::Ps2AboveTseg1));
        assert_eq!(BitTiming::from_segments(0, 1, 1, 2, 2, false), Err(E::QuantaOutOfRange));
        assert_eq!(
            BitTiming::from_segments(0, 1, 8, 8, 8, false).map(|t| t.quanta_per_bit()),
            Ok(25)
        );
        assert_eq!(BitTiming::new(8.MHz(), 0.Hz()), Err(E::BitrateNotAchievable));
        assert_eq!(BitTiming::new(0.Hz(), 500.kHz()), Err(E::BitrateNotAchievable));
        assert_eq!(BitTiming::new(16.MHz(), 333.kHz()), Err(E::BitrateNotAchievable));
        assert_eq!(
            BitTiming::with_sample_point(16.MHz(), 500.kHz(), 400, 1),
            Err(E::SamplePointOutOfRange)
        );
        assert_eq!(
            BitTiming::with_sample_point(16.MHz(), 500.kHz(), 800, 5),
            Err(E::SjwOutOfRange)
        );
        let t = BitTiming::with_sample_point(16.MHz(), 500.kHz(), 800, 3).unwrap();
        assert!(t.phase_seg2() > 3 && t.phase_seg1() >= 3);
        assert_eq!(t.with_triple_sampling(true).cnf()[1] & 0x40, 0x40);
    }

    #[test]
    fn frame_identifiers_packed_and_unpacked() {
        for id in [
            Id::Standard(StandardId::ZERO),
            Id::Standard(StandardId::MAX),
            Id::Standard(StandardId::new(0x123).unwrap()),
            Id::Extended(ExtendedId::ZERO),
            Id::Extended(ExtendedId::MAX),
            Id::Extended(ExtendedId::new(0x7FF).unwrap()),
            Id::Extended(ExtendedId::new(0x1234_5678).unwrap()),
        ] {
            let frame = Frame::new(id, &[1, 2]).unwrap();
            assert_eq!(frame.id(), id);
            assert_eq!(embedded_can::Frame::id(&frame), id);
            assert_eq!(frame.is_extended(), matches!(id, Id::Extended(_)));
            assert_eq!(Frame::decode(&frame.encode().0), frame);
            let remote = Frame::new_remote(id, 3).unwrap();
            assert_eq!(remote.id(), id);
            assert_ne!(remote, frame);
        }
        // a standard and an extended frame with the same number are different frames
        let standard = Frame::new(StandardId::new(0x7FF).unwrap(), &[]).unwrap();
        let extended = Frame::new(ExtendedId::new(0x7FF).unwrap(), &[]).unwrap();
        assert_ne!(standard, extended);
        assert_eq!(
            format!("{standard:?}"),
            "Frame { id: Standard(StandardId(2047)), remote: false, dlc: 0, data: [0, 0, 0, 0, 0, 0, 0, 0] }"
        );
        // 16 bytes, and a Result holding one no bigger: both copied as words (no memcpy in a firmware)
        assert_eq!(core::mem::size_of::<Frame>(), 16);
        assert_eq!(
            core::mem::size_of::<Result<Frame, Error<embedded_hal::spi::ErrorKind>>>(),
            16
        );
    }

    #[test]
    fn frames_encode_and_decode() {
        let id = StandardId::new(0x123).unwrap();
        let frame = Frame::new(id, &[0xAA, 0x55]).unwrap();
        let (bytes, n) = frame.encode();
        assert_eq!(bytes.get(..n).unwrap(), [0x24, 0x60, 0, 0, 0x02, 0xAA, 0x55]);
        let ext = Frame::new_remote(ExtendedId::new(0x1234_5678).unwrap(), 3).unwrap();
        let (bytes, n) = ext.encode();
        assert_eq!(bytes.get(..n).unwrap(), [0x91, 0xA8, 0x56, 0x78, 0x43]);
        // standard remote: SRR in SIDL, not DLC bit 6
        let rx = Frame::decode(&[0x24, 0x70, 0, 0, 0x01, 9, 9, 9, 9, 9, 9, 9, 9]);
        assert!(rx.is_remote_frame() && rx.is_standard() && rx.dlc() == 1 && rx.data().is_empty());
        // a standard data frame with DLC bit 6 set stays a data frame
        let rx = Frame::decode(&[0x24, 0x60, 0, 0, 0x42, 1, 2, 9, 9, 9, 9, 9, 9]);
        assert!(!rx.is_remote_frame());
        assert_eq!(rx.data(), [1, 2]);
        let rx = Frame::decode(&[0x91, 0xA8, 0x56, 0x78, 0x4F, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(rx.is_remote_frame() && rx.is_extended() && rx.dlc() == 8);
        assert!(Frame::new(id, &[0; 9]).is_none());
        assert!(Frame::new_remote(id, 9).is_none());
    }

    #[test]
    fn status_bytes_decode() {
        let status = RxStatus::decode(0b1101_0111);
        assert!(status.rxb0 && status.rxb1 && status.rolled_over);
        assert_eq!((status.kind, status.filter), (FrameKind::ExtendedData, 1));
        let status = RxStatus::decode(0b0100_1011);
        assert_eq!(
            (status.kind, status.filter, status.rxb1),
            (FrameKind::StandardRemote, 3, false)
        );
        let s = Status(0b0101_0010);
        assert!(s.rx_pending(RxBuffer::B1) && !s.rx_pending(RxBuffer::B0));
        assert!(s.tx_requested(TxBuffer::B1) && s.tx_requested(TxBuffer::B2) && !s.tx_requested(TxBuffer::B0));
        assert!(!s.tx_done(TxBuffer::B2));
        assert_eq!(InterruptCode::decode(0x8C), InterruptCode::Rx0);
        assert_eq!(ErrorFlags(0x35).state(), ErrorState::BusOff);
        assert_eq!(ErrorFlags(0x08).state(), ErrorState::Passive);
        assert_eq!(ErrorFlags(0x05).state(), ErrorState::Warning);
        assert_eq!(Mask::standard(0x7FF).encode(), [0xFF, 0xE0, 0, 0]);
        assert_eq!(Filter::Extended(0x1234_5678).encode(), [0x91, 0xA8, 0x56, 0x78]);
    }
}
