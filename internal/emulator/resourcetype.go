package emulator

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"

// resourceType is one ARM resource type the emulator serves: the routes of
// its REST operations and the kinds of long-running operation its handlers
// start. Adding a type means writing one and listing it in resourceTypes.
type resourceType interface {
	routes() []route
	operationKinds() []lro.Kind
}

// resourceTypes lists the types this emulator serves.
func (s *Server) resourceTypes() []resourceType {
	return []resourceType{
		&resourceGroups{s: s},
		&virtualNetworks{s: s},
		&networkSecurityGroups{s: s},
		&virtualMachines{s: s},
		&trafficManager{s: s},
	}
}
