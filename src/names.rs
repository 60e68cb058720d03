//! Signal names (Python's `Signals` enum) and the table of every module
//! constant, for bindings that cannot read C macros.

use std::ffi::{CStr, CString};
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::types::*;

/// Every SIG* name of CPython's list that Linux defines, aliases included,
/// in (value, name) order: the first name of a value is the canonical one.
const SIGNALS: &[(&CStr, i32)] = &[
    (c"SIGHUP", RS_SIGHUP),
    (c"SIGINT", RS_SIGINT),
    (c"SIGQUIT", RS_SIGQUIT),
    (c"SIGILL", RS_SIGILL),
    (c"SIGTRAP", RS_SIGTRAP),
    (c"SIGABRT", RS_SIGABRT),
    (c"SIGIOT", RS_SIGIOT),
    (c"SIGBUS", RS_SIGBUS),
    (c"SIGFPE", RS_SIGFPE),
    (c"SIGKILL", RS_SIGKILL),
    (c"SIGUSR1", RS_SIGUSR1),
    (c"SIGSEGV", RS_SIGSEGV),
    (c"SIGUSR2", RS_SIGUSR2),
    (c"SIGPIPE", RS_SIGPIPE),
    (c"SIGALRM", RS_SIGALRM),
    (c"SIGTERM", RS_SIGTERM),
    (c"SIGSTKFLT", RS_SIGSTKFLT),
    (c"SIGCHLD", RS_SIGCHLD),
    (c"SIGCLD", RS_SIGCLD),
    (c"SIGCONT", RS_SIGCONT),
    (c"SIGSTOP", RS_SIGSTOP),
    (c"SIGTSTP", RS_SIGTSTP),
    (c"SIGTTIN", RS_SIGTTIN),
    (c"SIGTTOU", RS_SIGTTOU),
    (c"SIGURG", RS_SIGURG),
    (c"SIGXCPU", RS_SIGXCPU),
    (c"SIGXFSZ", RS_SIGXFSZ),
    (c"SIGVTALRM", RS_SIGVTALRM),
    (c"SIGPROF", RS_SIGPROF),
    (c"SIGWINCH", RS_SIGWINCH),
    (c"SIGIO", RS_SIGIO),
    (c"SIGPOLL", RS_SIGPOLL),
    (c"SIGPWR", RS_SIGPWR),
    (c"SIGSYS", RS_SIGSYS),
];

/// The other constants, in the order bindings see them.
const OTHERS: &[(&CStr, i32)] = &[
    (c"NSIG", RS_NSIG),
    (c"SIG_DFL", RS_SIG_DFL),
    (c"SIG_IGN", RS_SIG_IGN),
    (c"SIG_BLOCK", RS_SIG_BLOCK),
    (c"SIG_UNBLOCK", RS_SIG_UNBLOCK),
    (c"SIG_SETMASK", RS_SIG_SETMASK),
    (c"ITIMER_REAL", RS_ITIMER_REAL),
    (c"ITIMER_VIRTUAL", RS_ITIMER_VIRTUAL),
    (c"ITIMER_PROF", RS_ITIMER_PROF),
];

/// glibc's SIGRTMIN at run time.
pub fn sigrtmin() -> i32 {
    libc::SIGRTMIN()
}

/// glibc's SIGRTMAX at run time.
pub fn sigrtmax() -> i32 {
    libc::SIGRTMAX()
}

/// "SIGRTMIN+n" for every real-time signal strictly between the two ends.
fn rt_names() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| {
        (1..(sigrtmax() - sigrtmin()))
            .map(|n| CString::new(format!("SIGRTMIN+{n}")).expect("no NUL"))
            .collect()
    })
}

/// The canonical member name of `signum` (Python's `Signals(signum).name`,
/// plus "SIGRTMIN+n" for the real-time signals between the ends).
pub fn name(signum: i32) -> Option<&'static CStr> {
    if let Some((n, _)) = SIGNALS.iter().find(|(_, v)| *v == signum) {
        return Some(n);
    }
    let (lo, hi) = (sigrtmin(), sigrtmax());
    if signum == lo {
        Some(c"SIGRTMIN")
    } else if signum == hi {
        Some(c"SIGRTMAX")
    } else if signum > lo && signum < hi {
        rt_names().get((signum - lo - 1) as usize).map(|c| c.as_c_str())
    } else {
        None
    }
}

