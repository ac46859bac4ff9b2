package failover

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ValidateConfig catches at plan time what the schema cannot say alone,
// each diagnostic naming its attribute and the fix.
func (r *testFailoverResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m testFailoverModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan, vms := !m.RecoveryPlanID.IsNull(), !m.ReplicatedVMIDs.IsNull()
	if !m.RecoveryPlanID.IsUnknown() && !m.ReplicatedVMIDs.IsUnknown() && plan == vms {
		resp.Diagnostics.AddAttributeError(path.Root("recovery_plan_id"), "What to drill",
			"Set exactly one of recovery_plan_id (an azuredr_recovery_plan: groups in order) and replicated_vm_ids (azuredr_replicated_vm ids failed over together).")
	}
	r.validateRecoveryPoint(&m, resp)
	r.validateChecks(ctx, &m, resp)
}

func (r *testFailoverResource) validateRecoveryPoint(m *testFailoverModel, resp *resource.ValidateConfigResponse) {
	if m.RecoveryPoint.IsUnknown() || m.RecoveryPointBefore.IsUnknown() {
		return
	}
	before := m.RecoveryPoint.ValueString() == "before"
	switch {
	case before && m.RecoveryPointBefore.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("recovery_point_before"), "Missing time",
			`recovery_point = "before" needs recovery_point_before: the RFC 3339 time the recovery point must precede, e.g. when an infection started.`)
	case !before && !m.RecoveryPointBefore.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("recovery_point_before"), "Time without \"before\"",
			fmt.Sprintf(`recovery_point_before applies only with recovery_point = "before" (it is %q). Remove it, or set recovery_point = "before".`, m.RecoveryPoint.ValueString()))
	}
	// Whether the time is in the past is checked at apply, on the
	// endpoint's clock (the emulator's simulated time runs ahead of the
	// wall clock).
}

// checkFields says which attributes each check type uses.
var checkFields = map[string]struct{ required, allowed []string }{
	"http": {required: []string{"url"}, allowed: []string{"url", "expect_status", "body_regex"}},
	"tcp":  {required: []string{"address"}, allowed: []string{"address"}},
	"dns":  {required: []string{"dns_name", "expect_target"}, allowed: []string{"dns_name", "dns_server", "expect_target"}},
}

func (r *testFailoverResource) validateChecks(ctx context.Context, m *testFailoverModel, resp *resource.ValidateConfigResponse) {
	if m.Checks.IsNull() || m.Checks.IsUnknown() {
		return
	}
	var checks []checkModel
	resp.Diagnostics.Append(m.Checks.ElementsAs(ctx, &checks, false)...)
	names := map[string]int{}
	for i, c := range checks {
		at := path.Root("check").AtListIndex(i)
		if c.Type.IsUnknown() {
			continue
		}
		if j, dup := names[c.Name.ValueString()]; dup {
			resp.Diagnostics.AddAttributeError(at.AtName("name"), "Duplicate check name",
				fmt.Sprintf("%s: check %d and check %d are both named %q; names identify checks in reports.", at.AtName("name"), j, i, c.Name.ValueString()))
		}
		names[c.Name.ValueString()] = i
		set := map[string]bool{
			"url": !c.URL.IsNull(), "expect_status": !c.ExpectStatus.IsNull(), "body_regex": !c.BodyRegex.IsNull(),
			"address": !c.Address.IsNull(), "dns_name": !c.DNSName.IsNull(), "dns_server": !c.DNSServer.IsNull(), "expect_target": !c.ExpectTarget.IsNull(),
		}
		rule := checkFields[c.Type.ValueString()]
		for _, f := range rule.required {
			if !set[f] {
				resp.Diagnostics.AddAttributeError(at.AtName(f), "Missing check setting",
					fmt.Sprintf("%s: a %s check needs %s.", at.AtName(f), c.Type.ValueString(), f))
			}
		}
		for f, isSet := range set {
			if isSet && !contains(rule.allowed, f) {
				resp.Diagnostics.AddAttributeError(at.AtName(f), "Setting of another check type",
					fmt.Sprintf("%s: %s does not apply to a %s check; it belongs to %s checks.", at.AtName(f), f, c.Type.ValueString(), ownerOf(f)))
			}
		}
		if !c.BodyRegex.IsNull() && !c.BodyRegex.IsUnknown() {
			if _, err := compileRegex(c.BodyRegex.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(at.AtName("body_regex"), "Invalid regular expression", fmt.Sprintf("%s: %v", at.AtName("body_regex"), err))
			}
		}
		if s := c.ExpectStatus.ValueInt64(); !c.ExpectStatus.IsNull() && (s < 100 || s > 599) {
			resp.Diagnostics.AddAttributeError(at.AtName("expect_status"), "Invalid HTTP status",
				fmt.Sprintf("%s: %d is not an HTTP status: use 100 to 599, e.g. 200.", at.AtName("expect_status"), s))
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func ownerOf(field string) string {
	for typ, rule := range checkFields {
		if contains(rule.allowed, field) {
			return typ
		}
	}
	return "other"
}
