//! Property tests of the MAX17048 STATUS and CONFIG read-modify-writes, on a mock: for any word the chip answers and
//! any request, the write is exactly the one the rules allow (flags written 0 only where asked and read set, 1 only
//! over a 1 read, EnVR, bit 15 and the LSB as read; ALSC and ALRT as the CONFIG rules say), or there is none.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use max17043::part;
use max17043::StatusFlags;
use proptest::prelude::*;

proptest! {
    #[test]
    fn clear_status_writes_exactly_what_the_rules_allow(raw in any::<u16>(), mask in any::<u8>()) {
        prop_assume!(raw != 0xFFFF);
        let [msb, lsb] = raw.to_be_bytes();
        let clearing = msb & mask & 0x3F;
        let mut expected = vec![read(0x1A, raw)];
        if clearing != 0 {
            expected.push(I2c::write(ADDR, vec![0x1A, msb & !clearing, lsb]));
        }
        let mut i2c = mock(&expected);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let read = gauge.clear_status(StatusFlags::from_bits_truncate(mask)).unwrap();
        prop_assert_eq!(read.flags.bits(), msb & 0x3F);
        prop_assert_eq!(read.voltage_reset_alert, msb & 0x40 != 0);
        i2c.done();
    }

    #[test]
    fn set_voltage_reset_alert_touches_only_en_vr(raw in any::<u16>(), enable in any::<bool>()) {
        prop_assume!(raw != 0xFFFF);
        let [msb, lsb] = raw.to_be_bytes();
        let wanted = if enable { msb | 0x40 } else { msb & !0x40 };
        let mut expected = vec![read(0x1A, raw)];
        if wanted != msb {
            expected.push(I2c::write(ADDR, vec![0x1A, wanted, lsb]));
        }
        let mut i2c = mock(&expected);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17049);
        gauge.set_voltage_reset_alert(enable).unwrap();
        i2c.done();
    }

    #[test]
    fn set_soc_change_alert_keeps_alrt_as_read(raw in any::<u16>(), enable in any::<bool>()) {
        prop_assume!(raw != 0xFFFF);
        let [rcomp, lsb] = raw.to_be_bytes();
        let wanted = if enable { lsb | 0x40 } else { lsb & !0x40 };
        let mut expected = vec![read(0x0C, raw)];
        if wanted != lsb {
            // ALRT (bit 5) exactly as read: never 1 over 0
            expected.push(I2c::write(ADDR, vec![0x0C, rcomp, wanted]));
        }
        // then a clear from the cache: every driver bit as cached (ALSC included), ALRT 0
        expected.push(I2c::write(ADDR, vec![0x0C, rcomp, wanted & !0x20]));
        let mut i2c = mock(&expected);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        gauge.set_soc_change_alert(enable).unwrap();
        prop_assert_eq!(gauge.cached_soc_change_alert(), Some(enable));
        gauge.clear_alert().unwrap();
        i2c.done();
    }
}
