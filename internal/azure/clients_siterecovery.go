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
func (c *Client) Vaults() *armrecoveryservices.VaultsClient { return vaultsFactory.of(c) }

var vaultsFactory = factory(armrecoveryservices.NewVaultsClient)

// ReplicationFabrics returns the Site Recovery fabrics client.
func (c *Client) ReplicationFabrics() *asr.ReplicationFabricsClient {
	return replicationFabricsFactory.of(c)
}

var replicationFabricsFactory = factory(asr.NewReplicationFabricsClient)

// ProtectionContainers returns the Site Recovery protection containers client.
func (c *Client) ProtectionContainers() *asr.ReplicationProtectionContainersClient {
	return protectionContainersFactory.of(c)
}

var protectionContainersFactory = factory(asr.NewReplicationProtectionContainersClient)

// ContainerMappings returns the Site Recovery protection container mappings client.
func (c *Client) ContainerMappings() *asr.ReplicationProtectionContainerMappingsClient {
	return containerMappingsFactory.of(c)
}

var containerMappingsFactory = factory(asr.NewReplicationProtectionContainerMappingsClient)

// ReplicationPolicies returns the Site Recovery replication policies client.
func (c *Client) ReplicationPolicies() *asr.ReplicationPoliciesClient {
	return replicationPoliciesFactory.of(c)
}

var replicationPoliciesFactory = factory(asr.NewReplicationPoliciesClient)

// NetworkMappings returns the Site Recovery network mappings client.
func (c *Client) NetworkMappings() *asr.ReplicationNetworkMappingsClient {
	return networkMappingsFactory.of(c)
}

var networkMappingsFactory = factory(asr.NewReplicationNetworkMappingsClient)

// ProtectedItems returns the Site Recovery replication protected items client.
func (c *Client) ProtectedItems() *asr.ReplicationProtectedItemsClient {
	return protectedItemsFactory.of(c)
}

var protectedItemsFactory = factory(asr.NewReplicationProtectedItemsClient)

// RecoveryPoints returns the Site Recovery recovery points client.
func (c *Client) RecoveryPoints() *asr.RecoveryPointsClient { return recoveryPointsFactory.of(c) }

var recoveryPointsFactory = factory(asr.NewRecoveryPointsClient)

// RecoveryPlans returns the Site Recovery recovery plans client.
func (c *Client) RecoveryPlans() *asr.ReplicationRecoveryPlansClient {
	return recoveryPlansFactory.of(c)
}

var recoveryPlansFactory = factory(asr.NewReplicationRecoveryPlansClient)
