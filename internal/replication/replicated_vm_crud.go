package replication

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func (r *replicatedVMResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m replicatedVMModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, defaultVMCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	in, id := r.prepare(ctx, &m, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if existing, err := findItem(ctx, r.client, id); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot check whether the VM is already replicated", err)
		return
	} else if existing != nil {
		resp.Diagnostics.AddAttributeError(path.Root("source_vm_id"), "VM already replicated",
			fmt.Sprintf("%s already exists in the vault. Import it (terraform import <address> %s) instead of creating it again.", id, id))
		return
	}
	// A failed enable may still have made the item (Azure accepted it and
	// its job failed, or the wait did): disable it, so nothing is left
	// half-created in the vault. The site's cache account prepare may have
	// made stays: the site owns it (and removes it), and other VMs of the
	// site may be enabling with it right now.
	undo := &azure.Undo{}
	undo.Add("replicated item "+id.String()+" (replication of "+in.VM.ID+")",
		"disable replication of "+in.VM.Name+" in the vault's Replicated items (or: az resource delete --ids "+id.String()+")",
		func(ctx context.Context) error { return disable(ctx, r.client, id) })
	if err := enable(ctx, r.client, id, in); err != nil {
		framework.AddErrorAndUndo(ctx, &resp.Diagnostics, undo, "Cannot enable replication of "+in.VM.Name, err)
		return
	}
	// From here the item exists: record it at once, so a failure below
	// leaves it in state (tainted) for the next apply or destroy, never
	// orphaned in the vault.
	m.ID = types.StringValue(id.String())
	m.Name = types.StringValue(id.Name)
	r.refresh(ctx, &m, &resp.Diagnostics, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := m.TargetVMSize.ValueString()
	if !strings.EqualFold(want, in.VM.Size) || in.TestFailoverNIC != nil {
		if strings.EqualFold(want, in.VM.Size) {
			want = ""
		}
		if err := update(ctx, r.client, id, want, in.RecoveryNetworkID, in.RecoverySubnet, in.NICs, in.TestFailoverNIC); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot set the recovery VM size and test failover NIC settings of "+in.VM.Name, err)
			return
		}
	}
	item, err := awaitProtected(ctx, r.client, id)
	if err != nil {
		addWaitError(&resp.Diagnostics, in.VM.Name, err)
		return
	}
	r.refresh(ctx, &m, &resp.Diagnostics, item)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// prepare checks every reference before anything is written, each failure
// naming its attribute, and returns the enable input and the item's id.
// For an enable it also resolves the disks and the cache account (creating
// the site's when none is configured).
func (r *replicatedVMResource) prepare(ctx context.Context, m *replicatedVMModel, enabling bool, diags *diag.Diagnostics) (enableInput, itemID) {
	s, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("site_id"), "Cannot use the site", azure.Describe(err))
		return enableInput{}, itemID{}
	}
	policyID := m.ReplicationPolicyID.ValueString()
	if !strings.HasPrefix(strings.ToLower(policyID), strings.ToLower(s.VaultID+"/replicationPolicies/")) {
		diags.AddAttributeError(path.Root("replication_policy_id"), "Policy of another site",
			fmt.Sprintf("%q is not a replication policy of site %s (vault %s). Use the id of an azuredr_replication_policy whose site_id is this site.", policyID, s.Name, s.VaultID))
	}
	vm := r.checkSourceVM(ctx, m, s, diags)
	r.checkRecoveryNetwork(ctx, m, s, diags)
	if diags.HasError() {
		return enableInput{}, itemID{}
	}
	name := vm.Name
	if !m.Name.IsNull() && !m.Name.IsUnknown() {
		name = m.Name.ValueString()
	}
	id := itemID{Subscription: r.client.SubscriptionID, ResourceGroup: s.RecoveryResourceGroup, Vault: s.VaultName,
		Fabric: s.PrimaryFabric, Container: s.PrimaryContainer, Name: name}
	nics, err := readNICs(ctx, r.client, vm.NICIDs)
	if err != nil {
		diags.AddAttributeError(path.Root("source_vm_id"), "Cannot read the source VM's network interfaces", azure.Describe(err))
		return enableInput{}, itemID{}
	}
	tfo, err := tfoSettings(ctx, m.TestFailoverNIC)
	if err != nil {
		diags.AddAttributeError(path.Root("test_failover_nic"), "Invalid test failover NIC settings", err.Error())
		return enableInput{}, itemID{}
	}
	var disks []diskPlan
	cache := m.CacheStorageAccountID.ValueString()
	if enabling {
		if disks = planDisks(ctx, m.Disk, vm, diags); diags.HasError() {
			return enableInput{}, itemID{}
		}
		if cache = cacheAccount(ctx, r.client, cache, s, vm, diags); diags.HasError() {
			return enableInput{}, itemID{}
		}
	}
	return enableInput{
		PolicyID:              policyID,
		VM:                    vm,
		RecoveryContainerID:   s.RecoveryContainerID,
		RecoveryGroupID:       s.ID,
		RecoveryNetworkID:     m.NetworkID.ValueString(),
		RecoverySubnet:        m.RecoverySubnetName.ValueString(),
		Zone:                  m.TargetZone.ValueString(),
		MultiVMGroup:          m.MultiVMGroupName.ValueString(),
		CacheStorageAccountID: cache,
		Disks:                 disks,
		NICs:                  nics,
		TestFailoverNIC:       tfo,
	}, id
}

