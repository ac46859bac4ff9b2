package testfailover

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The test VM's public IP. Site Recovery gives a test VM a public IP only
// when the item's test failover NIC settings name one
// (tfoPublicIPAddressId), and the drill verifies the application from
// outside the isolated test network: so, as an Azure user would, it makes
// a public IP for the test VM and names it there, and after cleanup (which
// detaches it: a public IP on a NIC cannot be deleted) resets the setting
// and deletes it. A public IP the item already names is the user's: the
// drill uses it and touches nothing.

// drillPublicIP is a public IP the drill made for an item's test VM.
type drillPublicIP struct {
	group, name, id string
}

// testPublicIPName names the drill's public IP for an item's test VM.
func testPublicIPName(item string) string { return item + "-drill-pip" }

// preparePublicIP makes sure the item's test VM will have a public IP.
func (r *runner) preparePublicIP(ctx context.Context, st *itemState) error {
	name := st.info.ID.Name
	if pip := st.info.TestFailoverNIC.PublicIPID; pip != "" {
		r.log.Emit(PhaseTestPublicIP, st.group, name, "the item's test failover NIC settings name public IP "+pip+": the test VM gets it")
		return nil
	}
	group, site, location, err := r.drillHome(ctx, st)
	if err != nil {
		return err
	}
	pip := &drillPublicIP{group: group, name: testPublicIPName(name)}
	// Known before it is asked for: cleanup deletes it whatever happens next.
	st.mu.Lock()
	st.pip = pip
	st.mu.Unlock()
	id, err := createTestPublicIP(ctx, r.c, group, pip.name, location, site)
	if err != nil {
		return fmt.Errorf("creating public IP %s in resource group %s: %w", pip.name, group, err)
	}
	st.mu.Lock()
	pip.id = id
	st.mu.Unlock()
	r.log.Emit(PhaseTestPublicIP, st.group, name, "created public IP "+id+" for the test VM (Standard, Static, in "+location+")")
	if err := setTestPublicIP(ctx, r.c, st.info.RawID, st.info, id, ""); err != nil {
		return fmt.Errorf("naming public IP %s in the item's test failover NIC settings: %w", id, err)
	}
	r.log.Emit(PhaseTestPublicIP, st.group, name, "named it in the item's test failover NIC settings (tfoPublicIPAddressId)")
	return nil
}

// drillHome is where what the drill makes for its run goes (a test VM's
// public IP, the probe VM): the site's test resource group (named by the
// recovery group's tag; else the recovery group), the site's name for its
// tag, and the test network's region (the test VMs').
func (r *runner) drillHome(ctx context.Context, st *itemState) (group, site, location string, err error) {
	netID, err := parseNetworkID(r.spec.TestNetworkID)
	if err != nil {
		return "", "", "", err
	}
	r.netMu.Lock()
	location = r.netLocation
	if location == "" {
		vnet, err := r.c.VirtualNetworks().Get(ctx, netID.ResourceGroupName, netID.Name, nil)
		if err != nil {
			r.netMu.Unlock()
			return "", "", "", fmt.Errorf("reading the test network %s: %w", r.spec.TestNetworkID, err)
		}
		location = deref(vnet.Location)
		r.netLocation = location
	}
	r.netMu.Unlock()
	st.mu.Lock()
	group = st.info.RecoveryGroup
	st.mu.Unlock()
	if group == "" {
		return netID.ResourceGroupName, "", location, nil
	}
	rg, err := r.c.ResourceGroups().Get(ctx, group, nil)
	if err != nil {
		return "", "", "", fmt.Errorf("reading the recovery resource group %s: %w", group, err)
	}
	if test := tags.Get(rg.Tags, tags.TestResourceGroup); test != "" {
		group = test
	}
	return group, tags.Get(rg.Tags, tags.Site), location, nil
}

// createTestPublicIP creates (or, asked again, finds) the drill's public
// IP, tagged as the provider's, and returns its id.
func createTestPublicIP(ctx context.Context, c *azure.Client, group, name, location, site string) (string, error) {
	t := map[string]*string{tags.Role: ptr(tags.RoleTestPublicIP)}
	if site != "" {
		t[tags.Site] = ptr(site)
	}
	p, err := c.PublicIPAddresses().BeginCreateOrUpdate(ctx, group, name, armnetwork.PublicIPAddress{
		Location: ptr(location),
		Tags:     t,
		SKU:      &armnetwork.PublicIPAddressSKU{Name: ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			PublicIPAllocationMethod: ptr(armnetwork.IPAllocationMethodStatic),
			PublicIPAddressVersion:   ptr(armnetwork.IPVersionIPv4),
		},
	}, nil)
	if err != nil {
		return "", err
	}
	made, err := azure.Wait(ctx, p)
	if err != nil {
		return "", err
	}
	return deref(made.ID), nil
}

