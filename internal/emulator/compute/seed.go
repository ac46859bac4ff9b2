package compute

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// SeedVirtualMachine is one VM of the estate in the seed file, inside its
// resource group (and the body of the admin API's POST /_emulator/vms,
// admin.go):
//
//	"virtualMachines": [{"name": "vm-web-1", "location": "centralus", "tags": {...},
//	    "site": {"title": "Milestone CMS"}, "size": "Standard_D2s_v3", "zone": "1",
//	    "subnet": "vnet-prod/web", "privateIPAddress": "10.1.1.10",
//	    "osDiskSizeGB": 128, "dataDisks": [256, 512]}]
//
// location defaults to the group's, size to Standard_D2s_v3, osDiskSizeGB to
// 128; zone, subnet (a network of the same group: "<vnet>/<subnet>"),
// privateIPAddress (inside the subnet; default the next free address) and
// dataDisks (sizes in GB) are optional. Every VM starts running, serving
// its site with data version 1, with one NIC "<vm>-nic".
type SeedVirtualMachine struct {
	Name             string            `json:"name"`
	Location         string            `json:"location"`
	Tags             map[string]string `json:"tags"`
	Site             *SeedSite         `json:"site"`
	Size             string            `json:"size"`
	Zone             string            `json:"zone"`
	Subnet           string            `json:"subnet"`
	PrivateIPAddress string            `json:"privateIPAddress"`
	OSDiskSizeGB     *int              `json:"osDiskSizeGB"`
	DataDisks        []int             `json:"dataDisks"`
	// OSType is "Linux" (the default) or "Windows": which shell Run
	// Command scripts run in.
	OSType string `json:"osType"`
}

// SeedSite is what the VM's web site shows.
type SeedSite struct {
	// Title heads the page; the VM name when empty.
	Title string `json:"title"`
}

const (
	defaultVMSize       = "Standard_D2s_v3"
	defaultOSDiskSizeGB = 128
	maxOSDiskSizeGB     = 4095
	maxDataDiskSizeGB   = 32767
	maxDataDisks        = 64
	vmStorageType       = "Premium_LRS"
	diskType            = "Microsoft.Compute/disks"
)

// seedFile is the seed file as this namespace reads it: the VMs of each
// group (the server decodes the whole file strictly first).
type seedFile struct {
	Subscriptions []struct {
		ID             string `json:"id"`
		ResourceGroups []struct {
			Name            string               `json:"name"`
			Location        string               `json:"location"`
			VirtualMachines []SeedVirtualMachine `json:"virtualMachines"`
		} `json:"resourceGroups"`
	} `json:"subscriptions"`
}

// SeededVM is a VM whose own fields are validated; placeVM resolves its
// subnet and address against the store and writes it.
type SeededVM struct {
	VM    *VM
	State *VMState
	// where names the item in the seed file, for errors.
	where string
	// vnet and subnet name the subnet its NIC joins ("" for none); ip is the
	// address asked for (invalid when none).
	vnet, subnet string
	ip           netip.Addr
}

var (
	vmNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	vmSizePattern = regexp.MustCompile(`^(?i:standard|basic)_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$`)
)

// ValidateVMName applies Azure's VM naming rules: 1 to 64 letters, digits,
// periods, underscores and hyphens, starting with a letter or digit and not
// ending with a period or hyphen.
func ValidateVMName(name string) error {
	if !vmNamePattern.MatchString(name) || strings.HasSuffix(name, ".") || strings.HasSuffix(name, "-") {
		e := arm.InvalidResourceName(name, VMType,
			"it must be 1 to 64 letters, digits, periods, underscores and hyphens, start with a letter or digit and not end with a period or hyphen")
		e.Target = "name"
		return e
	}
	return nil
}

