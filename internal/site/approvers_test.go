package site_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

type testApprover struct {
	name string
	priv ed25519.PrivateKey
	key  string // ed25519:...
}

func newApprover(t *testing.T, name string) testApprover {
	pub, priv, err := approval.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return testApprover{name: name, priv: priv, key: approval.FormatPublicKey(pub)}
}

func approverSiteConfig(t *testing.T, name, tags string, approvers ...testApprover) string {
	var blocks strings.Builder
	for _, a := range approvers {
		fmt.Fprintf(&blocks, "\n  approver {\n    name       = %q\n    public_key = %q\n  }\n", a.name, a.key)
	}
	return acctest.ProviderConfig(t) + fmt.Sprintf(`
resource "azuredr_site" "test" {
  name              = %q
  primary_location  = "centralus"
  recovery_location = "eastus2"
  tags              = {%s}
%s}
`, name, tags, blocks.String())
}

func approversAre(approvers ...testApprover) statecheck.StateCheck {
	elems := make([]knownvalue.Check, len(approvers))
	for i, a := range approvers {
		elems[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"name":       knownvalue.StringExact(a.name),
			"public_key": knownvalue.StringExact(a.key),
		})
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("approver"), knownvalue.ListExact(elems))
}

// checkApproverTags checks the recovery group's approver tags are exactly
// these, and that the test group has none.
func checkApproverTags(t *testing.T, name string, approvers ...testApprover) resource.TestCheckFunc {
	return func(*terraform.State) error {
		want := map[string]string{}
		for _, a := range approvers {
			want["azuredr-approver-"+a.name] = a.key
		}
		got := approverTagsOf(t, name+"-dr")
		if len(got) != len(want) {
			return fmt.Errorf("%s-dr approver tags %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				return fmt.Errorf("%s-dr tag %s = %q, want %q", name, k, got[k], v)
			}
		}
		if drill := approverTagsOf(t, name+"-drill"); len(drill) != 0 {
			return fmt.Errorf("the test-failover group must carry no approvers, has %v", drill)
		}
		return nil
	}
}

func approverTagsOf(t *testing.T, group string) map[string]string {
	g, err := acctest.Client(t).ResourceGroups().Get(context.Background(), group, nil)
	if err != nil {
		t.Fatalf("resource group %s: %v", group, err)
	}
	out := map[string]string{}
	for k, v := range g.Tags {
		if strings.HasPrefix(k, "azuredr-approver-") && v != nil {
			out[k] = *v
		}
	}
	return out
}

// checkFindVerifies checks that site.Find returns the approvers and that an
// approval signed by signer verifies against them, as the failover resource
// will check it.
func checkFindVerifies(t *testing.T, name string, signer testApprover, approvers ...testApprover) resource.TestCheckFunc {
	return func(*terraform.State) error {
		id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr", acctest.SubscriptionID, name)
		in, err := site.Find(context.Background(), acctest.Client(t), id)
		if err != nil {
			return err
		}
		if len(in.Approvers) != len(approvers) {
			return fmt.Errorf("site.Find returned %d approvers, want %d", len(in.Approvers), len(approvers))
		}
		for i, a := range approvers { // by name
			if in.Approvers[i].Name != a.name || approval.FormatPublicKey(in.Approvers[i].PublicKey) != a.key {
				return fmt.Errorf("site.Find approver %d = %s %s, want %s %s", i, in.Approvers[i].Name,
					approval.FormatPublicKey(in.Approvers[i].PublicKey), a.name, a.key)
			}
		}
		plan := in.VaultID + "/replicationRecoveryPlans/web"
		at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC) // a fixed clock, not the wall clock
		token, err := approval.Sign(signer.priv, approval.Approval{PlanID: plan, Action: approval.Failover, Expires: at.Add(time.Hour), Approver: signer.name})
		if err != nil {
			return err
		}
		_, err = approval.Verify(token, in.Approvers, approval.Want{PlanID: plan, Action: approval.Failover}, at)
		return err
	}
}

// checkRefused turns a check that must fail with want into one that passes.
func checkRefused(check resource.TestCheckFunc, want error) resource.TestCheckFunc {
	return func(st *terraform.State) error {
		err := check(st)
		if !errors.Is(err, want) {
			return fmt.Errorf("got %v, want an error wrapping %q", err, want)
		}
		return nil
	}
}

func TestAccSiteApprovers_basic(t *testing.T) {
	name := acctest.RandomName("site")
	rgID := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-dr", acctest.SubscriptionID, name)
	alice, bob := newApprover(t, "alice"), newApprover(t, "bob")
	bob2, carol := newApprover(t, "bob"), newApprover(t, "carol@contoso.com")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{
				Config:            approverSiteConfig(t, name, `app = "cms"`, alice, bob),
				ConfigStateChecks: []statecheck.StateCheck{approversAre(alice, bob)},
				Check: resource.ComposeTestCheckFunc(
					checkApproverTags(t, name, alice, bob),
					checkGroup(t, name+"-dr", "eastus2", map[string]string{"app": "cms", "azuredr-site": name}),
					checkFindVerifies(t, name, bob, alice, bob),
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
				// Bob's key rotated, alice leaves, carol joins: in place.
				Config: approverSiteConfig(t, name, `app = "cms"`, bob2, carol),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					approversAre(bob2, carol),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(rgID)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkApproverTags(t, name, bob2, carol),
					checkFindVerifies(t, name, carol, bob2, carol),
					// Bob's old key and alice approve nothing any more.
					checkRefused(checkFindVerifies(t, name, bob, bob2, carol), approval.ErrBadSignature),
					checkRefused(checkFindVerifies(t, name, alice, bob2, carol), approval.ErrUnknownApprover),
				),
			},
			{
				Config:            approverSiteConfig(t, name, `app = "cms"`),
				ConfigStateChecks: []statecheck.StateCheck{approversAre()},
				Check: resource.ComposeTestCheckFunc(
					checkApproverTags(t, name),
					checkRefused(checkFindVerifies(t, name, carol), approval.ErrNoApprovers),
				),
			},
		},
	})
}

