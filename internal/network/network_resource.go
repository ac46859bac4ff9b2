// Package network implements the network side of a DR pair: azuredr_network
// (the production vNet mirrored into the recovery region, plus an isolated
// test-failover vNet) and azuredr_network_security_group (rules declared once,
// realised in every region).
package network

import (
	"context"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.ResourceWithConfigure   = (*networkResource)(nil)
	_ resource.ResourceWithImportState = (*networkResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*networkResource)(nil)
)

const (
	networkCreateTimeout = 30 * time.Minute
	networkReadTimeout   = 5 * time.Minute
	networkUpdateTimeout = 30 * time.Minute
	networkDeleteTimeout = 30 * time.Minute
)

// NewNetworkResource is the azuredr_network factory.
func NewNetworkResource() resource.Resource { return &networkResource{} }

type networkResource struct {
	client *azure.Client
}

type networkModel struct {
	ID                   types.String   `tfsdk:"id"`
	SiteID               types.String   `tfsdk:"site_id"`
	PrimaryNetworkID     types.String   `tfsdk:"primary_network_id"`
	RecoveryNetworkName  types.String   `tfsdk:"recovery_network_name"`
	TestNetworkName      types.String   `tfsdk:"test_network_name"`
	RecoveryAddressSpace types.List     `tfsdk:"recovery_address_space"`
	AddressSpace         types.List     `tfsdk:"address_space"`
	PrimaryAddressSpace  types.List     `tfsdk:"primary_address_space"`
	RecoveryNetworkID    types.String   `tfsdk:"recovery_network_id"`
	TestNetworkID        types.String   `tfsdk:"test_network_id"`
	PrimarySubnets       types.Map      `tfsdk:"primary_subnets"`
	Subnets              types.Map      `tfsdk:"subnets"`
	TestNetworkIsolated  types.Bool     `tfsdk:"test_network_isolated"`
	FailoverMappingID    types.String   `tfsdk:"primary_to_recovery_network_mapping_id"`
	FailbackMappingID    types.String   `tfsdk:"recovery_to_primary_network_mapping_id"`
	Tags                 types.Map      `tfsdk:"tags"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

// subnetAttrTypes is one entry of `subnets`.
var subnetAttrTypes = map[string]attr.Type{
	"address_prefix": types.StringType,
	"primary_id":     types.StringType,
	"recovery_id":    types.StringType,
	"test_id":        types.StringType,
}

// subnetEntry is one entry of `subnets`.
type subnetEntry struct {
	AddressPrefix types.String `tfsdk:"address_prefix"`
	PrimaryID     types.String `tfsdk:"primary_id"`
	RecoveryID    types.String `tfsdk:"recovery_id"`
	TestID        types.String `tfsdk:"test_id"`
}

var vnetNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$`)

func (r *networkResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_network"
}

func (r *networkResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	nameRules := []validator.String{stringvalidator.RegexMatches(vnetNamePattern, "must be 2-64 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore")}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Mirrors an existing production virtual network into a site's recovery region, and creates an isolated " +
			"test-failover network with the same subnets (no peering, no gateway) for drills. Subnets keep their addresses by default, " +
			"as Site Recovery keeps a VM's private IP. When the production network gains or loses a subnet, the next plan shows the mirror's change.\n\n" +
			"It also creates the Site Recovery network mappings in the site's vault, production to recovery (failover) and recovery to production (failback), " +
			"so replicated VMs land in the recovery network; they are removed before the networks on destroy.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the recovery network (also the import id)."},
			"site_id": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "The `azuredr_site` whose recovery region and resource groups receive the networks."},
			"primary_network_id": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/virtualNetworks")},
				MarkdownDescription: "Id of the production virtual network, in the site's primary region. The provider reads it and never changes it."},
			"recovery_network_name": schema.StringAttribute{Optional: true, Computed: true, Validators: nameRules,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Name of the recovery network. Default: the primary's name with `-dr`."},
			"test_network_name": schema.StringAttribute{Optional: true, Computed: true, Validators: nameRules,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Name of the isolated test-failover network. Default: the primary's name with `-drill`."},
			"recovery_address_space": schema.ListAttribute{Optional: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(framework.CIDRValidator())},
				MarkdownDescription: "Address blocks for the recovery and test networks instead of the primary's, one per primary block and of the same size; subnets keep their offset in their block. Default: the primary's address space (same IPs after failover)."},
			"address_space": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Address space of the recovery and test networks."},
			"primary_address_space": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Address space of the production network as last read."},
			"recovery_network_id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the recovery network."},
			"test_network_id":     schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the isolated test-failover network."},
			"primary_subnets": schema.MapAttribute{Computed: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The production network's subnets (name to address prefix) as last read: what the mirror follows."},
			"subnets": schema.MapAttribute{Computed: true, ElementType: types.ObjectType{AttrTypes: subnetAttrTypes},
				MarkdownDescription: "The mirrored subnets by name: `address_prefix` in the recovery and test networks, and the subnet ids in each network (`test_id` is empty for `GatewaySubnet`, which the isolated test network never gets)."},
			"test_network_isolated": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether the test network has no peering and no gateway subnet. Checked on every read; an apply fails while it is false, saying why."},
			"primary_to_recovery_network_mapping_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the Site Recovery network mapping (in the site's vault, under the primary fabric) that sends failed-over VMs from the production network to the recovery network. " +
					"`\"\"` when a refresh found it missing or pointing elsewhere; the next apply recreates it."},
			"recovery_to_primary_network_mapping_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the network mapping under the recovery fabric, recovery network to production network, used to fail back after re-protection. " +
					"`\"\"` when a refresh found it missing. The test network is never mapped: a test failover names it."},
			"tags": schema.MapAttribute{Optional: true, ElementType: types.StringType, Validators: framework.TagsValidators(3),
				MarkdownDescription: "Tags for the recovery and test networks. Keys starting with `azuredr-` are reserved."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *networkResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *networkResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
