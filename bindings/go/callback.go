package rssignal

// This file holds the one Go function exported to C. A cgo file with an
// //export may only declare things in its preamble, so the helpers that
// reference the callback live in rssignal.go.

/*
#include <rssignal.h>
*/
import "C"

import (
	"runtime/cgo"
	"syscall"
	"unsafe"
)

// rssignalGoCallback is the rs_signal_callback behind every HandlerFunc: its
// user_data is the cgo.Handle of the HandlerFunc. It runs on the main thread
// at a dispatch point, never in signal context.
//
//export rssignalGoCallback
func rssignalGoCallback(signum C.int, userData unsafe.Pointer) C.int {
	f := cgo.Handle(uintptr(userData)).Value().(HandlerFunc)
	if err := f(syscall.Signal(signum)); err != nil {
		handlerErr = err
		return C.RS_SIGNAL_EUSER
	}
	return 0
}

// rssignalGoListener is the rs_signal_callback behind every ListenerFunc:
// its user_data is the cgo.Handle of the listener (beyond.go).
//
//export rssignalGoListener
func rssignalGoListener(signum C.int, userData unsafe.Pointer) C.int {
	return runListener(signum, userData)
}
