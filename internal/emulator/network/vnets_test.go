package network_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Microsoft.Network through the real armnetwork/v6 clients: virtual networks
// and subnets here; peerings, NSGs, seeds and faults in the other
// *_test.go files of this package.

// netServer starts an emulator with one group per name, all in centralus
// unless the name says eastus2.
func netServer(t *testing.T, groups ...string) (*emulator.Server, emulatortest.NetClients) {
	t.Helper()
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast})
	gc := emulatortest.GroupsClient(t, srv.URL())
	for _, g := range groups {
		loc := "centralus"
		if strings.Contains(g, "eastus2") {
			loc = "eastus2"
		}
		emulatortest.CreateGroup(t, gc, g, loc, nil)
	}
	return srv, emulatortest.NetworkClients(t, srv.URL())
}

func putSubnet(t *testing.T, c emulatortest.NetClients, group, vnet, name string, body armnetwork.Subnet) (armnetwork.Subnet, error) {
	t.Helper()
	p, err := c.Subnets.BeginCreateOrUpdate(emulatortest.Context(t), group, vnet, name, body, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.Subnet, err
}

func deleteSubnet(t *testing.T, c emulatortest.NetClients, group, vnet, name string) error {
	t.Helper()
	p, err := c.Subnets.BeginDelete(emulatortest.Context(t), group, vnet, name, nil)
	_, err = emulatortest.Done(t, p, err)
	return err
}

func getVNet(t *testing.T, c emulatortest.NetClients, group, name string) armnetwork.VirtualNetwork {
	t.Helper()
	r, err := c.VNets.Get(emulatortest.Context(t), group, name, nil)
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
	emulatortest.WantARMError(t, err, status, code)
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
	resp, raw := emulatortest.Call(t, http.MethodPut, srv.URL()+"/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/raw?api-version=2024-05-01",
		`{"location":"Central US","properties":{"addressSpace":{"addressPrefixes":["10.9.0.0/16"]}}}`, nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"provisioningState":"Updating"`) ||
		resp.Header.Get("Azure-AsyncOperation") == "" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("first answer of a network PUT: %d %s %v", resp.StatusCode, raw, resp.Header)
	}

	v := emulatortest.MustVNet(t, c, "rg-a", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}, [2]string{"db", "10.1.2.0/24"}))
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *v.Location != "centralus" || *v.Type != "Microsoft.Network/virtualNetworks" ||
		*v.ID != "/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/prod" || v.Properties.ResourceGUID == nil || v.Etag == nil {
		t.Fatalf("network after its PUT: %+v %+v", v, v.Properties)
	}
	for _, s := range v.Properties.Subnets {
		if *s.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *s.Type != "Microsoft.Network/virtualNetworks/subnets" ||
			*s.ID != *v.ID+"/subnets/"+*s.Name || *s.Etag != *v.Etag {
			t.Fatalf("inline subnet: %+v %+v", s, s.Properties)
		}
	}

	// An update answers 200 and keeps the resource guid.
	body := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	body.Tags = map[string]*string{"env": emulatortest.Ptr("prod")}
	p, err := c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-a", "prod", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	upd, err := p.PollUntilDone(emulatortest.Context(t), nil)
	if err != nil || *upd.Properties.ResourceGUID != *v.Properties.ResourceGUID || *upd.Tags["env"] != "prod" {
		t.Fatalf("update: %v %+v", err, upd.Properties)
	}
	// The PUT replaced the subnets: db, left out of the body, is gone.
	if got := subnetNames(getVNet(t, c, "rg-a", "prod")); strings.Join(got, ",") != "web" {
		t.Fatalf("subnets after a PUT without db: %v", got)
	}
	if _, err := c.Subnets.Get(emulatortest.Context(t), "rg-a", "prod", "db", nil); err == nil {
		t.Fatal("the subnet left out of the PUT still answers")
	}

	emulatortest.MustVNet(t, c, "rg-b", "other", emulatortest.VNetBody("10.2.0.0/16"))
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
	inGroup := c.VNets.NewListPager("rg-a", nil)
	if n := count(inGroup, func() (int, error) { r, err := inGroup.NextPage(emulatortest.Context(t)); return len(r.Value), err }); n != 2 {
		t.Fatalf("rg-a lists %d networks, want 2 (prod, raw)", n)
	}
	all := c.VNets.NewListAllPager(nil)
	if n := count(all, func() (int, error) { r, err := all.NextPage(emulatortest.Context(t)); return len(r.Value), err }); n != 3 {
		t.Fatalf("the subscription lists %d networks, want 3", n)
	}

	dp, err := c.VNets.BeginDelete(emulatortest.Context(t), "rg-a", "prod", nil)
	if _, err = emulatortest.Done(t, dp, err); err != nil {
		t.Fatal(err)
	}
	_, err = c.VNets.Get(emulatortest.Context(t), "rg-a", "prod", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound",
		"The Resource 'Microsoft.Network/virtualNetworks/prod' under resource group 'rg-a' was not found.")
	// Deleting what is not there is 204, which the SDK takes as done.
	dp, err = c.VNets.BeginDelete(emulatortest.Context(t), "rg-a", "prod", nil)
	if _, err = emulatortest.Done(t, dp, err); err != nil {
		t.Fatalf("deleting a missing network: %v", err)
	}
	_, err = c.VNets.Get(emulatortest.Context(t), "rg-none", "prod", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	_, err = c.VNets.BeginDelete(emulatortest.Context(t), "rg-none", "prod", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")

	stats := emulatortest.GetStats(t, srv.URL())
	for _, op := range []string{"VirtualNetworks_CreateOrUpdate", "VirtualNetworks_Get", "VirtualNetworks_List", "VirtualNetworks_ListAll", "VirtualNetworks_Delete", "Subnets_Get"} {
		if len(stats.Operations[op]) == 0 {
			t.Errorf("no requests counted under %s: %v", op, stats.Operations)
		}
	}
}

func TestSubnetsAreOneSourceOfTruthWithTheirNetwork(t *testing.T) {
	_, c := netServer(t, "rg-net")
	emulatortest.MustVNet(t, c, "rg-net", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))

	// A subnet added through the child API shows inline, and the inline one
	// through the child API, the same data both ways.
	added, err := putSubnet(t, c, "rg-net", "prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefixes: []*string{emulatortest.Ptr("10.1.3.0/24")}}})
	if err != nil || *added.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *added.ID == "" {
		t.Fatalf("child PUT: %v %+v", err, added)
	}
	v := getVNet(t, c, "rg-net", "prod")
	if strings.Join(subnetNames(v), ",") != "web,app" || *v.Properties.Subnets[1].Properties.AddressPrefixes[0] != "10.1.3.0/24" {
		t.Fatalf("inline view after the child PUT: %v", subnetNames(v))
	}
	web, err := c.Subnets.Get(emulatortest.Context(t), "rg-net", "prod", "WEB", nil)
	if err != nil || *web.Name != "web" || *web.Properties.AddressPrefix != "10.1.1.0/24" || *web.Etag != *v.Etag {
		t.Fatalf("child view of the inline subnet: %v %+v", err, web)
	}
	pager := c.Subnets.NewListPager("rg-net", "prod", nil)
	page, err := pager.NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 2 {
		t.Fatalf("Subnets_List: %v %d", err, len(page.Value))
	}

	// Updating a subnet through the child API is a 200 that the network shows.
	if _, err := putSubnet(t, c, "rg-net", "prod", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.1.10.0/24")}}); err != nil {
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
	_, err = c.Subnets.Get(emulatortest.Context(t), "rg-net", "prod", "app", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/virtualNetworks/prod/subnets/app' under resource group 'rg-net'")
	_, err = c.Subnets.Get(emulatortest.Context(t), "rg-net", "nope", "web", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/virtualNetworks/nope'")
	_, err = putSubnet(t, c, "rg-net", "nope", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.1.1.0/24")}})
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")

	// GatewaySubnet is an ordinary subnet that stands for a gateway.
	if _, err := putSubnet(t, c, "rg-net", "prod", "GatewaySubnet", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.1.255.0/27")}}); err != nil {
		t.Fatal(err)
	}
}

// TestNetworkValidationChangesNothing: every refusal is ARM's code, and the
// network (its etag included) is as it was.
func TestNetworkValidationChangesNothing(t *testing.T) {
	_, c := netServer(t, "rg-net", "rg-eastus2")
	before := emulatortest.MustVNet(t, c, "rg-net", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))
	east := emulatortest.MustVNet(t, c, "rg-eastus2", "east", emulatortest.VNetBody("10.5.0.0/16"))
	_ = east
	twoBlocks := emulatortest.VNetBody("10.1.0.0/16")
	twoBlocks.Properties.AddressSpace.AddressPrefixes = append(twoBlocks.Properties.AddressSpace.AddressPrefixes, emulatortest.Ptr("10.1.128.0/17"))
	noSpace := emulatortest.VNetBody("10.1.0.0/16")
	noSpace.Properties.AddressSpace = nil
	noLocation := emulatortest.VNetBody("10.1.0.0/16")
	noLocation.Location = nil
	mars := emulatortest.VNetBody("10.1.0.0/16")
	mars.Location = emulatortest.Ptr("mars")
	moved := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	moved.Location = emulatortest.Ptr("eastus2")
	gatewayNSG := emulatortest.VNetBody("10.1.0.0/16", [2]string{"GatewaySubnet", "10.1.255.0/27"})
	gatewayNSG.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/any")}
	missingNSG := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	missingNSG.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: emulatortest.Ptr("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nope")}
	notAnID := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	notAnID.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: emulatortest.Ptr("nsg-web")}
	wrongType := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	wrongType.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: before.ID}
	bothPrefixes := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	bothPrefixes.Properties.Subnets[0].Properties.AddressPrefixes = []*string{emulatortest.Ptr("10.1.2.0/24")}
	noPrefix := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", ""})
	noPrefix.Properties.Subnets[0].Properties.AddressPrefix = nil

	cases := map[string]struct {
		body armnetwork.VirtualNetwork
		code string
		says string
	}{
		"host bits":            {emulatortest.VNetBody("10.1.0.1/16"), "InvalidCIDRNotation", "should be 10.1.0.0/16"},
		"subnet host bits":     {emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.7/24"}), "InvalidCIDRNotation", "should be 10.1.1.0/24"},
		"not a prefix":         {emulatortest.VNetBody("ten/8"), "InvalidAddressPrefixFormat", "ten/8"},
		"subnet not a prefix":  {emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0"}), "InvalidAddressPrefixFormat", "/subnets/web"},
		"overlapping blocks":   {twoBlocks, "VnetAddressSpacesOverlap", "10.1.128.0/17"},
		"no address space":     {noSpace, "NoAddressPrefixOrPoolProvided", "prod"},
		"subnet outside":       {emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.2.1.0/24"}), "NetcfgSubnetRangeOutsideVnet", "Subnet 'a'"},
		"subnet larger":        {emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.0.0.0/8"}), "NetcfgSubnetRangeOutsideVnet", "Subnet 'a'"},
		"overlapping subnets":  {emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"b", "10.1.1.128/25"}), "NetcfgSubnetRangesOverlap", "Subnet 'b'"},
		"tiny subnet":          {emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/30"}), "NetcfgInvalidSubnet", "/29"},
		"duplicate subnet":     {emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.1.1.0/24"}, [2]string{"A", "10.1.2.0/24"}), "DuplicateResourceName", "(A)"},
		"bad subnet name":      {emulatortest.VNetBody("10.1.0.0/16", [2]string{"web!", "10.1.1.0/24"}), "InvalidResourceName", "web!"},
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
		_, err := c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "prod", tc.body, nil)
		wantARMMessage(t, err, http.StatusBadRequest, tc.code, tc.says)
		got := getVNet(t, c, "rg-net", "prod")
		if *got.Etag != *before.Etag || strings.Join(subnetNames(got), ",") != "web" || *got.Properties.AddressSpace.AddressPrefixes[0] != "10.1.0.0/16" {
			t.Fatalf("%s: the refused request changed the network: %+v", name, got.Properties)
		}
	}
	// A bad name for a new network, and a refused new network is not created.
	_, err := c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "-bad", emulatortest.VNetBody("10.1.0.0/16"), nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidResourceName")
	_, err = c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "fresh", emulatortest.VNetBody("10.1.0.0/16", [2]string{"a", "10.2.0.0/24"}), nil)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
	_, err = c.VNets.Get(emulatortest.Context(t), "rg-net", "fresh", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-none", "fresh", emulatortest.VNetBody("10.1.0.0/16"), nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")

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
		_, err := putSubnet(t, c, "rg-net", "prod", "app", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr(tc.prefix)}})
		emulatortest.WantARMError(t, err, http.StatusBadRequest, tc.code)
		if got := getVNet(t, c, "rg-net", "prod"); *got.Etag != *before.Etag || len(got.Properties.Subnets) != 1 {
			t.Fatalf("%s: the refused subnet changed the network", name)
		}
	}
	// An NSG in another region cannot be associated.
	nsg := mustNSG(t, c, "rg-eastus2", "east-nsg", "eastus2")
	_, err = putSubnet(t, c, "rg-net", "prod", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix: emulatortest.Ptr("10.1.1.0/24"), NetworkSecurityGroup: &armnetwork.SecurityGroup{ID: nsg.ID}}})
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
	seed := emulatortest.WriteSeed(t, `{"subscriptions":[{"id":"`+emulatortest.Subscription+`","resourceGroups":[{"name":"rg-net","location":"centralus",
	  "networkSecurityGroups":[{"name":"nsg"}],
	  "virtualNetworks":[{"name":"prod","addressSpace":["10.1.0.0/16"]},{"name":"hub","addressSpace":["10.9.0.0/16"]}]}]}]}`)
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 0.01, SeedFile: seed}) // a subnet write takes 300 s: never done during the test
	c := emulatortest.NetworkClients(t, srv.URL())
	subnet := func(prefix string) armnetwork.Subnet {
		return armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr(prefix)}}
	}

	// A subnet write in flight...
	if _, err := c.Subnets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "prod", "web", subnet("10.1.1.0/24"), nil); err != nil {
		t.Fatal(err)
	}
	v := getVNet(t, c, "rg-net", "prod")
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating || *v.Properties.Subnets[0].Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating {
		t.Fatalf("network during a subnet write: %s", *v.Properties.ProvisioningState)
	}
	// ...refuses every other write on the network and its children.
	_, err := c.Subnets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "prod", "db", subnet("10.1.2.0/24"), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.Subnets.BeginDelete(emulatortest.Context(t), "rg-net", "prod", "web", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "prod", emulatortest.VNetBody("10.1.0.0/16"), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.VNets.BeginDelete(emulatortest.Context(t), "rg-net", "prod", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	// A peering towards it is refused too: it is not in Succeeded state.
	hub := getVNet(t, c, "rg-net", "hub")
	_, err = c.Peerings.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "hub", "to-prod", armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: v.ID}}}, nil)
	wantARMMessage(t, err, http.StatusBadRequest, "ReferencedResourceNotProvisioned", "Updating")
	if got := getVNet(t, c, "rg-net", "hub"); *got.Etag != *hub.Etag {
		t.Fatal("the refused peering changed the hub")
	}

	// A network write in flight refuses its subnets.
	if _, err := c.VNets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "hub", emulatortest.VNetBody("10.9.0.0/16"), nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Subnets.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "hub", "web", subnet("10.9.1.0/24"), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")

	// The same for an NSG and its rules.
	if _, err := c.Rules.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "nsg", "https", *httpsRule(100), nil); err != nil {
		t.Fatal(err)
	}
	_, err = c.Rules.BeginCreateOrUpdate(emulatortest.Context(t), "rg-net", "nsg", "other", *httpsRule(200), nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	_, err = c.NSGs.BeginDelete(emulatortest.Context(t), "rg-net", "nsg", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	if g, err := c.NSGs.Get(emulatortest.Context(t), "rg-net", "nsg", nil); err != nil || *g.Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating {
		t.Fatalf("NSG during a rule write: %v", err)
	}
}
