package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// withOperationGuards wraps the handlers of the operations a type guards
// (service.OperationGuard).
func withOperationGuards(table []service.Route, types []service.ResourceType) []service.Route {
	for _, t := range types {
		g, ok := t.(service.OperationGuard)
		if !ok {
			continue
		}
		for op, check := range g.OperationGuards() {
			for i := range table {
				if table[i].Operation != op {
					continue
				}
				next := table[i].Handle
				table[i].Handle = func(req *service.Request) (arm.Response, error) {
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

// resourceTypes lists the types this emulator serves, namespace by
// namespace (each namespace package's ResourceTypes).
func (s *Server) resourceTypes() []service.ResourceType {
	types := s.groups.ResourceTypes()
	types = append(types, s.network.ResourceTypes()...)
	types = append(types, s.storage.ResourceTypes()...)
	types = append(types, s.compute.ResourceTypes()...)
	types = append(types, s.traffic.ResourceTypes()...)
	return append(types, s.recovery.ResourceTypes()...)
}
