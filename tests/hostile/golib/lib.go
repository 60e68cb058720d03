// A Go library that a C host loads (-buildmode=c-shared, dlopen) or links
// (-buildmode=c-archive) beside rssignal: it asks for signals with
// signal.Notify and lets the host wait for them. Standard library only.
package main

import "C"

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

var (
	mu    sync.Mutex
	chans = map[int]chan os.Signal{}
)

func channel(sig C.int) chan os.Signal {
	mu.Lock()
	defer mu.Unlock()
	ch, ok := chans[int(sig)]
	if !ok {
		ch = make(chan os.Signal, 64)
		chans[int(sig)] = ch
	}
	return ch
}

// GoNotify asks for sig with signal.Notify: Go installs its handler for it.
//
//export GoNotify
func GoNotify(sig C.int) {
	signal.Notify(channel(sig), syscall.Signal(sig))
}

// GoReset is signal.Reset(sig): Go puts back the handling it found.
//
//export GoReset
func GoReset(sig C.int) {
	signal.Reset(syscall.Signal(sig))
}

// GoWait waits up to ms milliseconds for sig on its Notify channel: 1 when
// it came, 0 when it did not.
//
//export GoWait
func GoWait(sig C.int, ms C.int) C.int {
	select {
	case <-channel(sig):
		return 1
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return 0
	}
}

// GoPending is how many arrivals of sig wait on its channel, now.
//
//export GoPending
func GoPending(sig C.int) C.int {
	return C.int(len(channel(sig)))
}

func main() {}
