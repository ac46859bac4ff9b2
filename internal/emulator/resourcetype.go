package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
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

// operationGuard is implemented by a type that refuses operations of other
// types, the way a recovery plan refuses the removal of the protected items
// it holds: each check, keyed by the operation id it guards, runs before
// that route's handler and refuses with the error it returns.
type operationGuard interface {
	operationGuards() map[string]func(*request) error
}

// withOperationGuards wraps the handlers of the guarded operations.
func withOperationGuards(table []route, types []resourceType) []route {
	for _, t := range types {
		g, ok := t.(operationGuard)
		if !ok {
			continue
		}
		for op, check := range g.operationGuards() {
			for i := range table {
				if table[i].operation != op {
					continue
				}
				next := table[i].handle
				table[i].handle = func(req *request) (arm.Response, error) {
					if err := check(req); err != nil {
						return arm.Response{}, err
					}
					return next(req)
				}
			}
		}
	}
	return table
}

// resourceTypes lists the types this emulator serves.
func (s *Server) resourceTypes() []resourceType {
	vnets, nsgs := s.virtualNetworks(), s.networkSecurityGroups()
	return []resourceType{
		&resourceGroups{s: s},
		vnets, s.subnets(vnets), s.peerings(vnets),
		nsgs, s.securityRules(nsgs),
		&virtualMachines{s: s}, &networkInterfaces{s: s},
		&publicIPAddresses{s: s},
		&trafficManager{s: s},
		&recoveryVaults{s: s}, s.replicationFabrics(), s.protectionContainers(), s.containerMappings(),
		s.replicationPolicies(), s.networkMappings(),
		newProtectedItems(s),
		newItemFailovers(s),
		newRecoveryPlans(s),
	}
}
