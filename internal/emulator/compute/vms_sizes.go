package compute

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
)

// The VM sizes an ARM PUT may ask for: a small table of real sizes, with
// what the emulator needs of each (the NIC limit Azure enforces). A size
// outside it is refused as Azure refuses a size the region does not offer.
// The estate's VMs (seed, admin API) keep their own, looser rule
// (vmSizePattern): they describe an existing estate, not a request.

type vmSize struct {
	name    string
	vCPUs   int
	maxNICs int
}

var vmSizes = func() map[string]vmSize {
	m := map[string]vmSize{}
	for _, s := range []vmSize{
		{"Standard_B1s", 1, 2}, {"Standard_B1ms", 1, 2}, {"Standard_B2s", 2, 3}, {"Standard_B2ms", 2, 3},
		{"Standard_B4ms", 4, 4}, {"Standard_D1_v2", 1, 2}, {"Standard_D2_v2", 2, 2}, {"Standard_DS1_v2", 1, 2},
		{"Standard_DS2_v2", 2, 2}, {"Standard_DS3_v2", 4, 4}, {"Standard_D4_v3", 4, 2},
		{"Standard_D2s_v3", 2, 2}, {"Standard_D4s_v3", 4, 2}, {"Standard_D2s_v5", 2, 2}, {"Standard_D4s_v5", 4, 2},
		{"Standard_D2as_v5", 2, 2}, {"Standard_E2s_v5", 2, 2}, {"Standard_F2s_v2", 2, 2},
	} {
		m[strings.ToLower(s.name)] = s
	}
	return m
}()

// lookupVMSize finds a size by name, case-insensitively as Azure does; the
// refusal lists the sizes there are, as Azure's does.
func lookupVMSize(name string) (vmSize, error) {
	if s, ok := vmSizes[strings.ToLower(name)]; ok {
		return s, nil
	}
	names := make([]string, 0, len(vmSizes))
	for _, s := range vmSizes {
		names = append(names, s.name)
	}
	sort.Strings(names)
	return vmSize{}, &arm.Error{Status: http.StatusBadRequest, Code: "InvalidParameter", Target: "vmSize",
		Message: fmt.Sprintf("The value %s provided for the VM size is not valid. The valid sizes in the current region are: %s.", name, strings.Join(names, ","))}
}
