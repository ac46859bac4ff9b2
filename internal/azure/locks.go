package azure

import (
	"context"
	"regexp"
	"strings"
	"sync"
)

// Azure serialises the writes on one virtual network and its subnets: a
// second write while one runs is refused with 409 AnotherOperationInProgress
// (the emulator models it: internal/emulator/network/handlers.go). Terraform
// runs up to ten resources at once, so several NSGs associating subnets of one
// network pair, or the pair itself changing while they do, would collide.
// The provider therefore takes a lock per virtual network around each of its
// read-modify-write sequences on it (azurerm does the same, by network
// name). The conflict retry (retry.go) covers writers outside this process.

// LockVirtualNetwork waits until no other write of this provider process runs
// on the virtual network id names (a network id or the id of anything under
// it, such as a subnet), and returns the function that releases it. It gives
// up, with ctx's error, when ctx ends first. Locks are per process: one
// Terraform run shares one provider process.
//
//	unlock, err := azure.LockVirtualNetwork(ctx, subnetID)
//	if err != nil {
//		return err
//	}
//	defer unlock()
func LockVirtualNetwork(ctx context.Context, id string) (unlock func(), err error) {
	return vnetLocks.lock(ctx, VirtualNetworkKey(id))
}

// vnetPrefixRE is the virtual network part of an id: ARM ids are compared
// without case, so the key is lowercased.
var vnetPrefixRE = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+`)

// VirtualNetworkKey is the lock key of the virtual network an id is or is
// under: the network's id, lowercased. An id that names no virtual network
// is its own key (lowercased), so a caller never goes unserialised.
func VirtualNetworkKey(id string) string {
	if m := vnetPrefixRE.FindString(id); m != "" {
		return strings.ToLower(m)
	}
	return strings.ToLower(strings.TrimSuffix(id, "/"))
}

var vnetLocks = &keyedLocks{}

// keyedLocks is a set of mutexes created on demand and dropped when nobody
// holds or waits for them, so a long run does not accumulate one per
// network ever written. A mutex is a one-slot channel so waiting can end
// with the context.
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	slot  chan struct{}
	users int // holders and waiters
}

func (k *keyedLocks) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{slot: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()

	select {
	case l.slot <- struct{}{}:
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.slot
			k.release(key, l)
		})
	}, nil
}

func (k *keyedLocks) release(key string, l *keyedLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l.users--; l.users == 0 {
		delete(k.locks, key)
	}
}
