package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// ClientFrom unwraps the provider data given to a resource's Configure. It
// returns nil without a diagnostic while the provider is not yet configured
// (Terraform calls Configure early during validation).
func ClientFrom(data any, diags *diag.Diagnostics) *azure.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*azure.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *azure.Client, got %T: this is a bug in the provider", data))
		return nil
	}
	return c
}