func (r *replicatedVMResource) checkSourceVM(ctx context.Context, m *replicatedVMModel, s *site.Info, diags *diag.Diagnostics) *sourceVM {
	attr := path.Root("source_vm_id")
	vmID, err := arm.ParseResourceID(m.SourceVMID.ValueString())
	if err != nil {
		diags.AddAttributeError(attr, "Invalid VM id", err.Error())
		return nil
	}
	vm, err := findSourceVM(ctx, r.client, vmID.ResourceGroupName, vmID.Name)
	switch {
	case err != nil:
		framework.AddAzureError(diags, "Cannot read the source VM", err)
	case vm == nil:
		diags.AddAttributeError(attr, "VM not found",
			fmt.Sprintf("%s does not exist. Point source_vm_id at a production VM (its id is on the VM's Properties page, or `az vm show --query id`).", m.SourceVMID.ValueString()))
	case !strings.EqualFold(vm.Location, s.PrimaryLocation):
		diags.AddAttributeError(attr, "VM outside the primary region",
			fmt.Sprintf("%s runs in %s but site %s protects %s. Replicate VMs of the site's primary_location, or use a site whose primary_location is %s.", vm.Name, vm.Location, s.Name, s.PrimaryLocation, vm.Location))
	case len(vm.Disks) == 0:
		diags.AddAttributeError(attr, "VM without managed disks",
			fmt.Sprintf("%s has no managed disks to replicate: Azure-to-Azure Site Recovery replicates managed disks only.", vm.Name))
	default:
		return vm
	}
	return nil
}

// checkRecoveryNetwork makes sure the recovery network is in the recovery
// region and has the subnet, listing the subnets there are.
func (r *replicatedVMResource) checkRecoveryNetwork(ctx context.Context, m *replicatedVMModel, s *site.Info, diags *diag.Diagnostics) {
	netID, err := arm.ParseResourceID(m.NetworkID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("network_id"), "Invalid network id", err.Error())
		return
	}
	vnet, err := r.client.VirtualNetworks().Get(ctx, netID.ResourceGroupName, netID.Name, nil)
	if azure.IsNotFound(err) {
		diags.AddAttributeError(path.Root("network_id"), "Network not found",
			fmt.Sprintf("%s does not exist. Use the id of the azuredr_network pair (azuredr_network.<name>.id).", m.NetworkID.ValueString()))
		return
	}
	if err != nil {
		framework.AddAzureError(diags, "Cannot read the recovery network", err)
		return
	}
	if !strings.EqualFold(deref(vnet.Location), s.RecoveryLocation) {
		diags.AddAttributeError(path.Root("network_id"), "Network outside the recovery region",
			fmt.Sprintf("%s is in %s, not in the site's recovery_location %s. Use the azuredr_network of this site.", deref(vnet.Name), deref(vnet.Location), s.RecoveryLocation))
		return
	}
	var names []string
	if vnet.Properties != nil {
		for _, sn := range vnet.Properties.Subnets {
			if sn != nil && sn.Name != nil {
				if strings.EqualFold(*sn.Name, m.RecoverySubnetName.ValueString()) {
					return
				}
				names = append(names, *sn.Name)
			}
		}
	}
	sort.Strings(names)
	diags.AddAttributeError(path.Root("recovery_subnet_name"), "Subnet not in the recovery network",
		fmt.Sprintf("%s has no subnet %q. Its subnets: %s.", deref(vnet.Name), m.RecoverySubnetName.ValueString(), strings.Join(names, ", ")))
}

// addWaitError explains a failed wait for initial replication: the item is
// kept (tainted) because replication carries on in Azure.
func addWaitError(diags *diag.Diagnostics, vm string, err error) {
	var detail string
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		detail = fmt.Sprintf("Initial replication of %s did not finish within the create timeout. Replication carries on in Azure: raise `timeouts.create`, then run `terraform untaint` on this resource and apply again to keep the copy made so far (a replacement would start over).", vm)
	case errors.Is(err, errInitialReplicationFailed):
		detail = err.Error() + "\n\nFix the cause shown by Site Recovery, then apply again: the tainted item is replaced."
	default:
		framework.AddAzureError(diags, "Cannot follow initial replication of "+vm, err)
		return
	}
	diags.AddError("Initial replication not complete", detail)
}

