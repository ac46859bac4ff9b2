package emulator_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Microsoft.Network through the real armnetwork/v6 clients: virtual networks
// and subnets here; peerings, NSGs, seeds and faults in the other
// network_*_test.go files.

// netClients are the real armnetwork/v6 clients pointed at the emulator.
type netClients struct {
	vnets    *armnetwork.VirtualNetworksClient
	subnets  *armnetwork.SubnetsClient
	peerings *armnetwork.VirtualNetworkPeeringsClient
	nsgs     *armnetwork.SecurityGroupsClient
	rules    *armnetwork.SecurityRulesClient
	defaults *armnetwork.DefaultSecurityRulesClient
}

func networkClients(t *testing.T, url string) netClients {
	t.Helper()
	opts := emulatortest.ClientOptions(url)
	opts.Retry.MaxRetries = -1
	f, err := armnetwork.NewClientFactory(sub, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return netClients{vnets: f.NewVirtualNetworksClient(), subnets: f.NewSubnetsClient(), peerings: f.NewVirtualNetworkPeeringsClient(),
		nsgs: f.NewSecurityGroupsClient(), rules: f.NewSecurityRulesClient(), defaults: f.NewDefaultSecurityRulesClient()}
}

// netServer starts an emulator with one group per name, all in centralus
// unless the name says eastus2.
func netServer(t *testing.T, groups ...string) (*emulator.Server, netClients) {
	t.Helper()
	t.Parallel()
	srv := start(t, emulator.Options{TimeScale: fast})
	gc := groupsClient(t, srv.URL())
	for _, g := range groups {
		loc := "centralus"
		if strings.Contains(g, "eastus2") {
			loc = "eastus2"
		}
		createGroup(t, gc, g, loc, nil)
	}
	return srv, networkClients(t, srv.URL())
}

func vnetBody(space string, subnets ...[2]string) armnetwork.VirtualNetwork {
	v := armnetwork.VirtualNetwork{Location: ptr("centralus"), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{ptr(space)}}}}
	for _, s := range subnets {
		v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{Name: ptr(s[0]), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(s[1])}})
	}
	return v
}

// done runs a poller to the end, as the provider does.
func done[T any](t *testing.T, p *runtime.Poller[T], err error) (T, error) {
	t.Helper()
	if err != nil {
		var zero T
		return zero, err
	}
	return p.PollUntilDone(ctx(t), nil)
}

func putVNet(t *testing.T, c netClients, group, name string, body armnetwork.VirtualNetwork) (armnetwork.VirtualNetwork, error) {
	t.Helper()
	p, err := c.vnets.BeginCreateOrUpdate(ctx(t), group, name, body, nil)
	r, err := done(t, p, err)
	return r.VirtualNetwork, err
}

func mustVNet(t *testing.T, c netClients, group, name string, body armnetwork.VirtualNetwork) armnetwork.VirtualNetwork {
	t.Helper()
	v, err := putVNet(t, c, group, name, body)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	return v
}

func putSubnet(t *testing.T, c netClients, group, vnet, name string, body armnetwork.Subnet) (armnetwork.Subnet, error) {
	t.Helper()
	p, err := c.subnets.BeginCreateOrUpdate(ctx(t), group, vnet, name, body, nil)
	r, err := done(t, p, err)
	return r.Subnet, err
}

func deleteSubnet(t *testing.T, c netClients, group, vnet, name string) error {
	t.Helper()
	p, err := c.subnets.BeginDelete(ctx(t), group, vnet, name, nil)
	_, err = done(t, p, err)
	return err
}

func getVNet(t *testing.T, c netClients, group, name string) armnetwork.VirtualNetwork {
	t.Helper()
	r, err := c.vnets.Get(ctx(t), group, name, nil)
	if err != nil {
		t.Fatalf("getting network %s: %v", name, err)
	}
	return r.VirtualNetwork
}

func subnetNames(v armnetwork.VirtualNetwork) []string {
	var out []string
	for _, s := range v.Properties.Subnets {
		out = append(out, *s.Name)
	}
	return out
}

// wantARMMessage is wantARMError that also checks the message contains want.
func wantARMMessage(t *testing.T, err error, status int, code, want string) {
	t.Helper()
	wantARMError(t, err, status, code)
	var re *azcore.ResponseError
	errors.As(err, &re)
	if !strings.Contains(re.Error(), want) {
		t.Fatalf("%s: the message does not say %q:\n%v", code, want, err)
	}
}

