package drill

import (
	"fmt"
	"strings"
)

// itemID is a Site Recovery replication protected item id split into the
// parts the SDK's methods take.
type itemID struct {
	Subscription, ResourceGroup, Vault, Fabric, Container, Name string
}

var itemIDSegments = []string{"subscriptions", "resourcegroups", "providers", "vaults", "replicationfabrics", "replicationprotectioncontainers", "replicationprotecteditems"}

// parseItemID accepts an item id in any case (ARM ids are case-insensitive).
func parseItemID(s string) (itemID, error) {
	bad := fmt.Errorf("%q is not a replicated VM id: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.RecoveryServices/vaults/<vault>/replicationFabrics/<fabric>/replicationProtectionContainers/<container>/replicationProtectedItems/<name>", s)
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) != 14 || !strings.EqualFold(parts[5], "Microsoft.RecoveryServices") {
		return itemID{}, bad
	}
	for i, want := range itemIDSegments {
		if !strings.EqualFold(parts[2*i], want) {
			return itemID{}, bad
		}
	}
	id := itemID{Subscription: parts[1], ResourceGroup: parts[3], Vault: parts[7], Fabric: parts[9], Container: parts[11], Name: parts[13]}
	for _, v := range []string{id.Subscription, id.ResourceGroup, id.Vault, id.Fabric, id.Container, id.Name} {
		if v == "" {
			return itemID{}, bad
		}
	}
	return id, nil
}

// resourceID is a top-level ARM resource id: group, type and name (and,
// for a child, the child's type and name).
type resourceID struct {
	Subscription, ResourceGroup, Provider, Type, Name string
	ChildType, ChildName                              string
}

// parseResourceID splits /subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{child}/{name}].
func parseResourceID(s string) (resourceID, bool) {
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if (len(parts) != 8 && len(parts) != 10) || !strings.EqualFold(parts[0], "subscriptions") ||
		!strings.EqualFold(parts[2], "resourceGroups") || !strings.EqualFold(parts[4], "providers") {
		return resourceID{}, false
	}
	id := resourceID{Subscription: parts[1], ResourceGroup: parts[3], Provider: parts[5], Type: parts[6], Name: parts[7]}
	if len(parts) == 10 {
		id.ChildType, id.ChildName = parts[8], parts[9]
	}
	for _, p := range parts {
		if p == "" {
			return resourceID{}, false
		}
	}
	return id, true
}

// parseNetworkID checks a virtual network id.
func parseNetworkID(s string) (resourceID, error) {
	id, ok := parseResourceID(s)
	if !ok || id.ChildType != "" || !strings.EqualFold(id.Provider, "Microsoft.Network") || !strings.EqualFold(id.Type, "virtualNetworks") {
		return resourceID{}, fmt.Errorf("%q is not a virtual network id: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>", s)
	}
	return id, nil
}

// networkOf is the virtual network id of a network or subnet id, lower-cased
// for comparison ("" if s is neither).
func networkOf(s string) string {
	id, ok := parseResourceID(s)
	if !ok || !strings.EqualFold(id.Provider, "Microsoft.Network") || !strings.EqualFold(id.Type, "virtualNetworks") {
		return ""
	}
	return strings.ToLower(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s", id.Subscription, id.ResourceGroup, id.Name))
}

// groupOf is the name of a resource group id ("/subscriptions/s/resourceGroups/g").
func groupOf(s string) string {
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) >= 4 && strings.EqualFold(parts[2], "resourceGroups") {
		return parts[3]
	}
	return ""
}

// lastSegment is the name at the end of an id.
func lastSegment(s string) string {
	s = strings.TrimRight(s, "/")
	return s[strings.LastIndex(s, "/")+1:]
}
