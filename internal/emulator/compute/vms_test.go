package compute_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// networkedSeed has two VMs in a seeded subnet (one with a fixed address,
// zone, size and disks), and one VM without a network.
const networkedSeed = `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
	{"name":"rg-prod","location":"centralus",
	 "virtualNetworks":[{"name":"vnet-prod","addressSpace":["10.1.0.0/16"],
	   "subnets":[{"name":"web","addressPrefix":"10.1.1.0/24"},{"name":"db","addressPrefix":"10.1.2.0/29"}]}],
	 "virtualMachines":[
		{"name":"vm-web-1","subnet":"vnet-prod/web"},
		{"name":"vm-web-2","subnet":"vnet-prod/web","size":"Standard_D4s_v5","zone":"2","osDiskSizeGB":256,"dataDisks":[512,1024]},
		{"name":"vm-db-1","subnet":"vnet-prod/db","privateIPAddress":"10.1.2.6"},
		{"name":"vm-bare"}
	]}
]}]}`

func TestVirtualMachinesHaveHardwareDisksNICsAndZones(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, networkedSeed)})
	vms := emulatortest.VMClient(t, srv.URL())
	group := "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod"

	resp, err := vms.Get(emulatortest.Context(t), "rg-prod", "vm-web-2", &armcompute.VirtualMachinesClientGetOptions{Expand: emulatortest.Ptr(armcompute.InstanceViewTypesInstanceView)})
	if err != nil {
		t.Fatal(err)
	}
	vm := resp.VirtualMachine
	p := vm.Properties
	if p == nil || p.HardwareProfile == nil || *p.HardwareProfile.VMSize != "Standard_D4s_v5" ||
		len(vm.Zones) != 1 || *vm.Zones[0] != "2" || p.OSProfile == nil || *p.OSProfile.ComputerName != "vm-web-2" {
		t.Fatalf("VM: %+v", vm)
	}
	os := p.StorageProfile.OSDisk
	if *os.Name != "vm-web-2-osdisk" || *os.OSType != armcompute.OperatingSystemTypesLinux || *os.CreateOption != armcompute.DiskCreateOptionTypesFromImage ||
		*os.DiskSizeGB != 256 || *os.ManagedDisk.ID != group+"/providers/Microsoft.Compute/disks/vm-web-2-osdisk" ||
		*os.ManagedDisk.StorageAccountType != armcompute.StorageAccountTypesPremiumLRS {
		t.Fatalf("OS disk: %+v %+v", os, os.ManagedDisk)
	}
	if dd := p.StorageProfile.DataDisks; len(dd) != 2 || *dd[0].Lun != 0 || *dd[1].Lun != 1 || *dd[1].DiskSizeGB != 1024 ||
		*dd[1].Name != "vm-web-2-datadisk-1" || *dd[1].CreateOption != armcompute.DiskCreateOptionTypesEmpty ||
		*dd[1].ManagedDisk.ID != group+"/providers/Microsoft.Compute/disks/vm-web-2-datadisk-1" {
		t.Fatalf("data disks: %+v", dd)
	}
	nics := p.NetworkProfile.NetworkInterfaces
	nicID := group + "/providers/Microsoft.Network/networkInterfaces/vm-web-2-nic"
	if len(nics) != 1 || *nics[0].ID != nicID || !*nics[0].Properties.Primary {
		t.Fatalf("network profile: %+v", nics)
	}
	if iv := p.InstanceView; iv == nil || len(iv.Statuses) != 2 || *iv.Statuses[1].Code != "PowerState/running" {
		t.Fatalf("instance view: %+v", p.InstanceView)
	}

	// Defaults: size, OS disk, no zone, no data disks.
	resp, err = vms.Get(emulatortest.Context(t), "rg-prod", "vm-web-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	p = resp.Properties
	if *p.HardwareProfile.VMSize != "Standard_D2s_v3" || *p.StorageProfile.OSDisk.DiskSizeGB != 128 ||
		len(p.StorageProfile.DataDisks) != 0 || len(resp.Zones) != 0 {
		t.Fatalf("defaults: %+v %+v", p.HardwareProfile, p.StorageProfile)
	}
}