func (r *replicatedVMResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m replicatedVMModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, defaultVMReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := parseItemID(m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid id in state", err.Error())
		return
	}
	item, latest, err := readItemAndLatestPoint(ctx, r.client, id)
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the replicated VM", err)
		return
	}
	if item == nil {
		tflog.Warn(ctx, "replicated item is gone from the vault; removing it from state", map[string]any{"id": id.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	m.fromItem(ctx, id, item)
	m.vmStatus.fill(item.Properties, latest)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fromItem sets the settings Azure knows, the resource's own included.
func (m *replicatedVMModel) fromItem(ctx context.Context, id itemID, item *asr.ReplicationProtectedItem) {
	m.vmSettings.fromItem(id, item)
	a2a, ok := item.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok || a2a == nil {
		return
	}
	m.Disks = disksFromItem(a2a)
	m.Disk = overridesFromItem(ctx, m.Disk, a2a)
	m.TestFailoverNIC = tfoNICFromItem(m.TestFailoverNIC, a2a)
}

// refresh fills m from the item (read afresh when nil) and its newest
// recovery point.
func (r *replicatedVMResource) refresh(ctx context.Context, m *replicatedVMModel, diags *diag.Diagnostics, item *asr.ReplicationProtectedItem) {
	id, err := parseItemID(m.ID.ValueString())
	if err != nil {
		diags.AddError("Invalid id", err.Error())
		return
	}
	var latest *asr.RecoveryPoint
	if item == nil {
		if item, latest, err = readItemAndLatestPoint(ctx, r.client, id); err != nil || item == nil {
			if err == nil {
				err = fmt.Errorf("%s disappeared right after it was written", id)
			}
			framework.AddAzureError(diags, "Cannot read the replicated VM", err)
			return
		}
	} else if latest, err = latestRecoveryPoint(ctx, r.client, id); err != nil {
		framework.AddAzureError(diags, "Cannot list recovery points", err)
		return
	}
	m.fromItem(ctx, id, item)
	m.vmStatus.fill(item.Properties, latest)
}

// fromItem sets every setting Azure knows, so drift shows in the plan and
// import needs only the id. Ids keep the configuration's spelling when ARM
// returns them in another case.
func (m *vmSettings) fromItem(id itemID, item *asr.ReplicationProtectedItem) {
	p := item.Properties
	m.ID = types.StringValue(id.String())
	m.Name = types.StringValue(id.Name)
	m.SiteID = sameID(m.SiteID, fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", id.Subscription, id.ResourceGroup))
	m.ReplicationPolicyID = sameID(m.ReplicationPolicyID, deref(p.PolicyID))
	if a2a, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails); ok && a2a != nil {
		m.SourceVMID = sameID(m.SourceVMID, deref(a2a.FabricObjectID))
		m.NetworkID = sameID(m.NetworkID, deref(a2a.SelectedRecoveryAzureNetworkID))
		if s := currentSubnet(a2a); s != "" {
			m.RecoverySubnetName = sameID(m.RecoverySubnetName, s)
		}
		m.TargetVMSize = types.StringValue(deref(a2a.RecoveryAzureVMSize))
		m.TargetZone = optional(deref(a2a.RecoveryAvailabilityZone))
		m.MultiVMGroupName = optional(deref(a2a.MultiVMGroupName))
		cache := ""
		for _, d := range a2a.ProtectedManagedDisks {
			if d != nil && d.PrimaryStagingAzureStorageAccountID != nil {
				cache = *d.PrimaryStagingAzureStorageAccountID
				break
			}
		}
		m.CacheStorageAccountID = sameID(m.CacheStorageAccountID, cache)
		if cache == "" {
			m.CacheStorageAccountID = types.StringNull()
		}
	}
}

// sameID keeps cur when it names the same thing as got (ARM ids and names
// compare case-insensitively), so a case difference is not drift.
func sameID(cur types.String, got string) types.String {
	if !cur.IsNull() && !cur.IsUnknown() && strings.EqualFold(cur.ValueString(), got) {
		return cur
	}
	return types.StringValue(got)
}

// optional is null for "" (an optional attribute left unset).
func optional(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (r *replicatedVMResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior replicatedVMModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, defaultVMUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := parseItemID(prior.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid id in state", err.Error())
		return
	}
	m.ID = prior.ID
	changed := !m.NetworkID.Equal(prior.NetworkID) || !m.RecoverySubnetName.Equal(prior.RecoverySubnetName) ||
		(!m.TargetVMSize.IsUnknown() && !m.TargetVMSize.Equal(prior.TargetVMSize)) || !m.TestFailoverNIC.Equal(prior.TestFailoverNIC)
	if changed {
		in, _ := r.prepare(ctx, &m, false, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		size := ""
		if !m.TargetVMSize.IsUnknown() {
			size = m.TargetVMSize.ValueString()
		}
		if err := update(ctx, r.client, id, size, in.RecoveryNetworkID, in.RecoverySubnet, in.NICs, in.TestFailoverNIC); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot update replication of "+id.Name, err)
			return
		}
	}
	r.refresh(ctx, &m, &resp.Diagnostics, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *replicatedVMResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m replicatedVMModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, defaultVMDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := parseItemID(m.ID.ValueString())
	if err != nil {
		return // never created
	}
	if err := disable(ctx, r.client, id); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot disable replication of "+id.Name, err)
	}
}
