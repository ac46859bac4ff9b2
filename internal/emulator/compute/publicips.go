package compute

import (
	"net/http"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// publicIPAddresses serves Microsoft.Network/publicIPAddresses (api-version
// 2024-05-01 as armnetwork/v6 sends it), read-only like the NICs: the only
// public IPs are those Site Recovery gives the VMs it makes (a test
// failover's VM, "<vm>-pip", attached to its NIC's ip configuration), so a
// drill running outside the isolated network can reach the VM, as with a
// public IP on a test-failover VM in Azure. Its ipAddress is the loopback
// address the VM's web site answers at (read from the VM's state at every
// read, so it follows the site across restarts). PUT, PATCH and DELETE are
// refused with 409.
type publicIPAddresses struct {
	s *Service
}

const (
	publicIPType        = "Microsoft.Network/publicIPAddresses"
	publicIPPath        = network.GroupPath + "publicIPAddresses/{publicIpAddressName}"
	publicIPListPath    = network.GroupPath + "publicIPAddresses"
	publicIPListAllPath = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/publicIPAddresses"
)

func (p *publicIPAddresses) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodGet, Pattern: publicIPPath, Operation: "PublicIPAddresses_Get", Handle: p.get},
		{Method: http.MethodPut, Pattern: publicIPPath, Operation: "PublicIPAddresses_CreateOrUpdate", Handle: p.refuse},
		{Method: http.MethodPatch, Pattern: publicIPPath, Operation: "PublicIPAddresses_UpdateTags", Handle: p.refuse},
		{Method: http.MethodDelete, Pattern: publicIPPath, Operation: "PublicIPAddresses_Delete", Handle: p.refuse},
		{Method: http.MethodGet, Pattern: publicIPListPath, Operation: "PublicIPAddresses_List", Handle: p.list},
		{Method: http.MethodGet, Pattern: publicIPListAllPath, Operation: "PublicIPAddresses_ListAll", Handle: p.list},
	}
}

func (p *publicIPAddresses) OperationKinds() []lro.Kind { return nil }

// PublicIP is a public IP as stored and as ARM returns it.
type PublicIP struct {
	network.TrackedResource
	SKU        publicIPSKU        `json:"sku"`
	Properties publicIPProperties `json:"properties"`
}

type publicIPSKU struct {
	Name string `json:"name"`
	Tier string `json:"tier"`
}

type publicIPProperties struct {
	ProvisioningState        string               `json:"provisioningState"`
	ResourceGUID             string               `json:"resourceGuid"`
	IPAddress                string               `json:"ipAddress,omitempty"`
	PublicIPAddressVersion   string               `json:"publicIPAddressVersion"`
	PublicIPAllocationMethod string               `json:"publicIPAllocationMethod"`
	IdleTimeoutInMinutes     int                  `json:"idleTimeoutInMinutes"`
	IPConfiguration          *network.SubResource `json:"ipConfiguration,omitempty"`
}

// PublicIPID is the id of a public IP address.
func PublicIPID(subscriptionID, group, name string) string {
	return network.ID(subscriptionID, group, "publicIPAddresses", name)
}

// NewPublicIP is the public IP of a VM's NIC (its primary ip configuration),
// in the NIC's group and region.
func NewPublicIP(id string, nic *NIC, tags map[string]string) *PublicIP {
	pip := &PublicIP{
		TrackedResource: network.NewTrackedResource(id, id[strings.LastIndex(id, "/")+1:], publicIPType, nic.Location, tags),
		SKU:             publicIPSKU{Name: "Standard", Tier: "Regional"},
		Properties: publicIPProperties{
			ProvisioningState: service.StateSucceeded, ResourceGUID: arm.NewGUID(),
			PublicIPAddressVersion: "IPv4", PublicIPAllocationMethod: "Static", IdleTimeoutInMinutes: 4,
		},
	}
	if len(nic.Properties.IPConfigurations) > 0 {
		pip.Properties.IPConfiguration = &network.SubResource{ID: nic.Properties.IPConfigurations[0].ID}
	}
	return pip
}

// show fills in ipAddress: the site address of the VM whose NIC the public
// IP is attached to (none while the VM is not serving).
func (p *publicIPAddresses) show(r store.Reader, pip *PublicIP) *PublicIP {
	pip.Properties.IPAddress = publicIPAddressOf(r, p.s, pip)
	return pip
}

// publicIPAddressOf is the address a public IP answers at: the loopback
// address of its VM's web site.
func publicIPAddressOf(r store.Reader, s *Service, pip *PublicIP) string {
	if pip.Properties.IPConfiguration == nil {
		return ""
	}
	nicID, _, _ := strings.Cut(strings.ToLower(pip.Properties.IPConfiguration.ID), "/ipconfigurations/")
	nic, ok, err := service.GetJSON[NIC](r, nicID)
	if err != nil || !ok || nic.Properties.VirtualMachine == nil {
		return ""
	}
	vmID := nic.Properties.VirtualMachine.ID
	if s.fleet != nil {
		if ip, serving := s.fleet.Address(vmID); serving {
			return ip
		}
	}
	if st, ok, err := service.GetJSON[VMState](r, StateKey(vmID)); err == nil && ok && st.PowerState == PowerRunning {
		return st.Address
	}
	return ""
}

func (p *publicIPAddresses) get(req *service.Request) (arm.Response, error) {
	rg, err := resources.FindGroup(p.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	name := req.Param("publicIpAddressName")
	pip, ok, err := service.GetJSON[PublicIP](p.s.Store, PublicIPID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return arm.Response{}, err
	}
	if !ok {
		return arm.Response{}, arm.ResourceNotFound(publicIPType, name, req.Param("resourceGroupName"))
	}
	return arm.JSON(http.StatusOK, p.show(p.s.Store, pip)), nil
}

// list serves both the group's list and the subscription's.
func (p *publicIPAddresses) list(req *service.Request) (arm.Response, error) {
	prefix := "/subscriptions/" + req.Param("subscriptionId") + "/"
	if req.Param("resourceGroupName") != "" {
		rg, err := resources.FindGroup(p.s.Store, req)
		if err != nil {
			return arm.Response{}, err
		}
		prefix = rg.ID + "/"
	}
	pips, err := service.Records[PublicIP](p.s.Store, prefix, publicIPType)
	if err != nil {
		return arm.Response{}, err
	}
	out := make([]*PublicIP, 0, len(pips))
	for _, pip := range pips {
		out = append(out, p.show(p.s.Store, pip))
	}
	return arm.JSON(http.StatusOK, service.List[*PublicIP]{Value: out}), nil
}

// refuse answers the writes: Site Recovery owns its VMs' public IPs.
func (p *publicIPAddresses) refuse(req *service.Request) (arm.Response, error) {
	return arm.Response{}, arm.Conflict(
		"The public IP address '%s' is managed by the emulator: public IPs exist only on the VMs Site Recovery creates (a test failover's VM), made and deleted with them; they cannot be created, changed or deleted through the API.",
		req.Param("publicIpAddressName"))
}
