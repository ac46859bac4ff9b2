package testfailover

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// The isolation proof: a test failover must not reach production. The
// source VMs' networks are read from their NICs (and Site Recovery's view),
// the test network's peerings from the network.

// parseNetworkID checks a virtual network id.
func parseNetworkID(s string) (*arm.ResourceID, error) {
	id, err := arm.ParseResourceID(s)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks") {
		return nil, fmt.Errorf("%q is not a virtual network id: expected /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>", s)
	}
	return id, nil
}

// productionNetworksOf finds the networks of many source VMs at once: one
// list of network interfaces per resource group of the VMs (a NIC names
// its VM), instead of a VM and a NIC read per VM. A VM whose NIC is not in
// its group's list (NICs may live in another group) is read on its own.
// It returns the networks and the private IPs (the isolation proof's
// targets) by lower-cased VM id, and the VMs it could not read with why.
func productionNetworksOf(ctx context.Context, c *azure.Client, vmIDs []string) (map[string][]string, map[string][]string, map[string]error) {
	out := map[string][]string{}
	ips := map[string][]string{}
	failed := map[string]error{}
	groups := map[string][]string{} // resource group -> VM ids
	var order []string
	for _, id := range vmIDs {
		vid, err := arm.ParseResourceID(id)
		if err != nil {
			failed[strings.ToLower(id)] = fmt.Errorf("%q is not a VM id", id)
			continue
		}
		g := strings.ToLower(vid.ResourceGroupName)
		if _, ok := groups[g]; !ok {
			order = append(order, vid.ResourceGroupName)
		}
		groups[g] = append(groups[g], id)
	}
	for _, group := range order {
		found := map[string]bool{}
		pager := c.NetworkInterfaces().NewListPager(group, nil)
		var lerr error
		for pager.More() && lerr == nil {
			page, err := pager.NextPage(ctx)
			if err != nil {
				lerr = err
				break
			}
			for _, nic := range page.Value {
				if nic == nil || nic.Properties == nil || nic.Properties.VirtualMachine == nil || nic.Properties.VirtualMachine.ID == nil {
					continue
				}
				vm := strings.ToLower(*nic.Properties.VirtualMachine.ID)
				found[vm] = true
				out[vm] = append(out[vm], nicNetworks(nic.Properties)...)
				ips[vm] = append(ips[vm], nicPrivateIPs(nic.Properties)...)
			}
		}
		for _, id := range groups[strings.ToLower(group)] {
			if found[strings.ToLower(id)] {
				continue
			}
			nets, addrs, err := productionNetworks(ctx, c, id)
			if err != nil {
				failed[strings.ToLower(id)] = err
				continue
			}
			out[strings.ToLower(id)] = nets
			ips[strings.ToLower(id)] = addrs
		}
	}
	return out, ips, failed
}

// nicPrivateIPs are the private addresses of a NIC's ip configurations.
func nicPrivateIPs(p *armnetwork.InterfacePropertiesFormat) []string {
	var out []string
	for _, ipc := range p.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && deref(ipc.Properties.PrivateIPAddress) != "" {
			out = append(out, *ipc.Properties.PrivateIPAddress)
		}
	}
	return out
}

// nicNetworks are the networks of a NIC's ip configurations.
func nicNetworks(p *armnetwork.InterfacePropertiesFormat) []string {
	var out []string
	for _, ipc := range p.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil {
			if n := siterecovery.NetworkOf(deref(ipc.Properties.Subnet.ID)); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// productionNetworks reads the source VM's NICs for the networks it is in
// and its private IPs.
func productionNetworks(ctx context.Context, c *azure.Client, vmID string) (nets, ips []string, err error) {
	vid, err := arm.ParseResourceID(vmID)
	if err != nil {
		return nil, nil, fmt.Errorf("%q is not a VM id", vmID)
	}
	vm, err := c.VirtualMachines().Get(ctx, vid.ResourceGroupName, vid.Name, nil)
	if err != nil {
		return nil, nil, err
	}
	for _, ref := range nicsOf(&vm.VirtualMachine) {
		nic, err := c.NetworkInterfaces().Get(ctx, ref.id.ResourceGroupName, ref.id.Name, nil)
		if err != nil {
			return nil, nil, err
		}
		if nic.Properties != nil {
			nets = append(nets, nicNetworks(nic.Properties)...)
			ips = append(ips, nicPrivateIPs(nic.Properties)...)
		}
	}
	return nets, ips, nil
}

// checkIsolation refuses a test network that could reach production: one
// that is an item's production or recovery network, or, when refusePeers
// (the isolation proof is skipped), one with peerings. It returns the
// peerings it found: with the proof, a peering is reported and the proof,
// which tries production from the test network, decides. It also returns
// the test network's address space (see ownSpace).
func checkIsolation(ctx context.Context, c *azure.Client, networkID string, items []*siterecovery.Item, refusePeers bool) ([]string, []netip.Prefix, error) {
	nid, err := parseNetworkID(networkID)
	if err != nil {
		return nil, nil, err
	}
	vnet, err := c.VirtualNetworks().Get(ctx, nid.ResourceGroupName, nid.Name, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the test network %s: %w", networkID, err)
	}
	var peers []string
	var space []netip.Prefix
	if vnet.Properties != nil && vnet.Properties.AddressSpace != nil {
		for _, p := range vnet.Properties.AddressSpace.AddressPrefixes {
			if pf, err := netip.ParsePrefix(deref(p)); err == nil {
				space = append(space, pf.Masked())
			}
		}
	}
	if vnet.Properties != nil {
		for _, p := range vnet.Properties.VirtualNetworkPeerings {
			if p != nil {
				peers = append(peers, deref(p.Name))
			}
		}
	}
	if len(peers) == 0 {
		pager := c.VirtualNetworkPeerings().NewListPager(nid.ResourceGroupName, nid.Name, nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, nil, fmt.Errorf("listing the peerings of the test network %s: %w", networkID, err)
			}
			for _, p := range page.Value {
				if p != nil {
					peers = append(peers, deref(p.Name))
				}
			}
		}
	}
	if len(peers) > 0 && refusePeers {
		return peers, space, fmt.Errorf("the test network %s is not isolated: it has peerings %s; a test failover must not reach production (use a network without peerings)", networkID, strings.Join(peers, ", "))
	}
	test := siterecovery.NetworkOf(networkID)
	for _, it := range items {
		for _, n := range it.ProductionNetworkIDs {
			if n == test {
				return peers, space, fmt.Errorf("the test network %s is the production network of %s: test VMs would run next to production", networkID, it.SourceVMName)
			}
		}
		for _, n := range it.RecoveryNetworkIDs {
			if n == test {
				return peers, space, fmt.Errorf("the test network %s is the recovery network of %s: a test failover uses a network of its own, isolated from the recovery network", networkID, it.SourceVMName)
			}
		}
	}
	return peers, space, nil
}

// ownSpace splits production addresses: those the test network's own
// address space holds can never reach production (a network routes its own
// space locally, and Azure refuses to peer networks whose spaces overlap),
// so the proof does not try them: from a test VM they would reach the test
// network's own VMs, a test VM of the same address included.
func ownSpace(space []netip.Prefix, ips []string) (outside, inside []string) {
	for _, ip := range ips {
		a, err := netip.ParseAddr(ip)
		held := false
		for _, p := range space {
			if err == nil && p.Contains(a) {
				held = true
				break
			}
		}
		if held {
			inside = append(inside, ip)
		} else {
			outside = append(outside, ip)
		}
	}
	return outside, inside
}