// setTestPublicIP names pip ("" resets it) as the item's test failover
// public IP, keeping the item's other NIC settings, if the setting is still
// unless (a change since is someone else's). known is the item as last read
// (nil: read it); a 409 (another operation on the item) is waited out.
func setTestPublicIP(ctx context.Context, c *azure.Client, raw string, known *siterecovery.Item, pip, unless string) error {
	info := known
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		if info == nil {
			var err error
			if info, err = siterecovery.FindItem(ctx, c, raw); err != nil {
				return false, 0, err
			}
		}
		tfo := info.TestFailoverNIC
		if strings.EqualFold(tfo.PublicIPID, pip) {
			return true, 0, nil
		}
		if !strings.EqualFold(tfo.PublicIPID, unless) {
			return false, 0, fmt.Errorf("the item's test failover public IP is now %q, not %q: left as it is", tfo.PublicIPID, unless)
		}
		tfo.PublicIPID = pip
		props := &asr.UpdateReplicationProtectedItemInputProperties{
			VMNics:                  azure.NICInputs(info.NICs, tfo),
			ProviderSpecificDetails: &asr.A2AUpdateReplicationProtectedItemInput{InstanceType: ptr("A2A")},
		}
		if info.SelectedRecoveryNetworkID != "" {
			props.SelectedRecoveryAzureNetworkID = ptr(info.SelectedRecoveryNetworkID)
		}
		id := info.ID
		p, err := c.ProtectedItems().BeginUpdate(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name,
			asr.UpdateReplicationProtectedItemInput{Properties: props}, nil)
		if err == nil {
			_, err = azure.Wait(ctx, p)
		}
		if isStatus(err, http.StatusConflict) {
			info = nil // read it again once the other operation is done
			return false, 0, nil
		}
		return err == nil, 0, err
	})
}

// releasePublicIP, after the item's cleanup, resets the item's test
// failover public IP setting and deletes the drill's public IP: the one
// this drill made, or one a crashed drill left named by the item (tagged
// as the drill's). A user's public IP is left alone.
func (r *runner) releasePublicIP(ctx context.Context, st *itemState) []string {
	name := st.info.ID.Name
	st.mu.Lock()
	pip := st.pip
	st.mu.Unlock()
	if pip == nil {
		var err error
		if pip, err = r.leftPublicIP(ctx, st); err != nil {
			return []string{fmt.Sprintf("item %s: cannot tell whether its test failover public IP is a drill's: %s", st.res.ItemID, azure.Describe(err))}
		}
		if pip == nil {
			return nil
		}
	}
	id := pip.id
	if id == "" {
		id = fmt.Sprintf("resource group %s, public IP %s", pip.group, pip.name)
	}
	if pip.id != "" {
		// The item as its cleanup left it, else read it.
		st.mu.Lock()
		known := st.cleaned
		st.mu.Unlock()
		if err := setTestPublicIP(ctx, r.c, st.info.RawID, known, "", pip.id); err != nil && !azure.IsNotFound(err) {
			r.log.Emit(PhaseTestPublicIP, st.group, name, "resetting the item's test failover public IP failed: "+azure.Describe(err))
			return []string{fmt.Sprintf("item %s: its test failover NIC settings still name public IP %s: %s", st.res.ItemID, pip.id, azure.Describe(err))}
		}
		r.log.Emit(PhaseTestPublicIP, st.group, name, "reset the item's test failover public IP setting")
	}
	err := azure.Delete(ctx, func() (*runtime.Poller[armnetwork.PublicIPAddressesClientDeleteResponse], error) {
		return r.c.PublicIPAddresses().BeginDelete(ctx, pip.group, pip.name, nil)
	})
	if err != nil {
		r.log.Emit(PhaseTestPublicIP, st.group, name, "deleting public IP "+id+" failed: "+azure.Describe(err))
		return []string{"public IP still exists: " + id + ": " + azure.Describe(err)}
	}
	r.log.Emit(PhaseTestPublicIP, st.group, name, "deleted public IP "+id)
	return nil
}

// leftPublicIP is the drill's public IP the item's test failover NIC
// settings name (a crashed drill's), nil when they name none or a user's.
func (r *runner) leftPublicIP(ctx context.Context, st *itemState) (*drillPublicIP, error) {
	st.mu.Lock()
	info := st.cleaned
	if info == nil {
		info = st.info
	}
	st.mu.Unlock()
	raw := info.TestFailoverNIC.PublicIPID
	if raw == "" {
		return nil, nil
	}
	rid, err := arm.ParseResourceID(raw)
	if err != nil {
		return nil, nil // not one the drill made
	}
	p, err := r.c.PublicIPAddresses().Get(ctx, rid.ResourceGroupName, rid.Name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if tags.Get(p.Tags, tags.Role) != tags.RoleTestPublicIP {
		return nil, nil
	}
	return &drillPublicIP{group: rid.ResourceGroupName, name: rid.Name, id: deref(p.ID)}, nil
}
