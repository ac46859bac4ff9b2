package testfailover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// runItem fails one item over and runs its checks until they pass.
func (r *runner) runItem(ctx context.Context, st *itemState) error {
	name := st.info.ID.Name
	fail := func(phase string, err error) error {
		r.log.Emit(drill.PhaseError, st.group, name, phase+": "+azure.Describe(err))
		return fmt.Errorf("group %d, item %s: %s: %w", st.group, st.res.ItemID, phase, err)
	}
	points, err := siterecovery.ListPoints(ctx, r.c, st.info.ID)
	if err != nil {
		return fail("listing recovery points", err)
	}
	st.points = points
	p, use, err := drill.ChoosePoint(points, r.spec.RecoveryPoint)
	if err != nil {
		return fail("choosing the recovery point", err)
	}
	rp := drill.PointOf(p, use)
	r.setItem(st, func(it *ItemResult) { it.RecoveryPoint = rp })
	if use {
		r.log.Emit(drill.PhaseRecoveryPoint, st.group, name, fmt.Sprintf("%s point of %s (%s)", p.Type, p.Time.UTC().Format(time.RFC3339), r.kind()))
	} else {
		r.log.Emit(drill.PhaseRecoveryPoint, st.group, name, fmt.Sprintf("latest data (Site Recovery chooses); newest point %s", p.Time.UTC().Format(time.RFC3339)))
	}

	if r.needsPublicIP() {
		if err := r.preparePublicIP(ctx, st); err != nil {
			return fail("giving the test VM a public IP", err)
		}
	}
	started := r.log.Clock.Now()
	r.setItem(st, func(it *ItemResult) { it.FailoverStartedAt = started })
	poller, job, err := startTestFailover(ctx, r.c, st.info.ID, r.spec.TestNetworkID, rp.ID)
	if job.ID != "" {
		r.setItem(st, func(it *ItemResult) { it.TestFailoverJobID = job.ID })
		r.log.EmitJob(PhaseTestFailover, st.group, name, job.ID, "test failover into "+r.spec.TestNetworkID+" (job "+job.Name+")")
	} else {
		r.log.Emit(PhaseTestFailover, st.group, name, "test failover into "+r.spec.TestNetworkID)
	}
	ours := startedByOurRetry(err)
	st.mu.Lock()
	if err == nil || ours || !refused(err) {
		st.maybeFailedOver = true
		st.poller = poller
	}
	st.mu.Unlock()
	var tfo asr.ReplicationProtectedItemsClientTestFailoverResponse
	switch {
	case ours:
		r.log.Emit(PhaseTestFailover, st.group, name, "the test failover is already in progress although validation found none: the answer to the drill's request was lost and its retry refused; following it ("+azure.Describe(err)+")")
		err = r.followTestFailover(ctx, st)
	case err != nil:
		return fail("starting the test failover", err)
	default:
		tfo, err = azure.Wait(ctx, poller)
	}
	if ctx.Err() == nil {
		st.mu.Lock()
		st.failoverEnded = true
		st.failedOver = err == nil
		st.mu.Unlock()
	}
	if err != nil {
		return fail("test failover", err)
	}
	done := r.log.Clock.Now()
	r.setItem(st, func(it *ItemResult) { it.FailoverCompletedAt = done })
	r.log.Emit(PhaseTestFailoverDone, st.group, name, fmt.Sprintf("test failover done in %s", done.Sub(started).Round(time.Second)))

	vm, err := r.awaitTestVM(ctx, st, &tfo.ReplicationProtectedItem)
	if err != nil {
		return fail("finding the test VM", err)
	}
	if e, ok := r.exec.(*insite.Executor); ok {
		e.Learn(vm.body)
	}
	r.setItem(st, func(it *ItemResult) {
		it.TestVMName, it.TestVMID, it.Address, it.PrivateIP = vm.Name, vm.ID, vm.address(), vm.PrivateIP
	})
	r.log.Emit(PhaseTestVM, st.group, name, fmt.Sprintf("test VM %s at %s (private %s)", vm.Name, vm.address(), vm.PrivateIP))

	if err := r.proveIsolation(ctx, st, vm); err != nil {
		return fmt.Errorf("group %d, item %s: %w", st.group, st.res.ItemID, err)
	}
	r.expectMarker(st, vm)
	t := drill.Target{Address: vm.address(), PrivateIP: vm.PrivateIP, VMName: vm.Name, SourceVMName: st.info.SourceVMName, Item: name, VMID: vm.ID}
	obs, err := r.checks.RunItem(ctx, st.ref, name, t)
	if err != nil {
		return fmt.Errorf("group %d, item %s: %w", st.group, st.res.ItemID, err)
	}
	r.readMarker(ctx, st, vm)
	ready := r.log.Clock.Now()
	if obs == nil && r.spec.Canary != nil {
		obs = r.checks.Observe(ctx, t)
	}
	r.setItem(st, func(it *ItemResult) {
		it.ReadyAt = ready
		if obs != nil {
			it.DataVersion, it.DataWrittenAt = obs.DataVersion, obs.WrittenAt
		}
	})
	msg := fmt.Sprintf("ready %s after the drill started", ready.Sub(r.res.StartedAt).Round(time.Second))
	if obs != nil {
		msg += fmt.Sprintf("; serves data version %d", obs.DataVersion)
	}
	r.log.Emit(drill.PhaseItemReady, st.group, name, msg)
	return nil
}

