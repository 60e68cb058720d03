// Example: a Go handler for SIGUSR1, run at the dispatch point after the
// wakeup pipe says the signal arrived. From another shell:
//
//	kill -USR1 <pid>
package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	rssignal "rssignal/bindings/go"
)

func main() {
	// A handler: an ordinary Go function, run by rssignal.Check().
	count := 0
	err := rssignal.Handle(syscall.SIGUSR1, func(sig syscall.Signal) error {
		count++
		fmt.Printf("handler: %s (#%d)\n", rssignal.Name(sig), count)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	// Errors are error values: the status, the errno and the message.
	err = rssignal.Handle(syscall.SIGKILL, func(syscall.Signal) error { return nil })
	fmt.Printf("Handle(SIGKILL): %v (EOS: %t, EINVAL: %t)\n",
		err, errors.Is(err, rssignal.EOS), errors.Is(err, syscall.EINVAL))

	wake, err := rssignal.NewWakeupPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("pid %d: send me SIGUSR1 (kill -USR1 %d), twice to finish\n", os.Getpid(), os.Getpid())
	buf := make([]byte, 16)
	for count < 2 {
		n, err := wake.Read(buf) // blocks this goroutine on Go's poller
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("wakeup: %d byte(s), first %s\n", n, rssignal.Name(syscall.Signal(buf[0])))
		if err := rssignal.Check(); err != nil { // the dispatch point
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	wake.Close()
	rssignal.Finalize()
}
