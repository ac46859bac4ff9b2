package replication

import (
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func TestAppWithinRetention(t *testing.T) {
	if appWithinRetention(4*time.Hour, 24*time.Hour) != nil || appWithinRetention(0, 0) != nil || appWithinRetention(time.Hour, time.Hour) != nil {
		t.Fatal("frequencies within retention, or off, must pass")
	}
	err := appWithinRetention(4*time.Hour, 2*time.Hour)
	if err == nil || !strings.Contains(err.Error(), `at most "2h"`) || !strings.Contains(err.Error(), `"0"`) {
		t.Fatalf("want the fix in the message, got %v", err)
	}
	if err := appWithinRetention(4*time.Hour, 0); err == nil || !strings.Contains(err.Error(), `app_consistent_snapshot_frequency = "0"`) {
		t.Fatalf("zero retention must suggest turning app-consistent snapshots off, got %v", err)
	}
}

// The longest policy name with the longest region names keeps mapping names
// within 80 characters.
func TestMappingNamesStayShort(t *testing.T) {
	name := strings.Repeat("p", 38)
	if !policyNamePattern.MatchString(name) || policyNamePattern.MatchString(name+"p") {
		t.Fatal("policy names are limited to 38 characters")
	}
	if n := len(mappingName(name, "australiasoutheast", "germanywestcentral")); n > 80 {
		t.Fatalf("mapping name of %d characters", n)
	}
	in := &site.Info{VaultID: "/v", PrimaryFabric: "fp", PrimaryContainer: "cp", RecoveryFabric: "fr", RecoveryContainer: "cr",
		PrimaryLocation: "centralus", RecoveryLocation: "eastus2", PrimaryContainerID: "/v/p", RecoveryContainerID: "/v/r"}
	failover, failback := policyMappings(in, "tier1")
	if failover.Name != "tier1-centralus-to-eastus2" || failover.TargetID != "/v/r" || failback.Name != "tier1-eastus2-to-centralus" || failback.TargetID != "/v/p" {
		t.Fatalf("mappings %+v / %+v", failover, failback)
	}
}

func TestPolicyIDRoundTrip(t *testing.T) {
	id := "/subscriptions/s/resourceGroups/cms-dr/providers/Microsoft.RecoveryServices/vaults/cms-vault/replicationPolicies/tier1"
	ref, err := parsePolicyID(id)
	if err != nil || ref.String() != id || ref.SiteID() != "/subscriptions/s/resourceGroups/cms-dr" || ref.Vault != "cms-vault" {
		t.Fatalf("parsePolicyID(%q) = %+v, %v", id, ref, err)
	}
	if _, err := parsePolicyID("/subscriptions/s/resourceGroups/cms-dr"); err == nil {
		t.Fatal("a group id is not a policy id")
	}
}
