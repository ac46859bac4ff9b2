package testfailover

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
)

// canary writes the canary on the primary (once, or once per item when
// its URL names one) and waits for replication to carry it.
func (r *runner) canary(ctx context.Context) error {
	cn := r.spec.Canary
	if cn == nil {
		return nil
	}
	if cn.File != nil {
		return r.fileCanary(ctx, *cn.File)
	}
	var targets []drill.Target
	if drill.UsesItem(cn.URL) {
		for _, st := range r.items {
			targets = append(targets, drill.Target{SourceVMName: st.info.SourceVMName, Item: st.info.ID.Name})
		}
	} else {
		targets = []drill.Target{{}}
	}
	for _, t := range targets {
		w, err := drill.PostCanary(ctx, t.Expand(cn.URL), r.spec.Name)
		if err != nil {
			r.log.Emit(drill.PhaseCanary, 0, t.Item, err.Error())
			return err
		}
		for _, st := range r.items {
			// A write made once belongs to the item whose VM took it (the
			// site says which): the other items' data is their own.
			if (t.Item != "" && st.info.ID.Name == t.Item) || (t.Item == "" && w.VM != "" && strings.EqualFold(st.info.SourceVMName, w.VM)) {
				w.Item = st.res.ItemID
			}
		}
		r.res.Canaries = append(r.res.Canaries, w)
		r.log.Emit(drill.PhaseCanary, 0, t.Item, fmt.Sprintf("wrote data version %d on %s at %s", w.Version, w.VM, w.WrittenAt.UTC().Format(time.RFC3339Nano)))
	}
	if cn.Wait > 0 {
		r.log.Emit(drill.PhaseCanary, 0, "", fmt.Sprintf("waiting %s for replication to carry the canary", cn.Wait))
		return r.log.Clock.Wait(ctx, cn.Wait)
	}
	return nil
}
