package compute

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The writes of public IPs: PublicIPAddresses_CreateOrUpdate (long-running
// PUT: 201 new / 200 updated with provisioningState "Updating" and the
// polling headers), _UpdateTags (PATCH, synchronous) and _Delete
// (long-running: 202, or 204 when there is nothing to delete).

const (
	skuBasic           = "Basic"
	skuStandard        = "Standard"
	tierRegional       = "Regional"
	tierGlobal         = "Global"
	allocationStatic   = "Static"
	allocationDynamic  = "Dynamic"
	ipv4               = "IPv4"
	ipv6               = "IPv6"
	defaultIdleTimeout = 4
)

// Azure's naming rules: the network resource provider's for its resources
// (public IPs, NICs),
// DNS labels for dnsSettings.domainNameLabel.
var (
	networkNamePattern = regexp.MustCompile(`^\w([\w.-]{0,78}\w)?$`)
	domainLabelPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,61}[a-z0-9]$`)
)

// publicIPInput is the PUT body (armnetwork.PublicIPAddress): the fields
// the emulator acts on.
type publicIPInput struct {
	Location *string           `json:"location"`
	Tags     map[string]string `json:"tags"`
	SKU      *publicIPSKU      `json:"sku"`
	Zones    []string          `json:"zones"`
	Props    *struct {
		PublicIPAllocationMethod string `json:"publicIPAllocationMethod"`
		PublicIPAddressVersion   string `json:"publicIPAddressVersion"`
		IdleTimeoutInMinutes     *int   `json:"idleTimeoutInMinutes"`
		DNSSettings              *struct {
			DomainNameLabel string `json:"domainNameLabel"`
		} `json:"dnsSettings"`
		IPTags []publicIPTag `json:"ipTags"`
	} `json:"properties"`
}

// wanted is a PUT body resolved with the API's defaults (no sku: Basic; no
// allocation method: Dynamic; no version: IPv4; idle timeout 4 minutes).
type wantedPublicIP struct {
	sku, tier, allocation, version, label string
	idle                                  int
	zones                                 []string
	ipTags                                []publicIPTag
}

func resolvePublicIP(id string, in *publicIPInput) (*wantedPublicIP, error) {
	w := &wantedPublicIP{sku: skuBasic, tier: tierRegional, allocation: allocationDynamic, version: ipv4, idle: defaultIdleTimeout,
		zones: in.Zones, ipTags: []publicIPTag{}}
	if in.SKU != nil {
		if in.SKU.Name != "" {
			w.sku = in.SKU.Name
		}
		if in.SKU.Tier != "" {
			w.tier = in.SKU.Tier
		}
	}
	if p := in.Props; p != nil {
		if p.PublicIPAllocationMethod != "" {
			w.allocation = p.PublicIPAllocationMethod
		}
		if p.PublicIPAddressVersion != "" {
			w.version = p.PublicIPAddressVersion
		}
		if p.IdleTimeoutInMinutes != nil {
			w.idle = *p.IdleTimeoutInMinutes
		}
		if p.DNSSettings != nil {
			w.label = p.DNSSettings.DomainNameLabel
		}
		if p.IPTags != nil {
			w.ipTags = p.IPTags
		}
	}
	return w, w.validate(id)
}

// validate applies Azure's rules, each refusal with the network resource
// provider's code.
func (w *wantedPublicIP) validate(id string) error {
	if err := oneOf("sku.name", w.sku, skuBasic, skuStandard); err != nil {
		return err
	}
	if err := oneOf("sku.tier", w.tier, tierRegional, tierGlobal); err != nil {
		return err
	}
	if err := oneOf("properties.publicIPAllocationMethod", w.allocation, allocationStatic, allocationDynamic); err != nil {
		return err
	}
	if err := oneOf("properties.publicIPAddressVersion", w.version, ipv4, ipv6); err != nil {
		return err
	}
	if w.sku == skuBasic {
		// Azure stopped creating Basic public IPs on 31 March 2025 (and
		// retired them on 30 September 2025): every subscription's quota of
		// them is 0.
		return basicSKUQuotaReached(w.version)
	}
	if w.allocation != allocationStatic {
		return standardMustBeStatic(id)
	}
	if w.idle < 4 || w.idle > 30 {
		return arm.InvalidRequestFormat(fmt.Sprintf("properties.idleTimeoutInMinutes: %d is outside 4-30 minutes.", w.idle))
	}
	for i, z := range w.zones {
		if !slices.Contains([]string{"1", "2", "3"}, z) || slices.Contains(w.zones[:i], z) {
			return arm.InvalidRequestFormat(fmt.Sprintf("zones: '%s' is not an availability zone or is listed twice; use \"1\", \"2\" and/or \"3\".", z))
		}
	}
	if w.label != "" && !domainLabelPattern.MatchString(w.label) {
		return invalidDomainNameLabel(w.label)
	}
	return nil
}

func oneOf(property, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return arm.InvalidRequestFormat(fmt.Sprintf("%s: '%s' is not one of %s.", property, v, strings.Join(allowed, ", ")))
	}
	return nil
}

// basicSKUQuotaReached is what Azure answers a new Basic public IP since
// their retirement (seen in clients' reports, e.g.
// skypilot-org/skypilot#7977).
func basicSKUQuotaReached(version string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: version + "BasicSkuPublicIpCountLimitReached", Target: "sku.name",
		Message: fmt.Sprintf("Cannot create more than 0 %s Basic SKU public IP addresses for this subscription in this region. Basic SKU public IPs are retired: use sku.name Standard with publicIPAllocationMethod Static.", version)}
}

func standardMustBeStatic(id string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "StandardSkuPublicIPAddressesMustBeStatic", Target: "properties.publicIPAllocationMethod",
		Message: fmt.Sprintf("Standard sku publicIp %s must have AllocationMethod set to Static.", id)}
}

func invalidDomainNameLabel(label string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "InvalidDomainNameLabel", Target: "properties.dnsSettings.domainNameLabel",
		Message: fmt.Sprintf("The domain name label %s is invalid. It must conform to the following regular expression: %s.", label, domainLabelPattern)}
}

func dnsRecordInUse(fqdn string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "DnsRecordInUse", Target: "properties.dnsSettings.domainNameLabel",
		Message: fmt.Sprintf("DNS record %s is already used by another public IP.", fqdn)}
}

func zonesCannotBeModified(id string, had, want []string) *arm.Error {
	zones := func(z []string) string {
		if len(z) == 0 {
			return "NoZone"
		}
		return strings.Join(z, ", ")
	}
	return &arm.Error{Status: http.StatusBadRequest, Code: "ResourceAvailabilityZonesCannotBeModified", Target: "zones",
		Message: fmt.Sprintf("Resource %s has an existing availability zone constraint %s and the request has availability zone constraint %s, which do not match. Zones cannot be added/updated/removed once the resource is created. The resource cannot be updated from regional to zonal or vice-versa.", id, zones(had), zones(want))}
}

func (p *publicIPAddresses) put(req *service.Request) (arm.Response, error) {
	name, in, location, err := networkPut(req, "publicIpAddressName", publicIPType, func(in *publicIPInput) *string { return in.Location })
	if err != nil {
		return arm.Response{}, err
	}
	var resp arm.Response
	err = p.s.Store.Update(func(tx *store.Tx) error {
		sub := req.Param("subscriptionId")
		rg, err := resources.RequireWritableGroup(p.s.Ops, tx, sub, req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		id := PublicIPID(sub, rg.Name, name)
		w, err := resolvePublicIP(id, in)
		if err != nil {
			return err
		}
		cur, exists, err := service.GetJSON[PublicIP](tx, id)
		if err != nil {
			return err
		}
		pip, status, err := p.build(tx, cur, exists, id, name, location, w)
		if err != nil {
			return err
		}
		pip.Tags = in.Tags
		op, err := p.s.Ops.Start(tx, lro.Spec{Kind: kindPublicIPWrite, ResourceID: id, Location: location,
			Method: http.MethodPut, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		if err := service.PutJSON(tx, id, pip); err != nil {
			return err
		}
		resp = p.s.Ops.WithPolling(req.Base, op, arm.JSON(status, p.show(tx, pip)))
		return nil
	})
	return resp, err
}

// build is the record a PUT stores: a new public IP with its address, or
// the existing one updated (its address, zones and version kept).
func (p *publicIPAddresses) build(tx *store.Tx, cur *PublicIP, exists bool, id, name, location string, w *wantedPublicIP) (*PublicIP, int, error) {
	fqdn := ""
	if w.label != "" {
		fqdn = w.label + "." + location + ".cloudapp.azure.com"
		if err := checkFQDNFree(tx, id, fqdn); err != nil {
			return nil, 0, err
		}
	}
	status := http.StatusCreated
	pip := &PublicIP{}
	if exists {
		if cur.Location != location {
			return nil, 0, arm.InvalidResourceLocation(name, resourceGroupOf(id), cur.Location, location)
		}
		if !slices.Equal(cur.Zones, w.zones) {
			return nil, 0, zonesCannotBeModified(id, cur.Zones, w.zones)
		}
		if cur.Properties.PublicIPAddressVersion != w.version {
			return nil, 0, arm.InvalidRequestFormat(fmt.Sprintf("properties.publicIPAddressVersion: the public IP %s is %s and cannot become %s.", id, cur.Properties.PublicIPAddressVersion, w.version))
		}
		if err := p.s.Busy(tx, id); err != nil {
			return nil, 0, err
		}
		pip, status = cur, http.StatusOK
		pip.Etag = service.NewEtag()
	} else {
		addr, err := allocatePublicAddress(tx, location, w.version)
		if err != nil {
			return nil, 0, err
		}
		*pip = PublicIP{
			TrackedResource: newTracked(id, name, location),
			Zones:           w.zones,
			Properties: publicIPProperties{ResourceGUID: arm.NewGUID(), IPAddress: addr, PublicIPAddressVersion: w.version,
				DDOSSettings: &publicIPDDOS{ProtectionMode: "VirtualNetworkInherited"}},
		}
	}
	pip.SKU = publicIPSKU{Name: w.sku, Tier: w.tier}
	pip.Properties.ProvisioningState = service.StateUpdating
	pip.Properties.PublicIPAllocationMethod, pip.Properties.IdleTimeoutInMinutes, pip.Properties.IPTags = w.allocation, w.idle, w.ipTags
	pip.Properties.DNSSettings = nil
	if fqdn != "" {
		pip.Properties.DNSSettings = &publicIPDNSSettings{DomainNameLabel: w.label, Fqdn: fqdn}
	}
	return pip, status, nil
}

// checkFQDNFree refuses a DNS name another public IP of the region holds.
func checkFQDNFree(r store.Reader, id, fqdn string) error {
	all, err := service.Records[PublicIP](r, "/subscriptions/", publicIPType)
	if err != nil {
		return err
	}
	for _, other := range all {
		if d := other.Properties.DNSSettings; d != nil && strings.EqualFold(d.Fqdn, fqdn) && !strings.EqualFold(other.ID, id) {
			return dnsRecordInUse(fqdn)
		}
	}
	return nil
}

// updateTags is PublicIPAddresses_UpdateTags: the tags replaced, 200 with
// the public IP.
func (p *publicIPAddresses) updateTags(req *service.Request) (arm.Response, error) {
	return replaceTags(p.s, req, func(tx *store.Tx) (*PublicIP, error) {
		if _, err := resources.RequireWritableGroup(p.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName")); err != nil {
			return nil, err
		}
		return p.find(tx, req)
	}, func(pip *PublicIP) *network.TrackedResource { return &pip.TrackedResource },
		func(r store.Reader, pip *PublicIP) any { return p.show(r, pip) })
}

// delete starts the deletion (202; the public IP shows "Deleting" until
// gone), unless an ip configuration still uses it.
func (p *publicIPAddresses) delete(req *service.Request) (arm.Response, error) {
	var resp arm.Response
	err := p.s.Store.Update(func(tx *store.Tx) error {
		rg, err := resources.RequireWritableGroup(p.s.Ops, tx, req.Param("subscriptionId"), req.Param("resourceGroupName"))
		if err != nil {
			return err
		}
		pip, ok, err := service.GetJSON[PublicIP](tx, PublicIPID(req.Param("subscriptionId"), rg.Name, req.Param("publicIpAddressName")))
		if err != nil {
			return err
		}
		if !ok {
			resp = arm.Empty(http.StatusNoContent)
			return nil
		}
		if cfg, _ := ipConfigurationUsing(tx, pip.ID); cfg != "" {
			return publicIPCannotBeDeleted(pip.ID, cfg)
		}
		op, err := p.s.Ops.Start(tx, lro.Spec{Kind: kindPublicIPDelete, ResourceID: pip.ID, Location: pip.Location,
			Method: http.MethodDelete, APIVersion: req.APIVersion})
		if err != nil {
			return err
		}
		pip.Properties.ProvisioningState = service.StateDeleting
		resp = p.s.Ops.Accepted(req.Base, op)
		return service.PutJSON(tx, pip.ID, pip)
	})
	return resp, err
}

func publicIPCannotBeDeleted(id, user string) *arm.Error {
	return &arm.Error{Status: http.StatusBadRequest, Code: "PublicIPAddressCannotBeDeleted",
		Message: fmt.Sprintf("Public IP address %s can not be deleted since it is still allocated to resource %s. In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip.", id, user)}
}

// resourceGroupOf is the group name in a resource id.
func resourceGroupOf(id string) string {
	_, group, _ := arm.SplitGroupID(id)
	return group
}
