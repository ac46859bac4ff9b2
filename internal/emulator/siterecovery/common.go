package siterecovery

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Microsoft.RecoveryServices: the vault (armrecoveryservices v1.6.0,
// api-version 2023-04-01) and the Site Recovery configuration objects under it
// (armrecoveryservicessiterecovery/v2 v2.2.0, api-version 2023-06-01).
//
// Every object is one record in the store under its id, whose GET body it is
// (with derived fields filled on read). The id keeps the case of creation;
// the store matches keys without case. The hierarchy is the id's:
//
//	{v} = /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}
//	{v}/replicationPolicies/{policy}
//	{v}/replicationFabrics/{fabric}
//	{v}/replicationFabrics/{fabric}/replicationProtectionContainers/{pc}
//	    .../{pc}/replicationProtectionContainerMappings/{mapping}
//	    .../{pc}/replicationProtectedItems/{item}   (items*.go)
//	{v}/replicationFabrics/{fabric}/replicationNetworks/{net}/replicationNetworkMappings/{mapping}
//
// so removing an object removes everything under its id, and a resource
// group deletion takes the vault and all of it.
//
// This file is also the internal API other Site Recovery code (protected
// items, recovery points, the replication model) builds on: requireVault,
// policyOf, containerMappingBetween, fabricLocation, containerOf, fabricOf,
// protectedItemsUnder and protectedItemsUsingMapping. Keep their signatures
// stable.

const (
	recoveryServicesNamespace = "Microsoft.RecoveryServices"

	vaultType            = "Microsoft.RecoveryServices/vaults"
	fabricType           = vaultType + "/replicationFabrics"
	containerType        = fabricType + "/replicationProtectionContainers"
	containerMappingType = containerType + "/replicationProtectionContainerMappings"
	policyType           = vaultType + "/replicationPolicies"
	networkMappingType   = fabricType + "/replicationNetworks/replicationNetworkMappings"

	// Collection segments of ids.
	fabricsCollection         = "replicationFabrics"
	containersCollection      = "replicationProtectionContainers"
	containerMappingsColl     = "replicationProtectionContainerMappings"
	policiesCollection        = "replicationPolicies"
	networksCollection        = "replicationNetworks"
	networkMappingsCollection = "replicationNetworkMappings"
	protectedItemsCollection  = "replicationProtectedItems"

	// vaultPath is {v} as a route pattern. The vaults client calls the name
	// vaultName, the Site Recovery clients resourceName; one capture serves
	// both.
	vaultPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{resourceName}"

	// Site Recovery's vocabulary for the derived fields.
	srHealthNormal  = "Normal"
	srPaired        = "Paired"
	srNotPaired     = "NotPaired"
	instanceA2A     = "A2A"
	instanceAzure   = "Azure"
	instanceAzToAz  = "AzureToAzure"
	multiVMEnable   = "Enable"
	multiVMDisable  = "Disable"
	srWriteDuration = time.Minute // fabric, container, mappings: about a minute in Azure
)

// srResource is the envelope every Site Recovery object shares: the GET
// body, with P the type's properties.
type srResource[P any] struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Location   string `json:"location,omitempty"`
	Properties P      `json:"properties"`
}

// replicationPolicy is a stored policy. Only A2A policies exist here.
type replicationPolicy = srResource[policyProperties]

type policyProperties struct {
	FriendlyName            string           `json:"friendlyName"`
	ProviderSpecificDetails a2aPolicyDetails `json:"providerSpecificDetails"`
}

// a2aPolicyDetails is the A2A policy as GET shows it. Minutes throughout;
// zero app-consistent frequency means no app-consistent snapshots.
type a2aPolicyDetails struct {
	InstanceType                      string `json:"instanceType"`
	RecoveryPointHistory              int32  `json:"recoveryPointHistory"`
	AppConsistentFrequencyInMinutes   int32  `json:"appConsistentFrequencyInMinutes"`
	CrashConsistentFrequencyInMinutes int32  `json:"crashConsistentFrequencyInMinutes"`
	MultiVMSyncStatus                 string `json:"multiVmSyncStatus"`
	RecoveryPointThresholdInMinutes   int32  `json:"recoveryPointThresholdInMinutes"`
}

// replicationFabric is a stored fabric (an Azure region, for A2A).
type replicationFabric = srResource[fabricProperties]

type fabricProperties struct {
	FriendlyName       string             `json:"friendlyName"`
	CustomDetails      azureFabricDetails `json:"customDetails"`
	Health             string             `json:"health"`
	HealthErrorDetails []json.RawMessage  `json:"healthErrorDetails"`
	InternalIdentifier string             `json:"internalIdentifier"`
	BcdrState          string             `json:"bcdrState"`
	EncryptionDetails  *encryptionDetails `json:"encryptionDetails,omitempty"`
	Rollover           *encryptionDetails `json:"rolloverEncryptionDetails,omitempty"`
}

