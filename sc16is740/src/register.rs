//! The datasheet in code: register numbers, bits and the sub-address byte, plus pure encode/decode helpers.
//!
//! Register numbers are the 4-bit `A3..A0` of the sub-address byte; which register a number reaches depends on
//! LCR (general set, special set behind LCR\[7\] = 1, enhanced set behind LCR = 0xBF) and, for TCR/TLR, on
//! MCR\[2\] and EFR\[4\].
//!
//! Public API, for a raw access the driver does not offer: its constants and helpers are covered by semver like
//! the rest of the crate (a changed value or a removed name is a major version). What you write through the bus
//! yourself (`bus_mut`) bypasses the driver's cache: call `invalidate_cache` afterwards.

// ---- general set (LCR[7] = 0) ------------------------------------------------------------------------------
/// Receive holding register (read) / transmit holding register (write): the FIFOs.
pub const RHR_THR: u8 = 0x0;
/// Interrupt enable.
pub const IER: u8 = 0x1;
/// Interrupt identification (read) / FIFO control (write, write-only).
pub const IIR_FCR: u8 = 0x2;
/// Line control; reachable in every register set.
pub const LCR: u8 = 0x3;
/// Modem control.
pub const MCR: u8 = 0x4;
/// Line status (read-only).
pub const LSR: u8 = 0x5;
/// Modem status (read-only), or TCR when MCR\[2\] = 1 and EFR\[4\] = 1.
pub const MSR_TCR: u8 = 0x6;
/// Scratch pad, or TLR when MCR\[2\] = 1 and EFR\[4\] = 1.
pub const SPR_TLR: u8 = 0x7;
/// Free spaces in the TX FIFO (0..=64).
pub const TXLVL: u8 = 0x8;
/// Characters waiting in the RX FIFO (0..=64).
pub const RXLVL: u8 = 0x9;
/// GPIO direction (1 = output); SC16IS750/760/752/762 only.
pub const IODIR: u8 = 0xA;
/// GPIO levels (read) / output latch (write); SC16IS750/760/752/762 only.
pub const IOSTATE: u8 = 0xB;
/// GPIO interrupt enable; SC16IS750/760/752/762 only.
pub const IOINTENA: u8 = 0xC;
/// I/O control: software reset, modem-pin functions of the GPIOs, input latch.
pub const IOCONTROL: u8 = 0xE;
/// Extra features control: RS-485, IrDA pulse width, TX/RX disable.
pub const EFCR: u8 = 0xF;

// ---- special set (LCR[7] = 1, LCR != 0xBF) -----------------------------------------------------------------
/// Divisor latch, low byte.
pub const DLL: u8 = 0x0;
/// Divisor latch, high byte.
pub const DLH: u8 = 0x1;

// ---- enhanced set (LCR = 0xBF) -----------------------------------------------------------------------------
/// Enhanced features.
pub const EFR: u8 = 0x2;
/// Xon character 1.
pub const XON1: u8 = 0x4;
/// Xon character 2.
pub const XON2: u8 = 0x5;
/// Xoff character 1.
pub const XOFF1: u8 = 0x6;
/// Xoff character 2 (also the special character and the RS-485 address).
pub const XOFF2: u8 = 0x7;

/// The LCR value that opens the enhanced register set.
pub const LCR_ENHANCED: u8 = 0xBF;
/// The LCR value that opens the divisor latch (DLAB alone, as Linux does). Never `format | DLAB`: the format
/// 0x3F (8 data bits, forced-0 parity, 2 stop bits) with DLAB is 0xBF, the enhanced-set key.
pub const LCR_DIVISOR: u8 = 0x80;

// ---- sub-address byte --------------------------------------------------------------------------------------
/// SPI read flag in the sub-address byte.
pub const SPI_READ: u8 = 0x80;

/// The sub-address byte: register in bits 6:3, channel in bits 2:1 (0 = A, 1 = B).
pub const fn subaddress(register: u8, channel: u8) -> u8 {
    ((register & 0x0F) << 3) | ((channel & 0x03) << 1)
}

