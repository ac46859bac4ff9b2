package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

// Microsoft.Network client factories (api-version 2024-05-01 in armnetwork v6.2.0).

// VirtualNetworks returns the virtual networks client of the subscription.
func (c *Client) VirtualNetworks() *armnetwork.VirtualNetworksClient {
	return virtualNetworksFactory.of(c)
}

var virtualNetworksFactory = factory(armnetwork.NewVirtualNetworksClient)

// Subnets returns the subnets client of the subscription.
func (c *Client) Subnets() *armnetwork.SubnetsClient { return subnetsFactory.of(c) }

var subnetsFactory = factory(armnetwork.NewSubnetsClient)

// VirtualNetworkPeerings returns the peerings client of the subscription.
func (c *Client) VirtualNetworkPeerings() *armnetwork.VirtualNetworkPeeringsClient {
	return virtualNetworkPeeringsFactory.of(c)
}

var virtualNetworkPeeringsFactory = factory(armnetwork.NewVirtualNetworkPeeringsClient)

// SecurityGroups returns the network security groups client of the subscription.
func (c *Client) SecurityGroups() *armnetwork.SecurityGroupsClient {
	return securityGroupsFactory.of(c)
}

var securityGroupsFactory = factory(armnetwork.NewSecurityGroupsClient)

// SecurityRules returns the security rules client of the subscription.
func (c *Client) SecurityRules() *armnetwork.SecurityRulesClient { return securityRulesFactory.of(c) }

var securityRulesFactory = factory(armnetwork.NewSecurityRulesClient)

// NetworkInterfaces returns the network interfaces client of the subscription.
func (c *Client) NetworkInterfaces() *armnetwork.InterfacesClient {
	return networkInterfacesFactory.of(c)
}

var networkInterfacesFactory = factory(armnetwork.NewInterfacesClient)

// PublicIPAddresses returns the public IP addresses client of the subscription.
func (c *Client) PublicIPAddresses() *armnetwork.PublicIPAddressesClient {
	return publicIPAddressesFactory.of(c)
}

var publicIPAddressesFactory = factory(armnetwork.NewPublicIPAddressesClient)
