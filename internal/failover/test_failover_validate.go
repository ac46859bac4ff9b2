package failover

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
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
	if !m.CheckGrace.IsNull() && !m.CheckGrace.IsUnknown() && m.RTO.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("check_grace"), "check_grace without rto",
			"check_grace is the time failing checks are retried past the rto objective; without rto the checks are retried until the create timeout. Set rto, or remove check_grace.")
	}
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

// validateChecks checks every check whose values are known; an unknown
// check (check = [var.check] under terraform validate) or attribute is
// checked later, at plan or apply, when it is known.
func (r *testFailoverResource) validateChecks(ctx context.Context, m *testFailoverModel, resp *resource.ValidateConfigResponse) {
	if m.Checks.IsNull() || m.Checks.IsUnknown() {
		return
	}
	// Groups the drill has when the configuration says: one without a
	// recovery plan; a plan's are counted at plan time (ModifyPlan).
	groups := 0
	if m.RecoveryPlanID.IsNull() && !m.ReplicatedVMIDs.IsNull() {
		groups = 1
	}
	names := map[string]int{}
	for i, el := range m.Checks.Elements() {
		at := path.Root("check").AtListIndex(i)
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		var c checkModel
		resp.Diagnostics.Append(obj.As(ctx, &c, basetypes.ObjectAsOptions{})...)
		if resp.Diagnostics.HasError() {
			return
		}
		if known(c.Name) {
			if j, dup := names[c.Name.ValueString()]; dup {
				resp.Diagnostics.AddAttributeError(at.AtName("name"), "Duplicate check name",
					fmt.Sprintf("%s: check %d and check %d are both named %q; names identify checks in reports.", at.AtName("name"), j, i, c.Name.ValueString()))
			}
			names[c.Name.ValueString()] = i
		}
		validateCheckTarget(ctx, at, c, groups, resp)
		if c.Type.IsUnknown() || c.Type.IsNull() {
			continue
		}
		validateCheckFields(at, c, resp)
	}
}

// validateCheckFields checks a check's settings against its (known) type.
func validateCheckFields(at path.Path, c checkModel, resp *resource.ValidateConfigResponse) {
	typ := c.Type.ValueString()
	// Unknown counts as set: a value will be there.
	set := map[string]bool{
		"url": !c.URL.IsNull(), "expect_status": !c.ExpectStatus.IsNull(), "body_regex": !c.BodyRegex.IsNull(),
		"address": !c.Address.IsNull(), "dns_name": !c.DNSName.IsNull(), "dns_server": !c.DNSServer.IsNull(), "expect_target": !c.ExpectTarget.IsNull(),
	}
	rule := checkFields[typ]
	for _, f := range rule.required {
		if !set[f] {
			resp.Diagnostics.AddAttributeError(at.AtName(f), "Missing check setting",
				fmt.Sprintf("%s: a %s check needs %s.", at.AtName(f), typ, f))
		}
	}
	for _, f := range sortedKeys(set) {
		if set[f] && !contains(rule.allowed, f) {
			resp.Diagnostics.AddAttributeError(at.AtName(f), "Setting of another check type",
				fmt.Sprintf("%s: %s does not apply to a %s check; it belongs to %s checks.", at.AtName(f), f, typ, ownerOf(f)))
		}
	}
	problem := func(attr, summary, msg string) {
		if msg != "" {
			resp.Diagnostics.AddAttributeError(at.AtName(attr), summary, fmt.Sprintf("%s: %s.", at.AtName(attr), msg))
		}
	}
	templates := map[string]types.String{"url": c.URL, "body_regex": c.BodyRegex, "address": c.Address, "dns_name": c.DNSName, "expect_target": c.ExpectTarget}
	for _, attr := range sortedKeys(templates) {
		if v := templates[attr]; known(v) && contains(rule.allowed, attr) {
			problem(attr, "Unknown placeholder", drill.PlaceholderProblem(v.ValueString()))
		}
	}
	if typ == drill.CheckHTTP && known(c.URL) {
		problem("url", "Not an http(s) URL", drill.URLProblem(c.URL.ValueString()))
	}
	if typ == drill.CheckTCP && known(c.Address) {
		problem("address", "Not host:port", drill.HostPortProblem(c.Address.ValueString()))
	}
	if typ == drill.CheckDNS && known(c.DNSServer) {
		problem("dns_server", "Not host:port", drill.HostPortProblem(c.DNSServer.ValueString()))
		if drill.UsesPlaceholder(c.DNSServer.ValueString()) {
			problem("dns_server", "Placeholder in dns_server", drill.NotTemplated)
		}
	}
	if known(c.BodyRegex) {
		if _, err := compileRegex(c.BodyRegex.ValueString()); err != nil {
			problem("body_regex", "Invalid regular expression", err.Error())
		}
	}
	if !c.ExpectStatus.IsNull() && !c.ExpectStatus.IsUnknown() {
		problem("expect_status", "Invalid HTTP status", drill.StatusProblem(int(c.ExpectStatus.ValueInt64())))
	}
}

