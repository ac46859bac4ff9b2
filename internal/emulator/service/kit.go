// Package service is the kit the ARM namespace packages (resources,
// network, compute, trafficmanager, siterecovery) build on: the route and
// request types the server's pipeline hands them, the interface a resource
// type implements, the guards a type may add, and Env, the server's shared
// machinery (store, clock, operations, faults, log).
//
// It depends only on the emulator's leaf packages, never on the server or
// on a namespace package, so dependencies point one way: the server (root
// package) -> namespaces -> this kit.
package service

import (
	"log/slog"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/clock"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/faults"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Env is what every namespace shares with the server: the one store, the
// simulated clock, the long-running operation manager, the fault rules and
// the log. The server builds it once and hands it to each namespace.
type Env struct {
	Store  *store.Store
	Clock  *clock.Clock
	Ops    *lro.Manager
	Faults *faults.Set
	Log    *slog.Logger
}

// ResourceType is one ARM resource type the emulator serves: the routes of
// its REST operations and the kinds of long-running operation its handlers
// start. Adding a type means writing one in its namespace package and
// listing it in its namespace's ResourceTypes.
type ResourceType interface {
	Routes() []Route
	OperationKinds() []lro.Kind
}

// GroupDeletionGuard is implemented by a type that can refuse the deletion
// of a resource group, the way ARM fails a group deletion when it cannot
// delete one of the group's resources. It runs when the deletion completes.
type GroupDeletionGuard interface {
	CheckGroupDeletion(r store.Reader, groupID string) error
}

// OperationGuard is implemented by a type that refuses operations of other
// types, the way a recovery plan refuses the removal of the protected items
// it holds: each check, keyed by the operation id it guards, runs before
// that route's handler and refuses with the error it returns.
type OperationGuard interface {
	OperationGuards() map[string]func(*Request) error
}

// Provisioning states ARM shows on resources of every namespace.
const (
	StateSucceeded = "Succeeded"
	StateDeleting  = "Deleting"
	StateUpdating  = "Updating"
	StateFailed    = "Failed"
)

// List is ARM's list envelope, {"value": [...]}.
type List[T any] struct {
	Value []T `json:"value"`
}
