package network

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.ResourceWithConfigure      = (*nsgResource)(nil)
	_ resource.ResourceWithImportState    = (*nsgResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*nsgResource)(nil)
	_ resource.ResourceWithValidateConfig = (*nsgResource)(nil)
)

const (
	nsgCreateTimeout = 30 * time.Minute
	nsgReadTimeout   = 5 * time.Minute
	nsgUpdateTimeout = 30 * time.Minute
	nsgDeleteTimeout = 30 * time.Minute
)

// NewNSGResource is the azuredr_network_security_group factory.
func NewNSGResource() resource.Resource { return &nsgResource{} }

type nsgResource struct {
	client *azure.Client
}

type nsgModel struct {
	ID                           types.String   `tfsdk:"id"`
	NetworkID                    types.String   `tfsdk:"network_id"`
	Name                         types.String   `tfsdk:"name"`
	SubnetNames                  types.Set      `tfsdk:"subnet_names"`
	Rules                        types.List     `tfsdk:"rules"`
	SourceNetworkSecurityGroupID types.String   `tfsdk:"source_network_security_group_id"`
	PrimaryID                    types.String   `tfsdk:"primary_id"`
	RecoveryID                   types.String   `tfsdk:"recovery_id"`
	TestID                       types.String   `tfsdk:"test_id"`
	RegionsInSync                types.Bool     `tfsdk:"regions_in_sync"`
	Findings                     types.List     `tfsdk:"findings"`
	Tags                         types.Map      `tfsdk:"tags"`
	Timeouts                     timeouts.Value `tfsdk:"timeouts"`
}

// ruleModel is one element of `rules`.
type ruleModel struct {
	Name                       types.String `tfsdk:"name"`
	Priority                   types.Int64  `tfsdk:"priority"`
	Direction                  types.String `tfsdk:"direction"`
	Access                     types.String `tfsdk:"access"`
	Protocol                   types.String `tfsdk:"protocol"`
	SourceAddressPrefixes      types.List   `tfsdk:"source_address_prefixes"`
	SourcePortRanges           types.List   `tfsdk:"source_port_ranges"`
	DestinationAddressPrefixes types.List   `tfsdk:"destination_address_prefixes"`
	DestinationPortRanges      types.List   `tfsdk:"destination_port_ranges"`
	Description                types.String `tfsdk:"description"`
}

var ruleAttrTypes = map[string]attr.Type{
	"name": types.StringType, "priority": types.Int64Type, "direction": types.StringType, "access": types.StringType,
	"protocol": types.StringType, "source_address_prefixes": types.ListType{ElemType: types.StringType},
	"source_port_ranges": types.ListType{ElemType: types.StringType}, "destination_address_prefixes": types.ListType{ElemType: types.StringType},
	"destination_port_ranges": types.ListType{ElemType: types.StringType}, "description": types.StringType,
}

func (r *nsgResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_network_security_group"
}

func (r *nsgResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	anyList := func(desc string) schema.ListAttribute {
		// No schema Default: the framework would also apply it to rules
		// mirrored from a source NSG. An omitted list means "*" (see fill).
		return schema.ListAttribute{Optional: true, Computed: true, ElementType: types.StringType,
			Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues()}, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Security rules declared once and realised as a network security group in the primary region, the recovery region and " +
			"on the isolated test network, each associated with the mirrored subnets named in `subnet_names`. Or, with " +
			"`source_network_security_group_id`, an existing production NSG's rules mirrored into the recovery region and test network. " +
			"Every read compares the regions: a rule changed in one region outside Terraform shows in the plan, and `findings` lists " +
			"management ports open to the Internet and differences between regions.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the recovery-region NSG (also the import id)."},
			"network_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/virtualNetworks")},
				MarkdownDescription: "The `azuredr_network` (its id) whose networks the NSGs protect."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(vnetNamePattern, "must be 2-64 letters, digits, underscores, periods and hyphens")},
				MarkdownDescription: "Name of the NSG in each region's resource group."},
			"subnet_names": schema.SetAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Mirrored subnets to associate with the NSG, in every region. `GatewaySubnet` cannot take an NSG."},
			"source_network_security_group_id": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/networkSecurityGroups")},
				MarkdownDescription: "An existing production NSG whose rules are mirrored into the recovery region and test network, instead of `rules`. The production NSG is read, never changed."},
			"rules": schema.ListNestedAttribute{Optional: true,
				MarkdownDescription: "The security rules, realised in every region. Not set when mirroring a source NSG (`findings` then shows what its rules expose).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.LengthBetween(1, 80)},
						MarkdownDescription: "Rule name, unique in the NSG."},
					"priority": schema.Int64Attribute{Required: true, Validators: []validator.Int64{int64validator.Between(100, 4096)},
						MarkdownDescription: "100-4096; lower wins. Unique per direction."},
					"direction": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("Inbound", "Outbound")},
						MarkdownDescription: "`Inbound` or `Outbound`."},
					"access": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("Allow", "Deny")},
						MarkdownDescription: "`Allow` or `Deny`."},
					"protocol": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("Tcp", "Udp", "Icmp", "Esp", "Ah", "*")},
						MarkdownDescription: "`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`."},
					"source_address_prefixes":      anyList("CIDR blocks, IPs or service tags (`Internet`, `VirtualNetwork`, ...). Default `[\"*\"]`."),
					"source_port_ranges":           anyList("Ports or ranges (`443`, `1024-65535`). Default `[\"*\"]`."),
					"destination_address_prefixes": anyList("CIDR blocks, IPs or service tags. Default `[\"*\"]`."),
					"destination_port_ranges":      anyList("Ports or ranges. Default `[\"*\"]`."),
					"description":                  schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "Free text."},
				}},
			},
			"primary_id":  schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the primary-region NSG (the source NSG when mirroring one)."},
			"recovery_id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the recovery-region NSG."},
			"test_id":     schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the test network's NSG."},
			"regions_in_sync": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "Whether every region has the same rules and subnet associations. An apply brings them back in line."},
			"findings": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Inbound rules that open management ports (22, 3389, 5985-5986) to the Internet, in any region, and differences between regions."},
			"tags": schema.MapAttribute{Optional: true, ElementType: types.StringType, Validators: framework.TagsValidators(3),
				MarkdownDescription: "Tags for the NSGs. Keys starting with `azuredr-` are reserved."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *nsgResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *nsgResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
