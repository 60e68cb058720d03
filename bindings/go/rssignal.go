// Package rssignal is a thin Go binding of the rssignal C library: Python's
// signal module with CPython's deferred dispatch. A Go function installed
// with Handle runs at a dispatch point (Check, or any call that dispatches)
// on the main thread, never in signal context; the wakeup fd tells a poll
// loop that something arrived.
//
// The library is found with pkg-config (`#cgo pkg-config: rssignal`): set
// PKG_CONFIG_PATH to <prefix>/lib/pkgconfig for a non-system install, and
// LD_LIBRARY_PATH to <prefix>/lib to run.
//
// Go's runtime and rssignal share the process:
//   - a signal handled with Handle is no longer seen by os/signal.Notify;
//     use os/signal for the others (both work side by side);
//   - rssignal installs its handlers with SA_ONSTACK, as Go requires;
//   - never hand SIGURG to rssignal: Go's scheduler preempts with it;
//   - this package's init locks the main goroutine to the main OS thread
//     (the process's initial thread), where callbacks run: call Handle,
//     SetWakeupFd and Check from the main goroutine.
package rssignal

/*
#cgo pkg-config: rssignal
#include <rssignal.h>
#include <stdint.h>
#include <stdlib.h>

// Defined in callback.go (//export), which may hold declarations only.
int rssignalGoCallback(int signum, void *user_data);

static int rssignal_go_handle(int signum, uintptr_t handle, rs_signal_handler *old) {
	rs_signal_handler h = { RS_SIGNAL_HANDLER_CALLBACK, rssignalGoCallback, (void *)handle };
	return rs_signal_signal(signum, &h, old);
}

static int rssignal_go_set(int signum, int kind, rs_signal_handler *old) {
	rs_signal_handler h = { kind, NULL, NULL };
	return rs_signal_signal(signum, &h, old);
}

static uintptr_t rssignal_go_handle_of(const rs_signal_handler *h) {
	return h->callback == rssignalGoCallback ? (uintptr_t)h->user_data : 0;
}
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"runtime/cgo"
	"syscall"
	"unsafe"
)

func init() {
	// Callbacks run on the main thread; keep the main goroutine there.
	runtime.LockOSThread()
}

// Status is one of the library's status codes (RS_SIGNAL_*). It is an error,
// so errors.Is(err, rssignal.EValue) tells what kind of failure err is.
type Status int

// The status codes; negative values are errors.
const (
	OK                 Status = C.RS_SIGNAL_OK
	Timeout            Status = C.RS_SIGNAL_TIMEOUT
	EValue             Status = C.RS_SIGNAL_EVALUE
	EOS                Status = C.RS_SIGNAL_EOS
	EItimer            Status = C.RS_SIGNAL_EITIMER
	EType              Status = C.RS_SIGNAL_ETYPE
	EOverflow          Status = C.RS_SIGNAL_EOVERFLOW
	EHandler           Status = C.RS_SIGNAL_EHANDLER
	EKeyboardInterrupt Status = C.RS_SIGNAL_EKEYBOARDINTERRUPT
	EUnsupported       Status = C.RS_SIGNAL_EUNSUPPORTED
	EInternal          Status = C.RS_SIGNAL_EINTERNAL
	EUser              Status = C.RS_SIGNAL_EUSER
)

// Error returns the status's name, e.g. "RS_SIGNAL_EVALUE".
func (s Status) Error() string {
	if p := C.rs_signal_status_name(C.int(s)); p != nil {
		return C.GoString(p)
	}
	return fmt.Sprintf("rssignal status %d", int(s))
}

// Exception is the Python exception the status mirrors ("ValueError", ...).
func (s Status) Exception() string {
	if p := C.rs_signal_status_exception(C.int(s)); p != nil {
		return C.GoString(p)
	}
	return ""
}

// Error is a failed call: the library's last error, plus the error a Go
// handler returned when that is what stopped a dispatch.
type Error struct {
	Status        Status
	Errno         syscall.Errno  // for EOS and EItimer, else 0
	Signal        syscall.Signal // the signal concerned, or 0
	HandlerResult int            // a C callback's non-zero result, else 0
	Message       string
	Err           error // the error a Go HandlerFunc returned, else nil
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("rssignal: handler for %s: %v", Name(e.Signal), e.Err)
	}
	return fmt.Sprintf("rssignal: %s: %s", e.Status.Exception(), e.Message)
}

// Unwrap lets errors.Is and errors.As see the status, the errno and the
// handler's own error.
func (e *Error) Unwrap() []error {
	errs := []error{e.Status}
	if e.Errno != 0 {
		errs = append(errs, e.Errno)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// handlerErr carries a Go handler's error from the callback to the call that
// dispatched it (both on the main thread).
var handlerErr error

// call runs f with the goroutine on one OS thread, so that the thread-local
// last error is read on the thread that set it.
func call(f func() C.int) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := int(f())
	if rc >= 0 {
		return rc, nil
	}
	var le C.rs_signal_error
	C.rs_signal_last_error(&le)
	e := &Error{Status: Status(rc), Errno: syscall.Errno(le.os_errno), Signal: syscall.Signal(le.signum),
		HandlerResult: int(le.handler_result)}
	if le.message != nil {
		e.Message = C.GoString(le.message)
	}
	if Status(rc) == EUser && handlerErr != nil {
		e.Err, handlerErr = handlerErr, nil
		e.HandlerResult = 0
	}
	return rc, e
}

// A HandlerFunc handles a signal at a dispatch point. A non-nil error
// "raises": dispatch stops and the call that dispatched returns an *Error
// wrapping it (the signals still tripped run at the next dispatch point).
type HandlerFunc func(sig syscall.Signal) error

func release(old *C.rs_signal_handler) {
	if h := C.rssignal_go_handle_of(old); h != 0 {
		cgo.Handle(h).Delete()
	}
}

// Handle makes f the handler of sig (Python's signal.signal(sig, f)).
func Handle(sig syscall.Signal, f HandlerFunc) error {
	if f == nil {
		return &Error{Status: EType, Message: "handler must not be nil"}
	}
	h := cgo.NewHandle(f)
	var old C.rs_signal_handler
	if _, err := call(func() C.int { return C.rssignal_go_handle(C.int(sig), C.uintptr_t(h), &old) }); err != nil {
		h.Delete()
		return err
	}
	release(&old)
	return nil
}

func set(sig syscall.Signal, kind C.int) error {
	var old C.rs_signal_handler
	if _, err := call(func() C.int { return C.rssignal_go_set(C.int(sig), kind, &old) }); err != nil {
		return err
	}
	release(&old)
	return nil
}

// Ignore sets sig to SIG_IGN.
func Ignore(sig syscall.Signal) error { return set(sig, C.RS_SIG_IGN) }

// Reset sets sig to SIG_DFL, the default action.
func Reset(sig syscall.Signal) error { return set(sig, C.RS_SIG_DFL) }

// Check is the dispatch point: it runs the handlers of the signals that
// arrived, on the main thread (elsewhere it does nothing).
func Check() error {
	_, err := call(func() C.int { return C.rs_signal_check() })
	return err
}

// Pending reports whether Check would run something now.
func Pending() bool { return C.rs_signal_pending() == 1 }

// RaiseSignal sends sig to the calling thread, then dispatches.
func RaiseSignal(sig syscall.Signal) error {
	_, err := call(func() C.int { return C.rs_signal_raise_signal(C.int(sig)) })
	return err
}

// SetWakeupFd makes the library write one byte, the signal number, to fd
// (non-blocking) whenever a signal with a handler arrives; -1 disables. It
// returns the previous fd.
func SetWakeupFd(fd int, warnOnFullBuffer bool) (int, error) {
	var old C.int
	warn := C.int(0)
	if warnOnFullBuffer {
		warn = 1
	}
	_, err := call(func() C.int { return C.rs_signal_set_wakeup_fd(C.int(fd), warn, &old) })
	return int(old), err
}

// WakeupPipe is a non-blocking pipe whose write end is the wakeup fd. Read
// its File (Go's poller: Read blocks the goroutine, SetReadDeadline works);
// each byte read is a signal number. Keep it referenced while it is in use:
// once the File is collected its read end closes and the library's writes
// fail (EPIPE, reported through the unraisable hook). Close undoes it all.
type WakeupPipe struct {
	*os.File
	writeFd int
}

// NewWakeupPipe creates a WakeupPipe and makes it the wakeup fd.
func NewWakeupPipe() (*WakeupPipe, error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		return nil, err
	}
	if _, err := SetWakeupFd(p[1], false); err != nil {
		syscall.Close(p[0])
		syscall.Close(p[1])
		return nil, err
	}
	return &WakeupPipe{os.NewFile(uintptr(p[0]), "rssignal-wakeup"), p[1]}, nil
}

// Close disables the wakeup fd (when it is still this pipe) and closes the pipe.
func (w *WakeupPipe) Close() error {
	if old, err := SetWakeupFd(-1, true); err != nil {
		return err
	} else if old != w.writeFd && old != -1 {
		SetWakeupFd(old, true) // someone else's: put it back
	}
	syscall.Close(w.writeFd)
	return w.File.Close()
}

// SetMainThread makes the calling OS thread the one that runs handlers; call
// it from a goroutine locked with runtime.LockOSThread.
func SetMainThread() error {
	_, err := call(func() C.int { return C.rs_signal_set_main_thread() })
	return err
}

// Finalize puts every signal with a handler back to SIG_DFL.
func Finalize() error {
	_, err := call(func() C.int { return C.rs_signal_finalize() })
	return err
}

// Name is the signal's name ("SIGUSR1"), or "" for an unknown number.
func Name(sig syscall.Signal) string {
	if p := C.rs_signal_name(C.int(sig)); p != nil {
		return C.GoString(p)
	}
	return ""
}

// FromName is the number of a signal name or alias ("SIGIOT", "SIGRTMIN+2").
func FromName(name string) (syscall.Signal, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var n C.int
	_, err := call(func() C.int { return C.rs_signal_from_name(cs, &n) })
	return syscall.Signal(n), err
}

// Constants lists every constant of the module (signals and their aliases,
// SIG_DFL, SIG_IGN, SIG_BLOCK..., ITIMER_*, NSIG) with its value here.
func Constants() map[string]int {
	n := int(C.rs_signal_constant_count())
	m := make(map[string]int, n)
	for i := 0; i < n; i++ {
		var name *C.char
		var v C.int
		if C.rs_signal_constant_at(C.size_t(i), &name, &v) == 0 && name != nil {
			m[C.GoString(name)] = int(v)
		}
	}
	return m
}

// Version is the library's version ("0.1.0").
func Version() string { return C.GoString(C.rs_signal_version()) }
