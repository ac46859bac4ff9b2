package testfailover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// An item's testFailoverState: None without a pending test failover,
// InProgress while one runs, MarkedForDeletion once it is done and its test
// VM awaits cleanup.
const (
	testFailoverStateNone              = "None"
	testFailoverStateInProgress        = "InProgress"
	testFailoverStateMarkedForDeletion = "MarkedForDeletion"
)

// itemState is one item while the drill runs.
type itemState struct {
	info  *siterecovery.Item
	group int
	ref   drill.ItemRef // the item as the checks' scopes see it
	res   ItemResult

	mu sync.Mutex
	// maybeFailedOver: a test failover was asked for and not refused; the
	// item needs cleanup.
	maybeFailedOver bool
	poller          *runtime.Poller[asr.ReplicationProtectedItemsClientTestFailoverResponse]
	failoverEnded   bool
	// failedOver: the test failover succeeded, so the item is known to
	// await cleanup, which can start without reading the item first.
	failedOver bool
	// pip is the public IP the drill made for the item's test VM (nil: it
	// made none); cleanup deletes it.
	pip *drillPublicIP
	// cleaned is the item as its cleanup left it, when one ran to its end.
	cleaned *siterecovery.Item
	// prodIPs are the source VM's private addresses (the isolation
	// proof's targets).
	prodIPs []string
	// marker is the file canary's marker the test VM holds (nil: not read;
	// markerErr why not).
	marker    *insite.Marker
	markerErr error
	// points are the item's recovery points listed before its failover
	// (used by the item's own goroutine only).
	points []drill.Point
}

// readConcurrency bounds the item reads a drill makes at once: a drill of
// fifty VMs reads them side by side rather than one after the other, within
// what ARM lets one client do.
const readConcurrency = 16

// readItems reads every item before anything starts: it must exist, be
// A2A and have no test failover pending. Items are read concurrently; the
// source VMs' networks (for the isolation check) are read in one list of
// network interfaces per resource group.
func (r *runner) readItems(ctx context.Context) error {
	type read struct {
		group int
		id    string
		info  *siterecovery.Item
		err   error
	}
	var reads []*read
	for g, grp := range r.spec.Groups {
		for _, it := range grp.Items {
			reads = append(reads, &read{group: g + 1, id: it.ID})
		}
	}
	sem := make(chan struct{}, readConcurrency)
	var wg sync.WaitGroup
	for _, rd := range reads {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rd.info, rd.err = siterecovery.FindItem(ctx, r.c, rd.id)
		}()
	}
	wg.Wait()
	var vmIDs []string
	for _, rd := range reads {
		if rd.err != nil {
			r.log.Emit(drill.PhaseValidate, rd.group, drill.NameOf(rd.id), "cannot read the item: "+azure.Describe(rd.err))
			return fmt.Errorf("validate: reading item %s: %w", rd.id, rd.err)
		}
		if rd.info.SourceVMID != "" {
			vmIDs = append(vmIDs, rd.info.SourceVMID)
		}
	}
	nets, ips, failed := productionNetworksOf(ctx, r.c, vmIDs)
	inGroup := map[int]int{}
	for _, rd := range reads {
		info := rd.info
		vm := strings.ToLower(info.SourceVMID)
		if err, ok := failed[vm]; ok || info.SourceVMID == "" {
			if err == nil {
				err = errors.New("Site Recovery reports no source VM id")
			}
			r.log.Emit(drill.PhaseValidate, rd.group, info.ID.Name, "cannot read the source VM's networks (relying on Site Recovery's view): "+azure.Describe(err))
		} else {
			info.ProductionNetworkIDs = append(info.ProductionNetworkIDs, nets[vm]...)
		}
		if info.TestFailoverState != "" && !strings.EqualFold(info.TestFailoverState, testFailoverStateNone) {
			return fmt.Errorf("validate: item %s has a test failover pending (testFailoverState %q): clean it up first, the drill starts from a clean state", rd.id, info.TestFailoverState)
		}
		st := &itemState{info: info, group: rd.group, prodIPs: ips[vm]}
		st.ref = drill.ItemRef{Group: rd.group, Index: inGroup[rd.group], DrillIndex: len(r.items), SourceVMName: info.SourceVMName}
		inGroup[rd.group]++
		st.res = ItemResult{ItemID: rd.id, Group: rd.group, VMName: info.SourceVMName}
		r.items = append(r.items, st)
	}
	return r.checkVMNames()
}

// checkVMNames refuses, before anything starts, a check naming a VM that
// is not the source of one of the drill's items: it could never run.
func (r *runner) checkVMNames() error {
	var have []string
	known := map[string]bool{}
	for _, st := range r.items {
		have = append(have, st.info.SourceVMName)
		known[strings.ToLower(st.info.SourceVMName)] = true
	}
	var errs []error
	for i, c := range r.spec.Checks {
		for j, n := range c.VMNames {
			if !known[strings.ToLower(n)] {
				errs = append(errs, fmt.Errorf("Checks[%d].VMNames[%d]: %q is not a VM of the drill (its VMs: %s)", i, j, n, strings.Join(have, ", ")))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		r.log.Emit(drill.PhaseValidate, 0, "", err.Error())
		return fmt.Errorf("validate: %w", err)
	}
	return nil
}

func (r *runner) infos() []*siterecovery.Item {
	out := make([]*siterecovery.Item, len(r.items))
	for i, st := range r.items {
		out[i] = st.info
	}
	return out
}

// setItem changes an item's result under the lock.
func (r *runner) setItem(st *itemState, f func(*ItemResult)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&st.res)
}
