package web

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// bindAttempts is how many random addresses Serve tries before giving up.
const bindAttempts = 32

// ErrClosed is returned by Serve after Close.
var ErrClosed = errors.New("web: fleet closed")

// Fleet is the web servers of one emulator's VMs: one loopback address per
// VM, one port for all. Safe for concurrent use.
type Fleet struct {
	unavailable Unavailable
	canary      CanaryFunc
	log         *slog.Logger

	mu      sync.Mutex
	port    int                // 0 until the first site is bound, when asked to pick
	servers map[string]*server // by lower-case VM id
	closed  bool
}

type server struct {
	ip      string
	handler *handler
	http    *http.Server
}

// Unavailable says why the site of VM id in region cannot answer right now
// (an emulated fault), or "" when it can.
type Unavailable func(id, region string) string

// NewFleet returns a fleet serving on port, or on a free port chosen when
// the first site starts if port is 0. unavailable is asked on every request
// whether the site is down (a region outage, a failed host); canary (nil:
// none) performs the writes of POST /canary.
func NewFleet(port int, unavailable Unavailable, canary CanaryFunc, log *slog.Logger) *Fleet {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Fleet{port: port, unavailable: unavailable, canary: canary, log: log, servers: map[string]*server{}}
}

// Port is the port every site answers on; 0 while no site was ever bound on a
// fleet asked to pick one.
func (f *Fleet) Port() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.port
}

// Serve starts serving site, at loopback address ip when ip is not empty and
// can be bound, else at a random address in 127.64.0.0/10 (another emulator
// on the machine may hold an address with the same port, hence the retries).
// A site already served keeps its address and only has its content
// replaced. Serve returns the address the site answers at.
func (f *Fleet) Serve(site Site, ip string) (string, error) {
	key := strings.ToLower(site.ID)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return "", ErrClosed
	}
	if srv, ok := f.servers[key]; ok {
		srv.handler.site.Store(&site)
		return srv.ip, nil
	}
	h := &handler{unavailable: f.unavailable, canary: f.canary}
	h.site.Store(&site)
	l, err := f.bind(ip)
	if err != nil {
		return "", fmt.Errorf("web: serving %s: %w", site.Name, err)
	}
	srv := &server{
		ip:      l.Addr().(*net.TCPAddr).IP.String(),
		handler: h,
		http:    &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(f.log.Handler(), slog.LevelDebug)},
	}
	f.servers[key] = srv
	go func() {
		if err := srv.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			f.log.Error("web site stopped", "vm", site.ID, "err", err)
		}
	}()
	f.log.Info("web site started", "vm", site.ID, "url", "http://"+net.JoinHostPort(srv.ip, strconv.Itoa(f.port))+"/")
	return srv.ip, nil
}

// bind listens on ip (when given) or random loopback addresses, on the
// fleet's port, fixing the port at the first bind when it is 0. Callers hold
// f.mu.
func (f *Fleet) bind(ip string) (net.Listener, error) {
	var lastErr error
	for attempt := 0; attempt <= bindAttempts; attempt++ {
		candidate := ip
		if attempt > 0 || candidate == "" {
			candidate = f.randomAddress()
		}
		if parsed := net.ParseIP(candidate); parsed == nil || !parsed.IsLoopback() {
			lastErr = fmt.Errorf("%q is not a loopback address", candidate)
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(candidate, strconv.Itoa(f.port)))
		if err != nil {
			lastErr = err
			continue
		}
		if f.port == 0 {
			f.port = l.Addr().(*net.TCPAddr).Port
		}
		return l, nil
	}
	return nil, fmt.Errorf("no loopback address in 127.64.0.0/10 could be bound on port %d: %w", f.port, lastErr)
}

// randomAddress picks an address in 127.64.0.0/10 that no site of this
// fleet uses (.0 and .255 last octets are avoided for readability).
func (f *Fleet) randomAddress() string {
	for {
		ip := fmt.Sprintf("127.%d.%d.%d", 64+rand.IntN(64), rand.IntN(256), 1+rand.IntN(254))
		if !f.usedLocked(ip) {
			return ip
		}
	}
}

func (f *Fleet) usedLocked(ip string) bool {
	for _, s := range f.servers {
		if s.ip == ip {
			return true
		}
	}
	return false
}

// Address returns the address a site answers at, if it is served.
func (f *Fleet) Address(id string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if srv, ok := f.servers[strings.ToLower(id)]; ok {
		return srv.ip, true
	}
	return "", false
}

// Served lists the ids (lower-case) of the sites being served.
func (f *Fleet) Served() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.servers))
	for k := range f.servers {
		out = append(out, k)
	}
	return out
}

// Stop stops serving a site (its VM was deleted or stopped).
func (f *Fleet) Stop(id string) {
	f.mu.Lock()
	srv, ok := f.servers[strings.ToLower(id)]
	delete(f.servers, strings.ToLower(id))
	f.mu.Unlock()
	if ok {
		_ = srv.http.Close()
	}
}

// Close stops every site; Serve fails afterwards.
func (f *Fleet) Close() {
	f.mu.Lock()
	servers := f.servers
	f.servers, f.closed = map[string]*server{}, true
	f.mu.Unlock()
	for _, srv := range servers {
		_ = srv.http.Close()
	}
}
