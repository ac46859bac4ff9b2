package failover

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.Resource                   = (*failoverResource)(nil)
	_ resource.ResourceWithConfigure      = (*failoverResource)(nil)
	_ resource.ResourceWithValidateConfig = (*failoverResource)(nil)
)

// defaultFailoverTimeout bounds a whole failover (failback included).
const defaultFailoverTimeout = 4 * time.Hour

// NewFailoverResource is the azuredr_failover factory.
func NewFailoverResource() resource.Resource { return &failoverResource{} }

type failoverResource struct {
	client *azure.Client
}

type failoverModel struct {
	ID                      types.String   `tfsdk:"id"`
	Name                    types.String   `tfsdk:"name"`
	SiteID                  types.String   `tfsdk:"site_id"`
	RecoveryPlanID          types.String   `tfsdk:"recovery_plan_id"`
	Type                    types.String   `tfsdk:"type"`
	ShutdownSourceVMs       types.Bool     `tfsdk:"shutdown_source_vms"`
	RecoveryPoint           types.String   `tfsdk:"recovery_point"`
	Reprotect               types.Bool     `tfsdk:"reprotect"`
	Failback                types.Bool     `tfsdk:"failback"`
	TrafficManagerProfileID types.String   `tfsdk:"traffic_manager_profile_id"`
	DNSServer               types.String   `tfsdk:"dns_server"`
	Approval                types.String   `tfsdk:"approval"`
	FailbackApproval        types.String   `tfsdk:"failback_approval"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`

	ApprovedBy         types.String `tfsdk:"approved_by"`
	StartedAt          types.String `tfsdk:"started_at"`
	CommittedAt        types.String `tfsdk:"committed_at"`
	ReprotectedAt      types.String `tfsdk:"reprotected_at"`
	FailedBackAt       types.String `tfsdk:"failed_back_at"`
	MeasuredRTO        types.String `tfsdk:"measured_rto"`
	MeasuredRTOSeconds types.Int64  `tfsdk:"measured_rto_seconds"`
	DNSAnswerAfter     types.String `tfsdk:"dns_answer_after"`
	DNSAnswerBack      types.String `tfsdk:"dns_answer_back"`
	Items              types.List   `tfsdk:"items"`
	Timeline           types.List   `tfsdk:"timeline"`
}

var failoverItemType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"replicated_vm_id":      types.StringType,
	"group":                 types.Int64Type,
	"vm_name":               types.StringType,
	"recovery_point_time":   types.StringType,
	"recovery_point_type":   types.StringType,
	"failover_started_at":   types.StringType,
	"failover_completed_at": types.StringType,
	"committed_at":          types.StringType,
	"reprotected_at":        types.StringType,
	"failed_back_at":        types.StringType,
	"protection_state":      types.StringType,
	"active_location":       types.StringType,
	"failover_job_id":       types.StringType,
	"commit_job_id":         types.StringType,
	"reprotect_job_id":      types.StringType,
	"failback_job_id":       types.StringType,
}}

func (r *failoverResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_failover"
}

