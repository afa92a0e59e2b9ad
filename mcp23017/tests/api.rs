//! The API shape shared with the other crates of the family (issue 13): interface aliases, `bus()`/`bus_mut()`,
//! `sim::CountingBus`, `Address: TryFrom<u8>` with `InvalidAddress`, `Pins` as a `bitflags` set.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use mcp23017::bitflags::Flags;
use mcp23017::embedded_hal::i2c::I2c;
use mcp23017::embedded_hal::spi::SpiDevice;
use mcp23017::sim::{CountingBus, Mcp23017Sim, Traffic};
use mcp23017::{Address, HardwareAddress, InvalidAddress, Mcp23017, Mcp23017I2c, Mcp23017Spi, PinId, Pins};

/// What a user writes: a function over the alias, generic over the bus trait.
fn light<I2C: I2c>(io: &mut Mcp23017I2c<I2C>) -> Result<(), mcp23017::Error<I2C::Error>> {
    io.set_as_outputs(Pins::A0, Pins::A0)
}

fn light_spi<SPI: SpiDevice>(io: &mut Mcp23017Spi<SPI>) -> Result<(), mcp23017::Error<SPI::Error>> {
    io.set_as_outputs(Pins::A1, Pins::A1)
}

#[test]
fn aliases_name_the_i2c_and_spi_drivers() {
    let mut io = Mcp23017::new(Mcp23017Sim::new(Address::DEFAULT), Address::DEFAULT);
    light(&mut io).unwrap();
    assert_eq!(io.bus().output_latch(), Pins::A0);
    assert_eq!(io.bus().directions(), !Pins::A0);

    let mut spi = Mcp23017::new_spi(
        Mcp23017Sim::new_spi(HardwareAddress::default()),
        HardwareAddress::default(),
    );
    light_spi(&mut spi).unwrap();
    assert_eq!(spi.bus().output_latch(), Pins::A1);
}

#[cfg(feature = "async")]
#[test]
fn async_aliases_name_the_async_drivers() {
    fn _i2c<I2C: mcp23017::embedded_hal_async::i2c::I2c>(_: &mut mcp23017::Mcp23017AsyncI2c<I2C>) {}
    fn _spi<SPI: mcp23017::embedded_hal_async::spi::SpiDevice>(_: &mut mcp23017::Mcp23017AsyncSpi<SPI>) {}
    let mut io = mcp23017::Mcp23017Async::new(Mcp23017Sim::new(Address::DEFAULT), Address::DEFAULT);
    _i2c(&mut io);
    let mut spi = mcp23017::Mcp23017Async::new_spi(
        Mcp23017Sim::new_spi(HardwareAddress::default()),
        HardwareAddress::default(),
    );
    _spi(&mut spi);
}

#[test]
fn a_driver_can_borrow_the_sim() {
    let mut sim = Mcp23017Sim::new(Address::DEFAULT);
    {
        let mut io = Mcp23017::new(&mut sim, Address::DEFAULT);
        light(&mut io).unwrap();
    }
    assert_eq!(sim.output_latch(), Pins::A0);
}

#[test]
fn counting_bus_has_the_shape_of_faulty_bus() {
    let mut io = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
    io.init(mcp23017::Config::default()).unwrap();
    assert_eq!(io.bus().traffic().transactions, 4);
    io.bus_mut().reset_traffic();
    assert_eq!(io.bus().traffic(), Traffic::default());
    io.toggle_pin(PinId::A0).unwrap();
    assert_eq!(
        io.bus().traffic(),
        Traffic {
            transactions: 1,
            written: 3,
            read: 0
        }
    );
    io.bus_mut().inner_mut().drive(PinId::B0, false);
    assert_eq!(io.bus().inner().output_latch(), Pins::A0);
    let sim = io.release().into_inner();
    assert!(!sim.levels().contains(Pins::B0));
}

#[test]
fn addresses_convert_from_u8() {
    assert_eq!(Address::try_from(0x27).map(u8::from), Ok(0x27));
    assert_eq!(Address::try_from(0x40), Err(InvalidAddress(0x40)));
    assert_eq!(Address::raw(0x19), Err(InvalidAddress(0x19)));
    assert_eq!(HardwareAddress::try_from(5).map(HardwareAddress::get), Ok(5));
    assert_eq!(HardwareAddress::try_from(8), Err(InvalidAddress(8)));
    let error: &dyn core::error::Error = &InvalidAddress(0x40);
    assert!(error.to_string().starts_with("0x40 is not an MCP230xx address"));
}

