package replication_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The complete A2A enable input: the site's cache account (created by the
// provider, removed with the site) or a configured one in the source
// region, disk types following the source disk unless overridden, and the
// test failover NIC settings; and the emulator refusing, with Azure's
// codes, the incomplete inputs the provider used to send.

func siteCache(d drEstate) cacheaccount.Site {
	return cacheaccount.Site{SubscriptionID: acctest.SubscriptionID, ResourceGroup: d.name + "-dr", Name: d.name}
}

// cacheAccountGone checks the site's cache account went with the site.
func cacheAccountGone(t *testing.T, d drEstate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := acctest.Client(t).StorageAccounts().GetProperties(context.Background(), d.name+"-dr", cacheaccount.Name(siteCache(d), "centralus"), nil)
		if !azure.IsNotFound(err) {
			return fmt.Errorf("the site's cache storage account survived the destroy (err %v)", err)
		}
		return nil
	}
}

func TestAccReplicatedVM_cacheAccountDisksAndTestFailoverNIC(t *testing.T) {
	d := newDREstate(t, "rvmc")
	body := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`)
	cacheID := cacheaccount.ID(siteCache(d), "centralus")
	withNIC := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`, `
  test_failover_nic = {
    subnet_name = "db"
    static_ip   = "10.10.2.40"
  }`)
	osDisk := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.VM.ResourceGroup + "/providers/Microsoft.Compute/disks/" + d.VM.Name + "-osdisk"
	withOverride := vmBody(d.VM.ID, `  recovery_subnet_name = "web"`, fmt.Sprintf(`
  disk = [{
    disk_id           = %q
    target_disk_type  = "StandardSSD_LRS"
    replica_disk_type = "Standard_LRS"
  }]`, osDisk))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(d.gone(t), cacheAccountGone(t, d)),
		Steps: []resource.TestStep{
			{
				Config: drConfig(t, d, body),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "cache_storage_account_id", cacheID),
					resource.TestCheckResourceAttr(vmAddr, "disks.#", "1"),
					resource.TestCheckResourceAttr(vmAddr, "disks.0.disk_id", osDisk),
					resource.TestCheckResourceAttr(vmAddr, "disks.0.target_disk_type", "Premium_LRS"), // the source disk's
					resource.TestCheckResourceAttr(vmAddr, "disks.0.replica_disk_type", "Premium_LRS"),
					resource.TestCheckResourceAttr(vmAddr, "disks.0.cache_storage_account_id", cacheID),
					resource.TestCheckNoResourceAttr(vmAddr, "test_failover_nic"),
					checkCacheAccount(t, d),
					checkIncompleteInputsRefused(t, d),
				),
			},
			{
				// Test failover NIC settings apply in place.
				Config: drConfig(t, d, withNIC),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "test_failover_nic.subnet_name", "db"),
					resource.TestCheckResourceAttr(vmAddr, "test_failover_nic.static_ip", "10.10.2.40"),
					checkItemTfoNIC(t, d, "db", "10.10.2.40"),
				),
			},
			{
				ResourceName: vmAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts", "rpo_seconds", "last_rpo_calculated_at", "latest_recovery_point", "latest_recovery_point.%",
					"latest_recovery_point.id", "latest_recovery_point.name", "latest_recovery_point.time", "latest_recovery_point.type", "latest_recovery_point.sync_type"},
			},
			{
				// A disk type override re-enables replication with it.
				Config: drConfig(t, d, withOverride),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(vmAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(vmAddr, "disks.0.target_disk_type", "StandardSSD_LRS"),
					resource.TestCheckResourceAttr(vmAddr, "disks.0.replica_disk_type", "Standard_LRS"),
					resource.TestCheckResourceAttr(vmAddr, "disk.0.target_disk_type", "StandardSSD_LRS"),
				),
			},
			{
				// The same override again is no change.
				Config:           drConfig(t, d, withOverride),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// checkCacheAccount reads the cache account the provider made: in the
// source region, in the site's recovery group, tagged as the site's.
func checkCacheAccount(t *testing.T, d drEstate) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, err := acctest.Client(t).StorageAccounts().GetProperties(context.Background(), d.name+"-dr", cacheaccount.Name(siteCache(d), "centralus"), nil)
		if err != nil {
			return fmt.Errorf("reading the site's cache account: %w", err)
		}
		if *a.Location != "centralus" || a.Tags[tags.Role] == nil || *a.Tags[tags.Role] != tags.RoleCacheStorage || *a.Tags[tags.Site] != d.name {
			return fmt.Errorf("cache account %s in %s tagged %v", *a.Name, *a.Location, a.Tags)
		}
		return nil
	}
}

