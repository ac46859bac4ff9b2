package compute_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Public IP addresses through the real armnetwork/v6 client and its
// pollers.

const networkAPI = "2024-05-01"

func pipEnv(t *testing.T) (*emulator.Server, *armnetwork.PublicIPAddressesClient) {
	t.Helper()
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: emulatortest.Fast})
	groups := emulatortest.GroupsClient(t, srv.URL())
	emulatortest.CreateGroup(t, groups, "rg-dr", "eastus", nil)
	emulatortest.CreateGroup(t, groups, "rg-west", "westus", nil)
	opts := emulatortest.ClientOptions(srv.URL())
	opts.Retry.MaxRetries = -1
	c, err := armnetwork.NewPublicIPAddressesClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func standardStatic(location string) armnetwork.PublicIPAddress {
	return armnetwork.PublicIPAddress{
		Location: emulatortest.Ptr(location),
		SKU:      &armnetwork.PublicIPAddressSKU{Name: emulatortest.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			PublicIPAllocationMethod: emulatortest.Ptr(armnetwork.IPAllocationMethodStatic),
		},
	}
}

func createPIP(t *testing.T, c *armnetwork.PublicIPAddressesClient, group, name string, body armnetwork.PublicIPAddress) armnetwork.PublicIPAddress {
	t.Helper()
	p, err := c.BeginCreateOrUpdate(emulatortest.Context(t), group, name, body, nil)
	resp, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatalf("creating public IP %s: %v", name, err)
	}
	return resp.PublicIPAddress
}

func TestStandardStaticPublicIPGetsItsOwnAddress(t *testing.T) {
	_, c := pipEnv(t)
	body := standardStatic("East US")
	body.Zones = []*string{emulatortest.Ptr("1"), emulatortest.Ptr("2"), emulatortest.Ptr("3")}
	body.Tags = map[string]*string{"role": emulatortest.Ptr("drill")}
	a := createPIP(t, c, "rg-dr", "pip-a", body)
	b := createPIP(t, c, "rg-dr", "pip-b", standardStatic("eastus"))
	w := createPIP(t, c, "rg-west", "pip-w", standardStatic("westus"))
	p := a.Properties
	if *p.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *a.SKU.Tier != armnetwork.PublicIPAddressSKUTierRegional ||
		*p.PublicIPAddressVersion != armnetwork.IPVersionIPv4 || *p.IdleTimeoutInMinutes != 4 || *a.Location != "eastus" ||
		len(a.Zones) != 3 || *a.Tags["role"] != "drill" || p.IPConfiguration != nil {
		t.Fatalf("created: %+v", a)
	}
	addrs := map[string]netip.Addr{}
	for name, pip := range map[string]armnetwork.PublicIPAddress{"a": a, "b": b, "w": w} {
		if pip.Properties.IPAddress == nil {
			t.Fatalf("%s has no address", name)
		}
		ip, err := netip.ParseAddr(*pip.Properties.IPAddress)
		if err != nil || !netip.MustParsePrefix("127.128.0.0/10").Contains(ip) {
			t.Fatalf("%s: address %s outside the emulator's public pool", name, *pip.Properties.IPAddress)
		}
		for other, o := range addrs {
			if o == ip {
				t.Fatalf("%s and %s share %s", name, other, ip)
			}
		}
		addrs[name] = ip
	}
	// One region, one block.
	if addrs["a"].As4()[1] != addrs["b"].As4()[1] {
		t.Fatalf("eastus addresses in different blocks: %s %s", addrs["a"], addrs["b"])
	}
	// GET shows the same address; a re-PUT keeps it.
	got, err := c.Get(emulatortest.Context(t), "rg-dr", "pip-a", nil)
	if err != nil || *got.Properties.IPAddress != *a.Properties.IPAddress {
		t.Fatalf("GET: %v %v", err, got.Properties)
	}
	again := createPIP(t, c, "rg-dr", "pip-a", body)
	if *again.Properties.IPAddress != *a.Properties.IPAddress {
		t.Fatalf("re-PUT changed the address: %s -> %s", *a.Properties.IPAddress, *again.Properties.IPAddress)
	}
}

