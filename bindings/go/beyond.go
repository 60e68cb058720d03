package rssignal

// Beyond CPython: who sent a signal and how many arrivals one dispatch
// stands for (Delivery), listeners beside the handler (AddListener), channels
// read off the main thread (Notify: a Go channel of Delivery records),
// Restore and Stats.

/*
#include <rssignal.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>

// Defined in callback.go (//export).
int rssignalGoListener(int signum, void *user_data);

static int rssignal_go_add_listener(int signum, uintptr_t handle, unsigned int flags, rs_signal_listener_id *id) {
	return rs_signal_add_listener(signum, rssignalGoListener, (void *)handle, flags, id);
}

static int rssignal_go_channel_open(const int *signums, size_t count, rs_signal_channel **out) {
	rs_sigset set;
	int rc = rs_sigset_from_array(signums, count, &set);
	if (rc < 0)
		return rc;
	return rs_signal_channel_open(&set, 0, out);
}

// Waits until the channel fd or the stop fd is readable: 1 = channel,
// 0 = stop, -1 = poll failed (errno). EINTR is retried here.
static int rssignal_go_wait(int chfd, int stopfd) {
	struct pollfd p[2] = { { chfd, POLLIN, 0 }, { stopfd, POLLIN, 0 } };
	for (;;) {
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (p[1].revents)
			return 0;
		if (p[0].revents)
			return 1;
	}
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"sync"
	"syscall"
	"unsafe"
)

// Delivery is who sent a signal and how many arrivals it stands for
// (rs_signal_delivery). Code, Pid, Uid, Status, Value and LastNs come from
// one arrival, the latest.
type Delivery struct {
	Signal   syscall.Signal
	Arrivals uint32 // arrivals since the previous dispatch or read (>= 1)
	Code     int32  // si_code: SI_USER (0), SI_QUEUE (-1), SI_TKILL (-6), CLD_EXITED...
	Pid      int    // the sender's pid (kill, sigqueue, tgkill) or the child (SIGCHLD), else 0
	Uid      uint32 // the sender's real uid, else 0
	Status   int    // SIGCHLD: exit code or signal number, else 0
	Value    int64  // sigqueue's value (sival_ptr), else 0
	FirstNs  int64  // CLOCK_MONOTONIC of the first of these arrivals, ns
	LastNs   int64  // ... and of the latest
}

func deliveryOf(d *C.rs_signal_delivery) Delivery {
	return Delivery{
		Signal:   syscall.Signal(d.signum),
		Arrivals: uint32(d.arrivals),
		Code:     int32(d.code),
		Pid:      int(d.pid),
		Uid:      uint32(d.uid),
		Status:   int(d.status),
		Value:    int64(d.value),
		FirstNs:  int64(d.first_ns),
		LastNs:   int64(d.last_ns),
	}
}

// DeliveryInfo is the record of the signal being dispatched, inside a
// HandlerFunc or a listener (main thread); elsewhere an *Error with EValue.
func DeliveryInfo() (Delivery, error) {
	var d C.rs_signal_delivery
	if _, err := call(func() C.int { return C.rs_signal_delivery_info(&d) }); err != nil {
		return Delivery{}, err
	}
	return deliveryOf(&d), nil
}

// ListenerFunc runs at a dispatch point on the main thread, after the
// signal's handler, with the signal's Delivery. A non-nil error stops the
// dispatch like a HandlerFunc's; the listeners after it run at the next
// dispatch point.
type ListenerFunc func(d Delivery) error

// ListenerID names a listener (never 0).
type ListenerID uint64

// Oneshot is AddListener's flag: the listener is removed before its first call.
const Oneshot uint = C.RS_SIGNAL_LISTENER_ONESHOT

type listener struct {
	f       ListenerFunc
	oneshot bool
	h       cgo.Handle
	id      ListenerID // 0 until AddListener has it
	fired   bool       // a oneshot that has run
}

var (
	listenerMu sync.Mutex
	listeners  = map[ListenerID]*listener{}
)

// runListener is rssignalGoListener's body (callback.go).
func runListener(signum C.int, userData unsafe.Pointer) C.int {
	l := cgo.Handle(uintptr(userData)).Value().(*listener)
	d, err := DeliveryInfo()
	if err != nil {
		d = Delivery{Signal: syscall.Signal(signum)}
	}
	err = l.f(d)
	if l.oneshot { // the library removed it before this call: free it now
		listenerMu.Lock()
		l.fired = true
		if l.id != 0 && listeners[l.id] == l {
			delete(listeners, l.id)
			l.h.Delete()
		}
		listenerMu.Unlock()
	}
	if err != nil {
		handlerErr = err
		return C.RS_SIGNAL_EUSER
	}
	return 0
}

// AddListener adds f as a listener of sig (any goroutine may call it; f
// runs on the main thread, at Check or another dispatching call). flags is
// 0 or Oneshot. While sig has a listener, rssignal's handler is its OS
// disposition, even when the table says SIG_DFL or SIG_IGN.
func AddListener(sig syscall.Signal, f ListenerFunc, flags uint) (ListenerID, error) {
	if f == nil {
		return 0, &Error{Status: EType, Message: "listener must not be nil"}
	}
	l := &listener{f: f, oneshot: flags&Oneshot != 0}
	l.h = cgo.NewHandle(l)
	var id C.rs_signal_listener_id
	if _, err := call(func() C.int {
		return C.rssignal_go_add_listener(C.int(sig), C.uintptr_t(l.h), C.uint(flags), &id)
	}); err != nil {
		l.h.Delete()
		return 0, err
	}
	listenerMu.Lock()
	defer listenerMu.Unlock()
	if l.fired { // a oneshot that already ran on the main thread
		l.h.Delete()
	} else {
		l.id = ListenerID(id)
		listeners[l.id] = l
	}
	return ListenerID(id), nil
}

// RemoveListener removes a listener (any goroutine; also from inside a
// listener). Once it returns the listener is never called again. An unknown
// id (or a oneshot that has run) is an *Error with EValue.
func RemoveListener(id ListenerID) error {
	if _, err := call(func() C.int { return C.rs_signal_remove_listener(C.rs_signal_listener_id(id)) }); err != nil {
		return err
	}
	listenerMu.Lock()
	defer listenerMu.Unlock()
	if l, ok := listeners[id]; ok {
		delete(listeners, id)
		l.h.Delete()
	}
	return nil
}

// Channel is an rssignal channel feeding a Go channel: every arrival of its
// signals is counted in it, independently of the main-thread dispatch and of
// other channels, and never runs a handler. A goroutine locked to its own OS
// thread polls the channel's fd and sends each record read; while the Go
// channel is full the arrivals keep coalescing in the rssignal channel (their
// count goes into Arrivals), so nothing is lost. Close stops it.
type Channel struct {
	ch    *C.rs_signal_channel
	stop  [2]int        // a pipe: Close writes, the goroutine's poll wakes
	quit  chan struct{} // closed by Close: gives up a blocked send
	done  chan struct{} // closed by the goroutine when it returns
	err   error         // why the goroutine stopped early, else nil
	close sync.Once
}

// Notify opens an rssignal channel for sigs and sends a Delivery to c for
// each signal pending in it (like os/signal.Notify, with the sender's pid,
// uid and si_code and the number of arrivals). The sends block; a blocked
// send is given up when Close is called. c is not closed by Close.
//
// A signal in sigs gets rssignal's handler (SA_ONSTACK, as Go requires) in
// place of the Go runtime's, so os/signal no longer sees it; Close (when no
// listener keeps it) puts the runtime's handler back.
func Notify(c chan<- Delivery, sigs ...syscall.Signal) (*Channel, error) {
	if c == nil {
		return nil, &Error{Status: EType, Message: "Notify needs a channel"}
	}
	nums := make([]C.int, len(sigs))
	for i, s := range sigs {
		nums[i] = C.int(s)
	}
	var numsp *C.int
	if len(nums) > 0 {
		numsp = &nums[0]
	}
	var p *C.rs_signal_channel
	if _, err := call(func() C.int { return C.rssignal_go_channel_open(numsp, C.size_t(len(nums)), &p) }); err != nil {
		return nil, err
	}
	ch := &Channel{ch: p, quit: make(chan struct{}), done: make(chan struct{})}
	if err := syscall.Pipe2(ch.stop[:], syscall.O_CLOEXEC|syscall.O_NONBLOCK); err != nil {
		C.rs_signal_channel_close(ch.ch)
		return nil, err
	}
	ready := make(chan struct{})
	go ch.run(c, ready)
	<-ready
	return ch, nil
}

// Fd is the rssignal channel's fd (for diagnostics; the goroutine polls it).
func (ch *Channel) Fd() int { return int(C.rs_signal_channel_fd(ch.ch)) }

func (ch *Channel) run(c chan<- Delivery, ready chan<- struct{}) {
	runtime.LockOSThread() // the library's last error is per thread
	defer runtime.UnlockOSThread()
	defer close(ch.done)
	fd := C.rs_signal_channel_fd(ch.ch)
	close(ready)
	var buf [16]C.rs_signal_delivery
	for {
		switch r, errno := C.rssignal_go_wait(fd, C.int(ch.stop[0])); r {
		case 0:
			return
		case -1:
			ch.err = errno
			return
		}
		var n C.size_t
		if _, err := call(func() C.int { return C.rs_signal_channel_read(ch.ch, &buf[0], C.size_t(len(buf)), &n) }); err != nil {
			ch.err = err
			return
		}
		for i := 0; i < int(n); i++ {
			select {
			case c <- deliveryOf(&buf[i]):
			case <-ch.quit:
				return
			}
		}
	}
}

// Close stops the goroutine (a blocked send is given up), then closes the
// rssignal channel. It returns the error that stopped the goroutine early,
// if any. Calling it again does nothing.
func (ch *Channel) Close() error {
	var err error
	ch.close.Do(func() {
		close(ch.quit)
		syscall.Write(ch.stop[1], []byte{1})
		<-ch.done
		syscall.Close(ch.stop[0])
		syscall.Close(ch.stop[1])
		_, err = call(func() C.int { return C.rs_signal_channel_close(ch.ch) })
		ch.ch = nil
		if err == nil {
			err = ch.err
		}
	})
	return err
}

// Restore gives back what rssignal took from sig (0: every signal it ever
// changed): the OS disposition found before rssignal's first change, only if
// the current one is still rssignal's. Its listeners and channel
// subscriptions go too.
func Restore(sig syscall.Signal) error {
	_, err := call(func() C.int { return C.rs_signal_restore(C.int(sig)) })
	return err
}

// Stats are a signal's counters since the library started.
type Stats struct {
	Arrivals       uint64 // handler entries (and SetInterrupt / RaiseSignal)
	Dispatches     uint64 // handler calls
	ListenerCalls  uint64
	WakeupFailures uint64
	LastArrivalNs  int64 // CLOCK_MONOTONIC, 0 = never
	LastDispatchNs int64
}

// GetStats reads sig's counters (any goroutine).
func GetStats(sig syscall.Signal) (Stats, error) {
	var st C.rs_signal_stats
	if _, err := call(func() C.int { return C.rs_signal_get_stats(C.int(sig), &st) }); err != nil {
		return Stats{}, err
	}
	return Stats{
		Arrivals:       uint64(st.arrivals),
		Dispatches:     uint64(st.dispatches),
		ListenerCalls:  uint64(st.listener_calls),
		WakeupFailures: uint64(st.wakeup_failures),
		LastArrivalNs:  int64(st.last_arrival_ns),
		LastDispatchNs: int64(st.last_dispatch_ns),
	}, nil
}