func (r *runner) kind() string {
	if r.spec.RecoveryPoint.Kind == "" {
		return drill.PointLatest
	}
	return r.spec.RecoveryPoint.Kind
}

// awaitTestVM reads the item as the test failover left it (for the test
// VM's name and the point Site Recovery used): from the operation's result
// when it carries the item, else with a GET; then it waits until the test
// VM has an address.
func (r *runner) awaitTestVM(ctx context.Context, st *itemState, done *asr.ReplicationProtectedItem) (*testVM, error) {
	var info *siterecovery.Item
	if done != nil && done.Properties != nil {
		info, _ = siterecovery.ItemOf(st.info.ID, st.info.RawID, done)
	}
	if info == nil {
		var err error
		if info, err = siterecovery.FindItem(ctx, r.c, st.info.RawID); err != nil {
			return nil, err
		}
	}
	if info.FailoverPointID != "" && !strings.EqualFold(info.FailoverPointID, st.res.RecoveryPoint.ID) {
		// The point Site Recovery used: among those listed before the
		// failover, else (a point taken since) list them again.
		find := func(points []drill.Point) bool {
			for _, p := range points {
				if strings.EqualFold(p.ID, info.FailoverPointID) {
					r.setItem(st, func(it *ItemResult) { it.RecoveryPoint = drill.PointOf(p, true) })
					return true
				}
			}
			return false
		}
		if !find(st.points) {
			if points, err := siterecovery.ListPoints(ctx, r.c, st.info.ID); err == nil {
				find(points)
			}
		}
	}
	name := info.TestVMName
	if name == "" {
		name = info.SourceVMName + "-test"
	}
	st.mu.Lock()
	st.info.TestVMName = name
	if info.RecoveryGroup != "" {
		st.info.RecoveryGroup = info.RecoveryGroup
	}
	group := st.info.RecoveryGroup
	st.mu.Unlock()
	if group == "" {
		return nil, errors.New("Site Recovery reports no recovery resource group for the item")
	}
	var vm *testVM
	err := azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		var err error
		vm, err = findTestVM(ctx, r.c, group, name)
		if err != nil {
			return false, 0, err
		}
		return vm != nil && vm.address() != "", 0, nil
	})
	if err != nil {
		return nil, fmt.Errorf("test VM %s in resource group %s: %w", name, group, err)
	}
	return vm, nil
}
