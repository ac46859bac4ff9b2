package faults

import (
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// Set is the active rules, in the order they were added. Safe for concurrent
// use.
type Set struct {
	mu     sync.Mutex
	rules  []*Rule
	random func() float64 // in [0,1); replaceable in tests
}

// NewSet returns an empty set.
func NewSet() *Set {
	return &Set{random: rand.Float64}
}

// Add activates r under a new id and returns it as listed.
func (s *Set) Add(r Rule) Rule {
	r.ID = arm.NewGUID()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &r)
	return r
}

// List returns the active rules.
func (s *Set) List() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, 0, len(s.rules))
	for _, r := range s.rules {
		out = append(out, r.copy())
	}
	return out
}

// Remove deletes one rule and reports whether it existed.
func (s *Set) Remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if strings.EqualFold(r.ID, id) {
			s.rules = append(s.rules[:i], s.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear deletes every rule.
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
}

// NeedsRegion reports whether any rule is scoped to a region, so the server
// only works out a request's region when it matters.
func (s *Set) NeedsRegion() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if r.Region != "" && r.Kind != ReplicationPause {
			return true
		}
	}
	return false
}

// Target is what rules are matched against: the request's ARM path and the
// region it touches ("" when it touches none or it is unknown).
type Target struct {
	Path   string
	Region string
}

// Decision is the outcome of the rules for one request.
type Decision struct {
	// Latency to add before handling the request (or refusing it).
	Latency time.Duration
	// Refusal, when not nil, is the error to answer instead of handling.
	Refusal *arm.Error
	// Drop, when not DropNone, says to close the connection without an
	// answer, before or after handling the request.
	Drop DropWhen
	// Applied lists the kind of every rule that hit, for the stats.
	Applied []Kind
}

// DropWhen is when a drop rule closes the connection.
type DropWhen int

// When a connection is dropped.
const (
	DropNone           DropWhen = iota
	DropBeforeHandling          // the request is never handled
	DropAfterHandling           // the request is handled, its answer lost
)

// refuses reports whether an earlier rule already decided the answer.
func (d *Decision) refuses() bool { return d.Refusal != nil || d.Drop != DropNone }

// Decide applies the rules to one request. Every matching latency rule adds
// its delay; the first matching refusing rule refuses. A rule with a count is
// used up by the requests it hits, and removed when it reaches zero.
func (s *Set) Decide(t Target) Decision {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d Decision
	kept := s.rules[:0]
	for _, r := range s.rules {
		if d.hit(r, t, s.random) && r.Count != nil {
			*r.Count--
		}
		if r.Count == nil || *r.Count > 0 {
			kept = append(kept, r)
		}
	}
	clear(s.rules[len(kept):])
	s.rules = kept
	return d
}

// hit applies r to the decision if it matches and fires, and reports whether
// it did.
func (d *Decision) hit(r *Rule, t Target, random func() float64) bool {
	if r.Kind == ReplicationPause || r.Kind == VMFailure {
		return false // touch replication and sites, not requests
	}
	if r.PathPrefix != "" && !strings.HasPrefix(strings.ToLower(t.Path), strings.ToLower(r.PathPrefix)) {
		return false
	}
	if r.Region != "" && r.Region != t.Region {
		return false
	}
	if r.Kind != Latency && d.refuses() {
		return false // an earlier rule already refuses; leave this one's count alone
	}
	if r.Rate < 1 && random() >= r.Rate {
		return false
	}
	switch {
	case r.Kind == Latency:
		d.Latency += time.Duration(r.LatencyMs) * time.Millisecond
	case r.Kind == Drop && r.AfterHandling:
		d.Drop = DropAfterHandling
	case r.Kind == Drop:
		d.Drop = DropBeforeHandling
	default:
		d.Refusal = r.Refusal()
	}
	r.Applied++
	d.Applied = append(d.Applied, r.Kind)
	return true
}

func (r *Rule) copy() Rule {
	c := *r
	if r.Count != nil {
		n := *r.Count
		c.Count = &n
	}
	return c
}
