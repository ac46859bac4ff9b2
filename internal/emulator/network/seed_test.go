package network_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

const networkSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
  {"name":"rg-prod","location":"centralus",
   "networkSecurityGroups":[
     {"name":"nsg-web","tags":{"tier":"web"},"securityRules":[
       {"name":"allow-https","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp",
        "sourceAddressPrefix":"Internet","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"443"},
       {"name":"allow-admin","priority":200,"direction":"Inbound","access":"Allow","protocol":"Tcp","description":"vendor access",
        "sourceAddressPrefixes":["203.0.113.0/24","198.51.100.7"],"sourcePortRanges":["*"],
        "destinationAddressPrefixes":["10.1.1.0/24"],"destinationPortRanges":["22","3389"]}]},
     {"name":"nsg-east","location":"eastus2"}],
   "virtualNetworks":[
     {"name":"vnet-prod","addressSpace":["10.1.0.0/16"],"tags":{"env":"prod"},"subnets":[
       {"name":"web","addressPrefix":"10.1.1.0/24","networkSecurityGroup":"nsg-web"},
       {"name":"db","addressPrefixes":["10.1.2.0/24"]},
       {"name":"GatewaySubnet","addressPrefix":"10.1.255.0/27"}]},
     {"name":"vnet-east","location":"East US 2","addressSpace":["10.2.0.0/16"]}]}]}]}`

func TestSeedWithNetworks(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast, SeedFile: emulatortest.WriteSeed(t, networkSeed)})
	c := emulatortest.NetworkClients(t, srv.URL())
	v := getVNet(t, c, "rg-prod", "vnet-prod")
	if *v.Location != "centralus" || *v.Tags["env"] != "prod" || *v.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded ||
		len(v.Properties.Subnets) != 3 || *v.Properties.Subnets[1].Properties.AddressPrefixes[0] != "10.1.2.0/24" {
		t.Fatalf("seeded network: %+v", v.Properties)
	}
	if east := getVNet(t, c, "rg-prod", "vnet-east"); *east.Location != "eastus2" {
		t.Fatalf("seeded location: %s", *east.Location)
	}
	nsg := getNSG(t, c, "rg-prod", "nsg-web")
	admin := nsg.Properties.SecurityRules[1].Properties
	if len(nsg.Properties.Subnets) != 1 || *nsg.Properties.Subnets[0].ID != *v.ID+"/subnets/web" ||
		len(admin.DestinationPortRanges) != 2 || *admin.Description != "vendor access" || *admin.Priority != 200 {
		t.Fatalf("seeded NSG: %+v %+v", nsg.Properties, admin)
	}
	web, err := c.Subnets.Get(emulatortest.Context(t), "rg-prod", "vnet-prod", "web", nil)
	if err != nil || *web.Properties.NetworkSecurityGroup.ID != *nsg.ID {
		t.Fatalf("seeded association: %v", err)
	}
	// Seeded resources are ordinary ones: the API changes them.
	if _, err := putRule(t, c, "rg-prod", "nsg-web", emulatortest.Rule("http", 110, armnetwork.SecurityRuleDirectionInbound, "80")); err != nil {
		t.Fatal(err)
	}
}

func TestBadNetworkSeedsAreRefusedNamingTheItem(t *testing.T) {
	t.Parallel()
	group := func(body string) string {
		return `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-a","location":"centralus"},{"name":"rg-b","location":"centralus",` + body + `}]}]}`
	}
	const where = `resourceGroups[1] ("rg-b")`
	cases := map[string]struct{ seed, want string }{
		"subnet outside": {group(`"virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.9.1.0/24"}]}]`),
			where + `.virtualNetworks[0] ("vnet"): Subnet 'web' is not valid because its IP address range is outside`},
		"unknown NSG": {group(`"virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24","networkSecurityGroup":"nope"}]}]`),
			`virtualNetworks[0] ("vnet"): Resource /subscriptions/` + emulatortest.Subscription + `/resourceGroups/rg-b/providers/Microsoft.Network/networkSecurityGroups/nope referenced by resource`},
		"NSG of another group": {`{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[{"name":"rg-a","location":"centralus","networkSecurityGroups":[{"name":"nsg"}]},
			{"name":"rg-b","location":"centralus","virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24","networkSecurityGroup":"nsg"}]}]}]}]}`,
			where + `.virtualNetworks[0] ("vnet")`},
		"bad priority": {group(`"networkSecurityGroups":[{"name":"nsg","securityRules":[{"name":"r","priority":50,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"22"}]}]`),
			where + `.networkSecurityGroups[0] ("nsg"): Security rule /subscriptions/` + emulatortest.Subscription + `/resourceGroups/rg-b/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/r has invalid Priority`},
		"unknown rule field": {group(`"networkSecurityGroups":[{"name":"nsg","securityRules":[{"name":"r","provisioningState":"Succeeded"}]}]`), "provisioningState"},
		"unknown field":      {group(`"virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"dnsServers":["1.1.1.1"]}]`), "dnsServers"},
		"twice":              {group(`"virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"]},{"name":"VNET","addressSpace":["10.2.0.0/16"]}]`), where + `.virtualNetworks[1] ("VNET"): The resource group already has`},
		"bad location":       {group(`"networkSecurityGroups":[{"name":"nsg","location":"mars"}]`), where + `.networkSecurityGroups[0] ("nsg"): The provided location 'mars'`},
		"no address space":   {group(`"virtualNetworks":[{"name":"vnet"}]`), `virtualNetworks[0] ("vnet"): Virtual network 'vnet' does not have address prefix`},
		"bad name":           {group(`"virtualNetworks":[{"name":"vnet!","addressSpace":["10.1.0.0/16"]}]`), `virtualNetworks[0] ("vnet!"): Resource name vnet! is invalid`},
		"NSG on gateway": {group(`"networkSecurityGroups":[{"name":"nsg"}],"virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"GatewaySubnet","addressPrefix":"10.1.255.0/27","networkSecurityGroup":"nsg"}]}]`),
			"can not be associated to the GatewaySubnet"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { emulatortest.WantSeedRefused(t, tc.seed, tc.want) })
	}
}

