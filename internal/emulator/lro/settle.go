package lro

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// errKindFailed aborts a completion transaction whose kind reported failure,
// so none of the completion's writes are kept.
var errKindFailed = errors.New("lro: completion failed")

// SettleDue completes every operation whose due time has passed. The server
// calls it before handling each request, so a poll arriving just after the
// due time sees the finished state even if the scheduler has not run yet. It
// reports whether a completion could not be written (the store failed).
func (m *Manager) SettleDue() (storeFailed bool) {
	now := m.clock.Now()
	type due struct {
		id string
		at time.Time
	}
	var list []due
	m.mu.Lock()
	for id, at := range m.pending {
		if !at.After(now) {
			list = append(list, due{id, at})
		}
	}
	m.mu.Unlock()
	sort.Slice(list, func(i, j int) bool {
		if !list[i].at.Equal(list[j].at) {
			return list[i].at.Before(list[j].at)
		}
		return list[i].id < list[j].id
	})
	for _, d := range list {
		if err := m.settle(d.id); err != nil {
			m.log.Error("completing operation", "operation", d.id, "err", err)
			storeFailed = true
		}
	}
	return storeFailed
}

// settle completes one operation. Two callers may race to settle the same
// operation; transactions are serialised and the loser finds it terminal.
func (m *Manager) settle(id string) error {
	var cause error
	err := m.st.Update(func(tx *store.Tx) error {
		op, ok, err := m.loadUnfinished(tx, id)
		if !ok {
			return err
		}
		kind, known := m.kinds[op.Kind]
		if !known {
			cause = fmt.Errorf("the emulator has no handler for operation kind %q", op.Kind)
			return errKindFailed
		}
		if err := kind.Complete(tx, op); err != nil {
			cause = err
			return errKindFailed
		}
		return m.finish(tx, op, Succeeded, nil)
	})
	if errors.Is(err, errKindFailed) {
		return m.fail(id, cause)
	}
	return err
}

// loadUnfinished loads the operation a completion transaction works on. ok
// is false when there is nothing to do (err says whether that is a failure):
// the operation is gone or already finished, and the scheduler forgets it
// once tx commits.
func (m *Manager) loadUnfinished(tx *store.Tx, id string) (*Operation, bool, error) {
	op, ok, err := loadOperation(tx, id)
	if err != nil {
		return nil, false, err
	}
	if !ok || op.Terminal() {
		tx.OnCommit(func() { m.untrack(id) })
		return nil, false, nil
	}
	return op, true, nil
}

// fail marks an operation Failed with cause, after letting its kind record
// the failure on the resource.
func (m *Manager) fail(id string, cause error) error {
	return m.st.Update(func(tx *store.Tx) error {
		op, ok, err := m.loadUnfinished(tx, id)
		if !ok {
			return err
		}
		if kind, known := m.kinds[op.Kind]; known && kind.Fail != nil {
			if err := kind.Fail(tx, op); err != nil {
				m.log.Error("recording operation failure on resource", "operation", id, "err", err)
			}
		}
		return m.finish(tx, op, Failed, arm.AsError(cause))
	})
}

// Recover picks up the operations that were unfinished when the emulator
// stopped: each continues on its schedule (or completes at once if overdue);
// one whose kind this build does not know fails cleanly instead of staying
// in progress forever. Call it after every kind is registered, before Run.
func (m *Manager) Recover() error {
	ops, err := m.List(InProgress)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if _, known := m.kinds[op.Kind]; known {
			m.track(op.ID, op.DueTime)
			continue
		}
		if err := m.fail(op.ID, fmt.Errorf("the emulator has no handler for operation kind %q", op.Kind)); err != nil {
			return err
		}
	}
	return nil
}
