//! Every public operation of `mcp25625`, on an opaque bus, pins and delay, with opaque arguments.

use core::hint::black_box;

/// Hides a result (of any type) from the optimiser.
fn keep<T>(value: T) {
    black_box(value);
}

use embedded_can::{ExtendedId, Frame as _, Id, StandardId};
use mcp25625::{
    Acceptance, BitTiming, ClockOut, Config, Filter, FilterNumber, Frame, Interrupts, Mask, MaskNumber, Mcp25625, Mode,
    ReceiveMethod, RxBuffer, RxPinMode, RxStatus, TxBuffer, TxPinMode, TxPriority,
};

use crate::opaque::{any, Delay, Pin, Spi};

fn frame() -> Frame {
    let id = if any(true) {
        Id::Standard(StandardId::new(any(0x123)).unwrap_or(StandardId::ZERO))
    } else {
        Id::Extended(ExtendedId::new(any(0x1234_5678)).unwrap_or(ExtendedId::ZERO))
    };
    let data = [any(0u8); 8];
    let length = any(8usize);
    let frame = if any(false) {
        Frame::new_remote(id, length)
    } else {
        Frame::new(id, data.get(..length).unwrap_or(&data))
    };
    frame.unwrap_or_else(|| Frame::decode(&[any(0u8); 13]))
}

fn pure() {
    let timing = BitTiming::with_sample_point(any(16_000_000.Hz()), any(500_000.Hz()), any(875), any(1));
    keep(timing);
    keep(BitTiming::new(any(8_000_000.Hz()), any(1_000_000.Hz())));
    keep(BitTiming::from_cnf([any(0), any(0x90), any(0x82)]));
    keep(BitTiming::from_segments(
        any(0),
        any(1),
        any(5),
        any(8),
        any(2),
        any(false),
    ));
    if let Ok(t) = BitTiming::from_cnf([any(0), any(0x90), any(0x82)]) {
        keep((
            t.cnf(),
            t.sample_point_permille(),
            t.quanta_per_bit(),
            t.bitrate(any(8_000_000.Hz())),
        ));
        keep(t.with_triple_sampling(any(true)));
    }
    keep(RxStatus::decode(any(0)));
    keep(Mode::from_register(any(0)));
    keep(Filter::Extended(any(0)).encode());
    keep(Mask(any(0)).encode());
    keep(frame().encode());
    keep(frame().data().len());
}

use fugit::RateExtU32 as _;

fn config() -> Config {
    let timing = BitTiming::from_cnf([any(0), any(0x90), any(0x82)])
        .unwrap_or_else(|_| BitTiming::from_segments(0, 1, 2, 3, 2, false).unwrap_or_else(|_| loop {}));
    let mut config = Config::new(timing)
        .mode(any(Mode::Normal))
        .acceptance(any(Acceptance::All));
    config.clock_out = any(ClockOut::Divide2);
    config.one_shot = any(false);
    config.wake_filter = any(false);
    config.rollover = any(true);
    config.interrupts = Interrupts::from_bits_truncate(any(3));
    config
}

/// The blocking driver.
pub fn exercise() {
    pure();
    let mut can = Mcp25625::with_standby(Spi, Pin, any(mcp25625::StandbyLevel::High));
    let delay = &mut Delay;
    keep(can.reset(delay));
    keep(can.init(&config(), delay));
    can.assume_power_on_state();
    keep(can.configure(&config(), delay));
    keep(can.set_mode(any(Mode::Loopback), delay));
    keep(can.read_mode());
    keep(can.sleep(delay));
    keep(can.wake(any(Mode::Normal), delay));
    keep(can.set_transceiver_standby(any(true)));
    can.set_mode_timeout(fugit::MicrosDurationU32::micros(any(100)));
    can.set_send_timeout(fugit::MicrosDurationU32::micros(any(100)));
    can.set_receive_timeout(fugit::MicrosDurationU32::micros(any(100)));
    can.set_receive_method(any(ReceiveMethod::ReadRxBuffer));
    keep(can.mode());
    keep(can.bus());
    keep(can.bus_mut());
    if let Ok(timing) = BitTiming::from_cnf([any(0), any(0x90), any(0x82)]) {
        keep(can.set_bit_timing(timing));
    }
    keep(can.bit_timing());
    keep(can.set_one_shot(any(true)));
    keep(can.set_clock_out(any(ClockOut::StartOfFrame)));
    keep(can.set_wake_filter(any(true)));
    keep(can.set_interrupts(Interrupts::from_bits_truncate(any(0xFF))));
    keep(can.interrupts());
    keep(can.interrupt_flags());
    keep(can.clear_interrupts(Interrupts::from_bits_truncate(any(0xFF))));
    keep(can.error_flags().map(|f| f.state()));
    keep(can.error_counters());
    keep(can.service_errors());
    keep(can.status());
    keep(can.rx_status());
    let frame = frame();
    keep(can.try_send(&frame));
    keep(can.try_send_with_priority(&frame, any(TxPriority::High)));
    keep(can.send_from(any(TxBuffer::B1), &frame, any(TxPriority::Low)));
    keep(can.send(&frame));
    keep(can.abort(any(TxBuffer::B2)));
    keep(can.abort_all());
    keep(can.tx_state(any(TxBuffer::B0)));
    keep(can.try_receive());
    keep(can.read_rx_buffer(any(RxBuffer::B1)));
    keep(can.receive());
    keep(can.set_filter(any(FilterNumber::F5), Filter::standard(any(0x7FF))));
    keep(can.set_mask(any(MaskNumber::M1), Mask::standard(any(0x7FF))));
    keep(can.set_acceptance(any(Acceptance::Filtered), any(true)));
    keep(can.set_rx_pin(any(RxBuffer::B0), any(RxPinMode::Output(true))));
    keep(can.set_tx_pins([any(TxPinMode::RequestToSend); 3]));
    keep(can.tx_pin_levels());
    let mut buffer = [0u8; 16];
    let length = any(16usize);
    keep(can.read_raw(any(0), buffer.get_mut(..length).unwrap_or(&mut [])));
    keep(can.modify_raw(any(0x60), any(4), any(0)));
    keep(embedded_can::nb::Can::transmit(&mut can, &frame).is_ok());
    keep(embedded_can::nb::Can::receive(&mut can).is_ok());
    keep(embedded_can::blocking::Can::transmit(&mut can, &frame));
    keep(embedded_can::blocking::Can::receive(&mut can));
    keep(can.release_with_standby());
    keep(Mcp25625::new(Spi).release());
}

