package site

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// ValidateConfig checks what spans attributes; single-attribute rules are
// validators in the schema.
func (r *siteResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m siteModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	primary, recovery := m.PrimaryLocation, m.RecoveryLocation
	if !primary.IsUnknown() && !primary.IsNull() && !recovery.IsUnknown() && !recovery.IsNull() {
		p, pok := regions.Lookup(regions.Normalize(primary.ValueString()))
		rec, rok := regions.Lookup(regions.Normalize(recovery.ValueString()))
		switch {
		case regions.Same(primary.ValueString(), recovery.ValueString()):
			resp.Diagnostics.AddAttributeError(path.Root("recovery_location"), "Recovery region equals primary region",
				fmt.Sprintf("recovery_location %q is the same region as primary_location: a regional outage would take both down. Choose another region, ideally the primary's paired region%s.",
					recovery.ValueString(), pairHint(p)))
		case pok && rok && p.Cloud != rec.Cloud:
			resp.Diagnostics.AddAttributeError(path.Root("recovery_location"), "Recovery region in another cloud",
				fmt.Sprintf("%q is in the %s cloud and %q in the %s cloud; Site Recovery cannot replicate across clouds.", recovery.ValueString(), rec.Cloud, primary.ValueString(), p.Cloud))
		case pok && rok && p.Pair != "" && p.Pair != rec.Name:
			resp.Diagnostics.AddAttributeWarning(path.Root("recovery_location"), "Recovery region is not the paired region",
				fmt.Sprintf("%q is not the Azure paired region of %q (%q). That works, but paired regions get sequential platform updates and are recovered first in a wide outage.",
					recovery.ValueString(), primary.ValueString(), p.Pair))
		}
	}
	validateApprovers(ctx, m, &resp.Diagnostics)
	rg, tg := m.RecoveryResourceGroup, m.TestResourceGroupName
	if !rg.IsNull() && !rg.IsUnknown() && !tg.IsNull() && !tg.IsUnknown() && strings.EqualFold(rg.ValueString(), tg.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("test_resource_group_name"), "Test group equals recovery group",
			"test_resource_group_name must differ from recovery_resource_group_name: drills must never touch the recovery side.")
	}
}

func pairHint(r regions.Region) string {
	if r.Pair == "" {
		return ""
	}
	return fmt.Sprintf(" (%s)", r.Pair)
}

// ModifyPlan fills in what follows from the configuration, so the plan shows
// the real group names and paired region instead of "known after apply".
func (r *siteResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var m siteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Defaults only for names left out of the configuration: a configured
	// name unknown at plan (another resource's output) stays unknown, or
	// Terraform refuses the plan.
	var config siteModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Name.IsUnknown() {
		if m.RecoveryResourceGroup.IsUnknown() && config.RecoveryResourceGroup.IsNull() {
			m.RecoveryResourceGroup = types.StringValue(m.Name.ValueString() + "-dr")
		}
		if m.TestResourceGroupName.IsUnknown() && config.TestResourceGroupName.IsNull() {
			m.TestResourceGroupName = types.StringValue(m.Name.ValueString() + "-drill")
		}
	}
	if !m.PrimaryLocation.IsUnknown() {
		p, _ := regions.Lookup(regions.Normalize(m.PrimaryLocation.ValueString()))
		m.PairedLocation = types.StringValue(p.Pair)
	}
	r.planBackbone(&m)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
}

// planBackbone shows the backbone's ids in the plan, derived as Read derives
// them (Info, lookup.go). A part that Read found missing is "" in state, so
// the plan shows it changing to its id: that is the repair the next apply
// (Update, ensureBackbone) makes.
func (r *siteResource) planBackbone(m *siteModel) {
	known := func(v types.String) bool { return !v.IsUnknown() && !v.IsNull() }
	if r.client == nil || !known(m.Name) || !known(m.PrimaryLocation) || !known(m.RecoveryLocation) ||
		!known(m.RecoveryResourceGroup) || !known(m.TestResourceGroupName) {
		return // left unknown: known after apply
	}
	group := m.RecoveryResourceGroup.ValueString()
	in := newInfo("/subscriptions/"+r.client.SubscriptionID+"/resourceGroups/"+group, m.Name.ValueString(),
		m.PrimaryLocation.ValueString(), m.RecoveryLocation.ValueString(), group, m.TestResourceGroupName.ValueString())
	m.setBackbone(in, complete)
}
