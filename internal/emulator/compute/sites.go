package compute

import (
	"errors"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// The web sites of the estate: every running VM serves HTTP on a loopback
// address of its own (random in 127.64.0.0/10, kept across restarts) and
// the port all of this emulator's VMs share (--web-port, or a free port
// chosen once and kept in the data directory). The store says which VMs
// exist; ReconcileSites makes the fleet of web servers match it.

// webMetaKey keeps the shared port across restarts.
const webMetaKey = "/_emulator/meta/web"

type webMeta struct {
	Port int `json:"port"`
}

// StartSites opens the fleet on the configured, saved or a new port and
// serves every running VM. With a saved port nobody can bind any more (and
// no --web-port), a new port is chosen.
func (s *Service) StartSites() error {
	port, explicit := s.webPort, s.webPort != 0
	if !explicit {
		if meta, ok, err := service.GetJSON[webMeta](s.Store, webMetaKey); err != nil {
			return err
		} else if ok {
			port = meta.Port
		}
	}
	s.fleet = web.NewFleet(port, s.Faults.Unavailable, s.canary, s.Log)
	err := s.ReconcileSites()
	if err != nil && !explicit && port != 0 {
		s.Log.Warn("the saved web port cannot be used any more; choosing another", "port", port, "err", err)
		s.fleet.Close()
		s.fleet = web.NewFleet(0, s.Faults.Unavailable, s.canary, s.Log)
		err = s.ReconcileSites()
	}
	return err
}

// ReconcileSites serves every running VM at its saved address (or a new
// one, saved, when that cannot be bound), refreshes each VM's web tag, and
// stops the sites of VMs that are gone or not running. State records of
// deleted VMs are removed. It reads and writes in one store transaction, so
// it is ordered with every other write: a site started or stopped by an
// operation's completion (a test failover's VM, its cleanup) inside its own
// transaction is never undone by a pass that read the store before it.
func (s *Service) ReconcileSites() error {
	s.sitesMu.Lock()
	defer s.sitesMu.Unlock()
	var errs []error
	err := s.Store.Update(func(tx *store.Tx) error {
		errs = nil
		wanted := map[string]bool{}
		for _, entry := range tx.List(vmStatePrefix + "/") {
			st, _, err := service.GetJSON[VMState](tx, entry.Key)
			if err != nil {
				return err
			}
			vm, ok, err := service.GetJSON[VM](tx, st.ID)
			if err != nil {
				return err
			}
			if !ok {
				tx.Delete(entry.Key)
				continue
			}
			if st.PowerState != PowerRunning {
				continue
			}
			wanted[strings.ToLower(vm.ID)] = true
			if err := s.ServeInTx(tx, vm, st); err != nil {
				if !IsServeError(err) {
					return err
				}
				errs = append(errs, err)
			}
		}
		for _, id := range s.fleet.Served() {
			if !wanted[id] {
				s.fleet.Stop(id)
			}
		}
		if p := s.fleet.Port(); p != 0 && s.savedPortIn(tx) != p {
			return service.PutJSON(tx, webMetaKey, webMeta{Port: p})
		}
		return nil
	})
	return errors.Join(append(errs, err)...)
}

// serveError is a site that could not be bound: ReconcileSites logs it and
// goes on with the other VMs.
type serveError struct{ err error }

func (e *serveError) Error() string { return e.err.Error() }
func (e *serveError) Unwrap() error { return e.err }

// IsServeError reports whether err is a site that could not be bound, which
// ReconcileSites logs and skips rather than failing the transaction.
func IsServeError(err error) bool {
	var se *serveError
	return errors.As(err, &se)
}

// ServeInTx serves a running VM's site (or refreshes its content) and, in
// tx, saves its address, its URL tag and when it first served
// (VMState.ServingSince). vm and st are modified. Callers hold the store's
// write lock (they run inside tx): the fleet's changes are then ordered with
// every transaction.
func (s *Service) ServeInTx(tx *store.Tx, vm *VM, st *VMState) error {
	if s.fleet == nil {
		return nil // the estate starts later and serves it then
	}
	if vmIsARMCreated(tx, vm) {
		return nil // it runs no application (vms_write.go)
	}
	ip, err := s.fleet.Serve(siteOf(vm, st), st.Address)
	if err != nil {
		return &serveError{err: err}
	}
	url := siteURL(ip, s.fleet.Port())
	changed := false
	if ip != st.Address {
		st.Address, changed = ip, true
	}
	if st.ServingSince == nil {
		now := s.Clock.Now()
		st.ServingSince, changed = &now, true
	}
	if changed {
		if err := service.PutJSON(tx, StateKey(vm.ID), st); err != nil {
			return err
		}
	}
	if vm.Tags[WebTag] != url {
		if vm.Tags == nil {
			vm.Tags = map[string]string{}
		}
		vm.Tags[WebTag] = url
		return service.PutJSON(tx, vm.ID, vm)
	}
	return nil
}

// StopInTx stops a VM's site (its VM is being deleted in tx).
func (s *Service) StopInTx(vmID string) {
	if s.fleet != nil {
		s.fleet.Stop(vmID)
	}
}

func (s *Service) savedPortIn(r store.Reader) int {
	meta, ok, _ := service.GetJSON[webMeta](r, webMetaKey)
	if !ok {
		return 0
	}
	return meta.Port
}

func siteURL(ip string, port int) string {
	return "http://" + net.JoinHostPort(ip, strconv.Itoa(port)) + "/"
}

// siteOf is what a VM's web site shows.
func siteOf(vm *VM, st *VMState) web.Site {
	return web.Site{ID: vm.ID, Name: vm.Name, Location: vm.Location, Title: st.Title, Role: st.CurrentRole(), Data: st.Data}
}

// listVMSites is GET /_emulator/vms: every VM with where its site answers.
// running is true while its web server is up (a region outage does not stop
// it, it answers 503).
func (s *Service) listVMSites(*service.Request) (arm.Response, error) {
	vms, err := ListVMs(s.Store, "/subscriptions/", nil)
	if err != nil {
		return arm.Response{}, err
	}
	out := []admin.VM{}
	for _, vm := range vms {
		site, err := s.VMSiteOf(s.Store, vm)
		if err != nil {
			return arm.Response{}, err
		}
		out = append(out, site)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return arm.JSON(http.StatusOK, service.List[admin.VM]{Value: out}), nil
}

// VMSiteOf is a VM's /_emulator/vms entry (also the answer of POST
// /_emulator/vms and the VMs of POST /_emulator/estate), built from the
// VM's records: the entry is the admin client's type, the records keep
// their own (they are on disk).
func (s *Service) VMSiteOf(r store.Reader, vm *VM) (admin.VM, error) {
	site := admin.VM{ID: vm.ID, Name: vm.Name, Location: vm.Location, Role: RolePrimary, Tags: vm.Tags}
	if st, ok, err := service.GetJSON[VMState](r, StateKey(vm.ID)); err != nil {
		return admin.VM{}, err
	} else if ok {
		site.PowerState, site.DataVersion, site.Role, site.ServingSince = st.PowerState, st.Data.View(), st.CurrentRole(), st.ServingSince
	}
	if p := vm.Properties.NetworkProfile; p != nil && len(p.NetworkInterfaces) > 0 {
		site.NICID = p.NetworkInterfaces[0].ID
		if nic, ok, err := service.GetJSON[NIC](r, site.NICID); err != nil {
			return admin.VM{}, err
		} else if ok {
			site.PrivateIPAddress = nic.privateIP()
		}
	}
	if ip, ok := s.fleet.Address(vm.ID); ok {
		site.Address, site.Port, site.Running = ip, s.fleet.Port(), true
		site.URL = siteURL(ip, site.Port)
	}
	return site, nil
}

// SiteAddress is the loopback address a VM's site answers on, and whether
// it is serving (Traffic Manager probes it there).
func (s *Service) SiteAddress(vmID string) (string, bool) {
	if s.fleet == nil {
		return "", false
	}
	return s.fleet.Address(vmID)
}

// WebPort is the port every VM's site answers on (0 while none ever
// served).
func (s *Service) WebPort() int { return s.fleet.Port() }

// CloseSites stops every site.
func (s *Service) CloseSites() {
	if s.fleet != nil {
		s.fleet.Close()
	}
}
