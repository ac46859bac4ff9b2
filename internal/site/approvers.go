package site

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
)

// The site's approvers: the pre-appointed people whose signed approval a
// real failover of the site's recovery plans needs (internal/approval).
// They live as tags on the recovery resource group, one per approver, so that
// site.Find (lookup.go) hands them to the failover resource and import and
// drift detection see them like the rest of the site.

// An approver's tag (tagApproverPrefix) is "azuredr-approver-<name>" =
// "ed25519:<base64>". A name is at most 64 characters and a key 52, well
// within Azure's 512 and 256.

// managedRecoveryTags is how many tags the site itself keeps on the recovery
// group (tags.go) besides the approvers'.
const managedRecoveryTags = 4

// maxTags is Azure's limit of tags on a resource group.
const maxTags = 50

const keygenHint = "Make a key pair with `go run ./cmd/azuredr-approve keygen -name NAME -out NAME.key` " +
	"(the approver keeps the key file) and paste the public_key line it prints."

type approverModel struct {
	Name      types.String `tfsdk:"name"`
	PublicKey types.String `tfsdk:"public_key"`
}

var approverType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name":       types.StringType,
	"public_key": types.StringType,
}}

func approverBlock() schema.ListNestedBlock {
	return schema.ListNestedBlock{
		MarkdownDescription: "A pre-appointed approver: one of the people who may authorise a real failover (failover, commit, re-protect, failback) of this site's recovery plans, by signing an approval with `azuredr-approve sign`. " +
			"Test failovers need no approval. Without approver blocks no real failover can be approved. " +
			"Each approver is kept as a tag `azuredr-approver-<name>` on the recovery resource group, which counts towards Azure's 50 tags together with `tags`. " +
			"Changes apply in place; an import lists the approvers by name.",
		Validators: []validator.List{listvalidator.SizeAtMost(maxTags - managedRecoveryTags)},
		NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{Required: true,
					Validators:          []validator.String{approverNameValidator{}},
					MarkdownDescription: "The approver's name, unique in the site (ignoring case): 1-64 letters, digits, `.`, `_`, `@` and `-`, starting with a letter or digit, e.g. `cio@contoso.com`. It must be the name the key was made with (`azuredr-approve keygen -name`): approvals carry it."},
				"public_key": schema.StringAttribute{Required: true,
					Validators:          []validator.String{publicKeyValidator{}},
					MarkdownDescription: "The approver's Ed25519 public key, `ed25519:` followed by its standard base64 encoding, as printed by `go run ./cmd/azuredr-approve keygen -name NAME -out NAME.key`. The private key never leaves the approver."},
			},
		},
	}
}

type approverNameValidator struct{}

