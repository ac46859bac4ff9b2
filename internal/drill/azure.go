package drill

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The drill's Azure calls: finders for items, points, networks and test
// VMs, and the test failover and its cleanup.

// itemInfo is what the drill needs to know of a protected item.
type itemInfo struct {
	ID                   itemID
	RawID                string
	SourceVMID           string
	SourceVMName         string
	RecoveryGroup        string // name of the recovery resource group
	RecoveryNetworkIDs   []string
	ProductionNetworkIDs []string
	TestFailoverState    string
	TestVMName           string // TfoAzureVMName, "" before a test failover
	RecoveryVMName       string
	FailoverPointID      string // the point of the last (test) failover
}

func findItem(ctx context.Context, c *azure.Client, raw string) (*itemInfo, error) {
	id, err := parseItemID(raw)
	if err != nil {
		return nil, err
	}
	item, err := azure.FindProtectedItem(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return itemInfoOf(id, raw, item)
}

// itemInfoOf reads what the drill needs of an item Site Recovery returned:
// from a GET, or from the end of a test failover or its cleanup (their
// Location URL answers the item), which spares a GET.
func itemInfoOf(id itemID, raw string, item *asr.ReplicationProtectedItem) (*itemInfo, error) {
	p := item.Properties
	if p == nil {
		return nil, fmt.Errorf("Site Recovery returned %s without properties", raw)
	}
	info := &itemInfo{ID: id, RawID: raw, SourceVMName: deref(p.FriendlyName), TestFailoverState: deref(p.TestFailoverState),
		FailoverPointID: deref(p.FailoverRecoveryPointID)}
	a2a, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok || a2a == nil {
		return nil, fmt.Errorf("%s is not an Azure-to-Azure (A2A) replicated VM", raw)
	}
	info.SourceVMID = deref(a2a.FabricObjectID)
	if info.SourceVMID != "" {
		info.SourceVMName = lastSegment(info.SourceVMID)
	}
	info.RecoveryGroup = groupOf(deref(a2a.RecoveryAzureResourceGroupID))
	info.TestVMName = deref(a2a.TfoAzureVMName)
	info.RecoveryVMName = deref(a2a.RecoveryAzureVMName)
	addNet := func(list *[]string, s string) {
		if n := networkOf(s); n != "" {
			*list = append(*list, n)
		}
	}
	addNet(&info.RecoveryNetworkIDs, deref(a2a.SelectedRecoveryAzureNetworkID))
	for _, nic := range a2a.VMNics {
		if nic == nil {
			continue
		}
		addNet(&info.RecoveryNetworkIDs, deref(nic.RecoveryVMNetworkID))
		addNet(&info.ProductionNetworkIDs, deref(nic.VMNetworkName))
	}
	return info, nil
}

// productionNetworksOf finds the networks of many source VMs at once: one
// list of network interfaces per resource group of the VMs (a NIC names
// its VM), instead of a VM and a NIC read per VM. A VM whose NIC is not in
// its group's list (NICs may live in another group) is read on its own.
// It returns the networks by lower-cased VM id, and the VMs it could not
// read with why.
func productionNetworksOf(ctx context.Context, c *azure.Client, vmIDs []string) (map[string][]string, map[string]error) {
	out := map[string][]string{}
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
			}
		}
		for _, id := range groups[strings.ToLower(group)] {
			if found[strings.ToLower(id)] {
				continue
			}
			nets, err := productionNetworks(ctx, c, id)
			if err != nil {
				failed[strings.ToLower(id)] = err
				continue
			}
			out[strings.ToLower(id)] = nets
		}
	}
	return out, failed
}

