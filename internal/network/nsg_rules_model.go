package network

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Conversions between `rules` and the comparable rule type.

func rulesFromModel(ctx context.Context, v types.List, diags *diag.Diagnostics) []rule {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var models []ruleModel
	diags.Append(v.ElementsAs(ctx, &models, false)...)
	out := make([]rule, 0, len(models))
	for _, m := range models {
		r := rule{Name: m.Name.ValueString(), Priority: m.Priority.ValueInt64(), Direction: m.Direction.ValueString(),
			Access: m.Access.ValueString(), Protocol: m.Protocol.ValueString(), Description: m.Description.ValueString()}
		for _, l := range []struct {
			from types.List
			to   *[]string
		}{{m.SourceAddressPrefixes, &r.SourceAddressPrefixes}, {m.SourcePortRanges, &r.SourcePortRanges},
			{m.DestinationAddressPrefixes, &r.DestinationAddressPrefixes}, {m.DestinationPortRanges, &r.DestinationPortRanges}} {
			if !l.from.IsNull() && !l.from.IsUnknown() {
				diags.Append(l.from.ElementsAs(ctx, l.to, false)...)
			}
		}
		out = append(out, r.normalized())
	}
	return out
}

func rulesToModel(ctx context.Context, rules []rule, diags *diag.Diagnostics) types.List {
	models := make([]ruleModel, 0, len(rules))
	for _, r := range sortRules(rules) {
		models = append(models, ruleModel{
			Name: types.StringValue(r.Name), Priority: types.Int64Value(r.Priority), Direction: types.StringValue(r.Direction),
			Access: types.StringValue(r.Access), Protocol: types.StringValue(r.Protocol), Description: types.StringValue(r.Description),
			SourceAddressPrefixes: stringList(r.SourceAddressPrefixes), SourcePortRanges: stringList(r.SourcePortRanges),
			DestinationAddressPrefixes: stringList(r.DestinationAddressPrefixes), DestinationPortRanges: stringList(r.DestinationPortRanges),
		})
	}
	v, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: ruleAttrTypes}, models)
	diags.Append(d...)
	return v
}

// plannedFindings are the findings once an apply has made every region equal
// to rules: only Internet exposure, region by region.
func plannedFindings(rules []rule) []string {
	out := []string{}
	for _, region := range []string{"primary", "recovery", "test"} {
		out = append(out, exposureFindings(region, rules)...)
	}
	return out
}
