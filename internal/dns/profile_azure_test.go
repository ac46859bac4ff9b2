package dns

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What the provider writes and then reads back must be what the plan said,
// or Terraform reports an inconsistent result.
func TestProfileRoundTripsThroughARM(t *testing.T) {
	ctx := context.Background()
	ranges, _ := types.ListValueFrom(ctx, types.StringType, []string{"200-299", "301"})
	headers, _ := types.MapValueFrom(ctx, types.StringType, map[string]string{"Host": "cms.example.com"})
	endpoint := func(name, role string, priority int64, target string) endpointData {
		return endpointData{Name: types.StringValue(name), Type: types.StringValue("external"), Target: types.StringValue(target),
			TargetResourceID: types.StringNull(), Location: types.StringValue("eastus2"), Priority: types.Int64Value(priority),
			Weight: types.Int64Value(1), GeoMappings: types.ListNull(types.StringType), Enabled: types.BoolValue(true),
			Role: types.StringValue(role), MonitorStatus: types.StringUnknown()}
	}
	in := profileModel{
		Name: types.StringValue("tm"), RelativeName: types.StringValue("cms"), TTL: types.Int64Value(30),
		RoutingMethod: types.StringValue("Priority"), Enabled: types.BoolValue(true), Tags: types.MapNull(types.StringType),
		Monitor: &monitorModel{Protocol: types.StringValue("HTTP"), Port: types.Int64Value(8080), Path: types.StringValue("/healthz"),
			IntervalInSeconds: types.Int64Value(10), TimeoutInSeconds: types.Int64Value(5), ToleratedFailures: types.Int64Value(2),
			ExpectedStatusCodeRanges: ranges, CustomHeaders: headers},
		// The configuration lists the recovery endpoint first; state must too.
		Endpoints: []endpointData{endpoint("dr", "recovery", 2, "10.0.0.2"), endpoint("prod", "primary", 1, "10.0.0.1")},
	}
	var diags diag.Diagnostics
	body := in.toARM(ctx, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	// What ARM sends back: the same, plus read-only fields, endpoints in its own order.
	body.ID = ptr("/subscriptions/s/resourceGroups/site-dr/providers/Microsoft.Network/trafficManagerProfiles/tm")
	body.Name = ptr("tm")
	body.Properties.DNSConfig.Fqdn = ptr("cms.trafficmanager.net")
	body.Properties.Endpoints[0], body.Properties.Endpoints[1] = body.Properties.Endpoints[1], body.Properties.Endpoints[0]
	for _, e := range body.Properties.Endpoints {
		e.Properties.EndpointMonitorStatus = ptr(armtrafficmanager.EndpointMonitorStatusOnline)
		e.Properties.EndpointLocation = ptr("East US 2")
	}

	out := in
	out.fill(ctx, &body)
	if out.SiteID.ValueString() != "/subscriptions/s/resourceGroups/site-dr" || out.FQDN.ValueString() != "cms.trafficmanager.net" {
		t.Fatalf("site/fqdn: %s %s", out.SiteID, out.FQDN)
	}
	if !out.Monitor.ExpectedStatusCodeRanges.Equal(ranges) || !out.Monitor.CustomHeaders.Equal(headers) || !out.Monitor.Path.Equal(in.Monitor.Path) {
		t.Fatalf("monitor: %+v", out.Monitor)
	}
	if len(out.Endpoints) != 2 || out.Endpoints[0].Name.ValueString() != "dr" || out.Endpoints[0].Role.ValueString() != "recovery" ||
		out.Endpoints[1].Role.ValueString() != "primary" || out.Endpoints[1].MonitorStatus.ValueString() != "Online" {
		t.Fatalf("endpoints: %+v", out.Endpoints)
	}
	if out.Endpoints[0].Location.ValueString() != "eastus2" {
		t.Fatalf("the configured spelling of the location must survive: %s", out.Endpoints[0].Location)
	}
}

func TestGeoOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"US", "US", true}, {"US", "US-CA", true}, {"US-CA", "us", true}, {"WORLD", "US", false}, {"WORLD", "WORLD", true},
		{"GEO-EU", "GEO-EU-X", false}, {"DE", "DK", false}, {"US-CA", "US-NY", false}} {
		if got := geoOverlap(c.a, c.b); got != c.want {
			t.Errorf("geoOverlap(%s, %s) = %v", c.a, c.b, got)
		}
	}
}
