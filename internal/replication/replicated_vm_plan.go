package replication

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
)

var _ resource.ResourceWithModifyPlan = (*replicatedVMResource)(nil)

// ModifyPlan checks at plan time, when both are known, that a configured
// cache storage account is in the source VM's region (Site Recovery
// refuses it otherwise); apply checks again (prepare). A reference it
// cannot read yet (created in the same apply) is left to apply.
func (r *replicatedVMResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var cache, vmID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("cache_storage_account_id"), &cache)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("source_vm_id"), &vmID)...)
	if resp.Diagnostics.HasError() || cache.IsNull() || cache.IsUnknown() || vmID.IsNull() || vmID.IsUnknown() {
		return
	}
	if !req.State.Raw.IsNull() {
		var prior types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("cache_storage_account_id"), &prior)...)
		if strings.EqualFold(prior.ValueString(), cache.ValueString()) {
			return // in use already
		}
	}
	vid, err := arm.ParseResourceID(vmID.ValueString())
	if err != nil {
		return // the attribute's validator says so
	}
	vm, err := findSourceVM(ctx, r.client, vid.ResourceGroupName, vid.Name)
	if err != nil || vm == nil {
		return // apply reports it against source_vm_id
	}
	loc, err := cacheaccount.Location(ctx, r.client, cache.ValueString())
	if err != nil {
		return // missing (perhaps created in this apply) or unreadable: apply reports it
	}
	if !sameRegion(loc, vm.Location) {
		addCacheRegionError(&resp.Diagnostics, cache.ValueString(), loc, vm)
	}
}
