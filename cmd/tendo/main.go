// Command tendo is the single binary of the tendo project: the Bayesian
// network engine (tendo bn), and the clinical commands built on it.
//
// main only sets up a signal-cancelled context and hands over to Main, so
// tests drive the whole program through Main with their own streams.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := NewMain().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
