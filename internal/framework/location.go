package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"

	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// LocationReplace is RequiresReplace for a location attribute, except when
// the new value spells the same region another way ("centralus" to
// "Central US"): ARM sees no change, so neither does the resource.
func LocationReplace() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		// Called only on an update whose value changed (unknown included).
		resp.RequiresReplace = req.PlanValue.IsUnknown() || !regions.Same(req.StateValue.ValueString(), req.PlanValue.ValueString())
	}, "Changing the region creates a new resource; another spelling of the same region (case, spaces) does not.",
		"Changing the region creates a new resource; another spelling of the same region (case, spaces) does not.")
}

// KeepLocationSpelling is what Read stores for a location: the prior value
// (the user's spelling) when it names the region Azure answered, otherwise
// Azure's answer, so drift shows and spelling does not.
func KeepLocationSpelling(prior, observed string) string {
	if regions.Same(prior, observed) {
		return prior
	}
	return observed
}
