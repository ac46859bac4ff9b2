package replication

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func (r *recoveryPlanResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m recoveryPlanModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, planCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	in, plan := r.prepare(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := planRefOf(in, m.Name.ValueString())
	if existing, err := findPlan(ctx, r.client, ref); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot check whether recovery plan "+ref.Name+" exists", err)
		return
	} else if existing != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Recovery plan already exists",
			fmt.Sprintf("%s already exists in the vault. Import it (terraform import <address> %s) or choose another name.", ref, ref))
		return
	}
	made, err := createPlan(ctx, r.client, ref, in.FabricID(in.PrimaryFabric), in.FabricID(in.RecoveryFabric), plan.Groups)
	m.ID = types.StringValue(ref.String())
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot create recovery plan "+ref.Name, err)
		if made {
			keepTainted(ctx, &m, resp)
		}
		return
	}
	if !r.readInto(ctx, ref, &m, &resp.Diagnostics) && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddError("Recovery plan vanished", fmt.Sprintf("%s disappeared right after it was created: it was deleted outside Terraform. Apply again to recreate it.", ref))
		return
	}
	if resp.Diagnostics.HasError() {
		keepTainted(ctx, &m, resp)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// keepTainted saves a plan whose create failed after Azure accepted it:
// one object, whole once accepted, so rather than delete it (Site Recovery
// may refuse while its create job runs) the create keeps its id in state,
// with the error. Terraform then tracks it as tainted: the next apply
// replaces it, a destroy removes it, and Read drops it if it never came to
// exist. Nothing is left in the vault that Terraform does not know of.
func keepTainted(ctx context.Context, m *recoveryPlanModel, resp *resource.CreateResponse) {
	if m.ItemCount.IsUnknown() {
		m.ItemCount = types.Int64Null()
	}
	tflog.Warn(ctx, "recovery plan create failed after Azure accepted it; keeping it in state (tainted)", map[string]any{"plan": m.ID.ValueString()})
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *recoveryPlanResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m recoveryPlanModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, planReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ref, err := parsePlanID(m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid recovery plan id in state", err.Error())
		return
	}
	// The id names the site and the plan: import needs nothing else.
	m.SiteID = types.StringValue(ref.SiteID())
	m.Name = types.StringValue(ref.Name)
	in, err := site.Find(ctx, r.client, ref.SiteID())
	if errors.Is(err, site.ErrNotASite) {
		tflog.Warn(ctx, "the site of the recovery plan is gone, and the plan with its vault", map[string]any{"plan": ref.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the site of the recovery plan", err)
		return
	}
	if !strings.EqualFold(in.VaultName, ref.Vault) {
		resp.Diagnostics.AddError("Not a recovery plan of an azuredr_site", fmt.Sprintf("%s is in vault %s, but site %s's vault is %s.", ref, ref.Vault, in.Name, in.VaultName))
		return
	}
	if !r.readInto(ctx, ref, &m, &resp.Diagnostics) {
		if !resp.Diagnostics.HasError() {
			tflog.Warn(ctx, "recovery plan is gone; the next apply recreates it", map[string]any{"plan": ref.String()})
			resp.State.RemoveResource(ctx)
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update replaces the plan's groups in place (BeginUpdate).
func (r *recoveryPlanResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m recoveryPlanModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, planUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	in, plan := r.prepare(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := planRefOf(in, m.Name.ValueString())
	current, err := findPlan(ctx, r.client, ref)
	switch {
	case err != nil:
	case current == nil:
		err = fmt.Errorf("recovery plan %s disappeared during the apply; apply again to recreate it", ref)
	default:
		err = updatePlan(ctx, r.client, ref, plan.Groups)
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot update recovery plan "+ref.Name, err)
		return
	}
	m.ID = types.StringValue(ref.String())
	r.readInto(ctx, ref, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *recoveryPlanResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m recoveryPlanModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, planDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ref, err := parsePlanID(m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid recovery plan id in state", err.Error())
		return
	}
	if err := deletePlan(ctx, r.client, ref); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot delete recovery plan "+ref.String(), err)
	}
}

// prepare finds the site, reads the planned groups and checks every VM
// belongs to the site's vault and exists there, each failure naming its
// group, before anything is written.
func (r *recoveryPlanResource) prepare(ctx context.Context, m *recoveryPlanModel, diags *diag.Diagnostics) (*site.Info, *RecoveryPlan) {
	in, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if errors.Is(err, site.ErrNotASite) {
		diags.AddAttributeError(path.Root("site_id"), "Cannot use the site", err.Error())
		return nil, nil
	}
	if err != nil {
		framework.AddAzureError(diags, "Cannot read the site", err)
		return nil, nil
	}
	plan, err := m.toPlan(ctx)
	if err != nil {
		diags.AddError("Invalid recovery plan", err.Error()+": this is a bug in the provider's validation")
		return nil, nil
	}
	for i, g := range plan.Groups {
		attr := path.Root("group").AtListIndex(i).AtName("replicated_vm_ids")
		for _, vm := range g.Items {
			id, err := parseItemID(vm)
			if err != nil {
				addAt(diags, attr, "Not a replicated VM", fmt.Sprintf("group %d: %v", i, err))
				continue
			}
			if !strings.EqualFold(id.Subscription, r.client.SubscriptionID) || !strings.EqualFold(id.ResourceGroup, in.RecoveryResourceGroup) ||
				!strings.EqualFold(id.Vault, in.VaultName) || !strings.EqualFold(id.Fabric, in.PrimaryFabric) {
				addAt(diags, attr, "VM of another site",
					fmt.Sprintf("group %d: %s is not a replicated VM of site %s (vault %s, replicating from %s). A recovery plan holds the VMs its own site replicates: use ids of azuredr_replicated_vm resources whose site_id is this site.",
						i, vm, in.Name, in.VaultID, in.PrimaryLocation))
				continue
			}
			_, err = azure.FindProtectedItem(ctx, r.client, id)
			switch {
			case azure.IsNotFound(err):
				addAt(diags, attr, "Replicated VM not found",
					fmt.Sprintf("group %d: %s does not exist in vault %s. Replicate the VM (azuredr_replicated_vm) first.", i, vm, in.VaultName))
			case err != nil:
				framework.AddAzureError(diags, fmt.Sprintf("Cannot read replicated VM %s (group %d)", vm, i), err)
			}
		}
	}
	return in, plan
}

// readInto fills the model from Azure; false when the plan is gone.
func (r *recoveryPlanResource) readInto(ctx context.Context, ref planRef, m *recoveryPlanModel, diags *diag.Diagnostics) bool {
	p, err := findPlan(ctx, r.client, ref)
	if err != nil {
		framework.AddAzureError(diags, "Cannot read recovery plan "+ref.Name, err)
		return false
	}
	if p == nil {
		return false
	}
	m.ID = types.StringValue(ref.String())
	m.setFromPlan(p, m.Groups)
	return true
}
