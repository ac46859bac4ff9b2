package siterecovery

import (
	"encoding/json"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Replication fabrics. For Azure-to-Azure replication a fabric stands for
// one Azure region inside the vault; Azure allows one per region.

var fabricLevel = srLevel{collection: fabricsCollection, param: "fabricName"}

func (s *Service) replicationFabrics() *srObjects[fabricProperties] {
	return &srObjects[fabricProperties]{s: s, typ: fabricType, operations: "ReplicationFabrics",
		levels:        []srLevel{fabricLevel},
		writeDuration: srWriteDuration, deleteDuration: srWriteDuration,
		build: s.buildFabric, view: viewFabric, inUse: fabricInUse,
		removeOp: "ReplicationFabrics_Delete", deleteOp: "ReplicationFabrics_Purge"}
}

// fabricInput is FabricCreationInput.
type fabricInput struct {
	Properties *struct {
		CustomDetails *struct {
			InstanceType string `json:"instanceType"`
			Location     string `json:"location"`
		} `json:"customDetails"`
	} `json:"properties"`
}

func (s *Service) buildFabric(tx *store.Tx, req *service.Request, at srPlace, cur *replicationFabric) (*replicationFabric, error) {
	var in fabricInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	if in.Properties == nil || in.Properties.CustomDetails == nil {
		return nil, arm.InvalidProperty("properties.customDetails", "required: give {\"instanceType\": \"Azure\", \"location\": \"<region>\"}")
	}
	d := in.Properties.CustomDetails
	if d.InstanceType != instanceAzure {
		return nil, arm.InvalidProperty("properties.customDetails.instanceType",
			"'%s' is not supported; the emulator serves Azure-to-Azure fabrics, instanceType \"Azure\"", d.InstanceType)
	}
	location, err := service.ResourceLocation(d.Location, fabricType)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		if cur.Properties.CustomDetails.Location != location {
			return nil, arm.InvalidProperty("properties.customDetails.location",
				"fabric '%s' is in '%s' and cannot move to '%s'; create another fabric", cur.Name, cur.Properties.CustomDetails.Location, location)
		}
		return cur, nil
	}
	others, err := objectsOfType[fabricProperties](tx, at.vault.ID, fabricsCollection)
	if err != nil {
		return nil, err
	}
	for _, f := range others {
		if f.Properties.CustomDetails.Location == location {
			return nil, arm.SiteRecoveryConflict("FabricAlreadyExists",
				"The vault '%s' already has the fabric '%s' for location '%s'; a vault holds one Azure fabric per region. Use that fabric.",
				at.vault.Name, f.Name, location)
		}
	}
	return &replicationFabric{Properties: fabricProperties{
		FriendlyName:       at.name,
		CustomDetails:      azureFabricDetails{InstanceType: instanceAzure, Location: location},
		Health:             srHealthNormal,
		HealthErrorDetails: []json.RawMessage{},
		InternalIdentifier: arm.NewGUID(),
		BcdrState:          "Valid",
		EncryptionDetails:  &encryptionDetails{KekState: "None"},
		Rollover:           &encryptionDetails{KekState: "None"},
	}}, nil
}

// viewFabric lists the fabric's containers in customDetails.containerIds.
func viewFabric(r store.Reader, f *replicationFabric) {
	ids := []string{}
	if cs, err := objectsOfType[containerProperties](r, f.ID, containersCollection); err == nil {
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
	}
	f.Properties.CustomDetails.ContainerIDs = ids
	if f.Properties.HealthErrorDetails == nil {
		f.Properties.HealthErrorDetails = []json.RawMessage{}
	}
}

// fabricInUse refuses removing a fabric that protected items replicate from,
// or that mappings of other fabrics point into (container or network
// mappings): they would be left pointing at nothing.
func fabricInUse(r store.Reader, f *replicationFabric) error {
	if items := protectedItemsUnder(r, f.ID); len(items) > 0 {
		return arm.SiteRecoveryObjectInUse("FabricHasProtectedItems", "fabric", f.Name, items,
			"Disable replication of these protected items first.")
	}
	vault := vaultIDOf(f.ID)
	inFabric := strings.ToLower(f.ID) + "/"
	var users []string
	mappings, err := objectsOfType[containerMappingProperties](r, vault, fabricsCollection, containersCollection, containerMappingsColl)
	if err != nil {
		return err
	}
	for _, m := range mappings {
		if !strings.HasPrefix(strings.ToLower(m.ID), inFabric) && strings.HasPrefix(strings.ToLower(m.Properties.TargetProtectionContainerID), inFabric) {
			users = append(users, m.ID)
		}
	}
	nets, err := objectsOfType[networkMappingProperties](r, vault, fabricsCollection, networksCollection, networkMappingsCollection)
	if err != nil {
		return err
	}
	for _, n := range nets {
		if !strings.HasPrefix(strings.ToLower(n.ID), inFabric) && strings.EqualFold(n.Properties.RecoveryFabricArmID, f.ID) {
			users = append(users, n.ID)
		}
	}
	if len(users) > 0 {
		return arm.SiteRecoveryObjectInUse("FabricInUse", "fabric", f.Name, users,
			"Remove these mappings, which replicate into this fabric, first.")
	}
	return nil
}
