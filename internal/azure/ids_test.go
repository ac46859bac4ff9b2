package azure

import (
	"strings"
	"testing"
)

func TestParseProtectedItemID(t *testing.T) {
	const id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/cms-dr/providers/Microsoft.RecoveryServices/vaults/cms-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/vm-web-1"
	got, err := ParseProtectedItemID(id)
	if err != nil {
		t.Fatal(err)
	}
	want := ProtectedItemID{Subscription: "00000000-0000-0000-0000-000000000001", ResourceGroup: "cms-dr", Vault: "cms-vault",
		Fabric: "azuredr-centralus", Container: "azuredr-centralus-container", Name: "vm-web-1"}
	if got != want {
		t.Fatalf("ParseProtectedItemID = %+v, want %+v", got, want)
	}
	if got.String() != id {
		t.Errorf("String() = %s, want the id back", got.String())
	}
	// Site Recovery answers ids with "/Subscriptions/": any case is accepted.
	odd := strings.NewReplacer("/subscriptions/", "/Subscriptions/", "resourceGroups", "resourcegroups").Replace(id)
	if _, err := ParseProtectedItemID(odd); err != nil {
		t.Errorf("upper-case literal segments refused: %v", err)
	}
	for _, bad := range []string{
		"",
		"/subscriptions/x/resourceGroups/cms-dr",
		strings.Replace(id, "replicationProtectedItems", "replicationProtectedThings", 1),
		strings.Replace(id, "Microsoft.RecoveryServices", "Microsoft.Compute", 1),
		strings.Replace(id, "/vm-web-1", "/", 1),
		id + "/recoveryPoints/x",
	} {
		if _, err := ParseProtectedItemID(bad); err == nil {
			t.Errorf("ParseProtectedItemID(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), "replicationProtectedItems/<name>") {
			t.Errorf("error for %q does not show the expected shape: %v", bad, err)
		}
	}
}
