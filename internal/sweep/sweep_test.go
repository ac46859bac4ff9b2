package sweep_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/sweep"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// TestMain registers the sweepers with terraform-plugin-testing:
// `go test ./internal/sweep -sweep=all` runs them instead of the tests.
func TestMain(m *testing.M) {
	acctest.RegisterSweepers()
	acctest.Main(m)
}

// Only what the tags say is a site's is swept: a network without the
// provider's tags keeps the site's group (deleting the group would delete
// it), a tagged network in a group that is not a site's is never looked at,
// and production is untouched. Once the foreign network is gone, the site
// goes.
func TestAccSweep_keepsWhatIsNotTagged(t *testing.T) {
	acctest.PreCheck(t)
	ctx := t.Context()
	c := acctest.Client(t)
	name := acctest.RandomName("swkeep")
	prod := acctest.CreateEstate(t, name, "centralus") // untagged production
	siteGroup := name + "-dr"
	group(t, c, siteGroup, "eastus2", map[string]string{tags.Site: name, tags.Role: tags.RoleRecovery})
	ours := vnet(t, c, siteGroup, name+"-vnet-dr", "10.10.0.0/16", map[string]string{tags.Role: tags.RoleRecoveryNetwork})
	theirs := vnet(t, c, siteGroup, name+"-users", "10.50.0.0/16", map[string]string{"owner": "someone else"})
	// Tagged like an azuredr network, in a group that names the site but is
	// not one of its groups (no role).
	lookalike := name + "-lookalike"
	group(t, c, lookalike, "eastus2", map[string]string{tags.Site: name})
	stray := vnet(t, c, lookalike, name+"-vnet-stray", "10.60.0.0/16", map[string]string{tags.Role: tags.RoleRecoveryNetwork})

	// A dry run finds and changes nothing.
	rep, err := sweep.Run(ctx, c, sweep.Options{Everything: true, Site: name, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rep.Sites) != "["+name+"]" || !contains(rep.Found, sweep.Networks+" "+ours) || len(rep.Removed) != 0 {
		t.Fatalf("dry run: %+v", rep)
	}
	mustExist(t, c, ours, theirs, stray, prod.NetworkID)

	rep, err = sweep.Run(ctx, c, sweep.Options{Everything: true, Site: name})
	if err != nil {
		t.Fatal(err)
	}
	if !contains(rep.Removed, sweep.Networks+" "+ours) || contains(rep.Removed, sweep.Networks+" "+theirs) || rep.Ignored < 2 {
		t.Errorf("sweep: %+v", rep)
	}
	if len(rep.Leftovers) != 1 || !strings.Contains(rep.Leftovers[0], "kept") || !strings.Contains(rep.Leftovers[0], theirs) {
		t.Errorf("leftovers %q: want the site's group kept for %s", rep.Leftovers, theirs)
	}
	mustBeGone(t, c, ours)
	mustExist(t, c, theirs, stray, prod.NetworkID)
	if _, err := c.ResourceGroups().Get(ctx, siteGroup, nil); err != nil {
		t.Errorf("the site's group holding %s was deleted: %v", theirs, err)
	}

	deleteVNet(t, c, theirs)
	rep, err = sweep.Run(ctx, c, sweep.Options{Everything: true, Site: name})
	if err != nil || len(rep.Leftovers) != 0 || !contains(rep.Removed, sweep.Sites+" "+siteGroup) {
		t.Fatalf("second sweep: %+v, %v", rep, err)
	}
	if _, err := c.ResourceGroups().Get(ctx, siteGroup, nil); !azure.IsNotFound(err) {
		t.Errorf("site group %s after the sweep: %v, want 404", siteGroup, err)
	}
	mustExist(t, c, stray, prod.NetworkID)
}

// A VM in a site's group (the provider tags none: after a real failover,
// or put there by hand) keeps the group, whatever its tags say.
func TestAccSweep_keepsASiteHoldingAVM(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.SeededVMReason)
	c := acctest.Client(t)
	name := acctest.RandomName("swvm")
	siteGroup := name + "-dr"
	group(t, c, siteGroup, "eastus2", map[string]string{tags.Site: name, tags.Role: tags.RoleRecovery})
	vm := acctest.CreateVM(t, siteGroup, name+"-app", "", "")
	rep, err := sweep.Run(t.Context(), c, sweep.Options{Everything: true, Site: name})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Leftovers) != 1 || !strings.Contains(rep.Leftovers[0], vm.ID) || len(rep.Removed) != 0 {
		t.Errorf("sweep: %+v, want the group kept for %s", rep, vm.ID)
	}
	mustExist(t, c, vm.ID)
}

