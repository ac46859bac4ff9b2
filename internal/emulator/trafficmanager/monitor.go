package trafficmanager

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Real-time floors of probing: whatever the time scale, probes are not sent
// more often than every MinProbeInterval, and a probe is given at least
// MinProbeTimeout (loopback answers in well under that, but a loaded test
// machine should not turn a slow answer into a failure).
const (
	MinProbeInterval = 50 * time.Millisecond
	MinProbeTimeout  = 250 * time.Millisecond
)

// Options configure a Monitor.
type Options struct {
	// Real converts a simulated duration into real time (the clock's scale).
	Real func(sim time.Duration) time.Duration
	// Now is the simulated time, for probe results.
	Now func() time.Time
	// RegionDown reports an outage of a region (a fault rule).
	RegionDown func(region string) bool
	Log        *slog.Logger
}

// Monitor probes the endpoints of every enabled profile in the background
// and keeps their health. Sync tells it what the profiles are; it answers
// health and DNS questions from the last Sync. Safe for concurrent use;
// nothing it does blocks on a probe.
type Monitor struct {
	opts   Options
	client *http.Client

	mu       sync.Mutex
	profiles map[string]*run // by lower-case profile id
	byName   map[string]*run // by lower-case relative name
	closed   bool
	wg       sync.WaitGroup
}

// run is one profile's monitoring state.
type run struct {
	spec     ProfileSpec
	states   map[string]*endpointState // by lower-case endpoint name
	probeKey string                    // what the running probe loop probes
	cancel   context.CancelFunc        // stops the probe loop; nil when none runs
	gen      int                       // incremented per probe loop started
}

// endpointState is what the monitor knows of one probed endpoint.
type endpointState struct {
	key      string // EndpointSpec.key at the time the state began
	status   string // MonitorChecking, MonitorOnline or MonitorDegraded
	failures int    // consecutive failed probes
	probes   int
	last     *ProbeResult
}

// NewMonitor returns a monitor with no profiles.
func NewMonitor(opts Options) *Monitor {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.RegionDown == nil {
		opts.RegionDown = func(string) bool { return false }
	}
	if opts.Real == nil {
		opts.Real = func(d time.Duration) time.Duration { return d }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Monitor{opts: opts, client: newProbeClient(), profiles: map[string]*run{}, byName: map[string]*run{}}
}

// Sync makes the monitor's profiles those given: probing starts for new
// enabled profiles, restarts when what is probed changes, and stops for
// disabled and removed ones. Endpoints keep their health across a Sync
// unless the probe settings or what the endpoint points at changed.
func (m *Monitor) Sync(specs []ProfileSpec) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	seen := map[string]bool{}
	m.byName = map[string]*run{}
	for _, spec := range specs {
		key := strings.ToLower(spec.ID)
		seen[key] = true
		r := m.profiles[key]
		if r == nil {
			r = &run{states: map[string]*endpointState{}}
			m.profiles[key] = r
		}
		m.update(r, spec)
		m.byName[spec.RelativeName] = r
	}
	for key, r := range m.profiles {
		if !seen[key] {
			r.stop()
			delete(m.profiles, key)
		}
	}
}

// update applies a new spec to a run. Callers hold m.mu.
func (m *Monitor) update(r *run, spec ProfileSpec) {
	if r.spec.ID == "" || r.spec.Monitor.key() != spec.Monitor.key() || !spec.Enabled {
		r.states = map[string]*endpointState{}
	}
	keep := map[string]bool{}
	probeKey := spec.Monitor.key()
	for _, ep := range spec.Endpoints {
		if !ep.probed() {
			continue
		}
		name := strings.ToLower(ep.Name)
		keep[name] = true
		if st := r.states[name]; st == nil || st.key != ep.key() {
			r.states[name] = &endpointState{key: ep.key(), status: MonitorChecking}
		}
		probeKey += "\n" + name + "|" + ep.key()
	}
	for name := range r.states {
		if !keep[name] {
			delete(r.states, name)
		}
	}
	probing := spec.Enabled && len(keep) > 0
	if r.cancel != nil && (!probing || probeKey != r.probeKey) {
		r.stop()
	}
	r.spec = spec
	if probing && r.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		r.cancel, r.probeKey = cancel, probeKey
		r.gen++
		m.wg.Add(1)
		go m.probeLoop(ctx, r, spec, r.gen)
	}
}

func (r *run) stop() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
}

// intervals are the real probing interval and timeout of a profile.
func (m *Monitor) intervals(ms MonitorSettings) (interval, timeout time.Duration) {
	return max(m.opts.Real(ms.Interval), MinProbeInterval), max(m.opts.Real(ms.Timeout), MinProbeTimeout)
}

