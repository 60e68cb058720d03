//! Errors: the Rust error type of the module functions, the calling thread's
//! last error, and status names.

use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::fmt;

use crate::types::*;

/// What an error says; reached through [`Error`] by `Deref`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    pub status: i32,
    pub os_errno: i32,
    pub signum: i32,
    pub handler_result: i32,
    pub message: String,
}

/// An error as the module functions report it; the FFI layer stores it as
/// the calling thread's last error and returns `status`. Boxed, so that a
/// `Result` on the dispatch path is one word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<ErrorInfo>);

impl std::ops::Deref for Error {
    type Target = ErrorInfo;
    fn deref(&self) -> &ErrorInfo {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorInfo {
        &mut self.0
    }
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(status: i32, message: impl Into<String>) -> Error {
        Error(Box::new(ErrorInfo {
            status,
            os_errno: 0,
            signum: 0,
            handler_result: 0,
            message: message.into(),
        }))
    }
    /// Python's `ValueError`.
    pub fn value(message: impl Into<String>) -> Error {
        Error::new(RS_SIGNAL_EVALUE, message)
    }
    /// Python's `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Error {
        Error::new(RS_SIGNAL_ETYPE, message)
    }
    /// "<param> must not be NULL".
    pub fn null(param: &str) -> Error {
        Error::type_error(format!("{param} must not be NULL"))
    }
    /// Python's `OSError` from an errno value: "[Errno N] strerror".
    pub fn os(errno: i32) -> Error {
        Error::os_kind(RS_SIGNAL_EOS, errno)
    }
    /// Python's `ItimerError` from an errno value.
    pub fn itimer(errno: i32) -> Error {
        Error::os_kind(RS_SIGNAL_EITIMER, errno)
    }
    fn os_kind(status: i32, errno: i32) -> Error {
        let mut e = Error::new(status, errno_message(errno));
        e.os_errno = errno;
        e
    }
    /// `OSError` from the calling thread's errno.
    pub fn last_os() -> Error {
        Error::os(crate::sys::errno())
    }
    /// "<function> is not supported on <platform>".
    pub fn unsupported(function: &str) -> Error {
        Error::new(RS_SIGNAL_EUNSUPPORTED, format!("{function} is not supported on {}", crate::sys::PLATFORM))
    }
    /// "signal number out of range", for `signum`.
    pub fn out_of_range(signum: i32) -> Error {
        Error::value("signal number out of range").with_signum(signum)
    }
    pub fn with_signum(mut self, signum: i32) -> Error {
        self.signum = signum;
        self
    }
    /// A handler callback for `signum` returned `result` (non-zero).
    pub fn raised(signum: i32, result: i32) -> Error {
        let status = if result < 0 { result } else { RS_SIGNAL_EHANDLER };
        let message = if result == RS_SIGNAL_EKEYBOARDINTERRUPT {
            "KeyboardInterrupt".to_string()
        } else {
            format!("the handler of signal {signum} raised: it returned {result}")
        };
        let mut e = Error::new(status, message);
        e.signum = signum;
        e.handler_result = result;
        e
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", status_exception(self.status).unwrap_or("Error"), self.message)
    }
}

impl std::error::Error for Error {}

/// "[Errno N] strerror(N)", Python's OSError text.
pub fn errno_message(errno: i32) -> String {
    format!("[Errno {errno}] {}", strerror(errno))
}

/// The C library's description of an errno value.
pub fn strerror(errno: i32) -> String {
    crate::sys::strerror(errno)
}

/* ---- the thread's last error ------------------------------------------ */

struct LastError {
    error: Error,
    message: CString,
}