// ---- bits --------------------------------------------------------------------------------------------------
/// IER bits.
pub mod ier {
    /// RX data available (and RX time-out).
    pub const RHR: u8 = 1 << 0;
    /// THR empty / TX trigger.
    pub const THR: u8 = 1 << 1;
    /// Receiver line status.
    pub const LINE_STATUS: u8 = 1 << 2;
    /// Modem status.
    pub const MODEM_STATUS: u8 = 1 << 3;
    /// Sleep mode (EFR\[4\]).
    pub const SLEEP: u8 = 1 << 4;
    /// Xoff / special character (EFR\[4\]).
    pub const XOFF: u8 = 1 << 5;
    /// RTS went inactive (EFR\[4\]).
    pub const RTS: u8 = 1 << 6;
    /// CTS went inactive (EFR\[4\]).
    pub const CTS: u8 = 1 << 7;
    /// The bits gated by EFR\[4\].
    pub const GATED: u8 = 0xF0;
    /// Bits a read-modify-write must never write back as read: none (every IER bit is a setting).
    pub const NEVER_WRITE_BACK: u8 = 0x00;
}

/// FCR bits.
pub mod fcr {
    /// FIFO enable.
    pub const FIFO_ENABLE: u8 = 1 << 0;
    /// Reset the RX FIFO (self-clearing).
    pub const RX_RESET: u8 = 1 << 1;
    /// Reset the TX FIFO (self-clearing).
    pub const TX_RESET: u8 = 1 << 2;
    /// TX trigger field shift (bits 5:4, EFR\[4\]).
    pub const TX_TRIGGER_SHIFT: u8 = 4;
    /// RX trigger field shift (bits 7:6).
    pub const RX_TRIGGER_SHIFT: u8 = 6;
    /// The bits gated by EFR\[4\].
    pub const GATED: u8 = 0x30;
    /// The self-clearing FIFO resets: a write of FCR from the cache must never carry them.
    pub const NEVER_WRITE_BACK: u8 = RX_RESET | TX_RESET;
}

/// LCR bits.
pub mod lcr {
    /// Divisor latch enable.
    pub const DLAB: u8 = 1 << 7;
    /// Break: TX forced low.
    pub const BREAK: u8 = 1 << 6;
    /// The frame format bits (word length, stop bits, parity).
    pub const FORMAT: u8 = 0x3F;
    /// DLAB opens another register set: an access key, never part of the format written back.
    pub const NEVER_WRITE_BACK: u8 = DLAB;
}

/// MCR bits.
pub mod mcr {
    /// DTR (active = 1 drives the pin low); GPIO parts with IOControl\[1\].
    pub const DTR: u8 = 1 << 0;
    /// RTS (active = 1 drives the pin low).
    pub const RTS: u8 = 1 << 1;
    /// TCR/TLR access (EFR\[4\]).
    pub const TCR_TLR: u8 = 1 << 2;
    /// Local loopback.
    pub const LOOPBACK: u8 = 1 << 4;
    /// Xon Any (EFR\[4\]).
    pub const XON_ANY: u8 = 1 << 5;
    /// IrDA mode (EFR\[4\]).
    pub const IRDA: u8 = 1 << 6;
    /// Clock prescaler ÷4 (EFR\[4\]).
    pub const PRESCALER_4: u8 = 1 << 7;
    /// The bits gated by EFR\[4\].
    pub const GATED: u8 = 0xE4;
    /// MCR\[2\] switches 0x6/0x7 to TCR/TLR for one access: a read-modify-write never writes it back as read.
    pub const NEVER_WRITE_BACK: u8 = TCR_TLR;
}

/// LSR bits.
pub mod lsr {
    /// At least one character in the RX FIFO.
    pub const DATA_READY: u8 = 1 << 0;
    /// Overrun: a character was lost.
    pub const OVERRUN: u8 = 1 << 1;
    /// Parity error (character at the top of the RX FIFO).
    pub const PARITY: u8 = 1 << 2;
    /// Framing error (character at the top of the RX FIFO).
    pub const FRAMING: u8 = 1 << 3;
    /// Break (character at the top of the RX FIFO).
    pub const BREAK: u8 = 1 << 4;
    /// TX FIFO empty.
    pub const THR_EMPTY: u8 = 1 << 5;
    /// TX FIFO and shift register empty.
    pub const TX_EMPTY: u8 = 1 << 6;
    /// Some character in the RX FIFO has an error.
    pub const FIFO_ERROR: u8 = 1 << 7;
    /// The flags of the top character.
    pub const CHAR_ERRORS: u8 = PARITY | FRAMING | BREAK;
}

/// MSR bits.
pub mod msr {
    /// ΔCTS.
    pub const DELTA_CTS: u8 = 1 << 0;
    /// ΔDSR.
    pub const DELTA_DSR: u8 = 1 << 1;
    /// RI trailing edge.
    pub const DELTA_RI: u8 = 1 << 2;
    /// ΔCD.
    pub const DELTA_CD: u8 = 1 << 3;
    /// CTS (complement of the pin).
    pub const CTS: u8 = 1 << 4;
    /// DSR.
    pub const DSR: u8 = 1 << 5;
    /// RI.
    pub const RI: u8 = 1 << 6;
    /// CD.
    pub const CD: u8 = 1 << 7;
}

