package emulator

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// routeTable is the emulator's one route table: the admin API, the polling
// endpoints every long-running operation shares, then each resource type's
// rows, namespace by namespace (resourceTypes; each type's Routes method in
// its namespace package, e.g. resourceGroups.Routes in package resources).
func (s *Server) routeTable(types []service.ResourceType) []service.Route {
	table := []service.Route{
		// Admin API, outside ARM's namespace.
		{Method: http.MethodGet, Pattern: "/_emulator/healthz", Admin: true, Handle: s.healthz},
		{Method: http.MethodGet, Pattern: "/_emulator/stats", Admin: true, Handle: s.getStats},
		{Method: http.MethodDelete, Pattern: "/_emulator/stats", Admin: true, Handle: s.resetStats},
		{Method: http.MethodGet, Pattern: "/_emulator/operations", Admin: true, Handle: s.listOperations},
		{Method: http.MethodGet, Pattern: "/_emulator/faults", Admin: true, Handle: s.listFaults},
		{Method: http.MethodPost, Pattern: "/_emulator/faults", Admin: true, Handle: s.addFault},
		{Method: http.MethodDelete, Pattern: "/_emulator/faults", Admin: true, Handle: s.clearFaults},
		{Method: http.MethodDelete, Pattern: "/_emulator/faults/{faultId}", Admin: true, Handle: s.deleteFault},
		{Method: http.MethodPost, Pattern: "/_emulator/estate", Admin: true, Handle: s.addEstate},

		// Polling URLs of long-running operations (Azure-AsyncOperation and
		// Location), for every resource type.
		{Method: http.MethodGet, Pattern: lro.StatusRoute, Operation: "OperationStatuses_Get", Handle: s.operationStatus, Region: s.operationRegion},
		{Method: http.MethodGet, Pattern: lro.ResultRoute, Operation: "OperationResults_Get", Handle: s.operationResult, Region: s.operationRegion},
	}
	for _, t := range types {
		table = append(table, t.Routes()...)
	}
	return withOperationGuards(table, types)
}
