package replication

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ValidateConfig checks what spans blocks: Azure's per-plan limits, a VM in
// one group at most, unique action names, and what each action type needs.
// Values unknown at plan time (ids of VMs created in the same apply) are
// checked at apply. Formats and ranges are the schema's validators.
func (r *recoveryPlanResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var groups types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("group"), &groups)...)
	if resp.Diagnostics.HasError() || groups.IsUnknown() || groups.IsNull() {
		return
	}
	var m recoveryPlanModel
	if d := req.Config.Get(ctx, &m); d.HasError() {
		return // parts are unknown (dynamic blocks): checked at apply
	}
	if len(m.Groups) > maxPlanGroups {
		addAt(&resp.Diagnostics, path.Root("group"), "Too many groups",
			fmt.Sprintf("The plan has %d groups; Azure allows at most %d per recovery plan. Merge groups whose VMs can start together, or split the application into several plans.", len(m.Groups), maxPlanGroups))
	}
	seenVM := map[string]int{}           // lower-cased id -> group index
	seenAction := map[string]path.Path{} // lower-cased name -> where
	total := 0
	for i, g := range m.Groups {
		gp := path.Root("group").AtListIndex(i)
		if !g.ReplicatedVMIDs.IsUnknown() {
			for _, e := range g.ReplicatedVMIDs.Elements() {
				s, ok := e.(types.String)
				if !ok || s.IsUnknown() || s.IsNull() {
					continue
				}
				total++
				key := strings.ToLower(s.ValueString())
				if j, dup := seenVM[key]; dup {
					addAt(&resp.Diagnostics, gp.AtName("replicated_vm_ids"), "VM in two groups",
						fmt.Sprintf("%s is in group %d and group %d (counting from 0). A VM fails over once: keep it in one group.", s.ValueString(), j, i))
					continue
				}
				seenVM[key] = i
			}
		}
		for _, x := range []struct {
			block   string
			actions []planActionModel
		}{{"pre_action", g.PreActions}, {"post_action", g.PostActions}} {
			for k, a := range x.actions {
				ap := gp.AtName(x.block).AtListIndex(k)
				if !a.Name.IsUnknown() && !a.Name.IsNull() {
					key := strings.ToLower(a.Name.ValueString())
					if where, dup := seenAction[key]; dup {
						addAt(&resp.Diagnostics, ap.AtName("name"), "Duplicate action name",
							fmt.Sprintf("The action name %q is already used at %s; action names are unique within a recovery plan.", a.Name.ValueString(), where))
					} else {
						seenAction[key] = ap
					}
				}
				validateAction(a, ap, resp)
			}
		}
	}
	if total > maxPlanVMs {
		addAt(&resp.Diagnostics, path.Root("group"), "Too many VMs",
			fmt.Sprintf("The plan holds %d VMs; Azure allows at most %d per recovery plan. Split the application into several plans.", total, maxPlanVMs))
	}
}

// validateAction checks the attributes an action's type needs or refuses.
func validateAction(a planActionModel, ap path.Path, resp *resource.ValidateConfigResponse) {
	if a.Type.IsUnknown() || a.Type.IsNull() {
		return
	}
	set := func(v interface{ IsNull() bool }) bool { return !v.IsNull() }
	switch a.Type.ValueString() {
	case ActionScript:
		if a.Command.IsNull() {
			addAt(&resp.Diagnostics, ap.AtName("command"), "Script without a command",
				"A script action needs `command`: the command and its arguments, e.g. command = [\"./scripts/warm-cache.sh\", \"--site\", \"dr\"].")
		}
		if set(a.Description) {
			addAt(&resp.Diagnostics, ap.AtName("description"), "Description on a script",
				"`description` is for manual actions; a script's command says what it does. Remove it, or make the action type = \"manual\".")
		}
		if !a.Required.IsNull() && !a.Required.IsUnknown() && a.Required.ValueBool() {
			addAt(&resp.Diagnostics, ap.AtName("required"), "required on a script",
				"`required` is for manual actions: a script always runs and a failing script always fails the drill. Remove it.")
		}
	case ActionManual:
		if set(a.Command) {
			addAt(&resp.Diagnostics, ap.AtName("command"), "Command on a manual action",
				"A manual action is a step a person confirms; it runs no command. Remove `command`, or make the action type = \"script\".")
		}
		if set(a.Timeout) {
			addAt(&resp.Diagnostics, ap.AtName("timeout"), "Timeout on a manual action",
				"`timeout` bounds scripts only; a manual step waits for its confirmation. Remove it.")
		}
	}
	if !a.Description.IsNull() && !a.Description.IsUnknown() && strings.HasPrefix(strings.ToLower(a.Description.ValueString()), RequiredPrefix) {
		addAt(&resp.Diagnostics, ap.AtName("description"), "Reserved description prefix",
			fmt.Sprintf("A description may not start with %q: the provider stores required steps that way in Azure. Set required = true instead.", RequiredPrefix))
	}
}

// addAt adds an attribute error whose detail starts with the attribute's
// path, so the CLI's output names it even where it shows no source line.
func addAt(diags *diag.Diagnostics, at path.Path, summary, detail string) {
	diags.AddAttributeError(at, summary, at.String()+": "+detail)
}
