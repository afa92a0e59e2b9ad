//! Every public operation of `sc16is740`, on opaque buses with opaque arguments.

use crate::opaque::{any, Delay, I2c, Spi};
use fugit::HertzU32;
use sc16is740::variant::{HasGpio, Variant};
use sc16is740::{
    Address, AddressPin, BaudRate, Config, DataBits, FifoConfig, FlowLevels, GpioPin, HardwareFlowControl, Interface,
    InterruptSource, Interrupts, IrdaMode, LineFormat, LineStatus, ModemStatus, Parity, Prescaler, ReceiveCheck, Rs485,
    RxTrigger, Sc16is740, Sc16is750, Sc16is752, Sc16is7xx, SoftwareFlowControl, SoftwareFlowRx, SoftwareFlowTx,
    StopBits, TriggerLevels, TxTrigger,
};

fn address() -> Address {
    Address::raw(any(0x48)).unwrap_or(Address::DEFAULT)
}

fn address_pin() -> AddressPin {
    match any(0u8) {
        0 => AddressPin::Vdd,
        1 => AddressPin::Vss,
        2 => AddressPin::Scl,
        _ => AddressPin::Sda,
    }
}

fn hertz(value: u32) -> HertzU32 {
    HertzU32::from_raw(any(value))
}

fn crystal() -> HertzU32 {
    hertz(14_745_600)
}

fn prescaler() -> Prescaler {
    if any(false) {
        Prescaler::Div4
    } else {
        Prescaler::Div1
    }
}

fn format() -> LineFormat {
    let data_bits = match any(0u8) {
        0 => DataBits::Five,
        1 => DataBits::Six,
        2 => DataBits::Seven,
        _ => DataBits::Eight,
    };
    let parity = match any(0u8) {
        0 => Parity::None,
        1 => Parity::Odd,
        2 => Parity::Even,
        3 => Parity::Forced1,
        _ => Parity::Forced0,
    };
    let stop_bits = match any(0u8) {
        0 => StopBits::One,
        1 => StopBits::OnePointFive,
        _ => StopBits::Two,
    };
    LineFormat::new(data_bits, parity, stop_bits)
}

fn fifo() -> FifoConfig {
    FifoConfig {
        enabled: any(true),
        rx_trigger: match any(0u8) {
            0 => RxTrigger::Chars8,
            1 => RxTrigger::Chars16,
            2 => RxTrigger::Chars56,
            _ => RxTrigger::Chars60,
        },
        tx_trigger: match any(0u8) {
            0 => TxTrigger::Spaces8,
            1 => TxTrigger::Spaces16,
            2 => TxTrigger::Spaces32,
            _ => TxTrigger::Spaces56,
        },
    }
}

fn receive_check() -> ReceiveCheck {
    if any(false) {
        ReceiveCheck::Unchecked
    } else {
        ReceiveCheck::LineStatus
    }
}

fn config() -> Config {
    Config {
        baud: hertz(115_200),
        tolerance_ppm: any(20_000),
        format: format(),
        fifo: fifo(),
        receive_check: receive_check(),
    }
}

fn flow_levels() -> FlowLevels {
    FlowLevels {
        halt: any(48),
        resume: any(24),
    }
}

fn trigger_levels() -> TriggerLevels {
    TriggerLevels {
        rx: any(28),
        tx: any(4),
    }
}

fn hardware_flow() -> HardwareFlowControl {
    HardwareFlowControl {
        auto_rts: any(true),
        auto_cts: any(true),
        levels: flow_levels(),
    }
}

fn software_flow() -> SoftwareFlowControl {
    SoftwareFlowControl {
        transmit: match any(0u8) {
            0 => SoftwareFlowTx::None,
            1 => SoftwareFlowTx::Xon1Xoff1,
            2 => SoftwareFlowTx::Xon2Xoff2,
            _ => SoftwareFlowTx::Both,
        },
        receive: match any(0u8) {
            0 => SoftwareFlowRx::None,
            1 => SoftwareFlowRx::Xon1Xoff1,
            2 => SoftwareFlowRx::Xon2Xoff2,
            _ => SoftwareFlowRx::Both,
        },
        xon1: any(0x11),
        xon2: any(0x11),
        xoff1: any(0x13),
        xoff2: any(0x13),
        xon_any: any(false),
        levels: flow_levels(),
    }
}