// ParseSeed reads the virtualMachines of every group of a seed file that
// parseSeed already accepted (so the shape is known to be right), validates
// their own fields and names the item at fault. Their networks are checked
// when they are stored (PutSeed), after the seed's networks.
func ParseSeed(data []byte, now time.Time) ([]SeededVM, error) {
	var f seedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	var out []SeededVM
	for i, sub := range f.Subscriptions {
		for j, g := range sub.ResourceGroups {
			groupLocation, err := resources.ResolveLocation(g.Location)
			if err != nil {
				return nil, err // parseSeed reports it first
			}
			names := map[string]bool{}
			for k, sv := range g.VirtualMachines {
				where := fmt.Sprintf("subscriptions[%d] (%q).resourceGroups[%d] (%q).virtualMachines[%d] (%q)", i, sub.ID, j, g.Name, k, sv.Name)
				vm, err := SeedVMOf(sub.ID, g.Name, groupLocation, sv, now)
				if err != nil {
					return nil, fmt.Errorf("%s: %s", where, arm.AsError(err).Message)
				}
				if names[strings.ToLower(sv.Name)] {
					return nil, fmt.Errorf("%s: the virtual machine appears twice in the group (names are case-insensitive)", where)
				}
				names[strings.ToLower(sv.Name)] = true
				vm.where = where
				out = append(out, vm)
			}
		}
	}
	return out, nil
}

// SeedVMOf validates a VM's own fields (everything but its network, which
// placeVM checks against the store) and builds its records.
func SeedVMOf(subscriptionID, group, groupLocation string, sv SeedVirtualMachine, now time.Time) (SeededVM, error) {
	if err := ValidateVMName(sv.Name); err != nil {
		return SeededVM{}, err
	}
	location := groupLocation
	if sv.Location != "" {
		var err error
		if location, err = resources.ResolveLocation(sv.Location); err != nil {
			return SeededVM{}, err
		}
	}
	if _, reserved := sv.Tags[WebTag]; reserved {
		return SeededVM{}, arm.BadRequest("InvalidTag", "The tag '%s' is set by the emulator to the VM's web site URL.", WebTag)
	}
	size := sv.Size
	if size == "" {
		size = defaultVMSize
	} else if !vmSizePattern.MatchString(size) {
		return SeededVM{}, arm.InvalidProperty("size", "'%s' is not a VM size: expected Standard_<family...>, e.g. %s", size, defaultVMSize)
	}
	var zones []string
	switch sv.Zone {
	case "":
	case "1", "2", "3":
		zones = []string{sv.Zone}
	default:
		return SeededVM{}, arm.InvalidProperty("zone", "'%s' is not an availability zone: expected \"1\", \"2\" or \"3\"", sv.Zone)
	}
	osDisk := defaultOSDiskSizeGB
	if sv.OSDiskSizeGB != nil {
		osDisk = *sv.OSDiskSizeGB
		if osDisk < 1 || osDisk > maxOSDiskSizeGB {
			return SeededVM{}, arm.InvalidProperty("osDiskSizeGB", "%d is not a valid OS disk size: 1 to %d GB", osDisk, maxOSDiskSizeGB)
		}
	}
	if len(sv.DataDisks) > maxDataDisks {
		return SeededVM{}, arm.InvalidProperty("dataDisks", "%d data disks: a VM takes at most %d", len(sv.DataDisks), maxDataDisks)
	}
	for i, gb := range sv.DataDisks {
		if gb < 1 || gb > maxDataDiskSizeGB {
			return SeededVM{}, arm.InvalidProperty(fmt.Sprintf("dataDisks[%d]", i), "%d is not a valid data disk size: 1 to %d GB", gb, maxDataDiskSizeGB)
		}
	}
	out := SeededVM{}
	if sv.Subnet != "" {
		vnet, subnet, ok := strings.Cut(sv.Subnet, "/")
		if !ok || vnet == "" || subnet == "" || strings.Contains(subnet, "/") {
			return SeededVM{}, arm.InvalidProperty("subnet", "'%s' is not \"<virtual network>/<subnet>\" (a network of the VM's resource group)", sv.Subnet)
		}
		out.vnet, out.subnet = vnet, subnet
	}
	if sv.PrivateIPAddress != "" {
		ip, err := netip.ParseAddr(sv.PrivateIPAddress)
		if err != nil || !ip.Is4() {
			return SeededVM{}, arm.InvalidProperty("privateIPAddress", "'%s' is not an IPv4 address", sv.PrivateIPAddress)
		}
		if out.subnet == "" {
			return SeededVM{}, arm.InvalidProperty("privateIPAddress", "a private IP address needs a subnet (\"subnet\": \"<virtual network>/<subnet>\")")
		}
		out.ip = ip
	}

	osType := "Linux"
	switch {
	case sv.OSType == "" || strings.EqualFold(sv.OSType, "Linux"):
	case strings.EqualFold(sv.OSType, "Windows"):
		osType = "Windows"
	default:
		return SeededVM{}, arm.InvalidProperty("osType", "'%s' is not an OS type: expected \"Linux\" or \"Windows\"", sv.OSType)
	}

	id := VMID(subscriptionID, group, sv.Name)
	title := ""
	if sv.Site != nil {
		title = sv.Site.Title
	}
	disk := func(name string) vmManagedDisk {
		return vmManagedDisk{ID: arm.ResourceGroupID(subscriptionID, group) + "/providers/" + diskType + "/" + name, StorageAccountType: vmStorageType}
	}
	storage := &vmStorage{
		OSDisk: Disk{Name: sv.Name + "-osdisk", OSType: osType, CreateOption: "FromImage", Caching: "ReadWrite",
			DiskSizeGB: osDisk, ManagedDisk: disk(sv.Name + "-osdisk")},
		DataDisks: []Disk{},
	}
	for lun, gb := range sv.DataDisks {
		name := fmt.Sprintf("%s-datadisk-%d", sv.Name, lun)
		storage.DataDisks = append(storage.DataDisks, Disk{Lun: &lun, Name: name, CreateOption: "Empty", Caching: "None",
			DiskSizeGB: gb, ManagedDisk: disk(name)})
	}
	nic := vmNICReference{ID: nicID(subscriptionID, group, nicNameOf(sv.Name))}
	nic.Properties.Primary = true
	out.VM = &VM{
		ID: id, Name: sv.Name, Type: VMType, Location: location, Tags: sv.Tags, Zones: zones,
		Properties: vmProperties{
			VMID:              arm.NewGUID(),
			HardwareProfile:   &vmHardware{VMSize: size},
			StorageProfile:    storage,
			OSProfile:         &vmOSProfile{ComputerName: computerName(sv.Name), AdminUsername: "azureuser"},
			NetworkProfile:    &vmNetworkProfile{NetworkInterfaces: []vmNICReference{nic}},
			ProvisioningState: service.StateSucceeded,
			TimeCreated:       now,
		},
	}
	out.State = &VMState{ID: id, Title: title, Role: RolePrimary, PowerState: PowerRunning}
	out.State.Record(web.DataVersion{Version: 1, WrittenAt: now})
	return out, nil
}

