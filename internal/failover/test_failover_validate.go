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
	validateCanary(ctx, m.Canary, resp)
	validateIsolationProof(ctx, m.IsolationProof, resp)
	validateProbeVM(ctx, m.ProbeVM, resp)
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

// validateCanary checks the canary's known settings: a file or a URL,
// never both, and paths a script can hold.
func validateCanary(ctx context.Context, obj types.Object, resp *resource.ValidateConfigResponse) {
	if obj.IsNull() || obj.IsUnknown() {
		return
	}
	var c canaryModel
	resp.Diagnostics.Append(obj.As(ctx, &c, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() {
		return
	}
	at := path.Root("canary")
	switch {
	case c.URL.IsUnknown() || c.File.IsUnknown():
	case c.URL.IsNull() && c.File.IsNull():
		resp.Diagnostics.AddAttributeError(at, "Canary without a marker",
			"canary: set file = {} (a marker file written on each primary VM through Run Command; no application change) or url (an application that answers the canary's POST).")
	case !c.URL.IsNull() && !c.File.IsNull():
		resp.Diagnostics.AddAttributeError(at.AtName("url"), "Two canaries",
			"canary.url and canary.file: a canary is a marker file or an application URL, not both: remove one of them.")
	case known(c.URL):
		add := func(format string, args ...any) {
			resp.Diagnostics.AddAttributeError(at.AtName("url"), "Invalid canary URL", "canary.url: "+fmt.Sprintf(format, args...))
		}
		drill.ValidateCanary("", drill.Canary{URL: c.URL.ValueString()}, func(format string, args ...any) {
			_, msg, _ := strings.Cut(fmt.Sprintf(format, args...), ": ")
			add("%s", msg)
		})
	}
	if c.File.IsNull() || c.File.IsUnknown() {
		return
	}
	var f canaryFileModel
	resp.Diagnostics.Append(c.File.As(ctx, &f, basetypes.ObjectAsOptions{})...)
	paths := map[string]types.String{"linux_path": f.LinuxPath, "windows_path": f.WindowsPath}
	for _, name := range sortedKeys(paths) {
		v := paths[name]
		if !known(v) {
			continue
		}
		file := drill.CanaryFile{}
		if name == "linux_path" {
			file.LinuxPath = v.ValueString()
		} else {
			file.WindowsPath = v.ValueString()
		}
		drill.ValidateCanaryFile("", file, func(format string, args ...any) {
			_, msg, _ := strings.Cut(fmt.Sprintf(format, args...), ": ")
			p := at.AtName("file").AtName(name)
			resp.Diagnostics.AddAttributeError(p, "Invalid canary path", p.String()+": "+msg+".")
		})
	}
}

// validateIsolationProof checks the proof's known settings.
func validateIsolationProof(ctx context.Context, obj types.Object, resp *resource.ValidateConfigResponse) {
	if obj.IsNull() || obj.IsUnknown() {
		return
	}
	var p isolationProofModel
	resp.Diagnostics.Append(obj.As(ctx, &p, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() {
		return
	}
	at := path.Root("isolation_proof")
	if !p.Ports.IsNull() && !p.Ports.IsUnknown() {
		for i, el := range p.Ports.Elements() {
			v, ok := el.(types.Int64)
			if !ok || v.IsNull() || v.IsUnknown() {
				continue
			}
			if port := v.ValueInt64(); port < 1 || port > 65535 {
				resp.Diagnostics.AddAttributeError(at.AtName("ports").AtListIndex(i), "Not a TCP port",
					fmt.Sprintf("%s: %d is not a TCP port: use 1 to 65535, e.g. 443.", at.AtName("ports").AtListIndex(i), port))
			}
		}
	}
	if known(p.InternetAddress) {
		a := p.InternetAddress.ValueString()
		msg := drill.HostPortProblem(a)
		if msg == "" && drill.UsesPlaceholder(a) {
			msg = drill.NotTemplated
		}
		if msg != "" {
			resp.Diagnostics.AddAttributeError(at.AtName("internet_address"), "Not host:port",
				fmt.Sprintf("%s: %s, e.g. www.microsoft.com:443.", at.AtName("internet_address"), msg))
		}
	}
	if !p.Enabled.IsNull() && !p.Enabled.IsUnknown() && !p.Enabled.ValueBool() &&
		((!p.Ports.IsNull()) || !p.InternetAddress.IsNull()) {
		resp.Diagnostics.AddAttributeError(at.AtName("enabled"), "Proof off, settings on",
			"isolation_proof.enabled is false, so its ports and internet_address would not be tried: remove them, or enable the proof.")
	}
}
