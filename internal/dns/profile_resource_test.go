package dns_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

const (
	tmAddr     = "azuredr_traffic_manager_profile.test"
	answerAddr = "data.azuredr_dns_answer.now"
)

func profileConfig(t *testing.T, name string, web []*acctest.WebServer, enabled bool, ttl int) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %[1]q
  primary_location  = "centralus"
  recovery_location = "eastus2"
}

resource "azuredr_traffic_manager_profile" "test" {
  site_id       = azuredr_site.test.id
  name          = "tm-cms"
  relative_name = %[1]q
  ttl           = %[6]d
  enabled       = %[5]t

  monitor {
    protocol            = "HTTP"
    port                = %[2]d
    path                = "/healthz"
    interval_in_seconds = 10
    timeout_in_seconds  = 5
    tolerated_failures  = 1
  }

  endpoint {
    name     = "cms-centralus"
    type     = "external"
    target   = %[3]q
    location = "centralus"
    priority = 1
    role     = "primary"
  }

  endpoint {
    name     = "cms-eastus2"
    type     = "external"
    target   = %[4]q
    location = "eastus2"
    priority = 2
    role     = "recovery"
  }
}

data "azuredr_dns_answer" "now" {
  name       = azuredr_traffic_manager_profile.test.fqdn
  nameserver = %[7]q
  profile_id = azuredr_traffic_manager_profile.test.id
}
`, name, web[0].Port, web[0].Addr, web[1].Addr, enabled, ttl, acctest.Emulator(t).DNSAddr())
}

// The answer is the primary while it is healthy, moves to the recovery
// endpoint when the primary fails its probes, and comes back; a disabled
// profile answers NXDOMAIN.
func TestAccTrafficManagerProfile_failover(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.GeoDNSReason)
	name := acctest.RandomName("tm")
	web := acctest.WebServers(t, 2)
	answer := func(role, endpoint string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("rcode"), knownvalue.StringExact("NOERROR")),
			statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("matched_role"), knownvalue.StringExact(role)),
			statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("matched_endpoint"), knownvalue.StringExact(endpoint)),
		}
	}
	profileID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr/providers/Microsoft.Network/trafficManagerProfiles/tm-cms", acctest.SubscriptionID, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// The profile, then the site it lives in.
		CheckDestroy: acctest.CheckDestroy(t, append([]acctest.Gone{acctest.IDGone(profileID)}, acctest.SiteGone(name)...)...),
		Steps: []resource.TestStep{
			{
				Config: profileConfig(t, name, web, true, 30),
				ConfigStateChecks: append(answer("primary", "cms-centralus"),
					statecheck.ExpectKnownValue(tmAddr, tfjsonpath.New("fqdn"), knownvalue.StringExact(name+".trafficmanager.net")),
					statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("answers"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(web[0].Addr)})),
					statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(30)),
				),
			},
			{ResourceName: tmAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts", "endpoint.0.monitor_status", "endpoint.1.monitor_status"}},
			{
				PreConfig: func() {
					web[0].SetHealthy(false)
					waitForMonitorStatus(t, name, "cms-centralus", "Degraded")
				},
				Config:            profileConfig(t, name, web, true, 30),
				ConfigStateChecks: answer("recovery", "cms-eastus2"),
			},
			{
				PreConfig: func() {
					web[0].SetHealthy(true)
					waitForMonitorStatus(t, name, "cms-centralus", "Online")
				},
				Config:            profileConfig(t, name, web, true, 30),
				ConfigStateChecks: answer("primary", "cms-centralus"),
			},
			{
				Config: profileConfig(t, name, web, false, 60),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tmAddr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("rcode"), knownvalue.StringExact("NXDOMAIN")),
					statecheck.ExpectKnownValue(answerAddr, tfjsonpath.New("matched_role"), knownvalue.StringExact("")),
				},
			},
			{
				// Deleted behind Terraform's back: recreated.
				PreConfig: func() {
					rid, _ := arm.ParseResourceID(profileID)
					if _, err := acctest.Client(t).TrafficManagerProfiles().Delete(context.Background(), rid.ResourceGroupName, rid.Name, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: profileConfig(t, name, web, false, 60),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(tmAddr, plancheck.ResourceActionCreate)}},
			},
		},
	})
}

// waitForMonitorStatus polls the endpoint until Traffic Manager reports the
// status (the emulator probes for real), failing after a generous deadline.
func waitForMonitorStatus(t *testing.T, site, endpoint, want string) {
	t.Helper()
	c := acctest.Client(t).TrafficManagerEndpoints()
	deadline := time.Now().Add(60 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		ep, err := c.Get(context.Background(), site+"-dr", "tm-cms", armtrafficmanager.EndpointTypeExternalEndpoints, endpoint, nil)
		if err == nil && ep.Properties != nil && ep.Properties.EndpointMonitorStatus != nil {
			if got = string(*ep.Properties.EndpointMonitorStatus); got == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("endpoint %s never became %s (last %q)", endpoint, want, got)
}
