package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

// Microsoft.Network client factories (api-version 2024-05-01 in armnetwork v6.2.0).

// VirtualNetworks returns the virtual networks client of the subscription.
func (c *Client) VirtualNetworks() *armnetwork.VirtualNetworksClient {
	return cached(c, "VirtualNetworks", armnetwork.NewVirtualNetworksClient)
}

// Subnets returns the subnets client of the subscription.
func (c *Client) Subnets() *armnetwork.SubnetsClient {
	return cached(c, "Subnets", armnetwork.NewSubnetsClient)
}

// VirtualNetworkPeerings returns the peerings client of the subscription.
func (c *Client) VirtualNetworkPeerings() *armnetwork.VirtualNetworkPeeringsClient {
	return cached(c, "VirtualNetworkPeerings", armnetwork.NewVirtualNetworkPeeringsClient)
}

// SecurityGroups returns the network security groups client of the subscription.
func (c *Client) SecurityGroups() *armnetwork.SecurityGroupsClient {
	return cached(c, "SecurityGroups", armnetwork.NewSecurityGroupsClient)
}

// SecurityRules returns the security rules client of the subscription.
func (c *Client) SecurityRules() *armnetwork.SecurityRulesClient {
	return cached(c, "SecurityRules", armnetwork.NewSecurityRulesClient)
}

// NetworkInterfaces returns the network interfaces client of the subscription.
func (c *Client) NetworkInterfaces() *armnetwork.InterfacesClient {
	return cached(c, "NetworkInterfaces", armnetwork.NewInterfacesClient)
}

// PublicIPAddresses returns the public IP addresses client of the subscription.
func (c *Client) PublicIPAddresses() *armnetwork.PublicIPAddressesClient {
	return cached(c, "PublicIPAddresses", armnetwork.NewPublicIPAddressesClient)
}
