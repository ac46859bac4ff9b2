// Package storage serves Microsoft.Storage/storageAccounts at api-version
// 2024-01-01, as armstorage v1.8.0 sends it: the cache storage accounts Site
// Recovery stages a replicated VM's writes in. Creation is a long-running
// operation answered the way the storage resource provider answers it (202
// with a Location header only), names are unique across the whole emulator
// (Azure's names are global), and kinds and SKUs are checked the way Azure
// refuses them. Package siterecovery reads accounts through Find.
package storage

import (
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
)

// Service is the namespace over the server's shared machinery.
type Service struct {
	*service.Env
}

// New is the namespace over env.
func New(env *service.Env) *Service { return &Service{Env: env} }

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	return []service.ResourceType{&storageAccounts{s: s}}
}
