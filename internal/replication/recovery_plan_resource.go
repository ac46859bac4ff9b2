package replication

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.ResourceWithConfigure      = (*recoveryPlanResource)(nil)
	_ resource.ResourceWithImportState    = (*recoveryPlanResource)(nil)
	_ resource.ResourceWithValidateConfig = (*recoveryPlanResource)(nil)
)

const (
	planCreateTimeout = 30 * time.Minute
	planReadTimeout   = 5 * time.Minute
	planUpdateTimeout = 30 * time.Minute
	planDeleteTimeout = 30 * time.Minute

	// Azure's limits per recovery plan.
	maxPlanGroups = 7
	maxPlanVMs    = 100

	maxActionTimeout = 24 * time.Hour
)

// NewRecoveryPlanResource is the azuredr_recovery_plan factory.
func NewRecoveryPlanResource() resource.Resource { return &recoveryPlanResource{} }

type recoveryPlanResource struct {
	client *azure.Client
}

type recoveryPlanModel struct {
	ID        types.String     `tfsdk:"id"`
	Name      types.String     `tfsdk:"name"`
	SiteID    types.String     `tfsdk:"site_id"`
	ItemCount types.Int64      `tfsdk:"item_count"`
	Groups    []planGroupModel `tfsdk:"group"`
	Timeouts  timeouts.Value   `tfsdk:"timeouts"`
}

type planGroupModel struct {
	ReplicatedVMIDs types.Set         `tfsdk:"replicated_vm_ids"`
	PreActions      []planActionModel `tfsdk:"pre_action"`
	PostActions     []planActionModel `tfsdk:"post_action"`
}

type planActionModel struct {
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	Command     types.List   `tfsdk:"command"`
	Timeout     types.String `tfsdk:"timeout"`
	Description types.String `tfsdk:"description"`
	Required    types.Bool   `tfsdk:"required"`
}

var (
	planNamePattern   = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	actionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9 ._-]{0,63}$`)
)

func (r *recoveryPlanResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_recovery_plan"
}

func actionBlock(when string) schema.ListNestedBlock {
	return schema.ListNestedBlock{
		MarkdownDescription: "A step run " + when + ", in the order written. Action names are unique within the plan.",
		NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{Required: true,
				Validators:          []validator.String{stringvalidator.RegexMatches(actionNamePattern, "must be 1-64 letters, digits, spaces, periods, underscores and hyphens, starting with a letter or digit")},
				MarkdownDescription: "Name of the step, unique within the plan, e.g. `warm-cache`."},
			"type": schema.StringAttribute{Required: true,
				Validators:          []validator.String{stringvalidator.OneOf(ActionScript, ActionManual)},
				MarkdownDescription: "`script` (a local command the drill runs) or `manual` (a step a person confirms)."},
			"command": schema.ListAttribute{Optional: true, ElementType: types.StringType,
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
				MarkdownDescription: "Script only, required: the command and its arguments, e.g. `[\"./scripts/warm-cache.sh\", \"--site\", \"dr\"]`. " +
					"The drill runs it on the machine running the drill, without a shell, with the drill's context in its environment " +
					"(`AZUREDR_*` variables); a non-zero exit fails the drill."},
			"timeout": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("5m"),
				Validators:          []validator.String{framework.DurationValidator(time.Second, maxActionTimeout, framework.DurationMultipleOf(time.Second))},
				MarkdownDescription: "Script only: how long the command may run, `1s` to `24h`. Default `5m`."},
			"description": schema.StringAttribute{Optional: true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 1000)},
				MarkdownDescription: "Manual only: what the person does, e.g. `Confirm the payment provider allow-lists the DR addresses`."},
			"required": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Manual only. In an unattended drill (nobody to confirm) a required step fails the drill, one not required is logged as skipped. Default `false`."},
		}},
	}
}

func (r *recoveryPlanResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Site Recovery recovery plan in a site's vault: the order in which an application's replicated VMs fail over. " +
			"Groups fail over one after the other, the VMs of a group in parallel; `pre_action` and `post_action` steps (scripts, manual checks) run " +
			"before and after each group. Drills (`azuredr_test_failover`) and the test harness run the plan this way, and the same plan is what " +
			"the Azure portal shows.\n\n" +
			"Azure's limits apply: at most 7 groups and 100 VMs per plan, a VM in at most one group. Each `group` is stored as a Site Recovery " +
			"`Boot` group (after the empty `Shutdown` and `Failover` groups Azure keeps); a script is stored as a script action whose path is the " +
			"command joined shell-safely, a manual step as a manual action whose description starts with `[required]` when `required` is true.\n\n" +
			"Changes apply in place. A plan changed outside Terraform (in the portal, say) shows in the next plan, and the apply restores it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Id of the recovery plan (`.../vaults/<site>-vault/replicationRecoveryPlans/<name>`), also the import id."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(planNamePattern, "must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit")},
				MarkdownDescription: "Name of the plan in the vault, e.g. `cms`. Changing it replaces the plan."},
			"site_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Resources/resourceGroups")},
				MarkdownDescription: "The `azuredr_site` (`azuredr_site.<name>.id`) whose vault holds the plan and replicates its VMs. Changing it replaces the plan."},
			"item_count": schema.Int64Attribute{Computed: true,
				MarkdownDescription: "Number of replicated VMs in the plan."},
		},
		Blocks: map[string]schema.Block{
			"group": schema.ListNestedBlock{
				MarkdownDescription: "A failover group, 1 to 7 in order: each group's VMs fail over together (in parallel) once the previous group and its `post_action` steps are done.",
				Validators:          []validator.List{listvalidator.SizeBetween(1, maxPlanGroups), listvalidator.IsRequired()},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"replicated_vm_ids": schema.SetAttribute{Required: true, ElementType: types.StringType,
							Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
							MarkdownDescription: "Ids of the `azuredr_replicated_vm`s of the site that fail over in this group. A VM belongs to one group at most."},
					},
					Blocks: map[string]schema.Block{
						"pre_action":  actionBlock("before the group fails over"),
						"post_action": actionBlock("after the group has failed over"),
					},
				},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *recoveryPlanResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// ImportState takes the plan's id; Read finds the site and the groups.
