package replication

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func (r *policyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, policyCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	in, settings, ok := r.prepare(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	name := m.Name.ValueString()

	// An apply interrupted after the policy was made finds it here and
	// carries on. A failure undoes what this call made, last first: the
	// policy if it made it, with every mapping applying it (Site Recovery
	// refuses to delete a policy still applied to containers); a policy it
	// found stays, with the mappings found applying it, for the next apply
	// to adopt as a whole, and only the mappings this call made go.
	undo := &azure.Undo{}
	id := policyID(in, name)
	existing, err := findPolicy(ctx, r.client, in, name)
	madePolicy := err == nil && existing == nil
	if madePolicy {
		err = createPolicy(ctx, r.client, in, name, settings)
		// Recorded even when the create failed: a failed write may still
		// have made it, and deleting one that is not there is harmless.
		undo.Add("replication policy "+id, "az resource delete --ids "+id+" (after removing its protection container mappings)",
			func(ctx context.Context) error { return deletePolicy(ctx, r.client, refOf(in, name)) })
	} else if err == nil {
		tflog.Info(ctx, "replication policy exists (an earlier apply was interrupted); bringing it to the plan", map[string]any{"policy": existing.ID})
		err = updatePolicy(ctx, r.client, in, name, settings)
	}
	if err != nil {
		framework.AddErrorAndUndo(ctx, &resp.Diagnostics, undo, "Cannot create replication policy "+name, err)
		return
	}
	if err := r.ensureMappings(ctx, in, name, undo, madePolicy); err != nil {
		addMappingError(&resp.Diagnostics, err)
		framework.RunUndo(ctx, &resp.Diagnostics, undo)
		return
	}
	r.readInto(ctx, in, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// Nothing is in state yet: what this call made would be untracked.
		framework.RunUndo(ctx, &resp.Diagnostics, undo)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *policyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, policyReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ref, err := parsePolicyID(m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid policy id in state", err.Error())
		return
	}
	// The id names the site and the policy: import needs nothing else.
	m.SiteID = types.StringValue(ref.SiteID())
	m.Name = types.StringValue(ref.Name)
	in, err := site.Find(ctx, r.client, ref.SiteID())
	if errors.Is(err, site.ErrNotASite) {
		tflog.Warn(ctx, "the site of the replication policy is gone, and the policy with its vault", map[string]any{"policy": ref.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the site of the replication policy", err)
		return
	}
	if in.VaultName != ref.Vault {
		resp.Diagnostics.AddError("Not a policy of an azuredr_site", fmt.Sprintf("%s is in vault %s, but site %s's vault is %s.", ref, ref.Vault, in.Name, in.VaultName))
		return
	}
	found := r.readInto(ctx, in, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "replication policy is gone; the next apply recreates it", map[string]any{"policy": ref.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update changes the settings in place and recreates a mapping that was
// deleted or changed behind Terraform's back.
func (r *policyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, state policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, policyUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	in, settings, ok := r.prepare(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	name := m.Name.ValueString()
	current, err := findPolicy(ctx, r.client, in, name)
	switch {
	case err != nil:
	case current == nil:
		err = fmt.Errorf("policy %s disappeared during the apply; apply again to recreate it", policyID(in, name))
	case current.Settings != settings:
		err = updatePolicy(ctx, r.client, in, name, settings)
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot update replication policy "+name, err)
		return
	}
	if err := r.ensureMappings(ctx, in, name, nil, false); err != nil {
		addMappingError(&resp.Diagnostics, err)
		return
	}
	r.readInto(ctx, in, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Delete removes both mappings (Site Recovery refuses to delete a policy
// still applied to containers), then the policy.
func (r *policyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, policyDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	for _, id := range []string{m.FailoverMappingID.ValueString(), m.FailbackMappingID.ValueString()} {
		if id == "" {
			continue // found missing (or not this policy's) at the last refresh
		}
		if err := deleteMappingByID(ctx, r.client, id); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot delete protection container mapping "+id, err)
		}
	}
	if resp.Diagnostics.HasError() {
		return // keep the policy so the next destroy can finish
	}
	ref, err := parsePolicyID(m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid policy id in state", err.Error())
		return
	}
	if err := deletePolicy(ctx, r.client, ref); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot delete replication policy "+ref.String(), err)
	}
}

// prepare finds the site and reads the planned settings.
func (r *policyResource) prepare(ctx context.Context, m *policyModel, diags *diag.Diagnostics) (*site.Info, policySettings, bool) {
	in, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if errors.Is(err, site.ErrNotASite) {
		diags.AddAttributeError(path.Root("site_id"), "Cannot use the site", err.Error())
		return nil, policySettings{}, false
	}
	if err != nil {
		framework.AddAzureError(diags, "Cannot read the site", err)
		return nil, policySettings{}, false
	}
	s, err := m.settings()
	if err != nil {
		diags.AddError("Invalid policy settings", err.Error()+": this is a bug in the provider's validation")
		return nil, policySettings{}, false
	}
	return in, s, true
}

// mappingError says which mapping failed.
type mappingError struct {
	id  string
	err error
}

func (e *mappingError) Error() string { return e.id + ": " + e.err.Error() }
func (e *mappingError) Unwrap() error { return e.err }

func addMappingError(diags *diag.Diagnostics, err error) {
	var me *mappingError
	if errors.As(err, &me) {
		framework.AddAzureError(diags, "Cannot create protection container mapping "+me.id, me.err)
		return
	}
	framework.AddAzureError(diags, "Cannot create the protection container mappings", err)
}

// ensureMappings creates each mapping that is missing. A mapping of the
// same name applying another policy or pointing elsewhere is replaced: the
// name is this policy's. A create passes undo (an update nil): every
// mapping it makes is recorded there, and with undoFound the ones found in
// place too.
func (r *policyResource) ensureMappings(ctx context.Context, in *site.Info, name string, undo *azure.Undo, undoFound bool) error {
	pid := policyID(in, name)
	failover, failback := policyMappings(in, name)
	for _, pm := range []policyMapping{failover, failback} {
		id := pm.ID()
		record := func() {
			undo.Add("protection container mapping "+id, "az resource delete --ids "+id,
				func(ctx context.Context) error { return deleteMappingByID(ctx, r.client, id) })
		}
		st, err := findMapping(ctx, r.client, pm)
		if err == nil && st.matches(pm, pid) {
			if undoFound {
				record()
			}
			continue
		}
		if err == nil && st.Exists {
			tflog.Warn(ctx, "protection container mapping was changed; replacing it", map[string]any{"mapping": id, "policy": st.PolicyID, "target": st.TargetID})
			err = deleteMappingByID(ctx, r.client, id)
		}
		if err == nil {
			err = createMapping(ctx, r.client, pm, pid)
			record() // a failed write may still have made it
		}
		if err != nil {
			return &mappingError{id: id, err: err}
		}
	}
	return nil
}

// readInto fills the model from Azure: the policy's settings and each
// mapping's id ("" when missing or changed, which ModifyPlan turns into a
// planned repair). found is false when the policy itself is gone.
func (r *policyResource) readInto(ctx context.Context, in *site.Info, m *policyModel, diags *diag.Diagnostics) (found bool) {
	name := m.Name.ValueString()
	p, err := findPolicy(ctx, r.client, in, name)
	if err != nil {
		framework.AddAzureError(diags, "Cannot read replication policy "+name, err)
		return false
	}
	if p == nil {
		return false
	}
	m.ID = types.StringValue(policyID(in, name))
	m.SiteID = types.StringValue(in.ID)
	m.setSettings(p.Settings)
	failover, failback := policyMappings(in, name)
	for _, x := range []struct {
		pm   policyMapping
		into *types.String
	}{{failover, &m.FailoverMappingID}, {failback, &m.FailbackMappingID}} {
		st, err := findMapping(ctx, r.client, x.pm)
		if err != nil {
			framework.AddAzureError(diags, "Cannot read protection container mapping "+x.pm.ID(), err)
			return false
		}
		*x.into = types.StringValue("")
		if st.matches(x.pm, m.ID.ValueString()) {
			*x.into = types.StringValue(x.pm.ID())
		} else {
			tflog.Warn(ctx, "protection container mapping is missing or changed; the next apply repairs it", map[string]any{"mapping": x.pm.ID()})
		}
	}
	return true
}

func refOf(in *site.Info, name string) policyRef {
	ref, _ := parsePolicyID(policyID(in, name))
	return ref
}
