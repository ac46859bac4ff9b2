package replication

import (
	"context"
	"fmt"
	"strings"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

// The replicated VM's disks: every managed disk of the source VM
// replicates with the source disk's type (replica and target), unless a
// `disk` entry overrides it; `disks` shows what Site Recovery replicates.

// diskTypes are the managed disk types Site Recovery replicates to.
var diskTypes = []string{"Standard_LRS", "StandardSSD_LRS", "Premium_LRS", "StandardSSD_ZRS", "Premium_ZRS"}

var diskOverrideType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"disk_id":           types.StringType,
	"target_disk_type":  types.StringType,
	"replica_disk_type": types.StringType,
}}

var replicatedDiskType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"disk_id":                  types.StringType,
	"name":                     types.StringType,
	"target_disk_type":         types.StringType,
	"replica_disk_type":        types.StringType,
	"cache_storage_account_id": types.StringType,
}}

type diskOverride struct {
	DiskID          types.String `tfsdk:"disk_id"`
	TargetDiskType  types.String `tfsdk:"target_disk_type"`
	ReplicaDiskType types.String `tfsdk:"replica_disk_type"`
}

type replicatedDisk struct {
	DiskID                types.String `tfsdk:"disk_id"`
	Name                  types.String `tfsdk:"name"`
	TargetDiskType        types.String `tfsdk:"target_disk_type"`
	ReplicaDiskType       types.String `tfsdk:"replica_disk_type"`
	CacheStorageAccountID types.String `tfsdk:"cache_storage_account_id"`
}

func diskAttributes(into map[string]schema.Attribute) {
	typeAttr := func(what string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf(diskTypes...)},
			MarkdownDescription: what + " Default: the source disk's type. One of `" + strings.Join(diskTypes, "`, `") + "`."}
	}
	into["disk"] = schema.ListNestedAttribute{Optional: true,
		PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplaceIf(diskOverridesChangeTypes,
			"Replaces the replicated VM when an override asks for other disk types than Site Recovery replicates with.",
			"Replaces the replicated VM when an override asks for other disk types than Site Recovery replicates with.")},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"disk_id": schema.StringAttribute{Required: true,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Compute/disks")},
				MarkdownDescription: "Id of one of the source VM's managed disks."},
			"target_disk_type":  typeAttr("Type of the disk the failed-over VM gets (`recoveryTargetDiskAccountType`): a premium type needs a VM size with premium storage."),
			"replica_disk_type": typeAttr("Type of the replica disk Site Recovery writes in the recovery region (`recoveryReplicaDiskAccountType`): Standard_LRS saves money for disks with little churn."),
		}},
		MarkdownDescription: "Disk type overrides, one per source disk to override. Every managed disk of the source VM replicates; disks not listed keep their source type. Changing a type re-enables replication."}
	into["disks"] = schema.ListNestedAttribute{Computed: true,
		PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"disk_id":                  schema.StringAttribute{Computed: true, MarkdownDescription: "Source disk id."},
			"name":                     schema.StringAttribute{Computed: true, MarkdownDescription: "Source disk name."},
			"target_disk_type":         schema.StringAttribute{Computed: true, MarkdownDescription: "Type of the failed-over VM's disk."},
			"replica_disk_type":        schema.StringAttribute{Computed: true, MarkdownDescription: "Type of the replica disk."},
			"cache_storage_account_id": schema.StringAttribute{Computed: true, MarkdownDescription: "Cache storage account staging the disk's writes."},
		}},
		MarkdownDescription: "The disks Site Recovery replicates, with their types and cache storage account."}
}

// diskOverridesChangeTypes: replace only when a planned override differs
// from what Site Recovery reports (state's `disks`), so adding overrides
// that match (after an import, say) changes nothing in Azure.
func diskOverridesChangeTypes(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var overrides []diskOverride
	if req.PlanValue.IsUnknown() || req.PlanValue.IsNull() {
		return
	}
	for _, e := range req.PlanValue.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsUnknown() {
			// A whole override known after apply: as for an unknown
			// disk_id below, it may change a disk's type.
			resp.RequiresReplace = true
			return
		}
	}
	resp.Diagnostics.Append(req.PlanValue.ElementsAs(ctx, &overrides, true)...)
	var disks types.List
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("disks"), &disks)...)
	if resp.Diagnostics.HasError() || disks.IsNull() || disks.IsUnknown() {
		return
	}
	var actual []replicatedDisk
	resp.Diagnostics.Append(disks.ElementsAs(ctx, &actual, true)...)
	for _, o := range overrides {
		if o.DiskID.IsUnknown() {
			resp.RequiresReplace = true
			return
		}
		d := findDisk(actual, o.DiskID.ValueString())
		if d == nil {
			resp.RequiresReplace = true
			return
		}
		if differs(o.TargetDiskType, d.TargetDiskType) || differs(o.ReplicaDiskType, d.ReplicaDiskType) {
			resp.RequiresReplace = true
			return
		}
	}
}

