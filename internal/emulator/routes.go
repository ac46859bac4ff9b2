package emulator

import (
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
)

// routeTable is the emulator's one route table: the admin API, the polling
// endpoints every long-running operation shares, then each resource type's
// rows (see the routes method of each type, e.g. resourceGroups.routes).
func (s *Server) routeTable(types []resourceType) []route {
	table := []route{
		// Admin API, outside ARM's namespace.
		{method: http.MethodGet, pattern: "/_emulator/healthz", admin: true, handle: s.healthz},
		{method: http.MethodGet, pattern: "/_emulator/stats", admin: true, handle: s.getStats},
		{method: http.MethodDelete, pattern: "/_emulator/stats", admin: true, handle: s.resetStats},
		{method: http.MethodGet, pattern: "/_emulator/operations", admin: true, handle: s.listOperations},
		{method: http.MethodGet, pattern: "/_emulator/faults", admin: true, handle: s.listFaults},
		{method: http.MethodPost, pattern: "/_emulator/faults", admin: true, handle: s.addFault},
		{method: http.MethodDelete, pattern: "/_emulator/faults", admin: true, handle: s.clearFaults},
		{method: http.MethodDelete, pattern: "/_emulator/faults/{faultId}", admin: true, handle: s.deleteFault},
		{method: http.MethodPost, pattern: "/_emulator/estate", admin: true, handle: s.addEstate},

		// Polling URLs of long-running operations (Azure-AsyncOperation and
		// Location), for every resource type.
		{method: http.MethodGet, pattern: lro.StatusRoute, operation: "OperationStatuses_Get", handle: s.operationStatus, region: s.operationRegion},
		{method: http.MethodGet, pattern: lro.ResultRoute, operation: "OperationResults_Get", handle: s.operationResult, region: s.operationRegion},
	}
	for _, t := range types {
		table = append(table, t.routes()...)
	}
	return withOperationGuards(table, types)
}
