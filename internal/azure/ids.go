package azure

import (
	"fmt"
	"strings"
)

// ProtectedItemID is the id of a Site Recovery replication protected item
// (a replicated VM), split into the parts the SDK's methods take:
//
//	/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}
//	  /replicationFabrics/{fabric}/replicationProtectionContainers/{container}
//	  /replicationProtectedItems/{name}
type ProtectedItemID struct {
	Subscription  string
	ResourceGroup string
	Vault         string
	Fabric        string
	Container     string
	Name          string
}

func (id ProtectedItemID) String() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.RecoveryServices/vaults/%s/replicationFabrics/%s/replicationProtectionContainers/%s/replicationProtectedItems/%s",
		id.Subscription, id.ResourceGroup, id.Vault, id.Fabric, id.Container, id.Name)
}

// itemIDSegments are the literal segments of an item id, at even positions
// (the values sit between them; "Microsoft.RecoveryServices" fills the slot
// after "providers").
var itemIDSegments = []string{"subscriptions", "resourcegroups", "providers", "vaults", "replicationfabrics", "replicationprotectioncontainers", "replicationprotecteditems"}

// ParseProtectedItemID accepts an item id in any case (ARM ids are
// case-insensitive, and Site Recovery itself answers "/Subscriptions/...").
func ParseProtectedItemID(s string) (ProtectedItemID, error) {
	bad := fmt.Errorf("%q is not the id of a replicated VM: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<vault>/replicationFabrics/<fabric>/replicationProtectionContainers/<container>/replicationProtectedItems/<name> (azuredr_replicated_vm.<name>.id)", s)
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) != 14 || !strings.EqualFold(parts[5], "Microsoft.RecoveryServices") {
		return ProtectedItemID{}, bad
	}
	for i, want := range itemIDSegments {
		if !strings.EqualFold(parts[2*i], want) {
			return ProtectedItemID{}, bad
		}
	}
	id := ProtectedItemID{Subscription: parts[1], ResourceGroup: parts[3], Vault: parts[7], Fabric: parts[9], Container: parts[11], Name: parts[13]}
	for _, v := range []string{id.Subscription, id.ResourceGroup, id.Vault, id.Fabric, id.Container, id.Name} {
		if v == "" {
			return ProtectedItemID{}, bad
		}
	}
	return id, nil
}
