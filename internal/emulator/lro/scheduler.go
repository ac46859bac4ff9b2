package lro

import "time"

const (
	// schedulerSlack is added to every wait so the timer never fires a hair
	// before the due time because of float rounding in the clock.
	schedulerSlack = time.Millisecond
	// storeRetryDelay spaces out retries when the store refuses completions,
	// instead of spinning on an overdue operation.
	storeRetryDelay = time.Second
)

// Run starts the scheduler, which completes operations when they are due
// whether or not anyone polls them.
func (m *Manager) Run() {
	m.started.Store(true)
	go m.loop()
}

func (m *Manager) loop() {
	defer close(m.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		storeFailed := m.SettleDue()
		wait, ok := m.nextWait()
		if storeFailed && (!ok || wait < storeRetryDelay) {
			wait, ok = storeRetryDelay, true
		}
		if ok {
			timer.Reset(wait)
		}
		select {
		case <-m.stop:
			timer.Stop()
			return
		case <-m.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// nextWait is the real time until the earliest pending operation is due.
func (m *Manager) nextWait() (time.Duration, bool) {
	m.mu.Lock()
	var next time.Time
	for _, at := range m.pending {
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	m.mu.Unlock()
	if next.IsZero() {
		return 0, false
	}
	return max(m.clock.RealUntil(next), 0) + schedulerSlack, true
}

// Close stops the scheduler and waits for it. Operations still pending stay
// in the store and resume when the data directory is opened again.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		close(m.stop)
		if m.started.Load() {
			<-m.done
		}
	})
}
