package replication

import (
	"context"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.ResourceWithConfigure      = (*policyResource)(nil)
	_ resource.ResourceWithImportState    = (*policyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource)(nil)
)

const (
	policyCreateTimeout = 30 * time.Minute
	policyReadTimeout   = 5 * time.Minute
	policyUpdateTimeout = 30 * time.Minute
	policyDeleteTimeout = 30 * time.Minute
)

// Defaults and limits of the A2A policy settings (Azure's, in minutes).
const (
	defaultRetention      = "24h"
	defaultAppFrequency   = "4h"
	defaultCrashFrequency = "5m"
	maxRetention          = 15 * 24 * time.Hour
	minAppFrequency       = time.Hour
	maxAppFrequency       = 12 * time.Hour
	minCrashFrequency     = time.Minute
	maxCrashFrequency     = time.Hour
)

// NewPolicyResource is the azuredr_replication_policy factory.
func NewPolicyResource() resource.Resource { return &policyResource{} }

type policyResource struct {
	client *azure.Client
}

type policyModel struct {
	ID                       types.String   `tfsdk:"id"`
	Name                     types.String   `tfsdk:"name"`
	SiteID                   types.String   `tfsdk:"site_id"`
	RecoveryPointRetention   types.String   `tfsdk:"recovery_point_retention"`
	AppConsistentFrequency   types.String   `tfsdk:"app_consistent_snapshot_frequency"`
	CrashConsistentFrequency types.String   `tfsdk:"crash_consistent_snapshot_frequency"`
	MultiVMSync              types.Bool     `tfsdk:"multi_vm_sync"`
	FailoverMappingID        types.String   `tfsdk:"primary_to_recovery_mapping_id"`
	FailbackMappingID        types.String   `tfsdk:"recovery_to_primary_mapping_id"`
	Timeouts                 timeouts.Value `tfsdk:"timeouts"`
}

// policyNamePattern keeps names short enough for the mapping names derived
// from them (policy_azure.go, mappingName).
var policyNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,36}[a-zA-Z0-9])?$`)

func (r *policyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_replication_policy"
}

func (r *policyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Azure-to-Azure Site Recovery replication policy in a site's vault: how often recovery points are taken and how long they are kept " +
			"(the RPO tier of the VMs replicated under it), and the pair of protection container mappings that applies it between the site's regions " +
			"(primary to recovery for replication, recovery to primary for failback after re-protection).\n\n" +
			"The policy is its own resource rather than part of `azuredr_site` because one vault serves several applications with different RPO tiers, " +
			"one policy and one mapping pair each; because a retention change must never touch the site (whose replacement would remove the vault); " +
			"and because azurerm splits them the same way (`azurerm_site_recovery_replication_policy`, `azurerm_site_recovery_protection_container_mapping`).\n\n" +
			"Settings change in place. A setting changed outside Terraform, or a mapping deleted, shows in the next plan and the apply restores it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the replication policy (`.../vaults/<site>-vault/replicationPolicies/<name>`), also the import id."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(policyNamePattern, "must be 1-38 letters, digits and hyphens, starting and ending with a letter or digit")},
				MarkdownDescription: "Name of the policy in the vault, e.g. `tier1-24h`. The mappings are named `<name>-<primary>-to-<recovery>` and `<name>-<recovery>-to-<primary>`. Changing it replaces the policy."},
			"site_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Resources/resourceGroups")},
				MarkdownDescription: "The `azuredr_site` (`azuredr_site.<name>.id`) whose vault holds the policy and whose protection containers it maps. Changing it replaces the policy."},
			"recovery_point_retention": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultRetention),
				Validators: []validator.String{framework.DurationValidator(0, maxRetention, framework.DurationMultipleOf(time.Minute))},
				MarkdownDescription: "How long recovery points are kept, e.g. `24h`, `3d`: how far back a failover can go. From `0` (only the latest point) to `15d`, in whole minutes. " +
					"Site Recovery keeps every point of the last two hours and prunes older ones to one per hour (retention up to a day) or one per two hours (longer; one per four hours beyond seven days). " +
					"Default `24h`."},
			"app_consistent_snapshot_frequency": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultAppFrequency),
				Validators: []validator.String{framework.DurationValidator(minAppFrequency, maxAppFrequency, framework.DurationAllowZero(), framework.DurationMultipleOf(time.Minute))},
				MarkdownDescription: "How often application-consistent recovery points (VSS on Windows, pre/post scripts on Linux) are taken: `1h` to `12h` in whole minutes, " +
					"and not above `recovery_point_retention`; `0` turns them off. Default `4h`."},
			"crash_consistent_snapshot_frequency": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultCrashFrequency),
				Validators: []validator.String{framework.DurationValidator(minCrashFrequency, maxCrashFrequency, framework.DurationMultipleOf(time.Minute))},
				MarkdownDescription: "Crash-consistent snapshot frequency sent to Azure, `1m` to `60m`. Default `5m`. " +
					"Note that Azure Site Recovery currently takes crash-consistent recovery points every 5 minutes whatever this says, so `5m` is the honest value to plan RPO with."},
			"multi_vm_sync": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether VMs replicated under this policy in the same replication group share crash- and app-consistent recovery points, " +
					"so a multi-tier application fails over to one consistent moment. Default `true`."},
			"primary_to_recovery_mapping_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the protection container mapping from the primary container to the recovery container (replication and failover). " +
					"`\"\"` when a refresh found it missing or changed; the next apply recreates it."},
			"recovery_to_primary_mapping_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the protection container mapping from the recovery container back to the primary container (re-protection and failback). " +
					"`\"\"` when a refresh found it missing or changed; the next apply recreates it."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *policyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// ImportState takes the policy's id; Read finds the site and the rest.
func (r *policyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, err := parsePolicyID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error()+". Import a policy by its id, e.g. azuredr_replication_policy.<name>.id.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ref.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), ref.Name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("site_id"), ref.SiteID())...)
}
