package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
)

func httpsRule(priority int32) *armnetwork.SecurityRule {
	return emulatortest.Rule("https", priority, armnetwork.SecurityRuleDirectionInbound, "443")
}

func putNSG(t *testing.T, c emulatortest.NetClients, group, name, location string, rules ...*armnetwork.SecurityRule) (armnetwork.SecurityGroup, error) {
	t.Helper()
	p, err := c.NSGs.BeginCreateOrUpdate(emulatortest.Context(t), group, name, armnetwork.SecurityGroup{Location: emulatortest.Ptr(location),
		Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: rules}}, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.SecurityGroup, err
}

func mustNSG(t *testing.T, c emulatortest.NetClients, group, name, location string, rules ...*armnetwork.SecurityRule) armnetwork.SecurityGroup {
	t.Helper()
	g, err := putNSG(t, c, group, name, location, rules...)
	if err != nil {
		t.Fatalf("creating NSG %s: %v", name, err)
	}
	return g
}

func getNSG(t *testing.T, c emulatortest.NetClients, group, name string) armnetwork.SecurityGroup {
	t.Helper()
	g, err := c.NSGs.Get(emulatortest.Context(t), group, name, nil)
	if err != nil {
		t.Fatalf("getting NSG %s: %v", name, err)
	}
	return g.SecurityGroup
}

func putRule(t *testing.T, c emulatortest.NetClients, group, nsg string, r *armnetwork.SecurityRule) (armnetwork.SecurityRule, error) {
	t.Helper()
	p, err := c.Rules.BeginCreateOrUpdate(emulatortest.Context(t), group, nsg, *r.Name, *r, nil)
	res, err := emulatortest.Done(t, p, err)
	return res.SecurityRule, err
}

func ruleNames(g armnetwork.SecurityGroup) string {
	var out []string
	for _, r := range g.Properties.SecurityRules {
		out = append(out, *r.Name)
	}
	return strings.Join(out, ",")
}

