package emulator_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// netClients are the real armnetwork/v6 clients pointed at the emulator.
type netClients struct {
	vnets    *armnetwork.VirtualNetworksClient
	subnets  *armnetwork.SubnetsClient
	peerings *armnetwork.VirtualNetworkPeeringsClient
	nsgs     *armnetwork.SecurityGroupsClient
	rules    *armnetwork.SecurityRulesClient
}

func networkClients(t *testing.T, url string) netClients {
	t.Helper()
	opts := emulatortest.ClientOptions(url)
	opts.Retry.MaxRetries = -1
	cred := emulatortest.Credential{}
	var c netClients
	var err error
	for _, f := range []func() error{
		func() error { c.vnets, err = armnetwork.NewVirtualNetworksClient(sub, cred, opts); return err },
		func() error { c.subnets, err = armnetwork.NewSubnetsClient(sub, cred, opts); return err },
		func() error {
			c.peerings, err = armnetwork.NewVirtualNetworkPeeringsClient(sub, cred, opts)
			return err
		},
		func() error { c.nsgs, err = armnetwork.NewSecurityGroupsClient(sub, cred, opts); return err },
		func() error { c.rules, err = armnetwork.NewSecurityRulesClient(sub, cred, opts); return err },
	} {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func vnetBody(space string, subnets ...[2]string) armnetwork.VirtualNetwork {
	v := armnetwork.VirtualNetwork{Location: ptr("centralus"), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{ptr(space)}}}}
	for _, s := range subnets {
		v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{Name: ptr(s[0]), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(s[1])}})
	}
	return v
}

func putVNet(t *testing.T, c netClients, group, name string, body armnetwork.VirtualNetwork) (armnetwork.VirtualNetwork, error) {
	t.Helper()
	p, err := c.vnets.BeginCreateOrUpdate(ctx(t), group, name, body, nil)
	if err != nil {
		return armnetwork.VirtualNetwork{}, err
	}
	r, err := p.PollUntilDone(ctx(t), nil)
	return r.VirtualNetwork, err
}