func TestEveryVMHasANICInItsSubnet(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, networkedSeed)})
	nics := emulatortest.NICClient(t, srv.URL())
	group := "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-prod"
	web := group + "/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/web"

	addresses := map[string]string{}
	for _, vm := range []string{"vm-web-1", "vm-web-2", "vm-db-1"} {
		resp, err := nics.Get(emulatortest.Context(t), "rg-prod", vm+"-nic", nil)
		if err != nil {
			t.Fatalf("GET %s-nic: %v", vm, err)
		}
		n := resp.Interface
		p := n.Properties
		if *n.Name != vm+"-nic" || *n.Location != "centralus" || *p.ProvisioningState != armnetwork.ProvisioningStateSucceeded ||
			*p.VirtualMachine.ID != group+"/providers/Microsoft.Compute/virtualMachines/"+vm || !*p.Primary || *p.MacAddress == "" ||
			len(p.IPConfigurations) != 1 {
			t.Fatalf("%s's NIC: %+v", vm, p)
		}
		cfg := p.IPConfigurations[0]
		if *cfg.Name != "ipconfig1" || *cfg.ID != *n.ID+"/ipConfigurations/ipconfig1" || !*cfg.Properties.Primary ||
			*cfg.Properties.PrivateIPAddressVersion != armnetwork.IPVersionIPv4 {
			t.Fatalf("%s's ip configuration: %+v", vm, cfg.Properties)
		}
		addresses[vm] = *cfg.Properties.PrivateIPAddress
		if vm != "vm-db-1" && (*cfg.Properties.Subnet.ID != web || *cfg.Properties.PrivateIPAllocationMethod != armnetwork.IPAllocationMethodDynamic) {
			t.Fatalf("%s's ip configuration: %+v", vm, cfg.Properties)
		}
	}
	// Azure keeps .0-.3: the first VMs get .4 and .5; a fixed address is static.
	if addresses["vm-web-1"] != "10.1.1.4" || addresses["vm-web-2"] != "10.1.1.5" || addresses["vm-db-1"] != "10.1.2.6" {
		t.Fatalf("addresses: %v", addresses)
	}
	db, err := nics.Get(emulatortest.Context(t), "rg-prod", "vm-db-1-nic", nil)
	if err != nil || *db.Properties.IPConfigurations[0].Properties.PrivateIPAllocationMethod != armnetwork.IPAllocationMethodStatic {
		t.Fatalf("static address: %v %+v", err, db.Properties.IPConfigurations[0].Properties)
	}
	bare, err := nics.Get(emulatortest.Context(t), "rg-prod", "vm-bare-nic", nil)
	if err != nil || bare.Properties.IPConfigurations[0].Properties.Subnet != nil {
		t.Fatalf("a VM without a subnet: %v %+v", err, bare.Properties)
	}

	var names []string
	pager := nics.NewListPager("rg-prod", nil)
	for pager.More() {
		page, err := pager.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Value {
			names = append(names, *n.Name)
		}
	}
	if got := strings.Join(names, ","); got != "vm-bare-nic,vm-db-1-nic,vm-web-1-nic,vm-web-2-nic" {
		t.Fatalf("list by group: %s", got)
	}
	all := nics.NewListAllPager(nil)
	count := 0
	for all.More() {
		page, err := all.NextPage(emulatortest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		count += len(page.Value)
	}
	if count != 4 {
		t.Fatalf("list all: %d NICs", count)
	}
	if _, err := nics.Get(emulatortest.Context(t), "rg-prod", "nope", nil); err == nil {
		t.Fatal("a missing NIC was found")
	} else {
		emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
	}

	// The estate owns its NICs.
	_, err = nics.BeginDelete(emulatortest.Context(t), "rg-prod", "vm-web-1-nic", nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")
	_, err = nics.BeginCreateOrUpdate(emulatortest.Context(t), "rg-prod", "vm-web-1-nic", armnetwork.Interface{Location: emulatortest.Ptr("centralus")}, nil)
	emulatortest.WantARMError(t, err, http.StatusConflict, "Conflict")

	// The admin listing tells where each VM is.
	sites := emulatortest.VMSites(t, srv.URL())
	if s := sites["vm-web-2"]; s.PrivateIPAddress != "10.1.1.5" || s.Role != "primary" || s.NICID != group+"/providers/Microsoft.Network/networkInterfaces/vm-web-2-nic" {
		t.Fatalf("/_emulator/vms: %+v", s)
	}
}

func TestBadVirtualMachineNetworkSeedsAreRefusedNamingTheItem(t *testing.T) {
	seed := func(vms string) string {
		return `{"subscriptions":[{"id":"` + emulatortest.Subscription + `","resourceGroups":[
			{"name":"rg-other","location":"centralus","virtualNetworks":[{"name":"vnet-other","addressSpace":["10.9.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.9.1.0/24"}]}]},
			{"name":"rg-b","location":"centralus",
			 "virtualNetworks":[
			   {"name":"vnet-b","addressSpace":["10.2.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.2.1.0/24"},{"name":"tiny","addressPrefix":"10.2.2.0/29"}]},
			   {"name":"vnet-east","location":"eastus","addressSpace":["10.3.0.0/16"],"subnets":[{"name":"web","addressPrefix":"10.3.1.0/24"}]}],
			 "virtualMachines":[` + vms + `]}]}]}`
	}
	item := `resourceGroups[1] ("rg-b").virtualMachines[0] ("vm1")`
	cases := map[string]struct{ seed, want string }{
		"bad size":               {seed(`{"name":"vm1","size":"huge"}`), item + `: size: 'huge'`},
		"bad zone":               {seed(`{"name":"vm1","zone":"4"}`), item + `: zone: '4'`},
		"bad os disk":            {seed(`{"name":"vm1","osDiskSizeGB":0}`), item + `: osDiskSizeGB`},
		"bad data disk":          {seed(`{"name":"vm1","dataDisks":[10,0]}`), item + `: dataDisks[1]`},
		"subnet shape":           {seed(`{"name":"vm1","subnet":"web"}`), item + `: subnet: 'web'`},
		"vnet of another group":  {seed(`{"name":"vm1","subnet":"vnet-other/web"}`), item + `: subnet: the virtual network 'vnet-other' does not exist`},
		"missing subnet":         {seed(`{"name":"vm1","subnet":"vnet-b/app"}`), item + `: subnet: the virtual network 'vnet-b' has no subnet 'app'`},
		"vnet in another region": {seed(`{"name":"vm1","subnet":"vnet-east/web"}`), item + `: subnet: the virtual network 'vnet-east' is in eastus`},
		"ip without subnet":      {seed(`{"name":"vm1","privateIPAddress":"10.2.1.9"}`), item + `: privateIPAddress: a private IP address needs a subnet`},
		"not an ip":              {seed(`{"name":"vm1","subnet":"vnet-b/web","privateIPAddress":"10.2.1"}`), item + `: privateIPAddress: '10.2.1'`},
		"ip outside subnet":      {seed(`{"name":"vm1","subnet":"vnet-b/web","privateIPAddress":"10.2.9.9"}`), item + `: privateIPAddress: 10.2.9.9 is not inside subnet 'web'`},
		"reserved ip":            {seed(`{"name":"vm1","subnet":"vnet-b/web","privateIPAddress":"10.2.1.3"}`), item + `: privateIPAddress: 10.2.1.3 is reserved`},
		"broadcast ip":           {seed(`{"name":"vm1","subnet":"vnet-b/web","privateIPAddress":"10.2.1.255"}`), item + `: privateIPAddress: 10.2.1.255 is reserved`},
		"ip taken": {seed(`{"name":"vm0","subnet":"vnet-b/web"},{"name":"vm1","subnet":"vnet-b/web","privateIPAddress":"10.2.1.4"}`),
			`virtualMachines[1] ("vm1"): privateIPAddress: 10.2.1.4 is already used by`},
		"subnet full": {seed(`{"name":"vm0","subnet":"vnet-b/tiny"},{"name":"vm1","subnet":"vnet-b/tiny"},{"name":"vm2","subnet":"vnet-b/tiny"},{"name":"vm3","subnet":"vnet-b/tiny"}`),
			`virtualMachines[3] ("vm3"): subnet: the subnet 'tiny' has no free address left`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { emulatortest.WantSeedRefused(t, tc.seed, tc.want) })
	}
}

func TestAddingAVMAtRuntime(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{SeedFile: emulatortest.WriteSeed(t, networkedSeed)})
	base := srv.URL()
	post := func(body string) (*http.Response, []byte) {
		t.Helper()
		return emulatortest.Call(t, http.MethodPost, base+"/_emulator/vms", body, nil)
	}
	var added emulatortest.VMSite
	resp := emulatortest.CallJSON(t, http.MethodPost, base+"/_emulator/vms",
		`{"subscriptionId":"`+emulatortest.Subscription+`","resourceGroup":"RG-PROD","name":"vm-app-1","subnet":"vnet-prod/web","size":"Standard_B2s","site":{"title":"App"}}`, &added)
	if resp.StatusCode != http.StatusCreated || !added.Running || added.URL == "" || added.PrivateIPAddress != "10.1.1.6" ||
		added.Role != "primary" || added.DataVersion.Version != 1 || added.Location != "centralus" ||
		added.ID != "/subscriptions/"+emulatortest.Subscription+"/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-1" {
		t.Fatalf("POST /_emulator/vms: %d %+v", resp.StatusCode, added)
	}
	if status, body, _ := emulatortest.GetPage(t, added.URL); status != http.StatusOK || !strings.Contains(body, "<title>App</title>") {
		t.Fatalf("the new VM's site: %d %s", status, body)
	}
	got, err := emulatortest.VMClient(t, base).Get(emulatortest.Context(t), "rg-prod", "vm-app-1", nil)
	if err != nil || *got.Properties.HardwareProfile.VMSize != "Standard_B2s" || *got.Tags[emulator.WebTag] != added.URL {
		t.Fatalf("GET the new VM: %v %+v", err, got.VirtualMachine)
	}
	if _, err := emulatortest.NICClient(t, base).Get(emulatortest.Context(t), "rg-prod", "vm-app-1-nic", nil); err != nil {
		t.Fatalf("the new VM's NIC: %v", err)
	}

	for name, tc := range map[string]struct {
		body   string
		status int
		code   string
		want   string
	}{
		"missing group":    {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-nope","name":"vm-x"}`, 404, "ResourceGroupNotFound", "rg-nope"},
		"existing VM":      {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"VM-WEB-1"}`, 409, "Conflict", "already exists"},
		"bad subscription": {`{"subscriptionId":"abc","resourceGroup":"rg-prod","name":"vm-x"}`, 400, "BadRequest", "subscriptionId:"},
		"no group":         {`{"subscriptionId":"` + emulatortest.Subscription + `","name":"vm-x"}`, 400, "BadRequest", "resourceGroup:"},
		"unknown field":    {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"vm-x","colour":"red"}`, 400, "InvalidRequestContent", "colour"},
		"bad name":         {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"vm x"}`, 400, "InvalidResourceName", "vm x"},
		"bad zone":         {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"vm-x","zone":"9"}`, 400, "BadRequest", "zone:"},
		"taken address":    {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"vm-x","subnet":"vnet-prod/web","privateIPAddress":"10.1.1.4"}`, 400, "BadRequest", "privateIPAddress: 10.1.1.4 is already used"},
		"missing network":  {`{"subscriptionId":"` + emulatortest.Subscription + `","resourceGroup":"rg-prod","name":"vm-x","subnet":"vnet-nope/web"}`, 400, "BadRequest", "subnet:"},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := post(tc.body)
			if resp.StatusCode != tc.status || resp.Header.Get("x-ms-error-code") != tc.code || !strings.Contains(string(body), tc.want) {
				t.Fatalf("%d %s %s, want %d %s mentioning %q", resp.StatusCode, resp.Header.Get("x-ms-error-code"), body, tc.status, tc.code, tc.want)
			}
		})
	}
	if n := len(emulatortest.VMSites(t, base)); n != 5 {
		t.Fatalf("refused requests added VMs: %d VMs", n)
	}
}
