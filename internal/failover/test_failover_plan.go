package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
	"github.com/azuredr/terraform-provider-azuredr/internal/replication"
)

var _ resource.ResourceWithModifyPlan = (*testFailoverResource)(nil)

// ModifyPlan checks, when a drill is about to run and what it drills can
// be read already, that each check's group is one of the recovery plan's
// and its vm_names are VMs of the drill. A plan or VM created in the same
// apply (its id unknown, or not found yet) is left to apply, which checks
// again before any test failover starts.
func (r *testFailoverResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() && len(resp.RequiresReplace) == 0 {
		return // the drill does not run again
	}
	var m testFailoverModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Checks.IsNull() || m.Checks.IsUnknown() {
		return
	}
	var ids []string
	switch {
	case known(m.RecoveryPlanID):
		plan, err := replication.ReadRecoveryPlan(ctx, r.client, m.RecoveryPlanID.ValueString())
		if err != nil {
			return
		}
		r.planGroups(ctx, &m, len(plan.Groups), resp)
		for _, g := range plan.Groups {
			ids = append(ids, g.Items...)
		}
	case m.RecoveryPlanID.IsNull() && !m.ReplicatedVMIDs.IsNull() && !m.ReplicatedVMIDs.IsUnknown():
		for _, el := range m.ReplicatedVMIDs.Elements() {
			v, ok := el.(types.String)
			if !ok || !known(v) {
				return // the drill's VMs are not all known yet
			}
			ids = append(ids, v.ValueString())
		}
	default:
		return
	}
	r.planVMNames(ctx, &m, ids, resp)
}

// checksOf are the plan's known checks, with their list index.
func checksOf(ctx context.Context, m *testFailoverModel, resp *resource.ModifyPlanResponse) map[int]checkModel {
	out := map[int]checkModel{}
	for i, el := range m.Checks.Elements() {
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		var c checkModel
		if d := obj.As(ctx, &c, basetypes.ObjectAsOptions{}); !d.HasError() {
			out[i] = c
		}
	}
	return out
}

// planGroups refuses a check group beyond the recovery plan's groups.
func (r *testFailoverResource) planGroups(ctx context.Context, m *testFailoverModel, groups int, resp *resource.ModifyPlanResponse) {
	for i, c := range checksOf(ctx, m, resp) {
		if c.Group.IsNull() || c.Group.IsUnknown() {
			continue
		}
		if g := c.Group.ValueInt64(); g > int64(groups) {
			at := path.Root("check").AtListIndex(i).AtName("group")
			resp.Diagnostics.AddAttributeError(at, "No such group",
				fmt.Sprintf("%s: %d: the recovery plan %s has %d group(s), counted from 1 in its order.", at, g, m.RecoveryPlanID.ValueString(), groups))
		}
	}
}

// planVMNames refuses a vm_names entry that is no VM of the drill, when
// every one of the drill's VMs can be read.
func (r *testFailoverResource) planVMNames(ctx context.Context, m *testFailoverModel, ids []string, resp *resource.ModifyPlanResponse) {
	checks := checksOf(ctx, m, resp)
	wanted := false
	for _, c := range checks {
		wanted = wanted || (!c.VMNames.IsNull() && !c.VMNames.IsUnknown())
	}
	if !wanted {
		return
	}
	var have []string
	names := map[string]bool{}
	for _, id := range ids {
		info, err := siterecovery.FindItem(ctx, r.client, id)
		if err != nil {
			return // apply reports it on the attribute that names it
		}
		have = append(have, info.SourceVMName)
		names[strings.ToLower(info.SourceVMName)] = true
	}
	for i, c := range checks {
		if c.VMNames.IsNull() || c.VMNames.IsUnknown() {
			continue
		}
		for j, el := range c.VMNames.Elements() {
			v, ok := el.(types.String)
			if !ok || !known(v) || names[strings.ToLower(v.ValueString())] {
				continue
			}
			at := path.Root("check").AtListIndex(i).AtName("vm_names").AtListIndex(j)
			resp.Diagnostics.AddAttributeError(at, "Not a VM of the drill",
				fmt.Sprintf("%s: %q is not the source VM of any replicated VM the drill fails over (they are: %s). Use the production VM's name.", at, v.ValueString(), strings.Join(have, ", ")))
		}
	}
}
