package compute

import (
	"net/http"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// publicIPAddresses serves Microsoft.Network/publicIPAddresses (api-version
// 2024-05-01 as armnetwork/v6 sends it) as Azure does: PUT and DELETE are
// long-running, PATCH (tags) is synchronous. A Standard, Static public IP is
// given its address at creation (publicips_address.go); Basic SKU public IPs
// can no longer be created (Azure retired them), and one a NIC's ip
// configuration uses cannot be deleted. Its ipConfiguration is derived from
// the NICs that reference it (publicips_attach.go), so there is one source
// of truth. Site Recovery makes none: the VMs it creates get the public IP
// their item's NIC settings name (AttachPublicIP).
//
// The estate's public addresses are loopback addresses, since that is where
// the VMs' web sites answer: a public IP attached to a serving VM shows the
// address its site answers at (a VM placed behind a public IP is served at
// the public IP's address when it can be bound, so the two agree).
type publicIPAddresses struct {
	s *Service
}

const (
	publicIPType        = "Microsoft.Network/publicIPAddresses"
	publicIPPath        = network.GroupPath + "publicIPAddresses/{publicIpAddressName}"
	publicIPListPath    = network.GroupPath + "publicIPAddresses"
	publicIPListAllPath = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/publicIPAddresses"

	// Simulated durations of the writes, the order of Azure's.
	publicIPWriteDuration  = 3 * time.Second
	publicIPDeleteDuration = 10 * time.Second
	// Kind names are persisted with unfinished operations: never rename.
	kindPublicIPWrite  = publicIPType + "/write"
	kindPublicIPDelete = publicIPType + "/delete"
	networkNamespace   = "Microsoft.Network"
)

func (p *publicIPAddresses) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodGet, Pattern: publicIPPath, Operation: "PublicIPAddresses_Get", Handle: p.get},
		{Method: http.MethodPut, Pattern: publicIPPath, Operation: "PublicIPAddresses_CreateOrUpdate", Handle: p.put},
		{Method: http.MethodPatch, Pattern: publicIPPath, Operation: "PublicIPAddresses_UpdateTags", Handle: p.updateTags},
		{Method: http.MethodDelete, Pattern: publicIPPath, Operation: "PublicIPAddresses_Delete", Handle: p.delete},
		{Method: http.MethodGet, Pattern: publicIPListPath, Operation: "PublicIPAddresses_List", Handle: p.list},
		{Method: http.MethodGet, Pattern: publicIPListAllPath, Operation: "PublicIPAddresses_ListAll", Handle: p.list},
	}
}

func (p *publicIPAddresses) OperationKinds() []lro.Kind {
	return []lro.Kind{
		lro.ProvisioningKind(kindPublicIPWrite, networkNamespace, publicIPWriteDuration),
		{Name: kindPublicIPDelete, Namespace: networkNamespace, Duration: publicIPDeleteDuration,
			Complete: func(tx *store.Tx, op *lro.Operation) error { tx.Delete(op.ResourceID); return nil },
			Fail: func(tx *store.Tx, op *lro.Operation) error {
				return lro.SetProvisioningState(tx, op.ResourceID, service.StateFailed)
			}},
	}
}

// PublicIP is a public IP as stored and as ARM returns it.
type PublicIP struct {
	network.TrackedResource
	SKU        publicIPSKU        `json:"sku"`
	Zones      []string           `json:"zones,omitempty"`
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
	DNSSettings              *publicIPDNSSettings `json:"dnsSettings,omitempty"`
	IPTags                   []publicIPTag        `json:"ipTags"`
	DDOSSettings             *publicIPDDOS        `json:"ddosSettings,omitempty"`
	// IPConfiguration is derived on every read from the NICs that
	// reference the public IP (publicips_attach.go).
	IPConfiguration *network.SubResource `json:"ipConfiguration,omitempty"`
}

type publicIPDNSSettings struct {
	DomainNameLabel string `json:"domainNameLabel"`
	Fqdn            string `json:"fqdn,omitempty"`
}

type publicIPTag struct {
	IPTagType string `json:"ipTagType"`
	Tag       string `json:"tag"`
}

type publicIPDDOS struct {
	ProtectionMode string `json:"protectionMode"`
}

// PublicIPID is the id of a public IP address.
func PublicIPID(subscriptionID, group, name string) string {
	return network.ID(subscriptionID, group, "publicIPAddresses", name)
}

// show fills in what is derived: the ip configuration using the public IP
// and, while attached to a serving VM, the address its site answers at. An
// address is shown once the public IP is provisioned, as Azure does.
func (p *publicIPAddresses) show(r store.Reader, pip *PublicIP) *PublicIP {
	pip.Properties.IPConfiguration = nil
	if cfg, nic := ipConfigurationUsing(r, pip.ID); cfg != "" {
		pip.Properties.IPConfiguration = &network.SubResource{ID: cfg}
		if ip := siteAddressOf(r, p.s, nic); ip != "" {
			pip.Properties.IPAddress = ip
		}
	}
	if pip.Properties.ProvisioningState != service.StateSucceeded && pip.Properties.ProvisioningState != service.StateDeleting {
		pip.Properties.IPAddress = ""
	}
	return pip
}

// siteAddressOf is the loopback address the web site of the NIC's VM
// answers at ("" while it is not serving).
func siteAddressOf(r store.Reader, s *Service, nic *NIC) string {
	if nic == nil || nic.Properties.VirtualMachine == nil {
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

// find reads the public IP the path names (404 for a missing group or
// public IP).
func (p *publicIPAddresses) find(r store.Reader, req *service.Request) (*PublicIP, error) {
	rg, err := resources.FindGroup(r, req)
	if err != nil {
		return nil, err
	}
	name := req.Param("publicIpAddressName")
	pip, ok, err := service.GetJSON[PublicIP](r, PublicIPID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(publicIPType, name, req.Param("resourceGroupName"))
	}
	return pip, nil
}

func (p *publicIPAddresses) get(req *service.Request) (arm.Response, error) {
	pip, err := p.find(p.s.Store, req)
	if err != nil {
		return arm.Response{}, err
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
