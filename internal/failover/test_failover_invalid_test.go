package failover_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// Bad drill configurations are refused at plan time, each diagnostic naming
// the attribute; no test failover is started.
func TestAccBadInput_TestFailover(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	const vm = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.RecoveryServices/vaults/x-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/vm1"
	const net = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.Network/virtualNetworks/x-vnet-dr"
	cfg := func(body string) string {
		ids := fmt.Sprintf("replicated_vm_ids = [%q]", vm)
		if len(body) >= 17 && body[:17] == "replicated_vm_ids" {
			ids = ""
		}
		return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_test_failover" "bad" {
  name       = "bad"
  network_id = %q
  %s
  %s
}
`, net, ids, body)
	}
	c := func(name, body, attr, want string) acctest.BadInput {
		return acctest.BadInput{Name: name, Config: cfg(body), Attribute: attr, Want: want, PlanOnly: true}
	}
	acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_TestFailover"},
		Cases: []acctest.BadInput{
			c("negative rto", `rto = "-5m"`, `rto`, `negative`),
			c("rto not a duration", `rto = "abc"`, `rto`, `not a\s+duration`),
			c("rpo not a duration", `rpo = "15 minutes"`, `rpo`, `Invalid duration`),
			c("unknown recovery point", `recovery_point = "yesterday"`, `recovery_point`, `value must be one of`),
			c("before without a time", `recovery_point = "before"`, `recovery_point_before`, `needs`),
			c("time without before", `recovery_point_before = "2026-01-01T00:00:00Z"`, `recovery_point_before`, `applies\s+only`),
			c("time not RFC 3339", "recovery_point = \"before\"\n  recovery_point_before = \"yesterday\"", `recovery_point_before`, `RFC\s*3339`),
			c("http check without url", `check = [{ name = "home", type = "http" }]`, `check\[0\]\.url`, `.`),
			c("tcp check with a url", `check = [{ name = "port", type = "tcp", address = "{address}:443", url = "http://x/" }]`, `check\[0\]\.url`, `does\s+not\s+apply`),
			c("bad body regex", `check = [{ name = "home", type = "http", url = "http://{address}/", body_regex = "(" }]`, `check\[0\]\.body_regex`, `.`),
			c("bad on_breach", `on_breach = "ignore"`, `on_breach`, `value must be one of`),
			c("no vm", `replicated_vm_ids = []`, `replicated_vm_ids`, `.`),
			// Check targets the configuration alone shows wrong (those that
			// need the drill's plan and VMs: TestAccBadInput_TestFailoverTargets).
			c("check group 0", `check = [{ name = "home", type = "http", url = "http://{address}/", group = 0 }]`, `check\[0\]\.group`, `counted\s+from\s+1`),
			c("check group 2 without a recovery plan", `check = [{ name = "home", type = "http", url = "http://{address}/", group = 2 }]`, `check\[0\]\.group`, `has\s+one\s+group`),
			c("check vm_names with once", `check = [{ name = "home", type = "http", url = "http://{address}/", once = true, vm_names = ["vm1"] }]`, `check\[0\]\.vm_names`, `vm_names\s+with\s+once`),
			// Where checks run, the isolation proof and the canary.
			c("tcp port that is a command", `check = [{ name = "port", type = "tcp", address = "{address}:80;reboot" }]`, `check\[0\]\.address`, `not\s+a\s+TCP\s+port`),
			c("dns server host that is a command", `check = [{ name = "dns", type = "dns", dns_name = "x.contoso.com", expect_target = "10.0.0.4", dns_server = "$(reboot):53" }]`, `check\[0\]\.dns_server`, `not\s+a\s+name\s+or\s+an\s+address`),
			c("check from nowhere", `check = [{ name = "home", type = "http", url = "http://{address}/", from = "laptop" }]`, `check\[0\]\.from`, `value must be one of`),
			c("probe that is not a VM", `probe_vm_id = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.Network/virtualNetworks/x-vnet-dr"`, `probe_vm_id`, `Microsoft\.Compute/virtualMachines`),
			c("probe VM named and asked for", `
  probe_vm_id = "/subscriptions/0b5a4c1e-7d2f-4e8a-9b3c-1d2e3f4a5b6c/resourceGroups/x-dr/providers/Microsoft.Compute/virtualMachines/probe"
  probe_vm    = {}`, `probe_vm`, `cannot\s+be\s+specified\s+when`),
			c("probe VM size that is no size", `probe_vm = { size = "B1s" }`, `probe_vm\.size`, `not\s+an\s+Azure\s+VM\s+size`),
			c("probe VM subnet name with a slash", `probe_vm = { subnet_name = "web/1" }`, `probe_vm\.subnet_name`, `not\s+a\s+subnet\s+name`),
			c("probe VM image without a sku", `probe_vm = { image = { publisher = "Canonical", offer = "ubuntu-24_04-lts", sku = "" } }`, `probe_vm\.image`, `publisher,\s+offer\s+and\s+sku`),
			c("isolation port 0", `isolation_proof = { ports = [443, 0] }`, `isolation_proof\.ports\[1\]`, `not\s+a\s+TCP\s+port`),
			c("isolation internet address without a port", `isolation_proof = { internet_address = "www.microsoft.com" }`, `isolation_proof\.internet_address`, `not\s+host:port`),
			c("isolation off with ports", `isolation_proof = { enabled = false, ports = [22] }`, `isolation_proof\.enabled`, `would\s+not\s+be\s+tried`),
			c("canary without a marker", `canary = { wait = "1m" }`, `canary`, `set\s+file\s+=\s+\{\}`),
			c("canary file and url", `canary = { url = "http://x/canary", file = {} }`, `canary\.url`, `not\s+both`),
			c("canary url not http", `canary = { url = "ftp://x/canary" }`, `canary\.url`, `not\s+an\s+http\(s\)\s+URL`),
			c("canary linux path relative", `canary = { file = { linux_path = "canary.txt" } }`, `canary\.file\.linux_path`, `absolute`),
			c("canary windows path with a quote", `canary = { file = { windows_path = "C:\\canary'.txt" } }`, `canary\.file\.windows_path`, `without\s+quotes`),
			c("check vm_names with group", `check = [{ name = "home", type = "http", url = "http://{address}/", group = 1, vm_names = ["vm1"] }]`, `check\[0\]\.vm_names`, `vm_names\s+with\s+group`),
		},
	}.Run(t)
}

