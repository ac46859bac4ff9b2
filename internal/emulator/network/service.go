// Package network serves the networks of the Microsoft.Network namespace:
// virtual networks with their subnets and peerings, network security groups
// with their security rules.
//
// Network interfaces and public IP addresses are Microsoft.Network types
// too, but they live in package compute: a NIC is placed on a VM and a
// public IP answers for a VM's web site, while VMs create their NICs, so
// keeping them beside the VMs keeps the dependencies one way (compute ->
// network). This package knows nothing of VMs.
package network

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"

// Service is the namespace over the server's shared machinery.
type Service struct {
	*service.Env
	vnets *virtualNetworks
}

// New is the namespace over env.
func New(env *service.Env) *Service {
	s := &Service{Env: env}
	s.vnets = s.virtualNetworks()
	return s
}

// ResourceTypes lists the types this namespace serves.
func (s *Service) ResourceTypes() []service.ResourceType {
	nsgs := s.networkSecurityGroups()
	return []service.ResourceType{
		s.vnets, s.subnets(s.vnets), s.peerings(s.vnets),
		nsgs, s.securityRules(nsgs),
	}
}
