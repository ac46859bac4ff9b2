package replication

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// policyRef is a replication policy's id split into what the SDK takes:
//
//	/subscriptions/{s}/resourceGroups/{group}/providers/Microsoft.RecoveryServices
//	  /vaults/{vault}/replicationPolicies/{name}
//
// The group is the site's recovery resource group, whose id is the site's id.
type policyRef struct {
	Subscription, Group, Vault, Name string
}

const policyType = "Microsoft.RecoveryServices/vaults/replicationPolicies"

func parsePolicyID(id string) (policyRef, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), policyType) {
		return policyRef{}, fmt.Errorf("%q is not the id of a replication policy: expected /subscriptions/<id>/resourceGroups/<site recovery group>/providers/%s/<name>", id, strings.Replace(policyType, "/replicationPolicies", "/<vault>/replicationPolicies", 1))
	}
	return policyRef{Subscription: rid.SubscriptionID, Group: rid.ResourceGroupName, Vault: rid.Parent.Name, Name: rid.Name}, nil
}

func (r policyRef) String() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.RecoveryServices/vaults/%s/replicationPolicies/%s", r.Subscription, r.Group, r.Vault, r.Name)
}

// SiteID is the id of the site whose vault holds the policy.
func (r policyRef) SiteID() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", r.Subscription, r.Group)
}

// policyID is the id of a policy in the site's vault.
func policyID(in *site.Info, name string) string {
	return in.VaultID + "/replicationPolicies/" + name
}
