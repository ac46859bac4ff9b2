package compute

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// virtualMachines serves Microsoft.Compute/virtualMachines (api-version
// 2024-11-01 as armcompute/v6 sends it). The estate's VMs come from the
// seed or the admin API (POST /_emulator/vms, admin.go) and are read-only
// through ARM: each has a NIC (nics.go) and, while running, serves a web
// site (sites.go) whose URL is in the VM's azuredr-emulator-web tag and
// which takes canary writes (canary.go). VMs a client creates through ARM
// (vms_write.go) run no application and serve no site.
type virtualMachines struct {
	s *Service
}

const (
	VMType          = "Microsoft.Compute/virtualMachines"
	vmPath          = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}"
	vmListPath      = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines"
	vmListAllPath   = "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines"
	vmByLocation    = "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/virtualMachines"
	vmInstanceViewP = vmPath + "/instanceView"

	// WebTag is the tag on every VM that holds its web site's URL,
	// "http://ADDRESS:PORT/".
	WebTag = "azuredr-emulator-web"

	PowerRunning = "running"
)

func (v *virtualMachines) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodGet, Pattern: vmPath, Operation: "VirtualMachines_Get", Handle: v.get},
		{Method: http.MethodPut, Pattern: vmPath, Operation: "VirtualMachines_CreateOrUpdate", Handle: v.put},
		{Method: http.MethodDelete, Pattern: vmPath, Operation: "VirtualMachines_Delete", Handle: v.delete},
		{Method: http.MethodGet, Pattern: vmInstanceViewP, Operation: "VirtualMachines_InstanceView", Handle: v.instanceView},
		{Method: http.MethodGet, Pattern: vmListPath, Operation: "VirtualMachines_List", Handle: v.list},
		{Method: http.MethodGet, Pattern: vmListAllPath, Operation: "VirtualMachines_ListAll", Handle: v.listAll},
		{Method: http.MethodGet, Pattern: vmByLocation, Operation: "VirtualMachines_ListByLocation", Handle: v.listByLocation},
		{Method: http.MethodPost, Pattern: vmRunCommandPath, Operation: "VirtualMachines_RunCommand", Handle: v.runCommand},
		{Method: http.MethodGet, Pattern: "/_emulator/vms", Admin: true, Handle: v.s.listVMSites},
		{Method: http.MethodPost, Pattern: "/_emulator/vms", Admin: true, Handle: v.s.addVM},
	}
}

func (v *virtualMachines) OperationKinds() []lro.Kind {
	return append(v.writeKinds(), v.runCommandKind())
}

// VM is a VM as stored and as ARM returns it.
type VM struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Zones      []string          `json:"zones,omitempty"`
	Properties vmProperties      `json:"properties"`
}

type vmProperties struct {
	VMID              string            `json:"vmId"`
	HardwareProfile   *vmHardware       `json:"hardwareProfile,omitempty"`
	StorageProfile    *vmStorage        `json:"storageProfile,omitempty"`
	OSProfile         *vmOSProfile      `json:"osProfile,omitempty"`
	NetworkProfile    *vmNetworkProfile `json:"networkProfile,omitempty"`
	ProvisioningState string            `json:"provisioningState"`
	TimeCreated       time.Time         `json:"timeCreated"`
	InstanceView      *vmInstanceView   `json:"instanceView,omitempty"` // with $expand=instanceView only
}

type vmHardware struct {
	VMSize string `json:"vmSize"`
}

type vmStorage struct {
	// ImageReference is the image an ARM-created VM was made from (the
	// estate's VMs name none).
	ImageReference *vmImageReference `json:"imageReference,omitempty"`
	OSDisk         Disk              `json:"osDisk"`
	DataDisks      []Disk            `json:"dataDisks"`
}

type vmImageReference struct {
	Publisher    string `json:"publisher"`
	Offer        string `json:"offer"`
	SKU          string `json:"sku"`
	Version      string `json:"version"`
	ExactVersion string `json:"exactVersion,omitempty"`
}

