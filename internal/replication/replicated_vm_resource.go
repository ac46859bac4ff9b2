package replication

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

var (
	_ resource.Resource                = (*replicatedVMResource)(nil)
	_ resource.ResourceWithConfigure   = (*replicatedVMResource)(nil)
	_ resource.ResourceWithImportState = (*replicatedVMResource)(nil)
)

// Default timeouts. Initial replication copies every disk across regions:
// hours for large disks, which is what azurerm users trip over with its
// default create timeout.
const (
	defaultVMCreateTimeout = 3 * time.Hour
	defaultVMReadTimeout   = 5 * time.Minute
	defaultVMUpdateTimeout = time.Hour
	defaultVMDeleteTimeout = time.Hour
)

// NewReplicatedVMResource is the azuredr_replicated_vm factory.
func NewReplicatedVMResource() resource.Resource { return &replicatedVMResource{} }

type replicatedVMResource struct {
	client *azure.Client
}

type replicatedVMModel struct {
	vmSettings
	vmStatus
	// Disk overrides, the replicated disks and the test failover NIC
	// settings (replicated_vm_disks.go, replicated_vm_nics.go): the
	// resource's only, the data source does not show them.
	Disk            types.List     `tfsdk:"disk"`
	Disks           types.List     `tfsdk:"disks"`
	TestFailoverNIC types.Object   `tfsdk:"test_failover_nic"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// vmSettings are the replicated VM's settings, shared with the data source.
type vmSettings struct {
	ID                    types.String `tfsdk:"id"`
	Name                  types.String `tfsdk:"name"`
	SiteID                types.String `tfsdk:"site_id"`
	ReplicationPolicyID   types.String `tfsdk:"replication_policy_id"`
	NetworkID             types.String `tfsdk:"network_id"`
	SourceVMID            types.String `tfsdk:"source_vm_id"`
	RecoverySubnetName    types.String `tfsdk:"recovery_subnet_name"`
	TargetVMSize          types.String `tfsdk:"target_vm_size"`
	TargetZone            types.String `tfsdk:"target_zone"`
	MultiVMGroupName      types.String `tfsdk:"multi_vm_group_name"`
	CacheStorageAccountID types.String `tfsdk:"cache_storage_account_id"`
}

// Site Recovery item names: letters, digits, hyphens, underscores and
// periods (a VM name is always one).
var itemNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func (r *replicatedVMResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_replicated_vm"
}

func (r *replicatedVMResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			MarkdownDescription: "Id of the Site Recovery replication protected item (the import id)."},
		"name": schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
			Validators:          []validator.String{stringvalidator.RegexMatches(itemNamePattern, "must be 1-64 letters, digits, periods, underscores and hyphens, starting with a letter or digit")},
			MarkdownDescription: "Name of the replicated item in the vault. Default: the source VM's name."},
		"site_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
			Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Resources/resourceGroups")},
			MarkdownDescription: "Id of the `azuredr_site` whose vault replicates the VM."},
		"replication_policy_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
			MarkdownDescription: "Id of the `azuredr_replication_policy` (recovery point retention and snapshot frequencies). Changing it re-enables replication, which starts initial replication again."},
		"network_id": schema.StringAttribute{Required: true,
			Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/virtualNetworks")},
			MarkdownDescription: "Id of the `azuredr_network` pair (its recovery network) the VM fails over into. Changes apply in place."},
		"source_vm_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
			Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Compute/virtualMachines")},
			MarkdownDescription: "Id of the production VM to replicate; it must run in the site's `primary_location`."},
		"recovery_subnet_name": schema.StringAttribute{Required: true,
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 80)},
			MarkdownDescription: "Subnet of the recovery network the failed-over VM joins. Changes apply in place."},
		"target_vm_size": schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			Validators:          []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]+$`), "must be a VM size such as Standard_D2s_v3")},
			MarkdownDescription: "Size of the failed-over VM. Default: what Site Recovery picks (the source VM's size). Changes apply in place."},
		"target_zone": schema.StringAttribute{Optional: true, PlanModifiers: replace,
			Validators:          []validator.String{stringvalidator.OneOf("1", "2", "3")},
			MarkdownDescription: "Availability zone of the failed-over VM in the recovery region."},
		"multi_vm_group_name": schema.StringAttribute{Optional: true, PlanModifiers: replace,
			Validators:          []validator.String{stringvalidator.RegexMatches(itemNamePattern, "must be 1-64 letters, digits, periods, underscores and hyphens")},
			MarkdownDescription: "Multi-VM consistency group: VMs in one group share crash- and app-consistent recovery points (the policy must have `multi_vm_sync`). Fixed once replication is enabled."},
		"cache_storage_account_id": schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
			Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Storage/storageAccounts")},
			MarkdownDescription: "Cache storage account that stages the VM's disk writes before they cross regions; Site Recovery requires one in the source VM's region. Default: the site's own cache account for that region, which the provider creates on first use (a standard general-purpose v2 account in the site's recovery resource group, tagged `" + tags.Role + " = " + tags.RoleCacheStorage + "`) and deletes with the site. A configured account must be in the source VM's region."},
	}
	diskAttributes(attrs)
	testFailoverNICAttribute(attrs)
	resourceStatusAttributes(attrs)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Replicates a production VM to the site's recovery region with Azure Site Recovery (Azure to Azure). " +
			"Create enables replication and waits for initial replication (progress in the provider log, `TF_LOG=info`); every refresh reads replication health, RPO, " +
			"the latest recovery point and the last test failover into state, where outputs and pipelines can act on them. Destroy disables replication.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *replicatedVMResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *replicatedVMResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := parseItemID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	if r.client != nil && id.Subscription != r.client.SubscriptionID {
		resp.Diagnostics.AddError("Import id in another subscription",
			fmt.Sprintf("%q is in subscription %s but the provider manages %s.", req.ID, id.Subscription, r.client.SubscriptionID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.String())...)
}
