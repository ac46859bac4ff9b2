package framework

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// ManagedTagPrefix starts the tags the provider keeps on what it creates, to
// find its resources again (import, drift, sweepers). Users cannot set them.
const ManagedTagPrefix = tags.Prefix

// TagsValidators are ARM's tag rules plus the reserved prefix, for every
// resource's `tags`. reserved is how many tags the resource uses itself.
func TagsValidators(reserved int) []validator.Map {
	return []validator.Map{
		mapvalidator.SizeAtMost(50 - reserved),
		mapvalidator.KeysAre(
			stringvalidator.LengthBetween(1, 512),
			stringvalidator.RegexMatches(regexp.MustCompile(`^[^<>%&\\?/]+$`), "must not contain < > % & \\ ? /"),
			reservedTagKey{},
		),
		mapvalidator.ValueStringsAre(stringvalidator.LengthAtMost(256)),
	}
}

type reservedTagKey struct{}

func (reservedTagKey) Description(context.Context) string {
	return "must not start with " + ManagedTagPrefix
}
func (v reservedTagKey) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (reservedTagKey) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if k := req.ConfigValue.ValueString(); strings.HasPrefix(strings.ToLower(k), ManagedTagPrefix) {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved tag key",
			fmt.Sprintf("tag %q starts with %q, which the provider reserves for its own bookkeeping. Rename the tag.", k, ManagedTagPrefix))
	}
}