// Disk is an OS disk (OSType set, no Lun) or a data disk (Lun set).
type Disk struct {
	Lun          *int          `json:"lun,omitempty"`
	Name         string        `json:"name"`
	OSType       string        `json:"osType,omitempty"`
	CreateOption string        `json:"createOption"`
	Caching      string        `json:"caching,omitempty"`
	DiskSizeGB   int           `json:"diskSizeGB"`
	ManagedDisk  vmManagedDisk `json:"managedDisk"`
	// DeleteOption is what deleting the VM does to the disk (Delete or
	// Detach); ARM-created VMs only.
	DeleteOption string `json:"deleteOption,omitempty"`
}

type vmManagedDisk struct {
	ID                 string `json:"id"`
	StorageAccountType string `json:"storageAccountType"`
}

type vmOSProfile struct {
	ComputerName  string `json:"computerName"`
	AdminUsername string `json:"adminUsername,omitempty"`
	// The configurations an ARM-created VM was given (never its password:
	// Azure does not return it).
	LinuxConfiguration       *vmLinuxConfiguration   `json:"linuxConfiguration,omitempty"`
	WindowsConfiguration     *vmWindowsConfiguration `json:"windowsConfiguration,omitempty"`
	AllowExtensionOperations *bool                   `json:"allowExtensionOperations,omitempty"`
	// Secrets are the Key Vault certificates put on the VM: none, which
	// Azure answers as an empty list (the spec's example
	// VirtualMachine_Create_WithSshAuthentication.json).
	Secrets []json.RawMessage `json:"secrets"`
}

// MarshalJSON answers secrets as Azure does, [] rather than null, also
// for profiles stored before the field existed.
func (p vmOSProfile) MarshalJSON() ([]byte, error) {
	type plain vmOSProfile
	if p.Secrets == nil {
		p.Secrets = []json.RawMessage{}
	}
	return json.Marshal(plain(p))
}

type vmLinuxConfiguration struct {
	DisablePasswordAuthentication bool   `json:"disablePasswordAuthentication"`
	SSH                           *vmSSH `json:"ssh,omitempty"`
	ProvisionVMAgent              bool   `json:"provisionVMAgent"`
}

type vmSSH struct {
	PublicKeys []vmSSHKey `json:"publicKeys"`
}

type vmSSHKey struct {
	Path    string `json:"path"`
	KeyData string `json:"keyData"`
}

type vmWindowsConfiguration struct {
	ProvisionVMAgent       bool `json:"provisionVMAgent"`
	EnableAutomaticUpdates bool `json:"enableAutomaticUpdates"`
}

type vmNetworkProfile struct {
	NetworkInterfaces []vmNICReference `json:"networkInterfaces"`
}

type vmNICReference struct {
	ID         string `json:"id"`
	Properties struct {
		Primary bool `json:"primary"`
		// DeleteOption is what deleting the VM does to the NIC (Delete or
		// Detach); ARM-created VMs only.
		DeleteOption string `json:"deleteOption,omitempty"`
	} `json:"properties"`
}

// vmInstanceView is the VirtualMachineInstanceView the SDK reads.
type vmInstanceView struct {
	ComputerName string               `json:"computerName"`
	VMAgent      *vmAgentView         `json:"vmAgent,omitempty"`
	Statuses     []instanceViewStatus `json:"statuses"`
}

// vmAgentView is the VM agent's report: "Ready" while the VM runs, which is
// what lets Run Command reach it.
type vmAgentView struct {
	VMAgentVersion string               `json:"vmAgentVersion"`
	Statuses       []instanceViewStatus `json:"statuses"`
}

type instanceViewStatus struct {
	Code          string     `json:"code"`
	Level         string     `json:"level"`
	DisplayStatus string     `json:"displayStatus"`
	Time          *time.Time `json:"time,omitempty"`
}

