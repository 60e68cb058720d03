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

    // soname policy (API.md §1): librssignal.so.<major>. While at 0.x, a
    // release that breaks the ABI bumps the major version to 1.
    let sover = major.to_string();
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librssignal.so.{sover}");
    println!("cargo:sover={sover}");

    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=RSSIGNAL_WRITE_HEADER");

    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n#define RSSIGNAL_VERSION_MAJOR {major}\n#define RSSIGNAL_VERSION_MINOR {minor}\n\
         #define RSSIGNAL_VERSION_PATCH {patch}\n#define RSSIGNAL_VERSION_STRING \"{version}\"\n\
         #define RSSIGNAL_SOVERSION \"{sover}\"\n{}",
        config.after_includes.clone().unwrap_or_default()
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
