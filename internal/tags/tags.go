// Package tags is the one definition of the tags the provider keeps on what
// it creates. They let import and drift detection rebuild a resource from
// Azure alone, and let a sweeper find what a crashed run left behind while
// touching nothing without them. The package is Terraform-free so that the
// sweeper and the drill harness can use it without linking the plugin
// framework.
package tags

import "strings"

// Prefix starts every managed tag. Users cannot set tags with it.
const Prefix = "azuredr-"

// Keys.
const (
	// Role says what the provider created a resource as (the Role* values).
	Role = "azuredr-role"
	// Site is the azuredr_site's name, on its resource groups and vault.
	Site = "azuredr-site"
	// PrimaryLocation is the site's primary region, on its resource groups.
	PrimaryLocation = "azuredr-primary-location"
	// TestResourceGroup is, on the recovery group, the test group's name.
	TestResourceGroup = "azuredr-test-resource-group"
	// ApproverPrefix starts an approver's tag on the recovery group:
	// "azuredr-approver-<name>" = the approver's public key.
	ApproverPrefix = "azuredr-approver-"
	// PrimaryNetwork and TestNetwork are, on a recovery network, the ids of
	// the rest of its azuredr_network pair.
	PrimaryNetwork = "azuredr-primary-network-id"
	TestNetwork    = "azuredr-test-network-id"
	// Drill is, on what a drill made for its run (a probe VM), the drill's
	// name.
	Drill = "azuredr-drill"
	// Network is, on an NSG, the recovery network id of its pair.
	Network = "azuredr-network-id"
	// SourceNSG is, on an NSG mirroring a production NSG, that NSG's id.
	SourceNSG = "azuredr-source-nsg-id"
	// EndpointRoles is, on a Traffic Manager profile, each endpoint's role
	// ("web-1=primary,web-2=recovery").
	EndpointRoles = "azuredr-endpoint-roles"
)

// Values of Role.
const (
	RoleRecovery        = "recovery"         // a site's recovery resource group
	RoleTestFailover    = "test-failover"    // a site's test-failover resource group
	RoleVault           = "vault"            // a site's Recovery Services vault
	RoleRecoveryNetwork = "recovery-network" // an azuredr_network's recovery network
	RoleTestNetwork     = "test-network"     // an azuredr_network's test network
	RoleNSG             = "nsg"              // an azuredr_network_security_group's NSG
	RoleCacheStorage    = "cache-storage"    // a site's Site Recovery cache storage account
	RoleTestPublicIP    = "test-public-ip"   // a drill's public IP for a test VM (named in its item's tfo NIC settings)
	RoleProbeVM         = "probe-vm"         // a probe VM a drill made in its test network, and its NIC
)

// IsManaged reports whether key is one of the provider's tags (ARM tag
// names are case-insensitive).
func IsManaged(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), Prefix)
}

// Get reads a tag from an SDK tag map, "" when absent.
func Get(m map[string]*string, key string) string {
	for k, v := range m {
		if strings.EqualFold(k, key) && v != nil {
			return *v
		}
	}
	return ""
}
