//! Generates the C header with cbindgen and gives the shared library its soname.
//!
//! The header is written to `$OUT_DIR/rssignal.h` on every build; the
//! checked-in `include/rssignal.h` is rewritten only when
//! `RSSIGNAL_WRITE_HEADER=1` (`make header`), and a test fails when the two
//! differ. Nothing else in the source tree is touched, so `cargo package`
//! verification keeps working.

use std::env;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let major: u32 = env::var("CARGO_PKG_VERSION_MAJOR").unwrap().parse().unwrap();
    let minor: u32 = env::var("CARGO_PKG_VERSION_MINOR").unwrap().parse().unwrap();
    let patch = env::var("CARGO_PKG_VERSION_PATCH").unwrap();
    let version = env::var("CARGO_PKG_VERSION").unwrap();

    // soname policy: librssignal.so.<major>. While at 0.x, a
    // release that breaks the ABI bumps the major version to 1.
    let sover = major.to_string();
    match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        // macOS: the install name carries the major version, found through the rpath.
        Ok("macos") | Ok("ios") => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/librssignal.{sover}.dylib")
        }
        // Windows: rssignal.dll with its import library; no soname.
        Ok("windows") => {}
        _ => println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librssignal.so.{sover}"),
    }
    println!("cargo:sover={sover}");

    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=RSSIGNAL_WRITE_HEADER");

    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n#define RSSIGNAL_VERSION_MAJOR {major}\n#define RSSIGNAL_VERSION_MINOR {minor}\n\
         #define RSSIGNAL_VERSION_PATCH {patch}\n#define RSSIGNAL_VERSION_STRING \"{version}\"\n\
         #define RSSIGNAL_SOVERSION \"{sover}\"\n{}\n{}",
        config.after_includes.clone().unwrap_or_default(),
        platform_constants()
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut text = Vec::new();
    bindings.write(&mut text);
    let text = parenthesize_negative_macros(&String::from_utf8(text).expect("UTF-8 header"));
    let guard_end = "#endif  /* RSSIGNAL_H */";
    assert!(text.contains(guard_end), "cbindgen's include guard changed");
    let text = text.replace(guard_end, &format!("{INLINE_FAST_PATH}\n{guard_end}"));
    std::fs::write(out.join("rssignal.h"), &text).unwrap();

    if env::var("RSSIGNAL_WRITE_HEADER").as_deref() == Ok("1") {
        std::fs::create_dir_all(dir.join("include")).unwrap();
        std::fs::write(dir.join("include").join("rssignal.h"), &text).unwrap();
    }
}

/// CPython's signal names (signal_add_constants), each with its meaning.
/// The header defines `RS_<name>` from `<signal.h>`'s own macro wherever the
/// platform has that signal, so the one checked-in header is right on every
/// platform; a name the platform lacks has no `RS_` macro there.
const SIGNAL_NAMES: &[(&str, &str)] = &[
    ("SIGHUP", "Hangup."),
    ("SIGINT", "Interrupt (Ctrl-C)."),
    ("SIGBREAK", "Ctrl-Break (Windows)."),
    ("SIGQUIT", "Quit."),
    ("SIGILL", "Illegal instruction."),
    ("SIGTRAP", "Trace/breakpoint trap."),
    ("SIGABRT", "Aborted."),
    ("SIGIOT", "Alias of RS_SIGABRT."),
    ("SIGEMT", "Emulator trap (BSD, macOS)."),
    ("SIGBUS", "Bus error."),
    ("SIGFPE", "Floating-point exception."),
    ("SIGKILL", "Killed (cannot be caught, blocked or ignored)."),
    ("SIGUSR1", "User-defined signal 1."),
    ("SIGSEGV", "Segmentation fault."),
    ("SIGUSR2", "User-defined signal 2."),
    ("SIGPIPE", "Broken pipe."),
    ("SIGALRM", "Alarm clock."),
    ("SIGTERM", "Terminated."),
    ("SIGSTKFLT", "Stack fault (Linux)."),
    ("SIGCHLD", "Child exited."),
    ("SIGCLD", "Alias of RS_SIGCHLD."),
    ("SIGCONT", "Continued."),
    ("SIGSTOP", "Stopped (cannot be caught, blocked or ignored)."),
    ("SIGTSTP", "Stopped from the terminal."),
    ("SIGTTIN", "Stopped (tty input)."),
    ("SIGTTOU", "Stopped (tty output)."),
    ("SIGURG", "Urgent I/O condition."),
    ("SIGXCPU", "CPU time limit exceeded."),
    ("SIGXFSZ", "File size limit exceeded."),
    ("SIGVTALRM", "Virtual timer expired."),
    ("SIGPROF", "Profiling timer expired."),
    ("SIGWINCH", "Window changed."),
    ("SIGIO", "I/O possible."),
    ("SIGPOLL", "Alias of RS_SIGIO (Linux)."),
    ("SIGPWR", "Power failure (Linux)."),
    ("SIGINFO", "Status request from the terminal (BSD, macOS)."),
    ("SIGSYS", "Bad system call."),
];

