package site

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

func TestObservedApproversKeepStateOrderAndShowDrift(t *testing.T) {
	// Real keys: 32 bytes that are no curve point are not a key (and
	// approve nothing), see approval.ParsePublicKey.
	k1, k2 := genKey(t), genKey(t)
	prev := []approverModel{
		{Name: types.StringValue("zoe"), PublicKey: types.StringValue(k1)},
		{Name: types.StringValue("adam"), PublicKey: types.StringValue(k1)},
		{Name: types.StringValue("gone"), PublicKey: types.StringValue(k1)},
	}
	tags := map[string]string{
		tagSite:                    "s",
		"app":                      "cms",
		tagApproverPrefix + "adam": k2,          // key changed behind Terraform's back
		tagApproverPrefix + "zoe":  k1,          //
		tagApproverPrefix + "mia":  "not a key", // added behind Terraform's back, bad key
		tagApproverPrefix + "bea":  k1,          // added behind Terraform's back
	}
	got := observedApprovers(prev, tags)
	var names, keys []string
	for _, e := range got.Elements() {
		o, _ := e.(types.Object)
		names = append(names, o.Attributes()["name"].(types.String).ValueString())
		keys = append(keys, o.Attributes()["public_key"].(types.String).ValueString())
	}
	if strings.Join(names, ",") != "zoe,adam,bea,mia" {
		t.Fatalf("names %v: want state order, then new ones by name", names)
	}
	if keys[1] != k2 || keys[3] != "not a key" {
		t.Fatalf("keys %v must be what Azure holds", keys)
	}

	// Find hands out only approvers whose key parses, by name.
	aps := approversOf(tags)
	if len(aps) != 3 || aps[0].Name != "adam" || aps[1].Name != "bea" || aps[2].Name != "zoe" {
		t.Fatalf("approversOf = %v", aps)
	}
}

func genKey(t *testing.T) string {
	pub, _, err := approval.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return approval.FormatPublicKey(pub)
}
