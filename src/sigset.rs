//! `rs_sigset`: plain 128-bit signal sets, and their conversion to and from
//! the OS `sigset_t`.

use crate::error::{Error, Result};
use crate::report::{report, Report};
use crate::sys::{self, OsSet, NSIG};
use crate::types::*;

/// "signal number N out of range [1; NSIG-1]" (Python's set converter).
pub fn range_error(signum: i64) -> Error {
    let shown = i32::try_from(signum).unwrap_or(-1);
    Error::value(format!("signal number {shown} out of range [1; {}]", NSIG - 1)).with_signum(shown)
}

fn check(signum: i32) -> Result<()> {
    if signum <= 0 || signum >= NSIG {
        return Err(range_error(signum as i64));
    }
    Ok(())
}

impl rs_sigset {
    pub fn new() -> rs_sigset {
        rs_sigset::default()
    }

    /// Add a signal in 1..NSIG-1.
    pub fn add(&mut self, signum: i32) -> Result<()> {
        check(signum)?;
        self.bits[(signum / 64) as usize] |= 1u64 << (signum % 64);
        Ok(())
    }

    pub fn del(&mut self, signum: i32) -> Result<()> {
        check(signum)?;
        self.bits[(signum / 64) as usize] &= !(1u64 << (signum % 64));
        Ok(())
    }

    pub fn contains(&self, signum: i32) -> Result<bool> {
        check(signum)?;
        Ok(self.bits[(signum / 64) as usize] & (1u64 << (signum % 64)) != 0)
    }

    /// Number of members (bit 0 is not counted).
    pub fn count(&self) -> i32 {
        ((self.bits[0] & !1).count_ones() + self.bits[1].count_ones()) as i32
    }

    /// The smallest member greater than `after`, or 0.
    pub fn next(&self, after: i32) -> i32 {
        let start = after.saturating_add(1).max(1);
        for n in start..128 {
            if self.bits[(n / 64) as usize] & (1u64 << (n % 64)) != 0 {
                return n;
            }
        }
        0
    }

    pub fn iter(&self) -> impl Iterator<Item = i32> + '_ {
        let mut cur = 0;
        std::iter::from_fn(move || {
            cur = self.next(cur);
            (cur != 0).then_some(cur)
        })
    }

    pub fn from_slice(signums: &[i32]) -> Result<rs_sigset> {
        let mut s = rs_sigset::new();
        for &n in signums {
            s.add(n)?;
        }
        Ok(s)
    }

    /// Convert for the OS, as CPython's `_Py_Sigset_Converter`: bit 0 or a bit
    /// at or above NSIG is an error (before any system call); a signal the OS
    /// refuses (glibc's 32 and 33) is skipped with a warning through the
    /// unraisable hook.
    pub(crate) fn to_os(self) -> Result<OsSet> {
        if self.bits[0] & 1 != 0 {
            return Err(range_error(0));
        }
        if let Some(bad) = (NSIG..128).find(|&n| self.bits[(n / 64) as usize] & (1u64 << (n % 64)) != 0) {
            return Err(range_error(bad as i64));
        }
        let mut set = OsSet::empty();
        for n in self.iter() {
            if let Err(errno) = set.add(n) {
                if errno != sys::EINVAL {
                    return Err(Error::os(errno).with_signum(n));
                }
                report(&Report {
                    status: RS_SIGNAL_EVALUE,
                    os_errno: 0,
                    signum: n,
                    message: format!("RuntimeWarning: invalid signal number {n}, please use valid_signals()"),
                });
            }
        }
        Ok(set)
    }

    /// The members 1..NSIG-1 of an OS set.
    pub(crate) fn from_os(set: &OsSet) -> rs_sigset {
        let mut s = rs_sigset::new();
        for n in (1..NSIG).filter(|&n| set.contains(n)) {
            s.bits[(n / 64) as usize] |= 1u64 << (n % 64);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_del_contains_count_next() {
        let mut s = rs_sigset::new();
        s.add(2).unwrap();
        s.add(31).unwrap();
        s.add(10).unwrap();
        assert_eq!(s.count(), 3);
        assert!(s.contains(31).unwrap());
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![2, 10, 31]);
        assert_eq!(s.next(31), 0);
        s.del(10).unwrap();
        assert!(!s.contains(10).unwrap());
        assert_eq!(s.count(), 2);
    }

    #[test]
    fn range_errors_use_cpython_wording() {
        let mut s = rs_sigset::new();
        let top = NSIG - 1;
        for bad in [0, -3, NSIG, 4242] {
            let e = s.add(bad).unwrap_err();
            assert_eq!(e.status, RS_SIGNAL_EVALUE);
            assert_eq!(e.message, format!("signal number {bad} out of range [1; {top}]"));
        }
        assert_eq!(range_error(1 << 40).message, format!("signal number -1 out of range [1; {top}]"));
        assert_eq!(s, rs_sigset::new(), "a failed add changes nothing");
    }

    #[test]
    #[cfg_attr(miri, ignore = "converts through the C library's sigset_t functions")]
    fn os_conversion_rejects_bit_zero_and_high_bits() {
        let top = NSIG - 1;
        let s = rs_sigset { bits: [1, 0] };
        assert_eq!(s.to_os().unwrap_err().message, format!("signal number 0 out of range [1; {top}]"));
        let s = rs_sigset { bits: [0, 1 << 63] };
        assert_eq!(s.to_os().unwrap_err().message, format!("signal number 127 out of range [1; {top}]"));
        let s = rs_sigset::from_slice(&[1, 15, top]).unwrap();
        assert_eq!(rs_sigset::from_os(&s.to_os().unwrap()), s);
    }
}
