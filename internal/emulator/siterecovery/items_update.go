package siterecovery

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Updating a protected item (PATCH): its recovery VM's name, size and
// network, and its NICs' recovery subnets.

// updateItemInput is UpdateReplicationProtectedItemInput. vmNics take the
// recovery subnet per IP configuration (ipConfigs[].recoverySubnetName, the
// 2023-06-01 shape) or per NIC (recoveryVMSubnetName, older API versions).
type updateItemInput struct {
	Properties *struct {
		RecoveryAzureVMName            *string `json:"recoveryAzureVMName"`
		RecoveryAzureVMSize            *string `json:"recoveryAzureVMSize"`
		SelectedRecoveryAzureNetworkID *string `json:"selectedRecoveryAzureNetworkId"`
		VMNics                         []struct {
			NICID                *string         `json:"nicId"`
			RecoveryVMSubnetName *string         `json:"recoveryVMSubnetName"`
			IPConfigs            []ipConfigInput `json:"ipConfigs"`
		} `json:"vmNics"`
		ProviderSpecificDetails *struct {
			InstanceType            string  `json:"instanceType"`
			RecoveryResourceGroupID *string `json:"recoveryResourceGroupId"`
		} `json:"providerSpecificDetails"`
	} `json:"properties"`
}

var vmSizeRule = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{1,63}$`)

// patch is PATCH {item}: new recovery settings, applied at once; the update
// job then runs for a while (the item answers 409 to other operations).
func (t *protectedItems) patch(req *service.Request) (arm.Response, error) {
	var in updateItemInput
	if err := req.Decode(&in); err != nil {
		return arm.Response{}, err
	}
	if in.Properties == nil {
		return arm.Response{}, arm.InvalidProperty("properties", "the update input needs properties")
	}
	p := in.Properties
	var resp arm.Response
	err := t.s.Store.Update(func(tx *store.Tx) error {
		_, it, err := t.findItem(tx, req, true)
		if err != nil {
			return err
		}
		st := &it.Properties
		if st.Phase == phaseDisabling {
			return arm.SiteRecoveryConflict("ProtectionBeingDisabled", "Protection of '%s' is being disabled: it cannot be updated.", st.VMName)
		}
		// Another provider's input is refused for its instance type before
		// any of its settings is judged.
		if d := p.ProviderSpecificDetails; d != nil && d.InstanceType != "" && d.InstanceType != instanceA2A {
			return arm.InvalidProperty("properties.providerSpecificDetails.instanceType", "'%s' is not supported: the item replicates with A2A", d.InstanceType)
		}
		rec := st.Recovery
		if p.RecoveryAzureVMName != nil {
			if err := compute.ValidateVMName(*p.RecoveryAzureVMName); err != nil {
				return arm.InvalidProperty("properties.recoveryAzureVMName", "%s", arm.AsError(err).Message)
			}
			rec.VMName = *p.RecoveryAzureVMName
		}
		if p.RecoveryAzureVMSize != nil {
			if !vmSizeRule.MatchString(*p.RecoveryAzureVMSize) {
				return arm.InvalidProperty("properties.recoveryAzureVMSize", "'%s' is not a virtual machine size (e.g. Standard_D2s_v3)", *p.RecoveryAzureVMSize)
			}
			rec.VMSize = *p.RecoveryAzureVMSize
			// The disks' target types must suit the new size.
			for _, d := range st.Disks {
				if err := checkPremiumSupport(rec.VMSize, d.TargetDiskAccountType, "properties.recoveryAzureVMSize"); err != nil {
					return err
				}
			}
		}
		if d := p.ProviderSpecificDetails; d != nil {
			if d.RecoveryResourceGroupID != nil {
				if rec.ResourceGroupID, err = requireRecoveryGroup(tx, *d.RecoveryResourceGroupID, "properties.providerSpecificDetails.recoveryResourceGroupId"); err != nil {
					return err
				}
			}
		}
		// The network, then each NIC's subnet in it.
		nics := append([]itemNIC(nil), st.NICs...)
		subnetOf := map[string]string{}
		for i, n := range p.VMNics {
			prop := "properties.vmNics[" + strconv.Itoa(i) + "]"
			if n.NICID == nil {
				return arm.InvalidProperty(prop+".nicId", "the NIC id is required")
			}
			found := false
			for _, own := range nics {
				found = found || strings.EqualFold(own.NICID, *n.NICID)
			}
			if !found {
				return arm.SiteRecoveryInvalidReference("NicNotFound", prop+".nicId", "'%s' is not a NIC of the protected virtual machine '%s'", *n.NICID, st.VMName)
			}
			want := ""
			if n.RecoveryVMSubnetName != nil {
				want = *n.RecoveryVMSubnetName
			}
			for j := range nics {
				if !strings.EqualFold(nics[j].NICID, *n.NICID) {
					continue
				}
				if err := applyIPConfigs(tx, &nics[j], n.IPConfigs, prop+".ipConfigs", st.RecoveryLocation); err != nil {
					return err
				}
			}
			for _, c := range n.IPConfigs {
				if c.RecoverySubnetName != nil && *c.RecoverySubnetName != "" {
					want = *c.RecoverySubnetName
				}
			}
			if want != "" {
				subnetOf[strings.ToLower(*n.NICID)] = want
			}
		}
		network := rec.NetworkID
		if p.SelectedRecoveryAzureNetworkID != nil {
			network = *p.SelectedRecoveryAzureNetworkID
		}
		for i := range nics {
			want, given := subnetOf[strings.ToLower(nics[i].NICID)]
			if !given {
				want = nics[i].RecoverySubnetName
			}
			prop := "properties.vmNics[].recoveryVMSubnetName"
			if !given && !strings.EqualFold(network, rec.NetworkID) {
				// Keep the subnet if the new network has one of that name.
				prop = "properties.selectedRecoveryAzureNetworkId"
			}
			id, subnet, err := recoveryNetwork(tx, network, want, "", st.RecoveryLocation, "properties.selectedRecoveryAzureNetworkId", prop)
			if err != nil {
				return err
			}
			network, nics[i].RecoverySubnetName = id, subnet
		}
		if len(nics) == 0 && p.SelectedRecoveryAzureNetworkID != nil {
			if network, rec.SubnetName, err = recoveryNetwork(tx, network, "", rec.SubnetName, st.RecoveryLocation,
				"properties.selectedRecoveryAzureNetworkId", "properties.selectedRecoveryAzureNetworkId"); err != nil {
				return err
			}
		}
		rec.NetworkID = network
		if len(nics) > 0 {
			rec.SubnetName = nics[0].RecoverySubnetName
		}
		op, err := t.s.Ops.Start(tx, lro.Spec{Kind: kindItemUpdate, ResourceID: it.ID, Location: st.PrimaryLocation,
			Method: http.MethodPatch, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		st.Recovery, st.NICs = rec, nics
		if err := service.PutJSON(tx, it.ID, it); err != nil {
			return err
		}
		resp = t.s.Ops.Accepted(req.Base, op)
		return nil
	})
	return resp, err
}
