package testfailover

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"golang.org/x/crypto/ssh"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The probe VM the drill makes (Spec.ProbeVM): a small Linux VM in the
// test network that runs the checks from the DR site when the test VMs
// cannot (an appliance without the VM agent, a VM whose image has no curl)
// or should not. It is made before anything fails over, so the RTO clock
// does not wait for it, and removed at cleanup with its NIC and OS disk
// (deleteOption Delete), whatever happened. Nobody signs in to it: its
// SSH key is made for the run and its private half thrown away; Run Command
// is the only way in. It has no public IP: the subnet's NSG applies.

// ProbeVM asks the drill to make a probe VM. Zero fields take the
// defaults.
type ProbeVM struct {
	// Subnet is the test network's subnet it joins (default: the first by
	// name).
	Subnet string
	// Size is its VM size (default DefaultProbeVMSize).
	Size string
	// Image is its Linux image (default DefaultProbeImage).
	Image Image
}

// Image is a marketplace image reference.
type Image struct {
	Publisher, Offer, SKU, Version string
}

func (i Image) String() string {
	return i.Publisher + ":" + i.Offer + ":" + i.SKU + ":" + i.Version
}

// The probe VM's defaults: the smallest general-purpose size that runs a
// Linux image with curl, nc and dig, and Ubuntu's LTS.
const DefaultProbeVMSize = "Standard_B1s"

var DefaultProbeImage = Image{Publisher: "Canonical", Offer: "0001-com-ubuntu-server-jammy", SKU: "22_04-lts-gen2", Version: "latest"}

// probeAdmin is the probe VM's administrator: a name Azure accepts (not
// one of its reserved names), with only an SSH key nobody keeps.
const probeAdmin = "azuredrprobe"

// PhaseProbeVM is the event phase of the probe VM's creation and removal.
const PhaseProbeVM = "probe-vm"

// madeProbe is the probe VM a drill made (or began to make).
type madeProbe struct {
	group, name, nic string
	id               string // once created
}

// withDefaults fills in the defaults.
func (p ProbeVM) withDefaults() ProbeVM {
	if p.Size == "" {
		p.Size = DefaultProbeVMSize
	}
	if p.Image == (Image{}) {
		p.Image = DefaultProbeImage
	}
	if p.Image.Version == "" {
		p.Image.Version = "latest"
	}
	return p
}

