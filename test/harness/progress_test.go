package harness

import "testing"

func TestParseProgressReadsProviderLogLines(t *testing.T) {
	line := `2026-11-25T12:05:58.123Z [INFO]  provider.terraform-provider-azuredr_v0.1.0: drill milestone-web-tier: test-vm test VM vm-cms-web-1-test at 127.122.251.170 (private 10.1.1.5): elapsed=10m1s group=1 item=vm-cms-web-1 tf_req_id=457bec94 @module=azuredr tf_rpc=ApplyResourceChange`
	p, ok := parseProgress(line)
	if !ok {
		t.Fatal("not parsed")
	}
	want := Progress{Kind: "drill", Resource: "milestone-web-tier", Phase: "test-vm", Item: "vm-cms-web-1", Elapsed: "10m1s",
		Message: "test VM vm-cms-web-1-test at 127.122.251.170 (private 10.1.1.5)"}
	if p != want {
		t.Fatalf("got %+v\nwant %+v", p, want)
	}
	p, ok = parseProgress(`2026-11-25T12:06:00Z [INFO]  provider.terraform-provider-azuredr_v0.1.0: failover cms-dr: recovered running on the recovery side after 9m0s: tf_rpc=ApplyResourceChange item="" elapsed=9m0s`)
	if !ok || p.Kind != "failover" || p.Phase != "recovered" || p.Item != "" || p.Elapsed != "9m0s" || p.Message != "running on the recovery side after 9m0s" {
		t.Fatalf("failover line: %+v", p)
	}
	if _, ok := parseProgress(`2026-11-25T12:06:00Z [INFO]  provider: configuring client automatic mTLS`); ok {
		t.Fatal("a line that is no drill phase was parsed")
	}
}

func TestShardsSplitScenariosWithoutOverlap(t *testing.T) {
	names := []string{"milestone-parallel-drill", "hardware-failure", "region-outage", "ransomware-recovery", "multi-tier-recovery-plan"}
	for n := 1; n <= 4; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			for _, s := range names {
				if (Shard{i, n}).Has(s) {
					seen[s]++
				}
			}
		}
		for _, s := range names {
			if seen[s] != 1 {
				t.Errorf("n=%d: %s runs on %d shards", n, s, seen[s])
			}
		}
	}
	for _, bad := range []string{"0/2", "3/2", "a/b", "1", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("shard %q accepted", bad)
		}
	}
}
