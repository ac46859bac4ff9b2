package siterecovery

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Protection containers: the A2A container of a fabric, which protected
// items live in and which container mappings pair with another fabric's.

var containerLevel = srLevel{collection: containersCollection, param: "protectionContainerName"}

func (s *Service) protectionContainers() *srObjects[containerProperties] {
	return &srObjects[containerProperties]{s: s, typ: containerType, operations: "ReplicationProtectionContainers",
		levels:        []srLevel{fabricLevel, containerLevel},
		writeDuration: srWriteDuration, deleteDuration: srWriteDuration,
		build: buildContainer, view: viewContainer, inUse: containerInUse,
		removeOp: "ReplicationProtectionContainers_Delete", listByVaultOp: "ReplicationProtectionContainers_List"}
}

// containerInput is CreateProtectionContainerInput.
type containerInput struct {
	Properties *struct {
		ProviderSpecificInput []instanceTypeOnly `json:"providerSpecificInput"`
	} `json:"properties"`
}

func buildContainer(tx *store.Tx, req *service.Request, at srPlace, cur *protectionContainer) (*protectionContainer, error) {
	var in containerInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	if in.Properties != nil {
		for _, p := range in.Properties.ProviderSpecificInput {
			if p.InstanceType != instanceA2A {
				return nil, arm.InvalidProperty("properties.providerSpecificInput.instanceType",
					"'%s' is not supported; the emulator serves Azure-to-Azure containers, instanceType \"A2A\"", p.InstanceType)
			}
		}
	}
	if cur != nil {
		return cur, nil
	}
	fabric, _, err := fabricOf(tx, at.parentID)
	if err != nil || fabric == nil {
		return nil, service.NotFoundByID(at.parentID, err)
	}
	return &protectionContainer{Properties: containerProperties{
		FriendlyName:          at.name,
		FabricFriendlyName:    fabric.Properties.FriendlyName,
		FabricType:            instanceAzure,
		FabricSpecificDetails: instanceTypeOnly{InstanceType: instanceAzure},
	}}, nil
}

// containerPairings returns the container mappings of the vault from c
// (outgoing) and to c (incoming).
func containerPairings(r store.Reader, c *protectionContainer) (out, in []*containerMapping, err error) {
	all, err := objectsOfType[containerMappingProperties](r, vaultIDOf(c.ID), fabricsCollection, containersCollection, containerMappingsColl)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range all {
		source, _ := service.SplitChildID(m.ID)
		switch {
		case strings.EqualFold(source, c.ID):
			out = append(out, m)
		case strings.EqualFold(m.Properties.TargetProtectionContainerID, c.ID):
			in = append(in, m)
		}
	}
	return out, in, nil
}

// viewContainer derives the count of protected items, the pairing status
// ("Paired" once a mapping from or to it exists) and the role (Primary when
// it replicates somewhere, Recovery when it is only a target).
func viewContainer(r store.Reader, c *protectionContainer) {
	c.Properties.ProtectedItemCount = int32(len(directChildren(r, c.ID, protectedItemsCollection)))
	out, in, err := containerPairings(r, c)
	c.Properties.PairingStatus, c.Properties.Role = srNotPaired, ""
	if err != nil {
		return
	}
	if len(out)+len(in) > 0 {
		c.Properties.PairingStatus = srPaired
	}
	switch {
	case len(out) > 0:
		c.Properties.Role = "Primary"
	case len(in) > 0:
		c.Properties.Role = "Recovery"
	}
}

// containerInUse refuses removing a container holding protected items or
// paired by a mapping (either way).
func containerInUse(r store.Reader, c *protectionContainer) error {
	if items := protectedItemsUnder(r, c.ID); len(items) > 0 {
		return arm.SiteRecoveryObjectInUse("ProtectionContainerHasProtectedItems", "protection container", c.Name, items,
			"Disable replication of these protected items first.")
	}
	out, in, err := containerPairings(r, c)
	if err != nil {
		return err
	}
	var users []string
	for _, m := range append(out, in...) {
		users = append(users, m.ID)
	}
	if len(users) > 0 {
		return arm.SiteRecoveryObjectInUse("ProtectionContainerPaired", "protection container", c.Name, users,
			"Remove these container mappings first.")
	}
	return nil
}
