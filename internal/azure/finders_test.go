package azure

import (
	"errors"
	"fmt"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// A finder's not-found error is still ARM's 404 to every reader of errors:
// IsNotFound, Describe and the text are those of the answer it wraps.
func TestNotFoundErrorWrapsARMAnswer(t *testing.T) {
	arm := runtime.NewResponseError(armResponse(404, `{"error":{"code":"NotFound","message":"no such item"}}`, nil))
	err := fmt.Errorf("reading: %w", &NotFoundError{ID: "/subscriptions/s/item", Err: arm})
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.ID != "/subscriptions/s/item" {
		t.Fatalf("errors.As: %v", err)
	}
	if !IsNotFound(err) {
		t.Fatal("IsNotFound: false")
	}
	if nf.Error() != arm.Error() || Describe(nf) != Describe(arm) {
		t.Fatalf("text %q / %q, want ARM's %q / %q", nf.Error(), Describe(nf), arm.Error(), Describe(arm))
	}
	if got := (&NotFoundError{ID: "x"}).Error(); got != "x not found" {
		t.Fatalf("without an answer: %q", got)
	}
}
