package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/unifex-go/unifex/adapters/all" // registers every adapter
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
