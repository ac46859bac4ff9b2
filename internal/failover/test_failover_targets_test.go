package failover_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

// shop is an estate of three VMs for scoped checks: a database (the
// recovery plan's group 1) whose page says "CMS database", and two web
// VMs (group 2) whose pages say "Milestone CMS". Each page also names the
// VM serving it, so a check can tell one web VM from the other.
type shop struct {
	estate
	DB, Web2 acctest.VM
}

func newShop(t *testing.T, prefix string) shop {
	e := newEstate(t, prefix)
	return shop{
		estate: e,
		DB:     acctest.CreateVM(t, e.Group, e.name+"-db", "", e.NetworkID+"/subnets/db", acctest.WithSiteTitle("CMS database")),
		Web2:   acctest.CreateVM(t, e.Group, e.name+"-web2", "", e.NetworkID+"/subnets/web", acctest.WithSiteTitle("Milestone CMS")),
	}
}

// config is drillConfig's estate plus the database and the second web VM
// replicated, and recovery plan "cms": group 1 the database, group 2 the
// web VMs; then extra (a drill, or nothing).
func (s shop) config(t *testing.T, extra string) string {
	return drillConfig(t, s.estate, "") + replicatedVMConfig("db", s.DB.ID, "db") + replicatedVMConfig("web2", s.Web2.ID, "web") + `
resource "azuredr_recovery_plan" "cms" {
  name    = "cms"
  site_id = azuredr_site.test.id

  group {
    replicated_vm_ids = [azuredr_replicated_vm.db.id]
  }

  group {
    replicated_vm_ids = [azuredr_replicated_vm.web.id, azuredr_replicated_vm.web2.id]
  }
}
` + extra
}

// planDrill is the drill of the recovery plan with body.
func planDrill(body string) string {
	return `
resource "azuredr_test_failover" "drill" {
  name             = "cms-drill"
  network_id       = azuredr_network.test.id
  recovery_plan_id = azuredr_recovery_plan.cms.id
` + body + `
}
`
}

// waitForAllPoints waits until each of the shop's VMs has a recovery point.
func (s shop) waitForAllPoints(t *testing.T) {
	for _, vm := range []acctest.VM{s.VM, s.DB, s.Web2} {
		one := s.estate
		one.VM = vm
		waitForPoints(t, one, 1)
	}
}

// gone is estateGone plus the shop's other replicated VMs and test VMs.
func (s shop) gone(t *testing.T) resource.TestCheckFunc {
	var more []acctest.Gone
	for _, vm := range []acctest.VM{s.DB, s.Web2} {
		one := s.estate
		one.VM = vm
		more = append(more, acctest.IDGone(itemID(one)),
			acctest.IDGone("/subscriptions/"+acctest.SubscriptionID+"/resourceGroups/"+s.name+"-dr/providers/Microsoft.Compute/virtualMachines/"+vm.Name+"-test"))
	}
	return resource.ComposeTestCheckFunc(estateGone(t, s.estate), acctest.CheckDestroy(t, more...), s.noTestVMs(t))
}

// noTestVMs asserts the emulator runs no test VM of any of the shop's VMs.
func (s shop) noTestVMs(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var left []string
		for _, vm := range []acctest.VM{s.VM, s.DB, s.Web2} {
			one := s.estate
			one.VM = vm
			for _, name := range testVMs(t, one) {
				if name == vm.Name+"-test" {
					left = append(left, name)
				}
			}
		}
		if len(left) > 0 {
			return fmt.Errorf("test VMs left behind: %v", left)
		}
		return nil
	}
}

