package testfailover

import (
	"context"
	"fmt"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/insite"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// The file canary: a Run Command on each primary VM writes a marker to its
// disk (no application change), the drill waits for a recovery point of
// the item taken after the write, and each test VM's marker tells how old
// its data is (read in insite.go).

// fileCanary writes the marker on every item's primary VM, in parallel,
// then waits for the points.
func (r *runner) fileCanary(ctx context.Context, file drill.CanaryFile) error {
	writes := make([]drill.CanaryWrite, len(r.items))
	idx := map[*itemState]int{}
	for i, st := range r.items {
		idx[st] = i
	}
	err := drill.Parallel(ctx, r.items, func(ctx context.Context, st *itemState) error {
		w, err := r.writeMarker(ctx, st, file)
		if err != nil {
			r.log.Emit(drill.PhaseCanary, st.group, st.info.ID.Name, err.Error())
			return err
		}
		writes[idx[st]] = w
		r.log.Emit(drill.PhaseCanary, st.group, st.info.ID.Name, fmt.Sprintf("wrote the canary marker %s on %s at %s", w.File, w.VM, w.WrittenAt.Format(time.RFC3339Nano)))
		return nil
	})
	if err != nil {
		return err
	}
	r.res.Canaries = append(r.res.Canaries, writes...)
	return r.awaitPoints(ctx, writes)
}

// writeMarker writes and reads back the marker on the item's primary VM:
// the write's time is the VM's own.
func (r *runner) writeMarker(ctx context.Context, st *itemState, file drill.CanaryFile) (drill.CanaryWrite, error) {
	vm := st.info.SourceVMID
	if vm == "" {
		return drill.CanaryWrite{}, fmt.Errorf("item %s: Site Recovery reports no source VM to write the canary on", st.res.ItemID)
	}
	var path string
	o, out, err := r.exec.Run(ctx, vm, func(o insite.OS) []string {
		path = insite.CanaryPath(file, o)
		return insite.CanaryWriteScript(o, path, r.spec.Name)
	})
	if err != nil {
		return drill.CanaryWrite{}, fmt.Errorf("writing the canary marker on %s: %w", st.info.SourceVMName, err)
	}
	m, err := insite.ParseCanary(o, out.Stdout)
	if err != nil {
		return drill.CanaryWrite{}, fmt.Errorf("writing the canary marker on %s: %w", st.info.SourceVMName, err)
	}
	return drill.CanaryWrite{Item: st.res.ItemID, VM: st.info.SourceVMName, File: path, WrittenAt: m.WrittenAt}, nil
}

// awaitPoints waits, up to Canary.Wait of drill time, until every item has
// a recovery point newer than its write; past the wait the drill fails
// over anyway (the data loss shows what replication had not carried).
func (r *runner) awaitPoints(ctx context.Context, writes []drill.CanaryWrite) error {
	wait := r.spec.Canary.Wait
	deadline := r.log.Clock.Now().Add(wait)
	step := max(wait/5, 30*time.Second)
	for i, st := range r.items {
		w := writes[i]
		for {
			points, err := siterecovery.ListPoints(ctx, r.c, st.info.ID)
			if err != nil {
				return fmt.Errorf("listing the recovery points of %s: %w", st.info.ID.Name, err)
			}
			if len(points) > 0 && points[0].Time.After(w.WrittenAt) {
				r.log.Emit(drill.PhaseCanary, st.group, st.info.ID.Name, fmt.Sprintf("recovery point of %s is newer than the canary", points[0].Time.UTC().Format(time.RFC3339)))
				break
			}
			left := deadline.Sub(r.log.Clock.Now())
			if left <= 0 {
				r.log.Emit(drill.PhaseCanary, st.group, st.info.ID.Name, fmt.Sprintf("no recovery point newer than the canary after waiting %s: failing over with older data", wait))
				break
			}
			if err := r.log.Clock.Wait(ctx, min(step, left)); err != nil {
				return err
			}
		}
	}
	return nil
}
