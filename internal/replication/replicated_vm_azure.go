package replication

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The replicated VM's Azure calls: finders, the enable-replication input,
// the wait for initial replication, and disabling.

// findItem returns the protected item, or (nil, nil) when it does not exist.
func findItem(ctx context.Context, c *azure.Client, id itemID) (*asr.ReplicationProtectedItem, error) {
	item, err := azure.FindProtectedItem(ctx, c, id)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if item.Properties == nil {
		return nil, fmt.Errorf("Site Recovery returned %s without properties", id)
	}
	return item, nil
}

// listRecoveryPoints returns the item's recovery points, newest first.
func listRecoveryPoints(ctx context.Context, c *azure.Client, id itemID) ([]*asr.RecoveryPoint, error) {
	var out []*asr.RecoveryPoint
	pager := c.RecoveryPoints().NewListByReplicationProtectedItemsPager(id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, rp := range page.Value {
			if rp != nil && rp.Properties != nil && rp.Properties.RecoveryPointTime != nil {
				out = append(out, rp)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Properties.RecoveryPointTime.After(*out[j].Properties.RecoveryPointTime)
	})
	return out, nil
}

// latestRecoveryPoint is the newest recovery point, or nil.
func latestRecoveryPoint(ctx context.Context, c *azure.Client, id itemID) (*asr.RecoveryPoint, error) {
	points, err := listRecoveryPoints(ctx, c, id)
	if err != nil || len(points) == 0 {
		return nil, err
	}
	return points[0], nil
}

// readItemAndLatestPoint reads the item and lists its recovery points side
// by side: a refresh waits for one round trip instead of two, which counts
// when Terraform refreshes hundreds of replicated VMs. The item is nil
// when it does not exist (the points' error is then moot).
func readItemAndLatestPoint(ctx context.Context, c *azure.Client, id itemID) (*asr.ReplicationProtectedItem, *asr.RecoveryPoint, error) {
	var latest *asr.RecoveryPoint
	var perr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		latest, perr = latestRecoveryPoint(ctx, c, id)
	}()
	item, err := findItem(ctx, c, id)
	<-done
	if err != nil || item == nil {
		return nil, nil, err
	}
	if perr != nil {
		return nil, nil, fmt.Errorf("listing the recovery points: %w", perr)
	}
	return item, latest, nil
}

// sourceVM is what enabling replication needs to know of the VM.
type sourceVM struct {
	ID       string
	Name     string
	Location string
	Size     string
	Zone     string
	Disks    []sourceDisk
	NICIDs   []string
}

// sourceDisk is a managed disk of the source VM and its type (the
// storageProfile's managedDisk.storageAccountType).
type sourceDisk struct {
	ID, Type string
}

