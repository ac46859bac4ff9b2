package failover

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
)

// probeVMOf is probe_vm as the engine takes it (nil when unset). Unknown
// values read as unset, the engine's defaults: plan-time validation then
// checks only what is known.
func probeVMOf(ctx context.Context, obj types.Object, diags *diag.Diagnostics) *testfailover.ProbeVM {
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	var m probeVMModel
	diags.Append(obj.As(ctx, &m, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	p := &testfailover.ProbeVM{Subnet: m.SubnetName.ValueString(), Size: m.Size.ValueString()}
	if !m.Image.IsNull() && !m.Image.IsUnknown() {
		var i imageModel
		diags.Append(m.Image.As(ctx, &i, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		p.Image = testfailover.Image{Publisher: i.Publisher.ValueString(), Offer: i.Offer.ValueString(), SKU: i.SKU.ValueString(), Version: i.Version.ValueString()}
		if i.Publisher.IsUnknown() || i.Offer.IsUnknown() || i.SKU.IsUnknown() {
			p.Image = testfailover.Image{} // not all known yet: judged at apply
		}
	}
	return p
}

// validateProbeVM checks probe_vm's known settings at plan time, with the
// engine's rules, reported on their attributes.
func validateProbeVM(ctx context.Context, obj types.Object, resp *resource.ValidateConfigResponse) {
	p := probeVMOf(ctx, obj, &resp.Diagnostics)
	if p == nil || resp.Diagnostics.HasError() {
		return
	}
	if err := p.Validate("ProbeVM"); err != nil {
		addSpecErrors(&resp.Diagnostics, err)
	}
}