fn rs485() -> Rs485 {
    Rs485 {
        auto_direction: any(true),
        invert_rts: any(false),
        multidrop: any(false),
        address: if any(false) { Some(any(0x42)) } else { None },
    }
}

fn irda() -> IrdaMode {
    match any(0u8) {
        0 => IrdaMode::Off,
        1 => IrdaMode::Standard,
        _ => IrdaMode::Fast,
    }
}

fn interrupts() -> Interrupts {
    Interrupts::from_bits_truncate(any(0x05))
}

fn pin() -> GpioPin {
    GpioPin::new(any(3)).unwrap_or(GpioPin::ALL[0])
}

/// The value helpers, on opaque values.
fn pure() {
    let _ = any(BaudRate::compute(hertz(14_745_600), hertz(9_600), any(20_000)));
    let _ = any(BaudRate::from_divisor(crystal(), any(96), prescaler()));
    let _ = any(prescaler().factor());
    let _ = any(format().encode());
    let _ = any(LineFormat::decode(any(0x1D)));
    let _ = any(fifo().encode());
    let _ = any(FifoConfig::decode(any(0x91)));
    let _ = any(flow_levels().encode());
    let _ = any(trigger_levels().encode());
    let _ = any(software_flow().efr_bits());
    let _ = any(InterruptSource::decode(any(0xCC)));
    let _ = any(Address::raw(any(0x48)));
    let _ = any(Address::try_from(any(0x48u8)));
    let _ = any(Address::from_pins(address_pin(), address_pin()).get());
    let _ = any(GpioPin::new(any(9)));
    let p = pin();
    let _ = any((p.get(), p.mask()));
    let _ = any(sc16is740::register::subaddress(any(0), any(0)));
    let set = interrupts();
    let _ = any((
        set.contains(interrupts()),
        set | interrupts(),
        set & !interrupts(),
        set.bits(),
    ));
    let _ = any(Interrupts::from_bits(any(0x05)));
    for flag in set.iter() {
        let _ = any(flag);
    }
    let lsr = LineStatus(any(0));
    let _ = any((
        lsr.data_ready(),
        lsr.overrun(),
        lsr.parity_error(),
        lsr.framing_error(),
        lsr.break_received(),
        lsr.tx_fifo_empty(),
        lsr.transmitter_idle(),
        lsr.fifo_error(),
    ));
    let msr = ModemStatus(any(0));
    let _ = any((
        msr.cts(),
        msr.dsr(),
        msr.ri(),
        msr.cd(),
        msr.cts_changed(),
        msr.dsr_changed(),
        msr.ri_trailing_edge(),
        msr.cd_changed(),
    ));
    let _ = any(Config::new(hertz(9_600)).format(format()));
}

