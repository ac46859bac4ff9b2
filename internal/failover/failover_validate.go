package failover

import (
	"context"
	"fmt"
	"net"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ValidateConfig catches at plan time what the schema cannot say alone,
// each diagnostic naming its attribute and the fix. Approvals are verified
// at apply (they expire, and the site's approvers are read then).
func (r *failoverResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m failoverModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Type.IsUnknown() && !m.Type.IsNull() {
		switch t := m.Type.ValueString(); t {
		case "unplanned":
		case "planned":
			resp.Diagnostics.AddAttributeError(path.Root("type"), "Azure to Azure replication has no planned failover",
				"type = \"planned\" is not available: Site Recovery's only failover for Azure VMs is the unplanned one. For a failover with the primary reachable, remove type (or set type = \"unplanned\") and set shutdown_source_vms = true: Site Recovery then shuts the source VMs down before failing over. "+
					"The approval is then signed with -action failover.")
		default:
			resp.Diagnostics.AddAttributeError(path.Root("type"), "Unknown failover type",
				fmt.Sprintf("type = %q: the only failover type is \"unplanned\" (the default); remove type.", t))
		}
	}
	if !m.Failback.IsUnknown() && m.Failback.ValueBool() {
		if !m.Reprotect.IsUnknown() && !m.Reprotect.IsNull() && !m.Reprotect.ValueBool() {
			resp.Diagnostics.AddAttributeError(path.Root("failback"), "Failback needs re-protect",
				"failback = true needs reprotect = true: the VMs must replicate back to the primary before they can fail back.")
		}
		if m.FailbackApproval.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("failback_approval"), "Missing failback approval",
				"failback = true needs failback_approval: an approval with action failback, `go run ./cmd/azuredr-approve sign -plan <recovery_plan_id> -action failback`.")
		}
	}
	// An unknown value may turn out null: only a known one is "set".
	if !m.FailbackApproval.IsNull() && !m.FailbackApproval.IsUnknown() && !m.Failback.IsUnknown() && !m.Failback.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root("failback_approval"), "Failback approval unused",
			"failback_approval is only used with failback = true.")
	}
	if s := m.DNSServer.ValueString(); !m.DNSServer.IsUnknown() && s != "" {
		if _, _, err := net.SplitHostPort(s); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("dns_server"), "Not host:port", fmt.Sprintf("%q is not host:port, e.g. 127.0.0.1:5353.", s))
		}
	}
	if !m.DNSServer.IsNull() && !m.DNSServer.IsUnknown() && m.TrafficManagerProfileID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("dns_server"), "DNS server without a profile",
			"dns_server is where the Traffic Manager switch is checked: set traffic_manager_profile_id too, or remove it.")
	}
}
