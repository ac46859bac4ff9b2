package failover_test

import (
	"context"
	"fmt"
	"testing"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// startTestFailoverBehindTerraform runs a test failover of the estate's VM
// through the SDK and leaves it pending cleanup.
func startTestFailoverBehindTerraform(t *testing.T, e estate) {
	t.Helper()
	ctx := context.Background()
	c := acctest.Client(t)
	testNet := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-drill/providers/Microsoft.Network/virtualNetworks/" + e.name + "-vnet-drill"
	in := asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection: ptr("PrimaryToRecovery"), NetworkType: ptr("VmNetworkAsInput"), NetworkID: &testNet,
		ProviderSpecificDetails: &asr.A2ATestFailoverInput{InstanceType: ptr("A2A")},
	}}
	p, err := c.ProtectedItems().BeginTestFailover(ctx, e.name+"-vault", e.name+"-dr", "azuredr-centralus", "azuredr-centralus-container", e.VM.Name, in, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("test failover behind Terraform's back: %v", err)
	}
}

// testFailoverState is the item's test failover state as Site Recovery
// reports it now.
func testFailoverState(t *testing.T, e estate) string {
	t.Helper()
	resp, err := acctest.Client(t).ProtectedItems().Get(context.Background(), e.name+"-vault", e.name+"-dr", "azuredr-centralus", "azuredr-centralus-container", e.VM.Name, nil)
	if err != nil {
		t.Fatalf("reading the protected item: %v", err)
	}
	if resp.Properties == nil || resp.Properties.TestFailoverState == nil {
		return ""
	}
	return *resp.Properties.TestFailoverState
}

func ptr[T any](v T) *T { return &v }

// itemID is the estate VM's protected item.
func itemID(e estate) string {
	return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + e.name +
		"-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/" + e.VM.Name
}

// estateGone is what the tests' configurations create, checked gone after
// the destroy through the SDK: the replicated VM, the recovery plan, the
// test VM a drill starts, and the site's vault and groups (with the network
// pair, the policy and any Traffic Manager profile inside). The estate
// itself is production: it stays until the test's cleanup.
func estateGone(t *testing.T, e estate) resource.TestCheckFunc {
	gone := []acctest.Gone{
		acctest.IDGone(itemID(e)),
		acctest.IDGone(planID(e)),
		acctest.IDGone("/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-dr/providers/Microsoft.Compute/virtualMachines/" + e.VM.Name + "-test"),
		acctest.IDGone("/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-dr/providers/Microsoft.Network/virtualNetworks/" + e.name + "-vnet-dr"),
	}
	return acctest.CheckDestroy(t, append(gone, acctest.SiteGone(e.name)...)...)
}

// replicatedVMConfig is an azuredr_replicated_vm of drillConfig's site,
// policy and network pair: the production VM sourceVMID, failing over into
// subnet.
func replicatedVMConfig(name, sourceVMID, subnet string) string {
	return fmt.Sprintf(`
resource "azuredr_replicated_vm" %q {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %q
  recovery_subnet_name  = %q
}
`, name, sourceVMID, subnet)
}

// nothingPendingCleanup asserts, asking Site Recovery (the state may be
// older), that the estate's VM has no test failover pending cleanup.
func nothingPendingCleanup(t *testing.T, e estate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := testFailoverState(t, e); got != "None" {
			return fmt.Errorf("testFailoverState = %q, want None: a test failover is pending cleanup", got)
		}
		return nil
	}
}
