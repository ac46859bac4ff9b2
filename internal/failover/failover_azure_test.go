package failover_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
)

// What the failover tests check in Azure itself, through the SDK.

const (
	fabric    = "azuredr-centralus"
	container = "azuredr-centralus-container"
)

// legacyToken is an approval signed the way earlier versions signed it,
// for an action that no longer exists (approval.Sign refuses to).
func (a approver) legacyToken(t *testing.T, plan, action string) string {
	t.Helper()
	payload := fmt.Sprintf(`{"plan_id":%q,"action":%q,"expires":%q,"approver":%q}`, plan, action,
		time.Now().Add(time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339), a.name)
	sig := ed25519.Sign(a.priv, []byte(approval.Prefix+payload))
	return approval.Prefix + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// cacheAccountIn checks the site's cache storage account in region exists
// there.
func cacheAccountIn(t *testing.T, e estate, region string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		site := cacheaccount.Site{SubscriptionID: acctest.SubscriptionID, ResourceGroup: e.name + "-dr", Name: e.name}
		got, err := acctest.Client(t).StorageAccounts().GetProperties(context.Background(), site.ResourceGroup, cacheaccount.Name(site, region), nil)
		if err != nil {
			return fmt.Errorf("the site's cache account in %s: %w", region, err)
		}
		if !strings.EqualFold(deref(got.Location), region) {
			return fmt.Errorf("the site's cache account %s is in %s, want %s", deref(got.Name), deref(got.Location), region)
		}
		return nil
	}
}

// sourceVMRunning checks whether the estate's (original) VM runs.
func sourceVMRunning(t *testing.T, e estate, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		iv, err := acctest.Client(t).VirtualMachines().InstanceView(context.Background(), groupOf(e.VM.ID), e.VM.Name, nil)
		if err != nil {
			return fmt.Errorf("instance view of %s: %w", e.VM.Name, err)
		}
		power := ""
		for _, s := range iv.Statuses {
			if c := deref(s.Code); strings.HasPrefix(c, "PowerState/") {
				power = strings.TrimPrefix(c, "PowerState/")
			}
		}
		if (power == "running") != want {
			return fmt.Errorf("the source VM %s is %s; want running = %v", e.VM.Name, power, want)
		}
		return nil
	}
}

func groupOf(id string) string { return strings.Split(id, "/")[4] }

// wantARMError checks err is Azure's answer with status and code.
func wantARMError(err error, status int, code string) error {
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != status || re.ErrorCode != code {
		return fmt.Errorf("want %d %s, got %v", status, code, err)
	}
	return nil
}

// wantPlannedFailoverRefused sends the planned failover earlier versions
// sent and checks Azure refuses it (A2A has none).
func wantPlannedFailoverRefused(t *testing.T, e estate) {
	t.Helper()
	_, err := acctest.Client(t).ProtectedItems().BeginPlannedFailover(context.Background(), e.name+"-vault", e.name+"-dr", fabric, container, e.VM.Name,
		asr.PlannedFailoverInput{Properties: &asr.PlannedFailoverInputProperties{FailoverDirection: ptr("PrimaryToRecovery")}}, nil)
	if err := wantARMError(err, http.StatusConflict, "OperationNotAllowed"); err != nil {
		t.Fatal("planned failover: " + err.Error())
	}
}

// wantIncompleteReprotectRefused sends the re-protect earlier versions sent
// (no A2A input) and one without disk details, and checks Azure's codes.
func wantIncompleteReprotectRefused(t *testing.T, e estate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := acctest.Client(t)
		send := func(d asr.ReverseReplicationProviderSpecificInputClassification) error {
			_, err := c.ProtectedItems().BeginReprotect(context.Background(), e.name+"-vault", e.name+"-dr", fabric, container, e.VM.Name,
				asr.ReverseReplicationInput{Properties: &asr.ReverseReplicationInputProperties{FailoverDirection: ptr("RecoveryToPrimary"), ProviderSpecificDetails: d}}, nil)
			return err
		}
		if err := wantARMError(send(nil), http.StatusBadRequest, "BadRequest"); err != nil {
			return fmt.Errorf("re-protect without A2A input: %w", err)
		}
		site := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + e.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + e.name + "-vault/replicationFabrics/"
		var policy string
		pager := c.ContainerMappings().NewListByReplicationProtectionContainersPager(e.name+"-vault", e.name+"-dr", "azuredr-eastus", "azuredr-eastus-container", nil)
		for pager.More() {
			page, err := pager.NextPage(context.Background())
			if err != nil {
				return err
			}
			for _, m := range page.Value {
				policy = deref(m.Properties.PolicyID)
			}
		}
		noDisks := &asr.A2AReprotectInput{InstanceType: ptr("A2A"), RecoveryContainerID: ptr(site + fabric + "/replicationProtectionContainers/" + container),
			PolicyID: ptr(policy), RecoveryResourceGroupID: ptr("/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + groupOf(e.VM.ID))}
		if err := wantARMError(send(noDisks), http.StatusBadRequest, "VMDisksMissing"); err != nil {
			return fmt.Errorf("re-protect without disk details (reverse mapping policy %q): %w", policy, err)
		}
		return nil
	}
}