// findSourceVM reads the VM to protect, or (nil, nil) when it does not exist.
func findSourceVM(ctx context.Context, c *azure.Client, group, name string) (*sourceVM, error) {
	resp, err := c.VirtualMachines().Get(ctx, group, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	vm := &sourceVM{ID: deref(resp.ID), Name: deref(resp.Name), Location: deref(resp.Location)}
	if len(resp.Zones) > 0 && resp.Zones[0] != nil {
		vm.Zone = *resp.Zones[0]
	}
	props := resp.Properties
	if props == nil {
		return vm, nil
	}
	if props.HardwareProfile != nil && props.HardwareProfile.VMSize != nil {
		vm.Size = string(*props.HardwareProfile.VMSize)
	}
	if sp := props.StorageProfile; sp != nil {
		add := func(md *armcompute.ManagedDiskParameters) {
			if md == nil || md.ID == nil {
				return
			}
			d := sourceDisk{ID: *md.ID}
			if md.StorageAccountType != nil {
				d.Type = string(*md.StorageAccountType)
			}
			vm.Disks = append(vm.Disks, d)
		}
		if sp.OSDisk != nil {
			add(sp.OSDisk.ManagedDisk)
		}
		for _, d := range sp.DataDisks {
			if d != nil {
				add(d.ManagedDisk)
			}
		}
	}
	if np := props.NetworkProfile; np != nil {
		for _, n := range np.NetworkInterfaces {
			if n != nil && n.ID != nil {
				vm.NICIDs = append(vm.NICIDs, *n.ID)
			}
		}
	}
	return vm, nil
}

// enableInput is what the provider asks Site Recovery to replicate.
type enableInput struct {
	PolicyID              string
	VM                    *sourceVM
	RecoveryContainerID   string
	RecoveryGroupID       string
	RecoveryNetworkID     string
	RecoverySubnet        string
	Zone                  string
	MultiVMGroup          string
	CacheStorageAccountID string
	Disks                 []diskPlan
	NICs                  []sourceNIC
	TestFailoverNIC       *testFailoverNIC
}

// toARM builds the A2A enable-protection input: every managed disk of the
// VM replicates into the site's recovery resource group.
func (in enableInput) toARM() asr.EnableProtectionInput {
	a2a := &asr.A2AEnableProtectionInput{
		InstanceType:            ptr("A2A"),
		FabricObjectID:          ptr(in.VM.ID),
		RecoveryContainerID:     ptr(in.RecoveryContainerID),
		RecoveryResourceGroupID: ptr(in.RecoveryGroupID),
		RecoveryAzureNetworkID:  ptr(in.RecoveryNetworkID),
		RecoverySubnetName:      ptr(in.RecoverySubnet),
	}
	if in.Zone != "" {
		a2a.RecoveryAvailabilityZone = ptr(in.Zone)
	}
	if in.MultiVMGroup != "" {
		a2a.MultiVMGroupName = ptr(in.MultiVMGroup)
	}
	for _, d := range in.Disks {
		disk := &asr.A2AVMManagedDiskInputDetails{
			DiskID:                              ptr(d.ID),
			PrimaryStagingAzureStorageAccountID: ptr(in.CacheStorageAccountID),
			RecoveryResourceGroupID:             ptr(in.RecoveryGroupID),
		}
		if d.ReplicaType != "" {
			disk.RecoveryReplicaDiskAccountType = ptr(d.ReplicaType)
		}
		if d.TargetType != "" {
			disk.RecoveryTargetDiskAccountType = ptr(d.TargetType)
		}
		a2a.VMManagedDisks = append(a2a.VMManagedDisks, disk)
	}
	return asr.EnableProtectionInput{Properties: &asr.EnableProtectionInputProperties{
		PolicyID:                ptr(in.PolicyID),
		ProviderSpecificDetails: a2a,
	}}
}

// enable starts replication and waits for the enable-protection job (not
// for initial replication: see awaitProtected).
func enable(ctx context.Context, c *azure.Client, id itemID, in enableInput) error {
	tflog.Info(ctx, "enabling replication", map[string]any{"vm": in.VM.ID, "item": id.String()})
	p, err := c.ProtectedItems().BeginCreate(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in.toARM(), nil)
	if err != nil {
		if ownRetry(ctx, c, id, in.VM.ID, err) {
			return nil
		}
		return err
	}
	_, err = azure.Wait(ctx, p)
	return err
}

// ownRetry reports whether a refused enable is the provider's own request
// seen twice: the first PUT reached Site Recovery but its answer was lost,
// the SDK retried it and Site Recovery answers that the item exists. Create
// checked just before that the item did not exist, so an item of this name
// protecting this very VM is the one this apply started; awaitProtected
// then waits for it like any other.
func ownRetry(ctx context.Context, c *azure.Client, id itemID, vmID string, err error) bool {
	e, ok := azure.ParseError(err)
	if !ok || !strings.EqualFold(e.Code, "ReplicationProtectedItemAlreadyExists") {
		return false
	}
	item, ferr := findItem(ctx, c, id)
	if ferr != nil || item == nil {
		return false
	}
	a2a, ok := item.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails)
	if !ok || a2a == nil || !strings.EqualFold(deref(a2a.FabricObjectID), vmID) {
		return false
	}
	tflog.Info(ctx, "enable replication was retried after its answer was lost; the item it created protects this VM", map[string]any{"item": id.String()})
	return true
}

// errInitialReplicationFailed means the item reports a failure while it
// replicates for the first time.
var errInitialReplicationFailed = fmt.Errorf("initial replication failed")

// awaitProtected waits until initial replication is over, logging progress.
// It polls at the pace the progress suggests: the time left if the copy
// goes on as fast as it went so far.
func awaitProtected(ctx context.Context, c *azure.Client, id itemID) (*asr.ReplicationProtectedItem, error) {
	start := time.Now()
	var item *asr.ReplicationProtectedItem
	lastLogged := int32(-1)
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		var err error
		item, err = findItem(ctx, c, id)
		if err != nil {
			return false, 0, err
		}
		if item == nil {
			return false, 0, fmt.Errorf("%s disappeared while initial replication was running: replication was disabled outside Terraform", id)
		}
		p := item.Properties
		if isProtected(p) {
			tflog.Info(ctx, "initial replication complete", map[string]any{"item": id.Name, "took": time.Since(start).Round(time.Second).String()})
			return true, 0, nil
		}
		if failed(p) {
			return false, 0, fmt.Errorf("%w for %s: protection state %q, health %q%s", errInitialReplicationFailed, id.Name,
				deref(p.ProtectionState), deref(p.ReplicationHealth), healthSummary(p))
		}
		var pct int32
		if a2a, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails); ok && a2a != nil {
			pct = initialReplicationProgress(p, a2a)
		}
		if pct != lastLogged {
			tflog.Info(ctx, "initial replication in progress", map[string]any{"item": id.Name, "percent": pct, "elapsed": time.Since(start).Round(time.Second).String()})
			lastLogged = pct
		}
		return false, timeLeft(time.Since(start), pct), nil
	})
	return item, err
}

