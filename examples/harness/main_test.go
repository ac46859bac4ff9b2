// Package drills is an example drill suite outside the provider's module:
// it imports only the provider's public packages (test/harness,
// test/harness/approval, test/report), as a user's repository would.
package drills

import (
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
)

// TestMain must call harness.Main: it runs the tests, stops the emulator
// the drills shared, removes the provider it built and writes the reports.
func TestMain(m *testing.M) { harness.Main(m) }