type azureFabricDetails struct {
	InstanceType string `json:"instanceType"`
	Location     string `json:"location"`
	// ContainerIDs is derived on read from the fabric's containers.
	ContainerIDs []string `json:"containerIds"`
}

type encryptionDetails struct {
	KekState string `json:"kekState"`
}

// protectionContainer is a stored protection container.
type protectionContainer = srResource[containerProperties]

type containerProperties struct {
	FriendlyName          string           `json:"friendlyName"`
	FabricFriendlyName    string           `json:"fabricFriendlyName"`
	FabricType            string           `json:"fabricType"`
	FabricSpecificDetails instanceTypeOnly `json:"fabricSpecificDetails"`
	Role                  string           `json:"role"`
	// ProtectedItemCount and PairingStatus are derived on read.
	ProtectedItemCount int32  `json:"protectedItemCount"`
	PairingStatus      string `json:"pairingStatus"`
}

type instanceTypeOnly struct {
	InstanceType string `json:"instanceType"`
}

// containerMapping is a stored protection container mapping (a pairing of a
// source container with a target container under a policy).
type containerMapping = srResource[containerMappingProperties]

type containerMappingProperties struct {
	TargetProtectionContainerID           string                 `json:"targetProtectionContainerId"`
	TargetProtectionContainerFriendlyName string                 `json:"targetProtectionContainerFriendlyName"`
	PolicyID                              string                 `json:"policyId"`
	PolicyFriendlyName                    string                 `json:"policyFriendlyName"`
	State                                 string                 `json:"state"`
	Health                                string                 `json:"health"`
	HealthErrorDetails                    []json.RawMessage      `json:"healthErrorDetails"`
	SourceFabricFriendlyName              string                 `json:"sourceFabricFriendlyName"`
	SourceProtectionContainerFriendlyName string                 `json:"sourceProtectionContainerFriendlyName"`
	TargetFabricFriendlyName              string                 `json:"targetFabricFriendlyName"`
	ProviderSpecificDetails               a2aContainerMappingOut `json:"providerSpecificDetails"`
}

type a2aContainerMappingOut struct {
	InstanceType           string `json:"instanceType"`
	AgentAutoUpdateStatus  string `json:"agentAutoUpdateStatus,omitempty"`
	AutomationAccountArmID string `json:"automationAccountArmId,omitempty"`
	AutomationAccountAuth  string `json:"automationAccountAuthenticationType,omitempty"`
}

// networkMapping is a stored network mapping (primary vNet -> recovery vNet).
type networkMapping = srResource[networkMappingProperties]

type networkMappingProperties struct {
	State                       string                 `json:"state"`
	PrimaryNetworkFriendlyName  string                 `json:"primaryNetworkFriendlyName"`
	PrimaryNetworkID            string                 `json:"primaryNetworkId"`
	PrimaryFabricFriendlyName   string                 `json:"primaryFabricFriendlyName"`
	RecoveryNetworkFriendlyName string                 `json:"recoveryNetworkFriendlyName"`
	RecoveryNetworkID           string                 `json:"recoveryNetworkId"`
	RecoveryFabricArmID         string                 `json:"recoveryFabricArmId"`
	RecoveryFabricFriendlyName  string                 `json:"recoveryFabricFriendlyName"`
	FabricSpecificSettings      azureToAzureNetMapping `json:"fabricSpecificSettings"`
}

type azureToAzureNetMapping struct {
	InstanceType           string `json:"instanceType"`
	PrimaryFabricLocation  string `json:"primaryFabricLocation"`
	RecoveryFabricLocation string `json:"recoveryFabricLocation"`
}

// ---- ids ----

// vaultIDIn is the id of the vault name in group rg (the group's case).
func vaultIDIn(rg *resources.Group, name string) string {
	return rg.ID + "/providers/" + vaultType + "/" + name
}

// vaultIDOf returns the {v} prefix of any id under a vault ("" if none).
func vaultIDOf(id string) string {
	lower := strings.ToLower(id)
	marker := strings.ToLower("/providers/" + vaultType + "/")
	i := strings.Index(lower, marker)
	if i < 0 {
		return ""
	}
	rest := id[i+len(marker):]
	if j := strings.Index(rest, "/"); j >= 0 {
		rest = rest[:j]
	}
	return id[:i+len(marker)] + rest
}

// directChildren returns the keys of the records directly in collection
// under parentID (not their descendants).
func directChildren(r store.Reader, parentID, collection string) []store.Entry {
	prefix := store.Key(parentID + "/" + collection + "/")
	var out []store.Entry
	for _, e := range r.List(prefix) {
		if !strings.Contains(e.Key[len(prefix):], "/") {
			out = append(out, e)
		}
	}
	return out
}