// Every sweeper runs after the ones it depends on, in Sweepers' order (the
// order Run uses), and each name is a resource type once.
func TestSweepersRunAfterTheirDependencies(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range sweep.Sweepers {
		if seen[s.Name] || !strings.HasPrefix(s.Name, "azuredr_") {
			t.Errorf("sweeper %q: a duplicate or not a resource type", s.Name)
		}
		for _, d := range s.Dependencies {
			if !seen[d] {
				t.Errorf("sweeper %s depends on %s, which does not run before it", s.Name, d)
			}
		}
		seen[s.Name] = true
	}
	// Site Recovery's order: plans before their items, items before the
	// policies and networks they use, everything before the site.
	before := func(a, b string) {
		ia, ib := -1, -1
		for i, s := range sweep.Sweepers {
			if s.Name == a {
				ia = i
			}
			if s.Name == b {
				ib = i
			}
		}
		if ia < 0 || ib < 0 || ia > ib {
			t.Errorf("%s must run before %s", a, b)
		}
	}
	before(sweep.TestFailovers, sweep.RecoveryPlans)
	before(sweep.RecoveryPlans, sweep.ReplicatedVMs)
	before(sweep.ReplicatedVMs, sweep.Policies)
	before(sweep.ReplicatedVMs, sweep.Networks)
	before(sweep.Networks, sweep.NSGs)
	for _, s := range sweep.Sweepers[:len(sweep.Sweepers)-1] {
		before(s.Name, sweep.Sites)
	}
	if _, err := sweep.RunOne(t.Context(), nil, "azuredr_nothing", sweep.Options{}); err == nil {
		t.Error("RunOne of an unknown sweeper: no error")
	}
}

