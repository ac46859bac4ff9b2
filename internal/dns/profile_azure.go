package dns

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// tagRoles records each endpoint's role ("web-1=primary,web-2=recovery"):
// Traffic Manager has no such field, and import must bring roles back.
const tagRoles = tags.EndpointRoles

const (
	typeExternal = "Microsoft.Network/trafficManagerProfiles/externalEndpoints"
	typeAzure    = "Microsoft.Network/trafficManagerProfiles/azureEndpoints"
)

func (m *profileModel) toARM(ctx context.Context, diags *diag.Diagnostics) armtrafficmanager.Profile {
	mon := m.Monitor
	monitor := &armtrafficmanager.MonitorConfig{
		Protocol:                  ptr(armtrafficmanager.MonitorProtocol(mon.Protocol.ValueString())),
		Port:                      ptr(mon.Port.ValueInt64()),
		IntervalInSeconds:         ptr(mon.IntervalInSeconds.ValueInt64()),
		TimeoutInSeconds:          ptr(mon.TimeoutInSeconds.ValueInt64()),
		ToleratedNumberOfFailures: ptr(mon.ToleratedFailures.ValueInt64()),
	}
	if !mon.Path.IsNull() {
		monitor.Path = ptr(mon.Path.ValueString())
	}
	var ranges []string
	diags.Append(mon.ExpectedStatusCodeRanges.ElementsAs(ctx, &ranges, false)...)
	for _, r := range ranges {
		lo, hi, ok := strings.Cut(r, "-")
		if !ok {
			hi = lo
		}
		a, _ := strconv.Atoi(lo)
		b, _ := strconv.Atoi(hi)
		monitor.ExpectedStatusCodeRanges = append(monitor.ExpectedStatusCodeRanges, &armtrafficmanager.MonitorConfigExpectedStatusCodeRangesItem{Min: ptr(int32(a)), Max: ptr(int32(b))})
	}
	headers := map[string]string{}
	if !mon.CustomHeaders.IsNull() {
		diags.Append(mon.CustomHeaders.ElementsAs(ctx, &headers, false)...)
	}
	for _, k := range sortedKeys(headers) {
		monitor.CustomHeaders = append(monitor.CustomHeaders, &armtrafficmanager.MonitorConfigCustomHeadersItem{Name: ptr(k), Value: ptr(headers[k])})
	}
	status := armtrafficmanager.ProfileStatusEnabled
	if !m.Enabled.ValueBool() {
		status = armtrafficmanager.ProfileStatusDisabled
	}
	p := armtrafficmanager.Profile{
		Location: ptr("global"),
		Tags:     map[string]*string{},
		Properties: &armtrafficmanager.ProfileProperties{
			ProfileStatus:        &status,
			TrafficRoutingMethod: ptr(armtrafficmanager.TrafficRoutingMethod(m.RoutingMethod.ValueString())),
			DNSConfig:            &armtrafficmanager.DNSConfig{RelativeName: ptr(m.RelativeName.ValueString()), TTL: ptr(m.TTL.ValueInt64())},
			MonitorConfig:        monitor,
			Endpoints:            []*armtrafficmanager.Endpoint{},
		},
	}
	user := map[string]string{}
	if !m.Tags.IsNull() {
		diags.Append(m.Tags.ElementsAs(ctx, &user, false)...)
	}
	for k, v := range user {
		p.Tags[k] = ptr(v)
	}
	var roles []string
	for _, e := range m.Endpoints {
		ep := &armtrafficmanager.Endpoint{Name: ptr(e.Name.ValueString()), Properties: &armtrafficmanager.EndpointProperties{}}
		props := ep.Properties
		if e.Type.ValueString() == "azure" {
			ep.Type = ptr(typeAzure)
			props.TargetResourceID = ptr(e.TargetResourceID.ValueString())
		} else {
			ep.Type = ptr(typeExternal)
			props.Target = ptr(e.Target.ValueString())
		}
		if !e.Location.IsNull() {
			props.EndpointLocation = ptr(regions.Normalize(e.Location.ValueString()))
		}
		if !e.Priority.IsNull() {
			props.Priority = ptr(e.Priority.ValueInt64())
		}
		props.Weight = ptr(e.Weight.ValueInt64())
		if !e.GeoMappings.IsNull() {
			var codes []string
			diags.Append(e.GeoMappings.ElementsAs(ctx, &codes, false)...)
			for _, c := range codes {
				props.GeoMapping = append(props.GeoMapping, ptr(c))
			}
		}
		es := armtrafficmanager.EndpointStatusEnabled
		if !e.Enabled.ValueBool() {
			es = armtrafficmanager.EndpointStatusDisabled
		}
		props.EndpointStatus = &es
		p.Properties.Endpoints = append(p.Properties.Endpoints, ep)
		roles = append(roles, e.Name.ValueString()+"="+e.Role.ValueString())
	}
	p.Tags[tagRoles] = ptr(strings.Join(roles, ","))
	return p
}

