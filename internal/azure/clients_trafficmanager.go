package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

// Traffic Manager client factories (api-version 2022-04-01 in armtrafficmanager v1.3.0).

// TrafficManagerProfiles returns the profiles client of the subscription.
func (c *Client) TrafficManagerProfiles() *armtrafficmanager.ProfilesClient {
	return trafficManagerProfilesFactory.of(c)
}

var trafficManagerProfilesFactory = factory(armtrafficmanager.NewProfilesClient)

// TrafficManagerEndpoints returns the endpoints client of the subscription.
func (c *Client) TrafficManagerEndpoints() *armtrafficmanager.EndpointsClient {
	return trafficManagerEndpointsFactory.of(c)
}

var trafficManagerEndpointsFactory = factory(armtrafficmanager.NewEndpointsClient)
