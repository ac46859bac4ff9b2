package framework

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Deadline bounds an operation by the resource's `timeouts` block: get is
// the block's accessor for the operation (m.Timeouts.Create, ...). On a bad
// duration it adds the diagnostic and returns ctx with a no-op cancel.
func Deadline(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	timeout, d := get(ctx, def)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, timeout)
}
