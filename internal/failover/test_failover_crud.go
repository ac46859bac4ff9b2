package failover

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/replication"
)

// Create runs the drill. A drill that fails (a check that never passes, an
// action that fails, an error) fails the apply and records nothing: the
// next apply runs it again. A missed objective fails it too unless
// on_breach = "warn". Cleanup has run either way (package drill).
func (r *testFailoverResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m testFailoverModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, defaultDrillTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	spec := r.spec(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	spec.Events = func(e drill.Event) {
		tflog.Info(ctx, fmt.Sprintf("drill %s: %s %s", spec.Name, e.Phase, e.Message), map[string]any{
			"elapsed": e.Elapsed.Round(time.Second).String(), "group": e.Group, "item": e.Item})
	}
	res, err := testfailover.Run(ctx, r.client, *spec)
	if res != nil {
		m.fill(res)
	}
	if err != nil {
		addDrillError(&resp.Diagnostics, spec.Name, res, err)
		return
	}
	if len(res.Breaches) > 0 {
		summary, detail := breachReport(spec.Name, res)
		if m.OnBreach.ValueString() == "warn" {
			resp.Diagnostics.AddWarning(summary, detail)
		} else {
			resp.Diagnostics.AddError(summary, detail+"\n\nThe drill's test VMs were cleaned up. Set on_breach = \"warn\" to record a missed objective without failing the apply.")
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// spec maps the configuration to a drill, reading the network pair and
// the recovery plan; every failure names its attribute.
func (r *testFailoverResource) spec(ctx context.Context, m *testFailoverModel, diags *diag.Diagnostics) *testfailover.Spec {
	pair, err := network.FindPair(ctx, r.client, m.NetworkID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("network_id"), "Cannot use the network pair", azure.Describe(err))
		return nil
	}
	spec := &testfailover.Spec{
		Name:          m.Name.ValueString(),
		TestNetworkID: pair.TestNetworkID,
		Unattended:    true,
		RecoveryPoint: drill.Selector{Kind: m.RecoveryPoint.ValueString()},
	}
	if !m.RecoveryPointBefore.IsNull() {
		spec.RecoveryPoint.Before, _ = time.Parse(time.RFC3339, m.RecoveryPointBefore.ValueString()) // validated
		clock, err := r.client.Clock(ctx)
		if err == nil && spec.RecoveryPoint.Before.After(clock.Now()) {
			diags.AddAttributeError(path.Root("recovery_point_before"), "Time in the future",
				fmt.Sprintf("%s is after the current time (%s): no recovery point can be taken after now.", m.RecoveryPointBefore.ValueString(), clock.Now().Format(time.RFC3339)))
		}
	}
	spec.Objectives.RTO = durationOf(m.RTO)
	spec.Objectives.RPO = durationOf(m.RPO)
	spec.CheckInterval = durationOf(m.CheckInterval)
	spec.CheckGrace = durationOf(m.CheckGrace)
	if !m.CheckGrace.IsNull() && spec.CheckGrace == 0 {
		// "0s": give up as soon as the objective is missed (the engine's
		// zero means the default); a nanosecond is no grace at all.
		spec.CheckGrace = time.Nanosecond
	}
	if !m.RecoveryPlanID.IsNull() {
		plan, err := replication.ReadRecoveryPlan(ctx, r.client, m.RecoveryPlanID.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("recovery_plan_id"), "Cannot read the recovery plan", azure.Describe(err))
			return nil
		}
		for _, g := range plan.Groups {
			grp := drill.Group{Pre: actions(g.Pre), Post: actions(g.Post)}
			for _, id := range g.Items {
				grp.Items = append(grp.Items, drill.Item{ID: id})
			}
			spec.Groups = append(spec.Groups, grp)
		}
		checkScripts(spec.Groups, diags)
	} else {
		var ids []string
		diags.Append(m.ReplicatedVMIDs.ElementsAs(ctx, &ids, false)...)
		grp := drill.Group{}
		for i, id := range ids {
			checkReplicatedVM(ctx, r.client, id, path.Root("replicated_vm_ids").AtListIndex(i), diags)
			grp.Items = append(grp.Items, drill.Item{ID: id})
		}
		if diags.HasError() {
			return nil
		}
		spec.Groups = []drill.Group{grp}
	}
	if !m.Checks.IsNull() {
		var checks []checkModel
		diags.Append(m.Checks.ElementsAs(ctx, &checks, false)...)
		for _, c := range checks {
			dc := drill.Check{
				Name: c.Name.ValueString(), Type: c.Type.ValueString(), URL: c.URL.ValueString(),
				ExpectStatus: int(c.ExpectStatus.ValueInt64()), BodyRegex: c.BodyRegex.ValueString(), Address: c.Address.ValueString(),
				DNSName: c.DNSName.ValueString(), DNSServer: c.DNSServer.ValueString(), ExpectTarget: c.ExpectTarget.ValueString(),
				Group: int(c.Group.ValueInt64()), Once: c.Once.ValueBool(), From: c.From.ValueString(),
			}
			if !c.VMNames.IsNull() {
				diags.Append(c.VMNames.ElementsAs(ctx, &dc.VMNames, false)...)
			}
			spec.Checks = append(spec.Checks, dc)
		}
	}
	if !m.Canary.IsNull() {
		var c canaryModel
		diags.Append(m.Canary.As(ctx, &c, basetypes.ObjectAsOptions{})...)
		spec.Canary = &drill.Canary{URL: c.URL.ValueString(), Wait: durationOf(c.Wait)}
		if !c.File.IsNull() {
			var f canaryFileModel
			diags.Append(c.File.As(ctx, &f, basetypes.ObjectAsOptions{})...)
			spec.Canary.File = &drill.CanaryFile{LinuxPath: f.LinuxPath.ValueString(), WindowsPath: f.WindowsPath.ValueString()}
		}
	}
	spec.ProbeVMID = m.ProbeVMID.ValueString()
	spec.ProbeVM = probeVMOf(ctx, m.ProbeVM, diags)
	if !m.IsolationProof.IsNull() {
		var p isolationProofModel
		diags.Append(m.IsolationProof.As(ctx, &p, basetypes.ObjectAsOptions{})...)
		spec.Isolation.Skip = !p.Enabled.IsNull() && !p.Enabled.ValueBool()
		spec.Isolation.InternetAddress = p.InternetAddress.ValueString()
		if !p.Ports.IsNull() {
			var ports []int64
			diags.Append(p.Ports.ElementsAs(ctx, &ports, false)...)
			for _, port := range ports {
				spec.Isolation.Ports = append(spec.Isolation.Ports, int(port))
			}
		}
	}
	if err := spec.Validate(); err != nil {
		addSpecErrors(diags, err)
	}
	return spec
}

// checkScripts reports, on recovery_plan_id, every script action of the
// plan whose program cannot be found where the provider runs (it runs them
// locally), before anything starts: a drill or failover would otherwise
// fail halfway, after failing over.
func checkScripts(groups []drill.Group, diags *diag.Diagnostics) {
	for i, g := range groups {
		for kind, list := range map[string][]drill.Action{"pre_action": g.Pre, "post_action": g.Post} {
			for _, a := range list {
				if a.Type != drill.ActionScript || len(a.Command) == 0 {
					continue
				}
				if _, err := exec.LookPath(a.Command[0]); err != nil {
					diags.AddAttributeError(path.Root("recovery_plan_id"), "Script action not found",
						fmt.Sprintf("group %d %s %q runs %q, which cannot be run here: %v. Scripts run on the machine running Terraform, from its working directory; fix the action's command in the recovery plan. Nothing was started.",
							i, kind, a.Name, a.Command[0], err))
				}
			}
		}
	}
}

// checkReplicatedVM reads one replicated VM the drill names, so that a
// wrong id is reported on its attribute before anything starts.
func checkReplicatedVM(ctx context.Context, c *azure.Client, raw string, p path.Path, diags *diag.Diagnostics) {
	id, err := azure.ParseProtectedItemID(raw)
	if err != nil {
		diags.AddAttributeError(p, "Invalid replicated VM id", err.Error())
		return
	}
	_, err = azure.FindProtectedItem(ctx, c, id)
	switch {
	case azure.IsNotFound(err):
		diags.AddAttributeError(p, "Replicated VM not found",
			fmt.Sprintf("%s does not exist: its vault %s has no replicated VM %q. Use the id of an azuredr_replicated_vm (azuredr_replicated_vm.<name>.id).", raw, id.Vault, id.Name))
	case err != nil:
		diags.AddAttributeError(p, "Cannot read the replicated VM", azure.Describe(err))
	}
}

// actions maps a plan's actions to the drill's (the same vocabulary).
func actions(in []replication.PlanAction) []drill.Action {
	out := make([]drill.Action, 0, len(in))
	for _, a := range in {
		if a.Type == replication.ActionRunbook {
			// Drills run locally; an Automation runbook added in the portal
			// is recorded as a skipped manual step.
			out = append(out, drill.Action{Name: a.Name, Type: drill.ActionManual, Description: "Automation runbook " + a.Description + " (drills do not run runbooks)"})
			continue
		}
		out = append(out, drill.Action{Name: a.Name, Type: a.Type, Command: a.Command, Timeout: a.Timeout, Description: a.Description, Required: a.Required})
	}
	return out
}

// durationOf reads a validated duration attribute (0 when unset).
func durationOf(v types.String) time.Duration {
	if v.IsNull() || v.IsUnknown() {
		return 0
	}
	d, _ := duration.Parse(v.ValueString())
	return d
}

// fill records the drill's results.
func (m *testFailoverModel) fill(res *testfailover.Result) {
	ts := func(t time.Time) types.String {
		if t.IsZero() {
			return types.StringValue("")
		}
		return types.StringValue(t.UTC().Format(time.RFC3339))
	}
	m.ID = types.StringValue(fmt.Sprintf("%s@%s", m.Name.ValueString(), res.StartedAt.UTC().Format(time.RFC3339)))
	m.StartedAt = ts(res.StartedAt)
	m.ChecksPassedAt = ts(res.ChecksPassedAt)
	m.CleanupCompletedAt = ts(res.CleanupCompletedAt)
	m.MeasuredRTO = types.StringValue(resultDuration(res.MeasuredRTO))
	m.MeasuredRPO = types.StringValue(resultDuration(res.MeasuredRPO))
	m.MeasuredRTOSeconds = types.Int64Value(int64(res.MeasuredRTO.Round(time.Second) / time.Second))
	m.MeasuredRPOSeconds = types.Int64Value(int64(res.MeasuredRPO.Round(time.Second) / time.Second))
	m.CanaryDataLoss = types.StringValue("")
	if res.CanaryDataLoss != nil {
		m.CanaryDataLoss = types.StringValue(resultDuration(*res.CanaryDataLoss))
	}
	m.Passed = types.BoolValue(res.Passed)
	breaches := make([]attr.Value, 0, len(res.Breaches))
	for _, b := range res.Breaches {
		breaches = append(breaches, types.ObjectValueMust(breachType.AttrTypes, map[string]attr.Value{
			"objective": types.StringValue(b.Objective), "item": types.StringValue(itemName(b.Item)),
			"measured": types.StringValue(resultDuration(b.Measured)),
			"target":   types.StringValue(duration.Format(b.Target)),
			"by":       types.StringValue(resultDuration(b.By)),
		}))
	}
	m.Breaches = types.ListValueMust(breachType, breaches)
	items := make([]attr.Value, 0, len(res.Items))
	for _, it := range res.Items {
		items = append(items, types.ObjectValueMust(itemResultType.AttrTypes, map[string]attr.Value{
			"replicated_vm_id": types.StringValue(it.ItemID), "vm_name": types.StringValue(it.VMName),
			"test_vm_name": types.StringValue(it.TestVMName), "address": types.StringValue(it.Address),
			"recovery_point_time": ts(it.RecoveryPoint.Time), "recovery_point_type": types.StringValue(it.RecoveryPoint.Type),
			"failover_started_at": ts(it.FailoverStartedAt), "failover_completed_at": ts(it.FailoverCompletedAt),
			"ready_at": ts(it.ReadyAt), "data_version": types.Int64Value(int64(it.DataVersion)), "data_written_at": ts(it.DataWrittenAt),
			"test_failover_job_id": types.StringValue(it.TestFailoverJobID), "cleanup_job_id": types.StringValue(it.CleanupJobID),
		}))
	}
	m.Items = types.ListValueMust(itemResultType, items)
	lines := make([]attr.Value, 0, len(res.Events))
	for _, e := range res.Events {
		line := fmt.Sprintf("+%s %s", resultDuration(e.Elapsed), e.Phase)
		if e.Item != "" {
			line += " [" + e.Item + "]"
		}
		if e.Message != "" {
			line += ": " + e.Message
		}
		lines = append(lines, types.StringValue(line))
	}
	m.Timeline = types.ListValueMust(types.StringType, lines)
}

// itemName shortens a protected item id to its name for people.
func itemName(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// breachReport words missed objectives: which, for which item, by how much.
func breachReport(name string, res *testfailover.Result) (string, string) {
	var b strings.Builder
	for _, br := range res.Breaches {
		who := "the drill"
		if br.Item != "" {
			who = itemName(br.Item)
		}
		fmt.Fprintf(&b, "- %s: measured %s for %s against an objective of %s (missed by %s)\n", strings.ToUpper(br.Objective),
			resultDuration(br.Measured), who, duration.Format(br.Target), resultDuration(br.By))
	}
	return fmt.Sprintf("Drill %s missed its objectives", name),
		fmt.Sprintf("%sMeasured RTO %s, RPO %s.", b.String(), resultDuration(res.MeasuredRTO), resultDuration(res.MeasuredRPO))
}

// addDrillError reports a failed drill with its timeline's tail and what
// cleanup did.
func addDrillError(diags *diag.Diagnostics, name string, res *testfailover.Result, err error) {
	var b strings.Builder
	b.WriteString(attributeNames(azure.Describe(err)))
	if res != nil {
		if n := len(res.Events); n > 0 {
			b.WriteString("\n\nLast steps:")
			for _, e := range res.Events[max(0, n-6):] {
				fmt.Fprintf(&b, "\n  +%s %s %s %s", resultDuration(e.Elapsed), e.Phase, e.Item, e.Message)
			}
		}
		switch {
		case len(res.Leftovers) > 0:
			fmt.Fprintf(&b, "\n\nCleanup could not remove everything: %s. Run `terraform apply` again (or destroy) to retry it.", strings.Join(res.Leftovers, "; "))
		case !res.CleanupCompletedAt.IsZero():
			b.WriteString("\n\nCleanup ran: no test VM is left and no item is pending cleanup.")
		}
	}
	diags.AddError(fmt.Sprintf("Drill %s failed", name), b.String())
}

// Read keeps the recorded results: a drill is a past event, not a remote
// object to refresh.
func (r *testFailoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m testFailoverModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update only changes on_breach (everything else replaces, re-running
// the drill).
func (r *testFailoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m testFailoverModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete removes any leftover of the drill: items still pending test
// failover cleanup get it, and their test VMs are verified gone.
func (r *testFailoverResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m testFailoverModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, time.Hour, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	var ids []string
	if !m.Items.IsNull() {
		for _, v := range m.Items.Elements() {
			if o, ok := v.(types.Object); ok {
				if s, ok := o.Attributes()["replicated_vm_id"].(types.String); ok {
					ids = append(ids, s.ValueString())
				}
			}
		}
	}
	if leftovers, err := testfailover.Cleanup(ctx, r.client, ids); err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot clean up after drill "+m.Name.ValueString(), err)
	} else if len(leftovers) > 0 {
		resp.Diagnostics.AddError("Drill leftovers remain", strings.Join(leftovers, "\n"))
	}
}
