package emulator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// seedVirtualMachine is one VM of the estate in the seed file, inside its
// resource group:
//
//	"virtualMachines": [{"name": "vm-web-1", "location": "centralus", "tags": {...}, "site": {"title": "Milestone CMS"}}]
//
// location defaults to the group's. Every VM starts running, serving its
// site with data version 1. Later issues add fields (NICs, size, data).
type seedVirtualMachine struct {
	Name     string            `json:"name"`
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
	Site     *seedSite         `json:"site"`
}

// seedSite is what the VM's web site shows.
type seedSite struct {
	// Title heads the page; the VM name when empty.
	Title string `json:"title"`
}

// seededVM is a validated VM, ready to be stored.
type seededVM struct {
	vm    *virtualMachine
	state *vmState
}

var vmNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// validateVMName applies Azure's VM naming rules: 1 to 64 letters, digits,
// periods, underscores and hyphens, starting with a letter or digit and not
// ending with a period or hyphen.
func validateVMName(name string) error {
	if !vmNamePattern.MatchString(name) || strings.HasSuffix(name, ".") || strings.HasSuffix(name, "-") {
		return arm.InvalidResourceName(name, vmType,
			"it must be 1 to 64 letters, digits, periods, underscores and hyphens, start with a letter or digit and not end with a period or hyphen")
	}
	return nil
}

// parseSeedVMs reads the virtualMachines of every group of a seed file that
// parseSeed already accepted (so the shape is known to be right), validates
// them and names the item at fault.
func parseSeedVMs(data []byte, now time.Time) ([]seededVM, error) {
	var f seedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	var out []seededVM
	for i, sub := range f.Subscriptions {
		for j, g := range sub.ResourceGroups {
			groupLocation, err := resolveLocation(g.Location)
			if err != nil {
				return nil, err // parseSeed reports it first
			}
			names := map[string]bool{}
			for k, sv := range g.VirtualMachines {
				where := fmt.Sprintf("subscriptions[%d] (%q).resourceGroups[%d] (%q).virtualMachines[%d] (%q)", i, sub.ID, j, g.Name, k, sv.Name)
				vm, err := seedVMOf(sub.ID, g.Name, groupLocation, sv, now)
				if err != nil {
					return nil, fmt.Errorf("%s: %s", where, arm.AsError(err).Message)
				}
				if names[strings.ToLower(sv.Name)] {
					return nil, fmt.Errorf("%s: the virtual machine appears twice in the group (names are case-insensitive)", where)
				}
				names[strings.ToLower(sv.Name)] = true
				out = append(out, vm)
			}
		}
	}
	return out, nil
}

func seedVMOf(subscriptionID, group, groupLocation string, sv seedVirtualMachine, now time.Time) (seededVM, error) {
	if err := validateVMName(sv.Name); err != nil {
		return seededVM{}, err
	}
	location := groupLocation
	if sv.Location != "" {
		var err error
		if location, err = resolveLocation(sv.Location); err != nil {
			return seededVM{}, err
		}
	}
	if _, reserved := sv.Tags[WebTag]; reserved {
		return seededVM{}, arm.BadRequest("InvalidTag", "The tag '%s' is set by the emulator to the VM's web site URL.", WebTag)
	}
	id := vmID(subscriptionID, group, sv.Name)
	title := ""
	if sv.Site != nil {
		title = sv.Site.Title
	}
	vm := &virtualMachine{
		ID: id, Name: sv.Name, Type: vmType, Location: location, Tags: sv.Tags,
		Properties: vmProperties{VMID: arm.NewGUID(), ProvisioningState: stateSucceeded, TimeCreated: now},
	}
	st := &vmState{ID: id, Title: title, PowerState: powerRunning, Data: web.DataVersion{Version: 1, WrittenAt: now}}
	return seededVM{vm: vm, state: st}, nil
}

// putSeedVMs stores seeded VMs; their sites start (and get their address
// and URL tag) when the emulator starts serving.
func putSeedVMs(tx *store.Tx, vms []seededVM) error {
	for _, v := range vms {
		if err := putJSON(tx, v.vm.ID, v.vm); err != nil {
			return err
		}
		if err := putJSON(tx, vmStateKey(v.vm.ID), v.state); err != nil {
			return err
		}
	}
	return nil
}
