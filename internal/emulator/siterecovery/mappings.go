package siterecovery

import (
	"encoding/json"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Protection container mappings: pair a source container with a target
// container of another fabric under a replication policy. Protected items
// of the source container replicate to the target along a mapping.

func (s *Service) containerMappings() *srObjects[containerMappingProperties] {
	return &srObjects[containerMappingProperties]{s: s, typ: containerMappingType, operations: "ReplicationProtectionContainerMappings",
		levels:        []srLevel{fabricLevel, containerLevel, {collection: containerMappingsColl, param: "mappingName"}},
		writeDuration: srWriteDuration, deleteDuration: srWriteDuration,
		build: buildContainerMapping, update: updateContainerMapping, view: viewContainerMapping, inUse: mappingInUse,
		removeOp: "ReplicationProtectionContainerMappings_Delete", deleteOp: "ReplicationProtectionContainerMappings_Purge",
		listByVaultOp: "ReplicationProtectionContainerMappings_List"}
}

// instanceGenericMappingInput is the discriminator's base type
// (ReplicationProviderSpecificContainerMappingInput in the spec and SDK):
// no provider settings.
const instanceGenericMappingInput = "ReplicationProviderSpecificContainerMappingInput"

// a2aMappingInput is A2AContainerMappingInput (and the update input).
type a2aMappingInput struct {
	InstanceType           string  `json:"instanceType"`
	AgentAutoUpdateStatus  *string `json:"agentAutoUpdateStatus"`
	AutomationAccountArmID *string `json:"automationAccountArmId"`
	AutomationAccountAuth  *string `json:"automationAccountAuthenticationType"`
}

// mappingInput is CreateProtectionContainerMappingInput and
// UpdateProtectionContainerMappingInput.
type mappingInput struct {
	Properties *struct {
		TargetProtectionContainerID string           `json:"targetProtectionContainerId"`
		PolicyID                    string           `json:"policyId"`
		ProviderSpecificInput       *a2aMappingInput `json:"providerSpecificInput"`
	} `json:"properties"`
}

func decodeMappingInput(req *service.Request) (*mappingInput, error) {
	var in mappingInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	if in.Properties == nil {
		return nil, arm.InvalidProperty("properties", "required")
	}
	if p := in.Properties.ProviderSpecificInput; p != nil {
		switch p.InstanceType {
		case instanceA2A:
		case instanceGenericMappingInput:
			// The base class of the spec's discriminator: Azure accepts it
			// and takes the A2A defaults (as the Azure portal's and
			// PowerShell's mappings between Azure fabrics do).
			p.AgentAutoUpdateStatus, p.AutomationAccountArmID, p.AutomationAccountAuth = nil, nil, nil
		default:
			return nil, arm.InvalidProperty("properties.providerSpecificInput.instanceType",
				"'%s' is not supported; the emulator serves Azure-to-Azure mappings, instanceType \"A2A\" or \"%s\"", p.InstanceType, instanceGenericMappingInput)
		}
	}
	return &in, nil
}

// applyA2A copies the agent update settings given into the details.
func applyA2A(d *a2aContainerMappingOut, p *a2aMappingInput) error {
	d.InstanceType = instanceA2A
	if p == nil {
		return nil
	}
	if p.AgentAutoUpdateStatus != nil {
		switch *p.AgentAutoUpdateStatus {
		case "Enabled", "Disabled":
			d.AgentAutoUpdateStatus = *p.AgentAutoUpdateStatus
		default:
			return arm.InvalidProperty("properties.providerSpecificInput.agentAutoUpdateStatus", "'%s' is not allowed; use \"Enabled\" or \"Disabled\"", *p.AgentAutoUpdateStatus)
		}
	}
	if p.AutomationAccountArmID != nil {
		d.AutomationAccountArmID = *p.AutomationAccountArmID
	}
	if p.AutomationAccountAuth != nil {
		d.AutomationAccountAuth = *p.AutomationAccountAuth
	}
	return nil
}

func buildContainerMapping(tx *store.Tx, req *service.Request, at srPlace, cur *containerMapping) (*containerMapping, error) {
	in, err := decodeMappingInput(req)
	if err != nil {
		return nil, err
	}
	source, _, err := containerOf(tx, at.parentID)
	if err != nil || source == nil {
		return nil, service.NotFoundByID(at.parentID, err)
	}
	sourceFabricID, _ := service.SplitChildID(source.ID)
	policy, err := mappingPolicy(tx, at.vault, in.Properties.PolicyID)
	if err != nil {
		return nil, err
	}
	target, err := mappingTarget(tx, at.vault, sourceFabricID, in.Properties.TargetProtectionContainerID)
	if err != nil {
		return nil, err
	}
	if other, ok, err := containerMappingBetween(tx, source.ID, target.ID); err != nil {
		return nil, err
	} else if ok && !strings.EqualFold(other.ID, at.id) {
		return nil, arm.SiteRecoveryConflict("ProtectionContainerMappingAlreadyExists",
			"The protection container '%s' is already mapped to '%s' by the mapping '%s'. Use that mapping, or remove it first.",
			source.Name, target.ID, other.ID)
	}
	if cur != nil {
		if items, err := protectedItemsUsingMapping(tx, cur); err != nil {
			return nil, err
		} else if len(items) > 0 && !strings.EqualFold(cur.Properties.TargetProtectionContainerID, target.ID) {
			return nil, arm.ContainerMappingInUse(cur.Name, items)
		}
	}
	targetFabricID, _ := service.SplitChildID(target.ID)
	targetFabric, _, err := fabricOf(tx, targetFabricID)
	if err != nil || targetFabric == nil {
		return nil, service.NotFoundByID(targetFabricID, err)
	}
	m := &containerMapping{Properties: containerMappingProperties{
		TargetProtectionContainerID:           target.ID,
		TargetProtectionContainerFriendlyName: target.Properties.FriendlyName,
		PolicyID:                              policy.ID,
		PolicyFriendlyName:                    policy.Properties.FriendlyName,
		State:                                 srPaired,
		Health:                                srHealthNormal,
		HealthErrorDetails:                    []json.RawMessage{},
		SourceFabricFriendlyName:              source.Properties.FabricFriendlyName,
		SourceProtectionContainerFriendlyName: source.Properties.FriendlyName,
		TargetFabricFriendlyName:              targetFabric.Properties.FriendlyName,
	}}
	if cur != nil {
		m.Properties.ProviderSpecificDetails = cur.Properties.ProviderSpecificDetails
	}
	return m, applyA2A(&m.Properties.ProviderSpecificDetails, in.Properties.ProviderSpecificInput)
}

// mappingPolicy checks a mapping's policyId names a policy of the vault.
func mappingPolicy(r store.Reader, vault *vaultRecord, policyID string) (*replicationPolicy, error) {
	if policyID == "" {
		return nil, arm.InvalidProperty("properties.policyId", "required: the id of a replication policy of vault '%s'", vault.Name)
	}
	p, ok, err := policyOf(r, policyID)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(vaultIDOf(policyID), vault.ID) || !strings.Contains(strings.ToLower(policyID), "/"+strings.ToLower(policiesCollection)+"/") {
		return nil, arm.SiteRecoveryInvalidReference("PolicyNotFound", "properties.policyId",
			"the replication policy '%s' does not exist in vault '%s'; create it first (replicationPolicies)", policyID, vault.Name)
	}
	return p, nil
}

// mappingTarget checks a mapping's target is a container of the vault in
// another fabric than the source's.
func mappingTarget(r store.Reader, vault *vaultRecord, sourceFabricID, targetID string) (*protectionContainer, error) {
	if targetID == "" {
		return nil, arm.InvalidProperty("properties.targetProtectionContainerId", "required: the id of a protection container in the recovery fabric")
	}
	target, ok, err := containerOf(r, targetID)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(vaultIDOf(targetID), vault.ID) || !strings.EqualFold(target.Type, containerType) {
		return nil, arm.SiteRecoveryInvalidReference("ProtectionContainerNotFound", "properties.targetProtectionContainerId",
			"the protection container '%s' does not exist in vault '%s'; create it in the recovery fabric first", targetID, vault.Name)
	}
	if fabric, _ := service.SplitChildID(target.ID); strings.EqualFold(fabric, sourceFabricID) {
		return nil, arm.SiteRecoveryInvalidReference("InvalidTargetProtectionContainer", "properties.targetProtectionContainerId",
			"the target container '%s' is in the source container's own fabric; map to a container of the recovery region's fabric", target.ID)
	}
	return target, nil
}

// updateContainerMapping applies UpdateProtectionContainerMappingInput: the
// A2A agent update settings.
func updateContainerMapping(_ *store.Tx, req *service.Request, _ srPlace, cur *containerMapping) error {
	in, err := decodeMappingInput(req)
	if err != nil {
		return err
	}
	return applyA2A(&cur.Properties.ProviderSpecificDetails, in.Properties.ProviderSpecificInput)
}

// viewContainerMapping refreshes the policy's friendly name (the policy
// may have been recreated) and the list invariants.
func viewContainerMapping(r store.Reader, m *containerMapping) {
	if p, ok, _ := policyOf(r, m.Properties.PolicyID); ok {
		m.Properties.PolicyFriendlyName = p.Properties.FriendlyName
	}
	if m.Properties.HealthErrorDetails == nil {
		m.Properties.HealthErrorDetails = []json.RawMessage{}
	}
}

func mappingInUse(r store.Reader, m *containerMapping) error {
	items, err := protectedItemsUsingMapping(r, m)
	if err != nil {
		return err
	}
	if len(items) > 0 {
		return arm.ContainerMappingInUse(m.Name, items)
	}
	return nil
}
