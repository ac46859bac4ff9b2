package main

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// reqLog records the emulator's request log lines while on: when each
// request arrived and ended, and what it was answered. The throttling
// check uses it to see how long a client waited after a 429.
type reqLog struct {
	on atomic.Bool
	mu sync.Mutex
	v  []loggedRequest
}

type loggedRequest struct {
	Method, Path   string
	Status         int
	Arrived, Ended time.Time
}

func (l *reqLog) start() {
	l.mu.Lock()
	l.v = nil
	l.mu.Unlock()
	l.on.Store(true)
}

func (l *reqLog) stop() []loggedRequest {
	l.on.Store(false)
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v
}

// Handler returns the slog handler the emulator logs to.
func (l *reqLog) handler() slog.Handler { return reqLogHandler{l} }

type reqLogHandler struct{ l *reqLog }

func (h reqLogHandler) Enabled(context.Context, slog.Level) bool { return h.l.on.Load() }

func (h reqLogHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	e := loggedRequest{Ended: r.Time}
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			e.Method = a.Value.String()
		case "path":
			e.Path = a.Value.String()
		case "status":
			e.Status = int(a.Value.Int64())
		case "duration":
			e.Arrived = r.Time.Add(-a.Value.Duration())
		}
		return true
	})
	h.l.mu.Lock()
	h.l.v = append(h.l.v, e)
	h.l.mu.Unlock()
	return nil
}

func (h reqLogHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h reqLogHandler) WithGroup(string) slog.Handler      { return h }

// retryGaps returns, for every request answered 429, how long its client
// waited before sending the same request again (same method and path),
// and how many were never retried.
func retryGaps(reqs []loggedRequest) (gaps []time.Duration, unretried int) {
	for i, r := range reqs {
		if r.Status != 429 {
			continue
		}
		found := false
		var next time.Time
		for _, s := range reqs[i+1:] {
			if s.Method == r.Method && s.Path == r.Path && s.Arrived.After(r.Ended) && (!found || s.Arrived.Before(next)) {
				next, found = s.Arrived, true
			}
		}
		if !found {
			unretried++
			continue
		}
		gaps = append(gaps, next.Sub(r.Ended))
	}
	return gaps, unretried
}

// armRequests are the ARM requests of a log (the admin API's left out).
func armRequests(reqs []loggedRequest) []loggedRequest {
	var out []loggedRequest
	for _, r := range reqs {
		if strings.HasPrefix(strings.ToLower(r.Path), "/subscriptions/") {
			out = append(out, r)
		}
	}
	return out
}

// runCommandCount is what VM Run Command cost a drill: the runs (POST
// .../runCommand, each try counted) and the polls of their operations.
type runCommandCount struct{ Runs, Polls int }

func (c runCommandCount) Requests() int { return c.Runs + c.Polls }

var (
	runCommandPathRE = regexp.MustCompile(`(?i)/providers/Microsoft\.Compute/virtualMachines/[^/]+/runCommand$`)
	// A Compute operation's status or result URL: in a drill only Run
	// Command starts Compute operations (Site Recovery creates and deletes
	// the test VMs itself).
	computePollRE = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/providers/Microsoft\.Compute/locations/[^/]+/(operations|operationResults)/[^/]+$`)
)

// runCommandRequests counts a drill's Run Command requests in its log.
func runCommandRequests(reqs []loggedRequest) runCommandCount {
	var c runCommandCount
	for _, r := range reqs {
		switch {
		case r.Method == "POST" && runCommandPathRE.MatchString(r.Path):
			c.Runs++
		case r.Method == "GET" && computePollRE.MatchString(r.Path):
			c.Polls++
		}
	}
	return c
}