// A two-group recovery plan drilled with scoped checks: each check runs
// against exactly the VMs its target names. Each check would fail on a VM
// outside its scope (the database's page is not the storefront, web2's
// page names web2), so a drill ignoring the scopes fails rather than
// passes; the per-check results come from the timeline's check-passed
// lines.
func TestAccTestFailover_TargetsScopeChecks(t *testing.T) {
	s := newShop(t, "tfotgt")
	port := acctest.Emulator(t).WebPort()
	body := fmt.Sprintf(`
  rto = "45m"
  check = [
    {
      name       = "storefront"
      type       = "http"
      url        = "http://{address}:%[1]d/"
      body_regex = "Milestone CMS"
      group      = 2
    },
    {
      name       = "web2-page"
      type       = "http"
      url        = "http://{address}:%[1]d/"
      body_regex = %[2]q
      vm_names   = [%[3]q]
    },
    {
      name       = "database-once"
      type       = "http"
      url        = "http://{address}:%[1]d/"
      body_regex = "CMS database"
      once       = true
    },
  ]`, port, `<strong id="vm">`+s.Web2.Name+`-test<`, strings.ToUpper(s.Web2.Name))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             s.gone(t),
		Steps: []resource.TestStep{
			{Config: s.config(t, "")},
			{
				PreConfig: func() { s.waitForAllPoints(t) },
				Config:    s.config(t, planDrill(body)),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(drillAddr, "passed", "true"),
					resource.TestCheckResourceAttr(drillAddr, "items.#", "3"),
					resource.TestCheckResourceAttr(drillAddr, "items.0.vm_name", s.DB.Name),
					checksPassedOn(map[string][]string{
						// group = 2: both web VMs, never the database.
						"storefront": {s.VM.Name, s.Web2.Name},
						// vm_names (compared ignoring case): web2 only.
						"web2-page": {s.Web2.Name},
						// once without a group: the drill's first VM, once.
						"database-once": {s.DB.Name},
					}),
					s.noTestVMs(t),
				),
			},
		},
	})
}

// checkPassedLine is a timeline line of a passed check: "+1m2s
// check-passed [item]: name" (no item for a check run after a group).
var checkPassedLine = regexp.MustCompile(`^\+\S+ check-passed(?: \[([^\]]*)\])?: (.+)$`)

// checksPassedOn asserts, from the drill's timeline, that each check
// passed exactly once against each of the items named (their protected
// items are named after their VMs) and against no other.
func checksPassedOn(want map[string][]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[drillAddr]
		if !ok {
			return fmt.Errorf("%s is not in the state", drillAddr)
		}
		a := rs.Primary.Attributes
		got := map[string][]string{}
		var timeline []string
		for i := 0; ; i++ {
			line, ok := a[fmt.Sprintf("timeline.%d", i)]
			if !ok {
				break
			}
			timeline = append(timeline, line)
			if m := checkPassedLine.FindStringSubmatch(line); m != nil {
				got[m[2]] = append(got[m[2]], m[1])
			}
		}
		var problems []string
		for name, items := range want {
			w := append([]string(nil), items...)
			g := append([]string(nil), got[name]...)
			sort.Strings(w)
			sort.Strings(g)
			if strings.Join(w, ",") != strings.Join(g, ",") {
				problems = append(problems, fmt.Sprintf("check %q passed on %v, want exactly %v", name, g, w))
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				problems = append(problems, fmt.Sprintf("unexpected check %q passed on %v", name, got[name]))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s\ntimeline:\n  %s", strings.Join(problems, "\n"), strings.Join(timeline, "\n  "))
		}
		return nil
	}
}

