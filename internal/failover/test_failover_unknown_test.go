package failover_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// unknownDrillConfig is a drill in a child module (testdata/modules/drill,
// called with for_each) whose every validated input comes from a variable
// (`check = [var.check, ...]`, rto) or from values known only after apply
// (a check's expect_status and url, rpo, check_grace, the probe VM's
// subnet; its size is a variable), next to
// drillConfig's estate, applied first (Base) so that the VM has a recovery
// point to test.
func unknownDrillConfig(t *testing.T, e estate) string {
	return strings.TrimPrefix(drillConfig(t, e, ""), acctest.ProviderConfig(t)) + fmt.Sprintf(`
variable "check" {
  type = object({ name = string, type = string, url = string, body_regex = string })
}
variable "rto" { type = string }
variable "probe_size" { type = string }

resource "terraform_data" "later" {
  input = { status = 200, port = %[3]d, grace = "5m", rpo = "15m", subnet = "web" }
}

module "drill" {
  source            = %[2]s
  for_each          = toset(["web"])
  name              = "%[1]s-${each.key}-drill"
  network_id        = azuredr_network.test.id
  replicated_vm_ids = [azuredr_replicated_vm.web.id]
  checks = [var.check, {
    name          = "status"
    type          = "http"
    url           = "http://{address}:${terraform_data.later.output.port}/"
    expect_status = terraform_data.later.output.status
    group         = 1
  }]
  rto         = var.rto
  rpo         = terraform_data.later.output.rpo
  check_grace = terraform_data.later.output.grace
  probe_vm    = { size = var.probe_size, subnet_name = terraform_data.later.output.subnet }
}

output "drill" { value = module.drill["web"] }
`, e.name, acctest.Module(t, "testdata/modules/drill"), acctest.Emulator(t).WebPort())
}

// Module inputs from variables and unknown values are checked later: the
// drill validates, plans, applies and passes; the next plan is empty; a bad
// check from a variable is refused at plan, on its attribute, through the
// module.
func TestAccTestFailover_unknownModuleInputs(t *testing.T) {
	e := newEstate(t, "tfou")
	check := func(url string) config.Variable {
		return config.ObjectVariable(map[string]config.Variable{"name": config.StringVariable("home-page"), "type": config.StringVariable("http"),
			"url": config.StringVariable(url), "body_regex": config.StringVariable("Milestone CMS")})
	}
	good := fmt.Sprintf("http://{address}:%d/", acctest.Emulator(t).WebPort())
	vars := func(url, rto string, probeSize ...string) config.Variables {
		size := "Standard_B1s"
		if len(probeSize) > 0 {
			size = probeSize[0]
		}
		return config.Variables{"check": check(url), "rto": config.StringVariable(rto), "probe_size": config.StringVariable(size)}
	}
	drill := `module.drill["web"].azuredr_test_failover.this`
	gone := resource.ComposeTestCheckFunc(noTestVMs(t, e), estateGone(t, e))
	acctest.UnknownValues{
		Base:        strings.TrimPrefix(drillConfig(t, e, ""), acctest.ProviderConfig(t)),
		BeforeApply: func() { waitForPoints(t, e, 1) },
		Config:      unknownDrillConfig(t, e),
		Variables:   vars(good, "45m"),
		Bad: []acctest.BadVariables{
			{Variables: vars("ftp://{address}/", "45m"), Want: `with module\.drill\["web"\]\.azuredr_test_failover\.this,.*check\[0\]\.url: "ftp://\{address\}/" is not an http\(s\) URL`},
			{Variables: vars(good, "0s"), Want: `with module\.drill\["web"\]\.azuredr_test_failover\.this,.*rto = "0s": .*out of range`},
			{Variables: vars(good, "45m", "B1s"), Want: `with module\.drill\["web"\]\.azuredr_test_failover\.this,.*probe_vm\.size: "B1s" is not an Azure VM\s+size name`},
		},
		Unknown: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue(drill, tfjsonpath.New("check").AtSliceIndex(1).AtMapKey("expect_status")),
			plancheck.ExpectUnknownValue(drill, tfjsonpath.New("check").AtSliceIndex(1).AtMapKey("url")),
			plancheck.ExpectUnknownValue(drill, tfjsonpath.New("check_grace")),
			plancheck.ExpectUnknownValue(drill, tfjsonpath.New("probe_vm").AtMapKey("subnet_name")),
			plancheck.ExpectKnownValue(drill, tfjsonpath.New("check").AtSliceIndex(0).AtMapKey("url"), knownvalue.StringExact(good)),
		},
		Known: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValueAtPath("drill", tfjsonpath.New("passed"), knownvalue.Bool(true)),
			statecheck.ExpectKnownOutputValueAtPath("drill", tfjsonpath.New("breaches"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownOutputValueAtPath("drill", tfjsonpath.New("test_vm_name"), knownvalue.StringExact(e.VM.Name+"-test")),
			acctest.AfterApply(noTestVMs(t, e)),
		},
		Gone: func(s *terraform.State) error { return gone(s) },
	}.Run(t)
}
