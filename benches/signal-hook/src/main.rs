//! signal-hook baselines for `make bench`.
//!
//! bench-signal-hook latency-iter   receiver for bench-sender: `Signals` iterator
//!                                  (`forever()`, blocking on its self-pipe)
//! bench-signal-hook latency-flag   receiver: `flag::register` + `low_level::pipe`,
//!                                  main thread in poll() on the pipe
//! bench-signal-hook micro [scale]  per-signal cost of raise + dispatch, against a
//!                                  raw sigaction counter in this same process:
//!   sh_raw_raise_ns, sh_iter_raise_ns, sh_flag_raise_ns

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use signal_hook::consts::{SIGUSR1, SIGUSR2};
use signal_hook::iterator::Signals;

fn now_ns() -> i64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: ts is a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

fn env_i64(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ack(fd: i32, t: i64) {
    let b = t.to_ne_bytes();
    loop {
        // SAFETY: writes 8 bytes from a live buffer.
        let rc = unsafe { libc::write(fd, b.as_ptr().cast(), 8) };
        if rc >= 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return;
        }
    }
}

fn latency_iter() {
    let fd = env_i64("BENCH_ACK_FD", -1) as i32;
    let wanted = env_i64("BENCH_N", 1000);
    let mut signals = Signals::new([SIGUSR1]).expect("Signals::new");
    ack(fd, 0);
    let mut served = 0;
    for _ in signals.forever() {
        ack(fd, now_ns());
        served += 1;
        if served >= wanted {
            break;
        }
    }
}

fn latency_flag() {
    let fd = env_i64("BENCH_ACK_FD", -1) as i32;
    let wanted = env_i64("BENCH_N", 1000);
    let flag = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(SIGUSR1, Arc::clone(&flag)).expect("flag::register");
    let (mut r, w) = UnixStream::pair().expect("socketpair");
    r.set_nonblocking(true).expect("nonblocking");
    signal_hook::low_level::pipe::register(SIGUSR1, w).expect("pipe::register");
    ack(fd, 0);
    let mut served = 0;
    let mut buf = [0u8; 256];
    while served < wanted {
        let mut p = libc::pollfd { fd: r.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut p, 1, -1) };
        // dispatch, drain, dispatch again (as the C receivers do)
        for pass in 0..2 {
            if flag.swap(false, Ordering::SeqCst) {
                ack(fd, now_ns());
                served += 1;
            }
            if pass == 0 {
                while matches!(r.read(&mut buf), Ok(n) if n > 0) {}
            }
        }
    }
}

static RAW_COUNT: AtomicUsize = AtomicUsize::new(0);

extern "C" fn raw_handler(_: libc::c_int) {
    RAW_COUNT.fetch_add(1, Ordering::Relaxed);
}

fn best(reps: usize, n: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..reps {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(t.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn raise(sig: libc::c_int) {
    // SAFETY: raise has no memory preconditions.
    unsafe { libc::raise(sig) };
}

fn micro(scale: f64) {
    let n = (20000.0 * scale) as usize;
    // SAFETY: installs a plain counting handler for SIGUSR2 (empty mask, SA_ONSTACK).
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = raw_handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(SIGUSR2, &sa, std::ptr::null_mut());
    }
    let mut count = 0usize;
    let raw = best(15, n, || raise(SIGUSR2));
    let iter = {
        let mut signals = Signals::new([SIGUSR1]).expect("Signals::new");
        let v = best(15, n, || {
            raise(SIGUSR1);
            for _ in signals.pending() {
                count += 1;
            }
        });
        signals.handle().close();
        v
    };
    let flag = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(SIGUSR1, Arc::clone(&flag)).expect("flag::register");
    let fl = best(15, n, || {
        raise(SIGUSR1);
        if flag.swap(false, Ordering::SeqCst) {
            count += 1;
        }
    });
    assert!(count > 0 && RAW_COUNT.load(Ordering::Relaxed) > 0, "no signal was seen");
    println!("sh_raw_raise_ns {raw:.6}");
    println!("sh_iter_raise_ns {iter:.6}");
    println!("sh_flag_raise_ns {fl:.6}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("latency-iter") => latency_iter(),
        Some("latency-flag") => latency_flag(),
        Some("micro") => micro(args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1.0)),
        _ => {
            eprintln!("usage: bench-signal-hook latency-iter|latency-flag|micro [scale]");
            std::process::exit(2);
        }
    }
}