func (r *recoveryPlanResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, err := parsePlanID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error()+". Import a recovery plan by its id, e.g. azuredr_recovery_plan.<name>.id.")
		return
	}
	if r.client != nil && ref.Subscription != r.client.SubscriptionID {
		resp.Diagnostics.AddError("Import id in another subscription",
			fmt.Sprintf("%q is in subscription %s but the provider manages %s.", req.ID, ref.Subscription, r.client.SubscriptionID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ref.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), ref.Name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("site_id"), ref.SiteID())...)
}

// ---- model <-> plan ----

// toPlan is the planned plan; unknown values were resolved before apply.
func (m *recoveryPlanModel) toPlan(ctx context.Context) (*RecoveryPlan, error) {
	p := &RecoveryPlan{ID: m.ID.ValueString(), Name: m.Name.ValueString()}
	for _, g := range m.Groups {
		var pg PlanGroup
		var ids []string
		if d := g.ReplicatedVMIDs.ElementsAs(ctx, &ids, false); d.HasError() {
			return nil, fmt.Errorf("reading replicated_vm_ids: %v", d)
		}
		pg.Items = ids
		for _, x := range []struct {
			in  []planActionModel
			out *[]PlanAction
		}{{g.PreActions, &pg.Pre}, {g.PostActions, &pg.Post}} {
			for _, a := range x.in {
				pa, err := a.toAction(ctx)
				if err != nil {
					return nil, err
				}
				*x.out = append(*x.out, pa)
			}
		}
		p.Groups = append(p.Groups, pg)
	}
	return p, nil
}

func (a planActionModel) toAction(ctx context.Context) (PlanAction, error) {
	pa := PlanAction{Name: a.Name.ValueString(), Type: a.Type.ValueString(), Description: a.Description.ValueString(), Required: a.Required.ValueBool()}
	if !a.Command.IsNull() {
		if d := a.Command.ElementsAs(ctx, &pa.Command, false); d.HasError() {
			return pa, fmt.Errorf("reading command: %v", d)
		}
	}
	pa.Timeout = DefaultActionTimeout
	if !a.Timeout.IsNull() {
		t, err := duration.Parse(a.Timeout.ValueString())
		if err != nil {
			return pa, err
		}
		pa.Timeout = t
	}
	return pa, nil
}

// setFromPlan records what Azure holds, keeping prior's spelling where the
// meaning is the same (ids in another case, "1h" for "60m", a description
// left out), so a refresh of an unchanged plan shows no change.
func (m *recoveryPlanModel) setFromPlan(p *RecoveryPlan, prior []planGroupModel) {
	m.ItemCount = types.Int64Value(int64(p.ItemCount()))
	groups := make([]planGroupModel, 0, len(p.Groups))
	for i, g := range p.Groups {
		var was *planGroupModel
		if i < len(prior) {
			was = &prior[i]
		}
		spelled := map[string]string{}
		if was != nil {
			for _, e := range was.ReplicatedVMIDs.Elements() {
				if s, ok := e.(types.String); ok && !s.IsUnknown() {
					spelled[strings.ToLower(s.ValueString())] = s.ValueString()
				}
			}
		}
		ids := make([]attr.Value, 0, len(g.Items))
		for _, id := range g.Items {
			if s, ok := spelled[strings.ToLower(id)]; ok {
				id = s
			}
			ids = append(ids, types.StringValue(id))
		}
		gm := planGroupModel{ReplicatedVMIDs: types.SetValueMust(types.StringType, ids)}
		var prePrior, postPrior []planActionModel
		if was != nil {
			prePrior, postPrior = was.PreActions, was.PostActions
		}
		gm.PreActions = actionModels(g.Pre, prePrior)
		gm.PostActions = actionModels(g.Post, postPrior)
		groups = append(groups, gm)
	}
	m.Groups = groups
}

func actionModels(in []PlanAction, prior []planActionModel) []planActionModel {
	if len(in) == 0 {
		return nil
	}
	out := make([]planActionModel, 0, len(in))
	for i, a := range in {
		am := planActionModel{Name: types.StringValue(a.Name), Type: types.StringValue(a.Type),
			Command: types.ListNull(types.StringType), Description: types.StringNull(), Required: types.BoolValue(a.Required),
			Timeout: types.StringValue(duration.Format(DefaultActionTimeout))}
		if a.Type == ActionScript || a.Type == ActionRunbook {
			am.Timeout = types.StringValue(duration.Format(a.Timeout))
		}
		if a.Command != nil {
			words := make([]attr.Value, len(a.Command))
			for j, w := range a.Command {
				words[j] = types.StringValue(w)
			}
			am.Command = types.ListValueMust(types.StringType, words)
		}
		if a.Description != "" {
			am.Description = types.StringValue(a.Description)
		}
		if i < len(prior) && prior[i].Name.ValueString() == a.Name {
			if t := prior[i].Timeout; !t.IsNull() && !t.IsUnknown() && duration.Same(t.ValueString(), am.Timeout.ValueString()) {
				am.Timeout = t
			}
		}
		out = append(out, am)
	}
	return out
}