func TestNetworkSecurityGroupsAndRules(t *testing.T) {
	srv, c := netServer(t, "rg-net", "rg-other")
	nsg := mustNSG(t, c, "rg-net", "web", "centralus", httpsRule(100), emulatortest.Rule("ssh-out", 100, armnetwork.SecurityRuleDirectionOutbound, "22"))
	if *nsg.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || len(nsg.Properties.DefaultSecurityRules) != 6 ||
		*nsg.Type != "Microsoft.Network/networkSecurityGroups" || ruleNames(nsg) != "https,ssh-out" {
		t.Fatalf("NSG after its PUT: %+v", nsg.Properties)
	}
	for _, r := range nsg.Properties.SecurityRules {
		if *r.ID != *nsg.ID+"/securityRules/"+*r.Name || *r.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *r.Etag != *nsg.Etag {
			t.Fatalf("inline rule: %+v", r)
		}
	}
	d := nsg.Properties.DefaultSecurityRules[2]
	if *d.Name != "DenyAllInBound" || *d.Properties.Priority != 65500 || *d.Properties.Access != armnetwork.SecurityRuleAccessDeny {
		t.Fatalf("default rule: %+v", d.Properties)
	}
	if def, err := c.Defaults.Get(emulatortest.Context(t), "rg-net", "web", "AllowVnetInBound", nil); err != nil || *def.Properties.Priority != 65000 {
		t.Fatalf("DefaultSecurityRules_Get: %v", err)
	}

	// Rules through the child API are the NSG's rules, and the other way round.
	if _, err := putRule(t, c, "rg-net", "web", emulatortest.Rule("http", 110, armnetwork.SecurityRuleDirectionInbound, "80-81")); err != nil {
		t.Fatal(err)
	}
	if got := ruleNames(getNSG(t, c, "rg-net", "web")); got != "https,ssh-out,http" {
		t.Fatalf("rules after the child PUT: %s", got)
	}
	r, err := c.Rules.Get(emulatortest.Context(t), "rg-net", "web", "ssh-out", nil)
	if err != nil || *r.Properties.Direction != armnetwork.SecurityRuleDirectionOutbound || *r.Properties.DestinationPortRange != "22" {
		t.Fatalf("child view of an inline rule: %v", err)
	}
	pager := c.Rules.NewListPager("rg-net", "web", nil)
	if page, err := pager.NextPage(emulatortest.Context(t)); err != nil || len(page.Value) != 3 {
		t.Fatalf("SecurityRules_List: %v", err)
	}
	p, err := c.Rules.BeginDelete(emulatortest.Context(t), "rg-net", "web", "ssh-out", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	if got := ruleNames(getNSG(t, c, "rg-net", "web")); got != "https,http" {
		t.Fatalf("rules after the child delete: %s", got)
	}
	_, err = c.Rules.Get(emulatortest.Context(t), "rg-net", "web", "ssh-out", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/networkSecurityGroups/web/securityRules/ssh-out'")
	// A PUT of the NSG replaces its rules.
	mustNSG(t, c, "rg-net", "web", "centralus", httpsRule(100))
	if got := ruleNames(getNSG(t, c, "rg-net", "web")); got != "https" {
		t.Fatalf("rules after the NSG PUT: %s", got)
	}

	// Lists per group and per subscription.
	mustNSG(t, c, "rg-other", "db", "centralus")
	if page, err := c.NSGs.NewListPager("rg-net", nil).NextPage(emulatortest.Context(t)); err != nil || len(page.Value) != 1 {
		t.Fatalf("NetworkSecurityGroups_List: %v", err)
	}
	if page, err := c.NSGs.NewListAllPager(nil).NextPage(emulatortest.Context(t)); err != nil || len(page.Value) != 2 {
		t.Fatalf("NetworkSecurityGroups_ListAll: %v", err)
	}

	dp, err := c.NSGs.BeginDelete(emulatortest.Context(t), "rg-other", "db", nil)
	if _, err := emulatortest.Done(t, dp, err); err != nil {
		t.Fatal(err)
	}
	_, err = c.NSGs.Get(emulatortest.Context(t), "rg-other", "db", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "The Resource 'Microsoft.Network/networkSecurityGroups/db' under resource group 'rg-other' was not found.")

	stats := emulatortest.GetStats(t, srv.URL())
	for _, op := range []string{"NetworkSecurityGroups_CreateOrUpdate", "NetworkSecurityGroups_Get", "NetworkSecurityGroups_List", "NetworkSecurityGroups_ListAll",
		"NetworkSecurityGroups_Delete", "SecurityRules_CreateOrUpdate", "SecurityRules_Get", "SecurityRules_List", "SecurityRules_Delete", "DefaultSecurityRules_Get"} {
		if len(stats.Operations[op]) == 0 {
			t.Errorf("no requests counted under %s", op)
		}
	}
}

// TestSecurityRuleValidationChangesNothing: Azure's rule checks, through the
// NSG and through the rule API, with the NSG as it was afterwards.
func TestSecurityRuleValidationChangesNothing(t *testing.T) {
	_, c := netServer(t, "rg-net")
	before := mustNSG(t, c, "rg-net", "web", "centralus", httpsRule(100))
	with := func(f func(p *armnetwork.SecurityRulePropertiesFormat)) *armnetwork.SecurityRule {
		r := emulatortest.Rule("new", 200, armnetwork.SecurityRuleDirectionInbound, "8080")
		f(r.Properties)
		return r
	}
	cases := map[string]struct {
		rule *armnetwork.SecurityRule
		code string
		says string
	}{
		"priority low":       {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.Priority = emulatortest.Ptr[int32](99) }), "SecurityRuleInvalidPriority", "Value provided: 99"},
		"priority high":      {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.Priority = emulatortest.Ptr[int32](4097) }), "SecurityRuleInvalidPriority", "100-4096"},
		"no priority":        {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.Priority = nil }), "SecurityRuleParameterMissing", "Priority"},
		"same priority":      {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.Priority = emulatortest.Ptr[int32](100) }), "SecurityRuleConflict", "https"},
		"port too high":      {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.DestinationPortRange = emulatortest.Ptr("70000") }), "SecurityRuleInvalidPortRange", "70000"},
		"port range reverse": {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.SourcePortRange = emulatortest.Ptr("90-80") }), "SecurityRuleInvalidPortRange", "90-80"},
		"port list": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.DestinationPortRanges = []*string{emulatortest.Ptr("x")}
		}), "SecurityRuleInvalidPortRange", "x"},
		"no port": {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.DestinationPortRange = nil }), "SecurityRuleParameterMissing", "DestinationPortRange"},
		"protocol": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.Protocol = emulatortest.Ptr(armnetwork.SecurityRuleProtocol("Gre"))
		}), "InvalidRequestFormat", "Gre"},
		"direction": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.Direction = emulatortest.Ptr(armnetwork.SecurityRuleDirection("Sideways"))
		}), "InvalidRequestFormat", "Sideways"},
		"access": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.Access = emulatortest.Ptr(armnetwork.SecurityRuleAccess("Maybe"))
		}), "InvalidRequestFormat", "Maybe"},
		"no access": {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.Access = nil }), "SecurityRuleParameterMissing", "Access"},
		"no source": {with(func(p *armnetwork.SecurityRulePropertiesFormat) { p.SourceAddressPrefix = nil }), "SecurityRuleParametersMissing", "SourceAddressPrefix"},
		"bad source": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.SourceAddressPrefix = emulatortest.Ptr("10.0.0.0/40")
		}), "SecurityRuleInvalidAddressPrefix", "10.0.0.0/40"},
		"bad destinations": {with(func(p *armnetwork.SecurityRulePropertiesFormat) {
			p.DestinationAddressPrefixes = []*string{emulatortest.Ptr("not a tag")}
		}), "SecurityRuleInvalidAddressPrefix", "not a tag"},
		"bad name": {emulatortest.Rule("bad name!", 200, armnetwork.SecurityRuleDirectionInbound, "80"), "InvalidResourceName", "bad name!"},
	}
	for name, tc := range cases {
		_, err := putNSG(t, c, "rg-net", "web", "centralus", httpsRule(100), tc.rule)
		wantARMMessage(t, err, http.StatusBadRequest, tc.code, tc.says)
		if tc.code != "InvalidResourceName" {
			_, err = putRule(t, c, "rg-net", "web", tc.rule)
			wantARMMessage(t, err, http.StatusBadRequest, tc.code, tc.says)
		}
		if got := getNSG(t, c, "rg-net", "web"); *got.Etag != *before.Etag || ruleNames(got) != "https" {
			t.Fatalf("%s: the refused request changed the NSG: %s", name, ruleNames(got))
		}
	}
	_, err := putNSG(t, c, "rg-net", "web", "centralus", httpsRule(100), emulatortest.Rule("HTTPS", 300, armnetwork.SecurityRuleDirectionInbound, "443"))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "DuplicateResourceName")

	// What Azure accepts: the same priority in the other direction, lists,
	// service tags, IPs and ranges, enumerations in any case.
	ok := emulatortest.Rule("ok", 100, armnetwork.SecurityRuleDirectionOutbound, "")
	ok.Properties.DestinationPortRange = nil
	ok.Properties.DestinationPortRanges = []*string{emulatortest.Ptr("80"), emulatortest.Ptr("443"), emulatortest.Ptr("8000-8100")}
	ok.Properties.SourceAddressPrefix = nil
	ok.Properties.SourceAddressPrefixes = []*string{emulatortest.Ptr("10.0.0.0/8"), emulatortest.Ptr("192.168.1.7"), emulatortest.Ptr("Storage.EastUS")}
	ok.Properties.Protocol = emulatortest.Ptr(armnetwork.SecurityRuleProtocol("udp"))
	got, err := putRule(t, c, "rg-net", "web", ok)
	if err != nil || *got.Properties.Protocol != armnetwork.SecurityRuleProtocolUDP || len(got.Properties.DestinationPortRanges) != 3 {
		t.Fatalf("a valid rule was refused or mangled: %v %+v", err, got.Properties)
	}
	_, err = c.Rules.Get(emulatortest.Context(t), "rg-net", "nope", "ok", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/networkSecurityGroups/nope'")
}

