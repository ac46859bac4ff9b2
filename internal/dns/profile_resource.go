package dns

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func (r *profileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m profileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("site_id"), "Cannot use the site", azure.Describe(err))
		return
	}
	existing, err := r.client.TrafficManagerProfiles().Get(ctx, s.RecoveryResourceGroup, m.Name.ValueString(), nil)
	if err == nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Profile already exists",
			fmt.Sprintf("%s already exists. Import it (terraform import ... %s) or choose another name.", *existing.ID, *existing.ID))
		return
	}
	if !azure.IsNotFound(err) {
		framework.AddAzureError(&resp.Diagnostics, "Cannot check for an existing profile", err)
		return
	}
	r.put(ctx, s.RecoveryResourceGroup, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *profileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m profileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("site_id"), "Cannot use the site", azure.Describe(err))
		return
	}
	r.put(ctx, s.RecoveryResourceGroup, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// put writes the whole profile, endpoints included, in one synchronous call:
// the profile never exists with only some of its endpoints.
func (r *profileResource) put(ctx context.Context, group string, m *profileModel, diags *diag.Diagnostics) {
	body := m.toARM(ctx, diags)
	if diags.HasError() {
		return
	}
	out, err := r.client.TrafficManagerProfiles().CreateOrUpdate(ctx, group, m.Name.ValueString(), body, nil)
	if err != nil {
		framework.AddAzureError(diags, "Cannot write Traffic Manager profile "+m.Name.ValueString(), err)
		return
	}
	m.fill(ctx, &out.Profile)
}

func (r *profileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m profileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := findProfile(ctx, r.client, m.ID.ValueString())
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the Traffic Manager profile", err)
		return
	}
	if p == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	m.fill(ctx, p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *profileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m profileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, defaultTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := arm.ParseResourceID(m.ID.ValueString())
	if err != nil {
		return // never created
	}
	if _, err := r.client.TrafficManagerProfiles().Delete(ctx, id.ResourceGroupName, id.Name, nil); err != nil && !azure.IsNotFound(err) {
		framework.AddAzureError(&resp.Diagnostics, "Cannot delete Traffic Manager profile "+m.Name.ValueString(), err)
	}
}
