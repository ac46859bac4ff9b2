// Package site implements azuredr_site: the regions of a DR topology, the
// resource groups that hold its recovery-side and test-failover resources,
// and the Site Recovery backbone (vault, fabrics, protection containers)
// that replication builds on.
package site

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
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
)

var (
	_ resource.Resource                   = (*siteResource)(nil)
	_ resource.ResourceWithConfigure      = (*siteResource)(nil)
	_ resource.ResourceWithImportState    = (*siteResource)(nil)
	_ resource.ResourceWithValidateConfig = (*siteResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*siteResource)(nil)
)

// Default timeouts. Deleting a resource group deletes everything in it, which
// for a recovery group full of replicated disks takes long.
const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 90 * time.Minute
)

// NewResource is the azuredr_site factory.
func NewResource() resource.Resource { return &siteResource{} }

type siteResource struct {
	client *azure.Client
}

type siteModel struct {
	ID                      types.String   `tfsdk:"id"`
	Name                    types.String   `tfsdk:"name"`
	PrimaryLocation         types.String   `tfsdk:"primary_location"`
	RecoveryLocation        types.String   `tfsdk:"recovery_location"`
	PairedLocation          types.String   `tfsdk:"paired_location"`
	RecoveryResourceGroup   types.String   `tfsdk:"recovery_resource_group_name"`
	TestResourceGroupName   types.String   `tfsdk:"test_resource_group_name"`
	RecoveryResourceGroupID types.String   `tfsdk:"recovery_resource_group_id"`
	TestResourceGroupID     types.String   `tfsdk:"test_resource_group_id"`
	VaultName               types.String   `tfsdk:"vault_name"`
	VaultID                 types.String   `tfsdk:"vault_id"`
	PrimaryFabricID         types.String   `tfsdk:"primary_fabric_id"`
	RecoveryFabricID        types.String   `tfsdk:"recovery_fabric_id"`
	PrimaryContainerID      types.String   `tfsdk:"primary_container_id"`
	RecoveryContainerID     types.String   `tfsdk:"recovery_container_id"`
	Tags                    types.Map      `tfsdk:"tags"`
	Approvers               types.List     `tfsdk:"approver"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

var siteNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,58}[a-zA-Z0-9])?$`)

func (r *siteResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_site"
}

func (r *siteResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The regions of a disaster-recovery topology: where production runs (`primary_location`) and where it recovers (`recovery_location`). " +
			"Creates the two resource groups in the recovery region that hold the recovery-side resources and the isolated test-failover (drill) resources, " +
			"then the Site Recovery backbone in the recovery group: a Recovery Services vault (`<name>-vault`, Standard, in the recovery region), " +
			"a replication fabric per region (`azuredr-<region>`) and a protection container in each (`azuredr-<region>-container`). " +
			"Replication policies (`azuredr_replication_policy`) and network mappings (`azuredr_network`) build on it.\n\n" +
			"`approver` blocks name the pre-appointed people whose signed approval a real failover of the site needs (test failovers need none): " +
			"make a key with `go run ./cmd/azuredr-approve keygen`, sign with `azuredr-approve sign`.\n\n" +
			"A create interrupted half-way resumes on the next apply; a create that fails removes what it made. " +
			"When a part of the backbone is deleted outside Terraform, the next plan shows its id changing from `\"\"` and the apply recreates it. " +
			"Destroying the site removes the containers, fabrics and vault, then both resource groups.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The id of the recovery resource group, which identifies the site (and is its import id)."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(siteNamePattern, "must be 1-60 letters, digits and hyphens, starting and ending with a letter or digit")},
				MarkdownDescription: "Name of the site, for example the application it protects (`milestone-cms`). Changing it creates a new site."},
			"primary_location": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{framework.LocationReplace()},
				Validators:          []validator.String{framework.LocationValidator()},
				MarkdownDescription: "Azure region where production runs, e.g. `centralus`. Case and spaces are ignored as ARM ignores them (`\"Central US\"` is `centralus`); the state keeps your spelling and Azure gets the canonical name."},
			"recovery_location": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{framework.LocationReplace()},
				Validators:          []validator.String{framework.LocationValidator()},
				MarkdownDescription: "Azure region to recover into, e.g. `eastus` (case and spaces ignored, as for `primary_location`). Must differ from `primary_location`; a warning says when it is not the primary's Azure paired region."},
			"paired_location": schema.StringAttribute{Computed: true,
				MarkdownDescription: "The Azure paired region of `primary_location` (empty for regions without a pair), for comparison with `recovery_location`."},
			"recovery_resource_group_name": schema.StringAttribute{Optional: true, Computed: true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{framework.ResourceGroupNameValidator()},
				MarkdownDescription: "Resource group in the recovery region for recovery-side resources. Default `<name>-dr`."},
			"test_resource_group_name": schema.StringAttribute{Optional: true, Computed: true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{framework.ResourceGroupNameValidator()},
				MarkdownDescription: "Resource group in the recovery region for test-failover (drill) resources, kept apart so a drill never touches the recovery side. Default `<name>-drill`."},
			"recovery_resource_group_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the recovery resource group."},
			"test_resource_group_id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Id of the test-failover resource group."},
			"vault_name": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Name of the Recovery Services vault: `<name>-vault`, in the recovery resource group."},
			"vault_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Id of the Recovery Services vault. `\"\"` when a refresh found it missing; the next apply recreates it."},
			"primary_fabric_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Id of the replication fabric of `primary_location` (`azuredr-<region>`). `\"\"` when a refresh found it missing."},
			"recovery_fabric_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Id of the replication fabric of `recovery_location`. `\"\"` when a refresh found it missing."},
			"primary_container_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Id of the protection container in the primary fabric (`azuredr-<region>-container`), the source of replication. `\"\"` when a refresh found it missing."},
			"recovery_container_id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Id of the protection container in the recovery fabric, the target of replication. `\"\"` when a refresh found it missing."},
			"tags": schema.MapAttribute{Optional: true, ElementType: types.StringType,
				Validators:          framework.TagsValidators(4),
				MarkdownDescription: "Tags for both resource groups. Keys starting with `azuredr-` are reserved for the provider."},
		},
		Blocks: map[string]schema.Block{
			"approver": approverBlock(),
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *siteResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *siteResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := arm.ParseResourceID(req.ID)
	if err != nil || id.ResourceType.String() != "Microsoft.Resources/resourceGroups" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not a resource group id. Import a site by its recovery resource group id: /subscriptions/<subscription>/resourceGroups/<name>-dr", req.ID))
		return
	}
	if r.client != nil && id.SubscriptionID != r.client.SubscriptionID {
		resp.Diagnostics.AddError("Import id in another subscription",
			fmt.Sprintf("%q is in subscription %s but the provider manages %s.", req.ID, id.SubscriptionID, r.client.SubscriptionID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("recovery_resource_group_name"), id.ResourceGroupName)...)
}
