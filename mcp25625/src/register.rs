//! The datasheet in code: SPI instructions, register addresses, reset values, bit masks, and the pure
//! encoding and decoding of identifiers and bit timing. No bus here.
//!
//! Addresses and bit positions follow the MCP2515 datasheet (DS20001801), which the MCP25625 shares.
//!
//! This module is public API, for raw accesses the driver does not offer (`Mcp25625::read_raw`,
//! `Mcp25625::modify_raw`): its names and values are covered by semantic versioning like the rest of the crate.
//! Writing a register the driver caches (CANCTRL, CANINTE, BFPCTRL, CNF3, RXB0CTRL, the TX buffers) behind its
//! back can leave its cache wrong.

// Every `as u8` below narrows a value masked or shifted into 0..=255 first.
#![allow(clippy::cast_possible_truncation)]

// ---- SPI instructions (one CS frame each) -----------------------------------------------------------------

/// RESET: every register to its reset value, configuration mode. Sent alone in its frame.
pub const RESET: u8 = 0xC0;
/// READ: address, then data clocked out with auto-increment.
pub const READ: u8 = 0x03;
/// WRITE: address, then data with auto-increment.
pub const WRITE: u8 = 0x02;
/// READ RX BUFFER, `| 0b000` RXB0SIDH, `| 0b010` RXB0D0, `| 0b100` RXB1SIDH, `| 0b110` RXB1D0. The buffer's
/// RXnIF clears when CS rises.
pub const READ_RX_BUFFER: u8 = 0x90;
/// LOAD TX BUFFER, `| 0` TXB0SIDH, `| 1` TXB0D0, `| 2` TXB1SIDH, `| 3` TXB1D0, `| 4` TXB2SIDH, `| 5` TXB2D0.
pub const LOAD_TX_BUFFER: u8 = 0x40;
/// RTS (request to send), `| 1 << n` for TXBn.
pub const RTS: u8 = 0x80;
/// READ STATUS: one byte of TX/RX flags, see [`STATUS_RX0IF`] and friends.
pub const READ_STATUS: u8 = 0xA0;
/// RX STATUS: one byte of which buffer holds what, see [`RX_STATUS_BUFFER_SHIFT`].
pub const RX_STATUS: u8 = 0xB0;
/// BIT MODIFY: address, mask, data (only on the bit-modifiable registers).
pub const BIT_MODIFY: u8 = 0x05;

// ---- register addresses -----------------------------------------------------------------------------------

/// RX0BF/RX1BF pin control.
pub const BFPCTRL: u8 = 0x0C;
/// TX0RTS..TX2RTS pin control (configuration mode only).
pub const TXRTSCTRL: u8 = 0x0D;
/// Current mode and interrupt code (read-only; mirrored at 0xXE).
pub const CANSTAT: u8 = 0x0E;
/// Mode request, abort, one-shot, CLKOUT (mirrored at 0xXF).
pub const CANCTRL: u8 = 0x0F;
/// Transmit error counter.
pub const TEC: u8 = 0x1C;
/// Receive error counter.
pub const REC: u8 = 0x1D;
/// RXM0SIDH, first of the four mask-0 registers.
pub const RXM0SIDH: u8 = 0x20;
/// RXM1SIDH.
pub const RXM1SIDH: u8 = 0x24;
/// CNF3 (PHSEG2, WAKFIL, SOF). CNF3, CNF2, CNF1, CANINTE follow each other, in that order.
pub const CNF3: u8 = 0x28;
/// CNF2 (PRSEG, PHSEG1, SAM, BTLMODE).
pub const CNF2: u8 = 0x29;
/// CNF1 (BRP, SJW).
pub const CNF1: u8 = 0x2A;
/// Interrupt enables.
pub const CANINTE: u8 = 0x2B;
/// Interrupt flags.
pub const CANINTF: u8 = 0x2C;
/// Error flags.
pub const EFLG: u8 = 0x2D;
/// TXB0CTRL; TXB1CTRL and TXB2CTRL follow at +0x10, +0x20.
pub const TXB0CTRL: u8 = 0x30;
/// RXB0CTRL.
pub const RXB0CTRL: u8 = 0x60;
/// RXB1CTRL.
pub const RXB1CTRL: u8 = 0x70;

/// The control register of TX buffer `n` (0..=2).
pub const fn txb_ctrl(n: u8) -> u8 {
    TXB0CTRL.wrapping_add((n & 3) << 4)
}

/// The first of the four registers of filter RXF`n` (0..=5): 4n below 3, 4n + 4 from 3 on.
pub const fn rxf_sidh(n: u8) -> u8 {
    let n = n % 6;
    if n < 3 {
        n.wrapping_mul(4)
    } else {
        n.wrapping_mul(4).wrapping_add(4)
    }
}

