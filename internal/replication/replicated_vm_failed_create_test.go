package replication_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// Enabling replication makes the protected item; Azure accepts the PUT and
// runs a job. When the wait for it fails (here its operation status poll),
// the item exists but nothing is in state: the create disables it again,
// so the vault holds no replicated item Terraform does not know of. (Once
// the enable succeeded, the item is in state at once: a later failure
// leaves it tainted.)
func TestAccReplicatedVM_failedEnableLeavesNothing(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.FailedStepReason)
	d := newDREstate(t, "rvf")
	status := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + d.name + "-vault/replicationOperationStatus/"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             d.gone(t),
		Steps: []resource.TestStep{
			{Config: drConfig(t, d, "")},
			{
				PreConfig:   func() { acctest.FailNextRequest(t, status) },
				Config:      drConfig(t, d, vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)),
				ExpectError: regexp.MustCompile(`Cannot enable replication of ` + regexp.QuoteMeta(d.VM.Name) + `[\s\S]*501`),
			},
			{
				Config: drConfig(t, d, ""),
				Check: func(*terraform.State) error {
					if items := d.vaultItems(t); len(items) != 0 {
						return fmt.Errorf("replicated items left untracked after the failed enable: %v", items)
					}
					return nil
				},
			},
		},
	})
}
