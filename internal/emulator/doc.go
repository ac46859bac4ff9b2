// Package emulator is a local Azure Resource Manager: a real HTTP server that
// speaks ARM's wire protocol well enough that the official Azure SDK for Go
// clients cannot tell it from Azure. It is a library first (New, URL, Close;
// see package emulatortest for tests) and a binary second
// (cmd/azuredr-emulator).
//
// This package is the server: options, the pipeline, the router and route
// table, seed orchestration, the estate loop and the admin API. The resource
// types live in one package per ARM namespace, built on the kit in package
// service:
//
//	resources       Microsoft.Resources: resource groups
//	network         Microsoft.Network: vNets, subnets, peerings, NSGs, rules
//	compute         Microsoft.Compute: VMs, with their NICs and public IPs
//	                and their web sites
//	trafficmanager  Microsoft.Network/trafficmanagerprofiles, probes, DNS
//	siterecovery    Microsoft.RecoveryServices: vaults and Site Recovery
//
// Dependencies point one way: this package -> namespaces -> service and the
// leaf packages (arm, lro, store, clock, faults, stats, web, replication);
// among namespaces resources <- network <- compute <- trafficmanager,
// siterecovery.
//
// How a request flows:
//
//	ServeHTTP (pipeline.go)  request ids, settle due operations, route,
//	                         auth / api-version / subscription checks,
//	                         faults, then the handler
//	route table (routes.go,  method + pattern -> operation id + handler:
//	  namespaces.go)         the admin API's rows, then every namespace's
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
//	                              and its bounded history (compute/vms.go)
//	/_emulator/meta/web           the port the VMs' web sites share (compute/sites.go)
//	/_emulator/replication/pauses/{ruleId}
//	                              a replication pause interval opened by a fault rule
//	                              (siterecovery/admin_pauses.go)
package emulator
