package emulator

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	tm "github.com/azuredr/terraform-provider-azuredr/internal/emulator/trafficmanager"
)

// estateSyncInterval is how often (real time) the estate runtime catches up
// with changes it is not told about: resources removed by a resource group
// deletion, which stops their sites and probes.
const estateSyncInterval = 200 * time.Millisecond

// estate is what runs beside the ARM API: the web sites of the VMs, Traffic
// Manager's probes and its DNS server. The store is the truth; the runtime
// follows it (at once after a write through the API, and every
// estateSyncInterval for the rest).
type estate struct {
	s       *Server
	monitor *tm.Monitor
	dns     *tm.DNSServer

	tmMu sync.Mutex // one syncTrafficManager at a time

	stop chan struct{}
	done chan struct{}
}

// startEstate starts the sites, the monitor, the DNS server and the loop
// that keeps them in step with the store.
func (s *Server) startEstate() error {
	e := &estate{s: s, stop: make(chan struct{}), done: make(chan struct{})}
	s.estate = e
	if err := s.compute.StartSites(); err != nil {
		return err
	}
	e.monitor = tm.NewMonitor(tm.Options{Real: s.clock.Real, Now: s.clock.Now, RegionDown: s.faults.RegionDown, Log: s.log})
	e.syncTrafficManager()
	dns, err := tm.ListenDNS(s.opts.DNSListen, e.monitor, s.log)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	e.dns = dns
	go e.loop()
	return nil
}

func (e *estate) loop() {
	defer close(e.done)
	ticker := time.NewTicker(estateSyncInterval)
	defer ticker.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-ticker.C:
			if err := e.s.compute.ReconcileSites(); err != nil {
				e.s.log.Error("web sites", "err", err)
			}
			e.syncTrafficManager()
		}
	}
}

// stopEstate stops everything startEstate started (whatever part of it did).
func (s *Server) stopEstate() {
	e := s.estate
	if e == nil {
		return
	}
	if e.dns != nil {
		close(e.stop)
		<-e.done
		if err := e.dns.Close(); err != nil {
			s.log.Error("closing the dns server", "err", err)
		}
	}
	if e.monitor != nil {
		e.monitor.Close()
	}
	s.compute.CloseSites()
}

// DNSAddr is the DNS server's "127.0.0.1:PORT" (UDP and TCP).
func (s *Server) DNSAddr() string { return s.estate.dns.Addr() }

// WebPort is the port every VM's web site answers on (0 while no VM was
// ever served).
func (s *Server) WebPort() int { return s.compute.WebPort() }

// syncTrafficManager hands the monitor every stored profile.
func (e *estate) syncTrafficManager() {
	e.tmMu.Lock()
	defer e.tmMu.Unlock()
	var err error
	profiles := allProfiles(e.s.store, "/subscriptions/", &err)
	if err != nil {
		e.s.log.Error("reading Traffic Manager profiles", "err", err)
		return
	}
	specs := make([]tm.ProfileSpec, 0, len(profiles))
	for _, p := range profiles {
		specs = append(specs, tm.SpecOf(p, e.resolveTarget))
	}
	e.monitor.Sync(specs)
}

// resolveTarget resolves what an Azure endpoint (a VM of the estate) or a
// nested endpoint (another profile) points at.
func (e *estate) resolveTarget(kind tm.EndpointKind, id string) tm.Target {
	switch kind {
	case tm.Azure:
		vm, ok, err := service.GetJSON[compute.VM](e.s.store, id)
		if err != nil || !ok {
			return tm.Target{}
		}
		ip, running := e.s.compute.SiteAddress(vm.ID)
		return tm.Target{Found: true, Address: ip, Location: vm.Location, Running: running, Site: true}
	case tm.Nested:
		p, ok, err := service.GetJSON[tm.Profile](e.s.store, id)
		if err != nil || !ok {
			return tm.Target{}
		}
		return tm.Target{Found: true, Address: tm.FQDN(p.RelativeName()), Running: true}
	}
	return tm.Target{}
}

