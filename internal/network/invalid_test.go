package network_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// Invalid inputs: each gets a diagnostic naming the attribute, at plan time
// where the configuration alone shows the mistake, at apply time (before
// anything is written) where Azure must be asked.
func TestAccBadInput_Network(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	name := acctest.RandomName("bad")
	e := acctest.CreateEstate(t, name, "centralus")
	west := acctest.CreateEstate(t, name+"-w", "westus")
	rule := func(fields string) string {
		return `
resource "azuredr_network_security_group" "test" {
  network_id = azuredr_network.test.id
  name       = "nsg"
  rules = [` + fields + `]
}`
	}
	const ok = `{ name = "a", priority = 100, direction = "Inbound", access = "Allow", protocol = "Tcp" }`
	cases := map[string]struct{ config, want string }{
		"primary id of another type": {acctest.ProviderConfig(t) + `
resource "azuredr_network" "test" {
  site_id            = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x"
  primary_network_id = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x"
}`, `(?s)Invalid resource id.*primary_network_id`},
		"recovery space with host bits": {pairConfig(t, name, e, `recovery_address_space = ["10.20.0.1/16"]`),
			`(?s)Invalid CIDR block.*recovery_address_space.*use 10.20.0.0/16`},
		"recovery space of another size": {pairConfig(t, name, e, `recovery_address_space = ["10.20.0.0/24"]`),
			`(?s)Cannot lay out the recovery network.*must have the size of primary block 10.10.0.0/16`},
		"bad network name": {pairConfig(t, name, e, `recovery_network_name = "-net"`), `(?s)Invalid Attribute Value Match.*recovery_network_name`},
		"primary in the wrong region": {pairConfig(t, name, west, ""),
			`(?s)Cannot mirror the primary network.*is in westus but site .* primary_location is centralus`},
		"site id not a site": {acctest.ProviderConfig(t) + `
resource "azuredr_network" "test" {
  site_id            = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/` + e.Group + `"
  primary_network_id = "` + e.NetworkID + `"
}`, `(?s)Cannot use the site.*not the id of an azuredr_site`},
		"reserved tag": {pairConfig(t, name, e, `tags = { "azuredr-role" = "x" }`), `(?s)Reserved tag key`},
		"priority out of range": {pairConfig(t, name, e, "") + rule(`{ name = "a", priority = 50, direction = "Inbound", access = "Allow", protocol = "Tcp" }`),
			`(?s)rules\[0\].priority.*between 100 and 4096`},
		"duplicate priority": {pairConfig(t, name, e, "") + rule(ok+`, { name = "b", priority = 100, direction = "Inbound", access = "Deny", protocol = "*" }`),
			`(?s)Duplicate rule priority.*same priority and direction`},
		"duplicate name": {pairConfig(t, name, e, "") + rule(ok+`, { name = "a", priority = 200, direction = "Inbound", access = "Deny", protocol = "*" }`),
			`(?s)Duplicate rule name.*both named "a"`},
		"port out of range": {pairConfig(t, name, e, "") + rule(`{ name = "a", priority = 100, direction = "Inbound", access = "Allow", protocol = "Tcp", destination_port_ranges = ["70000"] }`),
			`(?s)Invalid destination_port_ranges.*"70000" is not a port range`},
		"reversed port range": {pairConfig(t, name, e, "") + rule(`{ name = "a", priority = 100, direction = "Inbound", access = "Allow", protocol = "Tcp", source_port_ranges = ["200-100"] }`),
			`(?s)Invalid source_port_ranges.*low to high`},
		"prefix with host bits": {pairConfig(t, name, e, "") + rule(`{ name = "a", priority = 100, direction = "Inbound", access = "Allow", protocol = "Tcp", source_address_prefixes = ["10.0.0.1/8"] }`),
			`(?s)Invalid source_address_prefixes.*use 10.0.0.0/8`},
		"protocol spelling": {pairConfig(t, name, e, "") + rule(`{ name = "a", priority = 100, direction = "Inbound", access = "Allow", protocol = "TCP" }`),
			`(?s)rules\[0\].protocol.*value must be one of`},
		"rules and source": {pairConfig(t, name, e, "") + `
resource "azuredr_network_security_group" "test" {
  network_id                       = azuredr_network.test.id
  name                             = "nsg"
  rules                            = []
  source_network_security_group_id = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x/providers/Microsoft.Network/networkSecurityGroups/y"
}`, `(?s)Rules given twice.*source_network_security_group_id`},
		"no rules": {pairConfig(t, name, e, "") + `
resource "azuredr_network_security_group" "test" {
  network_id = azuredr_network.test.id
  name       = "nsg"
}`, `(?s)No rules.*rules`},
		"gateway subnet": {pairConfig(t, name, e, "") + `
resource "azuredr_network_security_group" "test" {
  network_id   = azuredr_network.test.id
  name         = "nsg"
  rules        = []
  subnet_names = ["GatewaySubnet"]
}`, `(?s)GatewaySubnet cannot take an NSG.*subnet_names`},
		"unknown subnet": {pairConfig(t, name, e, "") + `
resource "azuredr_network_security_group" "test" {
  network_id   = azuredr_network.test.id
  name         = "nsg"
  rules        = []
  subnet_names = ["api"]
}`, `(?s)Unknown subnet.*has no subnet "api" \(it has db, web\)`},
	}
	attrs := map[string]string{
		"primary id of another type":     `primary_network_id`,
		"recovery space with host bits":  `recovery_address_space`,
		"recovery space of another size": `recovery_address_space`,
		"bad network name":               `recovery_network_name`,
		"primary in the wrong region":    `primary_network_id`,
		"site id not a site":             `site_id`,
		"reserved tag":                   `tags`,
		"priority out of range":          `rules\[0\]\.priority`,
		"duplicate priority":             `rules\[1\]`,
		"duplicate name":                 `rules\[1\]`,
		"port out of range":              `destination_port_ranges`,
		"reversed port range":            `source_port_ranges`,
		"prefix with host bits":          `source_address_prefixes`,
		"protocol spelling":              `rules\[0\]\.protocol`,
		"rules and source":               `source_network_security_group_id`,
		"no rules":                       `rules`,
		"gateway subnet":                 `subnet_names`,
		"unknown subnet":                 `subnet_names`,
	}
	suite := acctest.BadInputSuite{Creates: []string{"VirtualNetworks_CreateOrUpdate"}}
	for title, tc := range cases {
		c := acctest.BadInput{Name: title, Config: tc.config, Attribute: attrs[title], Want: tc.want}
		if strings.Contains(tc.config, "azuredr_network_security_group") {
			// The network pair is valid and created; the NSG must not be.
			c.Creates = []string{"NetworkSecurityGroups_CreateOrUpdate", "SecurityRules_CreateOrUpdate"}
		}
		suite.Cases = append(suite.Cases, c)
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}
