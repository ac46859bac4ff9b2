package dns

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ValidateConfig checks what spans attributes and endpoints. Every
// diagnostic names the attribute to fix.
func (r *profileResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m profileModel
	if d := req.Config.Get(ctx, &m); d.HasError() {
		// A block unknown as a whole (dynamic "endpoint" over values known
		// after apply) does not convert: checked once known.
		return
	}
	if mon := m.Monitor; mon != nil && !mon.Protocol.IsUnknown() && !mon.Path.IsUnknown() {
		at := path.Root("monitor").AtName("path")
		protocol := mon.Protocol.ValueString()
		if protocol == "" {
			protocol = "HTTP"
		}
		switch {
		case protocol == "TCP" && !mon.Path.IsNull():
			addError(&resp.Diagnostics, at, "Path with a TCP monitor", "A TCP monitor only opens a connection; remove monitor.path or probe with HTTP(S).")
		case protocol != "TCP" && mon.Path.IsNull():
			addError(&resp.Diagnostics, at, "Missing monitor path", fmt.Sprintf("An %s monitor needs the path to probe, e.g. path = \"/healthz\".", protocol))
		case protocol != "TCP" && !strings.HasPrefix(mon.Path.ValueString(), "/"):
			addError(&resp.Diagnostics, at, "Invalid monitor path", fmt.Sprintf("%q must start with /.", mon.Path.ValueString()))
		}
		if !mon.IntervalInSeconds.IsUnknown() && !mon.TimeoutInSeconds.IsUnknown() && !mon.TimeoutInSeconds.IsNull() {
			interval := int64(30)
			if !mon.IntervalInSeconds.IsNull() {
				interval = mon.IntervalInSeconds.ValueInt64()
			}
			if mon.TimeoutInSeconds.ValueInt64() >= interval {
				addError(&resp.Diagnostics, path.Root("monitor").AtName("timeout_in_seconds"), "Probe timeout not below the interval",
					fmt.Sprintf("timeout_in_seconds (%d) must be less than interval_in_seconds (%d).", mon.TimeoutInSeconds.ValueInt64(), interval))
			}
		}
	}
	routing := m.RoutingMethod.ValueString()
	if m.RoutingMethod.IsNull() {
		routing = "Priority"
	}
	if m.RoutingMethod.IsUnknown() {
		return
	}
	recovery, rolesKnown := 0, true
	prioritiesKnown := true
	names := map[string]int{}
	priorities := map[int64]int{}
	geo := map[string]int{}
	lowestPrimary, lowestRecovery := int64(1<<31), int64(1<<31)
	for i, e := range m.Endpoints {
		at := path.Root("endpoint").AtListIndex(i)
		if !e.Name.IsUnknown() {
			if j, dup := names[e.Name.ValueString()]; dup {
				addError(&resp.Diagnostics, at.AtName("name"), "Duplicate endpoint name", fmt.Sprintf("endpoint[%d] and endpoint[%d] are both named %q.", j, i, e.Name.ValueString()))
			}
			names[e.Name.ValueString()] = i
		}
		if e.Role.IsUnknown() {
			rolesKnown = false
		}
		if e.Priority.IsUnknown() {
			prioritiesKnown = false
		}
		if e.Role.ValueString() == "recovery" {
			recovery++
		}
		switch e.Type.ValueString() {
		case "external":
			if e.Target.IsNull() {
				addError(&resp.Diagnostics, at.AtName("target"), "Missing target", "An external endpoint needs target: the host name or IP users are sent to.")
			}
			if !e.TargetResourceID.IsNull() {
				addError(&resp.Diagnostics, at.AtName("target_resource_id"), "target_resource_id on an external endpoint", "Use type = \"azure\" for a resource id, or remove target_resource_id.")
			}
			if routing == "Performance" && e.Location.IsNull() {
				addError(&resp.Diagnostics, at.AtName("location"), "Missing location", "Performance routing needs the Azure region of every external endpoint.")
			}
		case "azure":
			if e.TargetResourceID.IsNull() {
				addError(&resp.Diagnostics, at.AtName("target_resource_id"), "Missing target_resource_id", "An azure endpoint needs the id of the resource that serves it (a public IP with a DNS name, an App Service).")
			}
			if !e.Target.IsNull() && !e.Target.IsUnknown() {
				addError(&resp.Diagnostics, at.AtName("target"), "target on an azure endpoint", "An azure endpoint's target comes from its resource; remove target, or use type = \"external\".")
			}
		}
		switch {
		case routing == "Priority" && e.Priority.IsNull():
			addError(&resp.Diagnostics, at.AtName("priority"), "Missing priority", "Priority routing needs a priority on every endpoint: lower numbers take traffic first (e.g. 1 for production, 2 for the DR site).")
		case !e.Priority.IsNull() && !e.Priority.IsUnknown():
			p := e.Priority.ValueInt64()
			if j, dup := priorities[p]; dup {
				addError(&resp.Diagnostics, at.AtName("priority"), "Duplicate priority", fmt.Sprintf("endpoint[%d] and endpoint[%d] both have priority %d; priorities must be unique.", j, i, p))
			}
			priorities[p] = i
			if e.Role.ValueString() == "primary" && p < lowestPrimary {
				lowestPrimary = p
			}
			if e.Role.ValueString() == "recovery" && p < lowestRecovery {
				lowestRecovery = p
			}
		}
		if routing == "Geographic" && e.GeoMappings.IsNull() {
			addError(&resp.Diagnostics, at.AtName("geo_mappings"), "Missing geo_mappings", "Geographic routing needs the regions each endpoint serves, e.g. [\"WORLD\"].")
		}
		if !e.GeoMappings.IsNull() && !e.GeoMappings.IsUnknown() {
			var codes []string // the known ones; unknown codes are checked once known
			for _, v := range e.GeoMappings.Elements() {
				if s, ok := v.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
					codes = append(codes, s.ValueString())
				}
			}
			for _, c := range codes {
				for other, j := range geo {
					if geoOverlap(c, other) {
						addError(&resp.Diagnostics, at.AtName("geo_mappings"), "Overlapping geo mappings",
							fmt.Sprintf("%q of endpoint[%d] overlaps %q of endpoint[%d]: a location must map to one endpoint.", c, i, other, j))
					}
				}
			}
			for _, c := range codes {
				geo[c] = i
			}
		}
	}
	if recovery == 0 && rolesKnown && len(m.Endpoints) > 0 {
		addError(&resp.Diagnostics, path.Root("endpoint"), "No recovery endpoint",
			"Declare at least one endpoint with role = \"recovery\": without it there is nowhere to fail over to.")
	}
	if routing == "Priority" && rolesKnown && prioritiesKnown && lowestRecovery < lowestPrimary && lowestPrimary != 1<<31 {
		addError(&resp.Diagnostics, path.Root("endpoint"), "Recovery endpoint ahead of production",
			fmt.Sprintf("A recovery endpoint has priority %d, ahead of the primary's %d: users would go to the DR site while production is healthy. Give primary endpoints the lower numbers.", lowestRecovery, lowestPrimary))
	}
}

// geoOverlap: the same code, or a country and one of its states (US, US-CA).
// WORLD is Traffic Manager's catch-all and overlaps nothing.
func geoOverlap(a, b string) bool {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	if a == "WORLD" || b == "WORLD" {
		return a == b
	}
	return a == b || strings.HasPrefix(a, b+"-") && !strings.HasPrefix(b, "GEO-") || strings.HasPrefix(b, a+"-") && !strings.HasPrefix(a, "GEO-")
}

// addError names the attribute in the detail too: Terraform points at the
// block when the attribute itself is not in the configuration.
func addError(diags *diag.Diagnostics, at path.Path, summary, detail string) {
	diags.AddAttributeError(at, summary, at.String()+": "+detail)
}