// computerName is the host name Azure derives from a VM name: Linux host
// names are at most 64 characters, without periods or underscores.
func computerName(vmName string) string {
	return strings.NewReplacer(".", "-", "_", "-").Replace(vmName)
}

// PutSeed stores seeded VMs, after the seed's networks so their subnets
// can be checked; their sites start (and get their address and URL tag)
// when the emulator starts serving. An error names the item at fault.
func (s *Service) PutSeed(tx *store.Tx, vms []SeededVM) error {
	for i := range vms {
		if err := s.placeVM(tx, &vms[i]); err != nil {
			return fmt.Errorf("%s: %s", vms[i].where, arm.AsError(err).Message)
		}
	}
	return nil
}

// placeVM checks a VM's network against the store (the subnet exists in the
// VM's group and region; the address is free and inside it, or the next
// free one is taken), then stores the VM, its NIC and its state.
func (s *Service) placeVM(tx *store.Tx, v *SeededVM) error {
	nic := NewNIC(v.VM)
	if v.subnet != "" {
		sub, group, _ := arm.SplitGroupID(v.VM.ID)
		vnetID := network.ID(sub, group, "virtualNetworks", v.vnet)
		vnet, ok, err := network.GetVNet(tx, vnetID)
		if err != nil {
			return err
		}
		if !ok {
			return arm.InvalidProperty("subnet", "the virtual network '%s' does not exist in resource group '%s'", v.vnet, group)
		}
		if vnet.Properties.ProvisioningState == service.StateDeleting {
			return arm.InvalidProperty("subnet", "the virtual network '%s' is being deleted", vnet.Name)
		}
		if vnet.Location != v.VM.Location {
			return arm.InvalidProperty("subnet", "the virtual network '%s' is in %s and the VM in %s: a VM's NIC must be in its network's region",
				vnet.Name, vnet.Location, v.VM.Location)
		}
		i := network.IndexByName(vnet.Properties.Subnets, v.subnet)
		if i < 0 {
			return arm.InvalidProperty("subnet", "the virtual network '%s' has no subnet '%s'", vnet.Name, v.subnet)
		}
		sn := &vnet.Properties.Subnets[i]
		if sn.Properties.ProvisioningState == service.StateDeleting {
			return arm.InvalidProperty("subnet", "the subnet '%s' is being deleted", sn.ID)
		}
		if strings.EqualFold(sn.Name, network.GatewaySubnet) {
			return arm.InvalidProperty("subnet", "'%s' is reserved for virtual network gateways: VMs cannot use it", network.GatewaySubnet)
		}
		used, err := UsedAddresses(tx, sn.ID)
		if err != nil {
			return err
		}
		ip, err := AllocateAddress(sn, v.ip, used)
		if err != nil {
			return err
		}
		cfg := &nic.Properties.IPConfigurations[0].Properties
		cfg.Subnet = &network.SubResource{ID: sn.ID}
		cfg.PrivateIPAddress = ip.String()
		if v.ip.IsValid() {
			cfg.PrivateIPAllocationMethod = "Static"
		}
	}
	if err := service.PutJSON(tx, v.VM.ID, v.VM); err != nil {
		return err
	}
	if err := service.PutJSON(tx, nic.ID, nic); err != nil {
		return err
	}
	return service.PutJSON(tx, StateKey(v.VM.ID), v.State)
}