func TestVirtualNetworksWithSubnetsAndPeerings(t *testing.T) {
	srv := start(t, emulator.Options{TimeScale: fast})
	createGroup(t, groupsClient(t, srv.URL()), "rg-net", "centralus", nil)
	c := networkClients(t, srv.URL())

	v, err := putVNet(t, c, "rg-net", "prod", vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}, [2]string{"db", "10.1.2.0/24"}))
	if err != nil {
		t.Fatal(err)
	}
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || len(v.Properties.Subnets) != 2 {
		t.Fatalf("unexpected %+v", v.Properties)
	}
	// The child view and the inline view are one record.
	p, err := c.subnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr("10.1.3.0/24")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(ctx(t), nil); err != nil {
		t.Fatal(err)
	}
	got, err := c.vnets.Get(ctx(t), "rg-net", "prod", nil)
	if err != nil || len(got.Properties.Subnets) != 3 {
		t.Fatalf("the vnet must show the subnet added through the child API: %v %+v", err, got.Properties)
	}

	// Peering: Initiated until the remote peers back, then Connected.
	hub, err := putVNet(t, c, "rg-net", "hub", vnetBody("10.99.0.0/16"))
	if err != nil {
		t.Fatal(err)
	}
	peer := func(from, name, to string) armnetwork.VirtualNetworkPeering {
		p, err := c.peerings.BeginCreateOrUpdate(ctx(t), "rg-net", from, name, armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			RemoteVirtualNetwork: &armnetwork.SubResource{ID: ptr(to)}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.PollUntilDone(ctx(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.VirtualNetworkPeering
	}
	if s := *peer("prod", "to-hub", *hub.ID).Properties.PeeringState; s != armnetwork.VirtualNetworkPeeringStateInitiated {
		t.Fatalf("one-sided peering is %s", s)
	}
	peer("hub", "to-prod", *v.ID)
	back, _ := c.peerings.Get(ctx(t), "rg-net", "prod", "to-hub", nil)
	if *back.Properties.PeeringState != armnetwork.VirtualNetworkPeeringStateConnected {
		t.Fatalf("two-sided peering is %s", *back.Properties.PeeringState)
	}
	// A peering with an overlapping network is refused.
	twin, _ := putVNet(t, c, "rg-net", "twin", vnetBody("10.1.0.0/16"))
	_, err = c.peerings.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", "to-twin", armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: twin.ID}}}, nil)
	wantARMError(t, err, http.StatusBadRequest, "VnetAddressSpacesOverlap")
}

func TestVirtualNetworkValidationChangesNothing(t *testing.T) {
	srv := start(t, emulator.Options{TimeScale: fast})
	createGroup(t, groupsClient(t, srv.URL()), "rg-net", "centralus", nil)
	c := networkClients(t, srv.URL())
	if _, err := putVNet(t, c, "rg-net", "prod", vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		body armnetwork.VirtualNetwork
		code string
	}{
		"overlapping subnets": {vnetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"b", "10.1.1.128/25"}), "NetcfgSubnetRangesOverlap"},
		"subnet outside":      {vnetBody("10.1.0.0/16", [2]string{"a", "10.2.1.0/24"}), "NetcfgSubnetRangeOutsideVnet"},
		"host bits":           {vnetBody("10.1.0.1/16"), "InvalidCIDRNotation"},
		"not a prefix":        {vnetBody("ten/8"), "InvalidAddressPrefixFormat"},
		"duplicate subnet":    {vnetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"A", "10.1.2.0/24"}), "DuplicateResourceName"},
	}
	for name, tc := range cases {
		_, err := c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", tc.body, nil)
		wantARMError(t, err, http.StatusBadRequest, tc.code)
		got, err := c.vnets.Get(ctx(t), "rg-net", "prod", nil)
		if err != nil || len(got.Properties.Subnets) != 1 || *got.Properties.Subnets[0].Name != "web" {
			t.Fatalf("%s: the refused request changed the network: %v %+v", name, err, got.Properties)
		}
	}
	_, err := c.vnets.Get(ctx(t), "rg-net", "nope", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.vnets.Get(ctx(t), "rg-none", "prod", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
}

func TestNetworkSecurityGroupsRulesAndAssociations(t *testing.T) {
	srv := start(t, emulator.Options{TimeScale: fast})
	createGroup(t, groupsClient(t, srv.URL()), "rg-net", "centralus", nil)
	c := networkClients(t, srv.URL())
	rule := func(name string, priority int32, direction armnetwork.SecurityRuleDirection, port string) *armnetwork.SecurityRule {
		return &armnetwork.SecurityRule{Name: ptr(name), Properties: &armnetwork.SecurityRulePropertiesFormat{
			Priority: ptr(priority), Direction: ptr(direction), Access: ptr(armnetwork.SecurityRuleAccessAllow), Protocol: ptr(armnetwork.SecurityRuleProtocolTCP),
			SourceAddressPrefix: ptr("*"), SourcePortRange: ptr("*"), DestinationAddressPrefix: ptr("*"), DestinationPortRange: ptr(port)}}
	}
	putNSG := func(rules ...*armnetwork.SecurityRule) (armnetwork.SecurityGroup, error) {
		p, err := c.nsgs.BeginCreateOrUpdate(ctx(t), "rg-net", "web", armnetwork.SecurityGroup{Location: ptr("centralus"),
			Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: rules}}, nil)
		if err != nil {
			return armnetwork.SecurityGroup{}, err
		}
		r, err := p.PollUntilDone(ctx(t), nil)
		return r.SecurityGroup, err
	}
	nsg, err := putNSG(rule("https", 100, armnetwork.SecurityRuleDirectionInbound, "443"))
	if err != nil {
		t.Fatal(err)
	}
	if len(nsg.Properties.DefaultSecurityRules) != 6 {
		t.Fatalf("want Azure's six default rules, got %d", len(nsg.Properties.DefaultSecurityRules))
	}
	_, err = putNSG(rule("a", 100, armnetwork.SecurityRuleDirectionInbound, "443"), rule("b", 100, armnetwork.SecurityRuleDirectionInbound, "80"))
	wantARMError(t, err, http.StatusBadRequest, "SecurityRuleConflict")
	_, err = putNSG(rule("a", 50, armnetwork.SecurityRuleDirectionInbound, "443"))
	wantARMError(t, err, http.StatusBadRequest, "SecurityRuleInvalidPriority")
	_, err = putNSG(rule("a", 100, armnetwork.SecurityRuleDirectionInbound, "70000"))
	wantARMError(t, err, http.StatusBadRequest, "SecurityRuleInvalidPortRange")
	// Same priority, other direction: fine.
	if _, err := putNSG(rule("in", 100, armnetwork.SecurityRuleDirectionInbound, "443"), rule("out", 100, armnetwork.SecurityRuleDirectionOutbound, "443")); err != nil {
		t.Fatal(err)
	}
	r, err := c.rules.Get(ctx(t), "rg-net", "web", "out", nil)
	if err != nil || *r.Properties.Direction != armnetwork.SecurityRuleDirectionOutbound {
		t.Fatalf("child view of a rule: %v", err)
	}

	// Associate a subnet; the NSG lists it and cannot be deleted meanwhile.
	body := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	body.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: nsg.ID}
	if _, err := putVNet(t, c, "rg-net", "prod", body); err != nil {
		t.Fatal(err)
	}
	got, _ := c.nsgs.Get(ctx(t), "rg-net", "web", nil)
	if len(got.Properties.Subnets) != 1 || !strings.HasSuffix(*got.Properties.Subnets[0].ID, "/virtualNetworks/prod/subnets/web") {
		t.Fatalf("back-reference: %+v", got.Properties.Subnets)
	}
	_, err = c.nsgs.BeginDelete(ctx(t), "rg-net", "web", nil)
	wantARMError(t, err, http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted")

	missing := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	missing.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr(strings.Replace(*nsg.ID, "/web", "/nope", 1))}
	_, err = c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", missing, nil)
	wantARMError(t, err, http.StatusBadRequest, "InvalidResourceReference")

	// Deleting the group takes the networks with it.
	p, err := groupsClient(t, srv.URL()).BeginDelete(ctx(t), "rg-net", nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx(t), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	createGroup(t, groupsClient(t, srv.URL()), "rg-net", "centralus", nil)
	_, err = c.nsgs.Get(ctx(t), "rg-net", "web", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}

func TestSeedWithNetworks(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "estate.json")
	write := func(s string) {
		if err := os.WriteFile(seed, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg","location":"centralus",
	  "networkSecurityGroups":[{"name":"nsg","securityRules":[{"name":"ssh","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"22"}]}],
	  "virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.1.1.0/24","networkSecurityGroup":"nsg"}]}]}]}]}`)
	srv := start(t, emulator.Options{TimeScale: fast, SeedFile: seed, DataDir: filepath.Join(dir, "data")})
	c := networkClients(t, srv.URL())
	nsg, err := c.nsgs.Get(ctx(t), "rg", "nsg", nil)
	if err != nil || len(nsg.Properties.Subnets) != 1 || *nsg.Properties.SecurityRules[0].Properties.DestinationPortRange != "22" {
		t.Fatalf("seeded NSG: %v %+v", err, nsg.Properties)
	}

	write(`{"subscriptions":[{"id":"` + sub + `","resourceGroups":[{"name":"rg","location":"centralus",
	  "virtualNetworks":[{"name":"vnet","addressSpace":["10.1.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.9.1.0/24"}]}]}]}]}`)
	_, err = emulator.New(emulator.Options{SeedFile: seed, DataDir: filepath.Join(dir, "bad")})
	if err == nil || !strings.Contains(err.Error(), `virtualNetworks[0] ("vnet")`) || !strings.Contains(err.Error(), "outside the IP address range") {
		t.Fatalf("a bad seed must name the item and the rule, got %v", err)
	}
}
