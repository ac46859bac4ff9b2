package compute_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"golang.org/x/crypto/ssh"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Helpers for the tests of VMs and NICs created through ARM, on runSeed's
// estate (runcommand_test.go).

type armFixture struct {
	runFixture
	nics *armnetwork.InterfacesClient
}

func newARMFixture(t *testing.T, opts emulator.Options) armFixture {
	t.Helper()
	opts.SeedFile = emulatortest.WriteSeed(t, runSeed)
	if opts.TimeScale == 0 {
		opts.TimeScale = 1000
	}
	srv := emulatortest.Start(t, opts)
	return armFixture{runFixture: runFixture{srv: srv, vms: emulatortest.VMClient(t, srv.URL()), net: emulatortest.NetworkClients(t, srv.URL())},
		nics: emulatortest.NICClient(t, srv.URL())}
}

func groupID() string {
	return "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod"
}

func subnetID(vnet, subnet string) string {
	return groupID() + "/providers/Microsoft.Network/virtualNetworks/" + vnet + "/subnets/" + subnet
}

func nicIDOf(name string) string {
	return groupID() + "/providers/Microsoft.Network/networkInterfaces/" + name
}

func nicURL(base, name string) string {
	return base + nicIDOf(name) + "?api-version=" + networkAPI
}

// nicBody is a Dynamic NIC in vnet/subnet (centralus).
func nicBody(vnet, subnet string) armnetwork.Interface {
	return armnetwork.Interface{Location: emulatortest.Ptr("centralus"), Properties: &armnetwork.InterfacePropertiesFormat{
		IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{Name: emulatortest.Ptr("ipconfig1"),
			Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
				Subnet:                    &armnetwork.Subnet{ID: emulatortest.Ptr(subnetID(vnet, subnet))},
				PrivateIPAllocationMethod: emulatortest.Ptr(armnetwork.IPAllocationMethodDynamic)}}}}}
}

func (f armFixture) createNIC(t *testing.T, name string, body armnetwork.Interface) armnetwork.Interface {
	t.Helper()
	p, err := f.nics.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", name, body, nil)
	r, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatalf("creating NIC %s: %v", name, err)
	}
	return r.Interface
}

// sshKey is a fresh ed25519 public key in authorized_keys form.
func sshKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

func weakRSAKey(t *testing.T) string {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// probeVM is a Linux B1s VM with SSH only, on the NIC nic with deleteOption.
func probeVM(t *testing.T, nic string, deleteOption armcompute.DeleteOptions) armcompute.VirtualMachine {
	return armcompute.VirtualMachine{
		Location: emulatortest.Ptr("centralus"),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: emulatortest.Ptr(armcompute.VirtualMachineSizeTypes("Standard_B1s"))},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: &armcompute.ImageReference{Publisher: emulatortest.Ptr("Canonical"), Offer: emulatortest.Ptr("ubuntu-24_04-lts"),
					SKU: emulatortest.Ptr("server"), Version: emulatortest.Ptr("latest")},
				OSDisk: &armcompute.OSDisk{CreateOption: emulatortest.Ptr(armcompute.DiskCreateOptionTypesFromImage),
					DeleteOption: emulatortest.Ptr(armcompute.DiskDeleteOptionTypesDelete)},
			},
			OSProfile: &armcompute.OSProfile{ComputerName: emulatortest.Ptr("probe"), AdminUsername: emulatortest.Ptr("drill"),
				LinuxConfiguration: &armcompute.LinuxConfiguration{DisablePasswordAuthentication: emulatortest.Ptr(true),
					SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
						Path: emulatortest.Ptr("/home/drill/.ssh/authorized_keys"), KeyData: emulatortest.Ptr(sshKey(t))}}}}},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: emulatortest.Ptr(nicIDOf(nic)), Properties: &armcompute.NetworkInterfaceReferenceProperties{DeleteOption: &deleteOption}}}},
		},
	}
}

func (f armFixture) createVM(t *testing.T, name string, body armcompute.VirtualMachine) armcompute.VirtualMachine {
	t.Helper()
	p, err := f.vms.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", name, body, nil)
	r, err := emulatortest.Done(t, p, err)
	if err != nil {
		t.Fatalf("creating VM %s: %v", name, err)
	}
	return r.VirtualMachine
}

// asMap is an SDK body as raw JSON, for the refusal cases to edit.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// set sets the value at a dotted path of m ("properties.osProfile.adminUsername";
// a number indexes a list), deleting it when v is nil.
func set(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	var cur any = m
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if v == nil {
					delete(c, k)
				} else {
					c[k] = v
				}
				return
			}
			if _, ok := c[k]; !ok {
				c[k] = map[string]any{}
			}
			cur = c[k]
		case []any:
			n := 0
			for _, ch := range k {
				n = n*10 + int(ch-'0')
			}
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		}
	}
}
