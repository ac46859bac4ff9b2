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
	_, fromARM := azure.ParseError(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		detail += "\n\nThe operation outlived its timeout. Raise it in the resource's `timeouts` block, then apply again: the provider resumes from what exists in Azure."
	case !fromARM && !errors.Is(err, context.Canceled):
		detail += "\n\nResource Manager could not be reached, or its answer was lost, after retries. An operation already accepted carries on in Azure: apply again once it is reachable, and the provider resumes from what exists."
	}
	diags.AddError(summary, detail)
}
