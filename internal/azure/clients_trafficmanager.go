package azure

import "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

// Traffic Manager client factories (api-version 2022-04-01 in armtrafficmanager v1.3.0).

// TrafficManagerProfiles returns the profiles client of the subscription.
func (c *Client) TrafficManagerProfiles() *armtrafficmanager.ProfilesClient {
	return must(armtrafficmanager.NewProfilesClient(c.SubscriptionID, c.cred, c.options))
}

// TrafficManagerEndpoints returns the endpoints client of the subscription.
func (c *Client) TrafficManagerEndpoints() *armtrafficmanager.EndpointsClient {
	return must(armtrafficmanager.NewEndpointsClient(c.SubscriptionID, c.cred, c.options))
}
