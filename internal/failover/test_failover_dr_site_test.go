package failover_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// ownSpaceDrillConfig is drillConfig with the network pair's recovery
// networks in their own address space (10.20.0.0/16), so the isolation
// proof has production addresses to try.
func ownSpaceDrillConfig(t *testing.T, e estate, body string) string {
	return strings.Replace(drillConfig(t, e, body), "  primary_network_id = ",
		"  recovery_address_space = [\"10.20.0.0/16\"]\n  primary_network_id = ", 1)
}

// The resource's settings of a drill from the DR site reach the engine:
// the check runs on the test VM through Run Command (the test VM gets no
// public IP: its address is its private one), the isolation proof tries
// exactly the ports given, and the file canary measures the data loss.
func TestAccTestFailover_fromTheDRSite(t *testing.T) {
	e := newEstate(t, "tfods")
	body := homePage(t, "Milestone CMS") + `
  rto             = "45m"
  isolation_proof = { ports = [22, 443, 8443] }
  canary          = { file = {}, wait = "10m" }`
	drillOnce(t, e, ownSpaceDrillConfig, body,
		resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
		resource.TestMatchResourceAttr(drillAddr, "items.0.address", regexp.MustCompile(`^10\.20\.`)),
		timelineHas(`isolation proof from `+regexp.QuoteMeta(e.VM.Name)+`-test: none of 3 production address:port reached`),
		timelineHas(`canary`),
		resource.TestMatchResourceAttr(drillAddr, "canary_data_loss", regexp.MustCompile(`^\d`)),
		noTestVMs(t, e),
	)
}

// from = "runner" keeps the direct mode: the drill gives the test VM a
// public IP, checks it from here, and removes the IP after cleanup.
func TestAccTestFailover_fromTheRunner(t *testing.T) {
	e := newEstate(t, "tforun")
	body := fmt.Sprintf(`
  check = [{
    name = "home-page"
    type = "http"
    url  = "http://{address}:%d/"
    from = "runner"
  }]`, acctest.Emulator(t).WebPort())
	drillOnce(t, e, drillConfig, body,
		resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
		resource.TestMatchResourceAttr(drillAddr, "items.0.address", regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`)),
		timelineHas(`test-public-ip`),
		noTestVMs(t, e),
	)
}

// timelineHas checks that a line of the drill's timeline matches pattern.
func timelineHas(pattern string) resource.TestCheckFunc {
	re := regexp.MustCompile(pattern)
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[drillAddr]
		if !ok {
			return fmt.Errorf("%s not in state", drillAddr)
		}
		var lines []string
		for k, v := range rs.Primary.Attributes {
			if strings.HasPrefix(k, "timeline.") && k != "timeline.#" {
				if re.MatchString(v) {
					return nil
				}
				lines = append(lines, v)
			}
		}
		return fmt.Errorf("no timeline line matches %q:\n  %s", pattern, strings.Join(lines, "\n  "))
	}
}

// probe_vm = {} has the drill make a probe VM in the test network, run the
// check on it and delete it at cleanup.
func TestAccTestFailover_probeVMTheDrillMakes(t *testing.T) {
	e := newEstate(t, "tfoprobe")
	body := homePage(t, "Milestone CMS") + `
  probe_vm = {}`
	drillOnce(t, e, drillConfig, body,
		resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
		timelineHas(`creating probe VM azuredr-probe-[0-9a-f]{8} \(Standard_B1s, Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest\)`),
		timelineHas(`probe VM azuredr-probe-[0-9a-f]{8} runs in the test network`),
		timelineHas(`probe VM azuredr-probe-[0-9a-f]{8} deleted with its NIC and OS disk`),
		noTestVMs(t, e),
	)
}

// drillOnce applies the estate, then the drill body on it once the items
// have a recovery point, and checks the drill's state; destroy must leave
// no test VM and no estate.
func drillOnce(t *testing.T, e estate, config func(*testing.T, estate, string) string, body string, checks ...resource.TestCheckFunc) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(noTestVMs(t, e), estateGone(t, e)),
		Steps: []resource.TestStep{
			{Config: config(t, e, "")},
			{
				PreConfig: func() { waitForPoints(t, e, 1) },
				Config:    config(t, e, body),
				Check:     resource.ComposeTestCheckFunc(checks...),
			},
		},
	})
}