/// EFR bits.
pub mod efr {
    /// Software flow control field (bits 3:0).
    pub const SOFTWARE_FLOW: u8 = 0x0F;
    /// Enhanced functions enable (gates IER\[7:4\], FCR\[5:4\], MCR\[7:5\], MCR\[2\]).
    pub const ENHANCED: u8 = 1 << 4;
    /// Special character detect (XOFF2).
    pub const SPECIAL_CHAR: u8 = 1 << 5;
    /// Auto-RTS.
    pub const AUTO_RTS: u8 = 1 << 6;
    /// Auto-CTS.
    pub const AUTO_CTS: u8 = 1 << 7;
    /// Bits a read-modify-write must never write back as read: none (every EFR bit is a setting).
    pub const NEVER_WRITE_BACK: u8 = 0x00;
}

/// IOControl bits.
pub mod iocontrol {
    /// Input changes latched in IOState until read.
    pub const IO_LATCH: u8 = 1 << 0;
    /// GPIO\[7:4\] are modem pins (RI, CD, DTR, DSR) of channel A.
    pub const MODEM_A: u8 = 1 << 1;
    /// GPIO\[3:0\] are modem pins of channel B (752/762).
    pub const MODEM_B: u8 = 1 << 2;
    /// Software reset (self-clearing).
    pub const SRESET: u8 = 1 << 3;
    /// The self-clearing software reset: a read-modify-write never writes it back.
    pub const NEVER_WRITE_BACK: u8 = SRESET;
}

/// EFCR bits.
pub mod efcr {
    /// 9-bit / multidrop (RS-485) mode.
    pub const MULTIDROP: u8 = 1 << 0;
    /// Receiver disable.
    pub const RX_DISABLE: u8 = 1 << 1;
    /// Transmitter disable.
    pub const TX_DISABLE: u8 = 1 << 2;
    /// RS-485 automatic direction on RTS.
    pub const AUTO_RS485: u8 = 1 << 4;
    /// RS-485 RTS inversion.
    pub const RTS_INVERT: u8 = 1 << 5;
    /// IrDA fast pulse (1/4 bit, SC16IS760).
    pub const IRDA_FAST: u8 = 1 << 7;
    /// Bits a read-modify-write must never write back as read: none (every EFCR bit is a setting).
    pub const NEVER_WRITE_BACK: u8 = 0x00;
}

/// IIR: bit 0 clear = an interrupt is pending; bits 5:1 the source.
pub mod iir {
    /// Bit 0: nothing pending.
    pub const NONE_PENDING: u8 = 1 << 0;
    /// The source field (bits 5:0).
    pub const SOURCE: u8 = 0x3F;
    /// Receiver line status.
    pub const LINE_STATUS: u8 = 0x06;
    /// RX time-out.
    pub const RX_TIMEOUT: u8 = 0x0C;
    /// RX trigger level reached.
    pub const RHR: u8 = 0x04;
    /// TX trigger / THR empty.
    pub const THR: u8 = 0x02;
    /// Modem status.
    pub const MODEM_STATUS: u8 = 0x00;
    /// Input pin change (GPIO parts).
    pub const GPIO: u8 = 0x30;
    /// Xoff / special character received.
    pub const XOFF: u8 = 0x10;
    /// CTS / RTS went inactive.
    pub const CTS_RTS: u8 = 0x20;
}

// ---- reset values (sheet §3.2; only IER, IIR and LCR are sourced, the driver never relies on the others) ---
/// LCR after reset: 6 data bits, even parity, 2 stop bits.
pub const LCR_RESET: u8 = 0x1D;

/// FIFO depth of either direction.
pub const FIFO_SIZE: u8 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subaddresses_match_the_sheet() {
        assert_eq!(subaddress(LCR, 0), 0x18);
        assert_eq!(subaddress(LSR, 0) | SPI_READ, 0xA8);
        assert_eq!(subaddress(RXLVL, 0) | SPI_READ, 0xC8);
        assert_eq!(subaddress(TXLVL, 0) | SPI_READ, 0xC0);
        assert_eq!(subaddress(RHR_THR, 0) | SPI_READ, 0x80);
        assert_eq!(subaddress(IOCONTROL, 0), 0x70);
        assert_eq!(subaddress(EFCR, 0), 0x78);
        assert_eq!(subaddress(LCR, 1), 0x1A);
    }
}