/// Every operation of a channel, any part.
fn driver<IF: Interface, V: Variant>(d: &mut Sc16is7xx<IF, V>) {
    let _ = any((d.channel(), d.crystal(), d.receive_check(), d.fifo()));
    d.set_receive_check(receive_check());
    d.set_baud_tolerance(any(20_000));
    d.set_timeout(fugit::MicrosDurationU32::from_ticks(any(1_000)));
    d.set_poll_cost(fugit::MicrosDurationU32::from_ticks(any(100)));
    let _ = any(d.timeout());
    let _ = any(d.init(&config()));
    let _ = any(d.software_reset(&mut Delay));
    d.assume_power_on_state();
    let _ = any(d.check_presence());
    let _ = any(d.write_scratch(any(0xA5)));
    let _ = any(d.read_scratch());
    let _ = any(d.set_baud_rate(hertz(9_600)));
    let _ = any(d.set_divisor(any(96), prescaler()));
    let _ = any(d.baud_rate());
    let _ = any(d.set_line_format(format()));
    let _ = any(d.line_format());
    let _ = any(d.set_break(any(false)));
    let _ = any(d.set_fifo(fifo()));
    let _ = any(d.reset_fifos(any(true), any(true)));
    let _ = any(d.set_trigger_levels(trigger_levels()));
    let _ = any(d.rx_level());
    let _ = any(d.tx_space());
    let data = [any(0u8); 80];
    let length = any(80usize);
    let _ = any(d.try_write(data.get(..length).unwrap_or(&[])));
    let mut buffer = [0u8; 80];
    let _ = any(d.try_read(buffer.get_mut(..length).unwrap_or(&mut [])));
    let _ = any(d.line_status());
    let _ = any(d.transmitter_idle());
    let _ = any(d.flush());
    let _ = any(d.write_all(data.get(..length).unwrap_or(&[])));
    let _ = any(d.write_all_counted(data.get(..length).unwrap_or(&[])));
    let _ = any(d.set_interrupts(interrupts()));
    let _ = any(d.interrupts());
    let _ = any(d.pending_interrupt());
    let _ = any(d.set_sleep(any(false)));
    let _ = any(d.modem_status());
    let _ = any(d.set_rts(any(true)));
    let _ = any(d.set_dtr(any(true)));
    let _ = any(d.set_loopback(any(false)));
    let _ = any(d.set_transmitter_enabled(any(true)));
    let _ = any(d.set_receiver_enabled(any(true)));
    let _ = any(d.set_hardware_flow_control(hardware_flow()));
    let _ = any(d.set_software_flow_control(&software_flow()));
    let _ = any(d.set_special_character(if any(false) { Some(any(0x42)) } else { None }));
    let _ = any(d.set_rs485(rs485()));
    let _ = any(d.set_irda(irda()));
    d.invalidate_cache();
    let _ = any(d.interrupts());
    io(d);
}

/// The serial traits on a driver: `embedded-io` (with the default methods) and `embedded-hal-nb`.
fn io<IF: Interface, V: Variant>(d: &mut Sc16is7xx<IF, V>) {
    use embedded_io::{Error as _, Read, ReadReady, Write, WriteReady};
    let data = [any(0u8); 80];
    let length = any(80usize);
    let mut buffer = [0u8; 80];
    let _ = any(Read::read(d, buffer.get_mut(..length).unwrap_or(&mut [])));
    let _ = any(d.read_exact(buffer.get_mut(..length).unwrap_or(&mut [])).is_ok());
    let _ = any(d.read_ready());
    let _ = any(Write::write(d, data.get(..length).unwrap_or(&[])));
    let _ = any(Write::write_all(d, data.get(..length).unwrap_or(&[])));
    let _ = any(Write::flush(d));
    let _ = any(d.write_ready());
    if let Err(e) = d.try_read(buffer.get_mut(..length).unwrap_or(&mut [])) {
        let _ = any(e.kind());
        let _ = any(embedded_hal_nb::serial::Error::kind(&e));
        let _ = any(embedded_hal::digital::Error::kind(&e));
    }
    let _ = any(embedded_hal_nb::serial::Read::read(d));
    let _ = any(embedded_hal_nb::serial::Write::write(d, any(0)));
    let _ = any(embedded_hal_nb::serial::Write::flush(d));
}

/// The GPIO operations of a part that has them.
fn gpio<IF: Interface, V: HasGpio>(d: &mut Sc16is7xx<IF, V>) {
    let _ = any(d.set_gpio_direction(any(0x0F)));
    let _ = any(d.gpio_direction());
    let _ = any(d.set_gpio_outputs(any(0)));
    let _ = any(d.set_gpio_pin(pin(), any(true)));
    let _ = any(d.gpio_output_latch());
    let _ = any(d.gpio_levels());
    let _ = any(d.configure_gpio_output(pin(), any(false)));
    let _ = any(d.configure_gpio_input(pin()));
    let _ = any(d.set_gpio_interrupts(any(0xF0)));
    let _ = any(d.set_gpio_interrupt(pin(), any(true)));
    let _ = any(d.set_gpio_latch(any(true)));
    let _ = any(d.set_modem_pins(any(false)));
}

