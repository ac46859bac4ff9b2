// Command azuredr-emulator serves a local Azure Resource Manager API for the
// azuredr provider, its tests and its demo. See internal/emulator/README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// Exit codes: 0 after a signal-initiated shutdown, 1 when the emulator
// fails, 2 for a bad command line (including a non-loopback address).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, shutdownSignals()))
}

func shutdownSignals() <-chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c
}

const usage = `Usage: azuredr-emulator --data DIR [flags]

Serves the Azure Resource Manager API locally for the Azure SDK for Go
clients. The first line on stdout is "listening on http://HOST:PORT";
logs go to stderr. SIGINT or SIGTERM shuts down gracefully.

Flags:
`

func run(args []string, stdout, stderr io.Writer, stop <-chan os.Signal) int {
	fs := flag.NewFlagSet("azuredr-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "TCP `address` to listen on; port 0 picks a free port")
	dataDir := fs.String("data", "", "`directory` holding the durable state (required; created if missing)")
	seed := fs.String("seed", "", "JSON estate `file` applied once to an empty data directory")
	timeScale := fs.Float64("time-scale", 1, "simulated seconds per real second")
	allowNonLoopback := fs.Bool("allow-non-loopback", false, "allow listening on a non-loopback address (any bearer token is accepted)")
	logRequests := fs.Bool("log-requests", false, "log every request to stderr")
	webPort := fs.Int("web-port", 0, "`port` the web sites of all VMs share, each VM on its own loopback address; 0 picks a free port once and keeps it in the data directory")
	dnsListen := fs.String("dns-listen", "127.0.0.1:0", "UDP and TCP `address` of the DNS server answering <name>.trafficmanager.net; port 0 picks a free port")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *dataDir == "":
		return usageError(stderr, "--data is required")
	case *timeScale <= 0:
		return usageError(stderr, "--time-scale must be a positive number")
	case *webPort < 0 || *webPort > 65535:
		return usageError(stderr, "--web-port must be between 0 and 65535")
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := emulator.New(emulator.Options{
		Listen:           *listen,
		DataDir:          *dataDir,
		SeedFile:         *seed,
		TimeScale:        *timeScale,
		AllowNonLoopback: *allowNonLoopback,
		Logger:           logger,
		LogRequests:      *logRequests,
		WebPort:          *webPort,
		DNSListen:        *dnsListen,
	})
	if err != nil {
		fmt.Fprintf(stderr, "azuredr-emulator: %v\n", err)
		if errors.Is(err, emulator.ErrNonLoopback) {
			return exitUsage
		}
		return exitError
	}
	// Scripts wait for this exact line to learn the port. An *os.File is
	// unbuffered, so the line is out as soon as Fprintf returns.
	fmt.Fprintf(stdout, "listening on %s\n", srv.URL())

	sig := <-stop
	logger.Info("shutting down", "signal", sig.String())
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "azuredr-emulator: shutdown: %v\n", err)
		return exitError
	}
	return exitOK
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "azuredr-emulator: %s\n", msg)
	fmt.Fprintln(stderr, "Run 'azuredr-emulator -h' for usage.")
	return exitUsage
}
