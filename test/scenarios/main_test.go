// Package scenarios holds the drill suites: the scenarios of the source
// documents, each a Terraform configuration drilled by test/harness. They
// run in parallel against one emulator (make drill, make test) or against
// Azure (AZUREDR_TARGET=azure), and leave JUnit XML, JSON and HTML reports.
package scenarios

import (
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/test/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }
