package site_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

const addr = "azuredr_site.test"

func siteConfig(t *testing.T, name, tags string) string {
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
  tags              = {%s}
}
`, name, tags)
}

func TestAccSite_basic(t *testing.T) {
	name := acctest.RandomName("site")
	rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr", acctest.SubscriptionID, name)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{
				Config: siteConfig(t, name, `app = "cms"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(rgID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("recovery_resource_group_id"), knownvalue.StringExact(rgID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("test_resource_group_id"),
						knownvalue.StringExact(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-drill", acctest.SubscriptionID, name))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("paired_location"), knownvalue.StringExact("eastus2")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"app": knownvalue.StringExact("cms")})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkGroup(t, name+"-dr", "eastus2", map[string]string{"app": "cms", "azuredr-site": name, "azuredr-role": "recovery"}),
					checkGroup(t, name+"-drill", "eastus2", map[string]string{"app": "cms", "azuredr-site": name, "azuredr-role": "test-failover"}),
				),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           rgID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config: siteConfig(t, name, `app = "cms", owner = "dr-team"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					checkGroup(t, name+"-dr", "eastus2", map[string]string{"app": "cms", "owner": "dr-team"}),
					checkGroup(t, name+"-drill", "eastus2", map[string]string{"app": "cms", "owner": "dr-team"}),
				),
			},
		},
	})
}

// A resource group deleted behind Terraform's back: the plan recreates the site.
func TestAccSite_disappears(t *testing.T) {
	name := acctest.RandomName("site")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{Config: siteConfig(t, name, "")},
			{
				PreConfig: func() { deleteGroup(t, name+"-dr") },
				Config:    siteConfig(t, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkGroup(t, name+"-dr", "eastus2", map[string]string{"azuredr-site": name}),
			},
			{
				PreConfig: func() { deleteGroup(t, name+"-drill") },
				Config:    siteConfig(t, name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkGroup(t, name+"-drill", "eastus2", map[string]string{"azuredr-site": name}),
			},
		},
	})
}

// A tag changed on one group behind Terraform's back shows as an update.
func TestAccSite_tagDrift(t *testing.T) {
	name := acctest.RandomName("site")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{Config: siteConfig(t, name, `app = "cms"`)},
			{
				PreConfig: func() {
					setTags(t, name+"-drill", map[string]string{"app": "tampered", "azuredr-site": name, "azuredr-role": "test-failover"})
				},
				Config: siteConfig(t, name, `app = "cms"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: checkGroup(t, name+"-drill", "eastus2", map[string]string{"app": "cms", "azuredr-primary-location": "centralus"}),
			},
		},
	})
}

// A group of the same name that the site does not own is never adopted, and
// the failed create leaves nothing behind.
func TestAccSite_refusesForeignGroup(t *testing.T) {
	name := acctest.RandomName("site")
	client := acctest.Client(t)
	loc := "eastus2"
	if _, err := client.ResourceGroups().CreateOrUpdate(context.Background(), name+"-drill", armresources.ResourceGroup{Location: &loc}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteGroup(t, name+"-drill") })
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      siteConfig(t, name, ""),
				ExpectError: regexp.MustCompile(`(?s)Cannot create the test-failover resource group.*not managed by this site.*test_resource_group_name`),
			},
		},
	})
	// The recovery group made before the failure was rolled back.
	if err := checkGroupsGone(t, name+"-dr")(nil); err != nil {
		t.Fatal(err)
	}
}