// nicNetworks are the networks of a NIC's ip configurations.
func nicNetworks(p *armnetwork.InterfacePropertiesFormat) []string {
	var out []string
	for _, ipc := range p.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil {
			if n := networkOf(deref(ipc.Properties.Subnet.ID)); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// productionNetworks reads the source VM's NICs for the networks it is in.
func productionNetworks(ctx context.Context, c *azure.Client, vmID string) ([]string, error) {
	vid, err := arm.ParseResourceID(vmID)
	if err != nil {
		return nil, fmt.Errorf("%q is not a VM id", vmID)
	}
	vm, err := c.VirtualMachines().Get(ctx, vid.ResourceGroupName, vid.Name, nil)
	if err != nil {
		return nil, err
	}
	var out []string
	if vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return nil, nil
	}
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if ref == nil || ref.ID == nil {
			continue
		}
		nid, err := arm.ParseResourceID(*ref.ID)
		if err != nil {
			continue
		}
		nic, err := c.NetworkInterfaces().Get(ctx, nid.ResourceGroupName, nid.Name, nil)
		if err != nil {
			return nil, err
		}
		if nic.Properties != nil {
			out = append(out, nicNetworks(nic.Properties)...)
		}
	}
	return out, nil
}

// checkIsolation refuses a test network that could reach production: one
// with peerings, or one that is an item's production or recovery network.
func checkIsolation(ctx context.Context, c *azure.Client, networkID string, items []*itemInfo) error {
	nid, err := parseNetworkID(networkID)
	if err != nil {
		return err
	}
	vnet, err := c.VirtualNetworks().Get(ctx, nid.ResourceGroupName, nid.Name, nil)
	if err != nil {
		return fmt.Errorf("reading the test network %s: %w", networkID, err)
	}
	var peers []string
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
				return fmt.Errorf("listing the peerings of the test network %s: %w", networkID, err)
			}
			for _, p := range page.Value {
				if p != nil {
					peers = append(peers, deref(p.Name))
				}
			}
		}
	}
	if len(peers) > 0 {
		return fmt.Errorf("the test network %s is not isolated: it has peerings %s; a test failover must not reach production (use a network without peerings)", networkID, strings.Join(peers, ", "))
	}
	test := networkOf(networkID)
	for _, it := range items {
		for _, n := range it.ProductionNetworkIDs {
			if n == test {
				return fmt.Errorf("the test network %s is the production network of %s: test VMs would run next to production", networkID, it.SourceVMName)
			}
		}
		for _, n := range it.RecoveryNetworkIDs {
			if n == test {
				return fmt.Errorf("the test network %s is the recovery network of %s: a test failover uses a network of its own, isolated from the recovery network", networkID, it.SourceVMName)
			}
		}
	}
	return nil
}

// point is a listed recovery point.
type point struct {
	ID   string
	Time time.Time
	Type string
}

