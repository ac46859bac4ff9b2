package harness

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"

// FaultRule is a fault for Drill.Fault to inject into the emulator: its
// kind, its scope (path prefix, region, VM) and its shape. An alias of the
// emulator's admin type, so drill tests outside this module can build one.
type FaultRule = admin.FaultRule

// FaultKind says what a FaultRule does.
type FaultKind = admin.FaultKind

// The fault kinds (see the emulator's README for each).
const (
	FaultLatency          = admin.FaultLatency
	FaultThrottle         = admin.FaultThrottle
	FaultError            = admin.FaultError
	FaultOutage           = admin.FaultOutage
	FaultDrop             = admin.FaultDrop
	FaultReplicationPause = admin.FaultReplicationPause
	FaultVMFailure        = admin.FaultVMFailure
)