/// Resolve any member or alias name: "SIGINT", "SIGIOT", "SIGRTMIN",
/// "SIGRTMIN+3", "SIGRTMAX-2".
pub fn from_name(name: &str) -> Result<i32> {
    let unknown = || Error::value(format!("unknown signal name '{name}'"));
    if let Some((_, v)) = SIGNALS.iter().find(|(n, _)| n.to_bytes() == name.as_bytes()) {
        return Ok(*v);
    }
    let (lo, hi) = (sigrtmin(), sigrtmax());
    let offset = |rest: &str| -> Result<i32> {
        if rest.is_empty() {
            return Ok(0);
        }
        let digits = rest.get(1..).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        digits.and_then(|d| d.parse::<i32>().ok()).ok_or_else(unknown)
    };
    let value = if let Some(rest) = name.strip_prefix("SIGRTMIN") {
        if !(rest.is_empty() || rest.starts_with('+')) {
            return Err(unknown());
        }
        lo.checked_add(offset(rest)?)
    } else if let Some(rest) = name.strip_prefix("SIGRTMAX") {
        if !(rest.is_empty() || rest.starts_with('-')) {
            return Err(unknown());
        }
        hi.checked_sub(offset(rest)?)
    } else {
        return Err(unknown());
    };
    value.filter(|v| (lo..=hi).contains(v)).ok_or_else(unknown)
}

/// Every module constant: NSIG, handlers, sigmasks, itimers, then every
/// signal name with its aliases, then SIGRTMIN and SIGRTMAX (run-time values).
pub fn constants() -> &'static [(&'static CStr, i32)] {
    static ALL: OnceLock<Vec<(&'static CStr, i32)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<(&'static CStr, i32)> = OTHERS.to_vec();
        v.extend_from_slice(SIGNALS);
        v.push((c"SIGRTMIN", sigrtmin()));
        v.push((c"SIGRTMAX", sigrtmax()));
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_follow_python_enum_aliasing() {
        assert_eq!(name(6), Some(c"SIGABRT"));
        assert_eq!(name(17), Some(c"SIGCHLD"));
        assert_eq!(name(29), Some(c"SIGIO"));
        assert_eq!(name(sigrtmin()), Some(c"SIGRTMIN"));
        assert_eq!(name(sigrtmax()), Some(c"SIGRTMAX"));
        assert_eq!(name(sigrtmin() + 1), Some(c"SIGRTMIN+1"));
        assert_eq!(name(32), None);
        assert_eq!(name(0), None);
        assert_eq!(name(65), None);
    }

    #[test]
    fn every_name_resolves() {
        for (n, v) in constants()
            .iter()
            .filter(|(n, _)| n.to_bytes().starts_with(b"SIG") && !n.to_bytes().starts_with(b"SIG_"))
        {
            assert_eq!(from_name(n.to_str().unwrap()).unwrap(), *v, "{n:?}");
        }
        for s in sigrtmin()..=sigrtmax() {
            let n = name(s).unwrap().to_str().unwrap();
            assert_eq!(from_name(n).unwrap(), s);
        }
        assert_eq!(from_name("SIGRTMAX-1").unwrap(), sigrtmax() - 1);
        for bad in ["", "SIGFOO", "SIGRTMIN+", "SIGRTMIN+99", "SIGRTMIN-1", "SIGRTMAX+1", "sigint", "SIG_DFL"]
        {
            assert_eq!(from_name(bad).unwrap_err().status, RS_SIGNAL_EVALUE, "{bad:?}");
        }
    }

    #[test]
    fn constants_are_below_nsig() {
        for (n, v) in constants() {
            if n.to_bytes() != b"NSIG" {
                assert!(*v >= 0 && *v < RS_NSIG, "{n:?} = {v}");
            }
        }
    }
}
