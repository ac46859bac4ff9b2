package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// resourceType is one ARM resource type the emulator serves: the routes of
// its REST operations and the kinds of long-running operation its handlers
// start. Adding a type means writing one and listing it in resourceTypes.
type resourceType interface {
	routes() []route
	operationKinds() []lro.Kind
}

// groupDeletionGuard is implemented by a type that can refuse the deletion
// of a resource group, the way ARM fails a group deletion when it cannot
// delete one of the group's resources. It runs when the deletion completes.
type groupDeletionGuard interface {
	checkGroupDeletion(r store.Reader, groupID string) error
}

// resourceTypes lists the types this emulator serves.
func (s *Server) resourceTypes() []resourceType {
	vnets, nsgs := s.virtualNetworks(), s.networkSecurityGroups()
	return []resourceType{
		&resourceGroups{s: s},
		vnets, s.subnets(vnets), s.peerings(vnets),
		nsgs, s.securityRules(nsgs),
		&virtualMachines{s: s}, &networkInterfaces{s: s},
		&trafficManager{s: s},
		&recoveryVaults{s: s}, s.replicationFabrics(), s.protectionContainers(), s.containerMappings(),
		s.replicationPolicies(), s.networkMappings(),
		newProtectedItems(s),
	}
}
