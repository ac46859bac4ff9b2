package emulator

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"

// The tags the emulator sets on the resources it makes, for callers that
// find them (drill harnesses, tests).
const (
	// WebTag is the tag on every VM that holds its web site's URL,
	// "http://ADDRESS:PORT/".
	WebTag = compute.WebTag
)