// showProfile is a stored profile as ARM returns it: the read-only fields
// filled in (fqdn, monitor statuses, endpoint ids, the targets of Azure and
// nested endpoints). p is modified and returned.
func (e *estate) showProfile(p *tm.Profile) *tm.Profile {
	spec := tm.SpecOf(p, e.resolveTarget)
	h := e.monitor.Health(spec)
	props := p.Properties
	props.DNSConfig.FQDN = tm.FQDN(p.RelativeName())
	props.MonitorConfig.ProfileMonitorStatus = h.Status
	for i, ep := range props.Endpoints {
		kind := ep.Kind()
		ep.ID = p.ID + "/" + kind.Segment() + "/" + *ep.Name
		ep.Properties.EndpointMonitorStatus = h.Endpoints[i].Status
		if kind != tm.External && spec.Endpoints[i].Target != "" {
			target := spec.Endpoints[i].Target
			ep.Properties.Target = &target
		}
	}
	return p
}

// tmReport is one profile in the admin API's /_emulator/trafficmanager.
type tmReport struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	RelativeName         string             `json:"relativeName"`
	FQDN                 string             `json:"fqdn"`
	ProfileStatus        string             `json:"profileStatus"`
	RoutingMethod        string             `json:"trafficRoutingMethod"`
	TTL                  uint32             `json:"ttl"`
	ProfileMonitorStatus string             `json:"profileMonitorStatus"`
	Monitor              tmMonitorReport    `json:"monitor"`
	Endpoints            []tmEndpointReport `json:"endpoints"`
}

type tmMonitorReport struct {
	Protocol                  string  `json:"protocol"`
	Port                      int     `json:"port"`
	Path                      string  `json:"path,omitempty"`
	IntervalInSeconds         int     `json:"intervalInSeconds"`
	TimeoutInSeconds          int     `json:"timeoutInSeconds"`
	ToleratedNumberOfFailures int     `json:"toleratedNumberOfFailures"`
	Probing                   bool    `json:"probing"`
	RealIntervalMs            float64 `json:"realIntervalMs"`
	RealTimeoutMs             float64 `json:"realTimeoutMs"`
}

type tmEndpointReport struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	Target         string   `json:"target"`
	Location       string   `json:"location,omitempty"`
	EndpointStatus string   `json:"endpointStatus"`
	Priority       int64    `json:"priority"`
	Weight         int64    `json:"weight"`
	GeoMapping     []string `json:"geoMapping,omitempty"`
	tm.EndpointHealth
}

// trafficManagerReport is GET /_emulator/trafficmanager: every profile with
// its endpoints' health and last probe, for tests and debugging.
func (s *Server) trafficManagerReport(*service.Request) (arm.Response, error) {
	var err error
	profiles := allProfiles(s.store, "/subscriptions/", &err)
	if err != nil {
		return arm.Response{}, err
	}
	out := []tmReport{}
	for _, p := range profiles {
		spec := tm.SpecOf(p, s.estate.resolveTarget)
		h := s.estate.monitor.Health(spec)
		r := tmReport{
			ID: p.ID, Name: p.Name, RelativeName: p.RelativeName(), FQDN: tm.FQDN(p.RelativeName()),
			ProfileStatus: *p.Properties.ProfileStatus, RoutingMethod: spec.Routing, TTL: spec.TTL, ProfileMonitorStatus: h.Status,
			Monitor: tmMonitorReport{
				Protocol: spec.Monitor.Protocol, Port: spec.Monitor.Port, Path: spec.Monitor.Path,
				IntervalInSeconds: int(spec.Monitor.Interval / time.Second), TimeoutInSeconds: int(spec.Monitor.Timeout / time.Second),
				ToleratedNumberOfFailures: spec.Monitor.Tolerated, Probing: h.Probing,
				RealIntervalMs: float64(h.Interval) / float64(time.Millisecond), RealTimeoutMs: float64(h.Timeout) / float64(time.Millisecond),
			},
			Endpoints: []tmEndpointReport{},
		}
		for i, ep := range spec.Endpoints {
			status := tm.StatusEnabled
			if !ep.Enabled {
				status = tm.StatusDisabled
			}
			r.Endpoints = append(r.Endpoints, tmEndpointReport{
				Name: ep.Name, Type: ep.Kind.ARMType(), Target: ep.Target, Location: ep.Location, EndpointStatus: status,
				Priority: ep.Priority, Weight: ep.Weight, GeoMapping: ep.GeoMapping, EndpointHealth: h.Endpoints[i],
			})
		}
		out = append(out, r)
	}
	return arm.JSON(http.StatusOK, service.List[tmReport]{Value: out}), nil
}
