package dns_test

import (
	"sort"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

func TestAccBadInput_TrafficManagerProfile(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	const primary = `
  endpoint {
    name     = "prod"
    type     = "external"
    target   = "10.0.0.1"
    priority = 1
    role     = "primary"
  }`
	const recovery = `
  endpoint {
    name     = "dr"
    type     = "external"
    target   = "10.0.0.2"
    priority = 2
    role     = "recovery"
  }`
	profile := func(monitor, endpoints string, extra ...string) string {
		more := ""
		for _, e := range extra {
			more += "\n  " + e
		}
		return acctest.ProviderConfig(t) + `
resource "azuredr_traffic_manager_profile" "test" {
  site_id       = "/subscriptions/` + acctest.SubscriptionID + `/resourceGroups/x-dr"
  name          = "tm"
  relative_name = "cms-invalid"` + more + `
  monitor {` + monitor + `
  }` + endpoints + `
}`
	}
	const http = `
    protocol = "HTTP"
    port     = 80
    path     = "/healthz"`
	cases := map[string]struct{ config, want string }{
		"no recovery endpoint": {profile(http, primary), `(?s)No recovery endpoint.*role = "recovery"`},
		"duplicate priority": {profile(http, primary+`
  endpoint {
    name     = "dr"
    type     = "external"
    target   = "10.0.0.2"
    priority = 1
    role     = "recovery"
  }`), `(?s)Duplicate priority.*endpoint\[1\].*priority`},
		"recovery ahead of production": {profile(http, `
  endpoint {
    name     = "prod"
    type     = "external"
    target   = "10.0.0.1"
    priority = 5
    role     = "primary"
  }`+recovery), `(?s)Recovery endpoint ahead of production.*priority 2, ahead of the primary's 5`},
		"missing priority": {profile(http, primary+`
  endpoint {
    name   = "dr"
    type   = "external"
    target = "10.0.0.2"
    role   = "recovery"
  }`), `(?s)Missing priority.*endpoint\[1\].priority`},
		"path with tcp": {profile(`
    protocol = "TCP"
    port     = 443
    path     = "/"`, primary+recovery), `(?s)Path with a TCP monitor.*monitor.path`},
		"http without path": {profile(`
    protocol = "HTTPS"
    port     = 443`, primary+recovery), `(?s)Missing monitor path.*HTTPS monitor needs the path`},
		"timeout not below interval": {profile(http+`
    interval_in_seconds = 10
    timeout_in_seconds  = 10`, primary+recovery), `(?s)Probe timeout not below the interval.*timeout_in_seconds`},
		"interval not 10 or 30": {profile(http+`
    interval_in_seconds = 15`, primary+recovery), `(?s)monitor.interval_in_seconds.*value must be one of`},
		"overlapping geo mappings": {profile(http, `
  endpoint {
    name         = "prod"
    type         = "external"
    target       = "10.0.0.1"
    geo_mappings = ["US", "GEO-EU"]
    role         = "primary"
  }
  endpoint {
    name         = "dr"
    type         = "external"
    target       = "10.0.0.2"
    geo_mappings = ["US-CA"]
    role         = "recovery"
  }`, `routing_method = "Geographic"`), `(?s)Overlapping geo mappings.*"US-CA" of endpoint\[1\] overlaps "US"`},
		"external without target": {profile(http, primary+`
  endpoint {
    name     = "dr"
    type     = "external"
    priority = 2
    role     = "recovery"
  }`), `(?s)Missing target.*endpoint\[1\].target`},
		"azure without resource id": {profile(http, primary+`
  endpoint {
    name     = "dr"
    type     = "azure"
    priority = 2
    role     = "recovery"
  }`), `(?s)Missing target_resource_id`},
		"unknown role": {profile(http, primary+`
  endpoint {
    name     = "dr"
    type     = "external"
    target   = "10.0.0.2"
    priority = 2
    role     = "standby"
  }`), `(?s)endpoint\[1\].role.*value must be one of`},
		"bad relative name": {acctest.ProviderConfig(t) + `
resource "azuredr_traffic_manager_profile" "test" {
  site_id       = "x"
  name          = "tm"
  relative_name = "cms.example"
  monitor {` + http + `
  }` + primary + recovery + `
}`, `(?s)relative_name.*must be 1-63 letters`},
		"bad status range": {profile(http+`
    expected_status_code_ranges = ["2xx"]`, primary+recovery), `(?s)expected_status_code_ranges.*status code or\s+range`},
		"missing monitor": {acctest.ProviderConfig(t) + `
resource "azuredr_traffic_manager_profile" "test" {
  site_id       = "x"
  name          = "tm"
  relative_name = "cms"` + primary + recovery + `
}`, `(?s)Missing monitor block`},
		"performance without location": {profile(http, primary+recovery, `routing_method = "Performance"`), `(?s)Missing location.*Performance routing`},
	}
	attrs := map[string]string{
		"no recovery endpoint":         `endpoint`,
		"duplicate priority":           `endpoint\[1\].*priority`,
		"recovery ahead of production": `priority`,
		"missing priority":             `endpoint\[1\]\.priority`,
		"path with tcp":                `monitor\.path`,
		"http without path":            `path`,
		"timeout not below interval":   `timeout_in_seconds`,
		"interval not 10 or 30":        `monitor\.interval_in_seconds`,
		"overlapping geo mappings":     `geo_mappings`,
		"external without target":      `endpoint\[1\]\.target`,
		"azure without resource id":    `target_resource_id`,
		"unknown role":                 `endpoint\[1\]\.role`,
		"bad relative name":            `relative_name`,
		"bad status range":             `expected_status_code_ranges`,
		"missing monitor":              `monitor`,
		"performance without location": `location`,
	}
	suite := acctest.BadInputSuite{Creates: []string{"Profiles_CreateOrUpdate", "Endpoints_CreateOrUpdate"}}
	for title, tc := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: title, Config: tc.config, Attribute: attrs[title], Want: tc.want})
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}
