# A replication policy is imported by its id in the site's vault.
terraform import azuredr_replication_policy.tier1 /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.RecoveryServices/vaults/milestone-cms-vault/replicationPolicies/tier1-3d
