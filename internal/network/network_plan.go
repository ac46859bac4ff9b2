package network

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan shows in the plan what follows from the configuration and from
// the production network as last read: default names, the mirror's subnets
// when production gained or lost one, and the isolation an apply restores.
func (r *networkResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan networkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Defaults only for names left out of the configuration: a configured
	// name unknown at plan stays unknown, or Terraform refuses the plan.
	var config networkModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.PrimaryNetworkID.IsUnknown() {
		if id, err := arm.ParseResourceID(plan.PrimaryNetworkID.ValueString()); err == nil {
			if plan.RecoveryNetworkName.IsUnknown() && config.RecoveryNetworkName.IsNull() {
				plan.RecoveryNetworkName = types.StringValue(id.Name + "-dr")
			}
			if plan.TestNetworkName.IsUnknown() && config.TestNetworkName.IsNull() {
				plan.TestNetworkName = types.StringValue(id.Name + "-drill")
			}
		}
	}
	plan.TestNetworkIsolated = types.BoolValue(true)

	if !req.State.Raw.IsNull() {
		var state networkModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		plan.Subnets = plannedSubnets(ctx, state, plan, &resp.Diagnostics)
		// A mapping Read found missing ("") is recreated by the apply.
		if state.FailoverMappingID.ValueString() == "" {
			plan.FailoverMappingID = types.StringUnknown()
		}
		if state.FailbackMappingID.ValueString() == "" {
			plan.FailbackMappingID = types.StringUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// plannedSubnets is the mirror the next apply makes: the refreshed
// production subnets, placed in the recovery address space. Subnets that stay
// keep their ids; new ones are known after apply.
func plannedSubnets(ctx context.Context, state, plan networkModel, diags *diag.Diagnostics) types.Map {
	primary := map[string]string{}
	diags.Append(state.PrimarySubnets.ElementsAs(ctx, &primary, false)...)
	specs := make([]subnetSpec, 0, len(primary))
	for n, p := range primary {
		specs = append(specs, subnetSpec{Name: n, Prefix: p})
	}
	var override, primarySpace []string
	if !fullyKnown(ctx, plan.RecoveryAddressSpace) {
		// An element unknown (a variable, another resource's output): the
		// mirror is known after apply.
		return types.MapUnknown(types.ObjectType{AttrTypes: subnetAttrTypes})
	}
	if !plan.RecoveryAddressSpace.IsNull() {
		diags.Append(plan.RecoveryAddressSpace.ElementsAs(ctx, &override, false)...)
		diags.Append(state.PrimaryAddressSpace.ElementsAs(ctx, &primarySpace, false)...)
	}
	wanted, err := mirrorSubnets(primarySpace, override, specs, false)
	if err != nil || len(override) > 0 && len(primarySpace) == 0 {
		return types.MapUnknown(types.ObjectType{AttrTypes: subnetAttrTypes})
	}
	current := map[string]subnetEntry{}
	diags.Append(state.Subnets.ElementsAs(ctx, &current, false)...)
	out := map[string]subnetEntry{}
	for _, s := range wanted {
		e, ok := current[s.Name]
		if !ok || e.AddressPrefix.ValueString() != s.Prefix {
			e = subnetEntry{AddressPrefix: types.StringValue(s.Prefix), PrimaryID: types.StringUnknown(),
				RecoveryID: types.StringUnknown(), TestID: types.StringUnknown()}
		}
		out[s.Name] = e
	}
	v, d := types.MapValueFrom(ctx, types.ObjectType{AttrTypes: subnetAttrTypes}, out)
	diags.Append(d...)
	return v
}

// fullyKnown reports whether v and everything in it is known.
func fullyKnown(ctx context.Context, v attr.Value) bool {
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}
