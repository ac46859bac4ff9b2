package drill

import (
	"sync"
	"time"
)

// Event is one step of a drill, in the order it happened.
type Event struct {
	Time    time.Time
	Phase   string
	Group   int    // 1-based; 0 outside a group
	Item    string // the item's name, "" for the drill
	Message string
	// Elapsed is Time minus the drill's start.
	Elapsed time.Duration
	// JobID, on an event about a Site Recovery operation, is the operation's
	// job ({vault}/replicationJobs/{name}; see jobs.go).
	JobID string
}

// The phases every kind of drill goes through (each kind adds its own).
const (
	PhaseValidate      = "validate"
	PhaseCanary        = "canary"
	PhaseGroupStart    = "group-start"
	PhasePreAction     = "pre-action"
	PhaseRecoveryPoint = "recovery-point"
	PhaseCheckFailed   = "check-failed"
	PhaseCheckPassed   = "check-passed"
	PhaseItemReady     = "item-ready"
	PhasePostAction    = "post-action"
	PhaseChecksPassed  = "checks-passed"
	PhaseCleanup       = "cleanup"
	PhaseCleanupDone   = "cleanup-done"
	PhaseVerdict       = "verdict"
	PhaseError         = "error"
)

// EmitFunc records an event: what the parts of a drill (actions, checks)
// are given to report with.
type EmitFunc func(phase string, group int, item, msg string)

// Log is a drill's event log. Every event is stamped on Clock, and, once
// the drill has started, with its time since StartedAt. Emit is safe for
// concurrent use; Clock, StartedAt and OnEvent are set before the drill's
// goroutines start.
type Log struct {
	Clock     Clock
	StartedAt time.Time
	// OnEvent receives every event as it is recorded, synchronously (the
	// spec's Events).
	OnEvent func(Event)

	mu     sync.Mutex
	events []Event
}

// Start marks the drill's start on its clock and returns it.
func (l *Log) Start() time.Time {
	l.StartedAt = l.Clock.Now()
	return l.StartedAt
}

// Emit records an event and hands it to OnEvent. It has EmitFunc's shape.
func (l *Log) Emit(phase string, group int, item, msg string) {
	l.emit(Event{Phase: phase, Group: group, Item: item, Message: msg})
}

// emit stamps e and records it.
func (l *Log) emit(e Event) {
	now := l.Clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Time = now
	if !l.StartedAt.IsZero() {
		e.Elapsed = now.Sub(l.StartedAt)
	}
	l.events = append(l.events, e)
	if l.OnEvent != nil {
		l.OnEvent(e)
	}
}

// Events are the events so far, in order.
func (l *Log) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...)
}
