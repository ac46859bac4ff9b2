package network

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

func (r *nsgResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m nsgModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Unknown (a variable, another resource's attribute) may still turn out
	// null: the either-or rule waits until both are known.
	bothKnown := !m.Rules.IsUnknown() && !m.SourceNetworkSecurityGroupID.IsUnknown()
	hasRules, hasSource := !m.Rules.IsNull(), !m.SourceNetworkSecurityGroupID.IsNull()
	switch {
	case !bothKnown:
	case hasRules && hasSource:
		resp.Diagnostics.AddAttributeError(path.Root("source_network_security_group_id"), "Rules given twice",
			"Set either rules (declared here) or source_network_security_group_id (mirrored from a production NSG), not both.")
	case !hasRules && !hasSource:
		resp.Diagnostics.AddAttributeError(path.Root("rules"), "No rules",
			"Declare rules, or set source_network_security_group_id to mirror an existing production NSG. An NSG without rules still has Azure's defaults; declare `rules = []` to mean that.")
	}
	if !m.SubnetNames.IsNull() && !m.SubnetNames.IsUnknown() {
		// Elements may be unknown (for_each values, module outputs): types.String.
		var names []types.String
		resp.Diagnostics.Append(m.SubnetNames.ElementsAs(ctx, &names, false)...)
		for _, n := range names {
			if !n.IsUnknown() && n.ValueString() == gatewaySubnetName {
				resp.Diagnostics.AddAttributeError(path.Root("subnet_names"), "GatewaySubnet cannot take an NSG",
					"Azure does not support a network security group on GatewaySubnet. Remove it from subnet_names.")
			}
		}
	}
	if m.Rules.IsUnknown() || m.Rules.IsNull() {
		return
	}
	names := map[string]int{}
	slots := map[string]int{}
	for i, rm := range knownRules(ctx, m.Rules, &resp.Diagnostics) {
		if rm == nil {
			continue // an unknown rule: checked when known
		}
		at := path.Root("rules").AtListIndex(i)
		if n := rm.Name; !n.IsUnknown() && !n.IsNull() {
			if j, dup := names[n.ValueString()]; dup {
				resp.Diagnostics.AddAttributeError(at.AtName("name"), "Duplicate rule name",
					fmt.Sprintf("rules[%d] and rules[%d] are both named %q; rule names must be unique.", j, i, n.ValueString()))
			}
			names[n.ValueString()] = i
		}
		if !rm.Priority.IsUnknown() && !rm.Direction.IsUnknown() && !rm.Priority.IsNull() && !rm.Direction.IsNull() {
			slot := fmt.Sprintf("%s/%d", rm.Direction.ValueString(), rm.Priority.ValueInt64())
			if j, dup := slots[slot]; dup {
				resp.Diagnostics.AddAttributeError(at.AtName("priority"), "Duplicate rule priority",
					fmt.Sprintf("rules[%d] and rules[%d] are both %s rules with priority %d; Azure refuses two rules with the same priority and direction. Give one another priority.",
						j, i, rm.Direction.ValueString(), rm.Priority.ValueInt64()))
			}
			slots[slot] = i
		}
		for _, l := range []struct {
			name  string
			value types.List
			check func(string) error
		}{{"source_address_prefixes", rm.SourceAddressPrefixes, checkAddressPrefix}, {"destination_address_prefixes", rm.DestinationAddressPrefixes, checkAddressPrefix},
			{"source_port_ranges", rm.SourcePortRanges, checkPortRange}, {"destination_port_ranges", rm.DestinationPortRanges, checkPortRange}} {
			if l.value.IsNull() || l.value.IsUnknown() {
				continue
			}
			var values []types.String
			resp.Diagnostics.Append(l.value.ElementsAs(ctx, &values, false)...)
			for k, v := range values {
				if v.IsUnknown() {
					continue
				}
				if err := l.check(v.ValueString()); err != nil {
					resp.Diagnostics.AddAttributeError(at.AtName(l.name).AtListIndex(k), "Invalid "+l.name, err.Error()+".")
				}
			}
		}
	}
}

// ModifyPlan: an apply makes every region match, so the plan shows the
// regions in sync and the findings that remain (Internet exposure only).
func (r *nsgResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan nsgModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.RegionsInSync = types.BoolValue(true)
	switch {
	case !plan.SourceNetworkSecurityGroupID.IsNull():
		// Mirroring: the findings follow the source NSG, known once read.
		var state nsgModel
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		}
		if state.RegionsInSync.ValueBool() {
			plan.Findings = state.Findings
		} else {
			plan.Findings = types.ListUnknown(types.StringType)
		}
	case plan.Rules.IsUnknown() || !allKnown(ctx, plan.Rules):
		plan.Findings = types.ListUnknown(types.StringType)
	default:
		plan.Findings = stringList(plannedFindings(rulesFromModel(ctx, plan.Rules, &resp.Diagnostics)))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// allKnown reports whether every rule is fully known at plan time.
func allKnown(ctx context.Context, rules types.List) bool { return fullyKnown(ctx, rules) }

// knownRules are the rules by index, nil where a whole rule is unknown (a
// list built from a variable or another resource): converting an unknown
// object into ruleModel would fail.
func knownRules(ctx context.Context, rules types.List, diags *diag.Diagnostics) []*ruleModel {
	out := make([]*ruleModel, len(rules.Elements()))
	for i, e := range rules.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsUnknown() || o.IsNull() {
			continue
		}
		var rm ruleModel
		diags.Append(o.As(ctx, &rm, basetypes.ObjectAsOptions{})...)
		out[i] = &rm
	}
	return out
}
