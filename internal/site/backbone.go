package site

import (
	"context"
	"errors"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

// The Site Recovery backbone a site builds after its resource groups: the
// vault, then a fabric per region, then a protection container in each.
// Every step checks before it creates, so an apply interrupted half-way
// resumes where it stopped, and Update repairs what was deleted behind
// Terraform's back.

// backbonePart is one piece of the backbone, in creation order.
type backbonePart struct {
	what   string // for logs and errors
	id     string // its ARM id
	exists func(context.Context) (bool, error)
	create func(context.Context) error
	remove func(context.Context) error
}

func backboneParts(c *azure.Client, in *Info) []backbonePart {
	vault := backbonePart{
		what:   "Recovery Services vault " + in.VaultID,
		id:     in.VaultID,
		exists: func(ctx context.Context) (bool, error) { return vaultExists(ctx, c, in) },
		create: func(ctx context.Context) error {
			return createVault(ctx, c, in, map[string]string{tagSite: in.Name, tagRole: roleVault})
		},
		remove: func(ctx context.Context) error { return deleteVault(ctx, c, in) },
	}
	fabric := func(name, location string) backbonePart {
		return backbonePart{
			what:   "replication fabric " + in.FabricID(name),
			id:     in.FabricID(name),
			exists: func(ctx context.Context) (bool, error) { return fabricExists(ctx, c, in, name) },
			create: func(ctx context.Context) error { return createFabric(ctx, c, in, name, location) },
			remove: func(ctx context.Context) error { return deleteFabric(ctx, c, in, name) },
		}
	}
	container := func(fabric, name string) backbonePart {
		return backbonePart{
			what:   "protection container " + in.ContainerID(fabric, name),
			id:     in.ContainerID(fabric, name),
			exists: func(ctx context.Context) (bool, error) { return containerExists(ctx, c, in, fabric, name) },
			create: func(ctx context.Context) error { return createContainer(ctx, c, in, fabric, name) },
			remove: func(ctx context.Context) error { return deleteContainer(ctx, c, in, fabric, name) },
		}
	}
	return []backbonePart{
		vault,
		fabric(in.PrimaryFabric, in.PrimaryLocation),
		fabric(in.RecoveryFabric, in.RecoveryLocation),
		container(in.PrimaryFabric, in.PrimaryContainer),
		container(in.RecoveryFabric, in.RecoveryContainer),
	}
}

// backboneStages groups the parts by dependency: the vault, then the two
// fabrics, then the two containers. Parts of one stage are independent and
// run side by side, which halves the time a site takes to build.
func backboneStages(parts []backbonePart) [][]backbonePart {
	return [][]backbonePart{parts[0:1], parts[1:3], parts[3:5]}
}

// eachInParallel runs f on every part of a stage at once and returns the
// errors in the stage's order.
func eachInParallel(parts []backbonePart, f func(int, backbonePart) error) []error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i, p)
		}()
	}
	wg.Wait()
	return errs
}

// backboneError says which part failed, keeping the Azure error inside.
type backboneError struct {
	what string
	err  error
}

func (e *backboneError) Error() string { return e.what + ": " + e.err.Error() }
func (e *backboneError) Unwrap() error { return e.err }

// ensureBackbone creates the parts that are missing, in order. It returns
// the parts this call created or tried to create, so a failed Create can
// remove exactly those.
func ensureBackbone(ctx context.Context, c *azure.Client, in *Info) (created []backbonePart, err error) {
	for _, stage := range backboneStages(backboneParts(c, in)) {
		made := make([]bool, len(stage))
		errs := eachInParallel(stage, func(i int, p backbonePart) error {
			ok, err := p.exists(ctx)
			if err == nil && !ok {
				// Recorded even when the create fails: a failed write may
				// still have made the part, and removing one that is not
				// there is harmless.
				made[i] = true
				err = p.create(ctx)
			}
			return err
		})
		for i, p := range stage {
			if made[i] {
				created = append(created, p)
			}
		}
		for i, err := range errs {
			if err != nil {
				return created, &backboneError{what: stage[i].what, err: err}
			}
		}
	}
	tflog.Info(ctx, "Site Recovery backbone in place", map[string]any{"vault": in.VaultID, "created": len(created)})
	return created, nil
}

// deleteBackbone removes the whole backbone, stage by stage in reverse
// (both containers at once, then both fabrics, then the vault); parts
// already gone are fine. It carries on past failures, returning one error
// per part that failed.
func deleteBackbone(ctx context.Context, c *azure.Client, in *Info) []error {
	var out []error
	stages := backboneStages(backboneParts(c, in))
	for i := len(stages) - 1; i >= 0; i-- {
		errs := eachInParallel(stages[i], func(_ int, p backbonePart) error { return p.remove(ctx) })
		for j, err := range errs {
			if err != nil {
				out = append(out, &backboneError{what: stages[i][j].what, err: err})
			}
		}
	}
	return out
}

// addBackboneError reports a failed part in the summary ("Cannot create
// protection container ...") and keeps ARM's code and request id in the
// detail.
func addBackboneError(diags *diag.Diagnostics, verb string, err error) {
	var be *backboneError
	if errors.As(err, &be) {
		framework.AddAzureError(diags, "Cannot "+verb+" "+be.what, be.err)
		return
	}
	framework.AddAzureError(diags, "Cannot "+verb+" the Site Recovery backbone", err)
}

// backboneState is what Read found of each part.
type backboneState struct {
	Vault, PrimaryFabric, RecoveryFabric, PrimaryContainer, RecoveryContainer bool
}

// readBackbone checks each part. A missing vault means nothing below it
// exists, so it stops there.
func readBackbone(ctx context.Context, c *azure.Client, in *Info) (backboneState, error) {
	var s backboneState
	parts := backboneParts(c, in)
	found := []*bool{&s.Vault, &s.PrimaryFabric, &s.RecoveryFabric, &s.PrimaryContainer, &s.RecoveryContainer}
	for i, p := range parts {
		ok, err := p.exists(ctx)
		if err != nil {
			return s, &backboneError{what: p.what, err: err}
		}
		*found[i] = ok
		if i == 0 && !ok {
			break
		}
	}
	return s, nil
}

// setBackbone records the backbone's ids from Info, the one source of its
// names. A part Read found missing is recorded as "", which ModifyPlan turns
// into a planned repair (see plan.go).
func (m *siteModel) setBackbone(in *Info, s backboneState) {
	id := func(ok bool, v string) types.String {
		if !ok {
			return types.StringValue("")
		}
		return types.StringValue(v)
	}
	m.VaultName = types.StringValue(in.VaultName)
	m.VaultID = id(s.Vault, in.VaultID)
	m.PrimaryFabricID = id(s.PrimaryFabric, in.FabricID(in.PrimaryFabric))
	m.RecoveryFabricID = id(s.RecoveryFabric, in.FabricID(in.RecoveryFabric))
	m.PrimaryContainerID = id(s.PrimaryContainer, in.PrimaryContainerID)
	m.RecoveryContainerID = id(s.RecoveryContainer, in.RecoveryContainerID)
}

// complete is the state of a backbone that ensureBackbone just built.
var complete = backboneState{true, true, true, true, true}
