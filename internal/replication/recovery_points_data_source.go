package replication

import (
	"context"
	"fmt"
	"strings"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ datasource.DataSource              = (*recoveryPointsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*recoveryPointsDataSource)(nil)
)

// NewRecoveryPointsDataSource is the azuredr_recovery_points factory: the
// recovery points a replicated VM can be recovered to, newest first, for
// choosing a point (before an infection time, the newest app-consistent
// one) and for retention checks.
func NewRecoveryPointsDataSource() datasource.DataSource { return &recoveryPointsDataSource{} }

type recoveryPointsDataSource struct {
	client *azure.Client
}

type recoveryPointsModel struct {
	ReplicatedVMID types.String `tfsdk:"replicated_vm_id"`
	Type           types.String `tfsdk:"type"`
	Before         types.String `tfsdk:"before"`
	ID             types.String `tfsdk:"id"`
	RecoveryPoints types.List   `tfsdk:"recovery_points"`
	Latest         types.Object `tfsdk:"latest"`
	Oldest         types.Object `tfsdk:"oldest"`
}

func (d *recoveryPointsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_recovery_points"
}

func (d *recoveryPointsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Recovery points of a VM replicated by Site Recovery, newest first: when each was taken and whether it is crash- or app-consistent.",
		Attributes: map[string]schema.Attribute{
			"replicated_vm_id": schema.StringAttribute{Required: true,
				MarkdownDescription: "Id of the replicated VM (`azuredr_replicated_vm.<name>.id`)."},
			"type": schema.StringAttribute{Optional: true,
				Validators:          []validator.String{stringvalidator.OneOf("CrashConsistent", "AppConsistent")},
				MarkdownDescription: "Only points of this type: `CrashConsistent` or `AppConsistent`."},
			"before": schema.StringAttribute{Optional: true,
				Validators:          []validator.String{framework.RFC3339Validator()},
				MarkdownDescription: "Only points taken strictly before this RFC 3339 time (for example the moment ransomware struck)."},
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Same as `replicated_vm_id`."},
			"recovery_points": schema.ListAttribute{Computed: true, ElementType: recoveryPointType,
				MarkdownDescription: "The points, newest first: `id`, `name`, `time` (RFC 3339), `type`, `sync_type`."},
			"latest": schema.ObjectAttribute{Computed: true, AttributeTypes: recoveryPointType.AttrTypes,
				MarkdownDescription: "The newest matching point (null when none)."},
			"oldest": schema.ObjectAttribute{Computed: true, AttributeTypes: recoveryPointType.AttrTypes,
				MarkdownDescription: "The oldest matching point still retained (null when none)."},
		},
	}
}

func (d *recoveryPointsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *recoveryPointsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m recoveryPointsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := parseItemID(m.ReplicatedVMID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("replicated_vm_id"), "Invalid replicated VM id", err.Error())
		return
	}
	var before time.Time
	if !m.Before.IsNull() {
		before, _ = time.Parse(time.RFC3339, m.Before.ValueString()) // validated
	}
	points, err := listRecoveryPoints(ctx, d.client, id)
	if azure.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("replicated_vm_id"), "Replicated VM not found",
			fmt.Sprintf("%s does not exist: replication of that VM is not enabled.", id))
		return
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot list recovery points", err)
		return
	}
	var kept []*asr.RecoveryPoint
	for _, rp := range points {
		if !m.Type.IsNull() && !strings.EqualFold(deref(rp.Properties.RecoveryPointType), m.Type.ValueString()) {
			continue
		}
		if !before.IsZero() && !rp.Properties.RecoveryPointTime.Before(before) {
			continue
		}
		kept = append(kept, rp)
	}
	values := make([]attr.Value, 0, len(kept))
	for _, rp := range kept {
		values = append(values, recoveryPointValue(rp))
	}
	m.ID = m.ReplicatedVMID
	m.RecoveryPoints = types.ListValueMust(recoveryPointType, values)
	m.Latest, m.Oldest = recoveryPointValue(nil), recoveryPointValue(nil)
	if len(kept) > 0 {
		m.Latest, m.Oldest = recoveryPointValue(kept[0]), recoveryPointValue(kept[len(kept)-1])
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
