package network

import (
	"context"
	"slices"

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
		out = append(out, r)
	}
	return out
}

func rulesToModel(ctx context.Context, rules []rule, diags *diag.Diagnostics) types.List {
	models := make([]ruleModel, 0, len(rules))
	for _, r := range rules {
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

// alignTo orders observed like reference: rules by name in the reference's
// order (others after, by priority), and each list in the reference rule's
// order when it holds the same values.
func alignTo(reference, observed []rule) []rule {
	byName := map[string]rule{}
	for _, r := range observed {
		byName[r.Name] = r
	}
	out := make([]rule, 0, len(observed))
	for _, ref := range reference {
		r, ok := byName[ref.Name]
		if !ok {
			continue
		}
		delete(byName, ref.Name)
		for _, l := range []struct{ ref, got *[]string }{{&ref.SourceAddressPrefixes, &r.SourceAddressPrefixes}, {&ref.SourcePortRanges, &r.SourcePortRanges},
			{&ref.DestinationAddressPrefixes, &r.DestinationAddressPrefixes}, {&ref.DestinationPortRanges, &r.DestinationPortRanges}} {
			if slices.Equal(sorted(*l.ref), sorted(*l.got)) {
				*l.got = *l.ref
			}
		}
		out = append(out, r)
	}
	rest := make([]rule, 0, len(byName))
	for _, r := range byName {
		rest = append(rest, r)
	}
	return append(out, sortRules(rest)...)
}

func sorted(l []string) []string {
	c := slices.Clone(l)
	slices.Sort(c)
	return c
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
