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
	return cached(c, "Vaults", armrecoveryservices.NewVaultsClient)
}

// ReplicationFabrics returns the Site Recovery fabrics client.
func (c *Client) ReplicationFabrics() *asr.ReplicationFabricsClient {
	return cached(c, "ReplicationFabrics", asr.NewReplicationFabricsClient)
}

// ProtectionContainers returns the Site Recovery protection containers client.
func (c *Client) ProtectionContainers() *asr.ReplicationProtectionContainersClient {
	return cached(c, "ProtectionContainers", asr.NewReplicationProtectionContainersClient)
}

// ContainerMappings returns the Site Recovery protection container mappings client.
func (c *Client) ContainerMappings() *asr.ReplicationProtectionContainerMappingsClient {
	return cached(c, "ContainerMappings", asr.NewReplicationProtectionContainerMappingsClient)
}

// ReplicationPolicies returns the Site Recovery replication policies client.
func (c *Client) ReplicationPolicies() *asr.ReplicationPoliciesClient {
	return cached(c, "ReplicationPolicies", asr.NewReplicationPoliciesClient)
}

// NetworkMappings returns the Site Recovery network mappings client.
func (c *Client) NetworkMappings() *asr.ReplicationNetworkMappingsClient {
	return cached(c, "NetworkMappings", asr.NewReplicationNetworkMappingsClient)
}

// ProtectedItems returns the Site Recovery replication protected items client.
func (c *Client) ProtectedItems() *asr.ReplicationProtectedItemsClient {
	return cached(c, "ProtectedItems", asr.NewReplicationProtectedItemsClient)
}

// RecoveryPoints returns the Site Recovery recovery points client.
func (c *Client) RecoveryPoints() *asr.RecoveryPointsClient {
	return cached(c, "RecoveryPoints", asr.NewRecoveryPointsClient)
}

// RecoveryPlans returns the Site Recovery recovery plans client.
func (c *Client) RecoveryPlans() *asr.ReplicationRecoveryPlansClient {
	return cached(c, "RecoveryPlans", asr.NewReplicationRecoveryPlansClient)
}
