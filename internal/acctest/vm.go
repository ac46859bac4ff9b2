package acctest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/admin"
)

// VM is a virtual machine of the estate, made by CreateVM: something for a
// test to replicate, fail over and drill. Its web site (WebURL, ending in
// "/") shows the data version it holds and takes canary writes (Canary).
type VM struct {
	ID            string
	Name          string
	ResourceGroup string
	Location      string
	// PrivateIP is its address in its subnet ("" without a subnet).
	PrivateIP string
	// NICID is its network interface, "<name>-nic" in its group.
	NICID  string
	WebURL string
}

// VMOption sets an optional field of a VM made by CreateVM.
type VMOption func(*admin.NewVM)

// WithSize sets the VM size (default Standard_D2s_v3).
func WithSize(size string) VMOption { return func(vm *admin.NewVM) { vm.Size = size } }

// WithPrivateIP gives the VM a fixed address in its subnet (default: the
// next free one).
func WithPrivateIP(ip string) VMOption { return func(vm *admin.NewVM) { vm.PrivateIPAddress = ip } }

// WithDataDisks gives the VM data disks of these sizes in GB (LUNs 0, 1, ...).
func WithDataDisks(gb ...int) VMOption { return func(vm *admin.NewVM) { vm.DataDisks = gb } }

// WithSiteTitle sets the heading of the VM's web page (default its name).
func WithSiteTitle(title string) VMOption {
	return func(vm *admin.NewVM) { vm.Site = &admin.Site{Title: title} }
}

// CreateVM adds a running VM to an existing resource group of
// SubscriptionID through the emulator's admin API (admin.Client.AddVM),
// with its NIC in subnetID (a subnet id in the same group, e.g.
// Estate.NetworkID+"/subnets/web"; "" for no network) and its web site
// serving when it returns. location "" means the group's. The VM goes away
// with its resource group (CreateEstate's group is deleted when the test
// ends); the emulator has no other way to delete one.
func CreateVM(t *testing.T, group, name, location, subnetID string, opts ...VMOption) VM {
	t.Helper()
	body := admin.NewVM{SubscriptionID: SubscriptionID, ResourceGroup: group, Name: name, Location: location}
	if subnetID != "" {
		body.Subnet = subnetOf(t, group, subnetID)
	}
	for _, o := range opts {
		o(&body)
	}
	site, err := Admin(t).AddVM(context.Background(), body)
	if err != nil {
		t.Fatalf("creating VM %s: %v", name, err)
	}
	return VM{ID: site.ID, Name: site.Name, ResourceGroup: group, Location: site.Location,
		PrivateIP: site.PrivateIPAddress, NICID: site.NICID, WebURL: site.URL}
}

// subnetOf turns a subnet id into the admin API's "<vnet>/<subnet>",
// checking it is in the VM's group.
func subnetOf(t *testing.T, group, subnetID string) string {
	t.Helper()
	segs := strings.Split(strings.Trim(subnetID, "/"), "/")
	// subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/virtualNetworks/{v}/subnets/{n}
	if len(segs) != 10 || !strings.EqualFold(segs[0], "subscriptions") || !strings.EqualFold(segs[2], "resourceGroups") ||
		!strings.EqualFold(segs[6], "virtualNetworks") || !strings.EqualFold(segs[8], "subnets") {
		t.Fatalf("%q is not a subnet id", subnetID)
	}
	if !strings.EqualFold(segs[1], SubscriptionID) || !strings.EqualFold(segs[3], group) {
		t.Fatalf("subnet %s is not in resource group %s of subscription %s: a VM's NIC joins a network of its own group", subnetID, group, SubscriptionID)
	}
	return segs[7] + "/" + segs[9]
}

// Canary writes a new data version on a primary VM through its web site
// (POST {webURL}canary) and returns it: the version number and when it was
// written, in the emulator's simulated time.
func Canary(t *testing.T, webURL string) (version int, writtenAt time.Time) {
	t.Helper()
	url := strings.TrimSuffix(webURL, "/") + "/canary"
	resp, err := httpClient.Post(url, "text/plain", strings.NewReader(t.Name()))
	if err != nil {
		t.Fatalf("canary %s: %v", url, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("canary %s: %d %s", url, resp.StatusCode, answer)
	}
	var out struct {
		Version   int       `json:"version"`
		WrittenAt time.Time `json:"writtenAt"`
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		t.Fatalf("canary %s: decoding %s: %v", url, answer, err)
	}
	return out.Version, out.WrittenAt
}

// httpClient talks to the emulator's admin API and the VMs' sites, all on
// loopback.
var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}

// Admin is a client of the shared emulator's admin API (see Emulator), for
// what ARM cannot do: add VMs, inject faults, read counters and the
// replication model's ground truth.
func Admin(t *testing.T) *admin.Client {
	t.Helper()
	return admin.New(Emulator(t).URL(), admin.WithHTTPClient(httpClient))
}
