package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

const (
	capacityClients  = 16
	capacityDuration = 5 * time.Second
)

// capacity loads the emulator (without the latency model) with concurrent
// clients reading protected items, VMs and resource groups, and reports the
// requests per second it answers with their p50 and p99 latency.
func (b *bench) capacity(ctx context.Context) (Figure, error) {
	if err := b.latencyModel(ctx, false); err != nil {
		return Figure{}, err
	}
	var urls []string
	for i, item := range b.itemIDs {
		urls = append(urls, b.srv.URL()+item+"?api-version=2023-06-01")
		urls = append(urls, b.srv.URL()+b.vmIDs[i]+"?api-version=2024-11-01")
	}
	urls = append(urls, b.srv.URL()+"/subscriptions/"+subscriptionID+"/resourceGroups/"+prodGroup+"?api-version=2021-04-01")
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: capacityClients}}
	ctx, cancel := context.WithTimeout(ctx, capacityDuration)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var failed int
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range capacityClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := w; ctx.Err() == nil; i += capacityClients {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, urls[i%len(urls)], nil)
				req.Header.Set("Authorization", "Bearer bench")
				s := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(s))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failed += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if len(lat) == 0 {
		return Figure{}, fmt.Errorf("no request succeeded")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	rps := float64(len(lat)) / elapsed.Seconds()
	b.log("capacity: %.0f requests/s, p50 %s, p99 %s, %d failed", rps, p50, p99, failed)
	value := fmt.Sprintf("%.0f requests/s, p50 %s, p99 %s (%d clients, %s, %d errors)", rps, p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond),
		capacityClients, capacityDuration, failed)
	headroom := 0.0
	if b.drillRate > 0 {
		headroom = rps / b.drillRate
		value += fmt.Sprintf("\n%.0fx the request rate of the largest drill (%.0f requests/s)", headroom, b.drillRate)
	}
	// The emulator must not be what the figures above measure: its own
	// latency well under the modelled one, and room for ten such drills.
	return Figure{ID: "5", Name: "emulator capacity (GET item/VM/group mix)", Value: value,
		Goal: fmt.Sprintf("p99 < modelled ARM latency (%s), >= 10x the largest drill's rate, no errors", armLatency),
		Met:  p99 < armLatency && failed == 0 && headroom >= 10,
		Detail: map[string]any{"requestsPerSecond": round(rps, 1), "p50Ms": round(float64(p50)/1e6, 3), "p99Ms": round(float64(p99)/1e6, 3),
			"largestDrillRequestsPerSecond": round(b.drillRate, 1), "headroom": round(headroom, 1),
			"clients": capacityClients, "seconds": capacityDuration.Seconds(), "errors": failed, "requests": len(lat),
			"mix": strings.Join([]string{"ReplicationProtectedItems_Get", "VirtualMachines_Get", "ResourceGroups_Get"}, ", ")}}, nil
}