func TestVirtualNetworksCreateGetListDelete(t *testing.T) {
	srv, c := netServer(t, "rg-a", "rg-b")

	// The first answer is 201 with provisioningState Updating and polling
	// headers; the SDK polls it to Succeeded.
	resp, raw := call(t, http.MethodPut, srv.URL()+"/subscriptions/"+sub+"/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/raw?api-version=2024-05-01",
		`{"location":"Central US","properties":{"addressSpace":{"addressPrefixes":["10.9.0.0/16"]}}}`, nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"provisioningState":"Updating"`) ||
		resp.Header.Get("Azure-AsyncOperation") == "" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("first answer of a network PUT: %d %s %v", resp.StatusCode, raw, resp.Header)
	}

	v := mustVNet(t, c, "rg-a", "prod", vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}, [2]string{"db", "10.1.2.0/24"}))
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *v.Location != "centralus" || *v.Type != "Microsoft.Network/virtualNetworks" ||
		*v.ID != "/subscriptions/"+sub+"/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/prod" || v.Properties.ResourceGUID == nil || v.Etag == nil {
		t.Fatalf("network after its PUT: %+v %+v", v, v.Properties)
	}
	for _, s := range v.Properties.Subnets {
		if *s.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *s.Type != "Microsoft.Network/virtualNetworks/subnets" ||
			*s.ID != *v.ID+"/subnets/"+*s.Name || *s.Etag != *v.Etag {
			t.Fatalf("inline subnet: %+v %+v", s, s.Properties)
		}
	}

	// An update answers 200 and keeps the resource guid.
	body := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	body.Tags = map[string]*string{"env": ptr("prod")}
	p, err := c.vnets.BeginCreateOrUpdate(ctx(t), "rg-a", "prod", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	upd, err := p.PollUntilDone(ctx(t), nil)
	if err != nil || *upd.Properties.ResourceGUID != *v.Properties.ResourceGUID || *upd.Tags["env"] != "prod" {
		t.Fatalf("update: %v %+v", err, upd.Properties)
	}
	// The PUT replaced the subnets: db, left out of the body, is gone.
	if got := subnetNames(getVNet(t, c, "rg-a", "prod")); strings.Join(got, ",") != "web" {
		t.Fatalf("subnets after a PUT without db: %v", got)
	}
	if _, err := c.subnets.Get(ctx(t), "rg-a", "prod", "db", nil); err == nil {
		t.Fatal("the subnet left out of the PUT still answers")
	}

	mustVNet(t, c, "rg-b", "other", vnetBody("10.2.0.0/16"))
	count := func(pager interface {
		More() bool
	}, next func() (int, error)) int {
		n := 0
		for pager.More() {
			k, err := next()
			if err != nil {
				t.Fatal(err)
			}
			n += k
		}
		return n
	}
	inGroup := c.vnets.NewListPager("rg-a", nil)
	if n := count(inGroup, func() (int, error) { r, err := inGroup.NextPage(ctx(t)); return len(r.Value), err }); n != 2 {
		t.Fatalf("rg-a lists %d networks, want 2 (prod, raw)", n)
	}
	all := c.vnets.NewListAllPager(nil)
	if n := count(all, func() (int, error) { r, err := all.NextPage(ctx(t)); return len(r.Value), err }); n != 3 {
		t.Fatalf("the subscription lists %d networks, want 3", n)
	}

	dp, err := c.vnets.BeginDelete(ctx(t), "rg-a", "prod", nil)
	if _, err = done(t, dp, err); err != nil {
		t.Fatal(err)
	}
	_, err = c.vnets.Get(ctx(t), "rg-a", "prod", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound",
		"The Resource 'Microsoft.Network/virtualNetworks/prod' under resource group 'rg-a' was not found.")
	// Deleting what is not there is 204, which the SDK takes as done.
	dp, err = c.vnets.BeginDelete(ctx(t), "rg-a", "prod", nil)
	if _, err = done(t, dp, err); err != nil {
		t.Fatalf("deleting a missing network: %v", err)
	}
	_, err = c.vnets.Get(ctx(t), "rg-none", "prod", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	_, err = c.vnets.BeginDelete(ctx(t), "rg-none", "prod", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")

	stats := getStats(t, srv.URL())
	for _, op := range []string{"VirtualNetworks_CreateOrUpdate", "VirtualNetworks_Get", "VirtualNetworks_List", "VirtualNetworks_ListAll", "VirtualNetworks_Delete", "Subnets_Get"} {
		if len(stats.Operations[op]) == 0 {
			t.Errorf("no requests counted under %s: %v", op, stats.Operations)
		}
	}
}

func TestSubnetsAreOneSourceOfTruthWithTheirNetwork(t *testing.T) {
	_, c := netServer(t, "rg-net")
	mustVNet(t, c, "rg-net", "prod", vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))

	// A subnet added through the child API shows inline, and the inline one
	// through the child API, the same data both ways.
	added, err := putSubnet(t, c, "rg-net", "prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefixes: []*string{ptr("10.1.3.0/24")}}})
	if err != nil || *added.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *added.ID == "" {
		t.Fatalf("child PUT: %v %+v", err, added)
	}
	v := getVNet(t, c, "rg-net", "prod")
	if strings.Join(subnetNames(v), ",") != "web,app" || *v.Properties.Subnets[1].Properties.AddressPrefixes[0] != "10.1.3.0/24" {
		t.Fatalf("inline view after the child PUT: %v", subnetNames(v))
	}
	web, err := c.subnets.Get(ctx(t), "rg-net", "prod", "WEB", nil)
	if err != nil || *web.Name != "web" || *web.Properties.AddressPrefix != "10.1.1.0/24" || *web.Etag != *v.Etag {
		t.Fatalf("child view of the inline subnet: %v %+v", err, web)
	}
	pager := c.subnets.NewListPager("rg-net", "prod", nil)
	page, err := pager.NextPage(ctx(t))
	if err != nil || len(page.Value) != 2 {
		t.Fatalf("Subnets_List: %v %d", err, len(page.Value))
	}

	// Updating a subnet through the child API is a 200 that the network shows.
	if _, err := putSubnet(t, c, "rg-net", "prod", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr("10.1.10.0/24")}}); err != nil {
		t.Fatal(err)
	}
	if got := *getVNet(t, c, "rg-net", "prod").Properties.Subnets[0].Properties.AddressPrefix; got != "10.1.10.0/24" {
		t.Fatalf("inline prefix after a child update: %s", got)
	}

	// A child delete removes it from the network; deleting it again is 204.
	if err := deleteSubnet(t, c, "rg-net", "prod", "app"); err != nil {
		t.Fatal(err)
	}
	if got := subnetNames(getVNet(t, c, "rg-net", "prod")); strings.Join(got, ",") != "web" {
		t.Fatalf("subnets after the child delete: %v", got)
	}
	if err := deleteSubnet(t, c, "rg-net", "prod", "app"); err != nil {
		t.Fatalf("deleting a missing subnet: %v", err)
	}
	_, err = c.subnets.Get(ctx(t), "rg-net", "prod", "app", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/virtualNetworks/prod/subnets/app' under resource group 'rg-net'")
	_, err = c.subnets.Get(ctx(t), "rg-net", "nope", "web", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/virtualNetworks/nope'")
	_, err = putSubnet(t, c, "rg-net", "nope", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr("10.1.1.0/24")}})
	wantARMError(t, err, http.StatusNotFound, "ResourceNotFound")

	// GatewaySubnet is an ordinary subnet that stands for a gateway.
	if _, err := putSubnet(t, c, "rg-net", "prod", "GatewaySubnet", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr("10.1.255.0/27")}}); err != nil {
		t.Fatal(err)
	}
}

// TestNetworkValidationChangesNothing: every refusal is ARM's code, and the
// network (its etag included) is as it was.
func TestNetworkValidationChangesNothing(t *testing.T) {
	_, c := netServer(t, "rg-net", "rg-eastus2")
	before := mustVNet(t, c, "rg-net", "prod", vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))
	east := mustVNet(t, c, "rg-eastus2", "east", vnetBody("10.5.0.0/16"))
	_ = east
	twoBlocks := vnetBody("10.1.0.0/16")
	twoBlocks.Properties.AddressSpace.AddressPrefixes = append(twoBlocks.Properties.AddressSpace.AddressPrefixes, ptr("10.1.128.0/17"))
	noSpace := vnetBody("10.1.0.0/16")
	noSpace.Properties.AddressSpace = nil
	noLocation := vnetBody("10.1.0.0/16")
	noLocation.Location = nil
	mars := vnetBody("10.1.0.0/16")
	mars.Location = ptr("mars")
	moved := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	moved.Location = ptr("eastus2")
	gatewayNSG := vnetBody("10.1.0.0/16", [2]string{"GatewaySubnet", "10.1.255.0/27"})
	gatewayNSG.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr("/subscriptions/" + sub + "/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/any")}
	missingNSG := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	missingNSG.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr("/subscriptions/" + sub + "/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nope")}
	notAnID := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	notAnID.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: ptr("nsg-web")}
	wrongType := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	wrongType.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: before.ID}
	bothPrefixes := vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	bothPrefixes.Properties.Subnets[0].Properties.AddressPrefixes = []*string{ptr("10.1.2.0/24")}
	noPrefix := vnetBody("10.1.0.0/16", [2]string{"web", ""})
	noPrefix.Properties.Subnets[0].Properties.AddressPrefix = nil

	cases := map[string]struct {
		body armnetwork.VirtualNetwork
		code string
		says string
	}{
		"host bits":            {vnetBody("10.1.0.1/16"), "InvalidCIDRNotation", "should be 10.1.0.0/16"},
		"subnet host bits":     {vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.7/24"}), "InvalidCIDRNotation", "should be 10.1.1.0/24"},
		"not a prefix":         {vnetBody("ten/8"), "InvalidAddressPrefixFormat", "ten/8"},
		"subnet not a prefix":  {vnetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0"}), "InvalidAddressPrefixFormat", "/subnets/web"},
		"overlapping blocks":   {twoBlocks, "VnetAddressSpacesOverlap", "10.1.128.0/17"},
		"no address space":     {noSpace, "NoAddressPrefixOrPoolProvided", "prod"},
		"subnet outside":       {vnetBody("10.1.0.0/16", [2]string{"a", "10.2.1.0/24"}), "NetcfgSubnetRangeOutsideVnet", "Subnet 'a'"},
		"subnet larger":        {vnetBody("10.1.0.0/16", [2]string{"a", "10.0.0.0/8"}), "NetcfgSubnetRangeOutsideVnet", "Subnet 'a'"},
		"overlapping subnets":  {vnetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"b", "10.1.1.128/25"}), "NetcfgSubnetRangesOverlap", "Subnet 'b'"},
		"tiny subnet":          {vnetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/30"}), "NetcfgInvalidSubnet", "/29"},
		"duplicate subnet":     {vnetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"A", "10.1.2.0/24"}), "DuplicateResourceName", "(A)"},
		"bad subnet name":      {vnetBody("10.1.0.0/16", [2]string{"web!", "10.1.1.0/24"}), "InvalidResourceName", "web!"},
		"both prefix fields":   {bothPrefixes, "InvalidRequestFormat", "cannot populate both"},
		"no subnet prefix":     {noPrefix, "NoAddressPrefixOrPoolProvided", "Subnet 'web'"},
		"no location":          {noLocation, "LocationRequired", "location"},
		"unknown location":     {mars, "LocationNotAvailableForResourceType", "mars"},
		"moving":               {moved, "InvalidResourceLocation", "centralus"},
		"NSG on GatewaySubnet": {gatewayNSG, "NetworkSecurityGroupCannotBeAttachedToGatewaySubnet", "GatewaySubnet"},
		"missing NSG":          {missingNSG, "InvalidResourceReference", "networkSecurityGroups/nope referenced by resource"},
		"NSG not an id":        {notAnID, "LinkedInvalidPropertyId", "nsg-web"},
		"NSG of a wrong type":  {wrongType, "InvalidRequestFormat", "wrong type"},
	}
	for name, tc := range cases {
		_, err := c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", tc.body, nil)
		wantARMMessage(t, err, http.StatusBadRequest, tc.code, tc.says)
		got := getVNet(t, c, "rg-net", "prod")
		if *got.Etag != *before.Etag || strings.Join(subnetNames(got), ",") != "web" || *got.Properties.AddressSpace.AddressPrefixes[0] != "10.1.0.0/16" {
			t.Fatalf("%s: the refused request changed the network: %+v", name, got.Properties)
		}
	}
	// A bad name for a new network, and a refused new network is not created.
	_, err := c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "-bad", vnetBody("10.1.0.0/16"), nil)
	wantARMError(t, err, http.StatusBadRequest, "InvalidResourceName")
	_, err = c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "fresh", vnetBody("10.1.0.0/16", [2]string{"a", "10.2.0.0/24"}), nil)
	wantARMError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
	_, err = c.vnets.Get(ctx(t), "rg-net", "fresh", nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.vnets.BeginCreateOrUpdate(ctx(t), "rg-none", "fresh", vnetBody("10.1.0.0/16"), nil)
	wantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")

	// The same checks through the subnet API.
	subnetCases := map[string]struct {
		prefix, code string
	}{
		"overlap":   {"10.1.1.0/25", "NetcfgSubnetRangesOverlap"},
		"outside":   {"10.7.0.0/24", "NetcfgSubnetRangeOutsideVnet"},
		"host bits": {"10.1.2.1/24", "InvalidCIDRNotation"},
		"garbage":   {"10.1.2.0/99", "InvalidAddressPrefixFormat"},
	}
	for name, tc := range subnetCases {
		_, err := putSubnet(t, c, "rg-net", "prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(tc.prefix)}})
		wantARMError(t, err, http.StatusBadRequest, tc.code)
		if got := getVNet(t, c, "rg-net", "prod"); *got.Etag != *before.Etag || len(got.Properties.Subnets) != 1 {
			t.Fatalf("%s: the refused subnet changed the network", name)
		}
	}
	// An NSG in another region cannot be associated.
	nsg := mustNSG(t, c, "rg-eastus2", "east-nsg", "eastus2")
	_, err = putSubnet(t, c, "rg-net", "prod", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix: ptr("10.1.1.0/24"), NetworkSecurityGroup: &armnetwork.SecurityGroup{ID: nsg.ID}}})
	wantARMMessage(t, err, http.StatusBadRequest, "InvalidResourceReference", "same region")
	if got := getVNet(t, c, "rg-net", "prod"); *got.Etag != *before.Etag {
		t.Fatal("the refused association changed the network")
	}
}

// TestNetworkWritesAreSerialised: while a write on a network or one of its
// children runs, other writes on the network and its children are 409
// AnotherOperationInProgress and the network shows Updating (Azure
// serialises them the same way). Operations are made slow and never waited for.
func TestNetworkWritesAreSerialised(t *testing.T) {
	t.Parallel()
	seed := writeSeed(t, `{"subscriptions":[{"id":"`+sub+`","resourceGroups":[{"name":"rg-net","location":"centralus",
	  "networkSecurityGroups":[{"name":"nsg"}],
	  "virtualNetworks":[{"name":"prod","addressSpace":["10.1.0.0/16"]},{"name":"hub","addressSpace":["10.9.0.0/16"]}]}]}]}`)
	srv := start(t, emulator.Options{TimeScale: 0.01, SeedFile: seed}) // a subnet write takes 300 s: never done during the test
	c := networkClients(t, srv.URL())
	subnet := func(prefix string) armnetwork.Subnet {
		return armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr(prefix)}}
	}

	// A subnet write in flight...
	if _, err := c.subnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", "web", subnet("10.1.1.0/24"), nil); err != nil {
		t.Fatal(err)
	}
	v := getVNet(t, c, "rg-net", "prod")
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating || *v.Properties.Subnets[0].Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating {
		t.Fatalf("network during a subnet write: %s", *v.Properties.ProvisioningState)
	}
	// ...refuses every other write on the network and its children.
	_, err := c.subnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", "db", subnet("10.1.2.0/24"), nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.subnets.BeginDelete(ctx(t), "rg-net", "prod", "web", nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "prod", vnetBody("10.1.0.0/16"), nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.vnets.BeginDelete(ctx(t), "rg-net", "prod", nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	// A peering towards it is refused too: it is not in Succeeded state.
	hub := getVNet(t, c, "rg-net", "hub")
	_, err = c.peerings.BeginCreateOrUpdate(ctx(t), "rg-net", "hub", "to-prod", armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: v.ID}}}, nil)
	wantARMMessage(t, err, http.StatusBadRequest, "ReferencedResourceNotProvisioned", "Updating")
	if got := getVNet(t, c, "rg-net", "hub"); *got.Etag != *hub.Etag {
		t.Fatal("the refused peering changed the hub")
	}

	// A network write in flight refuses its subnets.
	if _, err := c.vnets.BeginCreateOrUpdate(ctx(t), "rg-net", "hub", vnetBody("10.9.0.0/16"), nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.subnets.BeginCreateOrUpdate(ctx(t), "rg-net", "hub", "web", subnet("10.9.1.0/24"), nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")

	// The same for an NSG and its rules.
	if _, err := c.rules.BeginCreateOrUpdate(ctx(t), "rg-net", "nsg", "https", *httpsRule(100), nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.rules.BeginCreateOrUpdate(ctx(t), "rg-net", "nsg", "other", *httpsRule(200), nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.nsgs.BeginDelete(ctx(t), "rg-net", "nsg", nil)
	wantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	if g, err := c.nsgs.Get(ctx(t), "rg-net", "nsg", nil); err != nil || *g.Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating {
		t.Fatalf("NSG during a rule write: %v", err)
	}
}