// recordsMatching returns the records under prefix whose id, relative to
// prefix, is {collections[0]}/{name}/{collections[1]}/{name}/...: all the
// objects of one type below a vault, a fabric or a container.
func recordsMatching(r store.Reader, prefix string, collections ...string) []store.Entry {
	p := store.Key(prefix + "/")
	var out []store.Entry
	for _, e := range r.List(p) {
		segs := strings.Split(e.Key[len(p):], "/")
		if len(segs) != 2*len(collections) {
			continue
		}
		ok := true
		for i, c := range collections {
			if segs[2*i] != strings.ToLower(c) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// decodeAll decodes entries into records of type T.
func decodeAll[T any](entries []store.Entry) ([]*T, error) {
	out := make([]*T, 0, len(entries))
	for _, e := range entries {
		v := new(T)
		if err := json.Unmarshal(e.Value, v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ---- the internal API ----

// requireVault returns the vault a request's {v} prefix names (route params
// subscriptionId, resourceGroupName, resourceName), or ARM's 404s for the
// group and the vault. writable also refuses a group being deleted.
func (s *Service) requireVault(r store.Reader, req *service.Request, writable bool) (*vaultRecord, error) {
	rg, err := resources.FindGroup(r, req)
	if err == nil && writable {
		err = resources.CheckGroupWritable(s.Ops, r, rg)
	}
	if err != nil {
		return nil, err
	}
	name := req.Param("resourceName")
	v, ok, err := service.GetJSON[vaultRecord](r, vaultIDIn(rg, name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(vaultType, name, rg.Name)
	}
	return v, nil
}

// policyOf returns the policy stored under policyID (any case) with its A2A
// settings in Properties.ProviderSpecificDetails.
func policyOf(r store.Reader, policyID string) (*replicationPolicy, bool, error) {
	return service.GetJSON[replicationPolicy](r, policyID)
}

// fabricOf returns the fabric stored under fabricID.
func fabricOf(r store.Reader, fabricID string) (*replicationFabric, bool, error) {
	return service.GetJSON[replicationFabric](r, fabricID)
}

// containerOf returns the protection container stored under containerID.
func containerOf(r store.Reader, containerID string) (*protectionContainer, bool, error) {
	return service.GetJSON[protectionContainer](r, containerID)
}

// fabricLocation is the Azure region of the fabric fabricID (its
// customDetails.location), e.g. "eastus2".
func fabricLocation(r store.Reader, fabricID string) (string, bool, error) {
	f, ok, err := fabricOf(r, fabricID)
	if !ok {
		return "", false, err
	}
	return f.Properties.CustomDetails.Location, true, nil
}

// containerMappingBetween returns the mapping from sourceContainerID to
// targetContainerID (ids compare without case); its Properties.PolicyID is
// the policy protected items replicating that way follow.
func containerMappingBetween(r store.Reader, sourceContainerID, targetContainerID string) (*containerMapping, bool, error) {
	all, err := decodeAll[containerMapping](directChildren(r, sourceContainerID, containerMappingsColl))
	if err != nil {
		return nil, false, err
	}
	for _, m := range all {
		if strings.EqualFold(m.Properties.TargetProtectionContainerID, targetContainerID) {
			return m, true, nil
		}
	}
	return nil, false, nil
}

// protectedItemsUnder returns the ids (lower-cased store keys) of the
// protected items stored anywhere under prefix: a vault, a fabric or a
// container id. Items are records at
// .../replicationProtectionContainers/{pc}/replicationProtectedItems/{item};
// records below an item (recovery points) are not items.
func protectedItemsUnder(r store.Reader, prefix string) []string {
	marker := "/" + strings.ToLower(protectedItemsCollection) + "/"
	var out []string
	for _, e := range r.List(store.Key(prefix + "/")) {
		i := strings.LastIndex(e.Key, marker)
		if i >= 0 && !strings.Contains(e.Key[i+len(marker):], "/") {
			out = append(out, e.Key)
		}
	}
	return out
}

// protectedItemsUsingMapping returns the ids of the protected items that
// replicate through m: items in m's source container whose
// properties.recoveryContainerId is m's target container, or is not set
// yet (an item being enabled counts as using the container's mapping).
func protectedItemsUsingMapping(r store.Reader, m *containerMapping) ([]string, error) {
	source, _ := service.SplitChildID(m.ID)
	var out []string
	for _, e := range directChildren(r, source, protectedItemsCollection) {
		var item struct {
			Properties struct {
				RecoveryContainerID string `json:"recoveryContainerId"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(e.Value, &item); err != nil {
			return nil, err
		}
		if rc := item.Properties.RecoveryContainerID; rc == "" || strings.EqualFold(rc, m.Properties.TargetProtectionContainerID) {
			out = append(out, e.Key)
		}
	}
	return out, nil
}
