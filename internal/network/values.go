package network

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

func stringList(in []string) types.List {
	v, _ := types.ListValueFrom(context.Background(), types.StringType, in)
	return v
}

func mapValue(m map[string]string) types.Map {
	v, _ := types.MapValueFrom(context.Background(), types.StringType, m)
	return v
}

func stringMap(ctx context.Context, v types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if !v.IsNull() && !v.IsUnknown() {
		diags.Append(v.ElementsAs(ctx, &out, false)...)
	}
	return out
}

// withTags is the user's tags plus the provider's own.
func withTags(user, managed map[string]string) map[string]string {
	out := make(map[string]string, len(user)+len(managed))
	for k, v := range user {
		out[k] = v
	}
	for k, v := range managed {
		out[k] = v
	}
	return out
}

// userTags drops the provider's own tags.
func userTags(all map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range all {
		if !tags.IsManaged(k) {
			out[k] = v
		}
	}
	return out
}
