package network

import (
	"strings"
	"testing"
)

func TestExposureFindingsFlagManagementPortsOpenToTheInternet(t *testing.T) {
	rules := []rule{
		{Name: "ssh", Priority: 100, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", SourceAddressPrefixes: []string{"Internet"}, DestinationPortRanges: []string{"22"}},
		{Name: "winrm", Priority: 110, Direction: "Inbound", Access: "Allow", Protocol: "*", SourceAddressPrefixes: []string{"*"}, DestinationPortRanges: []string{"5000-6000"}},
		{Name: "rdp-office", Priority: 120, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", SourceAddressPrefixes: []string{"203.0.113.0/24"}, DestinationPortRanges: []string{"3389"}},
		{Name: "deny-rdp", Priority: 130, Direction: "Inbound", Access: "Deny", Protocol: "Tcp", DestinationPortRanges: []string{"3389"}},
		{Name: "out-ssh", Priority: 140, Direction: "Outbound", Access: "Allow", Protocol: "Tcp", DestinationPortRanges: []string{"22"}},
		{Name: "https", Priority: 150, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", SourceAddressPrefixes: []string{"Internet"}, DestinationPortRanges: []string{"443"}},
	}
	got := exposureFindings("recovery", rules)
	want := []string{
		`recovery: rule "ssh" (priority 100) allows SSH (port 22) from the Internet`,
		`recovery: rule "winrm" (priority 110) allows WinRM (port 5985) from the Internet`,
		`recovery: rule "winrm" (priority 110) allows WinRM over HTTPS (port 5986) from the Internet`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDifferenceFindings(t *testing.T) {
	web := rule{Name: "web", Priority: 200, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", DestinationPortRanges: []string{"443"}}
	changed := web
	changed.Priority = 210
	extra := rule{Name: "extra", Priority: 300, Direction: "Inbound", Access: "Deny", Protocol: "*"}
	got := differenceFindings("primary", []rule{web}, "recovery", []rule{changed, extra})
	if len(got) != 2 || !strings.Contains(got[0], `rule "extra" is not in primary`) || !strings.Contains(got[1], `rule "web" differs from primary (priority 210`) {
		t.Fatalf("unexpected %q", got)
	}
	if got := differenceFindings("primary", []rule{web}, "test", nil); len(got) != 1 || !strings.Contains(got[0], "missing") {
		t.Fatalf("unexpected %q", got)
	}
	if got := differenceFindings("primary", []rule{web}, "test", []rule{web}); len(got) != 0 {
		t.Fatalf("equal rules must give nothing, got %q", got)
	}
}

func TestRuleChecks(t *testing.T) {
	for _, ok := range []string{"*", "443", "1024-65535", "0-0"} {
		if err := checkPortRange(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ssh", "70000", "100-50", "-1", "1-2-3"} {
		if err := checkPortRange(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, ok := range []string{"*", "Internet", "VirtualNetwork", "Storage.EastUS", "10.0.0.0/8", "10.1.2.3", "2001:db8::/32"} {
		if err := checkAddressPrefix(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"10.0.0.1/8", "10.0.0.0/33", "not a tag!", ""} {
		if err := checkAddressPrefix(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	r := rule{Name: "x", Priority: 100, Direction: "Inbound", Access: "Allow", Protocol: "Tcp", DestinationPortRanges: []string{"443", "80"}}
	if back := ruleFromARM(r.toARM()); !sameRules([]rule{back}, []rule{r}) {
		t.Fatalf("round trip through ARM changed the rule: %+v", back)
	}
}

func TestAlignToKeepsTheConfigurationOrder(t *testing.T) {
	ref := []rule{
		{Name: "z", Priority: 300, Direction: "Inbound", DestinationPortRanges: []string{"80", "443"}},
		{Name: "a", Priority: 100, Direction: "Inbound", DestinationPortRanges: []string{"22"}},
	}
	observed := []rule{
		{Name: "a", Priority: 150, Direction: "Inbound", DestinationPortRanges: []string{"22"}},
		{Name: "new", Priority: 200, Direction: "Inbound"},
		{Name: "z", Priority: 300, Direction: "Inbound", DestinationPortRanges: []string{"443", "80"}},
	}
	got := alignTo(ref, observed)
	if len(got) != 3 || got[0].Name != "z" || got[1].Name != "a" || got[2].Name != "new" {
		t.Fatalf("order: %+v", got)
	}
	if got[0].DestinationPortRanges[0] != "80" || got[1].Priority != 150 {
		t.Fatalf("values: %+v", got)
	}
}
