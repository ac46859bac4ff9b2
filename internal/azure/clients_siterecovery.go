package azure

import (
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// Microsoft.RecoveryServices client factories: vaults (api-version 2023-04-01
// in armrecoveryservices v1.6.0) and Site Recovery inside a vault
// (2023-06-01 in armrecoveryservicessiterecovery v2.2.0). Site Recovery
// methods take the vault as (resourceName, resourceGroupName).

// Vaults returns the Recovery Services vaults client of the subscription.
func (c *Client) Vaults() *armrecoveryservices.VaultsClient {
	return must(armrecoveryservices.NewVaultsClient(c.SubscriptionID, c.cred, c.options))
}

// ReplicationFabrics returns the Site Recovery fabrics client.
func (c *Client) ReplicationFabrics() *asr.ReplicationFabricsClient {
	return must(asr.NewReplicationFabricsClient(c.SubscriptionID, c.cred, c.options))
}

// ProtectionContainers returns the Site Recovery protection containers client.
func (c *Client) ProtectionContainers() *asr.ReplicationProtectionContainersClient {
	return must(asr.NewReplicationProtectionContainersClient(c.SubscriptionID, c.cred, c.options))
}

// ContainerMappings returns the Site Recovery protection container mappings client.
func (c *Client) ContainerMappings() *asr.ReplicationProtectionContainerMappingsClient {
	return must(asr.NewReplicationProtectionContainerMappingsClient(c.SubscriptionID, c.cred, c.options))
}

// ReplicationPolicies returns the Site Recovery replication policies client.
func (c *Client) ReplicationPolicies() *asr.ReplicationPoliciesClient {
	return must(asr.NewReplicationPoliciesClient(c.SubscriptionID, c.cred, c.options))
}

// NetworkMappings returns the Site Recovery network mappings client.
func (c *Client) NetworkMappings() *asr.ReplicationNetworkMappingsClient {
	return must(asr.NewReplicationNetworkMappingsClient(c.SubscriptionID, c.cred, c.options))
}

// ProtectedItems returns the Site Recovery replication protected items client.
func (c *Client) ProtectedItems() *asr.ReplicationProtectedItemsClient {
	return must(asr.NewReplicationProtectedItemsClient(c.SubscriptionID, c.cred, c.options))
}

// RecoveryPoints returns the Site Recovery recovery points client.
func (c *Client) RecoveryPoints() *asr.RecoveryPointsClient {
	return must(asr.NewRecoveryPointsClient(c.SubscriptionID, c.cred, c.options))
}

// RecoveryPlans returns the Site Recovery recovery plans client.
func (c *Client) RecoveryPlans() *asr.ReplicationRecoveryPlansClient {
	return must(asr.NewReplicationRecoveryPlansClient(c.SubscriptionID, c.cred, c.options))
}
