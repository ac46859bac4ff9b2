package azure

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestVirtualNetworkKey(t *testing.T) {
	vnet := "/subscriptions/S/resourceGroups/Prod/providers/Microsoft.Network/virtualNetworks/Net"
	want := "/subscriptions/s/resourcegroups/prod/providers/microsoft.network/virtualnetworks/net"
	for _, id := range []string{vnet, vnet + "/subnets/web", "/subscriptions/s/resourcegroups/prod/providers/microsoft.network/VIRTUALNETWORKS/net/subnets/db"} {
		if got := VirtualNetworkKey(id); got != want {
			t.Errorf("VirtualNetworkKey(%q) = %q, want %q", id, got, want)
		}
	}
	if got := VirtualNetworkKey("/Other/"); got != "/other" {
		t.Errorf("an id naming no network is its own key; got %q", got)
	}
}

// Writers on one network run one at a time; writers on different networks
// do not wait for each other; the map forgets released networks.
func TestLockVirtualNetworkSerialises(t *testing.T) {
	ctx := context.Background()
	net := "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/lock-test"
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := net
			if i%2 == 1 {
				id = net + "/subnets/web" // a subnet locks its network
			}
			unlock, err := LockVirtualNetwork(ctx, id)
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			inside.Add(-1)
			unlock()
			unlock() // a second call is harmless
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d writers held the lock at once, want 1", most.Load())
	}

	unlock, _ := LockVirtualNetwork(ctx, net)
	other, err := LockVirtualNetwork(ctx, net+"-other")
	if err != nil {
		t.Fatalf("another network must not wait: %v", err)
	}
	other()
	unlock()
	vnetLocks.mu.Lock()
	left := len(vnetLocks.locks)
	vnetLocks.mu.Unlock()
	if left != 0 {
		t.Errorf("%d locks kept after release, want 0", left)
	}
}

// A writer waiting for the network gives up with its context.
func TestLockVirtualNetworkHonoursContext(t *testing.T) {
	net := "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/ctx-test"
	unlock, err := LockVirtualNetwork(context.Background(), net)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := LockVirtualNetwork(ctx, net); err != context.DeadlineExceeded {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	unlock()
	again, err := LockVirtualNetwork(context.Background(), net)
	if err != nil {
		t.Fatalf("after release and a given-up waiter the lock must be free: %v", err)
	}
	again()
}
