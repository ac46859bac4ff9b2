package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Hooks for the namespace packages' tests, which run the whole server
// (emulatortest.Start) and sometimes need to set up or read what the API
// does not expose. Nothing else calls them.

// SetVMRole gives a VM a role (the test hook for canary refusals; Site
// Recovery's test and recovery VMs get theirs from the emulator itself).
func (s *Server) SetVMRole(vmID, role string) error { return s.compute.SetVMRole(vmID, role) }

// VMHistory is a VM's data history as stored (nil for an unknown VM).
func (s *Server) VMHistory(vmID string) []web.DataVersion {
	st, ok, err := service.GetJSON[compute.VMState](s.store, compute.StateKey(vmID))
	if err != nil || !ok {
		return nil
	}
	return st.History
}

// PutRecordForTest stores body under id as is: the Site Recovery tests use
// it to stand in for a protected item, which another type writes.
func (s *Server) PutRecordForTest(id, body string) error {
	return s.store.Update(func(tx *store.Tx) error {
		tx.Put(id, []byte(body))
		return nil
	})
}
