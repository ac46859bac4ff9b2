package emulator

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
)

// Options configure a Server.
type Options struct {
	// Listen is the TCP address to serve on; "127.0.0.1:0" (a free port)
	// when empty. It must be a loopback address unless AllowNonLoopback.
	Listen string
	// DataDir holds the durable state; created if missing. Required.
	DataDir string
	// SeedFile, optional, is a JSON estate applied once to an empty DataDir.
	SeedFile string
	// TimeScale is simulated seconds per real second; 1 when zero. Tests use
	// large values so operations that take minutes in Azure take milliseconds.
	TimeScale float64
	// AllowNonLoopback permits listening on other interfaces. The emulator
	// accepts any bearer token, so exposing it is a deliberate choice.
	AllowNonLoopback bool
	// Logger receives the emulator's logs; nothing is logged when nil.
	Logger *slog.Logger
	// LogRequests logs one line per request at info level.
	LogRequests bool
	// WebPort is the port the web sites of every VM share, each VM on a
	// loopback address of its own. 0 picks a free port when the first site
	// starts and keeps it in DataDir, so a restart serves the same URLs.
	WebPort int
	// DNSListen is the address (UDP and TCP) of the DNS server answering
	// Traffic Manager names; "127.0.0.1:0" (a free port) when empty. It must
	// be a loopback address unless AllowNonLoopback.
	DNSListen string
}

// ErrNonLoopback is returned by New for a non-loopback Listen address
// without AllowNonLoopback.
var ErrNonLoopback = errors.New("listen address is not a loopback address")

const defaultListen = "127.0.0.1:0"

// withDefaults validates o and fills in defaults.
func (o Options) withDefaults() (Options, error) {
	if o.DataDir == "" {
		return o, errors.New("emulator: a data directory is required")
	}
	if o.Listen == "" {
		o.Listen = defaultListen
	}
	if o.DNSListen == "" {
		o.DNSListen = defaultListen
	}
	if o.WebPort < 0 || o.WebPort > 65535 {
		return o, fmt.Errorf("emulator: web port must be between 0 and 65535, got %d", o.WebPort)
	}
	if o.TimeScale == 0 {
		o.TimeScale = 1
	}
	if o.TimeScale < 0 {
		return o, fmt.Errorf("emulator: time scale must be positive, got %v", o.TimeScale)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if !o.AllowNonLoopback {
		if err := checkLoopback(o.Listen); err != nil {
			return o, err
		}
		if err := checkLoopback(o.DNSListen); err != nil {
			return o, err
		}
	}
	return o, nil
}

// checkLoopback accepts "localhost" and loopback IPs only: an empty host
// (":8080") would listen on every interface.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator: %w: %q (use 127.0.0.1 or [::1], or allow non-loopback addresses explicitly)", ErrNonLoopback, addr)
}