// makeProbe creates the probe VM in the test network and uses it for the
// checks from the DR site. What it began to make is recorded first, so
// cleanup removes it even when creation fails half way.
func (r *runner) makeProbe(ctx context.Context) error {
	if r.spec.ProbeVM == nil {
		return nil
	}
	want := r.spec.ProbeVM.withDefaults()
	if len(r.items) == 0 {
		return fmt.Errorf("probe VM: the drill has no item")
	}
	group, site, location, err := r.drillHome(ctx, r.items[0])
	if err != nil {
		return fmt.Errorf("probe VM: %w", err)
	}
	subnetID, err := r.probeSubnet(ctx, want.Subnet)
	if err != nil {
		return fmt.Errorf("probe VM: %w", err)
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	name := "azuredr-probe-" + hex.EncodeToString(suffix)
	made := &madeProbe{group: group, name: name, nic: name + "-nic"}
	r.netMu.Lock()
	r.probe = made
	r.netMu.Unlock()
	t := map[string]*string{tags.Role: ptr(tags.RoleProbeVM), tags.Drill: ptr(r.spec.Name)}
	if site != "" {
		t[tags.Site] = ptr(site)
	}
	r.log.Emit(PhaseProbeVM, 0, "", fmt.Sprintf("creating probe VM %s (%s, %s) in %s of the test network, resource group %s", name, want.Size, want.Image, subnetID, group))
	np, err := r.c.NetworkInterfaces().BeginCreateOrUpdate(ctx, group, made.nic, armnetwork.Interface{
		Location: ptr(location),
		Tags:     t,
		Properties: &armnetwork.InterfacePropertiesFormat{
			IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
				Name: ptr("ipconfig1"),
				Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
					Subnet:                    &armnetwork.Subnet{ID: ptr(subnetID)},
					PrivateIPAllocationMethod: ptr(armnetwork.IPAllocationMethodDynamic),
					Primary:                   ptr(true),
				},
			}},
		},
	}, nil)
	if err != nil {
		return fmt.Errorf("probe VM: creating its NIC %s: %w", made.nic, err)
	}
	nic, err := azure.Wait(ctx, np)
	if err != nil {
		return fmt.Errorf("probe VM: creating its NIC %s: %w", made.nic, err)
	}
	key, err := throwawaySSHKey()
	if err != nil {
		return fmt.Errorf("probe VM: making its SSH key: %w", err)
	}
	vp, err := r.c.VirtualMachines().BeginCreateOrUpdate(ctx, group, name, armcompute.VirtualMachine{
		Location: ptr(location),
		Tags:     t,
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: ptr(armcompute.VirtualMachineSizeTypes(want.Size))},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: &armcompute.ImageReference{Publisher: ptr(want.Image.Publisher), Offer: ptr(want.Image.Offer), SKU: ptr(want.Image.SKU), Version: ptr(want.Image.Version)},
				OSDisk: &armcompute.OSDisk{
					CreateOption: ptr(armcompute.DiskCreateOptionTypesFromImage),
					DeleteOption: ptr(armcompute.DiskDeleteOptionTypesDelete),
					ManagedDisk:  &armcompute.ManagedDiskParameters{StorageAccountType: ptr(armcompute.StorageAccountTypesStandardLRS)},
				},
			},
			OSProfile: &armcompute.OSProfile{
				ComputerName:  ptr(name),
				AdminUsername: ptr(probeAdmin),
				LinuxConfiguration: &armcompute.LinuxConfiguration{
					DisablePasswordAuthentication: ptr(true),
					SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
						Path:    ptr("/home/" + probeAdmin + "/.ssh/authorized_keys"),
						KeyData: ptr(key),
					}}},
					ProvisionVMAgent: ptr(true),
				},
			},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: nic.ID,
				Properties: &armcompute.NetworkInterfaceReferenceProperties{
					Primary:      ptr(true),
					DeleteOption: ptr(armcompute.DeleteOptionsDelete),
				},
			}}},
		},
	}, nil)
	if err != nil {
		return fmt.Errorf("probe VM: creating %s: %w", name, err)
	}
	vm, err := azure.Wait(ctx, vp)
	if err != nil {
		return fmt.Errorf("probe VM: creating %s: %w", name, err)
	}
	r.netMu.Lock()
	made.id = deref(vm.ID)
	r.netMu.Unlock()
	r.spec.ProbeVMID = made.id
	r.checks.ProbeVMID = made.id
	r.log.Emit(PhaseProbeVM, 0, "", "probe VM "+name+" created: the checks from the DR site run on it")
	return nil
}

// probeSubnet is the id of the test network's subnet named want, or its
// first subnet by name.
func (r *runner) probeSubnet(ctx context.Context, want string) (string, error) {
	netID, err := parseNetworkID(r.spec.TestNetworkID)
	if err != nil {
		return "", err
	}
	vnet, err := r.c.VirtualNetworks().Get(ctx, netID.ResourceGroupName, netID.Name, nil)
	if err != nil {
		return "", fmt.Errorf("reading the test network %s: %w", r.spec.TestNetworkID, err)
	}
	var names []string
	ids := map[string]string{}
	if vnet.Properties != nil {
		for _, s := range vnet.Properties.Subnets {
			if s != nil && s.Name != nil && s.ID != nil {
				names = append(names, *s.Name)
				ids[strings.ToLower(*s.Name)] = *s.ID
			}
		}
	}
	sort.Strings(names)
	switch {
	case len(names) == 0:
		return "", fmt.Errorf("the test network %s has no subnet", r.spec.TestNetworkID)
	case want == "":
		return ids[strings.ToLower(names[0])], nil
	case ids[strings.ToLower(want)] == "":
		return "", fmt.Errorf("the test network %s has no subnet %q (it has %s): set probe_vm.subnet_name to one of them", r.spec.TestNetworkID, want, strings.Join(names, ", "))
	}
	return ids[strings.ToLower(want)], nil
}