// timeLeft estimates the rest of a job from its progress so far; 0 (let
// Await back off) when there is nothing to go on.
func timeLeft(elapsed time.Duration, pct int32) time.Duration {
	if pct <= 0 || pct >= 100 {
		return 0
	}
	return time.Duration(float64(elapsed) * float64(100-pct) / float64(pct))
}

// failed reports a protection state Site Recovery uses for a failed enable.
func failed(p *asr.ReplicationProtectedItemProperties) bool {
	s := strings.ToLower(deref(p.ProtectionState))
	return strings.Contains(s, "failed")
}

// healthSummary renders the item's health errors for a diagnostic.
func healthSummary(p *asr.ReplicationProtectedItemProperties) string {
	var b strings.Builder
	for _, e := range p.HealthErrors {
		if e != nil {
			fmt.Fprintf(&b, "\n- %s: %s", deref(e.ErrorCode), deref(e.ErrorMessage))
			if a := deref(e.RecommendedAction); a != "" {
				fmt.Fprintf(&b, " (%s)", a)
			}
		}
	}
	return b.String()
}

// update changes what can change in place: the recovery size, network and
// subnet, and the test failover NIC settings.
func update(ctx context.Context, c *azure.Client, id itemID, size, networkID, subnet string, nics []sourceNIC, tfo *testFailoverNIC) error {
	props := &asr.UpdateReplicationProtectedItemInputProperties{
		SelectedRecoveryAzureNetworkID: ptr(networkID),
		ProviderSpecificDetails:        &asr.A2AUpdateReplicationProtectedItemInput{InstanceType: ptr("A2A")},
	}
	if size != "" {
		props.RecoveryAzureVMSize = ptr(size)
	}
	props.VMNics = nicInputs(nics, subnet, tfo)
	tflog.Info(ctx, "updating replication settings", map[string]any{"item": id.Name, "size": size, "network": networkID, "subnet": subnet})
	p, err := c.ProtectedItems().BeginUpdate(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name,
		asr.UpdateReplicationProtectedItemInput{Properties: props}, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, p)
	return err
}

// disable stops replication and removes the item; gone already is fine.
func disable(ctx context.Context, c *azure.Client, id itemID) error {
	tflog.Info(ctx, "disabling replication", map[string]any{"item": id.String()})
	reason := asr.DisableProtectionReasonNotSpecified
	err := azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectedItemsClientDeleteResponse], error) {
		return c.ProtectedItems().BeginDelete(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name,
			asr.DisableProtectionInput{Properties: &asr.DisableProtectionInputProperties{DisableProtectionReason: &reason}}, nil)
	})
	if e, ok := azure.ParseError(err); !ok || e.StatusCode != http.StatusConflict {
		return err
	}
	// A conflict may mean the disable already runs: this delete's own first
	// request, answered after a dropped connection and retried by the SDK,
	// or a killed earlier run. Then the delete resumes by waiting for the
	// item to go; any other conflict (a failover in progress) is the error.
	item, ferr := findItem(ctx, c, id)
	if ferr != nil || item == nil {
		return ferr
	}
	if item.Properties == nil || item.Properties.ProtectionState == nil || *item.Properties.ProtectionState != protectionStateDisabling {
		return err
	}
	tflog.Info(ctx, "replication is already being disabled: waiting for the item to go", map[string]any{"item": id.String()})
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		item, err := findItem(ctx, c, id)
		return item == nil && err == nil, 0, err
	})
}

// protectionStateDisabling is the protectionState of an item whose disable
// protection job runs (it is gone when the job ends).
const protectionStateDisabling = "DisablingProtection"

// currentSubnet is the recovery subnet Site Recovery has for the VM's first
// NIC ("" when it reports none).
func currentSubnet(a2a *asr.A2AReplicationDetails) string {
	for _, nic := range a2a.VMNics {
		if nic == nil {
			continue
		}
		for _, ip := range nic.IPConfigs {
			if ip != nil && ip.RecoverySubnetName != nil {
				return *ip.RecoverySubnetName
			}
		}
	}
	return ""
}

func ptr[T any](v T) *T { return &v }
