package emulator

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

const (
	// resourceGroupDeleteDuration is the simulated time a group deletion
	// takes: Azure typically needs tens of seconds even for an empty group.
	resourceGroupDeleteDuration = 30 * time.Second

	kindResourceGroupDelete = "Microsoft.Resources/resourceGroups/delete"
	resourcesNamespace      = "Microsoft.Resources"

	stateSucceeded = "Succeeded"
	stateDeleting  = "Deleting"

	maxResourceGroupName = 90
)

// resourceGroup is a group as stored and as ARM returns it.
type resourceGroup struct {
	ID         string                  `json:"id"`
	Name       string                  `json:"name"`
	Type       string                  `json:"type"`
	Location   string                  `json:"location"`
	ManagedBy  string                  `json:"managedBy,omitempty"`
	Tags       map[string]string       `json:"tags,omitempty"`
	Properties resourceGroupProperties `json:"properties"`
}

type resourceGroupProperties struct {
	ProvisioningState string `json:"provisioningState"`
}

// newResourceGroup is a freshly created group; the name keeps the case it
// was created with, as in ARM.
func newResourceGroup(subscriptionID, name, location string, tags map[string]string, managedBy string) *resourceGroup {
	return &resourceGroup{
		ID:         arm.ResourceGroupID(subscriptionID, name),
		Name:       name,
		Type:       arm.ResourceGroupType,
		Location:   location,
		ManagedBy:  managedBy,
		Tags:       tags,
		Properties: resourceGroupProperties{ProvisioningState: stateSucceeded},
	}
}

func getResourceGroup(r store.Reader, subscriptionID, name string) (*resourceGroup, bool, error) {
	return getJSON[resourceGroup](r, arm.ResourceGroupID(subscriptionID, name))
}

func putResourceGroup(tx *store.Tx, rg *resourceGroup) error {
	return putJSON(tx, rg.ID, rg)
}

// validateResourceGroupName applies ARM's naming rules: 1 to 90 letters,
// digits, underscores, hyphens, periods and parentheses, not ending in a
// period.
func validateResourceGroupName(name string) error {
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

// resolveLocation returns the canonical region name ("East US" and "EastUS"
// become "eastus", as ARM normalises them) or the error ARM gives.
func resolveLocation(location string) (string, error) {
	if strings.TrimSpace(location) == "" {
		return "", arm.LocationRequired()
	}
	if c := regions.Canonical(location); c != "" {
		return c, nil
	}
	return "", arm.LocationNotAvailableForResourceGroup(location, regions.Names())
}

// checkGroupWritable refuses writes on a group with an unfinished operation:
// its deletion (ResourceGroupBeingDeleted) or anything else
// (AnotherOperationInProgress).
func (s *Server) checkGroupWritable(r store.Reader, rg *resourceGroup) error {
	op, ok, err := s.ops.InFlight(r, rg.ID)
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

// requireWritableGroup is the check every write into a group makes (the
// PUT of a vNet, say): the group exists and is not being deleted.
func (s *Server) requireWritableGroup(r store.Reader, subscriptionID, name string) (*resourceGroup, error) {
	rg, ok, err := getResourceGroup(r, subscriptionID, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceGroupNotFound(name)
	}
	return rg, s.checkGroupWritable(r, rg)
}

// deleteResourceGroupKind removes the group and everything whose id lies
// under it, and cancels the operations still running on those resources. A
// guard's error fails the deletion and leaves the group as it was.
func (s *Server) deleteResourceGroupKind() lro.Kind {
	return lro.Kind{
		Name:      kindResourceGroupDelete,
		Namespace: resourcesNamespace,
		Duration:  resourceGroupDeleteDuration,
		Complete: func(tx *store.Tx, op *lro.Operation) error {
			for _, g := range s.groupGuards {
				if err := g.checkGroupDeletion(tx, op.ResourceID); err != nil {
					return err
				}
			}
			_, name, _ := arm.SplitGroupID(op.ResourceID)
			if err := s.ops.CancelUnder(tx, op.ResourceID, op.ID, fmt.Sprintf("the resource group '%s' was deleted", name)); err != nil {
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
			return lro.SetProvisioningState(tx, op.ResourceID, stateSucceeded)
		},
	}
}