// AllocateAddress returns want when it is a usable, free address of the
// subnet, else (want invalid) the lowest free one. Azure reserves the first
// four addresses of every prefix (network, gateway, two for DNS) and the
// last (broadcast).
func AllocateAddress(sn *network.Subnet, want netip.Addr, used map[netip.Addr]string) (netip.Addr, error) {
	prefixes := subnetIPv4Prefixes(sn)
	if len(prefixes) == 0 {
		return netip.Addr{}, arm.InvalidProperty("subnet", "the subnet '%s' has no IPv4 address prefix", sn.Name)
	}
	if want.IsValid() {
		for _, p := range prefixes {
			if !p.Contains(want) {
				continue
			}
			if !usableAddress(p, want) {
				return netip.Addr{}, arm.InvalidProperty("privateIPAddress",
					"%s is reserved in subnet '%s' (%s): Azure keeps the first four addresses and the last of every prefix", want, sn.Name, p)
			}
			if by, taken := used[want]; taken {
				return netip.Addr{}, arm.InvalidProperty("privateIPAddress", "%s is already used by %s", want, by)
			}
			return want, nil
		}
		return netip.Addr{}, arm.InvalidProperty("privateIPAddress", "%s is not inside subnet '%s' (%s)", want, sn.Name, strings.Join(sn.Prefixes(), ", "))
	}
	if a, ok := nextFreeAddress(prefixes, used); ok {
		return a, nil
	}
	return netip.Addr{}, arm.InvalidProperty("subnet", "the subnet '%s' has no free address left", sn.Name)
}

// subnetIPv4Prefixes are the subnet's IPv4 ranges.
func subnetIPv4Prefixes(sn *network.Subnet) []netip.Prefix {
	var prefixes []netip.Prefix
	for _, a := range sn.Prefixes() {
		if p, err := netip.ParsePrefix(a); err == nil && p.Addr().Is4() {
			prefixes = append(prefixes, p.Masked())
		}
	}
	return prefixes
}

// usableAddress: a is in p and not one of the five addresses Azure keeps.
func usableAddress(p netip.Prefix, a netip.Addr) bool {
	first := p.Addr()
	for range 4 {
		if a == first {
			return false
		}
		first = first.Next()
	}
	return p.Contains(a) && p.Contains(a.Next()) // not the last address
}

// nextFreeAddress is the lowest usable address of the prefixes no one uses.
func nextFreeAddress(prefixes []netip.Prefix, used map[netip.Addr]string) (netip.Addr, bool) {
	for _, p := range prefixes {
		for a := p.Addr(); p.Contains(a); a = a.Next() {
			if usableAddress(p, a) {
				if _, taken := used[a]; !taken {
					return a, true
				}
			}
		}
	}
	return netip.Addr{}, false
}
