//! Behaviour against the register model: what the outputs do, not only which bytes crossed the bus.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg(feature = "sim")]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use embedded_hal::i2c::I2c as _;
    use fugit::{ExtU32, RateExtU32};
    use pca9685::sim::{FaultPoint, FaultyBus, Output, Pca9685Sim};
    use pca9685::{Oscillator, Pca9685};

    fn chip() -> Pca9685Sim {
        Pca9685Sim::new(Address::DEFAULT)
    }

    pub async fn the_chip_boots_asleep_with_every_output_off() {
        let sim = chip();
        assert!(sim.is_sleeping());
        assert!(Channel::ALL.iter().all(|c| sim.output(*c).duty == 0));
        assert_eq!(sim.frequency_mhz(), 196_888);
        // nothing lights up until the chip is woken
        let mut pca = Pca9685::new(sim, Address::DEFAULT);
        pca.set_duty_cycle(Channel::C0, 2048).await.unwrap();
        assert_eq!(pca.release().output(Channel::C0).duty, 0);
    }

    pub async fn frequency_wake_and_duty() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_duty_cycle_with_phase(Channel::C5, 1000, 4000).await.unwrap();
        pca.set_pulse_width(Channel::C0, 1500.micros()).await.unwrap();
        let sim = pca.release();
        assert_eq!(sim.frequency_mhz(), 50_029);
        assert_eq!(
            sim.output(Channel::C5),
            Output {
                duty: 1000,
                phase: 4000
            }
        );
        assert_eq!(sim.output(Channel::C0).duty, 307);
        assert_eq!(sim.test_mode_writes(), 0);
    }

    pub async fn a_new_frequency_on_a_running_chip_keeps_the_outputs_running() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_duty_cycle(Channel::C1, 3000).await.unwrap();
        pca.set_frequency(1000.Hz(), &mut NoopDelay).await.unwrap();
        let sim = pca.release();
        assert!(!sim.is_sleeping());
        assert_eq!(sim.frequency_mhz(), 1_017_253);
        assert_eq!(sim.output(Channel::C1).duty, 3000);
    }

    pub async fn a_driver_started_after_an_mcu_reset_still_changes_the_frequency() {
        // an earlier firmware left the chip running; this driver starts with an empty cache
        let mut first = Pca9685::new(chip(), Address::DEFAULT);
        first.wake(&mut NoopDelay).await.unwrap();
        first.set_duty_cycle(Channel::C2, 100).await.unwrap();
        let mut pca = Pca9685::new(first.release(), Address::DEFAULT);
        pca.set_frequency(60.Hz(), &mut NoopDelay).await.unwrap();
        let sim = pca.release();
        assert_eq!(sim.register(0xFE), 0x65);
        assert_eq!(sim.output(Channel::C2).duty, 100);
    }

    pub async fn sleep_then_restart_resumes_the_old_settings() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_duty_cycle(Channel::C3, 512).await.unwrap();
        pca.sleep().await.unwrap();
        assert!(pca.read_mode1().await.unwrap().restart_pending());
        assert_eq!(pca.restart(&mut NoopDelay).await, Ok(true));
        assert_eq!(pca.restart(&mut NoopDelay).await, Ok(false));
        assert_eq!(pca.release().output(Channel::C3).duty, 512);
    }

    pub async fn all_led_fans_out_and_reads_zero() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_all(ChannelSetting::from_duty(1234, 0).unwrap()).await.unwrap();
        let channels = pca.channels().await.unwrap();
        assert!(channels.iter().all(|c| c.duty() == 1234));
        pca.all_off().await.unwrap();
        let sim = pca.release();
        assert!(Channel::ALL.iter().all(|c| sim.output(*c).duty == 0));
        assert_eq!(sim.register(0xFA), 0);
    }

    pub async fn full_off_wins_over_full_on() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_channel_full_on(Channel::C4, 0).await.unwrap();
        pca.set_channel_full_off(Channel::C4).await.unwrap();
        assert_eq!(pca.channel(Channel::C4).await, Ok(ChannelSetting::FullOff));
        let mut sim = pca.release();
        assert_eq!(sim.output(Channel::C4).duty, 0);
        assert_eq!(sim.register(0x17) & 0x10, 0x10);
        let mut pca = Pca9685::new(sim, Address::DEFAULT);
        pca.set_channel_full_on(Channel::C4, 7).await.unwrap();
        sim = pca.release();
        assert_eq!(sim.output(Channel::C4), Output { duty: 4096, phase: 7 });
    }

    pub async fn external_clock_is_sticky_until_software_reset() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::External(40.MHz())).await.unwrap();
        pca.set_frequency(500.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        assert!(pca.read_mode1().await.unwrap().external_clock());
        let mut sim = pca.release();
        sim.set_external_clock(40.MHz());
        // 40 MHz / (4096 * 500) = 19.53 -> 20 - 1 = 19: 40e6 / (4096 * 20) = 488.281 Hz
        assert_eq!(sim.frequency_mhz(), 488_281);
        // writing 0 to EXTCLK does nothing
        sim.write(0x40, &[0x00, 0x11]).unwrap();
        assert_eq!(sim.register(0x00) & 0x40, 0x40);
        let mut pca = Pca9685::new(sim, Address::DEFAULT);
        pca.software_reset().await.unwrap();
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        let sim = pca.release();
        assert_eq!(sim.register(0x00), 0x11);
        assert_eq!(sim.software_resets(), 1);
    }

    pub async fn all_call_reaches_the_chip_until_disabled() {
        let mut group = Pca9685::new(chip(), Address::raw(0x70).unwrap());
        group.wake(&mut NoopDelay).await.unwrap();
        group.set_duty_cycle(Channel::C0, 100).await.unwrap();
        let mut pca = Pca9685::new(group.release(), Address::DEFAULT);
        pca.enable_all_call(false).await.unwrap();
        pca.set_sub_address(pca9685::SubAddress::Two, Address::raw(0x55).unwrap())
            .await
            .unwrap();
        pca.enable_sub_address(pca9685::SubAddress::Two, true).await.unwrap();
        let mut group = Pca9685::new(pca.release(), Address::raw(0x70).unwrap());
        assert!(group.all_off().await.unwrap_err().is_nack());
        let mut sub = Pca9685::new(group.release(), Address::raw(0x55).unwrap());
        sub.all_off().await.unwrap();
        assert_eq!(sub.release().output(Channel::C0).duty, 0);
    }

    pub async fn resync_after_someone_else_changed_the_chip() {
        let mut pca = Pca9685::new(chip(), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        let mut sim = pca.release();
        sim.poke(0x01, 0x10); // another master: inverted, open drain
        let mut pca = Pca9685::new(sim, Address::DEFAULT);
        pca.resync().await.unwrap();
        pca.set_output_change(pca9685::OutputChange::OnAck).await.unwrap();
        assert_eq!(pca.release().register(0x01), 0x18);
    }

    pub async fn every_operation_reports_a_nack_from_an_absent_chip() {
        let mut pca = Pca9685::new(chip(), Address::raw(0x41).unwrap());
        let d = &mut NoopDelay;
        let c = Channel::C1;
        let s = ChannelSetting::FullOn { delay: 0 };
        let a = Address::DEFAULT;
        let sub = pca9685::SubAddress::One;
        let results = [
            pca.read_mode1().await.map(drop),
            pca.output_config().await.map(drop),
            pca.prescale().await.map(drop),
            pca.resync().await,
            pca.sleep().await,
            pca.wake(d).await,
            pca.restart(d).await.map(drop),
            pca.set_oscillator(Oscillator::External(10.MHz())).await,
            pca.set_frequency(50.Hz(), d).await.map(drop),
            pca.set_prescale(30, d).await,
            pca.frequency().await.map(drop),
            pca.period().await.map(drop),
            pca.set_channel(c, s).await,
            pca.set_channel_on_off(c, 1, 2).await,
            pca.set_channel_full_on(c, 0).await,
            pca.set_channel_full_off(c).await,
            pca.set_duty_cycle(c, 5).await,
            pca.set_duty_cycle_with_phase(c, 5, 5).await,
            pca.set_pulse_width(c, 1000.micros()).await.map(drop),
            pca.set_channels(c, &[s]).await,
            pca.set_all_channels(&[s; 16]).await,
            pca.set_all(s).await,
            pca.all_off().await,
            pca.channel(c).await.map(drop),
            pca.channels().await.map(drop),
            pca.set_auto_increment(true).await,
            pca.set_output_config(pca9685::OutputConfig::default()).await,
            pca.set_output_invert(true).await,
            pca.set_output_change(pca9685::OutputChange::OnAck).await,
            pca.set_output_driver(pca9685::OutputDriver::OpenDrain).await,
            pca.set_disabled_output(pca9685::DisabledOutput::Low).await,
            pca.set_sub_address(sub, a).await,
            pca.sub_address(sub).await.map(drop),
            pca.enable_sub_address(sub, true).await,
            pca.set_all_call_address(a).await,
            pca.all_call_address().await.map(drop),
            pca.enable_all_call(false).await,
        ];
        for (n, result) in results.iter().enumerate() {
            assert!(result.unwrap_err().is_nack(), "operation {n}");
        }
        // the general call reaches every PCA9685, whatever the driver's own address
        assert_eq!(pca.software_reset().await, Ok(()));
    }

    pub async fn a_failed_write_is_reported_and_a_retry_lands() {
        let mut pca = Pca9685::new(FaultyBus::new(chip()), Address::DEFAULT);
        pca.wake(&mut NoopDelay).await.unwrap();
        // the chip never saw it: nothing changed
        pca.bus_mut().fail_nth(0, FaultPoint::BeforeChip);
        assert!(pca.set_duty_cycle(Channel::C0, 1000).await.is_err());
        assert_eq!(pca.bus().inner().output(Channel::C0).duty, 0);
        // the chip took the first transaction, the host saw an error; called again, the call lands
        pca.bus_mut().fail_nth(0, FaultPoint::AfterChip);
        assert!(pca.set_duty_cycle(Channel::C1, 2000).await.is_err());
        pca.set_duty_cycle(Channel::C1, 2000).await.unwrap();
        assert_eq!(pca.bus().inner().output(Channel::C1).duty, 2000);
        // a MODE1 read-modify-write cut part-way, then called again: one call's worth of change
        pca.bus_mut().fail_nth(0, FaultPoint::Partway(1));
        assert!(pca.set_output_invert(true).await.is_err());
        pca.set_output_invert(true).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 1000).await.unwrap();
        let bus = pca.release();
        assert_eq!(bus.faults(), 3);
        assert_eq!(bus.inner().output(Channel::C0).duty, 1000);
        assert_eq!(bus.inner().register(0x01) & 0x10, 0x10);
    }

    // On the model directly (no driver), through the blocking I2C trait.
    pub async fn prescale_writes_are_ignored_while_awake() {
        let mut sim = Pca9685Sim::new(Address::DEFAULT);
        sim.write(ADDR, &[0x00, 0x01]).unwrap(); // wake
        sim.write(ADDR, &[0xFE, 0x79]).unwrap(); // what a naive driver does
        assert_eq!(sim.register(0xFE), 0x1E);
        sim.write(ADDR, &[0x00, 0x11]).unwrap();
        sim.write(ADDR, &[0xFE, 0x01]).unwrap(); // below the minimum: forced to 3
        assert_eq!(sim.register(0xFE), 0x03);
    }

    pub async fn general_call_other_than_swrst_is_refused() {
        let mut sim = Pca9685Sim::new(Address::DEFAULT);
        assert!(sim.write(0x00, &[0x06, 0x00]).is_err());
        assert!(sim.write(0x00, &[0x07]).is_err());
        assert_eq!(sim.software_resets(), 0);
    }

    pub async fn outputs_take_new_values_at_stop_or_once_all_four_registers_were_written() {
        let mut sim = Pca9685Sim::new(Address::DEFAULT);
        let c0 = Channel::C0;
        sim.write(ADDR, &[0x00, 0x21]).unwrap(); // awake, AI
                                                 // OCH = 0: every register written in a transaction reaches the output at its STOP, even one alone
        sim.write(ADDR, &[0x06, 0x00, 0x00, 0x00, 0x08]).unwrap();
        assert_eq!(sim.output(c0), Output { duty: 2048, phase: 0 });
        sim.write(ADDR, &[0x07, 0x08]).unwrap();
        assert_eq!(sim.output(c0), Output { duty: 0, phase: 0 }); // ON == OFF
        assert!(!sim.pending_update(c0));
        // OCH = 1: only once all four registers of the channel were written
        sim.write(ADDR, &[0x01, 0x0C]).unwrap();
        sim.write(ADDR, &[0x06, 0x00, 0x00, 0x00, 0x04]).unwrap();
        assert_eq!(sim.output(c0), Output { duty: 1024, phase: 0 });
        sim.write(ADDR, &[0x09, 0x10]).unwrap();
        assert!(sim.pending_update(c0));
        assert_eq!(sim.output(c0), Output { duty: 1024, phase: 0 });
        assert_eq!(sim.register(0x09), 0x10);
        sim.write(ADDR, &[0x06, 0x00, 0x00]).unwrap();
        sim.write(ADDR, &[0x08, 0x00]).unwrap();
        assert!(!sim.pending_update(c0));
        assert_eq!(sim.output(c0).duty, 0);
        // ALL_LED counts for every channel
        sim.write(ADDR, &[0xFA, 0x00, 0x00, 0x00, 0x02]).unwrap();
        assert_eq!(sim.output(Channel::C15), Output { duty: 512, phase: 0 });
        sim.write(ADDR, &[0xFD, 0x10]).unwrap();
        assert!(sim.pending_update(Channel::C15));
        assert_eq!(sim.output(Channel::C15), Output { duty: 512, phase: 0 });
        // back to OCH = 0: what is pending reaches the outputs at the next STOP
        sim.write(ADDR, &[0x01, 0x04]).unwrap();
        assert!(!sim.pending_update(Channel::C15));
        assert_eq!(sim.output(Channel::C15).duty, 0);
    }

    pub async fn restart_is_a_command_bit_cleared_by_a_pwm_write() {
        let mut sim = Pca9685Sim::new(Address::DEFAULT);
        let c0 = Channel::C0;
        sim.write(ADDR, &[0x00, 0x21]).unwrap();
        sim.write(ADDR, &[0x06, 0x00, 0x00, 0x00, 0x08]).unwrap();
        sim.write(ADDR, &[0x00, 0x31]).unwrap(); // sleep with PWM running
        assert!(sim.restart_pending());
        sim.write(ADDR, &[0x00, 0x21]).unwrap(); // wake: still halted
        assert!(sim.restart_pending());
        assert_eq!(sim.output(c0).duty, 0);
        sim.write(ADDR, &[0x00, 0x21]).unwrap(); // writing 0 to RESTART does nothing
        assert!(sim.restart_pending());
        sim.write(ADDR, &[0x00, 0xA1]).unwrap(); // writing 1 restarts and clears it
        assert!(!sim.restart_pending());
        assert_eq!(sim.output(c0).duty, 2048);
        sim.write(ADDR, &[0x00, 0x31]).unwrap();
        sim.write(ADDR, &[0x00, 0x21]).unwrap();
        sim.write(ADDR, &[0x0A, 0x00, 0x00, 0x00, 0x04]).unwrap(); // a PWM write (OCH = 0) clears it too
        assert!(!sim.restart_pending());
        assert_eq!(sim.output(c0).duty, 2048);
    }
}

both!(
    the_chip_boots_asleep_with_every_output_off,
    frequency_wake_and_duty,
    a_new_frequency_on_a_running_chip_keeps_the_outputs_running,
    a_driver_started_after_an_mcu_reset_still_changes_the_frequency,
    sleep_then_restart_resumes_the_old_settings,
    all_led_fans_out_and_reads_zero,
    full_off_wins_over_full_on,
    external_clock_is_sticky_until_software_reset,
    all_call_reaches_the_chip_until_disabled,
    resync_after_someone_else_changed_the_chip,
    every_operation_reports_a_nack_from_an_absent_chip,
    a_failed_write_is_reported_and_a_retry_lands,
    prescale_writes_are_ignored_while_awake,
    general_call_other_than_swrst_is_refused,
    outputs_take_new_values_at_stop_or_once_all_four_registers_were_written,
    restart_is_a_command_bit_cleared_by_a_pwm_write,
);
