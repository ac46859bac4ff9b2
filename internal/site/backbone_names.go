package site

import "strings"

// The names of a site's Site Recovery backbone, derived from the site's name
// and regions so every capability can find them from the site's tags alone
// (no extra calls, nothing else to keep in step):
//
//	vault                 <site>-vault, in the recovery resource group
//	fabric per region     azuredr-<region>
//	container per fabric  azuredr-<region>-container
//
// Container mappings belong to azuredr_replication_policy (one pair per
// policy, see package replication).

// VaultName is the Recovery Services vault of a site.
func VaultName(siteName string) string { return siteName + "-vault" }

// FabricName is the replication fabric of a region.
func FabricName(location string) string { return "azuredr-" + strings.ToLower(location) }

// ContainerName is the protection container of a region's fabric.
func ContainerName(location string) string { return FabricName(location) + "-container" }