// TestResourceGroupDeletionTakesNetworksAndKeepsReferencesConsistent: a
// group's deletion removes its networks and NSGs; peerings towards them go
// Disconnected; an NSG that a subnet of another group uses makes the
// deletion fail, leaving the group as it was.
func TestResourceGroupDeletionTakesNetworksAndKeepsReferencesConsistent(t *testing.T) {
	srv, c := netServer(t, "rg-net", "rg-shared", "rg-other")
	gc := emulatortest.GroupsClient(t, srv.URL())
	nsg := mustNSG(t, c, "rg-net", "web", "centralus", httpsRule(100))
	body := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	body.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: nsg.ID}
	prod := emulatortest.MustVNet(t, c, "rg-net", "prod", body)
	hub := emulatortest.MustVNet(t, c, "rg-other", "hub", emulatortest.VNetBody("10.9.0.0/16"))
	mustPeer(t, c, "rg-other", "hub", "to-prod", *prod.ID)
	mustPeer(t, c, "rg-net", "prod", "to-hub", *hub.ID)
	wantPeeringState(t, c, "rg-other", "hub", "to-prod", armnetwork.VirtualNetworkPeeringStateConnected)

	// An NSG in rg-shared used by a subnet of rg-other blocks rg-shared's deletion.
	shared := mustNSG(t, c, "rg-shared", "shared", "centralus")
	if _, err := putSubnet(t, c, "rg-other", "hub", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix: emulatortest.Ptr("10.9.1.0/24"), NetworkSecurityGroup: &armnetwork.SecurityGroup{ID: shared.ID}}}); err != nil {
		t.Fatal(err)
	}
	gp, err := gc.BeginDelete(emulatortest.Context(t), "rg-shared", nil)
	_, err = emulatortest.Done(t, gp, err)
	// The failure comes from the Location URL (Azure polls a resource
	// group deletion at /subscriptions/{sub}/operationresults/{id} only).
	wantARMMessage(t, err, http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted", "/virtualNetworks/hub/subnets/app")
	if g := getNSG(t, c, "rg-shared", "shared"); len(g.Properties.Subnets) != 1 {
		t.Fatal("the failed group deletion changed the NSG")
	}
	if _, err := gc.Get(emulatortest.Context(t), "rg-shared", nil); err != nil {
		t.Fatalf("the failed group deletion took the group: %v", err)
	}

	gp, err = gc.BeginDelete(emulatortest.Context(t), "rg-net", nil)
	if _, err := emulatortest.Done(t, gp, err); err != nil {
		t.Fatal(err)
	}
	emulatortest.CreateGroup(t, gc, "rg-net", "centralus", nil)
	_, err = c.VNets.Get(emulatortest.Context(t), "rg-net", "prod", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.NSGs.Get(emulatortest.Context(t), "rg-net", "web", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	if page, err := c.VNets.NewListAllPager(nil).NextPage(emulatortest.Context(t)); err != nil || len(page.Value) != 1 {
		t.Fatalf("networks left in the subscription: %v", err)
	}
	wantPeeringState(t, c, "rg-other", "hub", "to-prod", armnetwork.VirtualNetworkPeeringStateDisconnected)
}

// TestRegionOutageReachesSubnetsAndRules: child resources are in their
// parent's region, for the request and for its operation's polls.
func TestRegionOutageReachesSubnetsAndRules(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast, SeedFile: emulatortest.WriteSeed(t, networkSeed), DataDir: filepath.Join(dir, "data")})
	c := emulatortest.NetworkClients(t, srv.URL())
	emulatortest.AddFault(t, srv.URL(), `{"kind":"outage","region":"eastus2"}`)

	subnet := armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.2.1.0/24")}}
	_, err := putSubnet(t, c, "rg-prod", "vnet-east", "web", subnet)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	_, err = c.Subnets.Get(emulatortest.Context(t), "rg-prod", "vnet-east", "web", nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	_, err = putRule(t, c, "rg-prod", "nsg-east", httpsRule(100))
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	_, err = c.Peerings.Get(emulatortest.Context(t), "rg-prod", "vnet-east", "any", nil)
	emulatortest.WantARMError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	if got := getVNet(t, c, "rg-prod", "vnet-prod"); len(got.Properties.Subnets) != 3 {
		t.Fatal("centralus is not in the outage")
	}
	if _, err := putSubnet(t, c, "rg-prod", "vnet-prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.1.3.0/24")}}); err != nil {
		t.Fatalf("a subnet in centralus during an eastus2 outage: %v", err)
	}
	if _, err := c.VNets.Get(emulatortest.Context(t), "rg-prod", "vnet-east", nil); err == nil {
		t.Fatal("the network itself answers during its region's outage")
	}
}
