package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

// Microsoft.Network client factories (api-version 2024-05-01 in armnetwork v6.2.0).

// VirtualNetworks returns the virtual networks client of the subscription.
func (c *Client) VirtualNetworks() *armnetwork.VirtualNetworksClient {
	return must(armnetwork.NewVirtualNetworksClient(c.SubscriptionID, c.cred, c.options))
}

// Subnets returns the subnets client of the subscription.
func (c *Client) Subnets() *armnetwork.SubnetsClient {
	return must(armnetwork.NewSubnetsClient(c.SubscriptionID, c.cred, c.options))
}

// VirtualNetworkPeerings returns the peerings client of the subscription.
func (c *Client) VirtualNetworkPeerings() *armnetwork.VirtualNetworkPeeringsClient {
	return must(armnetwork.NewVirtualNetworkPeeringsClient(c.SubscriptionID, c.cred, c.options))
}

// SecurityGroups returns the network security groups client of the subscription.
func (c *Client) SecurityGroups() *armnetwork.SecurityGroupsClient {
	return must(armnetwork.NewSecurityGroupsClient(c.SubscriptionID, c.cred, c.options))
}

// SecurityRules returns the security rules client of the subscription.
func (c *Client) SecurityRules() *armnetwork.SecurityRulesClient {
	return must(armnetwork.NewSecurityRulesClient(c.SubscriptionID, c.cred, c.options))
}

// NetworkInterfaces returns the network interfaces client of the subscription.
func (c *Client) NetworkInterfaces() *armnetwork.InterfacesClient {
	return must(armnetwork.NewInterfacesClient(c.SubscriptionID, c.cred, c.options))
}

// PublicIPAddresses returns the public IP addresses client of the subscription.
func (c *Client) PublicIPAddresses() *armnetwork.PublicIPAddressesClient {
	return must(armnetwork.NewPublicIPAddressesClient(c.SubscriptionID, c.cred, c.options))
}
