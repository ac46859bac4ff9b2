package siterecovery

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The IP configuration settings of an item update (vmNics[].ipConfigs[],
// IPConfigInputDetails): for each named IP configuration of a source NIC,
// its subnet, static address and public IP on failover (recovery*) and on
// test failover (tfo*).

type ipConfigInput struct {
	IPConfigName              *string `json:"ipConfigName"`
	IsPrimary                 *bool   `json:"isPrimary"`
	RecoverySubnetName        *string `json:"recoverySubnetName"`
	RecoveryStaticIPAddress   *string `json:"recoveryStaticIPAddress"`
	RecoveryPublicIPAddressID *string `json:"recoveryPublicIPAddressId"`
	TfoSubnetName             *string `json:"tfoSubnetName"`
	TfoStaticIPAddress        *string `json:"tfoStaticIPAddress"`
	TfoPublicIPAddressID      *string `json:"tfoPublicIPAddressId"`
}

// applyIPConfigs checks each ipConfigs entry names one of the NIC's IP
// configurations and records the settings of the primary one (the one the
// emulator's failed-over VMs carry). An empty string clears a setting.
func applyIPConfigs(r store.Reader, nic *itemNIC, in []ipConfigInput, prop, recoveryLocation string) error {
	names := nic.IPConfigNames
	if len(names) == 0 && nic.IPConfigName != "" {
		names = []string{nic.IPConfigName}
	}
	for i, c := range in {
		p := prop + "[" + strconv.Itoa(i) + "]"
		if c.IPConfigName == nil || *c.IPConfigName == "" {
			return arm.InvalidProperty(p+".ipConfigName", "the IP configuration name is required (the source NIC's: %s)", strings.Join(names, ", "))
		}
		if !containsFold(names, *c.IPConfigName) {
			return arm.SiteRecoveryInvalidReference("IpConfigurationNotFound", p+".ipConfigName",
				"the NIC '%s' has no IP configuration '%s' (its IP configurations: %s)", lastSegment(nic.NICID), *c.IPConfigName, strings.Join(names, ", "))
		}
		if !strings.EqualFold(*c.IPConfigName, nic.IPConfigName) {
			continue // a secondary IP configuration: its settings are not modelled
		}
		for _, f := range []struct {
			v   *string
			dst *string
			at  string
		}{
			{c.RecoveryStaticIPAddress, &nic.RecoveryStaticIP, ".recoveryStaticIPAddress"},
			{c.TfoStaticIPAddress, &nic.TfoStaticIP, ".tfoStaticIPAddress"},
		} {
			if f.v == nil {
				continue
			}
			if *f.v != "" {
				if a, err := netip.ParseAddr(*f.v); err != nil || !a.Is4() {
					return arm.InvalidProperty(p+f.at, "'%s' is not an IPv4 address", *f.v)
				}
			}
			*f.dst = *f.v
		}
		for _, f := range []struct {
			v   *string
			dst *string
			at  string
		}{
			{c.RecoveryPublicIPAddressID, &nic.RecoveryPublicIPID, ".recoveryPublicIPAddressId"},
			{c.TfoPublicIPAddressID, &nic.TfoPublicIPID, ".tfoPublicIPAddressId"},
		} {
			if f.v == nil {
				continue
			}
			id := *f.v
			if id != "" {
				var err error
				if id, err = requirePublicIP(r, id, p+f.at, recoveryLocation); err != nil {
					return err
				}
			}
			*f.dst = id
		}
		if c.TfoSubnetName != nil {
			nic.TfoSubnetName = *c.TfoSubnetName
		}
	}
	if nic.RecoveryPublicIPID != "" && strings.EqualFold(nic.RecoveryPublicIPID, nic.TfoPublicIPID) {
		return arm.InvalidProperty(prop, "the failover and the test failover cannot share the public IP '%s': give the test failover its own", nic.TfoPublicIPID)
	}
	return nil
}

// requirePublicIP checks id names an existing public IP address in the
// recovery region and returns its id as created.
func requirePublicIP(r store.Reader, id, prop, location string) (string, error) {
	pip, ok, err := service.GetJSON[compute.PublicIP](r, id)
	if err != nil {
		return "", err
	}
	if !ok || !strings.EqualFold(pip.Type, "Microsoft.Network/publicIPAddresses") {
		return "", arm.SiteRecoveryInvalidReference("PublicIpAddressNotFound", prop, "the public IP address '%s' was not found: create it in %s first", id, location)
	}
	if !sameRegion(pip.Location, location) {
		return "", arm.SiteRecoveryInvalidReference("PublicIpAddressNotInRecoveryRegion", prop,
			"the public IP address '%s' is in %s, but the recovery region is %s", pip.Name, pip.Location, location)
	}
	return pip.ID, nil
}

// nicIPConfigView is the primary IP configuration of a NIC as the item's
// vmNics show it: the source address, then the failover and test failover
// settings (a static recovery address makes recoveryIPAddressType Static).
func nicIPConfigView(n itemNIC) ipConfigView {
	v := ipConfigView{Name: n.IPConfigName, IsPrimary: true, SubnetName: n.PrimarySubnetName, StaticIPAddress: n.PrivateIP,
		IPAddressType: "Dynamic", RecoverySubnetName: n.RecoverySubnetName, RecoveryIPAddressType: "Dynamic",
		RecoveryStaticIPAddress: n.RecoveryStaticIP, RecoveryPublicIPAddressID: n.RecoveryPublicIPID,
		TfoSubnetName: n.TfoSubnetName, TfoStaticIPAddress: n.TfoStaticIP, TfoPublicIPAddressID: n.TfoPublicIPID}
	if n.RecoveryStaticIP != "" {
		v.RecoveryIPAddressType = "Static"
	}
	return v
}