// VMState is the emulator's own record of a VM, next to its ARM body: what
// its web site shows and where it answers. Issue 5's replication grows it.
type VMState struct {
	ID string `json:"id"` // the VM's ARM id
	// Title heads the site's page (the VM name when empty).
	Title string `json:"title,omitempty"`
	// Role is what the VM is for: "primary" (also when empty) takes the
	// application's writes (canaries); other roles (test or recovery VMs
	// made by Site Recovery) refuse them.
	Role string `json:"role,omitempty"`
	// PowerState is the VM's power state ("running"); only running VMs
	// serve their site.
	PowerState string `json:"powerState"`
	// Address is the loopback IP its site is bound to, once bound.
	Address string `json:"address,omitempty"`
	// Data is the data version the VM holds.
	Data web.DataVersion `json:"dataVersion"`
	// History is every data version the VM has held, oldest first (Data is
	// the last): Site Recovery's time model replays it to tell which
	// version reached the recovery side when. It is bounded: only the last
	// maxVMHistory versions are kept (older ones are dropped as new ones
	// are written).
	History []web.DataVersion `json:"history,omitempty"`
	// ServingSince is when (simulated time) the VM's site first served
	// (kept across restarts and rebinds).
	ServingSince *time.Time `json:"servingSince,omitempty"`
	// Files are what Run Command scripts wrote on the VM's disks
	// (files.go): they replicate with the data versions.
	Files *VMFiles `json:"files,omitempty"`
}

// VM roles (VMState.Role).
const (
	RolePrimary  = "primary"
	RoleTest     = "test"     // a test failover's VM (package siterecovery, tfo.go)
	RoleRecovery = "recovery" // a failover's VM (package siterecovery, failover.go)
)

// maxVMHistory bounds VMState.History: 10,000 versions (about 1 MB of
// JSON per VM) covers a canary every minute for a week, far more than any
// recovery point retention a drill looks back on.
const maxVMHistory = 10000

// CurrentRole is the VM's role, "primary" when unset.
func (st *VMState) CurrentRole() string {
	if st.Role == "" {
		return RolePrimary
	}
	return st.Role
}

// Record makes v the VM's data version and appends it to its history,
// dropping the oldest versions beyond maxVMHistory.
func (st *VMState) Record(v web.DataVersion) {
	st.Data = v
	st.History = append(st.History, v)
	if n := len(st.History) - maxVMHistory; n > 0 {
		st.History = append([]web.DataVersion(nil), st.History[n:]...)
	}
}

// vmStatePrefix keys VMState records: the prefix plus the VM's id.
const vmStatePrefix = "/_emulator/vms"

// StateKey is the store key of a VM's VMState.
func StateKey(vmID string) string { return vmStatePrefix + vmID }

// VMID is the id of a VM.
func VMID(subscriptionID, group, name string) string {
	return arm.ResourceGroupID(subscriptionID, group) + "/providers/" + VMType + "/" + name
}

// instanceViewOf is the instance view of a VM: provisioning state and power
// state, as Azure reports them.
func instanceViewOf(vm *VM, st *VMState) *vmInstanceView {
	power := PowerRunning
	if st != nil && st.PowerState != "" {
		power = st.PowerState
	}
	created := vm.Properties.TimeCreated
	view := &vmInstanceView{
		ComputerName: vm.Name,
		Statuses: []instanceViewStatus{
			{Code: "ProvisioningState/" + strings.ToLower(vm.Properties.ProvisioningState), Level: "Info",
				DisplayStatus: "Provisioning " + strings.ToLower(vm.Properties.ProvisioningState), Time: &created},
			{Code: "PowerState/" + power, Level: "Info", DisplayStatus: "VM " + power},
		},
	}
	if power == PowerRunning {
		view.VMAgent = &vmAgentView{VMAgentVersion: vmAgentVersion, Statuses: []instanceViewStatus{
			{Code: "ProvisioningState/succeeded", Level: "Info", DisplayStatus: "Ready", Time: &created}}}
	}
	return view
}

// vmAgentVersion is the Azure VM agent version the VMs report.
const vmAgentVersion = "2.13.1.1"

