package resources

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

const (
	// resourceGroupDeleteDuration is the simulated time a group deletion
	// takes: Azure typically needs tens of seconds even for an empty group.
	resourceGroupDeleteDuration = 30 * time.Second

	kindResourceGroupDelete = "Microsoft.Resources/resourceGroups/delete"
	resourcesNamespace      = "Microsoft.Resources"

	maxResourceGroupName = 90
)

// Service serves the Microsoft.Resources namespace: resource groups, the
// containers every other namespace writes into. It is the lowest namespace:
// the others call its exported checks (RequireWritableGroup, FindGroup)
// before writing into a group.
type Service struct {
	*service.Env
	// guards may refuse a group deletion (service.GroupDeletionGuard): the
	// server collects them from every namespace once all are built.
	guards []service.GroupDeletionGuard
}

// New is the namespace over the server's shared machinery.
func New(env *service.Env) *Service { return &Service{Env: env} }

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	return []service.ResourceType{&resourceGroups{s: s}}
}

// SetDeletionGuards gives the group deletion the checks other namespaces
// make before their resources go with the group.
func (s *Service) SetDeletionGuards(guards []service.GroupDeletionGuard) { s.guards = guards }

// Group is a group as stored and as ARM returns it.
type Group struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	ManagedBy  string            `json:"managedBy,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties GroupProperties   `json:"properties"`
}

// GroupProperties are a group's properties, as ARM returns them.
type GroupProperties struct {
	ProvisioningState string `json:"provisioningState"`
}

// NewGroup is a freshly created group; the name keeps the case it
// was created with, as in ARM.
func NewGroup(subscriptionID, name, location string, tags map[string]string, managedBy string) *Group {
	return &Group{
		ID:         arm.ResourceGroupID(subscriptionID, name),
		Name:       name,
		Type:       arm.ResourceGroupType,
		Location:   location,
		ManagedBy:  managedBy,
		Tags:       tags,
		Properties: GroupProperties{ProvisioningState: service.StateSucceeded},
	}
}

// GetGroup reads a stored group.
func GetGroup(r store.Reader, subscriptionID, name string) (*Group, bool, error) {
	return service.GetJSON[Group](r, arm.ResourceGroupID(subscriptionID, name))
}

// PutGroup stores a group.
func PutGroup(tx *store.Tx, rg *Group) error {
	return service.PutJSON(tx, rg.ID, rg)
}

// ValidateGroupName applies ARM's naming rules: 1 to 90 letters,
// digits, underscores, hyphens, periods and parentheses, not ending in a
// period.
func ValidateGroupName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return arm.InvalidResourceGroupName(name, "it is empty")
	case n > maxResourceGroupName:
		return arm.InvalidResourceGroupName(name, fmt.Sprintf("it is %d characters long, more than %d", n, maxResourceGroupName))
	case strings.HasSuffix(name, "."):
		return arm.InvalidResourceGroupName(name, "it ends with a period")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.()", r) {
			return arm.InvalidResourceGroupName(name, fmt.Sprintf("the character %q is not allowed", r))
		}
	}
	return nil
}

// ResolveLocation returns the canonical region name ("East US" and "EastUS"
// become "eastus", as ARM normalises them) or the error ARM gives.
func ResolveLocation(location string) (string, error) {
	if strings.TrimSpace(location) == "" {
		return "", arm.LocationRequired()
	}
	if c := regions.Canonical(location); c != "" {
		return c, nil
	}
	return "", arm.LocationNotAvailableForResourceGroup(location, regions.Names())
}

// CheckGroupWritable refuses writes on a group with an unfinished operation:
// its deletion (ResourceGroupBeingDeleted) or anything else
// (AnotherOperationInProgress).
func CheckGroupWritable(ops *lro.Manager, r store.Reader, rg *Group) error {
	op, ok, err := ops.InFlight(r, rg.ID)
	switch {
	case err != nil:
		return err
	case !ok:
		return nil
	case op.Kind == kindResourceGroupDelete:
		return arm.ResourceGroupBeingDeleted(rg.Name)
	default:
		return arm.AnotherOperationInProgress(rg.ID, op.ID)
	}
}

// RequireWritableGroup is the check every write into a group makes (the
// PUT of a vNet, say): the group exists and is not being deleted.
func RequireWritableGroup(ops *lro.Manager, r store.Reader, subscriptionID, name string) (*Group, error) {
	rg, ok, err := GetGroup(r, subscriptionID, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceGroupNotFound(name)
	}
	return rg, CheckGroupWritable(ops, r, rg)
}

// deleteResourceGroupKind removes the group and everything whose id lies
// under it, and cancels the operations still running on those resources. A
// guard's error fails the deletion and leaves the group as it was.
func (s *Service) deleteResourceGroupKind() lro.Kind {
	return lro.Kind{
		Name:      kindResourceGroupDelete,
		Namespace: resourcesNamespace,
		Duration:  resourceGroupDeleteDuration,
		Complete: func(tx *store.Tx, op *lro.Operation) error {
			for _, g := range s.guards {
				if err := g.CheckGroupDeletion(tx, op.ResourceID); err != nil {
					return err
				}
			}
			_, name, _ := arm.SplitGroupID(op.ResourceID)
			if err := s.Ops.CancelUnder(tx, op.ResourceID, op.ID, fmt.Sprintf("the resource group '%s' was deleted", name)); err != nil {
				return err
			}
			for _, e := range tx.List(op.ResourceID + "/") {
				tx.Delete(e.Key)
			}
			tx.Delete(op.ResourceID)
			return nil
		},
		// A failed deletion leaves the group usable again.
		Fail: func(tx *store.Tx, op *lro.Operation) error {
			return lro.SetProvisioningState(tx, op.ResourceID, service.StateSucceeded)
		},
	}
}