/// The blocking driver on I2C and SPI, for the SC16IS740 and for GPIO parts (channel B included), the GPIO pins,
/// and the pure helpers.
pub fn exercise() {
    use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
    pure();

    let mut d = Sc16is7xx::new_i2c(I2c, address(), crystal(), Sc16is740);
    driver(&mut d);
    if let Err(e) = d.check_presence() {
        let _ = any(e.is_nack());
    }
    let _ = any(d.bus());
    let _ = any(d.bus_mut());
    let _ = any(d.release());

    let mut d = Sc16is7xx::new_spi(Spi, crystal(), Sc16is740);
    driver(&mut d);
    let _ = any(d.bus());
    let _ = any(d.bus_mut());
    let _ = any(d.release());

    let mut d = Sc16is7xx::new_i2c(I2c, address(), crystal(), Sc16is750);
    driver(&mut d);
    gpio(&mut d);

    let shared = core::cell::RefCell::new(d);
    let [mut a, mut b, ..] = sc16is740::gpio_pins(&shared);
    let _ = any(a.pin());
    let _ = any(a.into_output(any(false)));
    let _ = any(a.set_high());
    let _ = any(a.set_low());
    let _ = any(a.toggle());
    let _ = any(a.is_set_high());
    let _ = any(a.is_set_low());
    let _ = any(b.into_input());
    let _ = any(b.set_interrupt(any(true)));
    let _ = any(b.is_high());
    let _ = any(b.is_low());

    let shared = critical_section::Mutex::new(core::cell::RefCell::new(shared.into_inner()));
    let [mut a, mut b, ..] = sc16is740::gpio_pins(&shared);
    let _ = any(a.into_output(any(true)));
    let _ = any(a.set_high());
    let _ = any(a.set_low());
    let _ = any(a.toggle());
    let _ = any(a.is_set_high());
    let _ = any(a.is_set_low());
    let _ = any(b.into_input());
    let _ = any(b.set_interrupt(any(true)));
    let _ = any(b.is_high());
    let _ = any(b.is_low());
    let _ = any(shared.into_inner().into_inner().release());

    let mut d = Sc16is7xx::new_spi(Spi, crystal(), Sc16is752).on_channel_b();
    driver(&mut d);
    gpio(&mut d);
    let _ = any(d.release());

    let mut d = Sc16is7xx::new_i2c(I2c, address(), crystal(), Sc16is752).on_channel_b();
    gpio(&mut d);
    let _ = any(d.release_interface());
    let _ = any(Sc16is7xx::with_interface(any(0u8), crystal(), Sc16is740).release_interface());
}