// checkItemTfoNIC reads the item's vmNics through the SDK.
func checkItemTfoNIC(t *testing.T, d drEstate, subnet, ip string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		it, err := acctest.Client(t).ProtectedItems().Get(context.Background(), d.name+"-vault", d.name+"-dr", "azuredr-centralus",
			"azuredr-centralus-container", d.VM.Name, nil)
		if err != nil {
			return err
		}
		ipc := it.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails).VMNics[0].IPConfigs[0]
		if ipc.TfoSubnetName == nil || *ipc.TfoSubnetName != subnet || ipc.TfoStaticIPAddress == nil || *ipc.TfoStaticIPAddress != ip {
			return fmt.Errorf("the item's test failover NIC settings: %+v", ipc)
		}
		return nil
	}
}

// checkIncompleteInputsRefused sends, through the SDK, the enable inputs
// the provider used to send for a second VM, and each is refused with the
// code Site Recovery answers.
func checkIncompleteInputsRefused(t *testing.T, d drEstate) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c := acctest.Client(t)
		ctx := context.Background()
		vm := acctest.CreateVM(t, d.Group, d.name+"-web-2", "", d.NetworkID+"/subnets/web", acctest.WithSize("Standard_D2_v3"))
		elsewhere := "rvmcwrong" + strings.ToLower(d.name[len(d.name)-6:])
		p, err := c.StorageAccounts().BeginCreate(ctx, d.name+"-dr", elsewhere, armstorage.AccountCreateParameters{
			Location: ptr("eastus"), Kind: ptr(armstorage.KindStorageV2), SKU: &armstorage.SKU{Name: ptr(armstorage.SKUNameStandardLRS)}}, nil)
		if err == nil {
			_, err = p.PollUntilDone(ctx, nil)
		}
		if err != nil {
			return fmt.Errorf("creating a storage account in eastus: %w", err)
		}
		vaultID := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + d.name + "-vault"
		policy := s.RootModule().Resources["azuredr_replication_policy.test"].Primary.ID
		network := s.RootModule().Resources["azuredr_network.test"].Primary.ID
		disk := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.VM.ResourceGroup + "/providers/Microsoft.Compute/disks/" + vm.Name + "-osdisk"
		storageID := func(name string) string {
			return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr/providers/Microsoft.Storage/storageAccounts/" + name
		}
		input := func(staging, target *string) asr.EnableProtectionInput {
			return asr.EnableProtectionInput{Properties: &asr.EnableProtectionInputProperties{PolicyID: ptr(policy),
				ProviderSpecificDetails: &asr.A2AEnableProtectionInput{InstanceType: ptr("A2A"), FabricObjectID: ptr(vm.ID),
					RecoveryContainerID:     ptr(vaultID + "/replicationFabrics/azuredr-eastus/replicationProtectionContainers/azuredr-eastus-container"),
					RecoveryResourceGroupID: ptr("/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr"),
					RecoveryAzureNetworkID:  ptr(network), RecoverySubnetName: ptr("web"),
					VMManagedDisks: []*asr.A2AVMManagedDiskInputDetails{{DiskID: ptr(disk), PrimaryStagingAzureStorageAccountID: staging,
						RecoveryResourceGroupID:       ptr("/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.name + "-dr"),
						RecoveryTargetDiskAccountType: target}}}}}
		}
		cache := ptr(storageID(cacheaccount.Name(siteCache(d), "centralus")))
		for _, tc := range []struct {
			name, code string
			in         asr.EnableProtectionInput
		}{
			{"no cache account", "BadRequest", input(nil, ptr("Standard_LRS"))},
			{"a cache account that does not exist", "StorageAccountNotFound", input(ptr(storageID("nosuchcache0001")), ptr("Standard_LRS"))},
			{"a cache account in the recovery region", "CacheStorageAccountNotInSourceRegion", input(ptr(storageID(elsewhere)), ptr("Standard_LRS"))},
			{"premium disks for a size without premium storage", "PremiumStorageNotSupportedForVmSize", input(cache, nil)},
		} {
			_, err := c.ProtectedItems().BeginCreate(ctx, d.name+"-vault", d.name+"-dr", "azuredr-centralus", "azuredr-centralus-container", vm.Name, tc.in, nil)
			var re *azcore.ResponseError
			if !errors.As(err, &re) || re.StatusCode != 400 || re.ErrorCode != tc.code {
				return fmt.Errorf("%s: want 400 %s, got %v", tc.name, tc.code, err)
			}
		}
		if _, err := c.StorageAccounts().Delete(ctx, d.name+"-dr", elsewhere, nil); err != nil {
			return err
		}
		return nil
	}
}

