package network

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

// nsgSet is one NSG resource as found in Azure, region by region. Primary is
// the managed primary NSG, or the production NSG being mirrored.
type nsgSet struct {
	pair                    *pair
	source                  bool
	primary, recovery, test *nsg
}

// regions lists the NSGs with their region label, primary first (the
// reference for differences).
func (s *nsgSet) regions() []struct {
	label string
	nsg   *nsg
	vnet  *vnet
} {
	return []struct {
		label string
		nsg   *nsg
		vnet  *vnet
	}{{"primary", s.primary, s.pair.Primary}, {"recovery", s.recovery, s.pair.Recovery}, {"test", s.test, s.pair.Test}}
}

func (r *nsgResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m nsgModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, nsgCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, &m, true, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *nsgResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m nsgModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, nsgUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, &m, false, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// write makes every region hold the wanted rules and associations. Inputs
// are checked against Azure before anything is written.
func (r *nsgResource) write(ctx context.Context, m *nsgModel, creating bool, diags *diag.Diagnostics) {
	p, err := findPair(ctx, r.client, m.NetworkID.ValueString())
	if errors.Is(err, errPairGone) {
		err = fmt.Errorf("%w: no azuredr_network has the recovery network %s", errInput, m.NetworkID.ValueString())
	}
	if err != nil {
		addError(diags, path.Root("network_id"), "Cannot use the network pair", err)
		return
	}
	set := &nsgSet{pair: p, source: !m.SourceNetworkSecurityGroupID.IsNull()}
	rules := rulesFromModel(ctx, m.Rules, diags)
	if set.source {
		src, err := findNSG(ctx, r.client, m.SourceNetworkSecurityGroupID.ValueString())
		if err == nil && src == nil {
			err = fmt.Errorf("%w: %s does not exist", errInput, m.SourceNetworkSecurityGroupID.ValueString())
		}
		if err != nil {
			addError(diags, path.Root("source_network_security_group_id"), "Cannot read the source NSG", err)
			return
		}
		set.primary, rules = src, src.Rules
	}
	wanted := stringSet(ctx, m.SubnetNames, diags)
	name := m.Name.ValueString()
	for _, region := range set.regions() {
		for _, s := range wanted {
			if _, ok := region.vnet.Subnets[s]; !ok {
				addError(diags, path.Root("subnet_names"), "Unknown subnet",
					fmt.Errorf("%w: the %s network %s has no subnet %q (it has %s)", errInput, region.label, region.vnet.ID, s, strings.Join(subnetNames(region.vnet), ", ")))
				return
			}
		}
	}

	// Look up the NSGs of this name; refuse ones the provider did not make,
	// and subnets associated with another NSG, before anything is written.
	existing := map[string]*nsg{}
	for _, region := range set.regions() {
		if region.label == "primary" && set.source {
			continue // production's associations are production's business
		}
		found, err := getNSG(ctx, r.client, region.vnet.Group, name)
		if err == nil && found != nil && (found.Tags[tagRole] != roleNSG || !strings.EqualFold(found.Tags[tagNetwork], p.Recovery.ID)) {
			err = fmt.Errorf("%w: %s already exists and was not created for this network pair by azuredr_network_security_group; choose another name", errInput, found.ID)
		}
		if err != nil {
			addError(diags, path.Root("name"), "Cannot write the "+region.label+" NSG", err)
			return
		}
		existing[region.label] = found
		id := nsgID(r.client, region.vnet.Group, name)
		for _, sn := range wanted {
			if s := region.vnet.Subnets[sn]; s.NSGID != "" && !strings.EqualFold(s.NSGID, id) {
				addError(diags, path.Root("subnet_names"), "Subnet has another NSG",
					fmt.Errorf("%w: the %s subnet %s is associated with %s; remove %q from subnet_names or mirror that NSG with source_network_security_group_id", errInput, region.label, s.ID, s.NSGID, sn))
				return
			}
		}
	}

	// A create leaves nothing half-made: every NSG and association it makes
	// is recorded and undone (last first) when a later step fails. The
	// primary NSG is in the production resource group, where a leftover
	// would sit untracked next to production. An update leaves what it
	// wrote: state still tracks the NSGs, and the next apply finishes.
	var undo *azure.Undo
	if creating {
		undo = &azure.Undo{}
	}
	failed := func(summary string, err error) { framework.AddErrorAndUndo(ctx, diags, undo, summary, err) }
	for _, region := range set.regions() {
		if region.label == "primary" && set.source {
			continue
		}
		tags := withTags(stringMap(ctx, m.Tags, diags), map[string]string{tagRole: roleNSG, tagNetwork: p.Recovery.ID})
		if set.source {
			tags[tagSourceNSG] = set.primary.ID
		}
		written, err := putNSG(ctx, r.client, region.vnet.Group, name, region.vnet.Location, rules, tags)
		if existing[region.label] == nil { // a failed write may still have made it
			id := nsgID(r.client, region.vnet.Group, name)
			undo.Add("network security group "+id, "az network nsg delete --ids "+id+" (after removing its subnet associations)",
				func(ctx context.Context) error { return removeNSG(ctx, r.client, id) })
		}
		if err != nil {
			failed("Cannot write the "+region.label+" NSG "+name, err)
			return
		}
		switch region.label {
		case "primary":
			set.primary = written
		case "recovery":
			set.recovery = written
		default:
			set.test = written
		}
	}

	// Associations: wanted subnets point at this region's NSG, others do not.
	for _, region := range set.regions() {
		if region.label == "primary" && set.source {
			continue // production's associations are production's business
		}
		for _, sn := range subnetNames(region.vnet) {
			s := region.vnet.Subnets[sn]
			want, has := contains(wanted, sn), strings.EqualFold(s.NSGID, region.nsg.ID)
			from, to := "", ""
			switch {
			case want && !has:
				to = region.nsg.ID
			case !want && has:
				from = region.nsg.ID
			default:
				continue
			}
			changed, err := associate(ctx, r.client, s.ID, from, to)
			if changed || (err != nil && !errors.Is(err, errInput)) { // a failed write may still have changed it
				undo.Add(associationStep(r.client, s.ID, to, from))
			}
			if err != nil {
				failed("Cannot associate subnet "+s.ID, err)
				return
			}
		}
	}
	r.refresh(ctx, m, set.recovery.ID, diags)
	if diags.HasError() {
		// The read-back failed: nothing reaches state, so undo the writes.
		framework.RunUndo(ctx, diags, undo)
	}
}

func (r *nsgResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m nsgModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, nsgReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if gone := r.refresh(ctx, &m, m.ID.ValueString(), &resp.Diagnostics); gone {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// refresh reads every region and fills the model. It reports gone when the
// recovery or test NSG (or the pair) no longer exists: the next plan
// recreates them.
func (r *nsgResource) refresh(ctx context.Context, m *nsgModel, recoveryID string, diags *diag.Diagnostics) (gone bool) {
	set, err := r.find(ctx, recoveryID, m.Name.ValueString())
	if errors.Is(err, errPairGone) {
		return true
	}
	if err != nil {
		framework.AddAzureError(diags, "Cannot read the network security groups", err)
		return false
	}
	m.fill(ctx, set, diags)
	return false
}

func (r *nsgResource) find(ctx context.Context, recoveryID, name string) (*nsgSet, error) {
	rec, err := findNSG(ctx, r.client, recoveryID)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, errPairGone
	}
	if rec.Tags[tagRole] != roleNSG {
		return nil, fmt.Errorf("%s was not created by azuredr_network_security_group (no %s=%s tag)", recoveryID, tagRole, roleNSG)
	}
	p, err := findPair(ctx, r.client, rec.Tags[tagNetwork])
	if err != nil {
		return nil, err
	}
	set := &nsgSet{pair: p, recovery: rec, source: rec.Tags[tagSourceNSG] != ""}
	if set.test, err = getNSG(ctx, r.client, p.Test.Group, rec.Name); err != nil {
		return nil, err
	}
	if set.source {
		set.primary, err = findNSG(ctx, r.client, rec.Tags[tagSourceNSG])
	} else {
		set.primary, err = getNSG(ctx, r.client, p.Primary.Group, rec.Name)
	}
	if err != nil {
		return nil, err
	}
	if set.test == nil || set.primary == nil {
		return nil, errPairGone
	}
	return set, nil
}

// fill records what Azure holds. The reference rules are the production
// NSG's when mirroring, otherwise the rules last applied; when a region
// differs from them, state records that region's rules so the plan shows
// the change and the next apply restores every region.
func (m *nsgModel) fill(ctx context.Context, s *nsgSet, diags *diag.Diagnostics) {
	m.ID = types.StringValue(s.recovery.ID)
	m.Name = types.StringValue(s.recovery.Name)
	m.NetworkID = types.StringValue(s.pair.Recovery.ID)
	m.PrimaryID = types.StringValue(s.primary.ID)
	m.RecoveryID = types.StringValue(s.recovery.ID)
	m.TestID = types.StringValue(s.test.ID)
	if s.source {
		m.SourceNetworkSecurityGroupID = types.StringValue(s.primary.ID)
	} else {
		m.SourceNetworkSecurityGroupID = types.StringNull()
	}

	managed := !s.source && !m.Rules.IsNull() && !m.Rules.IsUnknown()
	reference := s.primary.Rules
	if managed {
		reference = rulesFromModel(ctx, m.Rules, diags)
	}
	var drifted []rule
	inSync := true
	var differences []string
	for _, region := range s.regions() {
		if !sameRules(region.nsg.Rules, reference) {
			if inSync {
				drifted = region.nsg.Rules
			}
			inSync = false
		}
		if region.label != "primary" {
			differences = append(differences, differenceFindings("primary", s.primary.Rules, region.label, region.nsg.Rules)...)
		}
	}
	switch {
	case s.source:
		m.Rules = types.ListNull(types.ObjectType{AttrTypes: ruleAttrTypes}) // the source NSG's business
	case !managed:
		m.Rules = rulesToModel(ctx, s.primary.Rules, diags) // imported
	case drifted != nil:
		// In the configuration's order, so the plan shows only what changed.
		m.Rules = rulesToModel(ctx, alignTo(reference, drifted), diags)
	default:
		// As configured, with what Azure filled in ("*" for omitted lists).
		m.Rules = rulesToModel(ctx, alignTo(reference, s.recovery.Rules), diags)
	}

	// Associations, as the recovery region has them; every region must agree.
	associated := func(v *vnet, n *nsg) []string {
		var out []string
		for _, name := range subnetNames(v) {
			if strings.EqualFold(v.Subnets[name].NSGID, n.ID) {
				out = append(out, name)
			}
		}
		return out
	}
	names := associated(s.pair.Recovery, s.recovery)
	for _, region := range s.regions() {
		if region.label == "primary" && s.source {
			continue
		}
		if got := associated(region.vnet, region.nsg); strings.Join(got, ",") != strings.Join(names, ",") {
			inSync = false
			differences = append(differences, fmt.Sprintf("%s: subnets associated %v, recovery has %v", region.label, got, names))
		}
	}
	if len(names) > 0 || !m.SubnetNames.IsNull() {
		v, d := types.SetValueFrom(ctx, types.StringType, names)
		diags.Append(d...)
		m.SubnetNames = v
	}
	m.RegionsInSync = types.BoolValue(inSync)

	findings := []string{}
	for _, region := range s.regions() {
		findings = append(findings, exposureFindings(region.label, region.nsg.Rules)...)
	}
	m.Findings = stringList(append(findings, differences...))
	if user := userTags(s.recovery.Tags); len(user) > 0 || !m.Tags.IsNull() {
		m.Tags = mapValue(user)
	}
}

// Delete removes the associations this resource made, then the NSGs it
// made; a mirrored production NSG is left alone.
func (r *nsgResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m nsgModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, nsgDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	ids := []string{m.TestID.ValueString(), m.RecoveryID.ValueString()}
	if m.SourceNetworkSecurityGroupID.IsNull() {
		ids = append(ids, m.PrimaryID.ValueString())
	}
	for _, id := range ids {
		if err := removeNSG(ctx, r.client, id); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot delete NSG "+id, err)
		}
	}
}

// associationStep undoes a create's association change: it moves the
// subnet from `from` (where the create put it) back to `to`, if the subnet
// is still at `from`.
func associationStep(c *azure.Client, subnetID, from, to string) (what, manual string, do func(context.Context) error) {
	what = "association of subnet " + subnetID + " with " + orNone(from)
	manual = "az network vnet subnet update --ids " + subnetID + " --remove networkSecurityGroup"
	if to != "" {
		what = "subnet " + subnetID + " moved off " + to
		manual = "az network vnet subnet update --ids " + subnetID + " --network-security-group " + to
	}
	return what, manual, func(ctx context.Context) error {
		_, err := associate(ctx, c, subnetID, from, to)
		return err
	}
}

func subnetNames(v *vnet) []string {
	out := make([]string, 0, len(v.Subnets))
	for n := range v.Subnets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func stringSet(ctx context.Context, v types.Set, diags *diag.Diagnostics) []string {
	var out []string
	if !v.IsNull() && !v.IsUnknown() {
		diags.Append(v.ElementsAs(ctx, &out, false)...)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
