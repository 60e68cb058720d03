// Go consumer of an installed rssignal through the Go binding
// (bindings/go: cgo, `#cgo pkg-config: rssignal`, the callback exported
// from Go). It proves that a Go handler runs at the dispatch point after a
// real SIGUSR1 from another process woke the wakeup pipe, and that the Go
// runtime keeps working alongside: goroutines, timers, and os/signal
// receiving SIGUSR2. Then the 0.2 API: a `chan Delivery` fed by an rssignal
// channel receives signals sent by child processes with their pids,
// listeners get the same records at rssignal.Check, the counters add up,
// and Restore gives the Go runtime its handlers back.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	rssignal "rssignal/bindings/go"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

var errBoom = errors.New("boom from a Go handler")

// osHandler is the handler address of sig's OS disposition (rt_sigaction
// read directly, not through rssignal or the Go runtime).
func osHandler(sig syscall.Signal) uintptr {
	var sa struct {
		handler, flags, restorer uintptr
		mask                     uint64
	}
	if _, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0,
		uintptr(unsafe.Pointer(&sa)), 8, 0, 0); e != 0 {
		fail("rt_sigaction(%d): %v", sig, e)
	}
	return sa.handler
}

// sender starts another process that sends sig to this one once told to:
// the handshake is a line on its stdin, written by send after everything is
// set up. It returns the sender's pid.
type sender struct {
	cmd   *exec.Cmd
	stdin interface {
		Write([]byte) (int, error)
		Close() error
	}
}