func (r *failoverResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A real failover of a recovery plan — the cutover drill (full interruption) and the real DR invocation — run once, on create, and only with a signed approval. " +
			"The plan's groups fail over in order, the VMs of a group in parallel, with Site Recovery's unplanned failover — the only failover Azure to Azure replication has — to the chosen recovery point; with `shutdown_source_vms = true` (the default) Site Recovery first shuts the source VMs down (`sourceSiteOperations = Required`), so that a reachable primary stops taking writes (with the primary region down the failover goes on without it). " +
			"Then each VM is committed; then, by default, re-protected: replication back to the primary, with the reverse container mapping the `azuredr_replication_policy` creates and its policy, the original VMs' resource group as target, and the site's cache storage account in the recovery region (created when missing, like the one `azuredr_replicated_vm` uses in the primary region). " +
			"With `failback = true` the VMs then fail back to the primary (an unplanned failover back, shutting the recovery VMs down with `shutdown_source_vms`, then commit) and are re-protected to the recovery region again: a complete cutover drill.\n\n" +
			"**Approval gate.** `approval` must be a token signed with `go run ./cmd/azuredr-approve sign -plan <recovery_plan_id> -action failover` by one of the site's `approver`s, not expired. " +
			"With `failback = true` the failback needs its own approval, `failback_approval` (`-action failback`): returning to the primary is a second interruption, decided on its own. " +
			"Both are verified before anything starts; a missing, expired, forged (not signed by an approver's key), wrong-plan or wrong-action approval fails the apply with a diagnostic on the attribute and nothing is started. " +
			"A token signed for `planned_failover` or `unplanned_failover` (actions of earlier versions) is refused with the command to sign a new one. " +
			"Changing an approval later does not run anything again.\n\n" +
			"**Geo-DNS.** With `traffic_manager_profile_id`, after the commit the profile's endpoints whose role is `primary` are disabled (the recovery endpoints are then the only ones Traffic Manager answers, whatever the routing method or priorities: the least surprising switch, undone by re-enabling them), and the profile's name is resolved (through `dns_server` when set) until it answers a recovery endpoint; `dns_answer_after` records what it answered. On failback the primary endpoints are enabled again and the name must answer a primary endpoint. Without failback the profile's primary endpoints stay disabled: the `azuredr_traffic_manager_profile` then plans to enable them again, which would undo the switch; set their `enabled = false` in its configuration for as long as the application runs on the recovery side.\n\n" +
			"Any change to the inputs (other than the approvals and timeouts) runs a new failover, which then needs a new approval. " +
			"**Destroy does not fail back**: it only forgets the record; the VMs stay where the failover left them.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Identifies this failover (its name and start time)."),
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 80)},
				MarkdownDescription: "Name of the failover, for reports and the provider log."},
			"site_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Resources/resourceGroups")},
				MarkdownDescription: "The `azuredr_site` (its id) whose `approver`s may approve the failover."},
			"recovery_plan_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.RecoveryServices/vaults/replicationRecoveryPlans")},
				MarkdownDescription: "The `azuredr_recovery_plan` (its id) to fail over: its groups in order, the VMs of a group in parallel, with the plan's script actions before and after each group on the way to the recovery side (a required manual step refuses the failover before it starts: Terraform runs unattended). The approvals name it."},
			"type": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("unplanned"), PlanModifiers: replace,
				MarkdownDescription: "`unplanned` (the default and the only value): Azure to Azure replication has Site Recovery's unplanned failover only. `planned` (earlier versions) is refused at plan time: use `shutdown_source_vms = true` for a failover with the primary reachable."},
			"shutdown_source_vms": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
				MarkdownDescription: "`true` (default): Site Recovery shuts the source VMs down before failing over (`sourceSiteOperations = Required`; on failback, the recovery VMs), so the side left stops taking writes; with its region down the failover goes on without it. `false`: the source VMs are left as they are (`NotRequired`)."},
			"recovery_point": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.OneOf("latest_processed", "latest_app_consistent")},
				MarkdownDescription: "The recovery point each VM fails over to: `latest_processed` (default, the newest point) or `latest_app_consistent`."},
			"reprotect": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
				MarkdownDescription: "Re-protect after the commit: replicate the recovered VMs back to the primary region (default `true`), with the reverse container mapping and its policy, the original VMs' resource group and the site's cache storage account in the recovery region (created when missing)."},
			"failback": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
				MarkdownDescription: "`true`: a full cutover drill that returns to the primary: after re-protect, fail back (an unplanned failover back to the primary at Site Recovery's latest point, then commit) and re-protect to the recovery region again. Needs `reprotect` and `failback_approval`. Default `false`."},
			"traffic_manager_profile_id": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/trafficManagerProfiles")},
				MarkdownDescription: "An `azuredr_traffic_manager_profile` (its id) to switch to the recovery endpoints after the commit (its `primary` endpoints are disabled) and back on failback, each checked through DNS."},
			"dns_server": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "`host:port` of the DNS server the switch is checked through, as `azuredr_dns_answer` queries (default: the system resolver). The emulator's: `127.0.0.1:<its dns port>`."},
			"approval": schema.StringAttribute{Required: true, Sensitive: true,
				MarkdownDescription: "The signed approval of the failover: `go run ./cmd/azuredr-approve sign -key KEY -plan <recovery_plan_id> -action failover` by one of the site's approvers, not expired. Verified before anything starts."},
			"failback_approval": schema.StringAttribute{Optional: true, Sensitive: true,
				MarkdownDescription: "With `failback = true`: the signed approval of the failback (`-action failback`, same plan). Verified, with `approval`, before anything starts."},

			"approved_by":    computedString("Who approved the failover (and the failback, after a comma)."),
			"started_at":     computedString("When the failover started (RFC 3339)."),
			"committed_at":   computedString("When every VM had failed over and been committed."),
			"reprotected_at": computedString("When every VM replicated back to the primary (\"\" without re-protect)."),
			"failed_back_at": computedString("When every VM was back on the primary and committed (\"\" without failback)."),
			"measured_rto":   computedString("Measured RTO: start to the last commit (and the DNS switch, with a Traffic Manager profile), e.g. `9m0s`."),
			"measured_rto_seconds": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "`measured_rto` in seconds."},
			"dns_answer_after": computedString("The endpoint target DNS answered after the switch to the recovery side (\"\" without a profile)."),
			"dns_answer_back":  computedString("The endpoint target DNS answered after the failback (\"\" without one)."),
			"items": schema.ListAttribute{Computed: true, ElementType: failoverItemType, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Per VM: its group, recovery point, when it failed over, was committed, re-protected and failed back, its protection state and active location at the end, and the Site Recovery jobs (ARM ids; \"\" for one that did not run) of its failover, commit, re-protect back to the primary and failback."},
			"timeline": schema.ListAttribute{Computed: true, ElementType: types.StringType, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The failover's phases, one line each: elapsed time, phase, what happened."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
}

func (r *failoverResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}