// Bad drills only Azure can tell: refused at apply time, before any test
// failover starts.
func TestAccBadInput_TestFailoverApply(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	e := newEstate(t, "tfobad")
	missing := func(t *testing.T) string {
		return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.RecoveryServices/vaults/%s-vault/replicationFabrics/azuredr-centralus/replicationProtectionContainers/azuredr-centralus-container/replicationProtectedItems/no-such-vm",
			acctest.SubscriptionID, e.name, e.name)
	}
	custom := func(network, ids, body string) string {
		return drillConfig(t, e, "") + fmt.Sprintf(`
resource "azuredr_test_failover" "drill" {
  name              = "%s-drill"
  network_id        = %s
  replicated_vm_ids = %s
%s
}
`, e.name, network, ids, body)
	}
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_TestFailover"},
		Base:    func(t *testing.T) string { return drillConfig(t, e, "") },
		Shared:  true,
		Cases: []acctest.BadInput{
			{Name: "recovery point before in the future", Config: drillConfig(t, e, fmt.Sprintf("  recovery_point = \"before\"\n  recovery_point_before = %q", future)),
				Attribute: `recovery_point_before`, Want: `Time in the future`},
			{Name: "replicated VM that does not exist", Config: custom("azuredr_network.test.id", fmt.Sprintf("[%q]", missing(t)), ""),
				Attribute: `replicated_vm_ids`, Want: `no-such-vm`},
			{Name: "test network equal to production", Config: custom(fmt.Sprintf("%q", e.NetworkID), "[azuredr_replicated_vm.web.id]", ""),
				Attribute: `network_id`, Want: `Cannot use the network pair`},
		},
	}.Run(t)
}