/// The async driver.
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::poll_once;
    use mcp25625::Mcp25625Async;
    poll_once(async {
        let mut can = Mcp25625Async::with_standby(Spi, Pin, any(mcp25625::StandbyLevel::Low));
        let delay = &mut Delay;
        let mut int = Pin;
        keep(can.reset(delay).await);
        keep(can.init(&config(), delay).await);
        keep(can.set_mode(any(Mode::Loopback), delay).await);
        keep(can.read_mode().await);
        keep(can.sleep(delay).await);
        keep(can.wake(any(Mode::Normal), delay).await);
        keep(can.set_transceiver_standby(any(true)));
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(any(100)));
        can.set_send_timeout(fugit::MicrosDurationU32::micros(any(100)));
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(any(100)));
        can.set_receive_method(any(ReceiveMethod::ReadRxBuffer));
        keep(can.mode());
        keep(can.bus());
        keep(can.bus_mut());
        if let Ok(timing) = BitTiming::from_cnf([any(0), any(0x90), any(0x82)]) {
            keep(can.set_bit_timing(timing).await);
        }
        keep(can.bit_timing().await);
        keep(can.set_one_shot(any(true)).await);
        keep(can.set_clock_out(any(ClockOut::StartOfFrame)).await);
        keep(can.set_wake_filter(any(true)).await);
        keep(can.set_interrupts(Interrupts::from_bits_truncate(any(0xFF))).await);
        keep(can.interrupts());
        keep(can.interrupt_flags().await);
        keep(can.clear_interrupts(Interrupts::from_bits_truncate(any(0xFF))).await);
        keep(can.error_flags().await);
        keep(can.error_counters().await);
        keep(can.service_errors().await);
        keep(can.status().await);
        keep(can.rx_status().await);
        let frame = frame();
        keep(can.try_send(&frame).await);
        keep(can.try_send_with_priority(&frame, any(TxPriority::High)).await);
        keep(can.send_from(any(TxBuffer::B1), &frame, any(TxPriority::Low)).await);
        keep(can.send(&frame).await);
        keep(can.abort(any(TxBuffer::B2)).await);
        keep(can.abort_all().await);
        keep(can.tx_state(any(TxBuffer::B0)).await);
        keep(can.try_receive().await);
        keep(can.read_rx_buffer(any(RxBuffer::B1)).await);
        keep(can.receive().await);
        keep(can.receive_on_interrupt(&mut int).await);
        keep(can.send_on_interrupt(&frame, &mut int).await);
        keep(can.wait_for_interrupt(&mut int).await);
        keep(
            can.set_filter(any(FilterNumber::F5), Filter::standard(any(0x7FF)))
                .await,
        );
        keep(can.set_mask(any(MaskNumber::M1), Mask::standard(any(0x7FF))).await);
        keep(can.set_acceptance(any(Acceptance::Filtered), any(true)).await);
        keep(can.set_rx_pin(any(RxBuffer::B0), any(RxPinMode::Output(true))).await);
        keep(can.set_tx_pins([any(TxPinMode::RequestToSend); 3]).await);
        keep(can.tx_pin_levels().await);
        let mut buffer = [0u8; 16];
        let length = any(16usize);
        keep(can.read_raw(any(0), buffer.get_mut(..length).unwrap_or(&mut [])).await);
        keep(can.modify_raw(any(0x60), any(4), any(0)).await);
        keep(can.release_with_standby());
        keep(Mcp25625Async::new(Spi).release());
    });
}