// findVM returns the VM the request names, or the ARM 404s.
func (v *virtualMachines) findVM(r store.Reader, req *service.Request) (*VM, error) {
	rg, err := resources.FindGroup(r, req)
	if err != nil {
		return nil, err
	}
	group, name := req.Param("resourceGroupName"), req.Param("vmName")
	vm, ok, err := service.GetJSON[VM](r, VMID(req.Param("subscriptionId"), rg.Name, name))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, arm.ResourceNotFound(VMType, name, group)
	}
	return vm, nil
}

// expandInstanceView reads $expand: "instanceView" adds the instance view,
// "userData" is accepted (the emulator's VMs have none).
func expandInstanceView(req *service.Request) (bool, error) {
	switch e := req.HTTP.URL.Query().Get("$expand"); {
	case e == "":
		return false, nil
	case strings.EqualFold(e, "instanceView"):
		return true, nil
	case strings.EqualFold(e, "userData"):
		return false, nil
	default:
		return false, arm.InvalidQueryParameter("$expand", "expected instanceView or userData")
	}
}

func (v *virtualMachines) withInstanceView(r store.Reader, vm *VM) *VM {
	st, _, _ := service.GetJSON[VMState](r, StateKey(vm.ID))
	vm.Properties.InstanceView = instanceViewOf(vm, st)
	return vm
}

func (v *virtualMachines) get(req *service.Request) (arm.Response, error) {
	expand, err := expandInstanceView(req)
	if err != nil {
		return arm.Response{}, err
	}
	vm, err := v.findVM(v.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	if expand {
		vm = v.withInstanceView(v.s.Store, vm)
	}
	return arm.JSON(http.StatusOK, vm), nil
}

func (v *virtualMachines) instanceView(req *service.Request) (arm.Response, error) {
	vm, err := v.findVM(v.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return arm.JSON(http.StatusOK, v.withInstanceView(v.s.Store, vm).Properties.InstanceView), nil
}

// ListVMs returns the VMs under prefix (a subscription or group id plus
// "/"), sorted by id, those keep(vm) accepts.
func ListVMs(r store.Reader, prefix string, keep func(*VM) bool) ([]*VM, error) {
	var out []*VM
	for _, e := range r.List(prefix) {
		if !service.IsResourceKey(e.Key, VMType) {
			continue
		}
		vm, _, err := service.GetJSON[VM](r, e.Key)
		if err != nil {
			return nil, err
		}
		if keep == nil || keep(vm) {
			out = append(out, vm)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out, nil
}

func (v *virtualMachines) respondList(r store.Reader, req *service.Request, prefix string, keep func(*VM) bool, statusOnly bool) (arm.Response, error) {
	expand, err := expandInstanceView(req)
	if err != nil {
		return arm.Response{}, err
	}
	vms, err := ListVMs(r, prefix, keep)
	if err != nil {
		return arm.Response{}, err
	}
	if vms == nil {
		vms = []*VM{}
	}
	if expand || statusOnly {
		for i := range vms {
			vms[i] = v.withInstanceView(r, vms[i])
		}
	}
	return arm.JSON(http.StatusOK, service.List[*VM]{Value: vms}), nil
}

func (v *virtualMachines) list(req *service.Request) (arm.Response, error) {
	rg, err := resources.FindGroup(v.s.Store, req)
	if err != nil {
		return arm.Response{}, err
	}
	return v.respondList(v.s.Store, req, rg.ID+"/", nil, false)
}

func (v *virtualMachines) listAll(req *service.Request) (arm.Response, error) {
	statusOnly := strings.EqualFold(req.HTTP.URL.Query().Get("statusOnly"), "true")
	return v.respondList(v.s.Store, req, "/subscriptions/"+req.Param("subscriptionId")+"/", nil, statusOnly)
}

func (v *virtualMachines) listByLocation(req *service.Request) (arm.Response, error) {
	loc := regions.Canonical(req.Param("location"))
	if loc == "" {
		return arm.Response{}, arm.LocationNotAvailableForResourceType(req.Param("location"), VMType, regions.Names())
	}
	return v.respondList(v.s.Store, req, "/subscriptions/"+req.Param("subscriptionId")+"/",
		func(vm *VM) bool { return vm.Location == loc }, false)
}