thread_local! {
    static LAST: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Record `e` as the calling thread's last error.
pub fn set_last(e: &Error) {
    let message = CString::new(e.message.replace('\0', " ")).unwrap_or_default();
    let _ = LAST.try_with(|l| *l.borrow_mut() = Some(LastError { error: e.clone(), message }));
}

/// The calling thread's last error, or None.
pub fn last() -> Option<Error> {
    LAST.try_with(|l| l.borrow().as_ref().map(|l| l.error.clone())).ok().flatten()
}

/// Fill `out` from the last error (message pointer stays valid until the
/// thread's next failing call); returns its status, 0 when none.
pub fn fill_last(out: Option<&mut rs_signal_error>) -> i32 {
    LAST.try_with(|l| {
        let l = l.borrow();
        let status = l.as_ref().map_or(0, |l| l.error.status);
        if let Some(out) = out {
            *out = match l.as_ref() {
                Some(l) => rs_signal_error {
                    status: l.error.status,
                    os_errno: l.error.os_errno,
                    signum: l.error.signum,
                    handler_result: l.error.handler_result,
                    message: l.message.as_ptr(),
                },
                None => rs_signal_error {
                    status: 0,
                    os_errno: 0,
                    signum: 0,
                    handler_result: 0,
                    message: c"".as_ptr(),
                },
            };
        }
        status
    })
    .unwrap_or(0)
}

/// Restore a saved last error (or none) after running foreign code such as
/// the unraisable hook, so a report never replaces the error being returned.
pub fn restore_last(saved: Option<Error>) {
    match saved {
        Some(e) => set_last(&e),
        None => {
            let _ = LAST.try_with(|l| *l.borrow_mut() = None);
        }
    }
}

/* ---- status names ------------------------------------------------------ */

const STATUSES: &[(i32, &CStr, &CStr)] = &[
    (RS_SIGNAL_OK, c"RS_SIGNAL_OK", c""),
    (RS_SIGNAL_TIMEOUT, c"RS_SIGNAL_TIMEOUT", c""),
    (RS_SIGNAL_EVALUE, c"RS_SIGNAL_EVALUE", c"ValueError"),
    (RS_SIGNAL_EOS, c"RS_SIGNAL_EOS", c"OSError"),
    (RS_SIGNAL_EITIMER, c"RS_SIGNAL_EITIMER", c"ItimerError"),
    (RS_SIGNAL_ETYPE, c"RS_SIGNAL_ETYPE", c"TypeError"),
    (RS_SIGNAL_EOVERFLOW, c"RS_SIGNAL_EOVERFLOW", c"OverflowError"),
    (RS_SIGNAL_EHANDLER, c"RS_SIGNAL_EHANDLER", c"Exception"),
    (RS_SIGNAL_EKEYBOARDINTERRUPT, c"RS_SIGNAL_EKEYBOARDINTERRUPT", c"KeyboardInterrupt"),
    (RS_SIGNAL_EUNSUPPORTED, c"RS_SIGNAL_EUNSUPPORTED", c"NotImplementedError"),
    (RS_SIGNAL_EINTERNAL, c"RS_SIGNAL_EINTERNAL", c"SystemError"),
];

fn status_entry(status: i32) -> Option<(&'static CStr, &'static CStr)> {
    if status <= RS_SIGNAL_EUSER {
        return Some((c"RS_SIGNAL_EUSER", c"Exception"));
    }
    STATUSES.iter().find(|s| s.0 == status).map(|s| (s.1, s.2))
}

/// "RS_SIGNAL_EVALUE" for -1 …; "RS_SIGNAL_EUSER" for any value <= -1000.
pub fn status_name(status: i32) -> Option<&'static CStr> {
    status_entry(status).map(|e| e.0)
}

/// The Python exception a status mirrors ("ValueError" …; "" for OK/TIMEOUT).
pub fn status_exception_c(status: i32) -> Option<&'static CStr> {
    status_entry(status).map(|e| e.1)
}

pub fn status_exception(status: i32) -> Option<&'static str> {
    status_exception_c(status).and_then(|s| s.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_and_exceptions() {
        assert_eq!(status_name(RS_SIGNAL_EVALUE), Some(c"RS_SIGNAL_EVALUE"));
        assert_eq!(status_exception(RS_SIGNAL_EITIMER), Some("ItimerError"));
        assert_eq!(status_name(-1234), Some(c"RS_SIGNAL_EUSER"));
        assert_eq!(status_name(-10), None);
        assert_eq!(status_name(2), None);
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri emulates strerror_r with Rust's own text, not the C library's")]
    fn os_errors_read_like_python() {
        let e = Error::os(crate::sys::EINVAL);
        assert_eq!(e.message, "[Errno 22] Invalid argument");
        assert_eq!((e.status, e.os_errno), (RS_SIGNAL_EOS, crate::sys::EINVAL));
        assert_eq!(Error::raised(2, RS_SIGNAL_EKEYBOARDINTERRUPT).status, RS_SIGNAL_EKEYBOARDINTERRUPT);
        let e = Error::raised(10, 5);
        assert_eq!((e.status, e.handler_result, e.signum), (RS_SIGNAL_EHANDLER, 5, 10));
    }

    #[test]
    fn last_error_is_per_thread_and_kept_on_success() {
        set_last(&Error::value("x"));
        assert_eq!(fill_last(None), RS_SIGNAL_EVALUE);
        std::thread::spawn(|| assert_eq!(fill_last(None), 0)).join().unwrap();
        assert_eq!(last().unwrap().message, "x");
    }
}