func differs(want, got types.String) bool {
	return want.IsUnknown() || (!want.IsNull() && !strings.EqualFold(want.ValueString(), got.ValueString()))
}

func findDisk(disks []replicatedDisk, id string) *replicatedDisk {
	for i := range disks {
		if strings.EqualFold(disks[i].DiskID.ValueString(), id) {
			return &disks[i]
		}
	}
	return nil
}

// diskPlan is a disk to replicate: the source disk with the types to ask.
type diskPlan struct {
	ID, ReplicaType, TargetType string
}

// planDisks resolves the overrides against the source VM's disks: each
// override must name one of them; every disk gets the source type unless
// overridden.
func planDisks(ctx context.Context, overrides types.List, vm *sourceVM, diags *diag.Diagnostics) []diskPlan {
	var in []diskOverride
	if !overrides.IsNull() && !overrides.IsUnknown() {
		diags.Append(overrides.ElementsAs(ctx, &in, false)...)
	}
	out := make([]diskPlan, len(vm.Disks))
	for i, d := range vm.Disks {
		out[i] = diskPlan{ID: d.ID, ReplicaType: d.Type, TargetType: d.Type}
	}
	for i, o := range in {
		found := false
		for j := range out {
			if !strings.EqualFold(out[j].ID, o.DiskID.ValueString()) {
				continue
			}
			found = true
			if v := o.TargetDiskType.ValueString(); v != "" {
				out[j].TargetType = v
			}
			if v := o.ReplicaDiskType.ValueString(); v != "" {
				out[j].ReplicaType = v
			}
		}
		if !found {
			var ids []string
			for _, d := range vm.Disks {
				ids = append(ids, d.ID)
			}
			diags.AddAttributeError(path.Root("disk").AtListIndex(i).AtName("disk_id"), "Not a disk of the source VM",
				fmt.Sprintf("disk[%d].disk_id: %s is not attached to %s. Its managed disks: %s.", i, o.DiskID.ValueString(), vm.Name, strings.Join(ids, ", ")))
		}
	}
	return out
}

// disksFromItem is `disks` as Site Recovery reports them.
func disksFromItem(a2a *asr.A2AReplicationDetails) types.List {
	var out []attr.Value
	for _, d := range a2a.ProtectedManagedDisks {
		if d == nil {
			continue
		}
		out = append(out, types.ObjectValueMust(replicatedDiskType.AttrTypes, map[string]attr.Value{
			"disk_id":                  types.StringValue(deref(d.DiskID)),
			"name":                     types.StringValue(deref(d.DiskName)),
			"target_disk_type":         types.StringValue(deref(d.RecoveryTargetDiskAccountType)),
			"replica_disk_type":        types.StringValue(deref(d.RecoveryReplicaDiskAccountType)),
			"cache_storage_account_id": types.StringValue(deref(d.PrimaryStagingAzureStorageAccountID)),
		}))
	}
	return types.ListValueMust(replicatedDiskType, out)
}

// overridesFromItem keeps the configured overrides, each type set to what
// Site Recovery reports for its disk (drift shows in the plan); an
// override of a disk no longer replicated is kept as is (the plan replaces).
func overridesFromItem(ctx context.Context, cur types.List, a2a *asr.A2AReplicationDetails) types.List {
	if cur.IsNull() || cur.IsUnknown() {
		return types.ListNull(diskOverrideType)
	}
	var in []diskOverride
	if d := cur.ElementsAs(ctx, &in, false); d.HasError() {
		return cur
	}
	var out []attr.Value
	for _, o := range in {
		for _, d := range a2a.ProtectedManagedDisks {
			if d == nil || !strings.EqualFold(deref(d.DiskID), o.DiskID.ValueString()) {
				continue
			}
			if !o.TargetDiskType.IsNull() {
				o.TargetDiskType = sameID(o.TargetDiskType, deref(d.RecoveryTargetDiskAccountType))
			}
			if !o.ReplicaDiskType.IsNull() {
				o.ReplicaDiskType = sameID(o.ReplicaDiskType, deref(d.RecoveryReplicaDiskAccountType))
			}
		}
		out = append(out, types.ObjectValueMust(diskOverrideType.AttrTypes, map[string]attr.Value{
			"disk_id": o.DiskID, "target_disk_type": o.TargetDiskType, "replica_disk_type": o.ReplicaDiskType,
		}))
	}
	return types.ListValueMust(diskOverrideType, out)
}