/// The first of the four registers of mask RXM`n` (0..=1).
pub const fn rxm_sidh(n: u8) -> u8 {
    RXM0SIDH.wrapping_add((n & 1) << 2)
}

// ---- reset values -----------------------------------------------------------------------------------------

/// CANSTAT after reset: configuration mode, no interrupt.
pub const CANSTAT_RESET: u8 = 0x80;
/// CANCTRL after reset: configuration requested, CLKOUT on at Fosc/8.
pub const CANCTRL_RESET: u8 = 0x87;
/// The CANCTRL bits a presence check compares (ABAT, CLKEN, CLKPRE), as Linux's mcp251x does.
pub const CANCTRL_PRESENCE_MASK: u8 = 0x17;
/// Their value after reset.
pub const CANCTRL_PRESENCE_VALUE: u8 = 0x07;
/// The oscillator start-up timer is 128 OSC1 cycles: 128 µs at the slowest (1 MHz) clock. The driver waits
/// longer (see [`RESET_WAIT_US`]).
pub const OSCILLATOR_STARTUP_CYCLES: u32 = 128;
/// What the driver waits after RESET before talking to the chip: generous against a slow crystal start-up
/// (Linux waits 5 ms; Zephyr 128 µs).
pub const RESET_WAIT_US: u32 = 2_000;

// ---- CANCTRL / CANSTAT ------------------------------------------------------------------------------------

/// REQOP (CANCTRL) and OPMOD (CANSTAT) field.
pub const MODE_MASK: u8 = 0xE0;
/// Mode code: normal.
pub const MODE_NORMAL: u8 = 0x00;
/// Mode code: sleep.
pub const MODE_SLEEP: u8 = 0x20;
/// Mode code: loopback.
pub const MODE_LOOPBACK: u8 = 0x40;
/// Mode code: listen-only.
pub const MODE_LISTEN_ONLY: u8 = 0x60;
/// Mode code: configuration.
pub const MODE_CONFIGURATION: u8 = 0x80;
/// CANCTRL.ABAT: abort all pending transmissions.
pub const CANCTRL_ABAT: u8 = 0x10;
/// CANCTRL.OSM: one-shot mode.
pub const CANCTRL_OSM: u8 = 0x08;
/// CANCTRL.CLKEN: CLKOUT pin enabled.
pub const CANCTRL_CLKEN: u8 = 0x04;
/// CANCTRL.CLKPRE: CLKOUT prescaler.
pub const CANCTRL_CLKPRE_MASK: u8 = 0x03;
/// CANCTRL's command and request bits: REQOP (a mode request, confirmed only through CANSTAT.OPMOD) and ABAT
/// (abort every pending transmission, held while set). A read-modify-write of CANCTRL never writes them back as
/// read or cached: the driver writes REQOP = the confirmed mode and ABAT = 0 unless it means to abort.
pub const CANCTRL_COMMAND_BITS: u8 = MODE_MASK | CANCTRL_ABAT;
/// CANSTAT.ICOD: highest-priority pending interrupt.
pub const CANSTAT_ICOD_MASK: u8 = 0x0E;

// ---- CNF --------------------------------------------------------------------------------------------------

/// CNF2.BTLMODE: PS2 from CNF3 (the driver always sets it).
pub const CNF2_BTLMODE: u8 = 0x80;
/// CNF2.SAM: three samples per bit.
pub const CNF2_SAM: u8 = 0x40;
/// CNF3.SOF: CLKOUT pin signals start of frame (with CLKEN).
pub const CNF3_SOF: u8 = 0x80;
/// CNF3.WAKFIL: wake-up filter on RXCAN.
pub const CNF3_WAKFIL: u8 = 0x40;
/// CNF3.PHSEG2.
pub const CNF3_PHSEG2_MASK: u8 = 0x07;

// ---- interrupts -------------------------------------------------------------------------------------------

/// CANINTE/CANINTF: message error.
pub const INT_MERR: u8 = 0x80;
/// Wake-up.
pub const INT_WAK: u8 = 0x40;
/// Error (see EFLG).
pub const INT_ERR: u8 = 0x20;
/// TXB2 sent.
pub const INT_TX2: u8 = 0x10;
/// TXB1 sent.
pub const INT_TX1: u8 = 0x08;
/// TXB0 sent.
pub const INT_TX0: u8 = 0x04;
/// Message in RXB1.
pub const INT_RX1: u8 = 0x02;
/// Message in RXB0.
pub const INT_RX0: u8 = 0x01;

// ---- EFLG -------------------------------------------------------------------------------------------------