// probeLoop probes every probed endpoint of spec once per interval, all of
// them concurrently, until ctx is cancelled. The first round starts at once.
func (m *Monitor) probeLoop(ctx context.Context, r *run, spec ProfileSpec, gen int) {
	defer m.wg.Done()
	interval, timeout := m.intervals(spec.Monitor)
	var eps []EndpointSpec
	for _, ep := range spec.Endpoints {
		if ep.probed() {
			eps = append(eps, ep)
		}
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		results := make([]ProbeResult, len(eps))
		var wg sync.WaitGroup
		for i, ep := range eps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pctx, cancel := context.WithTimeout(ctx, timeout)
				defer cancel()
				ok, detail := m.probe(pctx, spec.Monitor, ep)
				results[i] = ProbeResult{Time: m.opts.Now(), OK: ok, Detail: detail}
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return
		}
		m.record(r, gen, spec.Monitor.Tolerated, eps, results)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// record applies one round of probe results: an endpoint is Online after a
// success, and Degraded after more than the tolerated number of consecutive
// failures; in between it keeps its status (CheckingEndpoint until the
// first verdict).
func (m *Monitor) record(r *run, gen, tolerated int, eps []EndpointSpec, results []ProbeResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.gen != gen || r.cancel == nil {
		return // a newer loop (or none) owns this profile now
	}
	for i, ep := range eps {
		st := r.states[strings.ToLower(ep.Name)]
		if st == nil || st.key != ep.key() {
			continue
		}
		res := results[i]
		st.probes++
		st.last = &res
		prev := st.status
		if res.OK {
			st.failures, st.status = 0, MonitorOnline
		} else {
			st.failures++
			if st.failures > tolerated {
				st.status = MonitorDegraded
			}
		}
		if st.status != prev {
			m.opts.Log.Info("traffic manager endpoint health changed", "profile", r.spec.ID, "endpoint", ep.Name,
				"from", prev, "to", st.status, "probe", res.Detail)
		}
	}
}

// Close stops every probe loop and waits for them.
func (m *Monitor) Close() {
	m.mu.Lock()
	m.closed = true
	for _, r := range m.profiles {
		r.stop()
	}
	m.mu.Unlock()
	m.wg.Wait()
}

// EndpointHealth is one endpoint's health as the monitor sees it (in
// memory; the admin API shows it as admin.TrafficManagerEndpoint's last
// fields, runtime.go).
type EndpointHealth struct {
	Status              string
	ConsecutiveFailures int
	Probes              int
	LastProbe           *ProbeResult
}

// ProfileHealth is a profile's health: its monitor status and its
// endpoints', in the spec's order.
type ProfileHealth struct {
	Status    string
	Endpoints []EndpointHealth
	// Probing is whether a probe loop runs; Interval and Timeout are its
	// real durations.
	Probing  bool
	Interval time.Duration
	Timeout  time.Duration
}

// Health computes the statuses of spec (normally the stored profile; the
// monitor's own copy may be an instant older) from what the probes found.
func (m *Monitor) Health(spec ProfileSpec) ProfileHealth {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.profiles[strings.ToLower(spec.ID)]
	h := ProfileHealth{}
	if r != nil {
		h.Probing = r.cancel != nil
	}
	h.Interval, h.Timeout = m.intervals(spec.Monitor)
	for _, ep := range spec.Endpoints {
		eh := EndpointHealth{Status: m.endpointStatus(spec, r, ep, 0)}
		if r != nil {
			if st := r.states[strings.ToLower(ep.Name)]; st != nil && st.key == ep.key() {
				eh.ConsecutiveFailures, eh.Probes, eh.LastProbe = st.failures, st.probes, st.last
			}
		}
		h.Endpoints = append(h.Endpoints, eh)
	}
	h.Status = profileStatus(spec, h.Endpoints)
	return h
}

// maxNesting bounds how deep nested profiles are followed (a cycle of
// nested profiles is not refused, just cut off).
const maxNesting = 8

// endpointStatus follows Traffic Manager's table. Callers hold m.mu; r may
// be nil (a profile the monitor has not seen yet).
func (m *Monitor) endpointStatus(spec ProfileSpec, r *run, ep EndpointSpec, depth int) string {
	switch {
	case !spec.Enabled && ep.Enabled:
		return MonitorInactive
	case !ep.Enabled:
		return MonitorDisabled
	case ep.AlwaysServe:
		return MonitorUnmonitored
	case ep.Stopped:
		return MonitorStopped
	case ep.Kind == Nested:
		return m.nestedStatus(ep, depth)
	}
	if r != nil {
		if st := r.states[strings.ToLower(ep.Name)]; st != nil && st.key == ep.key() {
			return st.status
		}
	}
	return MonitorChecking
}

// nestedStatus is a nested endpoint's health: Online when its child profile
// has at least MinChild endpoints that can take traffic, Degraded when it
// has not, CheckingEndpoint while the child's endpoints are being checked.
func (m *Monitor) nestedStatus(ep EndpointSpec, depth int) string {
	child := m.profiles[strings.ToLower(ep.ChildID)]
	if child == nil || depth >= maxNesting {
		return MonitorStopped
	}
	if !child.spec.Enabled {
		return MonitorDegraded
	}
	up, checking := int64(0), 0
	for _, cep := range child.spec.Endpoints {
		switch m.endpointStatus(child.spec, child, cep, depth+1) {
		case MonitorOnline, MonitorUnmonitored:
			up++
		case MonitorChecking:
			up++
			checking++
		}
	}
	switch {
	case up < ep.MinChild:
		return MonitorDegraded
	case checking > 0 && int64(checking) == up:
		return MonitorChecking
	}
	return MonitorOnline
}

// profileStatus is the profile-level monitor status.
func profileStatus(spec ProfileSpec, eps []EndpointHealth) string {
	if !spec.Enabled {
		return ProfileMonitorDisabled
	}
	counts := map[string]int{}
	for _, e := range eps {
		counts[e.Status]++
	}
	switch {
	case counts[MonitorDegraded] > 0:
		return ProfileMonitorDegraded
	case counts[MonitorOnline]+counts[MonitorUnmonitored] > 0:
		return ProfileMonitorOnline
	case counts[MonitorChecking] > 0:
		return ProfileMonitorChecking
	}
	return ProfileMonitorInactive
}
