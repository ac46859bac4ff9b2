package framework

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// LocationValidator accepts canonical Azure region names ("centralus") and
// suggests the canonical spelling for display names ("Central US").
func LocationValidator() validator.String { return locationValidator{} }

type locationValidator struct{}

func (locationValidator) Description(context.Context) string {
	return "must be an Azure region name in lower case without spaces, such as centralus"
}
func (v locationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (locationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if _, ok := regions.Lookup(name); ok {
		return
	}
	detail := fmt.Sprintf("%q is not an Azure region name.", name)
	if c := regions.Canonical(name); c != "" {
		detail += fmt.Sprintf(" Use %q (ARM's canonical name).", c)
	} else {
		detail += " Use a name such as centralus, eastus or westeurope; `az account list-locations -o table` lists them."
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Unknown Azure region", detail)
}

var resourceGroupNamePattern = regexp.MustCompile(`^[-\w._()]{1,90}$`)

// ResourceGroupNameValidator applies ARM's rules for resource group names:
// 1-90 letters, digits, underscores, hyphens, periods and parentheses, not
// ending in a period.
func ResourceGroupNameValidator() validator.String { return resourceGroupNameValidator{} }

type resourceGroupNameValidator struct{}

func (resourceGroupNameValidator) Description(context.Context) string {
	return "1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period"
}
func (v resourceGroupNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v resourceGroupNameValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if !resourceGroupNamePattern.MatchString(name) || strings.HasSuffix(name, ".") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid resource group name",
			fmt.Sprintf("%q is not a valid resource group name: use %s.", name, v.Description(ctx)))
	}
}
