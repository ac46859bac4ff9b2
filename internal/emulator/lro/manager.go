package lro

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/clock"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Manager owns the operations of one emulator: it starts them inside the
// handler's transaction, completes them when due and answers their polls.
type Manager struct {
	st    *store.Store
	clock *clock.Clock
	log   *slog.Logger
	kinds map[string]Kind

	mu      sync.Mutex
	pending map[string]time.Time // unfinished operation id -> due time (simulated)

	wake      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	started   atomic.Bool
	closeOnce sync.Once
}

// NewManager returns a manager with no kinds registered and its scheduler
// not yet running.
func NewManager(st *store.Store, c *clock.Clock, log *slog.Logger) *Manager {
	return &Manager{
		st:      st,
		clock:   c,
		log:     log,
		kinds:   make(map[string]Kind),
		pending: make(map[string]time.Time),
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
}

// Register adds a kind. Kinds are registered before Recover and Run; a
// duplicate or incomplete kind is a programming error and panics.
func (m *Manager) Register(k Kind) {
	if k.Name == "" || k.Namespace == "" || k.Complete == nil {
		panic(fmt.Sprintf("lro: kind %q needs Name, Namespace and Complete", k.Name))
	}
	if _, dup := m.kinds[k.Name]; dup {
		panic(fmt.Sprintf("lro: kind %q registered twice", k.Name))
	}
	m.kinds[k.Name] = k
}

// Spec describes an operation to start.
type Spec struct {
	Kind       string
	ResourceID string // the resource the operation acts on, as its id is shown
	Location   string // the resource's region
	Method     string // the HTTP method that started it; picks the default Location result
	APIVersion string // echoed in the polling URLs
	// Duration overrides the kind's simulated duration when non-zero.
	Duration time.Duration
	// Input is kind-specific data for the completion (marshalled as JSON).
	Input any
}

// Start records a new operation in tx. It fails with 409
// AnotherOperationInProgress when the resource already has one. The scheduler
// learns of the operation only once tx commits.
func (m *Manager) Start(tx *store.Tx, spec Spec) (*Operation, error) {
	kind, ok := m.kinds[spec.Kind]
	if !ok {
		return nil, fmt.Errorf("lro: unknown kind %q", spec.Kind)
	}
	if cur, ok, err := m.InFlight(tx, spec.ResourceID); err != nil {
		return nil, err
	} else if ok {
		return nil, arm.AnotherOperationInProgress(spec.ResourceID, cur.ID)
	}
	d := spec.Duration
	if d == 0 {
		d = kind.Duration
	}
	now := m.clock.Now()
	op := &Operation{
		ID:         arm.NewGUID(),
		Kind:       spec.Kind,
		ResourceID: spec.ResourceID,
		Location:   spec.Location,
		Method:     spec.Method,
		APIVersion: spec.APIVersion,
		Status:     InProgress,
		StartTime:  now,
		DueTime:    now.Add(d),
	}
	if spec.Input != nil {
		raw, err := json.Marshal(spec.Input)
		if err != nil {
			return nil, err
		}
		op.Input = raw
	}
	if err := saveOperation(tx, op); err != nil {
		return nil, err
	}
	tx.Put(inflightKey(op.ResourceID), []byte(op.ID))
	tx.OnCommit(func() { m.track(op.ID, op.DueTime) })
	return op, nil
}

// InFlight returns the unfinished operation on a resource, if any.
func (m *Manager) InFlight(r store.Reader, resourceID string) (*Operation, bool, error) {
	id, ok := r.Get(inflightKey(resourceID))
	if !ok {
		return nil, false, nil
	}
	return loadOperation(r, string(id))
}

// InFlightUnder returns an unfinished operation on a resource whose id
// starts with prefix + "/" (a child resource of prefix), if any.
func (m *Manager) InFlightUnder(r store.Reader, prefix string) (*Operation, bool, error) {
	for _, e := range r.List(inflightKey(prefix) + "/") {
		op, ok, err := loadOperation(r, string(e.Value))
		if err != nil || (ok && !op.Terminal()) {
			return op, ok, err
		}
	}
	return nil, false, nil
}

// Get returns an operation by id, with its progress as of now.
func (m *Manager) Get(id string) (*Operation, bool, error) {
	op, ok, err := loadOperation(m.st, id)
	if ok {
		op.PercentComplete = op.progress(m.clock.Now())
	}
	return op, ok, err
}

// List returns the operations with the given status (all when status is
// empty), oldest first, with their progress as of now.
func (m *Manager) List(status Status) ([]Operation, error) {
	now := m.clock.Now()
	var out []Operation
	for _, e := range m.st.List(operationsPrefix) {
		var op Operation
		if err := json.Unmarshal(e.Value, &op); err != nil {
			return nil, fmt.Errorf("operation %s: %w", e.Key, err)
		}
		if status != "" && op.Status != status {
			continue
		}
		op.PercentComplete = op.progress(now)
		out = append(out, op)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartTime.Before(out[j].StartTime) })
	return out, nil
}

// Pending is the number of unfinished operations.
func (m *Manager) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// CancelUnder cancels, in tx, every unfinished operation on a resource whose
// id starts with prefix + "/" (the resources inside a group being deleted),
// except the operation doing the deleting.
func (m *Manager) CancelUnder(tx *store.Tx, prefix, except, reason string) error {
	for _, e := range tx.List(inflightKey(prefix) + "/") {
		op, ok, err := loadOperation(tx, string(e.Value))
		if err != nil {
			return err
		}
		if !ok || op.ID == except || op.Terminal() {
			continue
		}
		if err := m.finish(tx, op, Canceled, arm.OperationCanceled(reason)); err != nil {
			return err
		}
	}
	return nil
}

// finish moves op to a terminal status in tx and releases its resource.
func (m *Manager) finish(tx *store.Tx, op *Operation, status Status, failure *arm.Error) error {
	now := m.clock.Now()
	if status == Succeeded {
		op.PercentComplete = 100
	} else {
		op.PercentComplete = op.progress(now)
	}
	op.Status = status
	op.EndTime = &now
	op.Error = failure
	if err := saveOperation(tx, op); err != nil {
		return err
	}
	if cur, ok := tx.Get(inflightKey(op.ResourceID)); ok && string(cur) == op.ID {
		tx.Delete(inflightKey(op.ResourceID))
	}
	id := op.ID
	tx.OnCommit(func() { m.untrack(id) })
	return nil
}

func (m *Manager) track(id string, due time.Time) {
	m.mu.Lock()
	m.pending[id] = due
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *Manager) untrack(id string) {
	m.mu.Lock()
	delete(m.pending, id)
	m.mu.Unlock()
}