// TestCreateAnswersAsTheNetworkProviderDoes: 201 with the body in
// provisioningState Updating (no address yet) and both polling headers.
func TestPublicIPCreateAnswer(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Options{TimeScale: 1})
	emulatortest.CreateGroup(t, emulatortest.GroupsClient(t, srv.URL()), "rg-dr", "eastus", nil)
	url := srv.URL() + "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-dr/providers/Microsoft.Network/publicIPAddresses/pip-raw?api-version=" + networkAPI
	var out struct {
		Properties struct {
			ProvisioningState string `json:"provisioningState"`
			IPAddress         string `json:"ipAddress"`
		} `json:"properties"`
	}
	resp := emulatortest.CallJSON(t, http.MethodPut, url, map[string]any{"location": "eastus", "sku": map[string]string{"name": "Standard"},
		"properties": map[string]string{"publicIPAllocationMethod": "Static"}}, &out)
	if resp.StatusCode != http.StatusCreated || out.Properties.ProvisioningState != "Updating" || out.Properties.IPAddress != "" {
		t.Fatalf("PUT: %d %+v", resp.StatusCode, out)
	}
	if resp.Header.Get("Azure-AsyncOperation") == "" || resp.Header.Get("Location") == "" {
		t.Fatalf("polling headers: %v", resp.Header)
	}
}

func TestPublicIPRefusals(t *testing.T) {
	_, c := pipEnv(t)
	zonal := standardStatic("eastus")
	zonal.Zones = []*string{emulatortest.Ptr("1")}
	createPIP(t, c, "rg-dr", "pip-zonal", zonal)
	labelled := standardStatic("eastus")
	labelled.Properties.DNSSettings = &armnetwork.PublicIPAddressDNSSettings{DomainNameLabel: emulatortest.Ptr("milestone-drill")}
	createPIP(t, c, "rg-dr", "pip-dns", labelled)

	basic := standardStatic("eastus")
	basic.SKU.Name = emulatortest.Ptr(armnetwork.PublicIPAddressSKUNameBasic)
	noSKU := standardStatic("eastus")
	noSKU.SKU = nil
	dynamic := standardStatic("eastus")
	dynamic.Properties.PublicIPAllocationMethod = emulatortest.Ptr(armnetwork.IPAllocationMethodDynamic)
	noMethod := standardStatic("eastus")
	noMethod.Properties.PublicIPAllocationMethod = nil
	badZone := standardStatic("eastus")
	badZone.Zones = []*string{emulatortest.Ptr("4")}
	rezoned := standardStatic("eastus")
	rezoned.Zones = []*string{emulatortest.Ptr("2")}
	badLabel := standardStatic("eastus")
	badLabel.Properties.DNSSettings = &armnetwork.PublicIPAddressDNSSettings{DomainNameLabel: emulatortest.Ptr("Milestone_Drill")}
	idle := standardStatic("eastus")
	idle.Properties.IdleTimeoutInMinutes = emulatortest.Ptr[int32](31)
	noLocation := standardStatic("eastus")
	noLocation.Location = nil
	for _, tc := range []struct {
		what, group, name string
		body              armnetwork.PublicIPAddress
		code              string
	}{
		{"basic SKU", "rg-dr", "pip-1", basic, "IPv4BasicSkuPublicIpCountLimitReached"},
		{"no SKU means Basic", "rg-dr", "pip-2", noSKU, "IPv4BasicSkuPublicIpCountLimitReached"},
		{"standard dynamic", "rg-dr", "pip-3", dynamic, "StandardSkuPublicIPAddressesMustBeStatic"},
		{"standard without a method (Dynamic)", "rg-dr", "pip-4", noMethod, "StandardSkuPublicIPAddressesMustBeStatic"},
		{"zone 4", "rg-dr", "pip-5", badZone, "InvalidRequestFormat"},
		{"zones changed", "rg-dr", "pip-zonal", rezoned, "ResourceAvailabilityZonesCannotBeModified"},
		{"zones removed", "rg-dr", "pip-zonal", standardStatic("eastus"), "ResourceAvailabilityZonesCannotBeModified"},
		{"DNS label with upper case", "rg-dr", "pip-6", badLabel, "InvalidDomainNameLabel"},
		{"DNS label taken in the region", "rg-dr", "pip-7", labelled, "DnsRecordInUse"},
		{"idle timeout above 30", "rg-dr", "pip-8", idle, "InvalidRequestFormat"},
		{"another location", "rg-dr", "pip-zonal", standardStatic("westus"), "InvalidResourceLocation"},
		{"no location", "rg-dr", "pip-9", noLocation, "LocationRequired"},
		{"unknown location", "rg-dr", "pip-10", standardStatic("mars"), "LocationNotAvailableForResourceType"},
		{"bad name", "rg-dr", "pip-", standardStatic("eastus"), "InvalidResourceName"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			_, err := c.BeginCreateOrUpdate(emulatortest.Context(t), tc.group, tc.name, tc.body, nil)
			emulatortest.WantARMError(t, err, http.StatusBadRequest, tc.code)
		})
	}
	_, err := c.BeginCreateOrUpdate(emulatortest.Context(t), "rg-none", "pip-11", standardStatic("eastus"), nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	page, err := c.NewListPager("rg-dr", nil).NextPage(emulatortest.Context(t))
	if err != nil || len(page.Value) != 2 {
		t.Fatalf("after the refusals rg-dr lists %d public IPs (%v)", len(page.Value), err)
	}
}

