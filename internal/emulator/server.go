package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/clock"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/siterecovery"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/stats"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/storage"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/trafficmanager"
)

// shutdownGrace is how long Close lets in-flight requests finish.
const shutdownGrace = 5 * time.Second

// Server is a running emulator.
type Server struct {
	opts   Options
	log    *slog.Logger
	store  *store.Store
	clock  *clock.Clock
	ops    *lro.Manager
	faults *faults.Set
	stats  *stats.Counter
	router *router
	// env is the machinery above, as the namespace packages share it.
	env *service.Env
	// The namespaces, lowest first: each may call the ones before it.
	groups   *resources.Service
	network  *network.Service
	storage  *storage.Service
	compute  *compute.Service
	traffic  *trafficmanager.Service
	recovery *siterecovery.Service
	// estate runs the VMs' web sites, Traffic Manager's probes and its DNS
	// server (estate.go).
	estate *estate

	listener net.Listener
	http     *http.Server
	url      string

	closeOnce sync.Once
	closeErr  error
}

// New opens the state in opts.DataDir (finishing or failing operations left
// in flight by a previous run), applies the seed file to an empty directory,
// and starts serving. Close releases everything.
func New(opts Options) (*Server, error) {
	return newServer(opts)
}

// newServer is New with extra resource types, so tests can exercise the
// machinery with a type of their own.
func newServer(opts Options, extra ...func(*service.Env) service.ResourceType) (srv *Server, err error) {
	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Logger, faults: faults.NewSet(), stats: stats.New()}
	defer func() {
		if err != nil {
			s.abandon()
		}
	}()
	if s.store, err = store.Open(opts.DataDir); err != nil {
		return nil, err
	}
	if s.clock, err = clock.Open(s.store, opts.TimeScale); err != nil {
		return nil, err
	}
	s.ops = lro.NewManager(s.store, s.clock, s.log)
	s.env = &service.Env{Store: s.store, Clock: s.clock, Ops: s.ops, Faults: s.faults, Log: s.log}
	s.groups = resources.New(s.env)
	s.network = network.New(s.env)
	s.storage = storage.New(s.env)
	s.compute = compute.New(s.env, opts.WebPort)
	s.traffic = trafficmanager.New(s.env, s.compute, opts.DNSListen)
	s.compute.SetPublicDNS(s.traffic.DNSAddr)
	s.recovery = siterecovery.New(s.env, s.compute)
	types := s.resourceTypes()
	for _, f := range extra {
		types = append(types, f(s.env))
	}
	var guards []service.GroupDeletionGuard
	for _, t := range types {
		for _, k := range t.OperationKinds() {
			s.ops.Register(k)
		}
		if g, ok := t.(service.GroupDeletionGuard); ok {
			guards = append(guards, g)
		}
	}
	s.groups.SetDeletionGuards(guards)
	if opts.SeedFile != "" {
		if err = s.applySeed(opts.SeedFile); err != nil {
			return nil, err
		}
	}
	if err = s.ops.Recover(); err != nil {
		return nil, fmt.Errorf("emulator: recovering operations: %w", err)
	}
	// Fault rules live in memory: the replication pauses the previous run's
	// rules had opened end at this restart.
	if err = s.recovery.CloseReplicationPausesLeftOpen(); err != nil {
		return nil, fmt.Errorf("emulator: closing the previous run's replication pauses: %w", err)
	}
	if err = s.startEstate(); err != nil {
		return nil, err
	}
	s.router = newRouter(s.routeTable(types))
	if s.listener, err = net.Listen("tcp", opts.Listen); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.url = "http://" + s.listener.Addr().String()
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.serve()
	s.ops.Run()
	s.log.Info("emulator started", "url", s.url, "dataDir", opts.DataDir, "timeScale", opts.TimeScale)
	return s, nil
}

func (s *Server) serve() {
	if err := s.http.Serve(s.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("serving", "err", err)
	}
}

// abandon releases what a failed New had opened.
func (s *Server) abandon() {
	s.stopEstate()
	if s.ops != nil {
		s.ops.Close()
	}
	if s.store != nil {
		_ = s.store.Close()
	}
}

// URL is the emulator's base URL, e.g. "http://127.0.0.1:41234": the ARM
// endpoint to configure in cloud.Configuration.
func (s *Server) URL() string { return s.url }

// Close stops serving (letting in-flight requests finish for a few seconds),
// stops the operation scheduler and closes the store. Unfinished operations
// resume when the data directory is opened again. Close is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err := s.http.Shutdown(ctx)
		cancel()
		if err != nil {
			err = s.http.Close() // cancels the requests still running
		}
		s.stopEstate()
		s.ops.Close()
		if cerr := s.store.Close(); err == nil {
			err = cerr
		}
		s.closeErr = err
		s.log.Info("emulator stopped", "url", s.url)
	})
	return s.closeErr
}