/// RXB1 overflow (writable: clear by writing 0).
pub const EFLG_RX1OVR: u8 = 0x80;
/// RXB0 overflow (writable).
pub const EFLG_RX0OVR: u8 = 0x40;
/// Bus-off.
pub const EFLG_TXBO: u8 = 0x20;
/// EFLG's command bits: RX0OVR/RX1OVR are cleared by writing 0 and the rest is read-only, so EFLG is changed
/// only by BIT MODIFY clearing the overflow flags that were read as set.
pub const EFLG_COMMAND_BITS: u8 = EFLG_RX0OVR | EFLG_RX1OVR;
/// CANINTF's flags are all commands: writing 0 clears a flag the driver may not have seen, writing WAKIF = 1 wakes
/// a sleeping chip. CANINTF is changed only by BIT MODIFY of the flags meant.
pub const CANINTF_COMMAND_BITS: u8 = 0xFF;
/// Transmit error-passive (TEC ≥ 128).
pub const EFLG_TXEP: u8 = 0x10;
/// Receive error-passive (REC ≥ 128).
pub const EFLG_RXEP: u8 = 0x08;
/// TEC ≥ 96.
pub const EFLG_TXWAR: u8 = 0x04;
/// REC ≥ 96.
pub const EFLG_RXWAR: u8 = 0x02;
/// TXWAR or RXWAR.
pub const EFLG_EWARN: u8 = 0x01;

// ---- TX and RX buffers ------------------------------------------------------------------------------------

/// TXBnCTRL.ABTF: aborted.
pub const TXB_ABTF: u8 = 0x40;
/// TXBnCTRL.MLOA: lost arbitration.
pub const TXB_MLOA: u8 = 0x20;
/// TXBnCTRL.TXERR: bus error while sending.
pub const TXB_TXERR: u8 = 0x10;
/// TXBnCTRL.TXREQ: pending. Set only through RTS (erratum DS80179G item 5); cleared by the driver to abort.
pub const TXB_TXREQ: u8 = 0x08;
/// TXBnCTRL.TXP: priority.
pub const TXB_TXP_MASK: u8 = 0x03;
/// TXBnCTRL's command bit: TXREQ (set only through RTS, erratum DS80179G item 5), and the status bits the chip
/// sets (ABTF, MLOA, TXERR). The driver changes TXBnCTRL only by BIT MODIFY of TXP or of TXREQ to 0.
pub const TXBCTRL_COMMAND_BITS: u8 = TXB_TXREQ | TXB_ABTF | TXB_MLOA | TXB_TXERR;

/// RXBnCTRL.RXM: 11 = any message, filters off; 00 = filtered.
pub const RXB_RXM_MASK: u8 = 0x60;
/// RXM = 11.
pub const RXB_RXM_ANY: u8 = 0x60;
/// RXB0CTRL.BUKT: roll over into RXB1.
pub const RXB0_BUKT: u8 = 0x04;
/// RXBnCTRL.RXRTR.
pub const RXB_RXRTR: u8 = 0x08;
/// RXB0CTRL.FILHIT0 / RXB1CTRL.FILHIT (bits 2:0).
pub const RXB1_FILHIT_MASK: u8 = 0x07;

/// RXB0SIDH, the first of RXB0's 13 frame registers (SIDH, SIDL, EID8, EID0, DLC, D0..D7).
pub const RXB0SIDH: u8 = 0x61;
/// RXB1SIDH.
pub const RXB1SIDH: u8 = 0x71;

/// SIDL.EXIDE / IDE: extended identifier.
pub const SIDL_EXIDE: u8 = 0x08;
/// RX SIDL.SRR: standard remote request.
pub const SIDL_SRR: u8 = 0x10;
/// DLC.RTR: remote request (TX both formats; RX extended only).
pub const DLC_RTR: u8 = 0x40;
/// DLC length field.
pub const DLC_MASK: u8 = 0x0F;

// ---- READ STATUS and RX STATUS ----------------------------------------------------------------------------

/// READ STATUS: RX0IF.
pub const STATUS_RX0IF: u8 = 0x01;
/// READ STATUS: RX1IF.
pub const STATUS_RX1IF: u8 = 0x02;
/// READ STATUS: TXB0CTRL.TXREQ (TXB1: `<< 2`, TXB2: `<< 4`).
pub const STATUS_TX0REQ: u8 = 0x04;
/// READ STATUS: TX0IF (TX1IF: `<< 2`, TX2IF: `<< 4`).
pub const STATUS_TX0IF: u8 = 0x08;
/// RX STATUS: bits 7:6 say which buffers hold a message.
pub const RX_STATUS_BUFFER_SHIFT: u8 = 6;