func TestAccBadInput_ReplicatedVMCacheAndNIC(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	d := newDREstate(t, "rvmcbad")
	ctx := context.Background()
	c := acctest.Client(t)
	wrong := "rvmcbad" + strings.ToLower(d.name[len(d.name)-6:])
	p, err := c.StorageAccounts().BeginCreate(ctx, d.Group, wrong, armstorage.AccountCreateParameters{
		Location: ptr("eastus"), Kind: ptr(armstorage.KindStorageV2), SKU: &armstorage.SKU{Name: ptr(armstorage.SKUNameStandardLRS)}}, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("creating a storage account in eastus: %v", err)
	}
	accountID := func(name string) string {
		return "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/" + d.Group + "/providers/Microsoft.Storage/storageAccounts/" + name
	}
	line := func(s string) string { return vmBody(d.VM.ID, `  recovery_subnet_name = "web"`, s) }
	cases := []struct {
		name, body, want, attr string
		planOnly               bool // refused at plan time
	}{
		{"cache account in another region", line(fmt.Sprintf(`  cache_storage_account_id = %q`, accountID(wrong))),
			`(?s)is\s+in\s+eastus,\s+but.*runs\s+in\s+centralus`, "cache_storage_account_id", true},
		{"cache account missing", line(fmt.Sprintf(`  cache_storage_account_id = %q`, accountID("nosuchcache0002"))),
			`(?s)nosuchcache0002\s+does\s+not\s+exist`, "cache_storage_account_id", false},
		{"disk of no VM", line(`  disk = [{ disk_id = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x/providers/Microsoft.Compute/disks/other", target_disk_type = "Standard_LRS" }]`),
			`(?s)not\s+attached\s+to`, "disk_id", false},
		{"unknown disk type", line(`  disk = [{ disk_id = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x/providers/Microsoft.Compute/disks/other", target_disk_type = "Fast_SSD" }]`),
			`(?s)target_disk_type`, "target_disk_type", true},
		{"static ip not an address", line(`  test_failover_nic = { static_ip = "10.10.2" }`), `(?s)not\s+an\s+IPv4\s+address`, `test_failover_nic\.static_ip`, true},
		{"public ip not a public ip id", line(`  test_failover_nic = { public_ip_id = "` + d.NetworkID + `" }`), `(?s)is\s+not\s+the\s+id\s+of\s+a\s+Microsoft.Network/publicIPAddresses`, `publicIPAddresses`, true},
	}
	suite := acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_Create"},
		Base:    func(t *testing.T) string { return drConfig(t, d, "") },
		Shared:  true,
	}
	for _, tc := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: tc.name, Config: drConfig(t, d, tc.body), Attribute: tc.attr, Want: tc.want, PlanOnly: tc.planOnly})
	}
	suite.Run(t)
}
