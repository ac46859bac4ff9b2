package siterecovery

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Enable protection (PUT) and update (PATCH) of a protected item: the input
// shapes and their validation.

// enableProtectionInput is EnableProtectionInput with A2A details.
type enableProtectionInput struct {
	Properties *struct {
		PolicyID                *string         `json:"policyId"`
		ProtectableItemID       *string         `json:"protectableItemId"`
		ProviderSpecificDetails *a2aEnableInput `json:"providerSpecificDetails"`
	} `json:"properties"`
}

type a2aEnableInput struct {
	InstanceType             string             `json:"instanceType"`
	FabricObjectID           string             `json:"fabricObjectId"`
	RecoveryContainerID      string             `json:"recoveryContainerId"`
	RecoveryResourceGroupID  string             `json:"recoveryResourceGroupId"`
	RecoveryAzureNetworkID   string             `json:"recoveryAzureNetworkId"`
	RecoverySubnetName       string             `json:"recoverySubnetName"`
	RecoveryAvailabilityZone string             `json:"recoveryAvailabilityZone"`
	MultiVMGroupName         string             `json:"multiVmGroupName"`
	MultiVMGroupID           string             `json:"multiVmGroupId"`
	VMManagedDisks           []a2aManagedDiskIn `json:"vmManagedDisks"`
}

type a2aManagedDiskIn struct {
	DiskID                              string `json:"diskId"`
	PrimaryStagingAzureStorageAccountID string `json:"primaryStagingAzureStorageAccountId"`
	RecoveryResourceGroupID             string `json:"recoveryResourceGroupId"`
	RecoveryReplicaDiskAccountType      string `json:"recoveryReplicaDiskAccountType"`
	RecoveryTargetDiskAccountType       string `json:"recoveryTargetDiskAccountType"`
}

const (
	a2aPath  = "properties.providerSpecificDetails"
	zoneRule = "an availability zone is \"1\", \"2\" or \"3\""
)

func (t *protectedItems) put(req *service.Request) (arm.Response, error) {
	var in enableProtectionInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	name := req.Param("replicatedProtectedItemName")
	if !itemNameRule.MatchString(name) {
		return arm.Response{}, arm.InvalidResourceName(name, protectedItemType, "it must be 1 to 260 letters, digits, hyphens, underscores and periods, starting with a letter or digit")
	}
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		loc, err := t.locate(tx, req, true)
		if err != nil {
			return err
		}
		if _, exists := tx.Get(loc.id); exists {
			return arm.SiteRecoveryConflict("ReplicationProtectedItemAlreadyExists",
				"The replication protected item '%s' already exists in protection container '%s'. Disable protection (POST .../remove) before enabling it again.",
				name, loc.container.Name)
		}
		it, err := t.s.buildItem(tx, loc, name, &in)
		if err != nil {
			return err
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: kindItemEnable, ResourceID: it.ID, Location: it.Properties.PrimaryLocation,
			Method: http.MethodPut, APIVersion: req.APIVersion, Duration: itemEnableDuration})
		if err != nil {
			return err
		}
		now := op.StartTime
		it.Properties.Timeline = itemTimeline{CreatedAt: now, EnabledAt: op.DueTime, ProtectedAt: op.DueTime.Add(itemInitialReplication),
			LagSeconds: replication.DefaultLag.Seconds()}
		if err := service.PutJSON(tx, it.ID, it); err != nil {
			return err
		}
		resp = t.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}