/// The platform's constants. Values come from the platform's headers; where
/// a strict C mode (`-std=c99` without `_POSIX_C_SOURCE`) hides a POSIX macro
/// (`SIG_BLOCK` on glibc, `NSIG`), the platform's value is spelled out per OS.
fn platform_constants() -> String {
    let mut s = String::from(
        r#"#include <signal.h>
#if !defined(_WIN32)
#include <sys/time.h>
#endif

/* ---- the platform's constants (from <signal.h> and <sys/time.h>) ---- */

/**
 * One more than the largest signal number: valid signals are 1..RS_NSIG-1
 * (65 on Linux, 32 on macOS, 128 on FreeBSD where CPython counts signals up
 * to _SIG_MAXSIG, 23 on Windows).
 */
#if defined(__linux__)
#define RS_NSIG 65
#elif defined(__APPLE__)
#define RS_NSIG 32
#elif defined(__FreeBSD__)
#define RS_NSIG 128
#elif defined(_WIN32)
#define RS_NSIG 23
#elif defined(NSIG)
#define RS_NSIG NSIG
#endif

"#,
    );
    for (name, doc) in SIGNAL_NAMES {
        s.push_str(&format!(
            "/** {doc} */
#if defined({name})
#define RS_{name} {name}
#endif
"
        ));
    }
    s.push_str(
        r#"
/**
 * The C library's SIGRTMIN when the library was built (glibc 34, musl 35,
 * FreeBSD 65); call rs_signal_sigrtmin() at run time. Not defined where
 * there are no real-time signals (macOS, Windows).
 */
#if defined(__linux__) && defined(__GLIBC__)
#define RS_SIGRTMIN 34
#define RS_SIGRTMAX 64
#elif defined(__linux__)
#define RS_SIGRTMIN 35
#define RS_SIGRTMAX 64
#elif defined(__FreeBSD__)
#define RS_SIGRTMIN 65
#define RS_SIGRTMAX 126
#endif

/** pthread_sigmask `how` (Python's Sigmasks): add the set to the mask. */
#if defined(SIG_BLOCK)
#define RS_SIG_BLOCK SIG_BLOCK
#define RS_SIG_UNBLOCK SIG_UNBLOCK
#define RS_SIG_SETMASK SIG_SETMASK
#elif defined(__linux__)
#define RS_SIG_BLOCK 0
#define RS_SIG_UNBLOCK 1
#define RS_SIG_SETMASK 2
#elif defined(__APPLE__) || defined(__FreeBSD__)
#define RS_SIG_BLOCK 1
#define RS_SIG_UNBLOCK 2
#define RS_SIG_SETMASK 3
#endif

/** Interval timers: real time (SIGALRM), user CPU (SIGVTALRM), user+system CPU (SIGPROF). */
#if defined(ITIMER_REAL)
#define RS_ITIMER_REAL ITIMER_REAL
#define RS_ITIMER_VIRTUAL ITIMER_VIRTUAL
#define RS_ITIMER_PROF ITIMER_PROF
#endif

/** Windows console events for GenerateConsoleCtrlEvent (Python's CTRL_C_EVENT, CTRL_BREAK_EVENT). */
#if defined(_WIN32)
#define RS_CTRL_C_EVENT 0
#define RS_CTRL_BREAK_EVENT 1
#endif
"#,
    );
    s
}

/// Hand-written C appended inside the include guard: the inline check fast
/// path, which reads the exported pending word (cbindgen cannot express
/// either piece).
const INLINE_FAST_PATH: &str = r#"#ifdef __cplusplus
extern "C" {
#endif

/**
 * Non-zero while a signal may be waiting for a dispatch point. Read-only:
 * maintained by the library's signal handler and dispatcher. Use it through
 * rs_signal_check_inline().
 */
extern const volatile uint32_t rs_signal_pending_word;

/**
 * rs_signal_check() for hot loops: when nothing is pending it costs one load
 * and no call; otherwise it calls rs_signal_check() and returns its result.
 */
static inline int rs_signal_check_inline(void) {
#if defined(__GNUC__) || defined(__clang__)
    if (__builtin_expect(rs_signal_pending_word == 0, 1)) {
#else
    if (rs_signal_pending_word == 0) {
#endif
        return RS_SIGNAL_OK;
    }
    return rs_signal_check();
}

#ifdef __cplusplus
}
#endif"#;

/// `#define X -1` → `#define X (-1)`, so `a-X` and `-X` expand safely.
fn parenthesize_negative_macros(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 64);
    for line in header.lines() {
        let mut parts = line.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("#define"), Some(name), Some(value))
                if value.starts_with('-') && value[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                out.push_str(&format!("#define {name} ({value})"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
