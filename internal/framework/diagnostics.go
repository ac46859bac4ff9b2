package framework

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// AddAzureError adds err as an error diagnostic. ARM errors keep their code,
// message and request id (azure.Describe); an expired timeout says which
// timeout to raise.
func AddAzureError(diags *diag.Diagnostics, summary string, err error) {
	detail := azure.Describe(err)
	if errors.Is(err, context.DeadlineExceeded) {
		detail += "\n\nThe operation outlived its timeout. Raise it in the resource's `timeouts` block, then apply again: the provider resumes where Azure is."
	}
	diags.AddError(summary, detail)
}
