package emulator

import "time"

// estateSyncInterval is how often (real time) the estate runtime catches up
// with changes it is not told about: resources removed by a resource group
// deletion, which stops their sites and probes.
const estateSyncInterval = 200 * time.Millisecond

// estate is what runs beside the ARM API: the web sites of the VMs
// (package compute), Traffic Manager's probes and its DNS server (package
// trafficmanager). The store is the truth; the runtime follows it (at once
// after a write through the API, and every estateSyncInterval for the
// rest).
type estate struct {
	s       *Server
	started bool // the loop runs

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
	if err := s.traffic.Start(); err != nil {
		return err
	}
	e.started = true
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
			e.s.traffic.Sync()
		}
	}
}

// stopEstate stops everything startEstate started (whatever part of it did).
func (s *Server) stopEstate() {
	e := s.estate
	if e == nil {
		return
	}
	if e.started {
		close(e.stop)
		<-e.done
	}
	s.traffic.Close()
	s.compute.CloseSites()
}

// DNSAddr is the DNS server's "127.0.0.1:PORT" (UDP and TCP).
func (s *Server) DNSAddr() string { return s.traffic.DNSAddr() }

// WebPort is the port every VM's web site answers on (0 while no VM was
// ever served).
func (s *Server) WebPort() int { return s.compute.WebPort() }
