// Package emulator is a local Azure Resource Manager: a real HTTP server that
// speaks ARM's wire protocol well enough that the official Azure SDK for Go
// clients cannot tell it from Azure. It is a library first (New, URL, Close;
// see package emulatortest for tests) and a binary second
// (cmd/azuredr-emulator).
//
// How a request flows:
//
//	ServeHTTP (pipeline.go)  request ids, settle due operations, route,
//	                         auth / api-version / subscription checks,
//	                         faults, then the handler
//	route table (routes.go)  method + pattern -> operation id + handler
//	handler                  returns an arm.Response or an *arm.Error;
//	                         reads and writes state only through the store,
//	                         in one transaction per request
//	write (pipeline.go)      the one place that writes HTTP
//
// Everything lives in one store (package store), keyed by lower-cased id:
//
//	/subscriptions/...            ARM resources, value = the body GET returns
//	/_emulator/operations/{id}    long-running operation records (package lro)
//	/_emulator/inflight/...       resource id -> its unfinished operation
//	/_emulator/meta/clock         the simulated clock's anchor (package clock)
//	/_emulator/meta/seed          present once a seed file has been applied
//	/_emulator/vms/{vm id}        a VM's own state: site, power, role, data version
//	                              and its bounded history (compute.go)
//	/_emulator/meta/web           the port the VMs' web sites share (compute_sites.go)
//	/_emulator/replication/pauses/{ruleId}
//	                              a replication pause interval opened by a fault rule
//	                              (siterecovery_admin_pauses.go)
package emulator
