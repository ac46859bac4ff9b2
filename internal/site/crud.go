package site

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
	"github.com/azuredr/terraform-provider-azuredr/internal/cacheaccount"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

func (r *siteResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m siteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	user := mapFrom(ctx, m.Tags, &resp.Diagnostics)
	location := regions.Normalize(m.RecoveryLocation.ValueString())

	// Leave nothing half-created: every group and backbone part this call
	// makes is recorded, and a failure below removes them, last first.
	// Groups found (an earlier apply was interrupted) stay.
	undo := &azure.Undo{}
	recName, testName := m.RecoveryResourceGroup.ValueString(), m.TestResourceGroupName.ValueString()
	rec, recCreated, err := ensureGroup(ctx, r.client, recName, location, recoveryTags(ctx, user, m, &resp.Diagnostics))
	if recCreated {
		r.undoGroup(undo, recName)
	}
	if err != nil {
		addGroupError(&resp.Diagnostics, path.Root("recovery_resource_group_name"), "Cannot create the recovery resource group", err)
		framework.RunUndo(ctx, &resp.Diagnostics, undo)
		return
	}
	test, testCreated, err := ensureGroup(ctx, r.client, testName, location, groupTags(user, m, roleTestFailover))
	if testCreated {
		r.undoGroup(undo, testName)
	}
	if err != nil {
		addGroupError(&resp.Diagnostics, path.Root("test_resource_group_name"), "Cannot create the test-failover resource group", err)
		framework.RunUndo(ctx, &resp.Diagnostics, undo)
		return
	}
	tflog.Info(ctx, "site resource groups in place", map[string]any{"recovery_resource_group": rec.ID, "test_resource_group": test.ID})

	in := m.info(rec, test)
	madeParts, err := ensureBackbone(ctx, r.client, in)
	for _, p := range madeParts {
		// "az resource delete" sends the DELETE Site Recovery takes for
		// each part; containers before fabrics before the vault.
		undo.Add(p.what, "az resource delete --ids "+p.id, p.remove)
	}
	if err != nil {
		addBackboneError(&resp.Diagnostics, "create", err)
		framework.RunUndo(ctx, &resp.Diagnostics, undo)
		return
	}
	tflog.Info(ctx, "site created", map[string]any{"vault": in.VaultID})
	m.setGroups(rec, test)
	m.setBackbone(in, complete)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// undoGroup records the removal of a resource group this create made (and
// with it anything inside).
func (r *siteResource) undoGroup(undo *azure.Undo, name string) {
	undo.Add("resource group "+name, "az group delete --name "+name+" --subscription "+r.client.SubscriptionID,
		func(ctx context.Context) error { return deleteGroup(ctx, r.client, name) })
}

// info is the site as other capabilities see it (lookup.go), built from the
// groups just found or made.
func (m *siteModel) info(rec, test *group) *Info {
	return newInfo(rec.ID, m.Name.ValueString(), m.PrimaryLocation.ValueString(), m.RecoveryLocation.ValueString(), rec.Name, test.Name)
}

func (r *siteResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m siteModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	rec, err := findGroup(ctx, r.client, m.RecoveryResourceGroup.ValueString())
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the recovery resource group", err)
		return
	}
	if rec == nil || rec.deleting() {
		tflog.Warn(ctx, "recovery resource group is gone; the site will be recreated", map[string]any{"resource_group": m.RecoveryResourceGroup.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if rec.Tags[tagRole] != roleRecovery || rec.Tags[tagSite] == "" {
		resp.Diagnostics.AddError("Not the recovery resource group of a site",
			fmt.Sprintf("%s has no %s=%s and %s tags, so it was not created by azuredr_site. Import a site by its recovery resource group id.", rec.ID, tagRole, roleRecovery, tagSite))
		return
	}
	// Rebuild the description from Azure: this is what import relies on, and
	// what makes a change behind Terraform's back show in the next plan.
	m.Name = types.StringValue(rec.Tags[tagSite])
	// The user's spelling of a region stays ("Central US"); another region
	// is drift and shows.
	m.PrimaryLocation = types.StringValue(framework.KeepLocationSpelling(m.PrimaryLocation.ValueString(), rec.Tags[tagPrimary]))
	m.RecoveryLocation = types.StringValue(framework.KeepLocationSpelling(m.RecoveryLocation.ValueString(), rec.Location))
	p, _ := regions.Lookup(regions.Normalize(rec.Tags[tagPrimary]))
	m.PairedLocation = types.StringValue(p.Pair)
	m.TestResourceGroupName = types.StringValue(rec.Tags[tagTestGroup])

	test, err := findGroup(ctx, r.client, m.TestResourceGroupName.ValueString())
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the test-failover resource group", err)
		return
	}
	if test == nil || test.deleting() {
		tflog.Warn(ctx, "test-failover resource group is gone; the site will be recreated", map[string]any{"resource_group": m.TestResourceGroupName.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	previous := mapFrom(ctx, m.Tags, &resp.Diagnostics)
	observed := observedTags(previous, rec, test)
	if !(m.Tags.IsNull() && len(observed) == 0) {
		m.Tags = mapValue(observed)
	}
	m.Approvers = observedApprovers(approversFrom(ctx, m.Approvers, &resp.Diagnostics), rec.Tags)
	m.setGroups(rec, test)
	in := m.info(rec, test)
	found, err := readBackbone(ctx, r.client, in)
	if err != nil {
		addBackboneError(&resp.Diagnostics, "read", err)
		return
	}
	if found != complete {
		tflog.Warn(ctx, "part of the Site Recovery backbone is missing; the next apply recreates it", map[string]any{"vault": in.VaultID, "found": found})
	}
	m.setBackbone(in, found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update changes tags and repairs the backbone (a part deleted outside
// Terraform); every other attribute replaces the site.
func (r *siteResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m siteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	user := mapFrom(ctx, m.Tags, &resp.Diagnostics)
	location := regions.Normalize(m.RecoveryLocation.ValueString())
	rec, _, err := ensureGroup(ctx, r.client, m.RecoveryResourceGroup.ValueString(), location, recoveryTags(ctx, user, m, &resp.Diagnostics))
	if err != nil {
		addGroupError(&resp.Diagnostics, path.Root("tags"), "Cannot update the recovery resource group", err)
		return
	}
	test, _, err := ensureGroup(ctx, r.client, m.TestResourceGroupName.ValueString(), location, groupTags(user, m, roleTestFailover))
	if err != nil {
		addGroupError(&resp.Diagnostics, path.Root("tags"), "Cannot update the test-failover resource group", err)
		return
	}
	m.setGroups(rec, test)
	in := m.info(rec, test)
	if _, err := ensureBackbone(ctx, r.client, in); err != nil {
		addBackboneError(&resp.Diagnostics, "repair", err)
		return
	}
	m.setBackbone(in, complete)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete removes the backbone (containers, fabrics, vault: Azure refuses to
// delete a vault that still has them), then both groups, and with them every
// recovery-side and drill resource inside, in parallel.
func (r *siteResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m siteModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	in := newInfo(m.ID.ValueString(), m.Name.ValueString(), m.PrimaryLocation.ValueString(), m.RecoveryLocation.ValueString(),
		m.RecoveryResourceGroup.ValueString(), m.TestResourceGroupName.ValueString())
	if errs := deleteBackbone(ctx, r.client, in); len(errs) > 0 {
		// Stop here: the site stays in state, and the next destroy resumes.
		for _, err := range errs {
			addBackboneError(&resp.Diagnostics, "delete", err)
		}
		return
	}

	// The cache storage accounts the replicated VMs made (their group
	// would take them too; removing them first says so if one cannot go).
	if err := cacheaccount.RemoveAll(ctx, r.client, cacheaccount.Site{SubscriptionID: r.client.SubscriptionID,
		ResourceGroup: m.RecoveryResourceGroup.ValueString(), Name: m.Name.ValueString()}); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot delete the site's cache storage accounts", err)
		return
	}

	names := []string{m.TestResourceGroupName.ValueString(), m.RecoveryResourceGroup.ValueString()}
	errs := make([]error, len(names))
	done := make(chan struct{})
	for i, name := range names {
		go func() {
			defer func() { done <- struct{}{} }()
			errs[i] = deleteGroup(ctx, r.client, name)
		}()
	}
	for range names {
		<-done
	}
	for i, err := range errs {
		if err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot delete resource group "+names[i], err)
		}
	}
}

func (m *siteModel) setGroups(rec, test *group) {
	m.ID = types.StringValue(rec.ID)
	m.RecoveryResourceGroup = types.StringValue(rec.Name)
	m.RecoveryResourceGroupID = types.StringValue(rec.ID)
	m.TestResourceGroupName = types.StringValue(test.Name)
	m.TestResourceGroupID = types.StringValue(test.ID)
}

// addGroupError reports a foreign group against the attribute that names it,
// with the way out; Azure errors keep their code and request id.
func addGroupError(diags *diag.Diagnostics, at path.Path, summary string, err error) {
	if errors.Is(err, errForeignGroup) {
		diags.AddAttributeError(at, summary, strings.TrimSpace(err.Error())+
			". The site only takes over groups it created (tag "+tagSite+"). Set "+at.String()+" to an unused name.")
		return
	}
	framework.AddAzureError(diags, summary, err)
}

func mapFrom(ctx context.Context, v types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if v.IsNull() || v.IsUnknown() {
		return out
	}
	diags.Append(v.ElementsAs(ctx, &out, false)...)
	return out
}

func mapValue(m map[string]string) types.Map {
	elems := make(map[string]types.String, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	out, _ := types.MapValueFrom(context.Background(), types.StringType, elems)
	return out
}
