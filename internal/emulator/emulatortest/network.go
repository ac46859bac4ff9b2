package emulatortest

// Helpers for tests that need networks: the armnetwork clients, vNet
// bodies and security rules, and running pollers to the end.

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
)

// Done runs a poller to the end, as the provider does.
func Done[T any](t *testing.T, p *runtime.Poller[T], err error) (T, error) {
	t.Helper()
	if err != nil {
		var zero T
		return zero, err
	}
	return p.PollUntilDone(Context(t), nil)
}

// NetworkClients are armnetwork clients for Subscription, without retries.
func NetworkClients(t *testing.T, url string) NetClients {
	t.Helper()
	opts := ClientOptions(url)
	opts.Retry.MaxRetries = -1
	f, err := armnetwork.NewClientFactory(Subscription, Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return NetClients{VNets: f.NewVirtualNetworksClient(), Subnets: f.NewSubnetsClient(), Peerings: f.NewVirtualNetworkPeeringsClient(),
		NSGs: f.NewSecurityGroupsClient(), Rules: f.NewSecurityRulesClient(), Defaults: f.NewDefaultSecurityRulesClient()}
}

// NetClients are the real armnetwork/v6 clients pointed at the emulator.
type NetClients struct {
	VNets    *armnetwork.VirtualNetworksClient
	Subnets  *armnetwork.SubnetsClient
	Peerings *armnetwork.VirtualNetworkPeeringsClient
	NSGs     *armnetwork.SecurityGroupsClient
	Rules    *armnetwork.SecurityRulesClient
	Defaults *armnetwork.DefaultSecurityRulesClient
}

// VNetBody is a centralus vNet with address space space and subnets given
// as {name, prefix} pairs.
func VNetBody(space string, subnets ...[2]string) armnetwork.VirtualNetwork {
	v := armnetwork.VirtualNetwork{Location: Ptr("centralus"), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{Ptr(space)}}}}
	for _, s := range subnets {
		v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{Name: Ptr(s[0]), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: Ptr(s[1])}})
	}
	return v
}

// MustVNet is PutVNet failing the test on an error.
func MustVNet(t *testing.T, c NetClients, group, name string, body armnetwork.VirtualNetwork) armnetwork.VirtualNetwork {
	t.Helper()
	v, err := PutVNet(t, c, group, name, body)
	if err != nil {
		t.Fatalf("creating network %s: %v", name, err)
	}
	return v
}

// Rule allows TCP to port from the Internet tag, in direction.
func Rule(name string, priority int32, direction armnetwork.SecurityRuleDirection, port string) *armnetwork.SecurityRule {
	return &armnetwork.SecurityRule{Name: Ptr(name), Properties: &armnetwork.SecurityRulePropertiesFormat{
		Priority: Ptr(priority), Direction: Ptr(direction), Access: Ptr(armnetwork.SecurityRuleAccessAllow), Protocol: Ptr(armnetwork.SecurityRuleProtocolTCP),
		SourceAddressPrefix: Ptr("Internet"), SourcePortRange: Ptr("*"), DestinationAddressPrefix: Ptr("*"), DestinationPortRange: Ptr(port)}}
}

// PutVNet creates or replaces a vNet and waits for the operation.
func PutVNet(t *testing.T, c NetClients, group, name string, body armnetwork.VirtualNetwork) (armnetwork.VirtualNetwork, error) {
	t.Helper()
	p, err := c.VNets.BeginCreateOrUpdate(Context(t), group, name, body, nil)
	r, err := Done(t, p, err)
	return r.VirtualNetwork, err
}
