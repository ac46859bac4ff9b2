package replication

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

var (
	_ datasource.DataSource                     = (*replicatedVMDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*replicatedVMDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*replicatedVMDataSource)(nil)
)

// NewReplicatedVMDataSource is the azuredr_replicated_vm data source
// factory: the replication status of a VM, for checks and outputs in
// configurations that do not manage its replication.
func NewReplicatedVMDataSource() datasource.DataSource { return &replicatedVMDataSource{} }

type replicatedVMDataSource struct {
	client *azure.Client
}

type replicatedVMDataModel struct {
	vmSettings
	vmStatus
}

func (d *replicatedVMDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_replicated_vm"
}

func (d *replicatedVMDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Id of the replicated item. Give either `id`, or `site_id` and `name`."},
		"name": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Name of the replicated item in the site's vault (by default the VM's name); with `site_id`."},
		"site_id": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Id of the `azuredr_site`; with `name`."},
		"replication_policy_id":    computed("Id of the replication policy."),
		"network_id":               computed("Id of the recovery network the VM fails over into."),
		"source_vm_id":             computed("Id of the production VM."),
		"recovery_subnet_name":     computed("Subnet of the recovery network."),
		"target_vm_size":           computed("Size of the failed-over VM."),
		"target_zone":              computed("Availability zone of the failed-over VM (null for none)."),
		"multi_vm_group_name":      computed("Multi-VM consistency group (null for none)."),
		"cache_storage_account_id": computed("Cache storage account (null for none)."),
	}
	dataSourceStatusAttributes(attrs)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Replication status of a VM replicated by Site Recovery: health, RPO, the latest recovery point and the last test failover, read fresh at every plan.",
		Attributes:          attrs,
	}
}

func (d *replicatedVMDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("site_id")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("site_id"), path.MatchRoot("name")),
	}
}

func (d *replicatedVMDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *replicatedVMDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m replicatedVMDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id itemID
	if !m.ID.IsNull() {
		var err error
		if id, err = parseItemID(m.ID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid replicated VM id", err.Error())
			return
		}
	} else {
		s, err := site.Find(ctx, d.client, m.SiteID.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("site_id"), "Cannot use the site", azure.Describe(err))
			return
		}
		id = itemID{Subscription: d.client.SubscriptionID, ResourceGroup: s.RecoveryResourceGroup, Vault: s.VaultName,
			Fabric: s.PrimaryFabric, Container: s.PrimaryContainer, Name: m.Name.ValueString()}
	}
	item, err := findItem(ctx, d.client, id)
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the replicated VM", err)
		return
	}
	if item == nil {
		resp.Diagnostics.AddError("Replicated VM not found",
			fmt.Sprintf("%s does not exist: replication of that VM is not enabled in the vault. Check the name (by default the VM's name) or enable replication with azuredr_replicated_vm.", id))
		return
	}
	latest, err := latestRecoveryPoint(ctx, d.client, id)
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot list recovery points", err)
		return
	}
	m.vmSettings.fromItem(id, item)
	m.vmStatus.fill(item.Properties, latest)
	if m.ID.IsNull() || m.ID.IsUnknown() {
		m.ID = types.StringValue(id.String())
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
