// Package replication implements Site Recovery replication on top of a
// site's backbone (package site: vault, fabrics, protection containers):
//
//   - azuredr_replication_policy (policy_*.go): how often recovery points are
//     taken and how long they are kept, plus the pair of protection container
//     mappings that applies the policy between the site's two regions
//     (primary -> recovery for failover, recovery -> primary for failback).
//   - azuredr_replicated_vm and its data sources (replicated_vm_*.go,
//     recovery_points_*.go): the VMs replicated under a policy.
//   - azuredr_recovery_plan (recovery_plan_*.go): ordered groups of
//     replicated VMs with pre/post actions, stored as a Site Recovery
//     recovery plan; ReadRecoveryPlan reads one back for drills.
//
// Why the policy is its own resource and not part of azuredr_site: one vault
// serves several applications with different RPO tiers, each with its own
// policy and its own mapping pair; a retention change must never touch (let
// alone replace) the site, whose destruction removes the vault; and it
// matches how azurerm splits them (azurerm_site_recovery_replication_policy
// and azurerm_site_recovery_protection_container_mapping beside the vault),
// so users coming from azurerm find the same shape.
//
// Each resource follows the same split: policy_resource.go holds the schema,
// policy_validate.go the plan-time checks, policy_plan.go the plan
// adjustments, policy_crud.go the Terraform operations and policy_azure.go
// the Site Recovery calls.
package replication
