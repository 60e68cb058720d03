// Go consumer of an installed rssignal through the Go binding
// (bindings/go: cgo, `#cgo pkg-config: rssignal`, the callback exported
// from Go). It proves that a Go handler runs at the dispatch point after a
// real SIGUSR1 from another process woke the wakeup pipe, and that the Go
// runtime keeps working alongside: goroutines, timers, and os/signal
// receiving SIGUSR2.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	rssignal "rssignal/bindings/go"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

var errBoom = errors.New("boom from a Go handler")

func main() {
	if v := rssignal.Version(); v == "" {
		fail("no version")
	}
	consts := rssignal.Constants()
	if consts["SIGUSR1"] != int(syscall.SIGUSR1) || consts["SIG_IGN"] != 1 {
		fail("constants: SIGUSR1=%d SIG_IGN=%d", consts["SIGUSR1"], consts["SIG_IGN"])
	}

	// Goroutines busy alongside: a ticker and a ping-pong worker pool.
	var ticks atomic.Int64
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				ticks.Add(1)
			case <-stop:
				return
			}
		}
	}()
	work := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				results <- n * n
			}
		}()
	}

	// Go's own os/signal for SIGUSR2.
	usr2 := make(chan os.Signal, 1)
	signal.Notify(usr2, syscall.SIGUSR2)

	// rssignal for SIGUSR1: a Go handler.
	var seen []syscall.Signal
	if err := rssignal.Handle(syscall.SIGUSR1, func(sig syscall.Signal) error {
		seen = append(seen, sig)
		return nil
	}); err != nil {
		fail("Handle(SIGUSR1): %v", err)
	}
	wake, err := rssignal.NewWakeupPipe()
	if err != nil {
		fail("NewWakeupPipe: %v", err)
	}

	fmt.Printf("SEND SIGUSR1 %d\n", os.Getpid())
	wake.SetReadDeadline(time.Now().Add(30 * time.Second))
	buf := make([]byte, 8)
	n, err := wake.Read(buf)
	if err != nil || n < 1 || syscall.Signal(buf[0]) != syscall.SIGUSR1 {
		fail("wakeup pipe: n=%d err=%v byte=%v", n, err, buf[:n])
	}
	fmt.Printf("wakeup pipe: %s\n", rssignal.Name(syscall.Signal(buf[0])))
	if len(seen) != 0 {
		fail("handler ran before the dispatch point")
	}
	if !rssignal.Pending() {
		fail("nothing pending after the wakeup byte")
	}
	if err := rssignal.Check(); err != nil {
		fail("Check: %v", err)
	}
	if len(seen) != 1 || seen[0] != syscall.SIGUSR1 {
		fail("handler calls: %v", seen)
	}
	fmt.Println("Go handler ran at rssignal.Check() for SIGUSR1")

	fmt.Printf("SEND SIGUSR2 %d\n", os.Getpid())
	select {
	case s := <-usr2:
		fmt.Printf("os/signal.Notify received %v\n", s)
	case <-time.After(30 * time.Second):
		fail("os/signal never received SIGUSR2")
	}
	signal.Stop(usr2)

	// The runtime after all that: goroutines, channels, timers, GC.
	go func() {
		for i := 1; i <= 1000; i++ {
			work <- i
		}
		close(work)
	}()
	sum := 0
	for i := 0; i < 1000; i++ {
		sum += <-results
	}
	wg.Wait()
	if want := 1000 * 1001 * 2001 / 6; sum != want {
		fail("worker pool sum %d, want %d", sum, want)
	}
	runtime.GC()
	before := ticks.Load()
	deadline := time.Now().Add(10 * time.Second)
	for ticks.Load() < before+5 && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(time.Millisecond) // polling a counter, not synchronising with the signal
	}
	close(stop)
	if ticks.Load() < before+5 {
		fail("ticker goroutine stalled at %d ticks", ticks.Load())
	}
	fmt.Printf("goroutines alive: 4 workers summed %d, ticker at %d ticks\n", sum, ticks.Load())

	// Errors as values.
	err = rssignal.Handle(syscall.SIGKILL, func(syscall.Signal) error { return nil })
	if !errors.Is(err, rssignal.EOS) || !errors.Is(err, syscall.EINVAL) {
		fail("Handle(SIGKILL): %v", err)
	}
	fmt.Printf("Handle(SIGKILL): %v\n", err)
	if err := rssignal.Handle(syscall.SIGUSR1, func(syscall.Signal) error { return errBoom }); err != nil {
		fail("Handle: %v", err)
	}
	err = rssignal.RaiseSignal(syscall.SIGUSR1)
	var rerr *rssignal.Error
	if !errors.Is(err, errBoom) || !errors.As(err, &rerr) || rerr.Signal != syscall.SIGUSR1 {
		fail("a handler's error: %v", err)
	}
	fmt.Printf("RaiseSignal with a failing handler: %v\n", err)

	if err := rssignal.Reset(syscall.SIGUSR1); err != nil {
		fail("Reset: %v", err)
	}
	if err := wake.Close(); err != nil {
		fail("closing the wakeup pipe: %v", err)
	}
	if err := rssignal.Finalize(); err != nil {
		fail("Finalize: %v", err)
	}
	fmt.Println("OK")
}
