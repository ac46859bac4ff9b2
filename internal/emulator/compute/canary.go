package compute

import (
	"errors"
	"fmt"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Canary writes: POST /canary on a VM's web site writes a new data version
// on the VM (the previous version + 1, at the simulated now), durably, in
// one transaction that updates VMState.Data and appends it to
// VMState.History. Only a primary VM takes writes; a VM of another role (a
// test or recovery VM) refuses them with 409. The web package knows nothing
// of the store: the fleet calls Service.canary.

// errVMGone is a canary on a VM deleted meanwhile (its site is being
// stopped).
var errVMGone = errors.New("the virtual machine no longer exists")

// canary is the fleet's web.CanaryFunc. It holds sitesMu so that the page's
// update is ordered with ReconcileSites' (which reads the store and then
// serves what it read).
func (s *Service) canary(vmID, label string) (web.DataVersion, error) {
	s.sitesMu.Lock()
	defer s.sitesMu.Unlock()
	var (
		v    web.DataVersion
		site web.Site
		addr string
	)
	err := s.Store.Update(func(tx *store.Tx) error {
		vm, ok, err := service.GetJSON[VM](tx, vmID)
		if err != nil {
			return err
		}
		st, stOK, err := service.GetJSON[VMState](tx, StateKey(vmID))
		if err != nil {
			return err
		}
		if !ok || !stOK {
			return errVMGone
		}
		if st.PowerState != PowerRunning {
			return &web.RefusedError{Reason: fmt.Sprintf("%s is not running (power state %s): it takes no writes", vm.Name, st.PowerState)}
		}
		if role := st.CurrentRole(); role != RolePrimary {
			return &web.RefusedError{Reason: fmt.Sprintf(
				"%s is a %s VM, not a primary: it does not take application writes (send canaries to the primary VM)", vm.Name, role)}
		}
		v = web.DataVersion{Version: st.Data.Version + 1, WrittenAt: s.Clock.Now(), Label: label}
		st.Record(v)
		site, addr = siteOf(vm, st), st.Address
		return service.PutJSON(tx, StateKey(vmID), st)
	})
	if err != nil {
		return web.DataVersion{}, err
	}
	if _, err := s.fleet.Serve(site, addr); err != nil {
		s.Log.Warn("showing a canary write", "vm", vmID, "err", err)
	}
	return v, nil
}

// SetVMRole gives a VM a role ("primary", or e.g. "test" or "recovery" for
// the VMs Site Recovery makes) and updates its page.
func (s *Service) SetVMRole(vmID, role string) error {
	err := s.Store.Update(func(tx *store.Tx) error {
		st, ok, err := service.GetJSON[VMState](tx, StateKey(vmID))
		if err != nil {
			return err
		}
		if !ok {
			return errVMGone
		}
		st.Role = role
		return service.PutJSON(tx, StateKey(vmID), st)
	})
	if err != nil {
		return err
	}
	return s.ReconcileSites()
}
