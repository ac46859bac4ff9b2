package network

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*networkDataSource)(nil)

// NewNetworkDataSource is the azuredr_network data source factory.
func NewNetworkDataSource() datasource.DataSource { return &networkDataSource{} }

type networkDataSource struct {
	client *azure.Client
}

type networkDataModel struct {
	ID                  types.String `tfsdk:"id"`
	SiteID              types.String `tfsdk:"site_id"`
	PrimaryNetworkID    types.String `tfsdk:"primary_network_id"`
	RecoveryNetworkID   types.String `tfsdk:"recovery_network_id"`
	TestNetworkID       types.String `tfsdk:"test_network_id"`
	AddressSpace        types.List   `tfsdk:"address_space"`
	PrimaryAddressSpace types.List   `tfsdk:"primary_address_space"`
	PrimarySubnets      types.Map    `tfsdk:"primary_subnets"`
	Subnets             types.Map    `tfsdk:"subnets"`
	TestNetworkIsolated types.Bool   `tfsdk:"test_network_isolated"`
}

func (d *networkDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_network"
}

func (d *networkDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a network pair made by `azuredr_network`: the production, recovery and test-failover networks, their subnets, and whether the test network is isolated.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Required: true,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/virtualNetworks")},
				MarkdownDescription: "Id of the pair's recovery network (`azuredr_network.<name>.id`)."},
			"site_id":               computed("The site the pair belongs to."),
			"primary_network_id":    computed("Id of the production network."),
			"recovery_network_id":   computed("Id of the recovery network."),
			"test_network_id":       computed("Id of the isolated test-failover network."),
			"address_space":         schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Address space of the recovery and test networks."},
			"primary_address_space": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Address space of the production network."},
			"primary_subnets":       schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The production network's subnets, name to address prefix."},
			"subnets": schema.MapAttribute{Computed: true, ElementType: types.ObjectType{AttrTypes: subnetAttrTypes},
				MarkdownDescription: "The mirrored subnets by name, with their address prefix and their ids in each network."},
			"test_network_isolated": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the test network has no peering and no gateway subnet."},
		},
	}
}

func (d *networkDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *networkDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var in networkDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &in)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := findPair(ctx, d.client, in.ID.ValueString())
	if errors.Is(err, errPairGone) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Network pair not found", "No network pair has the recovery network "+in.ID.ValueString()+", or its test network is gone.")
		return
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the network pair", err)
		return
	}
	var m networkModel
	m.RecoveryAddressSpace = types.ListNull(types.StringType)
	m.Tags = types.MapNull(types.StringType)
	m.fill(ctx, p, &resp.Diagnostics)
	out := networkDataModel{ID: m.ID, SiteID: m.SiteID, PrimaryNetworkID: m.PrimaryNetworkID, RecoveryNetworkID: m.RecoveryNetworkID,
		TestNetworkID: m.TestNetworkID, AddressSpace: m.AddressSpace, PrimaryAddressSpace: m.PrimaryAddressSpace,
		PrimarySubnets: m.PrimarySubnets, Subnets: m.Subnets, TestNetworkIsolated: m.TestNetworkIsolated}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}
