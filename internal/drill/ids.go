package drill

import (
	"fmt"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// itemID is a protected item id; the one parser lives in the client layer.
type itemID = azure.ProtectedItemID

func parseItemID(s string) (itemID, error) { return azure.ParseProtectedItemID(s) }

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
