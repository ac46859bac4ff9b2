package trafficmanager

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// Service serves the Traffic Manager ARM API (api_profiles.go,
// api_endpoints.go) and runs what answers for the profiles beside it: the
// health monitor probing their endpoints and the DNS server. The store is
// the truth; Sync hands the monitor what it holds (at once after a write
// through the API, and on the server's estate loop for the rest). Azure
// endpoints point at VMs, whose sites package compute serves.
type Service struct {
	*service.Env
	compute   *compute.Service
	dnsListen string

	monitor *Monitor
	dns     *DNSServer
	syncMu  sync.Mutex // one Sync at a time
}

// New is the namespace over env; its DNS server will listen on dnsListen
// (see emulator.Options.DNSListen).
func New(env *service.Env, vms *compute.Service, dnsListen string) *Service {
	return &Service{Env: env, compute: vms, dnsListen: dnsListen}
}

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	return []service.ResourceType{&trafficManager{s: s}}
}

// Start starts the monitor on the stored profiles, then the DNS server.
func (s *Service) Start() error {
	s.monitor = NewMonitor(Options{Real: s.Clock.Real, Now: s.Clock.Now, RegionDown: s.Faults.RegionDown, Log: s.Log})
	s.Sync()
	dns, err := ListenDNS(s.dnsListen, s.monitor, s.Log)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	s.dns = dns
	return nil
}

// Close stops whatever Start started.
func (s *Service) Close() {
	if s.dns != nil {
		if err := s.dns.Close(); err != nil {
			s.Log.Error("closing the dns server", "err", err)
		}
	}
	if s.monitor != nil {
		s.monitor.Close()
	}
}

// DNSAddr is the DNS server's "127.0.0.1:PORT" (UDP and TCP), "" before
// Start.
func (s *Service) DNSAddr() string {
	if s.dns == nil {
		return ""
	}
	return s.dns.Addr()
}

// Sync hands the monitor every stored profile.
func (s *Service) Sync() {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	var err error
	profiles := allProfiles(s.Store, "/subscriptions/", &err)
	if err != nil {
		s.Log.Error("reading Traffic Manager profiles", "err", err)
		return
	}
	specs := make([]ProfileSpec, 0, len(profiles))
	for _, p := range profiles {
		specs = append(specs, SpecOf(p, s.resolveTarget))
	}
	s.monitor.Sync(specs)
}

// resolveTarget resolves what an Azure endpoint (a VM of the estate) or a
// nested endpoint (another profile) points at.
func (s *Service) resolveTarget(kind EndpointKind, id string) Target {
	switch kind {
	case Azure:
		vm, ok, err := service.GetJSON[compute.VM](s.Store, id)
		if err != nil || !ok {
			return Target{}
		}
		ip, running := s.compute.SiteAddress(vm.ID)
		return Target{Found: true, Address: ip, Location: vm.Location, Running: running, Site: true}
	case Nested:
		p, ok, err := service.GetJSON[Profile](s.Store, id)
		if err != nil || !ok {
			return Target{}
		}
		return Target{Found: true, Address: FQDN(p.RelativeName()), Running: true}
	}
	return Target{}
}

// showProfile is a stored profile as ARM returns it: the read-only fields
// filled in (fqdn, monitor statuses, endpoint ids, the targets of Azure and
// nested endpoints). p is modified and returned.
func (s *Service) showProfile(p *Profile) *Profile {
	spec := SpecOf(p, s.resolveTarget)
	h := s.monitor.Health(spec)
	props := p.Properties
	props.DNSConfig.FQDN = FQDN(p.RelativeName())
	props.MonitorConfig.ProfileMonitorStatus = h.Status
	for i, ep := range props.Endpoints {
		kind := ep.Kind()
		ep.ID = p.ID + "/" + kind.Segment() + "/" + *ep.Name
		ep.Properties.EndpointMonitorStatus = h.Endpoints[i].Status
		if kind != External && spec.Endpoints[i].Target != "" {
			target := spec.Endpoints[i].Target
			ep.Properties.Target = &target
		}
	}
	return p
}

// trafficManagerReport is GET /_emulator/trafficmanager: every profile with
// its endpoints' health and last probe, for tests and debugging. The
// answer is the admin client's type (admin.TrafficManagerProfile), built
// from the stored profile, its spec and the monitor's health, none of
// which is that shape.
func (s *Service) trafficManagerReport(*service.Request) (arm.Response, error) {
	var err error
	profiles := allProfiles(s.Store, "/subscriptions/", &err)
	if err != nil {
		return arm.Response{}, err
	}
	out := []admin.TrafficManagerProfile{}
	for _, p := range profiles {
		spec := SpecOf(p, s.resolveTarget)
		h := s.monitor.Health(spec)
		r := admin.TrafficManagerProfile{
			ID: p.ID, Name: p.Name, RelativeName: p.RelativeName(), FQDN: FQDN(p.RelativeName()),
			ProfileStatus: *p.Properties.ProfileStatus, RoutingMethod: spec.Routing, TTL: spec.TTL, ProfileMonitorStatus: h.Status,
			Monitor: admin.TrafficManagerMonitor{
				Protocol: spec.Monitor.Protocol, Port: spec.Monitor.Port, Path: spec.Monitor.Path,
				IntervalInSeconds: int(spec.Monitor.Interval / time.Second), TimeoutInSeconds: int(spec.Monitor.Timeout / time.Second),
				ToleratedNumberOfFailures: spec.Monitor.Tolerated, Probing: h.Probing,
				RealIntervalMs: float64(h.Interval) / float64(time.Millisecond), RealTimeoutMs: float64(h.Timeout) / float64(time.Millisecond),
			},
			Endpoints: []admin.TrafficManagerEndpoint{},
		}
		for i, ep := range spec.Endpoints {
			status := StatusEnabled
			if !ep.Enabled {
				status = StatusDisabled
			}
			eh := h.Endpoints[i]
			r.Endpoints = append(r.Endpoints, admin.TrafficManagerEndpoint{
				Name: ep.Name, Type: ep.Kind.ARMType(), Target: ep.Target, Location: ep.Location, EndpointStatus: status,
				Priority: ep.Priority, Weight: ep.Weight, GeoMapping: ep.GeoMapping,
				MonitorStatus: eh.Status, ConsecutiveFailures: eh.ConsecutiveFailures, Probes: eh.Probes, LastProbe: eh.LastProbe.view(),
			})
		}
		out = append(out, r)
	}
	return arm.JSON(http.StatusOK, service.List[admin.TrafficManagerProfile]{Value: out}), nil
}

// view is the probe as the admin API shows it; nil before the first probe.
func (p *ProbeResult) view() *admin.Probe {
	if p == nil {
		return nil
	}
	return &admin.Probe{Time: p.Time, OK: p.OK, Detail: p.Detail}
}