/// The async driver and the IRQ-driven I/O: each operation polled once (the opaque bus never waits).
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::{poll_once, Pin};
    use sc16is740::{AsyncInterface, Sc16is7xxAsync, Sc16is7xxIrq};

    fn driver<IF: AsyncInterface, V: Variant>(d: &mut Sc16is7xxAsync<IF, V>) {
        let _ = any((d.channel(), d.crystal(), d.receive_check(), d.fifo()));
        d.set_receive_check(receive_check());
        d.set_baud_tolerance(any(20_000));
        d.set_timeout(fugit::MicrosDurationU32::from_ticks(any(1_000)));
        d.set_poll_cost(fugit::MicrosDurationU32::from_ticks(any(100)));
        let _ = any(d.timeout());
        poll_once(d.init(&config()));
        poll_once(d.software_reset(&mut Delay));
        poll_once(d.check_presence());
        poll_once(d.write_scratch(any(0xA5)));
        poll_once(d.read_scratch());
        poll_once(d.set_baud_rate(hertz(9_600)));
        poll_once(d.set_divisor(any(96), prescaler()));
        poll_once(d.baud_rate());
        poll_once(d.set_line_format(format()));
        poll_once(d.line_format());
        poll_once(d.set_break(any(false)));
        poll_once(d.set_fifo(fifo()));
        poll_once(d.reset_fifos(any(true), any(true)));
        poll_once(d.set_trigger_levels(trigger_levels()));
        poll_once(d.rx_level());
        poll_once(d.tx_space());
        let data = [any(0u8); 80];
        let length = any(80usize);
        poll_once(d.try_write(data.get(..length).unwrap_or(&[])));
        let mut buffer = [0u8; 80];
        poll_once(d.try_read(buffer.get_mut(..length).unwrap_or(&mut [])));
        poll_once(d.line_status());
        poll_once(d.transmitter_idle());
        poll_once(d.flush());
        poll_once(d.write_all(data.get(..length).unwrap_or(&[])));
        poll_once(d.write_all_counted(data.get(..length).unwrap_or(&[])));
        poll_once(d.set_interrupts(interrupts()));
        poll_once(d.interrupts());
        poll_once(d.pending_interrupt());
        poll_once(d.set_sleep(any(false)));
        poll_once(d.modem_status());
        poll_once(d.set_rts(any(true)));
        poll_once(d.set_dtr(any(true)));
        poll_once(d.set_loopback(any(false)));
        poll_once(d.set_transmitter_enabled(any(true)));
        poll_once(d.set_receiver_enabled(any(true)));
        poll_once(d.set_hardware_flow_control(hardware_flow()));
        poll_once(d.set_software_flow_control(&software_flow()));
        poll_once(d.set_special_character(if any(false) { Some(any(0x42)) } else { None }));
        poll_once(d.set_rs485(rs485()));
        poll_once(d.set_irda(irda()));
        d.invalidate_cache();
        {
            use embedded_io_async::{Read, Write};
            poll_once(Read::read(d, buffer.get_mut(..length).unwrap_or(&mut [])));
            poll_once(d.read_exact(buffer.get_mut(..length).unwrap_or(&mut [])));
            poll_once(Write::write(d, data.get(..length).unwrap_or(&[])));
            poll_once(Write::write_all(d, data.get(..length).unwrap_or(&[])));
            poll_once(Write::flush(d));
        }
    }

    fn gpio<IF: AsyncInterface, V: HasGpio>(d: &mut Sc16is7xxAsync<IF, V>) {
        poll_once(d.set_gpio_direction(any(0x0F)));
        poll_once(d.gpio_direction());
        poll_once(d.set_gpio_outputs(any(0)));
        poll_once(d.set_gpio_pin(pin(), any(true)));
        poll_once(d.gpio_output_latch());
        poll_once(d.gpio_levels());
        poll_once(d.configure_gpio_output(pin(), any(false)));
        poll_once(d.configure_gpio_input(pin()));
        poll_once(d.set_gpio_interrupts(any(0xF0)));
        poll_once(d.set_gpio_interrupt(pin(), any(true)));
        poll_once(d.set_gpio_latch(any(true)));
        poll_once(d.set_modem_pins(any(false)));
    }

    /// The IRQ-driven `embedded-io-async` traits (with the default methods).
    fn irq<IF: AsyncInterface, V: Variant>(uart: Sc16is7xxAsync<IF, V>) -> Sc16is7xxAsync<IF, V> {
        use embedded_io_async::{Read, Write};
        let mut io = Sc16is7xxIrq::new(uart, Pin);
        let _ = any(io.uart.channel());
        let data = [any(0u8); 80];
        let length = any(80usize);
        let mut buffer = [0u8; 80];
        poll_once(io.read(buffer.get_mut(..length).unwrap_or(&mut [])));
        poll_once(io.read_exact(buffer.get_mut(..length).unwrap_or(&mut [])));
        poll_once(io.write(data.get(..length).unwrap_or(&[])));
        poll_once(io.write_all(data.get(..length).unwrap_or(&[])));
        poll_once(io.flush());
        let (uart, pin) = io.release();
        let _ = any(pin);
        uart
    }

    let mut d = Sc16is7xxAsync::new_i2c(I2c, address(), crystal(), Sc16is740);
    driver(&mut d);
    let mut d = irq(d);
    let _ = any(d.bus());
    let _ = any(d.bus_mut());
    let _ = any(d.release());

    let mut d = Sc16is7xxAsync::new_spi(Spi, crystal(), Sc16is740);
    driver(&mut d);
    let mut d = irq(d);
    let _ = any(d.bus());
    let _ = any(d.bus_mut());
    let _ = any(d.release());

    let mut d = Sc16is7xxAsync::new_i2c(I2c, address(), crystal(), Sc16is750);
    driver(&mut d);
    gpio(&mut d);
    let _ = any(d.release());

    let mut d = Sc16is7xxAsync::new_spi(Spi, crystal(), Sc16is752).on_channel_b();
    driver(&mut d);
    gpio(&mut d);
    let _ = any(irq(d).release_interface());
    let _ = any(Sc16is7xxAsync::with_interface(any(0u8), crystal(), Sc16is740).release_interface());
}