// listPoints returns the item's recovery points, newest first.
func listPoints(ctx context.Context, c *azure.Client, id itemID) ([]point, error) {
	var out []point
	pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, rp := range page.Value {
			if rp != nil && rp.Properties != nil && rp.Properties.RecoveryPointTime != nil {
				out = append(out, point{ID: deref(rp.ID), Time: *rp.Properties.RecoveryPointTime, Type: deref(rp.Properties.RecoveryPointType)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// choosePoint applies the selector to points (newest first). For
// PointLatest it returns the newest point with use false: Site Recovery
// is asked for its latest data (no point id), and the newest point is the
// conservative bound of what that holds.
func choosePoint(points []point, sel Selector) (p point, use bool, err error) {
	switch sel.Kind {
	case "", PointLatest:
		if len(points) == 0 {
			return point{}, false, nil
		}
		return points[0], false, nil
	case PointLatestProcessed:
		if len(points) == 0 {
			return point{}, false, errors.New("no recovery point yet")
		}
		return points[0], true, nil
	case PointLatestAppConsistent:
		for _, p := range points {
			if isAppConsistent(p.Type) {
				return p, true, nil
			}
		}
		return point{}, false, fmt.Errorf("no application-consistent recovery point among %d", len(points))
	case PointBefore:
		// Strictly before: a point taken at the moment of an infection may
		// already hold it.
		for _, p := range points {
			if p.Time.Before(sel.Before) {
				return p, true, nil
			}
		}
		oldest := "none exists"
		if len(points) > 0 {
			oldest = "the oldest is " + points[len(points)-1].Time.UTC().Format(time.RFC3339)
		}
		return point{}, false, fmt.Errorf("no recovery point before %s (%s): retention may not reach back that far", sel.Before.UTC().Format(time.RFC3339), oldest)
	}
	return point{}, false, fmt.Errorf("unknown recovery point kind %q", sel.Kind)
}

func isAppConsistent(t string) bool {
	t = strings.ToLower(t)
	return strings.HasPrefix(t, "app") || strings.Contains(t, "applicationconsistent")
}

// startTestFailover starts the item's test failover into network.
func startTestFailover(ctx context.Context, c *azure.Client, id itemID, network, pointID string) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse], error) {
	a2a := &asr.A2ATestFailoverInput{InstanceType: ptr("A2A")}
	if pointID != "" {
		a2a.RecoveryPointID = ptr(pointID)
	}
	in := asr.TestFailoverInput{Properties: &asr.TestFailoverInputProperties{
		FailoverDirection:       ptr("PrimaryToRecovery"),
		NetworkType:             ptr("VmNetworkAsInput"),
		NetworkID:               ptr(network),
		ProviderSpecificDetails: a2a,
	}}
	return c.ProtectedItems().BeginTestFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
}

// testVM is the VM a test failover made.
type testVM struct {
	ID, Name, PrivateIP, PublicIP string
}

func (v testVM) address() string {
	if v.PublicIP != "" {
		return v.PublicIP
	}
	return v.PrivateIP
}

// findTestVM reads the test VM, its NIC and the NIC's public IP; (nil,
// nil) when the VM does not exist.
func findTestVM(ctx context.Context, c *azure.Client, group, name string) (*testVM, error) {
	vm, err := c.VirtualMachines().Get(ctx, group, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &testVM{ID: deref(vm.ID), Name: deref(vm.Name)}
	if vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return out, nil
	}
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if ref == nil || ref.ID == nil {
			continue
		}
		nid, err := arm.ParseResourceID(*ref.ID)
		if err != nil {
			continue
		}
		// Expanded, the NIC carries its public IPs whole: no GET per
		// public IP (the one below is for an endpoint that ignores it).
		nic, err := c.NetworkInterfaces().Get(ctx, nid.ResourceGroupName, nid.Name, &armnetwork.InterfacesClientGetOptions{Expand: ptr(expandPublicIPs)})
		if err != nil {
			return nil, fmt.Errorf("reading the test VM's NIC %s: %w", *ref.ID, err)
		}
		if nic.Properties == nil {
			continue
		}
		for _, ipc := range nic.Properties.IPConfigurations {
			if ipc == nil || ipc.Properties == nil {
				continue
			}
			if out.PrivateIP == "" {
				out.PrivateIP = deref(ipc.Properties.PrivateIPAddress)
			}
			if pip := ipc.Properties.PublicIPAddress; pip != nil && out.PublicIP == "" {
				if pip.Properties != nil && deref(pip.Properties.IPAddress) != "" {
					out.PublicIP = *pip.Properties.IPAddress
				} else if pid, err := arm.ParseResourceID(deref(pip.ID)); err == nil {
					p, err := c.PublicIPAddresses().Get(ctx, pid.ResourceGroupName, pid.Name, nil)
					if err != nil {
						return nil, fmt.Errorf("reading the test VM's public IP %s: %w", deref(pip.ID), err)
					}
					if p.Properties != nil {
						out.PublicIP = deref(p.Properties.IPAddress)
					}
				}
			}
		}
		if out.PrivateIP != "" {
			break
		}
	}
	return out, nil
}

// expandPublicIPs asks a NIC GET for its ip configurations' public IPs.
const expandPublicIPs = "ipConfigurations/publicIPAddress"

// startCleanup starts the item's test failover cleanup.
func startCleanup(ctx context.Context, c *azure.Client, id itemID, comment string) (*runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverCleanupResponse], error) {
	in := asr.TestFailoverCleanupInput{Properties: &asr.TestFailoverCleanupInputProperties{Comments: ptr(comment)}}
	return c.ProtectedItems().BeginTestFailoverCleanup(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
}

// isStatus reports an ARM error with one of these HTTP statuses.
func isStatus(err error, codes ...int) bool {
	e, ok := azure.ParseError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.StatusCode == c {
			return true
		}
	}
	return false
}

// refused reports an ARM 4xx: the request was answered and refused, so it
// started nothing.
func refused(err error) bool {
	e, ok := azure.ParseError(err)
	return ok && e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
