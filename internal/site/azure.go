package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The site's Azure calls: finders and waiters for its resource groups, after
// terraform-provider-aws's find/status/wait split.

// group is the part of a resource group the site cares about.
type group struct {
	ID                string
	Name              string
	Location          string
	Tags              map[string]string
	ProvisioningState string
}

func (g *group) deleting() bool { return strings.EqualFold(g.ProvisioningState, "Deleting") }

// findGroup returns the resource group, or (nil, nil) when it does not exist.
func findGroup(ctx context.Context, c *azure.Client, name string) (*group, error) {
	resp, err := c.ResourceGroups().Get(ctx, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	g := &group{Tags: map[string]string{}}
	if resp.ID != nil {
		g.ID = *resp.ID
	}
	if resp.Name != nil {
		g.Name = *resp.Name
	}
	if resp.Location != nil {
		g.Location = *resp.Location
	}
	for k, v := range resp.Tags {
		if v != nil {
			g.Tags[k] = *v
		}
	}
	if resp.Properties != nil && resp.Properties.ProvisioningState != nil {
		g.ProvisioningState = *resp.Properties.ProvisioningState
	}
	return g, nil
}

// errForeignGroup means the name is taken by a group this site does not own.
var errForeignGroup = errors.New("resource group exists and is not managed by this site")

// ensureGroup creates the group or brings an existing one of this site (left
// by an interrupted apply) to the wanted tags. It never adopts a group that
// belongs to something else. created says whether this call created it, so a
// failed Create can remove exactly what it made.
func ensureGroup(ctx context.Context, c *azure.Client, name, location string, tags map[string]string) (g *group, created bool, err error) {
	existing, err := findGroup(ctx, c, name)
	if err != nil {
		return nil, false, err
	}
	if existing != nil {
		if existing.Tags[tagSite] != tags[tagSite] || existing.Tags[tagRole] != tags[tagRole] {
			return nil, false, fmt.Errorf("%w: %s (tags %s=%q, %s=%q); choose another name or delete it",
				errForeignGroup, existing.ID, tagSite, existing.Tags[tagSite], tagRole, existing.Tags[tagRole])
		}
		if !strings.EqualFold(existing.Location, location) {
			return nil, false, fmt.Errorf("%w: %s is in %s, not %s", errForeignGroup, existing.ID, existing.Location, location)
		}
		if existing.deleting() {
			// A delete from an earlier run is still in flight: let it finish,
			// then create afresh rather than fail with ResourceGroupBeingDeleted.
			if err := waitGroupGone(ctx, c, name); err != nil {
				return nil, false, err
			}
			existing = nil
		}
	}
	if err := putGroup(ctx, c, name, location, tags); err != nil {
		return nil, false, err
	}
	g, err = findGroup(ctx, c, name)
	if err == nil && g == nil {
		err = fmt.Errorf("resource group %s vanished right after it was created", name)
	}
	return g, existing == nil, err
}

func putGroup(ctx context.Context, c *azure.Client, name, location string, tags map[string]string) error {
	body := armresources.ResourceGroup{Location: &location, Tags: map[string]*string{}}
	for k, v := range tags {
		body.Tags[k] = &v
	}
	_, err := c.ResourceGroups().CreateOrUpdate(ctx, name, body, nil)
	return err
}

// deleteGroup deletes the group and everything in it and waits until Azure
// reports it gone. A group that is already gone is not an error.
func deleteGroup(ctx context.Context, c *azure.Client, name string) error {
	tflog.Info(ctx, "deleting resource group", map[string]any{"resource_group": name})
	return azure.Delete(ctx, func() (*runtime.Poller[armresources.ResourceGroupsClientDeleteResponse], error) {
		return c.ResourceGroups().BeginDelete(ctx, name, nil)
	})
}

// waitGroupGone waits for a delete started elsewhere by joining it: ARM
// answers a second DELETE of a group being deleted with the same operation.
func waitGroupGone(ctx context.Context, c *azure.Client, name string) error {
	tflog.Info(ctx, "waiting for an earlier delete of the resource group to finish", map[string]any{"resource_group": name})
	start := time.Now()
	if err := deleteGroup(ctx, c, name); err != nil {
		return err
	}
	tflog.Info(ctx, "earlier delete finished", map[string]any{"resource_group": name, "waited": time.Since(start).String()})
	return nil
}
