package failover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/dns"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	drillfailover "github.com/azuredr/terraform-provider-azuredr/internal/drill/failover"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// now is the wall clock approvals are checked against: an approval's
// expiry is a person's decision in real time, not on a simulated clock.
var now = time.Now

// Create verifies the approvals, then runs the failover. A failover that
// fails records nothing and fails the apply with where it stopped: unlike a
// test failover nothing is undone (the items stay where they got to; Site
// Recovery's state says what is next).
func (r *failoverResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m failoverModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, defaultFailoverTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	info, approvedBy := r.verifyApprovals(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	spec := r.spec(ctx, &m, info, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	spec.Events = func(e drill.Event) {
		tflog.Info(ctx, fmt.Sprintf("failover %s: %s %s", spec.Name, e.Phase, e.Message), map[string]any{
			"elapsed": e.Elapsed.Round(time.Second).String(), "group": e.Group, "item": e.Item})
	}
	res, err := drillfailover.Run(ctx, r.client, *spec)
	if err != nil {
		addFailoverError(&resp.Diagnostics, spec.Name, res, err)
		return
	}
	m.ApprovedBy = types.StringValue(approvedBy)
	m.fill(res)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// verifyApprovals checks approval (and failback_approval) against the
// site's approvers before anything starts; every refusal names its
// attribute. It returns the site and who approved.
func (r *failoverResource) verifyApprovals(ctx context.Context, m *failoverModel, diags *diag.Diagnostics) (*site.Info, string) {
	info, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("site_id"), "Cannot read the site's approvers", azure.Describe(err)+"\n\nNothing was started.")
		return nil, ""
	}
	plan := m.RecoveryPlanID.ValueString()
	action := approval.Failover
	check := func(attr string, token types.String, want approval.Action) string {
		if token.IsNull() || strings.TrimSpace(token.ValueString()) == "" {
			diags.AddAttributeError(path.Root(attr), "Missing approval",
				fmt.Sprintf("A real failover needs an approval signed by one of the site's approvers: `go run ./cmd/azuredr-approve sign -key KEY -plan %s -action %s`. Set %s to the token it prints. Nothing was started.", plan, want, attr))
			return ""
		}
		a, err := approval.Verify(strings.TrimSpace(token.ValueString()), info.Approvers, approval.Want{PlanID: plan, Action: want}, now())
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Approval refused",
				fmt.Sprintf("%s refused: %v.\n\nIt must be an approval of %s on %s, signed by one of the site's approvers and not expired. Nothing was started.", attr, err, want, plan))
			return ""
		}
		return a.Approver
	}
	who := check("approval", m.Approval, action)
	if m.Failback.ValueBool() {
		if fb := check("failback_approval", m.FailbackApproval, approval.Failback); fb != "" && who != "" {
			who += "," + fb
		}
	}
	return info, who
}

// spec reads the recovery plan and maps the configuration to a failover.
func (r *failoverResource) spec(ctx context.Context, m *failoverModel, info *site.Info, diags *diag.Diagnostics) *drillfailover.Spec {
	plan, err := replication.ReadRecoveryPlan(ctx, r.client, m.RecoveryPlanID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("recovery_plan_id"), "Cannot read the recovery plan", azure.Describe(err)+"\n\nNothing was started.")
		return nil
	}
	spec := &drillfailover.Spec{
		Name:              m.Name.ValueString(),
		Type:              drillfailover.Unplanned,
		ShutdownSourceVMs: m.ShutdownSourceVMs.ValueBool(),
		Reprotect:         m.Reprotect.ValueBool(),
		Failback:          m.Failback.ValueBool(),
		Site: &drillfailover.Site{Name: info.Name, RecoveryResourceGroup: info.RecoveryResourceGroup,
			PrimaryLocation: info.PrimaryLocation, RecoveryLocation: info.RecoveryLocation,
			PrimaryContainerID: info.PrimaryContainerID, RecoveryContainerID: info.RecoveryContainerID},
	}
	spec.RecoveryPoint.Kind = m.RecoveryPoint.ValueString()
	for _, g := range plan.Groups {
		grp := drill.Group{Pre: actions(g.Pre), Post: actions(g.Post)}
		for _, id := range g.Items {
			grp.Items = append(grp.Items, drill.Item{ID: id})
		}
		spec.Groups = append(spec.Groups, grp)
	}
	checkScripts(spec.Groups, diags)
	if diags.HasError() {
		return nil
	}
	if profile := m.TrafficManagerProfileID.ValueString(); profile != "" {
		server := m.DNSServer.ValueString()
		spec.SwitchDNS = func(ctx context.Context, toRecovery bool) (string, error) {
			return dns.SwitchRole(ctx, r.client, profile, server, toRecovery)
		}
	}
	if err := spec.Validate(); err != nil {
		diags.AddError("Invalid failover", err.Error()+"\n\nNothing was started.")
	}
	return spec
}