// Approver tags changed behind Terraform's back (a key swapped, an approver
// smuggled in, one removed) show in the plan, and the apply restores them.
func TestAccSiteApprovers_drift(t *testing.T) {
	name := acctest.RandomName("site")
	alice, bob, mallory := newApprover(t, "alice"), newApprover(t, "bob"), newApprover(t, "mallory")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsGone(t, name+"-dr", name+"-drill"),
		Steps: []resource.TestStep{
			{Config: approverSiteConfig(t, name, "", alice, bob)},
			{
				PreConfig: func() {
					editTags(t, name+"-dr", func(tags map[string]string) {
						tags["azuredr-approver-alice"] = mallory.key
						tags["azuredr-approver-mallory"] = mallory.key
						delete(tags, "azuredr-approver-bob")
					})
				},
				Config: approverSiteConfig(t, name, "", alice, bob),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{approversAre(alice, bob)},
				Check:             checkApproverTags(t, name, alice, bob),
			},
			{
				// Before the apply above, Find would have handed mallory's
				// key to a failover; a refresh-only plan shows the tampering.
				PreConfig: func() {
					editTags(t, name+"-dr", func(tags map[string]string) { tags["azuredr-approver-alice"] = mallory.key })
				},
				Config:             approverSiteConfig(t, name, "", alice, bob),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Invalid approvers are refused at plan time, naming the attribute, and
// nothing is created.
func TestAccBadInput_SiteApprovers(t *testing.T) {
	acctest.EmulatorOnly(t, acctest.BadInputReason)
	good := newApprover(t, "alice").key
	manyTags := make([]string, 0, 45)
	for i := range 45 {
		manyTags = append(manyTags, fmt.Sprintf("t%d = \"v\"", i))
	}
	cases := map[string]struct {
		tags      string
		approvers []testApprover
		want      string
	}{
		"bad key": {"", []testApprover{{name: "alice", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"}},
			`(?s)Invalid approver public key.*public_key = "ssh-ed25519 .*does not start with "ed25519:".*go run\s+./cmd/azuredr-approve\s+keygen`},
		"short key": {"", []testApprover{{name: "alice", key: good}, {name: "bob", key: "ed25519:AAAA"}},
			`(?s)Invalid approver public key.*public_key = "ed25519:AAAA".*has 3 bytes.*azuredr-approve\s+keygen`},
		// y = 2 has no x on the curve (approval's tests search for such y).
		"off-curve key": {"", []testApprover{{name: "alice", key: "ed25519:AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}},
			`(?s)Invalid approver public key.*public_key = "ed25519:AgAA.*not a\s+point\s+on\s+the\s+Ed25519\s+curve.*azuredr-approve\s+keygen`},
		"duplicate name": {"", []testApprover{{name: "alice", key: good}, {name: "Alice", key: good}},
			`(?s)Duplicate approver name.*name\s+= "Alice".*approver 0 and approver 1 are both named "Alice"`},
		"bad name": {"", []testApprover{{name: "alice/bob", key: good}},
			`(?s)Invalid approver name.*name\s+= "alice/bob".*must be 1-64 letters`},
		"too many tags": {strings.Join(manyTags, ", "), []testApprover{{name: "alice", key: good}, {name: "bob", key: good}},
			`(?s)Too many tags on the recovery resource group.*45 tags, 2 approvers.*make 51 tags.*Remove tags or\s+approvers`},
	}
	attrs := map[string]string{
		"bad key":        `public_key`,
		"short key":      `public_key`,
		"off-curve key":  `public_key`,
		"duplicate name": `name`,
		"bad name":       `name`,
		"too many tags":  `tags`,
	}
	suite := acctest.BadInputSuite{Creates: []string{"ResourceGroups_CreateOrUpdate", "Vaults_CreateOrUpdate"}}
	for tc, c := range cases {
		name := acctest.RandomName("site")
		suite.Cases = append(suite.Cases, acctest.BadInput{Name: tc, Attribute: attrs[tc], Want: c.want,
			Config: approverSiteConfig(t, name, c.tags, c.approvers...)})
	}
	sort.Slice(suite.Cases, func(i, j int) bool { return suite.Cases[i].Name < suite.Cases[j].Name })
	suite.Run(t)
}

// editTags changes a group's tags behind Terraform's back.
func editTags(t *testing.T, group string, edit func(map[string]string)) {
	ctx := context.Background()
	c := acctest.Client(t)
	g, err := c.ResourceGroups().Get(ctx, group, nil)
	if err != nil {
		t.Fatalf("resource group %s: %v", group, err)
	}
	tags := map[string]string{}
	for k, v := range g.Tags {
		if v != nil {
			tags[k] = *v
		}
	}
	edit(tags)
	body := armresources.ResourceGroupPatchable{Tags: map[string]*string{}}
	for k, v := range tags {
		body.Tags[k] = &v
	}
	if _, err := c.ResourceGroups().Update(ctx, group, body, nil); err != nil {
		t.Fatalf("tagging %s behind Terraform's back: %v", group, err)
	}
}
