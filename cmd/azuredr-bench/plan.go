package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"time"
)

// plan times `terraform plan` (with its refresh) of the replicated VMs
// against as many terraform_data resources, alternately, three times each.
func (b *bench) plan(ctx context.Context) (Figure, error) {
	if err := b.latencyModel(ctx, true); err != nil {
		return Figure{}, err
	}
	defer b.latencyModel(context.Background(), false)
	vmsDir := filepath.Join(b.work, "tf-replicated-vms")
	dataDir := filepath.Join(b.work, "tf-terraform-data")
	// Alternately, five times each; the ratio is the median of each pair's,
	// so a burst of load elsewhere on the machine hits both sides of a pair.
	var vms, data, vmsCPU, dataCPU []time.Duration
	var ratios []float64
	requests := 0
	for range 5 {
		t0 := time.Now()
		_, dc, err := b.terraformCPU(ctx, dataDir, "plan", "-input=false", "-lock=false")
		if err != nil {
			return Figure{}, err
		}
		d := time.Since(t0)
		if err := b.api.ResetStats(ctx); err != nil {
			return Figure{}, err
		}
		t0 = time.Now()
		_, vc, err := b.terraformCPU(ctx, vmsDir, "plan", "-input=false", "-lock=false")
		if err != nil {
			return Figure{}, err
		}
		v := time.Since(t0)
		st, err := b.api.Stats(ctx)
		if err != nil {
			return Figure{}, err
		}
		requests = st.Requests
		vms, data = append(vms, v), append(data, d)
		vmsCPU, dataCPU = append(vmsCPU, vc), append(dataCPU, dc)
		ratios = append(ratios, float64(v)/float64(d))
	}
	points, err := b.pointsPerItem(ctx)
	if err != nil {
		return Figure{}, err
	}
	v, d := median(vms), median(data)
	sort.Float64s(ratios)
	ratio := ratios[len(ratios)/2]
	n := len(b.itemIDs)
	vc, dc := median(vmsCPU), median(dataCPU)
	b.log("plan: %d azuredr_replicated_vm %s (CPU %s), %d terraform_data %s (CPU %s)", n, v.Round(time.Millisecond), vc.Round(time.Millisecond), n, d.Round(time.Millisecond), dc.Round(time.Millisecond))
	return Figure{ID: "4", Name: fmt.Sprintf("plan overhead (%d azuredr_replicated_vm vs %d terraform_data)", n, n),
		Value: fmt.Sprintf("%.2fx (%s vs %s; %.1f ARM requests per resource, %.0f recovery points listed per VM)", ratio, v.Round(time.Millisecond), d.Round(time.Millisecond), float64(requests)/float64(n), points),
		Goal:  "<= 3x", Met: ratio <= 3,
		Detail: map[string]any{"resources": n, "replicatedVMSeconds": v.Seconds(), "terraformDataSeconds": d.Seconds(),
			"replicatedVMCPUSeconds": vc.Seconds(), "terraformDataCPUSeconds": dc.Seconds(), "ratio": round(ratio, 3),
			"armRequestsPerResource": round(float64(requests)/float64(n), 3), "recoveryPointsPerVM": round(points, 1)}}, nil
}

// pointsPerItem is the mean number of recovery points the items hold now:
// what each refresh lists.
func (b *bench) pointsPerItem(ctx context.Context) (float64, error) {
	items, err := b.replication(ctx)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	total := 0
	for _, it := range items {
		total += len(it.RecoveryPoints)
	}
	return float64(total) / float64(len(items)), nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