func TestPublicIPTagsListsAndDelete(t *testing.T) {
	_, c := pipEnv(t)
	createPIP(t, c, "rg-dr", "pip-a", standardStatic("eastus"))
	createPIP(t, c, "rg-west", "pip-w", standardStatic("westus"))
	ctx := emulatortest.Context(t)
	tagged, err := c.UpdateTags(ctx, "rg-dr", "pip-a", armnetwork.TagsObject{Tags: map[string]*string{"env": emulatortest.Ptr("dr")}}, nil)
	if err != nil || *tagged.Tags["env"] != "dr" || tagged.Properties.IPAddress == nil {
		t.Fatalf("UpdateTags: %v %+v", err, tagged)
	}
	_, err = c.UpdateTags(ctx, "rg-dr", "pip-none", armnetwork.TagsObject{}, nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	group, err := c.NewListPager("rg-west", nil).NextPage(ctx)
	if err != nil || len(group.Value) != 1 || *group.Value[0].Name != "pip-w" {
		t.Fatalf("List rg-west: %v %d", err, len(group.Value))
	}
	all, err := c.NewListAllPager(nil).NextPage(ctx)
	if err != nil || len(all.Value) != 2 {
		t.Fatalf("ListAll: %v %d", err, len(all.Value))
	}
	p, err := c.BeginDelete(ctx, "rg-dr", "pip-a", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(ctx, "rg-dr", "pip-a", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	p, err = c.BeginDelete(ctx, "rg-dr", "pip-a", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatalf("deleting an absent public IP (204): %v", err)
	}
}

// TestPublicIPSpecExamples replays the 2024-05-01 spec's create examples
// (armnetwork v6.2.0's ExamplePublicIPAddressesClient_BeginCreateOrUpdate_*):
// PublicIpAddressCreateCustomizedValues is accepted as sent;
// PublicIpAddressCreateDefaults and PublicIpAddressCreateDns (no sku: the
// API's Basic, Dynamic) are refused, as Azure refuses new Basic public IPs
// since their retirement, which came after the spec's examples.
func TestPublicIPSpecExamples(t *testing.T) {
	_, c := pipEnv(t)
	got := createPIP(t, c, "rg-dr", "test-ip", armnetwork.PublicIPAddress{
		Location: emulatortest.Ptr("eastus"),
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			IdleTimeoutInMinutes:     emulatortest.Ptr[int32](10),
			PublicIPAddressVersion:   emulatortest.Ptr(armnetwork.IPVersionIPv4),
			PublicIPAllocationMethod: emulatortest.Ptr(armnetwork.IPAllocationMethodStatic),
		},
		SKU: &armnetwork.PublicIPAddressSKU{Name: emulatortest.Ptr(armnetwork.PublicIPAddressSKUNameStandard),
			Tier: emulatortest.Ptr(armnetwork.PublicIPAddressSKUTierGlobal)},
	})
	p := got.Properties
	if *got.Name != "test-ip" || *got.Type != "Microsoft.Network/publicIPAddresses" || *p.IdleTimeoutInMinutes != 10 ||
		*p.PublicIPAllocationMethod != armnetwork.IPAllocationMethodStatic || *got.SKU.Tier != armnetwork.PublicIPAddressSKUTierGlobal ||
		*p.DdosSettings.ProtectionMode != armnetwork.DdosSettingsProtectionModeVirtualNetworkInherited ||
		*p.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Fatalf("customized values: %+v", got)
	}
	for _, body := range []armnetwork.PublicIPAddress{
		{Location: emulatortest.Ptr("eastus")},
		{Location: emulatortest.Ptr("eastus"), Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			DNSSettings: &armnetwork.PublicIPAddressDNSSettings{DomainNameLabel: emulatortest.Ptr("dnslbl")}}},
	} {
		_, err := c.BeginCreateOrUpdate(emulatortest.Context(t), "rg-dr", "test-ip2", body, nil)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "IPv4BasicSkuPublicIpCountLimitReached")
	}
	// The DNS example as Azure takes it today: Standard, Static.
	dns := standardStatic("eastus")
	dns.Properties.DNSSettings = &armnetwork.PublicIPAddressDNSSettings{DomainNameLabel: emulatortest.Ptr("dnslbl")}
	if d := createPIP(t, c, "rg-dr", "test-dns", dns).Properties.DNSSettings; *d.Fqdn != "dnslbl.eastus.cloudapp.azure.com" {
		t.Fatalf("fqdn %s", *d.Fqdn)
	}
}
