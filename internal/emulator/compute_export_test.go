package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

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
