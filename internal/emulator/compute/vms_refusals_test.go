package compute_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Every refusal of a NIC or VM PUT, with Azure's status and code, and
// nothing stored by any of them.

type refusal struct {
	edit   func(m map[string]any)
	status int
	code   string
}

func wantRefused(t *testing.T, url string, body func() map[string]any, cases map[string]refusal) {
	t.Helper()
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			b := body()
			c.edit(b)
			resp, raw := emulatortest.Call(t, http.MethodPut, url, b, nil)
			if resp.StatusCode != c.status || resp.Header.Get("x-ms-error-code") != c.code {
				t.Fatalf("got %d %s, want %d %s: %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"), c.status, c.code, raw)
			}
		})
	}
}

func TestNICCreationRefusals(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	base := f.srv.URL()
	f.createNIC(t, "static-nic", func() armnetwork.Interface {
		b := nicBody("vnet-prod", "web")
		b.Properties.IPConfigurations[0].Properties.PrivateIPAllocationMethod = emulatortest.Ptr(armnetwork.IPAllocationMethodStatic)
		b.Properties.IPConfigurations[0].Properties.PrivateIPAddress = emulatortest.Ptr("10.1.1.50")
		return b
	}())
	cfg := "properties.ipConfigurations.0.properties."
	static := func(ip string) func(m map[string]any) {
		return func(m map[string]any) {
			set(m, cfg+"privateIPAllocationMethod", "Static")
			set(m, cfg+"privateIPAddress", ip)
		}
	}
	second := func(primary1, primary2 bool) func(m map[string]any) {
		return func(m map[string]any) {
			c := asMap(t, nicBody("vnet-prod", "web").Properties.IPConfigurations[0])
			set(c, "name", "ipconfig2")
			set(c, "properties.primary", primary2)
			set(m, cfg+"primary", primary1)
			set(m, "properties.ipConfigurations", append(m["properties"].(map[string]any)["ipConfigurations"].([]any), c))
		}
	}
	wantRefused(t, nicURL(base, "bad-nic"), func() map[string]any { return asMap(t, nicBody("vnet-prod", "web")) }, map[string]refusal{
		"no location":         {func(m map[string]any) { set(m, "location", nil) }, 400, "LocationRequired"},
		"unknown location":    {func(m map[string]any) { set(m, "location", "mars") }, 400, "LocationNotAvailableForResourceType"},
		"other region":        {func(m map[string]any) { set(m, "location", "eastus") }, 400, "InvalidResourceReference"},
		"no ip configuration": {func(m map[string]any) { set(m, "properties.ipConfigurations", []any{}) }, 400, "InvalidRequestFormat"},
		"no name":             {func(m map[string]any) { set(m, "properties.ipConfigurations.0.name", nil) }, 400, "InvalidRequestFormat"},
		"no subnet":           {func(m map[string]any) { set(m, cfg+"subnet", nil) }, 400, "InvalidRequestFormat"},
		"missing subnet":      {func(m map[string]any) { set(m, cfg+"subnet.id", subnetID("vnet-prod", "nope")) }, 400, "InvalidResourceReference"},
		"missing network":     {func(m map[string]any) { set(m, cfg+"subnet.id", subnetID("vnet-nope", "web")) }, 400, "InvalidResourceReference"},
		"not an id":           {func(m map[string]any) { set(m, cfg+"subnet.id", "web") }, 400, "LinkedInvalidPropertyId"},
		"bad method":          {func(m map[string]any) { set(m, cfg+"privateIPAllocationMethod", "Sticky") }, 400, "InvalidRequestFormat"},
		"static no address":   {static(""), 400, "InvalidRequestFormat"},
		"static outside":      {static("10.1.2.10"), 400, "PrivateIPAddressNotInSubnet"},
		"static reserved":     {static("10.1.1.3"), 400, "PrivateIPAddressInReservedRange"},
		"static broadcast":    {static("10.1.1.255"), 400, "PrivateIPAddressInReservedRange"},
		"static taken":        {static("10.1.1.4"), 400, "PrivateIPAddressIsAllocated"},
		"static taken by arm": {static("10.1.1.50"), 400, "PrivateIPAddressIsAllocated"},
		"no primary":          {second(false, false), 400, "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary"},
		"two primaries":       {second(true, true), 400, "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary"},
		"missing nsg": {func(m map[string]any) {
			set(m, "properties.networkSecurityGroup", map[string]any{"id": groupID() + "/providers/Microsoft.Network/networkSecurityGroups/nope"})
		}, 400, "InvalidResourceReference"},
	})
	resp, _ := emulatortest.Call(t, http.MethodPut, nicURL(base, "bad name!"), asMap(t, nicBody("vnet-prod", "web")), nil)
	if resp.StatusCode != 400 || resp.Header.Get("x-ms-error-code") != "InvalidResourceName" {
		t.Fatalf("bad name: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
	resp, _ = emulatortest.Call(t, http.MethodPut, nicURL(base, "bad-nic"), `{"location":`, nil)
	if resp.StatusCode != 400 || resp.Header.Get("x-ms-error-code") != "InvalidRequestContent" {
		t.Fatalf("malformed JSON: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
	if _, err := f.nics.Get(emulatortest.Context(t), "rg-prod", "bad-nic", nil); err == nil {
		t.Fatal("a refused NIC was stored")
	}
	// The estate's NICs stay the estate's.
	resp, _ = emulatortest.Call(t, http.MethodPut, nicURL(base, "vm-web-1-nic"), asMap(t, nicBody("vnet-prod", "web")), nil)
	if resp.StatusCode != http.StatusConflict || resp.Header.Get("x-ms-error-code") != "Conflict" {
		t.Fatalf("estate NIC: %d", resp.StatusCode)
	}
}

func TestVMCreationRefusals(t *testing.T) {
	f := newARMFixture(t, emulator.Options{})
	base := f.srv.URL()
	f.createNIC(t, "free-nic", nicBody("vnet-prod", "web"))
	f.createNIC(t, "second-nic", nicBody("vnet-prod", "web"))
	f.createNIC(t, "other-nic", nicBody("vnet-other", "a"))
	f.createNIC(t, "used-nic", nicBody("vnet-prod", "web"))
	f.createVM(t, "vm-user", probeVM(t, "used-nic", armcompute.DeleteOptionsDetach))
	os := "properties.osProfile."
	lc := os + "linuxConfiguration."
	key := lc + "ssh.publicKeys.0."
	password := func(pw string) func(m map[string]any) {
		return func(m map[string]any) {
			set(m, lc+"disablePasswordAuthentication", false)
			set(m, os+"adminPassword", pw)
		}
	}
	windows := func(m map[string]any) {
		set(m, "properties.storageProfile.imageReference", map[string]any{"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2022-datacenter-azure-edition", "version": "latest"})
		set(m, os+"linuxConfiguration", nil)
		set(m, os+"adminPassword", "Drill-2024-ok")
	}
	nics := func(primary1, primary2 bool) func(m map[string]any) {
		return func(m map[string]any) {
			set(m, "properties.networkProfile.networkInterfaces", []any{
				map[string]any{"id": nicIDOf("free-nic"), "properties": map[string]any{"primary": primary1}},
				map[string]any{"id": nicIDOf("second-nic"), "properties": map[string]any{"primary": primary2}}})
		}
	}
	nic0 := "properties.networkProfile.networkInterfaces.0."
	wantRefused(t, vmURL(base, "rg-prod", "vm-bad")+"?api-version="+computeAPI, func() map[string]any {
		return asMap(t, probeVM(t, "free-nic", armcompute.DeleteOptionsDelete))
	}, map[string]refusal{
		"no location":          {func(m map[string]any) { set(m, "location", nil) }, 400, "LocationRequired"},
		"other region":         {func(m map[string]any) { set(m, "location", "eastus") }, 400, "InvalidParameter"},
		"no size":              {func(m map[string]any) { set(m, "properties.hardwareProfile", nil) }, 400, "InvalidParameter"},
		"unknown size":         {func(m map[string]any) { set(m, "properties.hardwareProfile.vmSize", "Standard_Z99") }, 400, "InvalidParameter"},
		"no image":             {func(m map[string]any) { set(m, "properties.storageProfile.imageReference", nil) }, 400, "InvalidParameter"},
		"no sku":               {func(m map[string]any) { set(m, "properties.storageProfile.imageReference.sku", nil) }, 400, "InvalidParameter"},
		"attach os disk":       {func(m map[string]any) { set(m, "properties.storageProfile.osDisk.createOption", "Attach") }, 400, "InvalidParameter"},
		"os disk delete opt":   {func(m map[string]any) { set(m, "properties.storageProfile.osDisk.deleteOption", "Keep") }, 400, "InvalidParameter"},
		"os disk too small":    {func(m map[string]any) { set(m, "properties.storageProfile.osDisk.diskSizeGB", 10) }, 400, "ResizeDiskError"},
		"no os profile":        {func(m map[string]any) { set(m, "properties.osProfile", nil) }, 400, "InvalidParameter"},
		"no computer name":     {func(m map[string]any) { set(m, os+"computerName", nil) }, 400, "InvalidParameter"},
		"linux host name":      {func(m map[string]any) { set(m, os+"computerName", "probe_1") }, 400, "InvalidParameter"},
		"windows host name":    {func(m map[string]any) { windows(m); set(m, os+"computerName", "probe-windows-long") }, 400, "InvalidParameter"},
		"numeric windows name": {func(m map[string]any) { windows(m); set(m, os+"computerName", "12345") }, 400, "InvalidParameter"},
		"no admin":             {func(m map[string]any) { set(m, os+"adminUsername", nil) }, 400, "InvalidParameter"},
		"reserved admin":       {func(m map[string]any) { set(m, os+"adminUsername", "Administrator") }, 400, "InvalidParameter"},
		"root":                 {func(m map[string]any) { set(m, os+"adminUsername", "root") }, 400, "InvalidParameter"},
		"no ssh key":           {func(m map[string]any) { set(m, lc+"ssh", nil) }, 400, "InvalidParameter"},
		"bad key data":         {func(m map[string]any) { set(m, key+"keyData", "ssh-rsa AAAAnot-a-key") }, 400, "InvalidParameter"},
		"weak rsa key":         {func(m map[string]any) { set(m, key+"keyData", weakRSAKey(t)) }, 400, "InvalidParameter"},
		"key path":             {func(m map[string]any) { set(m, key+"path", "/root/.ssh/authorized_keys") }, 400, "InvalidParameter"},
		"no password":          {password(""), 400, "InvalidParameter"},
		"short password":       {password("Ab1!"), 400, "InvalidParameter"},
		"two classes":          {password("alllowercase123"), 400, "InvalidParameter"},
		"banned password":      {password("P@ssw0rd"), 400, "InvalidParameter"},
		"windows no password":  {func(m map[string]any) { windows(m); set(m, os+"adminPassword", nil) }, 400, "InvalidParameter"},
		"no nic":               {func(m map[string]any) { set(m, "properties.networkProfile.networkInterfaces", []any{}) }, 400, "InvalidParameter"},
		"missing nic":          {func(m map[string]any) { set(m, nic0+"id", nicIDOf("nope")) }, 400, "NotFound"},
		"nic in use":           {func(m map[string]any) { set(m, nic0+"id", nicIDOf("used-nic")) }, 400, "NicInUse"},
		"nic delete option":    {func(m map[string]any) { set(m, nic0+"properties.deleteOption", "Keep") }, 400, "InvalidParameter"},
		"no primary nic":       {nics(false, false), 400, "VirtualMachineMustHaveOneNetworkInterfaceAsPrimary"},
		"two primary nics":     {nics(true, true), 400, "VirtualMachineMustHaveOneNetworkInterfaceAsPrimary"},
		"too many nics": {func(m map[string]any) {
			nics(true, false)(m)
			l := m["properties"].(map[string]any)["networkProfile"].(map[string]any)["networkInterfaces"].([]any)
			set(m, "properties.networkProfile.networkInterfaces", append(l, map[string]any{"id": nicIDOf("other-nic")}))
		}, 400, "NetworkInterfaceCountExceeded"},
		"nics in two networks": {func(m map[string]any) {
			nics(true, false)(m)
			set(m, "properties.networkProfile.networkInterfaces.1.id", nicIDOf("other-nic"))
		}, 400, "InvalidParameter"},
	})
	if _, err := f.vms.Get(emulatortest.Context(t), "rg-prod", "vm-bad", nil); err == nil {
		t.Fatal("a refused VM was stored")
	}
	// No refusal left a NIC attached.
	if nic, err := f.nics.Get(emulatortest.Context(t), "rg-prod", "free-nic", nil); err != nil || nic.Properties.VirtualMachine != nil {
		t.Fatalf("free-nic: %v %+v", err, nic.Properties)
	}
}