func startSender(sig string) *sender {
	cmd := exec.Command("sh", "-c", `read go && kill -s "$1" "$2"`, "sh", sig, strconv.Itoa(os.Getpid()))
	in, err := cmd.StdinPipe()
	if err != nil {
		fail("StdinPipe: %v", err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fail("starting the sender: %v", err)
	}
	return &sender{cmd, in}
}

func (s *sender) send() int {
	if _, err := s.stdin.Write([]byte("go\n")); err != nil {
		fail("handshake with the sender: %v", err)
	}
	s.stdin.Close()
	return s.cmd.Process.Pid
}

func (s *sender) wait() {
	if err := s.cmd.Wait(); err != nil {
		fail("the sender (pid %d) failed: %v", s.cmd.Process.Pid, err)
	}
}

func receive(dc <-chan rssignal.Delivery, what string) rssignal.Delivery {
	select {
	case d := <-dc:
		return d
	case <-time.After(30 * time.Second):
		fail("no Delivery on the channel for %s within 30 s", what)
	}
	panic("unreachable")
}

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

	// The Go runtime's own handlers, for Restore at the end.
	goUsr1, goHup := osHandler(syscall.SIGUSR1), osHandler(syscall.SIGHUP)

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

	// 0.2: a chan Delivery fed by an rssignal channel (its own goroutine on
	// a locked OS thread; no main-thread callback involved).
	if _, err := rssignal.DeliveryInfo(); !errors.Is(err, rssignal.EValue) {
		fail("DeliveryInfo outside a dispatch: %v", err)
	}
	if _, err := rssignal.Notify(make(chan rssignal.Delivery), syscall.SIGKILL); !errors.Is(err, rssignal.EOS) {
		fail("Notify(SIGKILL): %v", err)
	}
	if _, err := rssignal.Notify(make(chan rssignal.Delivery)); !errors.Is(err, rssignal.EValue) {
		fail("Notify(): %v", err)
	}
	usr1Stats, err := rssignal.GetStats(syscall.SIGUSR1)
	if err != nil {
		fail("GetStats: %v", err)
	}
	dc := make(chan rssignal.Delivery, 4)
	ch, err := rssignal.Notify(dc, syscall.SIGUSR1, syscall.SIGHUP)
	if err != nil {
		fail("Notify: %v", err)
	}
	s := startSender("USR1")
	spid := s.send()
	d := receive(dc, "SIGUSR1")
	s.wait()
	fmt.Printf("chan Delivery: %s from pid %d (sender %d) uid %d code %d arrivals %d\n",
		rssignal.Name(d.Signal), d.Pid, spid, d.Uid, d.Code, d.Arrivals)
	if d.Signal != syscall.SIGUSR1 || d.Pid != spid || d.Uid != uint32(os.Getuid()) || d.Code != 0 ||
		d.Arrivals != 1 || d.FirstNs <= 0 || d.FirstNs > d.LastNs {
		fail("the SIGUSR1 record: %+v (sender pid %d)", d, spid)
	}
	if rssignal.Pending() {
		fail("a channel-only signal is pending for the main thread")
	}
	if st, _ := rssignal.GetStats(syscall.SIGUSR1); st.Arrivals != usr1Stats.Arrivals+1 ||
		st.Dispatches != usr1Stats.Dispatches {
		fail("SIGUSR1 stats %+v, before %+v", st, usr1Stats)
	}

	// Listeners on SIGHUP get the record at Check; the channel sees it too
	// (and tells when it arrived).
	var heard, once []rssignal.Delivery
	lid, err := rssignal.AddListener(syscall.SIGHUP, func(d rssignal.Delivery) error {
		heard = append(heard, d)
		return nil
	}, 0)
	if err != nil {
		fail("AddListener: %v", err)
	}
	oid, err := rssignal.AddListener(syscall.SIGHUP, func(d rssignal.Delivery) error {
		once = append(once, d)
		return nil
	}, rssignal.Oneshot)
	if err != nil {
		fail("AddListener(Oneshot): %v", err)
	}
	var pids []int
	for i := 0; i < 2; i++ {
		s := startSender("HUP")
		spid := s.send()
		d := receive(dc, "SIGHUP")
		s.wait()
		if d.Signal != syscall.SIGHUP || d.Pid != spid {
			fail("the SIGHUP record on the channel: %+v (sender pid %d)", d, spid)
		}
		if !rssignal.Pending() {
			fail("SIGHUP with listeners is not pending")
		}
		if err := rssignal.Check(); err != nil {
			fail("Check: %v", err)
		}
		pids = append(pids, spid)
	}
	if len(heard) != 2 || heard[0].Pid != pids[0] || heard[1].Pid != pids[1] ||
		heard[0].Signal != syscall.SIGHUP || heard[0].Arrivals != 1 || heard[1].Arrivals != 1 {
		fail("listener records %+v, senders %v", heard, pids)
	}
	if len(once) != 1 || once[0].Pid != pids[0] {
		fail("oneshot listener records %+v, senders %v", once, pids)
	}
	fmt.Printf("listener: SIGHUP from pids %d, %d (senders %v); oneshot ran once\n", heard[0].Pid, heard[1].Pid, pids)
	if err := rssignal.RemoveListener(oid); !errors.Is(err, rssignal.EValue) {
		fail("RemoveListener of a oneshot that ran: %v", err)
	}
	if err := rssignal.RemoveListener(lid); err != nil {
		fail("RemoveListener: %v", err)
	}
	if st, err := rssignal.GetStats(syscall.SIGHUP); err != nil || st.Arrivals != 2 || st.ListenerCalls != 3 ||
		st.Dispatches != 0 || st.LastDispatchNs < st.LastArrivalNs {
		fail("SIGHUP stats %+v (%v)", st, err)
	} else {
		fmt.Printf("GetStats(SIGHUP): %d arrivals, %d listener calls\n", st.Arrivals, st.ListenerCalls)
	}
	if _, err := rssignal.GetStats(0); !errors.Is(err, rssignal.EValue) {
		fail("GetStats(0): %v", err)
	}
	if err := ch.Close(); err != nil {
		fail("Channel.Close: %v", err)
	}
	if err := ch.Close(); err != nil {
		fail("a second Close: %v", err)
	}

	// Close returns with a record nobody receives (its goroutine blocked in the
	// send, or about to be): an unbuffered chan, never read,
	// opened from another goroutine; the arrival is counted all the same.
	opened := make(chan *rssignal.Channel)
	go func() {
		c, err := rssignal.Notify(make(chan rssignal.Delivery), syscall.SIGUSR2)
		if err != nil {
			fail("Notify from another goroutine: %v", err)
		}
		opened <- c
	}()
	blocked := <-opened
	usr2Stats, _ := rssignal.GetStats(syscall.SIGUSR2)
	s = startSender("USR2")
	s.send()
	s.wait()
	for st, _ := rssignal.GetStats(syscall.SIGUSR2); st.Arrivals == usr2Stats.Arrivals; st, _ = rssignal.GetStats(syscall.SIGUSR2) {
		runtime.Gosched() // the sender has exited: its kill was delivered or is being delivered now
	}
	closed := make(chan error)
	go func() { closed <- blocked.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			fail("Close with a blocked send: %v", err)
		}
	case <-time.After(30 * time.Second):
		fail("Close did not give up a blocked send within 30 s")
	}
	fmt.Println("Close returned with the SIGUSR2 record never received")

	// Restore: the Go runtime's handlers are back, exactly.
	if err := rssignal.Restore(syscall.SIGUSR1); err != nil {
		fail("Restore(SIGUSR1): %v", err)
	}
	if err := rssignal.Restore(syscall.SIGHUP); err != nil {
		fail("Restore(SIGHUP): %v", err)
	}
	if h := osHandler(syscall.SIGUSR1); h != goUsr1 {
		fail("SIGUSR1 handler after Restore %#x, the Go runtime's %#x", h, goUsr1)
	}
	if h := osHandler(syscall.SIGHUP); h != goHup {
		fail("SIGHUP handler after Restore %#x, the Go runtime's %#x", h, goHup)
	}
	fmt.Printf("Restore: the Go runtime's SIGUSR1 and SIGHUP handlers are back (%#x)\n", goHup)
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	s = startSender("USR1")
	s.send()
	select {
	case <-usr1:
		fmt.Println("os/signal.Notify receives SIGUSR1 again after Restore")
	case <-time.After(30 * time.Second):
		fail("os/signal never received SIGUSR1 after Restore")
	}
	s.wait()
	signal.Stop(usr1)
	if err := wake.Close(); err != nil {
		fail("closing the wakeup pipe: %v", err)
	}
	if err := rssignal.Finalize(); err != nil {
		fail("Finalize: %v", err)
	}
	fmt.Println("OK")
}
