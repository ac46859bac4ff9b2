package failover_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// Bad drill configurations are refused at plan time, each diagnostic naming
// the attribute; nothing is created (the plan never applies).
func TestAccTestFailover_invalidInput(t *testing.T) {
	const vm = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.RecoveryServices/vaults/x-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/vm1"
	const net = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.Network/virtualNetworks/x-vnet-dr"
	cases := []struct {
		name, body, want string
	}{
		{"negative rto", `rto = "-5m"`, `(?s)rto`},
		{"rto not a duration", `rto = "abc"`, `(?s)rto`},
		{"rpo not a duration", `rpo = "15 minutes"`, `(?s)rpo`},
		{"unknown recovery point", `recovery_point = "yesterday"`, `(?s)recovery_point`},
		{"before without a time", `recovery_point = "before"`, `(?s)needs\s+recovery_point_before`},
		{"time without before", `recovery_point_before = "2026-01-01T00:00:00Z"`, `(?s)recovery_point_before.*applies\s+only`},
		{"time not RFC 3339", "recovery_point = \"before\"\n  recovery_point_before = \"yesterday\"", `(?s)recovery_point_before`},
		{"http check without url", `check = [{ name = "home", type = "http" }]`, `(?s)check\[0\]\.url`},
		{"tcp check with a url", `check = [{ name = "port", type = "tcp", address = "{address}:443", url = "http://x/" }]`, `(?s)check\[0\]\.url.*does\s+not\s+apply`},
		{"bad body regex", `check = [{ name = "home", type = "http", url = "http://{address}/", body_regex = "(" }]`, `(?s)check\[0\]\.body_regex`},
		{"bad on_breach", `on_breach = "ignore"`, `(?s)on_breach`},
		{"no vm", `replicated_vm_ids = []`, `(?s)replicated_vm_ids`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids := fmt.Sprintf("replicated_vm_ids = [%q]", vm)
			if regexp.MustCompile(`^replicated_vm_ids`).MatchString(c.body) {
				ids = ""
			}
			cfg := acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_test_failover" "bad" {
  name       = "bad"
  network_id = %q
  %s
  %s
}
`, net, ids, c.body)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: cfg, PlanOnly: true, ExpectError: regexp.MustCompile(c.want)}},
			})
		})
	}
}
