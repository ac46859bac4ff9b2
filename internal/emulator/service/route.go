package service

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"

// Handler serves one route. It returns the response to send, or an error
// (an *arm.Error, or anything else for a 500).
type Handler func(*Request) (arm.Response, error)

// Route is one row of the route table.
type Route struct {
	Method string
	// Pattern is a path with {name} segments capturing one segment each.
	// Literal segments match case-insensitively, as ARM does: the SDK sends
	// "resourcegroups" and ids come back as "resourceGroups".
	Pattern string
	// Operation is the REST spec's operation id (e.g. "ResourceGroups_Get"),
	// the key of the request statistics. Empty for admin routes.
	Operation string
	// Admin routes live outside ARM: no api-version, no auth, no stats, no
	// faults.
	Admin  bool
	Handle Handler
	// Region, optional, names the region a request touches when the path
	// alone does not (operation polls); see the server's requestRegion.
	Region func(*Request) string
}
