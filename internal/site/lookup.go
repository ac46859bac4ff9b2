package site

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Info is what other capabilities need to know of a site: its regions and
// where its recovery-side and test-failover resources go. It is rebuilt
// from the recovery resource group's tags, the site's one source of truth.
type Info struct {
	ID                    string
	Name                  string
	PrimaryLocation       string
	RecoveryLocation      string
	RecoveryResourceGroup string
	TestResourceGroup     string
}

// ErrNotASite means the id does not name the recovery group of a site.
var ErrNotASite = fmt.Errorf("not the id of an azuredr_site")

// Find returns the site whose id (the recovery resource group id) is given,
// or an error wrapping ErrNotASite.
func Find(ctx context.Context, c *azure.Client, siteID string) (*Info, error) {
	id, err := arm.ParseResourceID(siteID)
	if err != nil || id.ResourceType.String() != "Microsoft.Resources/resourceGroups" {
		return nil, fmt.Errorf("%w: %q is not a resource group id (use azuredr_site.<name>.id)", ErrNotASite, siteID)
	}
	g, err := findGroup(ctx, c, id.ResourceGroupName)
	if err != nil {
		return nil, err
	}
	if g == nil || g.deleting() {
		return nil, fmt.Errorf("%w: resource group %s does not exist", ErrNotASite, siteID)
	}
	if g.Tags[tagRole] != roleRecovery || g.Tags[tagSite] == "" {
		return nil, fmt.Errorf("%w: %s has no %s=%s tag", ErrNotASite, siteID, tagRole, roleRecovery)
	}
	return &Info{
		ID:                    g.ID,
		Name:                  g.Tags[tagSite],
		PrimaryLocation:       g.Tags[tagPrimary],
		RecoveryLocation:      g.Location,
		RecoveryResourceGroup: g.Name,
		TestResourceGroup:     g.Tags[tagTestGroup],
	}, nil
}
