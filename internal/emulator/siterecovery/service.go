// Package siterecovery serves Microsoft.RecoveryServices: recovery vaults
// and the Site Recovery objects under them (fabrics, protection containers,
// container mappings, replication policies, network mappings, protected
// items with their recovery points, test failover, failover and re-protect,
// recovery plans), plus the admin API's view of replication
// (/_emulator/replication) and the replication pauses fault rules open.
//
// It is the highest namespace: a failover creates VMs, NICs and public IPs
// through package compute and reads networks through package network, and
// neither knows of it. common.go describes the object hierarchy.
package siterecovery

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// Service is the namespace over the server's shared machinery, with the
// compute namespace whose VMs it replicates and fails over.
type Service struct {
	*service.Env
	compute *compute.Service
}

// New is the namespace over env.
func New(env *service.Env, vms *compute.Service) *Service {
	return &Service{Env: env, compute: vms}
}

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	return []service.ResourceType{
		&recoveryVaults{s: s}, s.replicationFabrics(), s.protectionContainers(), s.containerMappings(),
		s.replicationPolicies(), s.networkMappings(),
		newProtectedItems(s),
		newItemFailovers(s),
		newRecoveryPlans(s),
		newReplicationJobs(s),
	}
}
