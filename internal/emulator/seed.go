package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/compute"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// The seed file describes the estate that exists before anyone runs
// Terraform: the production resources DR is added to. It is nested the way
// ARM ids are (subscription > resource group > resources) so later resource
// types (virtualNetworks, networkSecurityGroups, virtualMachines) become new
// lists inside a resource group.
type seedFile struct {
	Subscriptions []seedSubscription `json:"subscriptions"`
}

type seedSubscription struct {
	ID             string              `json:"id"`
	ResourceGroups []seedResourceGroup `json:"resourceGroups"`
}

type seedResourceGroup struct {
	Name      string            `json:"name"`
	Location  string            `json:"location"`
	Tags      map[string]string `json:"tags"`
	ManagedBy string            `json:"managedBy"`
	// VirtualMachines are the group's VMs (package compute, seed.go).
	VirtualMachines []compute.SeedVirtualMachine `json:"virtualMachines"`
	// VirtualNetworks and NetworkSecurityGroups are its networks (package network, seed.go).
	VirtualNetworks       []network.SeedVirtualNetwork `json:"virtualNetworks"`
	NetworkSecurityGroups []network.SeedNSG            `json:"networkSecurityGroups"`
}

// seedMarkerKey records that a seed was applied, so it is applied once.
const seedMarkerKey = "/_emulator/meta/seed"

type seedMarker struct {
	File      string    `json:"file"`
	AppliedAt time.Time `json:"appliedAt"`
}

// applySeed loads the seed file into an empty data directory in one
// transaction. A directory that already holds resources, or had a seed
// applied, keeps its state: the seed is ignored and that is logged.
func (s *Server) applySeed(path string) error {
	if _, seeded := s.store.Get(seedMarkerKey); seeded {
		s.log.Info("seed ignored: a seed was already applied to this data directory", "seed", path, "dataDir", s.opts.DataDir)
		return nil
	}
	if len(s.store.List("/subscriptions/")) > 0 {
		s.log.Info("seed ignored: the data directory is not empty", "seed", path, "dataDir", s.opts.DataDir)
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	groups, err := s.putEstate(data, func(tx *store.Tx) error {
		return service.PutJSON(tx, seedMarkerKey, seedMarker{File: path, AppliedAt: s.clock.Now()})
	})
	if err != nil {
		return fmt.Errorf("seed %s: %w", path, err)
	}
	s.log.Info("seed applied", "seed", path, "resourceGroups", len(groups))
	return nil
}

// putEstate validates an estate (the seed file's format) and writes it in
// one transaction, together with whatever also does; nothing is written
// when any part is invalid. It returns the resource groups written.
func (s *Server) putEstate(data []byte, also func(*store.Tx) error) ([]*resources.Group, error) {
	groups, err := parseSeed(data)
	if err != nil {
		return nil, err
	}
	vms, err := compute.ParseSeed(data, s.clock.Now())
	if err != nil {
		return nil, err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		for _, rg := range groups {
			if _, exists := tx.Get(rg.ID); exists {
				return arm.Conflict("The resource group '%s' already exists: an estate adds resource groups, it does not change them.", rg.ID)
			}
			if err := resources.PutGroup(tx, rg); err != nil {
				return err
			}
		}
		if err := s.network.PutSeed(tx, data); err != nil {
			return err
		}
		// VMs after networks: their NICs join the estate's subnets.
		if err := s.compute.PutSeed(tx, vms); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return groups, nil
}

// parseSeed decodes strictly (an unknown field is an error naming it) and
// validates every item with the API's own rules, naming the item at fault.
func parseSeed(data []byte) ([]*resources.Group, error) {
	var f seedFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, errors.New(service.DescribeJSONError(err))
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	var out []*resources.Group
	subs := map[string]bool{}
	for i, sub := range f.Subscriptions {
		where := fmt.Sprintf("subscriptions[%d] (%q)", i, sub.ID)
		if !arm.IsGUID(sub.ID) {
			return nil, fmt.Errorf("%s: the subscription id must be a GUID", where)
		}
		if subs[strings.ToLower(sub.ID)] {
			return nil, fmt.Errorf("%s: the subscription appears twice", where)
		}
		subs[strings.ToLower(sub.ID)] = true
		names := map[string]bool{}
		for j, g := range sub.ResourceGroups {
			where := fmt.Sprintf("%s.resourceGroups[%d] (%q)", where, j, g.Name)
			rg, err := seedResourceGroupOf(sub.ID, g)
			if err != nil {
				return nil, fmt.Errorf("%s: %s", where, arm.AsError(err).Message)
			}
			if names[strings.ToLower(g.Name)] {
				return nil, fmt.Errorf("%s: the resource group appears twice (names are case-insensitive)", where)
			}
			names[strings.ToLower(g.Name)] = true
			out = append(out, rg)
		}
	}
	return out, nil
}

func seedResourceGroupOf(subscriptionID string, g seedResourceGroup) (*resources.Group, error) {
	if err := resources.ValidateGroupName(g.Name); err != nil {
		return nil, err
	}
	location, err := resources.ResolveLocation(g.Location)
	if err != nil {
		return nil, err
	}
	return resources.NewGroup(subscriptionID, g.Name, location, g.Tags, g.ManagedBy), nil
}