#[test]
fn pins_are_a_flag_set_of_the_16_pins() {
    let buttons = Pins::B0 | Pins::B1 | Pins::B2 | Pins::B3;
    assert_eq!(buttons, Pins::from_bits_truncate(0x0F00));
    assert_eq!(buttons.bits(), 0x0F00);
    assert!(Pins::PORT_B.contains(buttons));
    assert!(buttons.contains_pin(PinId::B2));
    assert!(!buttons.contains_pin(PinId::A2));
    assert_eq!(!buttons & Pins::PORT_B, Pins::from_bits_truncate(0xF000));
    assert_eq!(Pins::PORT_B - Pins::B7, Pins::from_bits_truncate(0x7F00));
    assert_eq!(Pins::from(PinId::B7) | Pins::A7, Pins::GPX7);
    assert!(buttons.iter().eq([Pins::B0, Pins::B1, Pins::B2, Pins::B3]));
    assert!(buttons.pin_ids().eq([PinId::B0, PinId::B1, PinId::B2, PinId::B3]));
    // every one of the 16 bits is a pin: no raw value is refused or loses a bit
    assert_eq!(Pins::from_bits(0xFFFF), Some(Pins::ALL));
    assert_eq!(Pins::ALL, Pins::all());
    assert_eq!(Pins::NONE, Pins::empty());
    assert_eq!(<Pins as Flags>::FLAGS.len(), 19);
    assert_eq!(format!("{:?}", Pins::A0 | Pins::B7), "Pins(A0 | B7)");
}

/// Each address pin is its own bit: A0 bit 0, A1 bit 1, A2 bit 2 of the 7-bit address 0b0100_A2A1A0 (I2C) and of
/// the SPI hardware address.
#[test]
fn each_address_pin_is_its_own_bit() {
    assert_eq!(Address::from_pins(false, false, true).get(), 0x21);
    assert_eq!(Address::from_pins(false, true, false).get(), 0x22);
    assert_eq!(Address::from_pins(true, false, false).get(), 0x24);
    assert_eq!(Address::from_pins(true, true, true).get(), 0x27);
    assert_eq!(HardwareAddress::from_pins(false, false, true).get(), 1);
    assert_eq!(HardwareAddress::from_pins(false, true, false).get(), 2);
    assert_eq!(HardwareAddress::from_pins(true, false, false).get(), 4);
}

/// A pin's index is its bit in every 16-bit value: GPA0..GPA7 are 0..7, GPB0..GPB7 are 8..15.
#[test]
fn pin_indices_follow_the_ports() {
    assert_eq!(PinId::A0.index(), 0);
    assert_eq!(PinId::A7.index(), 7);
    assert_eq!(PinId::B0.index(), 8);
    assert_eq!(PinId::B7.index(), 15);
    assert_eq!(PinId::A7.port(), mcp23017::Port::A);
    assert_eq!(PinId::B0.port(), mcp23017::Port::B);
    for index in 0..16 {
        assert_eq!(PinId::new(index).unwrap().index(), index);
    }
}

/// Merging two statuses keeps every edge and trigger of both, also when both saw the same pin (a pin that rose
/// twice has still risen); captures and levels come from the later one.
#[test]
fn a_merged_status_keeps_edges_seen_twice() {
    use mcp23017::InterruptStatus;
    let mut first = InterruptStatus::default();
    first.flagged = Pins::A0 | Pins::A1;
    first.captured = Pins::A0 | Pins::A1;
    first.levels = Pins::A0;
    first.rising = Pins::A0;
    first.falling = Pins::A1;
    first.triggered = Pins::A0 | Pins::A1;
    let mut later = first;
    later.levels = Pins::A1;
    later.rising = Pins::A0 | Pins::A1;
    let merged = first.merge(later);
    assert_eq!(merged.flagged, Pins::A0 | Pins::A1);
    assert_eq!(merged.rising, Pins::A0 | Pins::A1);
    assert_eq!(merged.falling, Pins::A1);
    assert_eq!(merged.triggered, Pins::A0 | Pins::A1);
    assert_eq!(merged.levels, Pins::A1);
}

#[test]
fn only_gpa7_and_gpb7_are_output_only_on_the_mcp23017() {
    for pin in PinId::ALL {
        let expected = pin == PinId::A7 || pin == PinId::B7;
        assert_eq!(pin.is_output_only_on_mcp23017(), expected, "{pin:?}");
    }
}
