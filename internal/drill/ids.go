package drill

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// itemID is a protected item id; the one parser lives in the client layer.
type itemID = azure.ProtectedItemID

func parseItemID(s string) (itemID, error) { return azure.ParseProtectedItemID(s) }

// parseNetworkID checks a virtual network id.
func parseNetworkID(s string) (*arm.ResourceID, error) {
	id, err := arm.ParseResourceID(s)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks") {
		return nil, fmt.Errorf("%q is not a virtual network id: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>", s)
	}
	return id, nil
}

// networkOf is the virtual network id of a network or subnet id, lower-cased
// for comparison ("" if s is neither).
func networkOf(s string) string {
	id, err := arm.ParseResourceID(s)
	if err != nil {
		return ""
	}
	if strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks/subnets") {
		id = id.Parent
	}
	if !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks") {
		return ""
	}
	return strings.ToLower(id.String())
}

// groupOf is the name of a resource group id ("/subscriptions/s/resourceGroups/g").
func groupOf(s string) string {
	id, err := arm.ParseResourceID(s)
	if err != nil {
		return ""
	}
	return id.ResourceGroupName
}

// lastSegment is the name at the end of an id.
func lastSegment(s string) string {
	s = strings.TrimRight(s, "/")
	return s[strings.LastIndex(s, "/")+1:]
}
