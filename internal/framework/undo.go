package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// AddErrorAndUndo reports a failed step (as AddAzureError does), then
// removes what the create made so far (undo; nil for an update, whose
// writes state still tracks) and reports exactly what could not be
// removed, with how to remove it.
func AddErrorAndUndo(ctx context.Context, diags *diag.Diagnostics, undo *azure.Undo, summary string, err error) {
	AddAzureError(diags, summary, err)
	RunUndo(ctx, diags, undo)
}

// RunUndo removes what the create made so far, for a failure already
// reported in its own words (an attribute error, say), and reports exactly
// what could not be removed, with how to remove it.
func RunUndo(ctx context.Context, diags *diag.Diagnostics, undo *azure.Undo) {
	if uerr := undo.Run(ctx); uerr != nil {
		diags.AddError("Cannot remove what the failed create made", uerr.Error())
	}
}