// itemNameRule: Site Recovery names are free-form but must fit a path
// segment.
var itemNameRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$`)

// buildItem validates an enable protection input against the estate and the
// vault's configuration and returns the record to store (timeline unset).
func (s *Service) buildItem(tx *store.Tx, loc *itemLocation, name string, in *enableProtectionInput) (*protectedItemRecord, error) {
	if in.Properties == nil {
		return nil, arm.InvalidProperty("properties", "the enable protection input needs properties")
	}
	p := in.Properties
	if p.PolicyID == nil || strings.TrimSpace(*p.PolicyID) == "" {
		return nil, arm.InvalidProperty("properties.policyId", "the replication policy id is required")
	}
	a2a := p.ProviderSpecificDetails
	if a2a == nil {
		return nil, arm.InvalidProperty(a2aPath, "the A2A provider-specific details are required")
	}
	if a2a.InstanceType != instanceA2A {
		return nil, arm.InvalidProperty(a2aPath+".instanceType", "'%s' is not supported: the emulator replicates Azure VMs to Azure (A2A) only", a2a.InstanceType)
	}

	// The VM, in the primary fabric's region.
	if a2a.FabricObjectID == "" {
		return nil, arm.InvalidProperty(a2aPath+".fabricObjectId", "the id of the virtual machine to protect is required")
	}
	vm, ok, err := service.GetJSON[compute.VM](tx, a2a.FabricObjectID)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(vm.Type, compute.VMType) {
		return nil, arm.NotFound("ResourceNotFound",
			"%s.fabricObjectId: the virtual machine '%s' was not found. Give the ARM id of an existing virtual machine.", a2aPath, a2a.FabricObjectID)
	}
	primaryLocation := loc.fabric.Properties.CustomDetails.Location
	if vm.Location != primaryLocation {
		return nil, arm.SiteRecoveryInvalidReference("VmNotInPrimaryFabricRegion", a2aPath+".fabricObjectId",
			"the virtual machine '%s' is in %s, but fabric '%s' is in %s: protect it through the fabric of its own region",
			vm.Name, vm.Location, loc.fabric.Name, primaryLocation)
	}
	if others, err := itemsProtectingVM(tx, loc.vault.ID, vm.ID); err != nil {
		return nil, err
	} else if len(others) > 0 {
		return nil, arm.SiteRecoveryConflict("VmAlreadyProtected",
			"The virtual machine '%s' is already protected in vault '%s' by replication protected item '%s'. A virtual machine can be protected only once per vault.",
			vm.Name, loc.vault.Name, others[0].ID)
	}

	// The recovery container, mapped from this container under the policy.
	if a2a.RecoveryContainerID == "" {
		return nil, arm.InvalidProperty(a2aPath+".recoveryContainerId", "the recovery protection container id is required")
	}
	rc, ok, err := containerOf(tx, a2a.RecoveryContainerID)
	if err != nil {
		return nil, err
	}
	if !ok || !strings.EqualFold(vaultIDOf(rc.ID), loc.vault.ID) {
		return nil, arm.SiteRecoveryInvalidReference("ProtectionContainerNotFound", a2aPath+".recoveryContainerId",
			"the protection container '%s' was not found in vault '%s'", a2a.RecoveryContainerID, loc.vault.Name)
	}
	mapping, ok, err := containerMappingBetween(tx, loc.container.ID, rc.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.SiteRecoveryInvalidReference("ProtectionContainerMappingNotFound", a2aPath+".recoveryContainerId",
			"protection container '%s' is not mapped to '%s': create a replicationProtectionContainerMappings from the primary container to the recovery container first",
			loc.container.Name, rc.Name)
	}
	if !strings.EqualFold(mapping.Properties.PolicyID, *p.PolicyID) {
		return nil, arm.SiteRecoveryInvalidReference("PolicyNotAssociatedWithContainerMapping", "properties.policyId",
			"the container mapping '%s' from '%s' to '%s' uses policy '%s', not '%s'",
			mapping.Name, loc.container.Name, rc.Name, mapping.Properties.PolicyID, *p.PolicyID)
	}
	policy, ok, err := policyOf(tx, *p.PolicyID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.SiteRecoveryInvalidReference("PolicyNotFound", "properties.policyId", "the replication policy '%s' was not found", *p.PolicyID)
	}
	recoveryFabricID, _ := service.SplitChildID(rc.ID)
	recoveryLocation, ok, err := fabricLocation(tx, recoveryFabricID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.SiteRecoveryInvalidReference("FabricNotFound", a2aPath+".recoveryContainerId", "the fabric of container '%s' was not found", rc.ID)
	}

	// Where the VM comes up on failover.
	rgID, err := requireRecoveryGroup(tx, a2a.RecoveryResourceGroupID, a2aPath+".recoveryResourceGroupId")
	if err != nil {
		return nil, err
	}
	nics, err := vmNICs(tx, vm)
	if err != nil {
		return nil, err
	}
	preferred := ""
	if len(nics) > 0 {
		preferred = nics[0].PrimarySubnetName
	}
	networkID := a2a.RecoveryAzureNetworkID
	if networkID == "" {
		// Azure takes the recovery network the vault maps the VM's
		// network to.
		if networkID, err = mappedRecoveryNetwork(tx, loc.vault.ID, nics, recoveryFabricID, vm.Name); err != nil {
			return nil, err
		}
	}
	network, subnet, err := recoveryNetwork(tx, networkID, a2a.RecoverySubnetName, preferred, recoveryLocation,
		a2aPath+".recoveryAzureNetworkId", a2aPath+".recoverySubnetName")
	if err != nil {
		return nil, err
	}
	for i := range nics {
		nics[i].RecoverySubnetName = subnet
	}
	if z := a2a.RecoveryAvailabilityZone; z != "" && z != "1" && z != "2" && z != "3" {
		return nil, arm.InvalidProperty(a2aPath+".recoveryAvailabilityZone", "'%s' is not valid: %s", z, zoneRule)
	}

	groupID := ""
	if g := strings.TrimSpace(a2a.MultiVMGroupName); g != "" {
		groupID = a2a.MultiVMGroupID
		if groupID == "" {
			groupID = stableGUID(loc.vault.ID + "/multiVmGroups/" + g)
		}
	}
	primaryZone := ""
	if len(vm.Zones) > 0 {
		primaryZone = vm.Zones[0]
	}
	size := ""
	if vm.Properties.HardwareProfile != nil {
		size = vm.Properties.HardwareProfile.VMSize
	}
	disks, err := protectedDisks(tx, vm, a2a.VMManagedDisks, size)
	if err != nil {
		return nil, err
	}
	return &protectedItemRecord{
		ID:   loc.id,
		Name: name,
		Type: protectedItemType,
		Properties: protectedItemStored{
			Phase:               phaseEnabling,
			PolicyID:            policy.ID,
			RecoveryContainerID: rc.ID,
			PrimaryFabricID:     loc.fabric.ID,
			PrimaryContainerID:  loc.container.ID,
			RecoveryFabricID:    recoveryFabricID,
			PrimaryLocation:     primaryLocation,
			RecoveryLocation:    recoveryLocation,
			VMID:                vm.ID,
			VMName:              vm.Name,
			PrimaryZone:         primaryZone,
			Recovery: itemRecoverySettings{ResourceGroupID: rgID, NetworkID: network, SubnetName: subnet,
				AvailabilityZone: a2a.RecoveryAvailabilityZone, VMName: vm.Name, VMSize: size},
			MultiVMGroupName: strings.TrimSpace(a2a.MultiVMGroupName),
			MultiVMGroupID:   groupID,
			NICs:             nics,
			Disks:            disks,
			Policy:           policy.Properties.ProviderSpecificDetails,
			Failover:         itemFailoverState{ActiveLocation: "Primary", Scenario: "None", TestFailoverState: "None"},
		},
	}, nil
}

// requireRecoveryGroup checks a recovery resource group id names an
// existing group and returns its id as stored.
func requireRecoveryGroup(r store.Reader, id, property string) (string, error) {
	if id == "" {
		return "", arm.InvalidProperty(property, "the recovery resource group id is required")
	}
	sub, name, ok := arm.SplitGroupID(id)
	if !ok {
		return "", arm.InvalidProperty(property, "'%s' is not a resource group id (/subscriptions/{id}/resourceGroups/{name})", id)
	}
	rg, found, err := resources.GetGroup(r, sub, name)
	if err != nil {
		return "", err
	}
	if !found {
		return "", arm.SiteRecoveryInvalidReference("RecoveryResourceGroupNotFound", property,
			"the resource group '%s' does not exist: create it in the recovery region first", id)
	}
	return rg.ID, nil
}

// recoveryNetwork checks the recovery virtual network (in the recovery
// region) and picks its subnet: subnetName when given (it must exist), else
// preferred when the network has it, else the first subnet.
func recoveryNetwork(r store.Reader, networkID, subnetName, preferred, recoveryLocation, networkProp, subnetProp string) (string, string, error) {
	if networkID == "" {
		return "", "", arm.InvalidProperty(networkProp, "the recovery virtual network id is required")
	}
	vnet, ok, err := network.GetVNet(r, networkID)
	if err != nil {
		return "", "", err
	}
	if !ok || !strings.EqualFold(vnet.Type, "Microsoft.Network/virtualNetworks") {
		return "", "", arm.SiteRecoveryInvalidReference("RecoveryNetworkNotFound", networkProp,
			"the virtual network '%s' was not found", networkID)
	}
	if vnet.Location != recoveryLocation {
		return "", "", arm.SiteRecoveryInvalidReference("RecoveryNetworkNotInRecoveryRegion", networkProp,
			"the virtual network '%s' is in %s, but the recovery region is %s", vnet.Name, vnet.Location, recoveryLocation)
	}
	var names []string
	for _, sn := range vnet.Properties.Subnets {
		names = append(names, sn.Name)
	}
	pick := func(want string) string {
		for _, n := range names {
			if strings.EqualFold(n, want) {
				return n
			}
		}
		return ""
	}
	if subnetName != "" {
		if n := pick(subnetName); n != "" {
			return vnet.ID, n, nil
		}
		return "", "", arm.SiteRecoveryInvalidReference("RecoverySubnetNotFound", subnetProp,
			"the virtual network '%s' has no subnet '%s' (its subnets: %s)", vnet.Name, subnetName, strings.Join(names, ", "))
	}
	if n := pick(preferred); n != "" {
		return vnet.ID, n, nil
	}
	if len(names) == 0 {
		return "", "", arm.SiteRecoveryInvalidReference("RecoverySubnetNotFound", networkProp,
			"the virtual network '%s' has no subnet for the recovery VM", vnet.Name)
	}
	return vnet.ID, names[0], nil
}

// mappedRecoveryNetwork is the recovery network of the vault's network
// mapping from the VM's (first NIC's) network into the recovery fabric.
func mappedRecoveryNetwork(r store.Reader, vaultID string, nics []itemNIC, recoveryFabricID, vmName string) (string, error) {
	const prop = a2aPath + ".recoveryAzureNetworkId"
	if len(nics) == 0 || nics[0].PrimaryNetworkID == "" {
		return "", arm.InvalidProperty(prop, "the virtual machine '%s' has no network to map: give the recovery virtual network id", vmName)
	}
	source := nics[0].PrimaryNetworkID
	maps, err := objectsOfType[networkMappingProperties](r, vaultID, fabricsCollection, networksCollection, networkMappingsCollection)
	if err != nil {
		return "", err
	}
	for _, m := range maps {
		if strings.EqualFold(m.Properties.PrimaryNetworkID, source) && strings.EqualFold(m.Properties.RecoveryFabricArmID, recoveryFabricID) {
			return m.Properties.RecoveryNetworkID, nil
		}
	}
	return "", arm.SiteRecoveryInvalidReference("NetworkMappingNotFound", prop,
		"no recovery virtual network was given and the network '%s' of virtual machine '%s' has no network mapping into the recovery fabric: create a replicationNetworkMappings for it, or give recoveryAzureNetworkId",
		source, vmName)
}

// vmNICs describes the VM's NICs (primary IP configuration: network, subnet,
// address) for vmNics.
func vmNICs(r store.Reader, vm *compute.VM) ([]itemNIC, error) {
	if vm.Properties.NetworkProfile == nil {
		return []itemNIC{}, nil
	}
	out := []itemNIC{}
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		n := itemNIC{NICID: ref.ID}
		nic, ok, err := service.GetJSON[compute.NIC](r, ref.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			n.NICID = nic.ID
			for _, c := range nic.Properties.IPConfigurations {
				n.IPConfigNames = append(n.IPConfigNames, c.Name)
				if !c.Properties.Primary {
					continue
				}
				n.IPConfigName, n.PrivateIP = c.Name, c.Properties.PrivateIPAddress
				if c.Properties.Subnet != nil {
					n.PrimaryNetworkID, n.PrimarySubnetName = service.SplitChildID(c.Properties.Subnet.ID)
				}
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// stableGUID is a GUID-shaped name derived from s (the same s, the same
// GUID).
func stableGUID(s string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(s)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
