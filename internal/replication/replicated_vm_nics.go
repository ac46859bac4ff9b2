package replication

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

// The source VM's NICs as Site Recovery's NIC settings name them (each IP
// configuration by its own name), and the test failover's NIC settings
// (`test_failover_nic`: subnet, static address, public IP of the test VM's
// primary IP configuration).

var testFailoverNICType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"subnet_name":  types.StringType,
	"static_ip":    types.StringType,
	"public_ip_id": types.StringType,
}}

type testFailoverNIC struct {
	SubnetName types.String `tfsdk:"subnet_name"`
	StaticIP   types.String `tfsdk:"static_ip"`
	PublicIPID types.String `tfsdk:"public_ip_id"`
}

func testFailoverNICAttribute(into map[string]schema.Attribute) {
	into["test_failover_nic"] = schema.SingleNestedAttribute{Optional: true,
		Attributes: map[string]schema.Attribute{
			"subnet_name": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthBetween(1, 80)},
				MarkdownDescription: "Subnet of the test network the test VM joins. Default: the subnet named like `recovery_subnet_name`."},
			"static_ip": schema.StringAttribute{Optional: true, Validators: []validator.String{ipv4Validator{}},
				MarkdownDescription: "Private IPv4 address of the test VM, in that subnet. Default: the next free address."},
			"public_ip_id": schema.StringAttribute{Optional: true,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/publicIPAddresses")},
				MarkdownDescription: "Id of a public IP address in the recovery region to attach to the test VM (a drill running outside the isolated test network reaches the VM through it). Azure gives test VMs a public IP only when this names one; test failover cleanup detaches it and keeps it."},
		},
		MarkdownDescription: "Network settings of the test failover VM's primary IP configuration (Site Recovery's `tfo*` NIC settings). Changes apply in place."}
}

// ipv4Validator accepts an IPv4 address.
type ipv4Validator struct{}

func (ipv4Validator) Description(context.Context) string {
	return "must be an IPv4 address such as 10.1.2.10"
}
func (v ipv4Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (ipv4Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if a, err := netip.ParseAddr(req.ConfigValue.ValueString()); err != nil || !a.Is4() {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid IPv4 address",
			fmt.Sprintf("%s: %q is not an IPv4 address: give one like 10.1.2.10, in the subnet's range.", req.Path, req.ConfigValue.ValueString()))
	}
}

// sourceNIC is a NIC of the source VM: its IP configurations' names, the
// primary first.
type sourceNIC struct {
	ID        string
	IPConfigs []string
}

// readNICs reads the source VM's NICs for their IP configuration names.
func readNICs(ctx context.Context, c *azure.Client, ids []string) ([]sourceNIC, error) {
	out := make([]sourceNIC, 0, len(ids))
	for _, id := range ids {
		rid, err := arm.ParseResourceID(id)
		if err != nil {
			return nil, fmt.Errorf("the source VM's NIC id %q: %w", id, err)
		}
		nic, err := c.NetworkInterfaces().Get(ctx, rid.ResourceGroupName, rid.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("reading the source VM's NIC %s: %w", id, err)
		}
		n := sourceNIC{ID: deref(nic.ID)}
		if nic.Properties != nil {
			var secondary []string
			for _, ipc := range nic.Properties.IPConfigurations {
				if ipc == nil || ipc.Name == nil {
					continue
				}
				if ipc.Properties != nil && isTrue(ipc.Properties.Primary) {
					n.IPConfigs = append([]string{*ipc.Name}, n.IPConfigs...)
				} else {
					secondary = append(secondary, *ipc.Name)
				}
			}
			n.IPConfigs = append(n.IPConfigs, secondary...)
		}
		if len(n.IPConfigs) == 0 {
			return nil, fmt.Errorf("the source VM's NIC %s has no IP configuration", id)
		}
		out = append(out, n)
	}
	return out, nil
}

// nicInputs is vmNics of an item update (azure.NICInputs): every IP
// configuration of every NIC into the recovery subnet; the first NIC's
// primary one also carries the test failover settings (tfo nil: none, and
// "" clears a setting removed from the configuration).
func nicInputs(nics []sourceNIC, subnet string, tfo *testFailoverNIC) []*asr.VMNicInputDetails {
	in := make([]azure.ItemNIC, len(nics))
	for i, n := range nics {
		in[i] = azure.ItemNIC{ID: n.ID, IPConfigs: n.IPConfigs, RecoverySubnet: subnet}
	}
	var s azure.TestFailoverNIC
	if tfo != nil {
		s = azure.TestFailoverNIC{SubnetName: tfo.SubnetName.ValueString(), StaticIP: tfo.StaticIP.ValueString(), PublicIPID: tfo.PublicIPID.ValueString()}
	}
	return azure.NICInputs(in, s)
}

// tfoNICFromItem reads the test failover settings of the first NIC's
// primary IP configuration; null when none is set.
func tfoNICFromItem(cur types.Object, a2a *asr.A2AReplicationDetails) types.Object {
	set := azure.TestFailoverNICOf(a2a)
	subnet, ip, pip := set.SubnetName, set.StaticIP, set.PublicIPID
	if subnet == "" && ip == "" && pip == "" {
		return types.ObjectNull(testFailoverNICType.AttrTypes)
	}
	var prior testFailoverNIC
	if !cur.IsNull() && !cur.IsUnknown() {
		prior.SubnetName, _ = cur.Attributes()["subnet_name"].(types.String)
		prior.PublicIPID, _ = cur.Attributes()["public_ip_id"].(types.String)
	}
	return types.ObjectValueMust(testFailoverNICType.AttrTypes, map[string]attr.Value{
		"subnet_name":  optionalSame(prior.SubnetName, subnet),
		"static_ip":    optional(ip),
		"public_ip_id": optionalSame(prior.PublicIPID, pip),
	})
}

// optionalSame is sameID for an optional attribute ("" is null).
func optionalSame(cur types.String, got string) types.String {
	if got == "" {
		return types.StringNull()
	}
	return sameID(cur, got)
}

// tfoSettings is the configured test_failover_nic (nil when unset).
func tfoSettings(ctx context.Context, v types.Object) (*testFailoverNIC, error) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var s testFailoverNIC
	if d := v.As(ctx, &s, basetypes.ObjectAsOptions{}); d.HasError() {
		return nil, fmt.Errorf("test_failover_nic: %s", strings.TrimSpace(fmt.Sprint(d)))
	}
	return &s, nil
}

func isTrue(b *bool) bool { return b != nil && *b }