// fill records the failover's results.
func (m *failoverModel) fill(res *drillfailover.Result) {
	ts := func(t time.Time) types.String {
		if t.IsZero() {
			return types.StringValue("")
		}
		return types.StringValue(t.UTC().Format(time.RFC3339))
	}
	m.ID = types.StringValue(fmt.Sprintf("%s@%s", m.Name.ValueString(), res.StartedAt.UTC().Format(time.RFC3339)))
	m.StartedAt = ts(res.StartedAt)
	m.CommittedAt = ts(res.CommittedAt)
	m.ReprotectedAt = ts(res.ReprotectedAt)
	m.FailedBackAt = ts(res.FailedBackAt)
	m.MeasuredRTO = types.StringValue(resultDuration(res.MeasuredRTO))
	m.MeasuredRTOSeconds = types.Int64Value(int64(res.MeasuredRTO.Round(time.Second) / time.Second))
	m.DNSAnswerAfter = types.StringValue(res.DNSAnswerAfter)
	m.DNSAnswerBack = types.StringValue(res.DNSAnswerBack)
	items := make([]attr.Value, 0, len(res.Items))
	for _, it := range res.Items {
		items = append(items, types.ObjectValueMust(failoverItemType.AttrTypes, map[string]attr.Value{
			"replicated_vm_id": types.StringValue(it.ItemID), "group": types.Int64Value(int64(it.Group)),
			"vm_name": types.StringValue(it.VMName), "recovery_point_time": ts(it.RecoveryPoint.Time),
			"recovery_point_type": types.StringValue(it.RecoveryPoint.Type), "failover_started_at": ts(it.FailoverStartedAt),
			"failover_completed_at": ts(it.FailoverCompletedAt), "committed_at": ts(it.CommittedAt),
			"reprotected_at": ts(it.ReprotectedAt), "failed_back_at": ts(it.FailedBackAt),
			"protection_state": types.StringValue(it.ProtectionState), "active_location": types.StringValue(it.ActiveLocation),
			"failover_job_id": types.StringValue(it.FailoverJobID), "commit_job_id": types.StringValue(it.CommitJobID),
			"reprotect_job_id": types.StringValue(it.ReprotectJobID), "failback_job_id": types.StringValue(it.FailbackJobID),
		}))
	}
	m.Items = types.ListValueMust(failoverItemType, items)
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

// addFailoverError reports a failed failover with its timeline's tail and
// where each item stands.
func addFailoverError(diags *diag.Diagnostics, name string, res *drillfailover.Result, err error) {
	var b strings.Builder
	b.WriteString(azure.Describe(err))
	if res != nil {
		if n := len(res.Events); n > 0 {
			b.WriteString("\n\nLast steps:")
			for _, e := range res.Events[max(0, n-6):] {
				fmt.Fprintf(&b, "\n  +%s %s %s %s", resultDuration(e.Elapsed), e.Phase, e.Item, e.Message)
			}
		}
		if len(res.Items) > 0 {
			b.WriteString("\n\nWhere the items stand (nothing is undone; continue in the portal or fix and apply again with a new approval):")
			for _, it := range res.Items {
				fmt.Fprintf(&b, "\n  %s: %s, active on %s", itemName(it.ItemID), it.ProtectionState, it.ActiveLocation)
			}
		}
	}
	diags.AddError(fmt.Sprintf("Failover %s failed", name), b.String())
}

// Read keeps the recorded results: a failover is a past event.
func (r *failoverResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m failoverModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update only stores new approvals or timeouts (everything else replaces,
// running a new failover): nothing runs.
func (r *failoverResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m failoverModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete forgets the record. It does not fail back: the VMs stay where the
// failover left them (a failback is a failover of its own, approved).
func (r *failoverResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m failoverModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	tflog.Info(ctx, "forgetting failover "+m.Name.ValueString()+": destroy does not fail back")
}