// throwawaySSHKey is an OpenSSH public key whose private half is dropped:
// Azure requires a credential for a Linux VM, and nobody is to sign in.
func throwawaySSHKey() (string, error) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " azuredr-probe", nil
}

// removeProbe deletes the probe VM (its NIC and OS disk go with it) and,
// if the VM was never made, its NIC; it returns what it could not remove.
func (r *runner) removeProbe(ctx context.Context) []string {
	r.netMu.Lock()
	p := r.probe
	r.netMu.Unlock()
	if p == nil {
		return nil
	}
	var left []string
	err := azure.Delete(ctx, func() (*runtime.Poller[armcompute.VirtualMachinesClientDeleteResponse], error) {
		return r.c.VirtualMachines().BeginDelete(ctx, p.group, p.name, nil)
	})
	if err != nil {
		r.log.Emit(drill.PhaseCleanup, 0, "", "deleting probe VM "+p.name+" failed: "+azure.Describe(err))
		left = append(left, fmt.Sprintf("probe VM still exists: resource group %s, VM %s: %s", p.group, p.name, azure.Describe(err)))
	}
	// With the VM gone its NIC went too (deleteOption Delete); a NIC whose
	// VM was never made is deleted here. Gone already is fine.
	err = azure.Delete(ctx, func() (*runtime.Poller[armnetwork.InterfacesClientDeleteResponse], error) {
		return r.c.NetworkInterfaces().BeginDelete(ctx, p.group, p.nic, nil)
	})
	if err != nil && len(left) == 0 {
		left = append(left, fmt.Sprintf("probe VM's NIC still exists: resource group %s, NIC %s: %s", p.group, p.nic, azure.Describe(err)))
	}
	if len(left) == 0 {
		r.log.Emit(drill.PhaseCleanup, 0, "", "probe VM "+p.name+" deleted with its NIC and OS disk")
	}
	return left
}

// vmSizePattern is the shape of Azure's VM size names (Standard_B1s,
// Standard_D2s_v5, Basic_A1): the list of sizes changes, so only the shape
// is checked here; the region's offer is Azure's to judge.
var vmSizePattern = regexp.MustCompile(`^(Standard|Basic)_[A-Za-z0-9_]+$`)

// subnetNamePattern is Azure's rule for a subnet name: 1-80 characters,
// letters, digits, underscores, periods and hyphens, starting with a
// letter or digit and ending with a letter, digit or underscore.
var subnetNamePattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// Validate reports what Azure would refuse, or what cannot be meant, each
// line naming the field ("ProbeVM.Size: ...").
func (p ProbeVM) Validate(field string) error {
	var errs []error
	p.validate(field, func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) })
	return errors.Join(errs...)
}

func (p ProbeVM) validate(field string, add func(string, ...any)) {
	if p.Size != "" && !vmSizePattern.MatchString(p.Size) {
		add("%s.Size: %q is not an Azure VM size name (such as %s)", field, p.Size, DefaultProbeVMSize)
	}
	if p.Subnet != "" && !subnetNamePattern.MatchString(p.Subnet) {
		add("%s.Subnet: %q is not a subnet name (1-80 letters, digits, '_', '.', '-')", field, p.Subnet)
	}
	if i := p.Image; i != (Image{}) && (i.Publisher == "" || i.Offer == "" || i.SKU == "") {
		add("%s.Image: publisher, offer and sku are all needed (got %q, %q, %q); leave the image out for %s", field, i.Publisher, i.Offer, i.SKU, DefaultProbeImage)
	}
}
