package emulator

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// addEstate is POST /_emulator/estate: a whole estate, in the seed file's
// format, added to a running emulator in one transaction. Drill harnesses
// give each drill a subscription of its own this way, so parallel drills on
// one emulator cannot collide. 201 once every new VM's site serves; 409 when
// a resource group already exists (an estate adds, it never changes); 400
// naming the item at fault otherwise, with nothing written.
func (s *Server) addEstate(req *service.Request) (arm.Response, error) {
	if len(strings.TrimSpace(string(req.Body))) == 0 {
		return arm.Response{}, arm.InvalidRequestContent(`the request body is empty: send an estate, {"subscriptions":[...]}, as in a seed file`)
	}
	groups, err := s.putEstate(req.Body, nil)
	if err != nil {
		if e := arm.AsError(err); e.Status == http.StatusConflict {
			return arm.Response{}, err
		}
		return arm.Response{}, arm.InvalidRequestContent(err.Error())
	}
	if err := s.compute.ReconcileSites(); err != nil {
		s.log.Warn("starting web sites", "err", err)
	}
	// The answer (admin.EstateAdded) holds what was added, with the VMs'
	// /_emulator/vms entries (their site URLs) so a caller can start writing
	// canaries at once.
	out := admin.EstateAdded{ResourceGroups: []string{}, VirtualMachines: []admin.VM{}}
	for _, rg := range groups {
		out.ResourceGroups = append(out.ResourceGroups, rg.ID)
		vms, err := compute.ListVMs(s.store, rg.ID+"/", nil)
		if err != nil {
			return arm.Response{}, err
		}
		for _, vm := range vms {
			site, err := s.compute.VMSiteOf(s.store, vm)
			if err != nil {
				return arm.Response{}, err
			}
			if site.URL == "" {
				return arm.Response{}, fmt.Errorf("the web site of %s did not start (see the log)", vm.ID)
			}
			out.VirtualMachines = append(out.VirtualMachines, site)
		}
	}
	s.log.Info("estate added", "resourceGroups", len(out.ResourceGroups), "virtualMachines", len(out.VirtualMachines))
	return arm.JSON(http.StatusCreated, out), nil
}
