package compute

import (
	"fmt"
	"hash/fnv"
	"net/http"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The addresses of the emulator's public IPs. Azure gives a Standard,
// Static public IP an address from the region's pool when it is created and
// keeps it for the public IP's life. The emulator's "internet" is the
// loopback network its VMs' sites answer on, so the pool is loopback too:
// 127.128.0.0/10 (beside the sites' random 127.64.0.0/10), one /16 per
// region (by a hash of its name), the lowest address no other public IP of
// the emulator holds; IPv6 the same in fd00::/8. An address is unique across
// the emulator and depends on the region and on what exists, never a
// constant.

func newTracked(id, name, location string) network.TrackedResource {
	return network.NewTrackedResource(id, name, publicIPType, location, nil)
}

// regionBlock is the region's /16 among the pool's 64.
func regionBlock(location string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(location))
	return int(h.Sum32() % 64)
}

// allocatePublicAddress is the next free address of the region's block.
func allocatePublicAddress(r store.Reader, location, version string) (string, error) {
	all, err := service.Records[PublicIP](r, "/subscriptions/", publicIPType)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, p := range all {
		used[p.Properties.IPAddress] = true
	}
	block := regionBlock(location)
	for n := range 256 * 254 {
		a := fmt.Sprintf("127.%d.%d.%d", 128+block, n/254, n%254+1)
		if version == ipv6 {
			a = fmt.Sprintf("fd00:0:%x::%x", 0x100+block, n+1)
		}
		if !used[a] {
			return a, nil
		}
	}
	return "", &arm.Error{Status: http.StatusBadRequest, Code: "PublicIPCountLimitReached",
		Message: fmt.Sprintf("Cannot create more public IP addresses in region %s: the emulator's address block for the region is full.", location)}
}