// validateCheckTarget checks a check's scope: group, vm_names, once.
func validateCheckTarget(ctx context.Context, at path.Path, c checkModel, groups int, resp *resource.ValidateConfigResponse) {
	if !c.Group.IsNull() && !c.Group.IsUnknown() {
		switch g := c.Group.ValueInt64(); {
		case g < 1:
			resp.Diagnostics.AddAttributeError(at.AtName("group"), "Invalid group",
				fmt.Sprintf("%s: %d: groups are counted from 1, in the recovery plan's order; remove group to run the check for every group.", at.AtName("group"), g))
		case groups > 0 && g > int64(groups):
			resp.Diagnostics.AddAttributeError(at.AtName("group"), "No such group",
				fmt.Sprintf("%s: %d: a drill of replicated_vm_ids has one group, 1; use a recovery plan for groups, or remove group.", at.AtName("group"), g))
		}
	}
	if c.VMNames.IsNull() || c.VMNames.IsUnknown() {
		return
	}
	vmNames := at.AtName("vm_names")
	switch {
	case !c.Group.IsNull() && !c.Group.IsUnknown():
		resp.Diagnostics.AddAttributeError(vmNames, "vm_names with group", fmt.Sprintf("%s: %s.", vmNames, drill.VMNamesWithGroup))
	case known(c.Type) && c.Type.ValueString() == drill.CheckDNS:
		resp.Diagnostics.AddAttributeError(vmNames, "vm_names on a dns check", fmt.Sprintf("%s: %s.", vmNames, drill.VMNamesWithDNS))
	case !c.Once.IsNull() && !c.Once.IsUnknown() && c.Once.ValueBool():
		resp.Diagnostics.AddAttributeError(vmNames, "vm_names with once", fmt.Sprintf("%s: %s.", vmNames, drill.VMNamesWithOnce))
	}
	seen := map[string]int{}
	for j, el := range c.VMNames.Elements() {
		v, ok := el.(types.String)
		if !ok || !known(v) {
			continue
		}
		n := strings.ToLower(v.ValueString())
		switch i, dup := seen[n]; {
		case strings.TrimSpace(n) == "":
			resp.Diagnostics.AddAttributeError(vmNames.AtListIndex(j), "Empty VM name", fmt.Sprintf("%s: a source VM's name, e.g. vm-web-1.", vmNames.AtListIndex(j)))
		case dup:
			resp.Diagnostics.AddAttributeError(vmNames.AtListIndex(j), "VM named twice", fmt.Sprintf("%s: %q is already vm_names[%d].", vmNames.AtListIndex(j), v.ValueString(), i))
		default:
			seen[n] = j
		}
	}
}

// known reports whether a string is set and known.
func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
