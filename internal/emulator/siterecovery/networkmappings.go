package siterecovery

import (
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Network mappings: which virtual network of the recovery region a VM on a
// primary network fails over into. For A2A the parent network segment is
// "azureNetwork", a name Azure discovers rather than a stored object; the
// networks themselves are the emulator's virtualNetworks.

func (s *Service) networkMappings() *srObjects[networkMappingProperties] {
	return &srObjects[networkMappingProperties]{s: s, typ: networkMappingType, operations: "ReplicationNetworkMappings",
		levels: []srLevel{fabricLevel, {collection: networksCollection, param: "networkName", virtual: true},
			{collection: networkMappingsCollection, param: "networkMappingName"}},
		writeDuration: srWriteDuration, deleteDuration: srWriteDuration,
		build: buildNetworkMapping, update: updateNetworkMapping,
		deleteOp: "ReplicationNetworkMappings_Delete", listByVaultOp: "ReplicationNetworkMappings_List"}
}

// networkMappingInput is CreateNetworkMappingInput and
// UpdateNetworkMappingInput.
type networkMappingInput struct {
	Properties *struct {
		RecoveryFabricName    *string `json:"recoveryFabricName"`
		RecoveryNetworkID     *string `json:"recoveryNetworkId"`
		FabricSpecificDetails *struct {
			InstanceType     string  `json:"instanceType"`
			PrimaryNetworkID *string `json:"primaryNetworkId"`
		} `json:"fabricSpecificDetails"`
	} `json:"properties"`
}

// networkMappingSpec is what a mapping is made of: names and ids as given.
type networkMappingSpec struct {
	recoveryFabricName, recoveryNetworkID, primaryNetworkID string
}

// merge overlays the input's fields on spec.
func (in *networkMappingInput) merge(spec *networkMappingSpec) error {
	if in.Properties == nil {
		return arm.InvalidProperty("properties", "required")
	}
	p := in.Properties
	if p.RecoveryFabricName != nil {
		spec.recoveryFabricName = *p.RecoveryFabricName
	}
	if p.RecoveryNetworkID != nil {
		spec.recoveryNetworkID = *p.RecoveryNetworkID
	}
	if d := p.FabricSpecificDetails; d != nil {
		if d.InstanceType != instanceAzToAz {
			return arm.InvalidProperty("properties.fabricSpecificDetails.instanceType",
				"'%s' is not supported; the emulator serves Azure-to-Azure network mappings, instanceType \"AzureToAzure\"", d.InstanceType)
		}
		if d.PrimaryNetworkID != nil {
			spec.primaryNetworkID = *d.PrimaryNetworkID
		}
	}
	return nil
}

func buildNetworkMapping(tx *store.Tx, req *service.Request, at srPlace, _ *networkMapping) (*networkMapping, error) {
	var in networkMappingInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	var spec networkMappingSpec
	if err := in.merge(&spec); err != nil {
		return nil, err
	}
	return resolveNetworkMapping(tx, at, spec)
}

// updateNetworkMapping applies a PATCH: fields left out keep their value.
func updateNetworkMapping(tx *store.Tx, req *service.Request, at srPlace, cur *networkMapping) error {
	var in networkMappingInput
	if err := req.Decode(&in); err != nil {
		return err
	}
	spec := networkMappingSpec{recoveryFabricName: lastSegment(cur.Properties.RecoveryFabricArmID),
		recoveryNetworkID: cur.Properties.RecoveryNetworkID, primaryNetworkID: cur.Properties.PrimaryNetworkID}
	if err := in.merge(&spec); err != nil {
		return err
	}
	m, err := resolveNetworkMapping(tx, at, spec)
	if err != nil {
		return err
	}
	cur.Properties = m.Properties
	return nil
}

// resolveNetworkMapping validates spec against the store: the recovery
// fabric is another fabric of the vault, both networks exist, each in its
// fabric's region, and the primary network is not mapped to that fabric
// already. It returns the mapping as stored.
func resolveNetworkMapping(r store.Reader, at srPlace, spec networkMappingSpec) (*networkMapping, error) {
	primaryFabricID, _ := service.SplitChildID(at.parentID)
	primaryFabric, _, err := fabricOf(r, primaryFabricID)
	if err != nil || primaryFabric == nil {
		return nil, service.NotFoundByID(primaryFabricID, err)
	}
	if spec.recoveryFabricName == "" {
		return nil, arm.InvalidProperty("properties.recoveryFabricName", "required: the name of the recovery region's fabric in vault '%s'", at.vault.Name)
	}
	recoveryFabric, ok, err := fabricOf(r, at.vault.ID+"/"+fabricsCollection+"/"+spec.recoveryFabricName)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.SiteRecoveryInvalidReference("FabricNotFound", "properties.recoveryFabricName",
			"the vault '%s' has no fabric named '%s'; create the recovery region's fabric first", at.vault.Name, spec.recoveryFabricName)
	}
	if strings.EqualFold(recoveryFabric.ID, primaryFabric.ID) {
		return nil, arm.SiteRecoveryInvalidReference("InvalidRecoveryFabric", "properties.recoveryFabricName",
			"the recovery fabric must be another region's fabric than the primary fabric '%s'", primaryFabric.Name)
	}
	primaryLoc, recoveryLoc := primaryFabric.Properties.CustomDetails.Location, recoveryFabric.Properties.CustomDetails.Location
	primary, err := mappedNetwork(r, "properties.fabricSpecificDetails.primaryNetworkId", spec.primaryNetworkID, primaryLoc, primaryFabric.Name)
	if err != nil {
		return nil, err
	}
	recovery, err := mappedNetwork(r, "properties.recoveryNetworkId", spec.recoveryNetworkID, recoveryLoc, recoveryFabric.Name)
	if err != nil {
		return nil, err
	}
	others, err := objectsOfType[networkMappingProperties](r, at.vault.ID, fabricsCollection, networksCollection, networkMappingsCollection)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if !strings.EqualFold(o.ID, at.id) && strings.EqualFold(o.Properties.PrimaryNetworkID, primary.ID) &&
			strings.EqualFold(o.Properties.RecoveryFabricArmID, recoveryFabric.ID) {
			return nil, arm.SiteRecoveryConflict("NetworkMappingAlreadyExists",
				"The network '%s' is already mapped into fabric '%s' by the network mapping '%s'. Update or remove that mapping instead.",
				primary.ID, recoveryFabric.Name, o.ID)
		}
	}
	return &networkMapping{Properties: networkMappingProperties{
		State:                       srPaired,
		PrimaryNetworkFriendlyName:  primary.Name,
		PrimaryNetworkID:            primary.ID,
		PrimaryFabricFriendlyName:   primaryFabric.Properties.FriendlyName,
		RecoveryNetworkFriendlyName: recovery.Name,
		RecoveryNetworkID:           recovery.ID,
		RecoveryFabricArmID:         recoveryFabric.ID,
		RecoveryFabricFriendlyName:  recoveryFabric.Properties.FriendlyName,
		FabricSpecificSettings: azureToAzureNetMapping{InstanceType: instanceAzToAz,
			PrimaryFabricLocation: primaryLoc, RecoveryFabricLocation: recoveryLoc},
	}}, nil
}

// mappedNetwork checks id names an existing virtual network in location.
func mappedNetwork(r store.Reader, property, id, location, fabric string) (*network.VNet, error) {
	if id == "" {
		return nil, arm.InvalidProperty(property, "required: the id of a virtual network in %s", location)
	}
	n, ok, err := service.GetJSON[network.VNet](r, id)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(n.Type, network.VNetType) {
		return nil, arm.SiteRecoveryInvalidReference("NetworkNotFound", property,
			"the virtual network '%s' does not exist; create it first", id)
	}
	if n.Location != location {
		return nil, arm.SiteRecoveryInvalidReference("InvalidNetworkLocation", property,
			"the virtual network '%s' is in '%s' but fabric '%s' is in '%s'; pick a network of the fabric's region", n.ID, n.Location, fabric, location)
	}
	return n, nil
}
