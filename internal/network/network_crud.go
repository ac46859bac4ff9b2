package network

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

func (r *networkResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m networkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Create, networkCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, &m, true, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *networkResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m networkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Update, networkUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, &m, false, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// write brings the recovery and test networks to the mirror of production.
// A test network that is not isolated stops it before anything changes: a
// drill in it could reach production.
func (r *networkResource) write(ctx context.Context, m *networkModel, creating bool, diags *diag.Diagnostics) {
	s, err := site.Find(ctx, r.client, m.SiteID.ValueString())
	if err != nil {
		addError(diags, path.Root("site_id"), "Cannot use the site", err)
		return
	}
	primary, err := findVNet(ctx, r.client, m.PrimaryNetworkID.ValueString())
	if err == nil && primary == nil {
		err = fmt.Errorf("%w: %s does not exist; use the id of the production network", errInput, m.PrimaryNetworkID.ValueString())
	}
	if err == nil && !strings.EqualFold(primary.Location, s.PrimaryLocation) {
		err = fmt.Errorf("%w: %s is in %s but site %s's primary_location is %s", errInput, primary.ID, primary.Location, s.Name, s.PrimaryLocation)
	}
	if err != nil {
		addError(diags, path.Root("primary_network_id"), "Cannot mirror the primary network", err)
		return
	}
	var override []string
	diags.Append(m.RecoveryAddressSpace.ElementsAs(ctx, &override, true)...)
	recSubnets, err := mirrorSubnets(primary.AddressSpace, override, primary.subnetSpecs(), false)
	if err == nil && len(primary.Subnets) == 0 {
		err = fmt.Errorf("the primary network %s has no subnets to mirror", primary.ID)
	}
	if err != nil {
		addError(diags, path.Root("recovery_address_space"), "Cannot lay out the recovery network", fmt.Errorf("%w: %v", errInput, err))
		return
	}
	testSubnets, _ := mirrorSubnets(primary.AddressSpace, override, primary.subnetSpecs(), true)
	space := primary.AddressSpace
	if len(override) > 0 {
		space = override
	}

	rid, _ := arm.ParseResourceID(s.ID)
	recName, testName := m.RecoveryNetworkName.ValueString(), m.TestNetworkName.ValueString()
	testID := testNetworkID(rid.SubscriptionID, s.TestResourceGroup, testName)
	user := stringMap(ctx, m.Tags, diags)

	rec, err := getVNet(ctx, r.client, s.RecoveryResourceGroup, recName)
	if err == nil {
		err = checkOwned(rec, roleRecovery)
	}
	if err != nil {
		addError(diags, path.Root("recovery_network_name"), "Cannot write the recovery network", err)
		return
	}
	test, err := getVNet(ctx, r.client, s.TestResourceGroup, testName)
	if err == nil {
		err = checkOwned(test, roleTest)
	}
	if err == nil && test != nil {
		if problems := test.isolationProblems(); len(problems) > 0 {
			err = fmt.Errorf("%w: test network %s is not isolated: it has %s. A drill in it could reach production. Remove them (the provider never deletes peerings or gateways it did not make), then apply again",
				errInput, test.ID, strings.Join(problems, ", "))
		}
	}
	if err != nil {
		addError(diags, path.Root("test_network_isolated"), "Test network not isolated", err)
		return
	}

	// A create leaves nothing half-made: each network and mapping it makes
	// is recorded, and removed again (last first) when a later step fails.
	// An update leaves what it wrote: state still tracks the pair.
	var undo *azure.Undo
	if creating {
		undo = &azure.Undo{}
	}
	failed := func(summary string, err error) { framework.AddErrorAndUndo(ctx, diags, undo, summary, err) }
	recTags := withTags(user, map[string]string{tagRole: roleRecovery, tagPrimaryNetwork: primary.ID, tagTestNetwork: testID})
	newRec, err := putVNet(ctx, r.client, s.RecoveryResourceGroup, recName, s.RecoveryLocation, space, recSubnets, recTags)
	if rec == nil {
		r.undoVNet(undo, s.RecoveryResourceGroup, recName)
	}
	if err != nil {
		failed("Cannot write the recovery network "+recName, err)
		return
	}
	_, err = putVNet(ctx, r.client, s.TestResourceGroup, testName, s.RecoveryLocation, space, testSubnets, withTags(user, map[string]string{tagRole: roleTest}))
	if test == nil {
		r.undoVNet(undo, s.TestResourceGroup, testName)
	}
	if err != nil {
		failed("Cannot write the test network "+testName, err)
		return
	}
	p, err := findPair(ctx, r.client, newRec.ID)
	if err != nil {
		failed("Cannot read the network pair back", err)
		return
	}
	m.fill(ctx, p, diags)

	// The mappings come after the networks they name.
	failover, failback := pairMappings(s, p.Primary.ID, p.Recovery.ID, p.Recovery.Name)
	for _, nm := range []networkMapping{failover, failback} {
		made, err := ensureMapping(ctx, r.client, nm)
		if made {
			id := nm.ID()
			undo.Add("Site Recovery network mapping "+id, "az resource delete --ids "+id,
				func(ctx context.Context) error { return deleteMapping(ctx, r.client, id) })
		}
		if err != nil {
			failed("Cannot create the Site Recovery network mapping "+nm.ID(), err)
			return
		}
	}
	m.FailoverMappingID = types.StringValue(failover.ID())
	m.FailbackMappingID = types.StringValue(failback.ID())
}

func (r *networkResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m networkModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Read, networkReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := findPair(ctx, r.client, m.ID.ValueString())
	if errors.Is(err, errPairGone) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddAzureError(&resp.Diagnostics, "Cannot read the network pair", err)
		return
	}
	m.fill(ctx, p, &resp.Diagnostics)
	r.readMappings(ctx, &m, p, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// readMappings records each network mapping's id, or "" when it is missing
// or points elsewhere: ModifyPlan then plans the repair.
func (r *networkResource) readMappings(ctx context.Context, m *networkModel, p *pair, diags *diag.Diagnostics) {
	s, err := site.Find(ctx, r.client, p.SiteID)
	if err != nil {
		framework.AddAzureError(diags, "Cannot read the site of the network pair", err)
		return
	}
	failover, failback := pairMappings(s, p.Primary.ID, p.Recovery.ID, p.Recovery.Name)
	for _, x := range []struct {
		nm   networkMapping
		into *types.String
	}{{failover, &m.FailoverMappingID}, {failback, &m.FailbackMappingID}} {
		_, correct, err := mappingFound(ctx, r.client, x.nm)
		if err != nil {
			framework.AddAzureError(diags, "Cannot read the Site Recovery network mapping "+x.nm.ID(), err)
			return
		}
		*x.into = types.StringValue("")
		if correct {
			*x.into = types.StringValue(x.nm.ID())
		} else {
			tflog.Warn(ctx, "network mapping is missing or points elsewhere; the next apply repairs it", map[string]any{"mapping": x.nm.ID()})
		}
	}
}

func (r *networkResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m networkModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, cancel := framework.Deadline(ctx, m.Timeouts.Delete, networkDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	// Mappings first: Site Recovery refuses to lose a network it maps.
	for _, id := range []string{m.FailoverMappingID.ValueString(), m.FailbackMappingID.ValueString()} {
		if id == "" {
			continue
		}
		if err := deleteMapping(ctx, r.client, id); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot delete the Site Recovery network mapping "+id, err)
		}
	}
	if resp.Diagnostics.HasError() {
		return // the networks stay, so the next destroy can finish the job
	}
	for _, id := range []string{m.TestNetworkID.ValueString(), m.RecoveryNetworkID.ValueString()} {
		rid, err := arm.ParseResourceID(id)
		if err != nil {
			continue
		}
		if err := deleteVNet(ctx, r.client, rid.ResourceGroupName, rid.Name); err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot delete network "+id, err)
		}
	}
}

// undoVNet records a network the create made (a write that failed may
// still have made it: removing one that is not there is no error).
func (r *networkResource) undoVNet(undo *azure.Undo, group, name string) {
	id := vnetID(r.client, group, name)
	undo.Add("virtual network "+id, "az network vnet delete --ids "+id,
		func(ctx context.Context) error { return deleteVNet(ctx, r.client, group, name) })
}

// fill sets every attribute Azure decides from what was found, so Read,
// Create, Update, import and the data source agree.
func (m *networkModel) fill(ctx context.Context, p *pair, diags *diag.Diagnostics) {
	m.ID = types.StringValue(p.Recovery.ID)
	m.SiteID = types.StringValue(p.SiteID)
	m.PrimaryNetworkID = types.StringValue(p.Primary.ID)
	m.RecoveryNetworkID = types.StringValue(p.Recovery.ID)
	m.RecoveryNetworkName = types.StringValue(p.Recovery.Name)
	m.TestNetworkID = types.StringValue(p.Test.ID)
	m.TestNetworkName = types.StringValue(p.Test.Name)
	m.AddressSpace = stringList(p.Recovery.AddressSpace)
	m.PrimaryAddressSpace = stringList(p.Primary.AddressSpace)
	if !slices.Equal(p.Recovery.AddressSpace, p.Primary.AddressSpace) {
		m.RecoveryAddressSpace = stringList(p.Recovery.AddressSpace)
	} else if m.RecoveryAddressSpace.IsUnknown() {
		m.RecoveryAddressSpace = types.ListNull(types.StringType)
	}
	primary := map[string]string{}
	for n, s := range p.Primary.Subnets {
		primary[n] = s.Prefix
	}
	m.PrimarySubnets = mapValue(primary)
	entries := map[string]subnetEntry{}
	for n, s := range p.Recovery.Subnets {
		entries[n] = subnetEntry{
			AddressPrefix: types.StringValue(s.Prefix),
			PrimaryID:     types.StringValue(p.Primary.Subnets[n].ID),
			RecoveryID:    types.StringValue(s.ID),
			TestID:        types.StringValue(p.Test.Subnets[n].ID),
		}
	}
	var d diag.Diagnostics
	m.Subnets, d = types.MapValueFrom(ctx, types.ObjectType{AttrTypes: subnetAttrTypes}, entries)
	diags.Append(d...)
	m.TestNetworkIsolated = types.BoolValue(len(p.Test.isolationProblems()) == 0)
	if user := userTags(p.Recovery.Tags); len(user) > 0 || !m.Tags.IsNull() {
		m.Tags = mapValue(user)
	}
}

// errInput marks errors caused by the configuration, reported against an
// attribute; everything else is an Azure error.
var errInput = errors.New("invalid input")

func addError(diags *diag.Diagnostics, at path.Path, summary string, err error) {
	if errors.Is(err, errInput) || errors.Is(err, site.ErrNotASite) {
		diags.AddAttributeError(at, summary, strings.TrimPrefix(err.Error(), errInput.Error()+": "))
		return
	}
	framework.AddAzureError(diags, summary, err)
}

// checkOwned refuses to take over a network the provider did not create.
func checkOwned(v *vnet, role string) error {
	if v == nil || v.Tags[tagRole] == role {
		return nil
	}
	return fmt.Errorf("%w: %s already exists and was not created by azuredr_network (tag %s=%q); choose another name", errInput, v.ID, tagRole, v.Tags[tagRole])
}
