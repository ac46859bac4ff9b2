package emulator

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/siterecovery"
)

// The tags the emulator sets on the resources it makes, for callers that
// find them (drill harnesses, tests).
const (
	// WebTag is the tag on every VM that holds its web site's URL,
	// "http://ADDRESS:PORT/".
	WebTag = compute.WebTag
	// TestFailoverTag marks a test failover's VM (and its NIC and public
	// IP) with the id of the protected item it was made for.
	TestFailoverTag = siterecovery.TestFailoverTag
)
