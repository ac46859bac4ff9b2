package acctest

import (
	"context"
	"net/http"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// FailedStepReason is EmulatorOnly's reason for the tests that make one
// step of a create fail with the emulator's fault injection.
const FailedStepReason = "it makes one request of a create fail with the emulator's fault injection (its admin API)"

// FailNextRequest makes the next request under pathPrefix (an ARM path,
// compared without case) fail once with 501 Not Implemented: an answer
// neither azcore nor the provider retries, so the step it belongs to fails
// at once. The rule is removed when the test ends if it was not used.
func FailNextRequest(t *testing.T, pathPrefix string) {
	t.Helper()
	f, err := Admin(t).AddFault(context.Background(), admin.FaultRule{
		Kind: admin.FaultError, Status: http.StatusNotImplemented, PathPrefix: pathPrefix, Count: 1})
	if err != nil {
		t.Fatalf("adding a fault on %s: %v", pathPrefix, err)
	}
	t.Cleanup(func() { _ = Admin(t).DeleteFault(context.Background(), f.ID) })
}