// What a crashed run leaves, of every type the provider creates (a site,
// network pair, NSGs, policy, replicated VM with a test failover pending,
// recovery plan, Traffic Manager profile), is removed by one sweep in Site
// Recovery's order; production and its VM stay. Terraform then finds
// everything gone.
func TestAccSweep_removesEveryType(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.SeededVMReason)
	ctx := t.Context()
	c := acctest.Client(t)
	name := acctest.RandomName("swall")
	e := acctest.CreateEstate(t, name, "centralus")
	vm := acctest.CreateVM(t, e.Group, name+"-web", "", e.NetworkID+"/subnets/web")
	sub := "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/"
	vault := name + "-vault"
	item := sub + name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + vault +
		"/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/" + vm.Name
	testNet := sub + name + "-drill/providers/Microsoft.Network/virtualNetworks/" + name + "-vnet-drill"
	nsg := "/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
	gone := append([]acctest.Gone{
		acctest.IDGone(item),
		acctest.IDGone(sub + name + "-dr/providers/Microsoft.RecoveryServices/vaults/" + vault + "/replicationRecoveryPlans/cms"),
		acctest.IDGone(sub + name + "-dr/providers/Microsoft.Network/virtualNetworks/" + name + "-vnet-dr"),
		acctest.IDGone(testNet),
		acctest.IDGone(sub + e.Group + nsg), // the managed primary NSG, in production's group
		acctest.IDGone(sub + name + "-dr" + nsg),
		acctest.IDGone(sub + name + "-drill" + nsg),
		acctest.IDGone(sub + name + "-dr/providers/Microsoft.Network/trafficManagerProfiles/tm-cms"),
		acctest.IDGone(sub + name + "-dr/providers/Microsoft.Compute/virtualMachines/" + vm.Name + "-test"),
	}, acctest.SiteGone(name)...)
	productionStays := func(*terraform.State) error {
		for _, id := range []string{e.NetworkID, vm.ID} {
			if err := exists(t, c, id); err != nil {
				return fmt.Errorf("production %s after the sweep: %w", id, err)
			}
		}
		return nil
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroy(t, gone...),
		Steps: []resource.TestStep{
			{Config: everything(t, name, e.NetworkID, vm.ID)},
			{
				// The run "crashes" here, mid drill: a test failover pending.
				PreConfig: func() {
					// The drill had given the test VM its public IP.
					drillPublicIP(t, c, vault, name+"-dr", vm.Name, name+"-drill", name)
					// ... and had made a probe VM (its NIC detached on delete,
					// so the sweep must remove the NIC on its own too).
					probeVM, probeNIC := leftProbeVM(t, c, name+"-drill", testNet+"/subnets/web", name)
					testFailover(t, c, vault, name+"-dr", vm.Name, testNet)
					// Without Everything only what a crashed drill leaves is
					// swept: the site stays.
					drills, err := sweep.Run(ctx, c, sweep.Options{Site: name, DryRun: true})
					if err != nil {
						t.Fatal(err)
					}
					if n := sweep.Count(drills.Found, sweep.TestFailovers); n == 0 || n != len(drills.Found) {
						t.Errorf("a sweep without Everything found %q; want the pending test failovers only", drills.Found)
					}
					dry, err := sweep.Run(ctx, c, sweep.Options{Everything: true, Site: name, DryRun: true})
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range sweep.Sweepers {
						if sweep.Count(dry.Found, s.Name) == 0 {
							t.Errorf("dry run found nothing for %s: %q", s.Name, dry.Found)
						}
					}
					if len(dry.Removed) != 0 || exists(t, c, item) != nil {
						t.Fatalf("a dry run removed %q", dry.Removed)
					}
					rep, err := sweep.Run(ctx, c, sweep.Options{Everything: true, Site: name})
					if err != nil || len(rep.Leftovers) != 0 {
						t.Fatalf("sweep: %v, leftovers %q", err, rep.Leftovers)
					}
					if _, err := c.PublicIPAddresses().Get(ctx, name+"-drill", vm.Name+"-drill-pip", nil); !azure.IsNotFound(err) {
						t.Errorf("the drill's public IP after the sweep: %v", err)
					}
					for _, id := range []string{probeVM, probeNIC} {
						if !removedOne(rep.Removed, sweep.TestFailovers+" "+id) || exists(t, c, id) == nil {
							t.Errorf("the killed drill's probe %s: removed %q, or still there", id, rep.Removed)
						}
					}
					if !removedOne(rep.Removed, sweep.TestFailovers+" "+sub+name+"-drill/providers/Microsoft.Network/publicIPAddresses/"+vm.Name+"-drill-pip") {
						t.Errorf("the drill's public IP is not among the test-failover sweeper's removals: %q", rep.Removed)
					}
					for _, s := range sweep.Sweepers {
						if f, r := sweep.Count(rep.Found, s.Name), sweep.Count(rep.Removed, s.Name); f == 0 || f != r {
							t.Errorf("%s: %d found, %d removed", s.Name, f, r)
						}
					}
				},
				// Terraform finds everything gone: nothing left to destroy.
				Config: acctest.ProviderConfig(t),
				Check:  resource.ComposeTestCheckFunc(acctest.CheckDestroy(t, gone...), productionStays),
			},
		},
	})
}

func everything(t *testing.T, name, network, vmID string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_network" "test" {
  site_id            = azuredr_site.test.id
  primary_network_id = %[2]q
}

resource "azuredr_network_security_group" "test" {
  network_id = azuredr_network.test.id
  name       = "web-nsg"
  rules = [{
    name                    = "https"
    priority                = 100
    direction               = "Inbound"
    access                  = "Allow"
    protocol                = "Tcp"
    destination_port_ranges = ["443"]
  }]
}

resource "azuredr_replication_policy" "test" {
  name    = "%[1]s-policy"
  site_id = azuredr_site.test.id
}

resource "azuredr_replicated_vm" "web" {
  site_id               = azuredr_site.test.id
  replication_policy_id = azuredr_replication_policy.test.id
  network_id            = azuredr_network.test.id
  source_vm_id          = %[3]q
  recovery_subnet_name  = "web"
}

resource "azuredr_recovery_plan" "test" {
  name    = "cms"
  site_id = azuredr_site.test.id
  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id]
  }
}

resource "azuredr_traffic_manager_profile" "test" {
  site_id       = azuredr_site.test.id
  name          = "tm-cms"
  relative_name = %[1]q

  monitor {
    protocol = "HTTP"
    port     = 80
    path     = "/healthz"
  }

  endpoint {
    name     = "prod"
    type     = "external"
    target   = "10.0.0.1"
    priority = 1
    role     = "primary"
  }

  endpoint {
    name     = "dr"
    type     = "external"
    target   = "10.0.0.2"
    priority = 2
    role     = "recovery"
  }
}
`, name, network, vmID)
}

// testFailover starts a test failover of the item once it has a recovery
// point, and leaves it pending, as a crashed drill does.
func testFailover(t *testing.T, c *azure.Client, vault, group, item, network string) {
	t.Helper()
	ctx := t.Context()
	const fabric, container = "azuredr-centralus", "azuredr-centralus-container"
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		page, err := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(vault, group, fabric, container, item, nil).NextPage(ctx)
		if err == nil && len(page.Value) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery point for %s: %v", item, err)
		}
	}
	in := asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection: ptr("PrimaryToRecovery"), NetworkType: ptr("VmNetworkAsInput"), NetworkID: &network,
		ProviderSpecificDetails: &asr.A2ATestFailoverInput{InstanceType: ptr("A2A")},
	}}
	p, err := c.ProtectedItems().BeginTestFailover(ctx, vault, group, fabric, container, item, in, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("test failover: %v", err)
	}
}

// drillPublicIP does what a drill does before a test failover: a public IP
// tagged as a drill's in the site's test group, named in the item's test
// failover NIC settings.
func drillPublicIP(t *testing.T, c *azure.Client, vault, group, item, testGroup, site string) {
	t.Helper()
	ctx := t.Context()
	const fabric, container = "azuredr-centralus", "azuredr-centralus-container"
	pp, err := c.PublicIPAddresses().BeginCreateOrUpdate(ctx, testGroup, item+"-drill-pip", armnetwork.PublicIPAddress{
		Location:   ptr("eastus2"),
		Tags:       map[string]*string{tags.Role: ptr(tags.RoleTestPublicIP), tags.Site: ptr(site)},
		SKU:        &armnetwork.PublicIPAddressSKU{Name: ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{PublicIPAllocationMethod: ptr(armnetwork.IPAllocationMethodStatic)},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pip, err := pp.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ProtectedItems().Get(ctx, vault, group, fabric, container, item, nil)
	if err != nil {
		t.Fatal(err)
	}
	a2a := got.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	up, err := c.ProtectedItems().BeginUpdate(ctx, vault, group, fabric, container, item, asr.UpdateReplicationProtectedItemInput{
		Properties: &asr.UpdateReplicationProtectedItemInputProperties{
			VMNics:                  azure.NICInputs(azure.ItemNICsOf(a2a), azure.TestFailoverNIC{PublicIPID: *pip.ID}),
			ProviderSpecificDetails: &asr.A2AUpdateReplicationProtectedItemInput{InstanceType: ptr("A2A")},
		}}, nil)
	if err == nil {
		_, err = up.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatalf("naming the public IP in the item's tfo NIC settings: %v", err)
	}
}

// removedOne reports whether list holds want (case-insensitive).
func removedOne(list []string, want string) bool {
	for _, l := range list {
		if strings.EqualFold(l, want) {
			return true
		}
	}
	return false
}

func group(t *testing.T, c *azure.Client, name, location string, tagged map[string]string) {
	t.Helper()
	body := armresources.ResourceGroup{Location: &location, Tags: map[string]*string{}}
	for k, v := range tagged {
		body.Tags[k] = ptr(v)
	}
	if _, err := c.ResourceGroups().CreateOrUpdate(t.Context(), name, body, nil); err != nil {
		t.Fatalf("creating resource group %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = azure.Delete(context.Background(), func() (*runtimePoller, error) { return c.ResourceGroups().BeginDelete(context.Background(), name, nil) })
	})
}

func vnet(t *testing.T, c *azure.Client, group, name, space string, tagged map[string]string) string {
	t.Helper()
	location := "eastus2"
	body := armnetwork.VirtualNetwork{Location: &location, Tags: map[string]*string{}, Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{&space}}}}
	for k, v := range tagged {
		body.Tags[k] = ptr(v)
	}
	p, err := c.VirtualNetworks().BeginCreateOrUpdate(t.Context(), group, name, body, nil)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	resp, err := azure.Wait(t.Context(), p)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	return *resp.ID
}

func deleteVNet(t *testing.T, c *azure.Client, id string) {
	t.Helper()
	g, n := groupAndName(id)
	err := azure.Delete(t.Context(), func() (*vnetDeletePoller, error) { return c.VirtualNetworks().BeginDelete(t.Context(), g, n, nil) })
	if err != nil {
		t.Fatalf("deleting %s: %v", id, err)
	}
}

// exists GETs a resource by id through the Gone checks' client calls: nil
// when it is there.
func exists(t *testing.T, c *azure.Client, id string) error {
	t.Helper()
	return acctest.IDGone(id).Get(t.Context(), c)
}

func mustExist(t *testing.T, c *azure.Client, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := exists(t, c, id); err != nil {
			t.Errorf("%s must not be touched: %v", id, err)
		}
	}
}

func mustBeGone(t *testing.T, c *azure.Client, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := exists(t, c, id); !azure.IsNotFound(err) {
			t.Errorf("%s after the sweep: %v, want 404", id, err)
		}
	}
}

func groupAndName(id string) (string, string) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	return parts[3], parts[len(parts)-1]
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if strings.EqualFold(l, want) {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

type (
	runtimePoller    = runtime.Poller[armresources.ResourceGroupsClientDeleteResponse]
	vnetDeletePoller = runtime.Poller[armnetwork.VirtualNetworksClientDeleteResponse]
)

// leftProbeVM makes what a drill killed with its probe VM running leaves:
// the VM (tagged as a drill's probe) and its NIC, in the test network. It
// returns the VM's and the NIC's ids.
func leftProbeVM(t *testing.T, c *azure.Client, group, subnetID, site string) (string, string) {
	t.Helper()
	ctx := t.Context()
	tg := map[string]*string{tags.Role: ptr(tags.RoleProbeVM), tags.Site: ptr(site), tags.Drill: ptr("killed")}
	np, err := c.NetworkInterfaces().BeginCreateOrUpdate(ctx, group, "azuredr-probe-killed-nic", armnetwork.Interface{
		Location: ptr("eastus2"), Tags: tg,
		Properties: &armnetwork.InterfacePropertiesFormat{IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
			Name: ptr("ipconfig1"),
			Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{Subnet: &armnetwork.Subnet{ID: ptr(subnetID)},
				PrivateIPAllocationMethod: ptr(armnetwork.IPAllocationMethodDynamic), Primary: ptr(true)},
		}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nic, err := np.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	vp, err := c.VirtualMachines().BeginCreateOrUpdate(ctx, group, "azuredr-probe-killed", armcompute.VirtualMachine{
		Location: ptr("eastus2"), Tags: tg,
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: ptr(armcompute.VirtualMachineSizeTypesStandardB1S)},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: &armcompute.ImageReference{Publisher: ptr("Canonical"), Offer: ptr("0001-com-ubuntu-server-jammy"), SKU: ptr("22_04-lts-gen2"), Version: ptr("latest")},
				OSDisk:         &armcompute.OSDisk{CreateOption: ptr(armcompute.DiskCreateOptionTypesFromImage), DeleteOption: ptr(armcompute.DiskDeleteOptionTypesDelete)},
			},
			OSProfile: &armcompute.OSProfile{ComputerName: ptr("azuredr-probe-killed"), AdminUsername: ptr("azuredrprobe"), AdminPassword: ptr("Sw33p-the-Pr0be!")},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{ID: nic.ID,
				Properties: &armcompute.NetworkInterfaceReferenceProperties{Primary: ptr(true), DeleteOption: ptr(armcompute.DeleteOptionsDetach)}}}},
		},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := vp.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return *vm.ID, *nic.ID
}
