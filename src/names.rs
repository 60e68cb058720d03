//! Signal names (Python's `Signals` enum) and the table of every module
//! constant, for bindings that cannot read C macros.

use std::ffi::{CStr, CString};
use std::sync::OnceLock;

use crate::error::{Error, Result};

use crate::sys::{self, SIGNALS};

/// The C library's SIGRTMIN at run time; 0 where there are no real-time signals.
pub fn sigrtmin() -> i32 {
    sys::sigrtmin().unwrap_or(0)
}

/// The C library's SIGRTMAX at run time; 0 where there are no real-time signals.
pub fn sigrtmax() -> i32 {
    sys::sigrtmax().unwrap_or(0)
}

/// "SIGRTMIN+n" for every real-time signal strictly between the two ends.
fn rt_names() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| {
        (1..(sigrtmax() - sigrtmin()).max(1))
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
    if lo == 0 {
        None
    } else if signum == lo {
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
    if lo == 0 {
        return Err(unknown());
    }
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
        let mut v: Vec<(&'static CStr, i32)> = sys::OTHER_CONSTANTS.to_vec();
        v.extend_from_slice(SIGNALS);
        if let (Some(lo), Some(hi)) = (sys::sigrtmin(), sys::sigrtmax()) {
            v.push((c"SIGRTMIN", lo));
            v.push((c"SIGRTMAX", hi));
        }
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RS_SIGNAL_EVALUE;

    #[test]
    fn canonical_names_follow_python_enum_aliasing() {
        assert_eq!(name(libc::SIGABRT), Some(c"SIGABRT"));
        assert_eq!(name(libc::SIGCHLD), Some(c"SIGCHLD"));
        assert_eq!(name(libc::SIGIO), Some(c"SIGIO"));
        assert_eq!(name(sigrtmin()), Some(c"SIGRTMIN"));
        assert_eq!(name(sigrtmax()), Some(c"SIGRTMAX"));
        assert_eq!(name(sigrtmin() + 1), Some(c"SIGRTMIN+1"));
        assert_eq!(name(0), None);
        assert_eq!(name(sys::NSIG), None);
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
                assert!(*v >= 0 && *v < sys::NSIG, "{n:?} = {v}");
            }
        }
    }
}
