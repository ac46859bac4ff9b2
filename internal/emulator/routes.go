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
		// Location), for every resource type, in each provider's shape (see
		// package lro, polling.go).
		s.statusRoute(lro.StatusRoute),
		s.resultRoute(lro.ResultRoute),
		s.statusRoute(lro.RegionalStatusRoute),
		s.resultRoute(lro.RegionalResultRoute),
		s.resultRoute(lro.RegionalAsyncResultRoute),
		s.resultRoute(lro.SubscriptionResultRoute),
		s.statusRoute(lro.VaultStatusRoute),
		s.resultRoute(lro.VaultResultRoute),
		s.statusRoute(lro.SiteRecoveryStatusRoute),
	}
	for _, p := range lro.SiteRecoveryResultRoutes() {
		table = append(table, s.resultRoute(p))
	}
	for _, t := range types {
		table = append(table, t.Routes()...)
	}
	return withOperationGuards(table, types)
}

func (s *Server) statusRoute(pattern string) service.Route {
	return service.Route{Method: http.MethodGet, Pattern: pattern, Operation: "OperationStatuses_Get", Handle: s.operationStatus, Region: s.operationRegion}
}

func (s *Server) resultRoute(pattern string) service.Route {
	return service.Route{Method: http.MethodGet, Pattern: pattern, Operation: "OperationResults_Get", Handle: s.operationResult, Region: s.operationRegion}
}
