package testfailover

// The phases of a test failover, besides those every drill has (package
// drill): see doc.go for their order.
const (
	PhaseIsolation        = "isolation"
	PhaseTestFailover     = "test-failover"
	PhaseTestFailoverDone = "test-failover-done"
	PhaseTestVM           = "test-vm"
	PhaseTestPublicIP     = "test-public-ip"
)
