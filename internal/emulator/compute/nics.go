package compute

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// networkInterfaces serves Microsoft.Network/networkInterfaces (api-version
// 2024-05-01 as armnetwork/v6 sends it). Every VM of the estate has exactly
// one NIC, "<vm>-nic" in the VM's group, made with the VM (see placeVM) and
// gone with its group: a PUT or DELETE of one is refused with 409. NICs a
// client creates through ARM take writes (nics_write.go).
type networkInterfaces struct {
	s *Service
}

const (
	nicType         = "Microsoft.Network/networkInterfaces"
	ipConfigType    = nicType + "/ipConfigurations"
	nicPath         = network.GroupPath + "networkInterfaces/{networkInterfaceName}"
	nicListPath     = network.GroupPath + "networkInterfaces"
	nicListAllPath  = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkInterfaces"
	primaryIPConfig = "ipconfig1"
)

func (n *networkInterfaces) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodGet, Pattern: nicPath, Operation: "NetworkInterfaces_Get", Handle: n.get},
		{Method: http.MethodPut, Pattern: nicPath, Operation: "NetworkInterfaces_CreateOrUpdate", Handle: n.put},
		{Method: http.MethodPatch, Pattern: nicPath, Operation: "NetworkInterfaces_UpdateTags", Handle: n.updateTags},
		{Method: http.MethodDelete, Pattern: nicPath, Operation: "NetworkInterfaces_Delete", Handle: n.delete},
		{Method: http.MethodGet, Pattern: nicListPath, Operation: "NetworkInterfaces_List", Handle: n.list},
		{Method: http.MethodGet, Pattern: nicListAllPath, Operation: "NetworkInterfaces_ListAll", Handle: n.list},
	}
}

// NIC is a NIC as stored and as ARM returns it.
type NIC struct {
	network.TrackedResource
	Properties nicProperties `json:"properties"`
}

type nicProperties struct {
	ProvisioningState           string               `json:"provisioningState"`
	ResourceGUID                string               `json:"resourceGuid"`
	IPConfigurations            []nicIPConfiguration `json:"ipConfigurations"`
	VirtualMachine              *network.SubResource `json:"virtualMachine,omitempty"`
	NetworkSecurityGroup        *network.SubResource `json:"networkSecurityGroup,omitempty"`
	Primary                     bool                 `json:"primary"`
	MacAddress                  string               `json:"macAddress"`
	EnableAcceleratedNetworking bool                 `json:"enableAcceleratedNetworking"`
	EnableIPForwarding          bool                 `json:"enableIPForwarding"`
	NicType                     string               `json:"nicType"`
}

type nicIPConfiguration struct {
	ID         string                 `json:"id"`
	Name       string                 `json:"name"`
	Type       string                 `json:"type"`
	Etag       string                 `json:"etag,omitempty"`
	Properties nicIPConfigurationProp `json:"properties"`
}

type nicIPConfigurationProp struct {
	PrivateIPAddress          string               `json:"privateIPAddress,omitempty"`
	PrivateIPAllocationMethod string               `json:"privateIPAllocationMethod"`
	PrivateIPAddressVersion   string               `json:"privateIPAddressVersion"`
	Primary                   bool                 `json:"primary"`
	Subnet                    *network.SubResource `json:"subnet,omitempty"`
	// PublicIPAddress is a test failover VM's public IP (publicips.go).
	PublicIPAddress   *network.SubResource `json:"publicIPAddress,omitempty"`
	ProvisioningState string               `json:"provisioningState"`
}

func nicID(subscriptionID, group, name string) string {
	return network.ID(subscriptionID, group, "networkInterfaces", name)
}

func nicNameOf(vmName string) string { return vmName + "-nic" }

// NewNIC is the NIC of a new VM, without a subnet (placeVM adds it).
func NewNIC(vm *VM) *NIC {
	id := vm.Properties.NetworkProfile.NetworkInterfaces[0].ID
	nic := &NIC{
		TrackedResource: network.NewTrackedResource(id, id[strings.LastIndex(id, "/")+1:], nicType, vm.Location, nil),
		Properties: nicProperties{
			ProvisioningState: service.StateSucceeded, ResourceGUID: arm.NewGUID(),
			IPConfigurations: []nicIPConfiguration{{
				ID: id + "/ipConfigurations/" + primaryIPConfig, Name: primaryIPConfig, Type: ipConfigType,
				Properties: nicIPConfigurationProp{PrivateIPAllocationMethod: "Dynamic", PrivateIPAddressVersion: "IPv4",
					Primary: true, ProvisioningState: service.StateSucceeded},
			}},
			VirtualMachine: &network.SubResource{ID: vm.ID}, Primary: true, MacAddress: newMAC(), NicType: "Standard",
		},
	}
	nic.Properties.IPConfigurations[0].Etag = nic.Etag
	return nic
}

