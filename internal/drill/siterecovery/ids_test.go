package siterecovery

import (
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

const testItem = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/vm-web-1"
const testNet = "/subscriptions/s/resourceGroups/rg-dr/providers/Microsoft.Network/virtualNetworks/vnet-test"

func TestIDs(t *testing.T) {
	id, err := azure.ParseProtectedItemID(strings.Replace(testItem, "/resourceGroups/", "/RESOURCEGROUPS/", 1))
	if err != nil || id.Name != "vm-web-1" || id.Vault != "v" || id.ResourceGroup != "rg-dr" {
		t.Fatalf("parseItemID: %+v %v", id, err)
	}
	if n := NetworkOf(testNet + "/subnets/web"); n != strings.ToLower(testNet) {
		t.Fatalf("networkOf(subnet) = %q", n)
	}
	if groupOf("/subscriptions/s/resourceGroups/rg-x") != "rg-x" || drill.NameOf("/a/b/c/") != "c" {
		t.Fatal("groupOf / lastSegment")
	}
}