// TestSubnetAssociationAndBackReference: associating an NSG the way the
// provider does (GET the subnet, set networkSecurityGroup, PUT it back), the
// NSG's subnets list, and the NSG's deletion refused while in use.
func TestSubnetAssociationAndBackReference(t *testing.T) {
	_, c := netServer(t, "rg-net")
	nsg := mustNSG(t, c, "rg-net", "web-nsg", "centralus", httpsRule(100))
	emulatortest.MustVNet(t, c, "rg-net", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}, [2]string{"db", "10.1.2.0/24"}))
	if got := getNSG(t, c, "rg-net", "web-nsg"); len(got.Properties.Subnets) != 0 {
		t.Fatalf("an unused NSG lists subnets: %+v", got.Properties.Subnets)
	}

	associate := func(name string, nsgID *string) {
		t.Helper()
		cur, err := c.Subnets.Get(emulatortest.Context(t), "rg-net", "prod", name, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := cur.Subnet
		s.Properties.NetworkSecurityGroup = nil
		if nsgID != nil {
			s.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: nsgID}
		}
		if _, err := putSubnet(t, c, "rg-net", "prod", name, s); err != nil {
			t.Fatalf("associating %s: %v", name, err)
		}
	}
	associate("web", emulatortest.Ptr(strings.ToUpper(*nsg.ID))) // ids match case-insensitively and are stored as the NSG's
	associate("db", nsg.ID)
	v := getVNet(t, c, "rg-net", "prod")
	if *v.Properties.Subnets[0].Properties.NetworkSecurityGroup.ID != *nsg.ID {
		t.Fatalf("the network's inline subnet: %+v", v.Properties.Subnets[0].Properties)
	}
	got := getNSG(t, c, "rg-net", "web-nsg")
	if len(got.Properties.Subnets) != 2 || *got.Properties.Subnets[0].ID != *v.ID+"/subnets/web" {
		t.Fatalf("back-references: %+v", got.Properties.Subnets)
	}
	_, err := c.NSGs.BeginDelete(emulatortest.Context(t), "rg-net", "web-nsg", nil)
	wantARMMessage(t, err, http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted", "/subnets/web")
	if got := getNSG(t, c, "rg-net", "web-nsg"); *got.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Fatal("the refused deletion changed the NSG")
	}

	// A network PUT that drops db takes its association with it; clearing
	// web's leaves the NSG free to go.
	body := emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"})
	body.Properties.Subnets[0].Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: nsg.ID}
	emulatortest.MustVNet(t, c, "rg-net", "prod", body)
	if got := getNSG(t, c, "rg-net", "web-nsg"); len(got.Properties.Subnets) != 1 {
		t.Fatalf("back-references after db went: %+v", got.Properties.Subnets)
	}
	associate("web", nil)
	if got := getNSG(t, c, "rg-net", "web-nsg"); len(got.Properties.Subnets) != 0 {
		t.Fatalf("back-references after disassociating: %+v", got.Properties.Subnets)
	}
	p, err := c.NSGs.BeginDelete(emulatortest.Context(t), "rg-net", "web-nsg", nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatal(err)
	}
	// An NSG that is gone cannot be associated.
	_, err = putSubnet(t, c, "rg-net", "prod", "web", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix: emulatortest.Ptr("10.1.1.0/24"), NetworkSecurityGroup: &armnetwork.SecurityGroup{ID: nsg.ID}}})
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidResourceReference")
}