func (approverNameValidator) Description(context.Context) string {
	return "1-64 letters, digits, '.', '_', '@' and '-', starting with a letter or digit"
}
func (v approverNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (approverNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := approval.ValidateName(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid approver name", err.Error()+".")
	}
}

type publicKeyValidator struct{}

func (publicKeyValidator) Description(context.Context) string {
	return "must be an Ed25519 public key: ed25519:<base64>"
}
func (v publicKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (publicKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := approval.ParsePublicKey(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid approver public key", err.Error()+". "+keygenHint)
	}
}

// approversFrom reads the approver blocks. Unknown elements (a dynamic
// block over values known after apply) are left out: converting them into
// approverModel would fail.
func approversFrom(ctx context.Context, v types.List, diags *diag.Diagnostics) []approverModel {
	var out []approverModel
	if v.IsNull() || v.IsUnknown() {
		return out
	}
	for _, e := range v.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsUnknown() || o.IsNull() {
			continue
		}
		var a approverModel
		diags.Append(o.As(ctx, &a, basetypes.ObjectAsOptions{})...)
		out = append(out, a)
	}
	return out
}

// validateApprovers checks what spans approvers: unique names (Azure tag
// names ignore case) and the group's tag budget.
func validateApprovers(ctx context.Context, m siteModel, diags *diag.Diagnostics) {
	aps := approversFrom(ctx, m.Approvers, diags)
	seen := map[string]int{}
	for i, a := range aps {
		if a.Name.IsUnknown() || a.Name.IsNull() {
			continue
		}
		key := strings.ToLower(a.Name.ValueString())
		if j, dup := seen[key]; dup {
			diags.AddAttributeError(path.Root("approver").AtListIndex(i).AtName("name"), "Duplicate approver name",
				fmt.Sprintf("approver %d and approver %d are both named %q (names are compared ignoring case). Give each approver one block.", j, i, a.Name.ValueString()))
			continue
		}
		seen[key] = i
	}
	if m.Tags.IsUnknown() || m.Approvers.IsUnknown() {
		return
	}
	// Counted by elements: an approver whose values are unknown is a tag all the same.
	nAps := len(m.Approvers.Elements())
	if n := len(m.Tags.Elements()) + nAps + managedRecoveryTags; n > maxTags {
		diags.AddAttributeError(path.Root("approver"), "Too many tags on the recovery resource group",
			fmt.Sprintf("%d tags, %d approvers and the site's %d own tags make %d tags on the recovery resource group; Azure allows %d. Remove tags or approvers.",
				len(m.Tags.Elements()), nAps, managedRecoveryTags, n, maxTags))
	}
}

// approverTags are the recovery group's approver tags.
func approverTags(aps []approverModel) map[string]string {
	out := make(map[string]string, len(aps))
	for _, a := range aps {
		out[tagApproverPrefix+a.Name.ValueString()] = a.PublicKey.ValueString()
	}
	return out
}

// observedApprovers rebuilds the approver blocks from the recovery group's
// tags: those in previous (state) keep their order, with the key found in
// Azure; approvers added outside Terraform (or all of them, on import)
// follow by name. A key changed, an approver added or removed behind
// Terraform's back thus shows in the next plan.
func observedApprovers(previous []approverModel, tags map[string]string) types.List {
	found := map[string]approverModel{} // by lower-case name
	for k, v := range tags {
		if len(k) <= len(tagApproverPrefix) || !strings.EqualFold(k[:len(tagApproverPrefix)], tagApproverPrefix) {
			continue
		}
		name := k[len(tagApproverPrefix):]
		found[strings.ToLower(name)] = approverModel{Name: types.StringValue(name), PublicKey: types.StringValue(v)}
	}
	out := make([]attr.Value, 0, len(found))
	add := func(a approverModel) {
		out = append(out, types.ObjectValueMust(approverType.AttrTypes, map[string]attr.Value{"name": a.Name, "public_key": a.PublicKey}))
	}
	for _, p := range previous {
		key := strings.ToLower(p.Name.ValueString())
		if a, ok := found[key]; ok {
			add(a)
			delete(found, key)
		}
	}
	rest := make([]string, 0, len(found))
	for k := range found {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(found[k])
	}
	return types.ListValueMust(approverType, out)
}

// approversOf are the valid approvers among a group's tags, by name. A tag
// whose key does not parse approves nothing.
func approversOf(tags map[string]string) []approval.Approver {
	var out []approval.Approver
	for k, v := range tags {
		if len(k) <= len(tagApproverPrefix) || !strings.EqualFold(k[:len(tagApproverPrefix)], tagApproverPrefix) {
			continue
		}
		name := k[len(tagApproverPrefix):]
		pub, err := approval.ParsePublicKey(v)
		if err != nil || approval.ValidateName(name) != nil {
			continue
		}
		out = append(out, approval.Approver{Name: name, PublicKey: pub})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// recoveryTags are the recovery group's tags: the user's, the site's own and
// one per approver.
func recoveryTags(ctx context.Context, user map[string]string, m siteModel, diags *diag.Diagnostics) map[string]string {
	out := groupTags(user, m, roleRecovery)
	for k, v := range approverTags(approversFrom(ctx, m.Approvers, diags)) {
		out[k] = v
	}
	return out
}