// fill records the profile as Azure has it. Endpoints keep the order of the
// configuration (by name); ones added outside Terraform come last, so the
// plan shows them as a change.
func (m *profileModel) fill(ctx context.Context, p *armtrafficmanager.Profile) {
	id, _ := arm.ParseResourceID(deref(p.ID))
	m.ID = types.StringValue(deref(p.ID))
	if id != nil {
		m.SiteID = types.StringValue(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", id.SubscriptionID, id.ResourceGroupName))
	}
	m.Name = types.StringValue(deref(p.Name))
	roles := map[string]string{}
	user := map[string]string{}
	for k, v := range p.Tags {
		if k == tagRoles {
			for _, pair := range strings.Split(deref(v), ",") {
				if n, r, ok := strings.Cut(pair, "="); ok {
					roles[n] = r
				}
			}
		} else if !tags.IsManaged(k) {
			user[k] = deref(v)
		}
	}
	if len(user) > 0 || !m.Tags.IsNull() {
		m.Tags, _ = types.MapValueFrom(ctx, types.StringType, user)
	}
	props := p.Properties
	if props == nil {
		return
	}
	m.Enabled = types.BoolValue(deref(props.ProfileStatus) != armtrafficmanager.ProfileStatusDisabled)
	m.RoutingMethod = types.StringValue(string(deref(props.TrafficRoutingMethod)))
	if dc := props.DNSConfig; dc != nil {
		m.RelativeName = types.StringValue(deref(dc.RelativeName))
		m.TTL = types.Int64Value(deref(dc.TTL))
		m.FQDN = types.StringValue(deref(dc.Fqdn))
	}
	if mc := props.MonitorConfig; mc != nil {
		mon := &monitorModel{
			Protocol: types.StringValue(string(deref(mc.Protocol))), Port: types.Int64Value(deref(mc.Port)),
			Path: types.StringNull(), IntervalInSeconds: types.Int64Value(deref(mc.IntervalInSeconds)),
			TimeoutInSeconds: types.Int64Value(deref(mc.TimeoutInSeconds)), ToleratedFailures: types.Int64Value(deref(mc.ToleratedNumberOfFailures)),
			CustomHeaders: types.MapNull(types.StringType),
		}
		if mc.Path != nil {
			mon.Path = types.StringValue(*mc.Path)
		}
		var ranges []string
		for _, r := range mc.ExpectedStatusCodeRanges {
			lo, hi := deref(r.Min), deref(r.Max)
			if lo == hi {
				ranges = append(ranges, strconv.Itoa(int(lo)))
			} else {
				ranges = append(ranges, fmt.Sprintf("%d-%d", lo, hi))
			}
		}
		if len(ranges) == 0 {
			ranges = []string{"200-299"}
		}
		mon.ExpectedStatusCodeRanges, _ = types.ListValueFrom(ctx, types.StringType, ranges)
		if len(mc.CustomHeaders) > 0 || (m.Monitor != nil && !m.Monitor.CustomHeaders.IsNull()) {
			h := map[string]string{}
			for _, kv := range mc.CustomHeaders {
				h[deref(kv.Name)] = deref(kv.Value)
			}
			mon.CustomHeaders, _ = types.MapValueFrom(ctx, types.StringType, h)
		}
		m.Monitor = mon
	}
	order := map[string]int{}
	for i, e := range m.Endpoints {
		order[e.Name.ValueString()] = i
	}
	var eps []endpointData
	for _, ep := range props.Endpoints {
		ep := ep
		e := endpointData{Name: types.StringValue(deref(ep.Name)), Type: types.StringValue("external"),
			Target: types.StringNull(), TargetResourceID: types.StringNull(), Location: types.StringNull(), Priority: types.Int64Null(),
			GeoMappings: types.ListNull(types.StringType), Role: types.StringValue(roles[deref(ep.Name)]), Weight: types.Int64Value(1)}
		if strings.EqualFold(deref(ep.Type), typeAzure) {
			e.Type = types.StringValue("azure")
		}
		if ps := ep.Properties; ps != nil {
			if ps.Target != nil {
				e.Target = types.StringValue(*ps.Target)
			}
			if ps.TargetResourceID != nil {
				e.TargetResourceID = types.StringValue(*ps.TargetResourceID)
			}
			if ps.EndpointLocation != nil {
				e.Location = types.StringValue(*ps.EndpointLocation)
			}
			if ps.Priority != nil {
				e.Priority = types.Int64Value(*ps.Priority)
			}
			if ps.Weight != nil {
				e.Weight = types.Int64Value(*ps.Weight)
			}
			if len(ps.GeoMapping) > 0 {
				codes := make([]string, len(ps.GeoMapping))
				for i, c := range ps.GeoMapping {
					codes[i] = deref(c)
				}
				e.GeoMappings, _ = types.ListValueFrom(ctx, types.StringType, codes)
			}
			e.Enabled = types.BoolValue(deref(ps.EndpointStatus) != armtrafficmanager.EndpointStatusDisabled)
			e.MonitorStatus = types.StringValue(string(deref(ps.EndpointMonitorStatus)))
		}
		eps = append(eps, e)
	}
	sort.SliceStable(eps, func(i, j int) bool {
		oi, iok := order[eps[i].Name.ValueString()]
		oj, jok := order[eps[j].Name.ValueString()]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		}
		return eps[i].Name.ValueString() < eps[j].Name.ValueString()
	})
	// Keep a configured location's spelling ("CentralUS") when Azure returns
	// another spelling of the same region (a display name, "Central US").
	for i := range eps {
		if j, ok := order[eps[i].Name.ValueString()]; ok && !m.Endpoints[j].Location.IsNull() &&
			regions.Same(eps[i].Location.ValueString(), m.Endpoints[j].Location.ValueString()) {
			eps[i].Location = m.Endpoints[j].Location
		}
	}
	m.Endpoints = eps
}

func findProfile(ctx context.Context, c *azure.Client, id string) (*armtrafficmanager.Profile, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		return nil, fmt.Errorf("%q is not a Traffic Manager profile id", id)
	}
	resp, err := c.TrafficManagerProfiles().Get(ctx, rid.ResourceGroupName, rid.Name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &resp.Profile, nil
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