// newMAC is a MAC address in Azure's notation and Microsoft's prefix
// (00-0D-3A-xx-xx-xx).
func newMAC() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", b[0], b[1], b[2])
}

// privateIP is the NIC's primary private address ("" without a subnet).
func (n *NIC) privateIP() string {
	if c := n.primaryConfig(); c != nil {
		return c.Properties.PrivateIPAddress
	}
	return ""
}

// primaryConfig is the NIC's primary ip configuration (the first when none
// says so; nil when it has none).
func (n *NIC) primaryConfig() *nicIPConfiguration {
	for i := range n.Properties.IPConfigurations {
		if n.Properties.IPConfigurations[i].Properties.Primary {
			return &n.Properties.IPConfigurations[i]
		}
	}
	if len(n.Properties.IPConfigurations) > 0 {
		return &n.Properties.IPConfigurations[0]
	}
	return nil
}

// nicsOf lists the NICs under prefix (a subscription or group id plus "/").
func nicsOf(r store.Reader, prefix string) ([]*NIC, error) {
	return service.Records[NIC](r, prefix, nicType)
}

// UsedAddresses maps the addresses taken in a subnet to the NIC holding
// each (NICs live in their subnet's subscription).
func UsedAddresses(r store.Reader, subnetID string) (map[netip.Addr]string, error) {
	nics, err := nicsOf(r, "/subscriptions/"+network.SubscriptionOf(subnetID)+"/")
	if err != nil {
		return nil, err
	}
	used := map[netip.Addr]string{}
	for _, n := range nics {
		for _, c := range n.Properties.IPConfigurations {
			if c.Properties.Subnet == nil || !strings.EqualFold(c.Properties.Subnet.ID, subnetID) {
				continue
			}
			if a, err := netip.ParseAddr(c.Properties.PrivateIPAddress); err == nil {
				used[a] = n.ID
			}
		}
	}
	return used, nil
}

func (n *networkInterfaces) get(req *service.Request) (arm.Response, error) {
	rg, err := resources.FindGroup(n.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	name := req.Param("networkInterfaceName")
	nic, ok, err := service.GetJSON[NIC](n.s.Store, nicID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return arm.Response{}, err
	}
	if !ok {
		return arm.Response{}, arm.ResourceNotFound(nicType, name, req.Param("resourceGroupName"))
	}
	switch e := req.HTTP.URL.Query().Get("$expand"); {
	case e == "":
		return arm.JSON(http.StatusOK, nic), nil
	case strings.EqualFold(e, expandPublicIPs):
		view, err := n.withPublicIPs(nic)
		if err != nil {
			return arm.Response{}, err
		}
		return arm.JSON(http.StatusOK, view), nil
	default:
		return arm.Response{}, arm.InvalidQueryParameter("$expand", "expected "+expandPublicIPs)
	}
}

// expandPublicIPs is the $expand of a NIC GET that shows each ip
// configuration's public IP whole, as ARM does: a client learns the
// address without a GET per public IP.
const expandPublicIPs = "ipConfigurations/publicIPAddress"

// withPublicIPs is the NIC with each ip configuration's public IP expanded
// to the resource as its own GET shows it (ipAddress filled in).
func (n *networkInterfaces) withPublicIPs(nic *NIC) (map[string]any, error) {
	raw, err := json.Marshal(nic)
	if err != nil {
		return nil, err
	}
	var view map[string]any
	if err := json.Unmarshal(raw, &view); err != nil {
		return nil, err
	}
	props, _ := view["properties"].(map[string]any)
	cfgs, _ := props["ipConfigurations"].([]any)
	pips := &publicIPAddresses{s: n.s}
	for i, c := range nic.Properties.IPConfigurations {
		if c.Properties.PublicIPAddress == nil || i >= len(cfgs) {
			continue
		}
		pip, ok, err := service.GetJSON[PublicIP](n.s.Store, c.Properties.PublicIPAddress.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		cfg, _ := cfgs[i].(map[string]any)
		if cp, _ := cfg["properties"].(map[string]any); cp != nil {
			cp["publicIPAddress"] = pips.show(n.s.Store, pip)
		}
	}
	return view, nil
}

// list serves both the group's list and the subscription's.
func (n *networkInterfaces) list(req *service.Request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.Param("subscriptionId") + "/"
	if req.Param("resourceGroupName") != "" {
		rg, err := resources.FindGroup(n.s.Store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	nics, err := nicsOf(n.s.Store, prefix)
	if err != nil {
		return arm.Response{}, err
	}
	if nics == nil {
		nics = []*NIC{}
	}
	return arm.JSON(http.StatusOK, service.List[*NIC]{Value: nics}), nil
}
