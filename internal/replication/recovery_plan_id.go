package replication

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// planRef is a recovery plan's id split into what the SDK takes:
//
//	/subscriptions/{s}/resourceGroups/{group}/providers/Microsoft.RecoveryServices
//	  /vaults/{vault}/replicationRecoveryPlans/{name}
//
// The group is the site's recovery resource group, whose id is the site's id.
type planRef struct {
	Subscription, Group, Vault, Name string
}

const recoveryPlanType = "Microsoft.RecoveryServices/vaults/replicationRecoveryPlans"

func parsePlanID(id string) (planRef, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), recoveryPlanType) {
		return planRef{}, fmt.Errorf("%q is not the id of a recovery plan: expected /subscriptions/<id>/resourceGroups/<site recovery group>/providers/Microsoft.RecoveryServices/vaults/<vault>/replicationRecoveryPlans/<name>", id)
	}
	return planRef{Subscription: rid.SubscriptionID, Group: rid.ResourceGroupName, Vault: rid.Parent.Name, Name: rid.Name}, nil
}

func (r planRef) String() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.RecoveryServices/vaults/%s/replicationRecoveryPlans/%s", r.Subscription, r.Group, r.Vault, r.Name)
}

// SiteID is the id of the site whose vault holds the plan.
func (r planRef) SiteID() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", r.Subscription, r.Group)
}

// planRefOf is the ref of a plan named name in the site's vault.
func planRefOf(in *site.Info, name string) planRef {
	ref, _ := parsePlanID(in.VaultID + "/replicationRecoveryPlans/" + name)
	return ref
}
