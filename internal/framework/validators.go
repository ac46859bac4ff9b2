package framework

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// LocationValidator accepts Azure region names spelled any way ARM accepts
// them: ARM ignores case and spaces, so "centralus", "CentralUS" and
// "Central US" are one region. Resources send the canonical name to Azure
// (regions.Normalize) and keep the user's spelling in state (LocationReplace,
// regions.Same on Read), so a second plan is empty.
func LocationValidator() validator.String { return locationValidator{} }

type locationValidator struct{}

func (locationValidator) Description(context.Context) string {
	return "must be an Azure region, such as centralus or \"Central US\" (case and spaces are ignored, as ARM does)"
}
func (v locationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (locationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if regions.Canonical(name) != "" {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Unknown Azure region",
		fmt.Sprintf("%q is not an Azure region name. Use a name such as centralus, eastus or westeurope; `az account list-locations -o table` lists them.", name))
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

// ResourceIDValidator accepts ARM ids of the given resource type, e.g.
// "Microsoft.Network/virtualNetworks".
func ResourceIDValidator(resourceType string) validator.String {
	return resourceIDValidator{resourceType: resourceType}
}

type resourceIDValidator struct{ resourceType string }

func (v resourceIDValidator) Description(context.Context) string {
	return "must be the id of a " + v.resourceType
}
func (v resourceIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v resourceIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	id, err := arm.ParseResourceID(s)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), v.resourceType) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid resource id",
			fmt.Sprintf("%q is not the id of a %s: expected /subscriptions/<id>/resourceGroups/<group>/providers/%s/<name>.", s, v.resourceType, v.resourceType))
	}
}

// CIDRValidator accepts network blocks such as 10.1.0.0/16 and refuses host
// bits (10.1.0.1/16), as Azure does.
func CIDRValidator() validator.String { return cidrValidator{} }

type cidrValidator struct{}

func (cidrValidator) Description(context.Context) string {
	return "must be a CIDR block such as 10.1.0.0/16"
}
func (v cidrValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cidrValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CIDR block", fmt.Sprintf("%q is not a CIDR block such as 10.1.0.0/16.", s))
	case p.Masked() != p:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CIDR block", fmt.Sprintf("%q has host bits set: use %s.", s, p.Masked()))
	}
}