// A drill whose checks can never pass (a page the site does not have on
// one web VM, a port nothing listens on on the other) stops retrying once
// the RTO objective plus check_grace has passed: it fails naming each
// check with its last attempt's error (the VMs give up in parallel, and
// the first to give up must not hide the other's), cleans up, and leaves
// no test VM. The create timeout is a safety net only: a drill that ran
// into it would fail with another error ("not passed when the drill
// ended"), which the expected error does not match.
func TestAccTestFailover_FailFastAfterRTOAndGrace(t *testing.T) {
	s := newShop(t, "tfoff")
	port := acctest.Emulator(t).WebPort()
	body := fmt.Sprintf(`
  rto         = "2m"
  check_grace = "30s"
  check = [
    {
      name     = "missing-page"
      type     = "http"
      url      = "http://{address}:%d/no-such-page"
      vm_names = [%q]
    },
    {
      name     = "closed-port"
      type     = "tcp"
      address  = "{address}:1"
      vm_names = [%q]
    },
  ]
  timeouts {
    create = "5m"
  }`, port, s.VM.Name, s.Web2.Name)
	web2 := s.estate
	web2.VM = s.Web2
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             s.gone(t),
		Steps: []resource.TestStep{
			{Config: s.config(t, "")},
			{
				PreConfig: func() { s.waitForAllPoints(t) },
				Config:    s.config(t, webDrill(body)),
				ExpectError: wrapped(
					`Drill web-drill failed`,
					`checks still failing after the RTO objective and its grace (RTO objective 2m`, `plus a grace of 30s`, `from the recovery's start):`,
					`missing-page (last attempt: on `, `-test: GET http://`, `/no-such-page: status 404, want 200)`,
					`Cleanup ran: no test VM is left and no item is pending cleanup.`,
				),
			},
			{
				// The same error names the other VM's check too (regular
				// expressions cannot say "in any order": a step of its own).
				Config: s.config(t, webDrill(body)),
				ExpectError: wrapped(
					`checks still failing after the RTO objective and its grace`,
					`closed-port (last attempt: on `, `-test: connecting to `, `:1 from the DR site: no connection (refused or timed out))`,
				),
			},
			{
				// Verified through Site Recovery and the emulator, not only
				// the message: no test VM, nothing pending cleanup.
				Config: s.config(t, ""),
				Check: resource.ComposeTestCheckFunc(
					s.noTestVMs(t),
					nothingPendingCleanup(t, s.estate),
					nothingPendingCleanup(t, web2),
				),
			},
		},
	})
}

// webDrill is a drill of the two web VMs (no recovery plan) with body.
func webDrill(body string) string {
	return `
resource "azuredr_test_failover" "drill" {
  name              = "web-drill"
  network_id        = azuredr_network.test.id
  replicated_vm_ids = [azuredr_replicated_vm.web.id, azuredr_replicated_vm.web2.id]
` + body + `
}
`
}

// wrapped matches the phrases in order in an error Terraform may have
// wrapped: any run of spaces in a phrase matches any whitespace.
func wrapped(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// Check targets that name what the drill does not have are refused at
// plan, on their attribute, when what the drill fails over can be read
// (the recovery plan and replicated VMs exist already); no test failover
// starts.
func TestAccBadInput_TestFailoverTargets(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	s := newShop(t, "tfotgtbad")
	port := acctest.Emulator(t).WebPort()
	check := func(target string) string {
		return fmt.Sprintf(`
  check = [{
    name = "home-page"
    type = "http"
    url  = "http://{address}:%d/"
    %s
  }]`, port, target)
	}
	vmDrill := func(body string) string {
		return `
resource "azuredr_test_failover" "drill" {
  name              = "web-drill"
  network_id        = azuredr_network.test.id
  replicated_vm_ids = [azuredr_replicated_vm.web.id]
` + body + `
}
`
	}
	acctest.BadInputSuite{
		Creates: []string{"ReplicationProtectedItems_TestFailover"},
		Base:    func(t *testing.T) string { return s.config(t, "") },
		Shared:  true,
		Cases: []acctest.BadInput{
			{Name: "group beyond the recovery plan's", Config: s.config(t, planDrill(check(`group = 3`))),
				Attribute: `check\[0\]\.group`, Want: `(?s)No such group.*has\s+2\s+group\(s\)`, PlanOnly: true},
			{Name: "vm_names naming no VM of the plan", Config: s.config(t, planDrill(check(`vm_names = ["vm-nowhere"]`))),
				Attribute: `check\[0\]\.vm_names\[0\]`, Want: `(?s)Not a VM of the drill.*vm-nowhere`, PlanOnly: true},
			{Name: "vm_names naming a replicated VM outside the drill", Config: s.config(t, vmDrill(check(fmt.Sprintf(`vm_names = [%q]`, s.DB.Name)))),
				Attribute: `check\[0\]\.vm_names\[0\]`, Want: `(?s)Not a VM of the drill.*` + regexp.QuoteMeta(s.DB.Name), PlanOnly: true},
		},
	}.Run(t)
}
