# A recovery plan is imported by its id in the site's vault.
terraform import azuredr_recovery_plan.cms /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/milestone-cms-dr/providers/Microsoft.RecoveryServices/vaults/milestone-cms-vault/replicationRecoveryPlans/cms