/// BFPCTRL bits: B1BFS, B0BFS, B1BFE, B0BFE, B1BFM, B0BFM.
pub const BFPCTRL_B0BFM: u8 = 0x01;
/// B1BFM.
pub const BFPCTRL_B1BFM: u8 = 0x02;
/// B0BFE.
pub const BFPCTRL_B0BFE: u8 = 0x04;
/// B1BFE.
pub const BFPCTRL_B1BFE: u8 = 0x08;
/// B0BFS.
pub const BFPCTRL_B0BFS: u8 = 0x10;
/// B1BFS.
pub const BFPCTRL_B1BFS: u8 = 0x20;

/// Registers on which BIT MODIFY works as a masked write; elsewhere it is a plain write (datasheet Table 11-1).
pub const fn bit_modifiable(address: u8) -> bool {
    matches!(
        address,
        BFPCTRL | TXRTSCTRL | 0x28..=0x2D | 0x30 | 0x40 | 0x50 | RXB0CTRL | RXB1CTRL
    ) || address & 0x0F == 0x0F
}

// ---- identifiers ------------------------------------------------------------------------------------------

/// The four ID registers (SIDH, SIDL, EID8, EID0) of a standard 11-bit identifier.
pub const fn encode_standard_id(id: u16) -> [u8; 4] {
    let id = id & 0x7FF;
    [(id >> 3) as u8, ((id & 7) << 5) as u8, 0, 0]
}

/// The four ID registers of an extended 29-bit identifier (EXIDE set).
pub const fn encode_extended_id(id: u32) -> [u8; 4] {
    let id = id & 0x1FFF_FFFF;
    [
        (id >> 21) as u8,
        (((id >> 18) & 7) << 5) as u8 | SIDL_EXIDE | ((id >> 16) & 3) as u8,
        (id >> 8) as u8,
        id as u8,
    ]
}

/// The 11-bit identifier in SIDH/SIDL.
pub const fn decode_standard_id(sidh: u8, sidl: u8) -> u16 {
    (sidh as u16) << 3 | (sidl as u16) >> 5
}

/// The 29-bit identifier in SIDH/SIDL/EID8/EID0.
pub const fn decode_extended_id(regs: [u8; 4]) -> u32 {
    let [sidh, sidl, eid8, eid0] = regs;
    (sidh as u32) << 21 | ((sidl as u32) >> 5) << 18 | ((sidl as u32) & 3) << 16 | (eid8 as u32) << 8 | eid0 as u32
}

// ---- bit timing -------------------------------------------------------------------------------------------

/// Smallest and largest bit length in time quanta (CAN rule; the segment limits alone would allow 5).
pub const TQ_PER_BIT_MIN: u8 = 8;
/// Largest bit length: 1 + 8 + 8 + 8.
pub const TQ_PER_BIT_MAX: u8 = 25;
/// BRP field maximum.
pub const BRP_MAX: u8 = 63;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_match_the_sheet_vectors() {
        assert_eq!(encode_standard_id(0x123), [0x24, 0x60, 0, 0]);
        assert_eq!(encode_standard_id(0x7FF), [0xFF, 0xE0, 0, 0]);
        assert_eq!(encode_extended_id(0x1234_5678), [0x91, 0xA8, 0x56, 0x78]);
        assert_eq!(encode_extended_id(0x1FFF_FFFF), [0xFF, 0xEB, 0xFF, 0xFF]);
        assert_eq!(decode_standard_id(0x24, 0x60), 0x123);
        assert_eq!(decode_standard_id(0xFF, 0xE0 | 0x10), 0x7FF);
        assert_eq!(decode_extended_id([0x91, 0xA8, 0x56, 0x78]), 0x1234_5678);
        assert_eq!(decode_extended_id([0xFF, 0xEB, 0xFF, 0xFF]), 0x1FFF_FFFF);
    }

    #[test]
    fn filter_and_buffer_addresses() {
        assert_eq!([0, 1, 2, 3, 4, 5].map(rxf_sidh), [0x00, 0x04, 0x08, 0x10, 0x14, 0x18]);
        assert_eq!([rxm_sidh(0), rxm_sidh(1)], [0x20, 0x24]);
        assert_eq!([0, 1, 2].map(txb_ctrl), [0x30, 0x40, 0x50]);
    }

    #[test]
    fn bit_modify_set() {
        for address in [
            0x0C, 0x0D, 0x0F, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x30, 0x40, 0x50, 0x60, 0x70, 0x3F,
        ] {
            assert!(bit_modifiable(address), "{address:#x}");
        }
        for address in [0x0E, 0x1C, 0x1D, 0x00, 0x31, 0x61, 0x20] {
            assert!(!bit_modifiable(address), "{address:#x}");
        }
    }
}
