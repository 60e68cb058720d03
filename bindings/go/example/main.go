// Example: a Go handler for SIGUSR1, run at the dispatch point after the
// wakeup pipe said the signal arrived. The signal comes from another
// process: this program runs `kill -USR1 <its pid>`.
//
//	go run ./example
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	rssignal "rssignal/bindings/go"
)

func main() {
	// A handler is an ordinary Go function, run by rssignal.Check().
	calls := 0
	err := rssignal.Handle(syscall.SIGUSR1, func(sig syscall.Signal) error {
		calls++
		fmt.Printf("handler: %s, call #%d\n", rssignal.Name(sig), calls)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	// Errors are error values: the status, the errno, the message.
	err = rssignal.Handle(syscall.SIGKILL, func(syscall.Signal) error { return nil })
	fmt.Printf("Handle(SIGKILL): %v (EOS: %t, EINVAL: %t)\n",
		err, errors.Is(err, rssignal.EOS), errors.Is(err, syscall.EINVAL))

	wake, err := rssignal.NewWakeupPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer wake.Close()

	// Another process sends the signal.
	if err := exec.Command("kill", "-USR1", strconv.Itoa(os.Getpid())).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "kill:", err)
		os.Exit(1)
	}
	buf := make([]byte, 16)
	n, err := wake.Read(buf) // blocks this goroutine on Go's poller until the byte comes
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wakeup pipe: %d byte(s), %s; handler calls so far: %d\n",
		n, rssignal.Name(syscall.Signal(buf[0])), calls)
	if err := rssignal.Check(); err != nil { // the dispatch point: the handler runs here
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rssignal.Reset(syscall.SIGUSR1)
}
