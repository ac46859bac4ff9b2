package siterecovery

import (
	"encoding/json"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// What a recovery plan refuses of other types: removing or disabling an item it
// holds (the operation guards), and what it reads of its items to decide.

// testFailoverPending reads only the item's test failover state, so the
// plan does not depend on the rest of the item's record.
func testFailoverPending(r store.Reader, itemID string) bool {
	raw, ok := r.Get(itemID)
	if !ok {
		return false
	}
	var it struct {
		Properties struct {
			Failover struct {
				TestFailoverState string `json:"testFailoverState"`
			} `json:"failover"`
		} `json:"properties"`
	}
	if json.Unmarshal(raw, &it) != nil {
		return false
	}
	s := it.Properties.Failover.TestFailoverState
	return s != "" && s != "None"
}

// plansHolding returns the ids of the recovery plans of the item's vault
// that hold the item.
func plansHolding(r store.Reader, itemID string) ([]string, error) {
	vault := vaultIDOf(itemID)
	if vault == "" {
		return nil, nil
	}
	plans, err := objectsOfType[recoveryPlanProperties](r, vault, recoveryPlansCollection)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range plans {
		for _, g := range p.Properties.Groups {
			for _, it := range g.ReplicationProtectedItems {
				if strings.EqualFold(it.ID, itemID) {
					out = append(out, p.ID)
				}
			}
		}
	}
	return out, nil
}

// planItemGuards refuses disabling (POST .../remove) or purging (DELETE)
// a protected item a recovery plan holds, as Site Recovery does: 409
// naming the plans.
func (s *Service) planItemGuards() map[string]func(*service.Request) error {
	guard := func(req *service.Request) error {
		id := "/subscriptions/" + req.Param("subscriptionId") + "/resourceGroups/" + req.Param("resourceGroupName") +
			"/providers/" + vaultType + "/" + req.Param("resourceName") +
			"/" + fabricsCollection + "/" + req.Param("fabricName") +
			"/" + containersCollection + "/" + req.Param("protectionContainerName") +
			"/" + protectedItemsCollection + "/" + req.Param("replicatedProtectedItemName")
		plans, err := plansHolding(s.Store, id)
		if err != nil {
			return err
		}
		if len(plans) > 0 {
			return arm.SiteRecoveryConflict(planItemInPlanCode,
				"The protected item '%s' is part of the recovery plan(s) %s. Remove it from the recovery plan(s), then retry.",
				req.Param("replicatedProtectedItemName"), strings.Join(plans, ", "))
		}
		return nil
	}
	return map[string]func(*service.Request) error{
		"ReplicationProtectedItems_Delete": guard,
		"ReplicationProtectedItems_Purge":  guard,
	}
}

// recoveryPlanResource is the resource type in the route table: the
// shared handler's routes, plus the guards on protected items.
type recoveryPlanResource struct {
	*srObjects[recoveryPlanProperties]
}

func newRecoveryPlans(s *Service) recoveryPlanResource {
	return recoveryPlanResource{s.recoveryPlans()}
}

func (t recoveryPlanResource) OperationGuards() map[string]func(*service.Request) error {
	return t.s.planItemGuards()
}
