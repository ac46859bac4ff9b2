// Package stats counts the ARM requests the emulator answers, for benchmarks
// and tests: in total, per operation id and method, per status code, and the
// faults that hit them. Admin requests are not counted.
package stats

import (
	"maps"
	"strconv"
	"sync"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
)

// Counter accumulates request counts. Safe for concurrent use. It counts
// straight into the admin API's answer, admin.Stats: the counters are that
// view and nothing else (in memory only, never persisted), so the shape
// is declared once, in the client's package.
type Counter struct {
	mu sync.Mutex
	s  admin.Stats
}

// New returns a zeroed counter.
func New() *Counter {
	c := &Counter{}
	c.Reset()
	return c
}

// Request counts one answered request.
func (c *Counter) Request(operation, method string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Requests++
	byMethod := c.s.Operations[operation]
	if byMethod == nil {
		byMethod = map[string]int{}
		c.s.Operations[operation] = byMethod
	}
	byMethod[method]++
	c.s.Statuses[strconv.Itoa(status)]++
}

// Fault counts fault rule hits.
func (c *Counter) Fault(kinds ...faults.Kind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range kinds {
		c.s.Faults[admin.FaultKind(k)]++
	}
}

// Snapshot returns a copy of the counters.
func (c *Counter) Snapshot() admin.Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := admin.Stats{
		Requests:   c.s.Requests,
		Operations: make(map[string]map[string]int, len(c.s.Operations)),
		Statuses:   maps.Clone(c.s.Statuses),
		Faults:     maps.Clone(c.s.Faults),
	}
	for op, byMethod := range c.s.Operations {
		out.Operations[op] = maps.Clone(byMethod)
	}
	return out
}

// Reset zeroes the counters. Every fault kind is always listed, so a reader
// can tell "none" from "not reported".
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = admin.Stats{
		Operations: map[string]map[string]int{},
		Statuses:   map[string]int{},
		Faults:     map[admin.FaultKind]int{},
	}
	for _, k := range faults.Kinds {
		c.s.Faults[admin.FaultKind(k)] = 0
	}
}