func TestAccBadInput_Site(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	cases := map[string]struct {
		body string
		want string
	}{
		"same region": {`name = "x"
  primary_location = "centralus"
  recovery_location = "centralus"`, `(?s)Recovery region equals primary region.*recovery_location`},
		// ARM ignores case and spaces: "Central US" and "centralus" are one region.
		"same region spelled twice": {`name = "x"
  primary_location = "Central US"
  recovery_location = "centralus"`, `(?s)Recovery region equals primary region.*recovery_location = "centralus".*same region as\s+primary_location`},
		"unknown region": {`name = "x"
  primary_location = "centralus"
  recovery_location = "atlantis"`, `(?s)Unknown Azure region.*recovery_location = "atlantis".*not an Azure region`},
		"cross cloud": {`name = "x"
  primary_location = "centralus"
  recovery_location = "chinaeast"`, `(?s)Recovery region in another cloud.*recovery_location`},
		"bad name": {`name = "-cms-"
  primary_location = "centralus"
  recovery_location = "eastus"`, `(?s)Invalid Attribute Value Match.*name`},
		"bad group name": {`name = "cms"
  recovery_resource_group_name = "rg."
  primary_location = "centralus"
  recovery_location = "eastus"`, `(?s)Invalid resource group name.*recovery_resource_group_name`},
		"same groups": {`name = "cms"
  recovery_resource_group_name = "rg-a"
  test_resource_group_name = "RG-A"
  primary_location = "centralus"
  recovery_location = "eastus"`, `(?s)Test group equals recovery group.*test_resource_group_name`},
		"reserved tag": {`name = "cms"
  primary_location = "centralus"
  recovery_location = "eastus"
  tags = { "azuredr-site" = "other" }`, `(?s)Reserved tag key.*tags`},
		"bad timeout": {`name = "cms"
  primary_location = "centralus"
  recovery_location = "eastus"
  timeouts { create = "soon" }`, `(?s)Invalid Attribute Value Time Duration.*timeouts.*"soon" must be a string`},
	}
	attrs := map[string]string{
		"same region":               `recovery_location`,
		"same region spelled twice": `recovery_location`,
		"unknown region":            `recovery_location`,
		"cross cloud":               `recovery_location`,
		"bad name":                  `name`,
		"bad group name":            `recovery_resource_group_name`,
		"same groups":               `test_resource_group_name`,
		"reserved tag":              `tags`,
		"bad timeout":               `timeouts`,
	}
	suite := acctest.BadInputSuite{Creates: []string{"ResourceGroups_CreateOrUpdate", "Vaults_CreateOrUpdate"}}
	for name, tc := range cases {
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: name, Attribute: attrs[name], Want: tc.want,
			Config: acctest.ProviderConfig(t) + "resource \"azuredr_site\" \"test\" {\n  " + tc.body + "\n}\n"})
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}

func TestAccSite_importRejectsOtherIDs(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        siteConfig(t, "imp", ""),
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: "/subscriptions/" + acctest.SubscriptionID + "/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/v",
			ExpectError:   regexp.MustCompile(`(?s)Invalid import id.*not a resource group id`),
		}},
	})
}

func checkGroup(t *testing.T, name, location string, tags map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, err := acctest.Client(t).ResourceGroups().Get(context.Background(), name, nil)
		if err != nil {
			return fmt.Errorf("resource group %s: %w", name, err)
		}
		if *g.Location != location {
			return fmt.Errorf("resource group %s is in %s, want %s", name, *g.Location, location)
		}
		for k, v := range tags {
			if got := g.Tags[k]; got == nil || *got != v {
				return fmt.Errorf("resource group %s: tag %s = %v, want %q", name, k, got, v)
			}
		}
		return nil
	}
}

func checkGroupsGone(t *testing.T, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, n := range names {
			resp, err := acctest.Client(t).ResourceGroups().CheckExistence(context.Background(), n, nil)
			if err != nil {
				return err
			}
			if resp.Success {
				return fmt.Errorf("resource group %s still exists", n)
			}
		}
		return nil
	}
}

func deleteGroup(t *testing.T, name string) {
	ctx := context.Background()
	p, err := acctest.Client(t).ResourceGroups().BeginDelete(ctx, name, nil)
	if err != nil {
		t.Fatalf("deleting %s behind Terraform's back: %v", name, err)
	}
	if _, err := p.PollUntilDone(ctx, nil); err != nil {
		t.Fatalf("deleting %s behind Terraform's back: %v", name, err)
	}
}

func setTags(t *testing.T, name string, tags map[string]string) {
	body := armresources.ResourceGroupPatchable{Tags: map[string]*string{}}
	for k, v := range tags {
		body.Tags[k] = &v
	}
	if _, err := acctest.Client(t).ResourceGroups().Update(context.Background(), name, body, nil); err != nil {
		t.Fatalf("tagging %s behind Terraform's back: %v", name, err)
	}
}
