// Package compute serves Microsoft.Compute/virtualMachines and the two
// Microsoft.Network types that exist only for them: network interfaces and
// public IP addresses. A NIC is created with its VM and placed in its
// subnet, and a public IP answers for its VM's web site, so they live here
// beside the VMs rather than in package network: that keeps dependencies one
// way (compute -> network -> resources) with network knowing nothing of VMs.
//
// It also runs the estate's web sites: every running VM serves HTTP on a
// loopback address of its own (sites.go), taking canary writes (canary.go).
package compute

import (
	"sync"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// Service is the namespace over the server's shared machinery, with the
// fleet of web sites its VMs serve.
type Service struct {
	*service.Env
	// webPort is the configured port of the sites (0: saved or chosen).
	webPort int
	fleet   *web.Fleet // nil until StartSites
	sitesMu sync.Mutex // one ReconcileSites (or canary write) at a time
	// publicDNS is the address of the DNS server public names resolve
	// at (Traffic Manager's), for the VMs' resolver (Run Command).
	publicDNS func() string
}

// SetPublicDNS tells where the VMs' resolver asks for public names: the
// emulator's DNS server, as Azure DNS resolves a VM's public lookups.
func (s *Service) SetPublicDNS(addr func() string) { s.publicDNS = addr }

// New is the namespace over env; its VMs' sites share webPort (see
// emulator.Options.WebPort).
func New(env *service.Env, webPort int) *Service {
	return &Service{Env: env, webPort: webPort}
}

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	return []service.ResourceType{&virtualMachines{s: s}, &networkInterfaces{s: s}, &publicIPAddresses{s: s}}
}
