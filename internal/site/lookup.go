package site

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/approval"
	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/regions"
)

// Info is what other capabilities need to know of a site: its regions,
// where its recovery-side and test-failover resources go, and who may
// approve a real failover. It is rebuilt
// from the recovery resource group's tags, the site's one source of truth.
type Info struct {
	ID                    string
	Name                  string
	PrimaryLocation       string
	RecoveryLocation      string
	RecoveryResourceGroup string
	TestResourceGroup     string

	// The Site Recovery backbone (backbone_names.go): the vault in the
	// recovery resource group, and the fabric and protection container of
	// each region. Derived from the names above; they exist once the site
	// is created.
	VaultName           string
	VaultID             string
	PrimaryFabric       string
	RecoveryFabric      string
	PrimaryContainer    string
	RecoveryContainer   string
	PrimaryContainerID  string
	RecoveryContainerID string

	// Approvers are the site's pre-appointed approvers (approvers.go), by
	// name: a real failover needs an approval one of them signed
	// (approval.Verify). Filled by Find only; empty when the site has none.
	Approvers []approval.Approver
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
	in := newInfo(g.ID, g.Tags[tagSite], g.Tags[tagPrimary], g.Location, g.Name, g.Tags[tagTestGroup])
	in.Approvers = approversOf(g.Tags)
	return in, nil
}

// newInfo fills in the backbone's names and ids from the site's. Locations
// are made canonical: Azure and the derived fabric names see one spelling
// whatever the configuration wrote.
func newInfo(groupID, name, primary, recovery, recoveryGroup, testGroup string) *Info {
	primary, recovery = regions.Normalize(primary), regions.Normalize(recovery)
	in := &Info{
		ID:                    groupID,
		Name:                  name,
		PrimaryLocation:       primary,
		RecoveryLocation:      recovery,
		RecoveryResourceGroup: recoveryGroup,
		TestResourceGroup:     testGroup,
		VaultName:             VaultName(name),
		PrimaryFabric:         FabricName(primary),
		RecoveryFabric:        FabricName(recovery),
		PrimaryContainer:      ContainerName(primary),
		RecoveryContainer:     ContainerName(recovery),
	}
	in.VaultID = groupID + "/providers/Microsoft.RecoveryServices/vaults/" + in.VaultName
	in.PrimaryContainerID = in.ContainerID(in.PrimaryFabric, in.PrimaryContainer)
	in.RecoveryContainerID = in.ContainerID(in.RecoveryFabric, in.RecoveryContainer)
	return in
}

// FabricID is the id of a fabric of the site's vault.
func (in *Info) FabricID(fabric string) string {
	return in.VaultID + "/replicationFabrics/" + fabric
}

// ContainerID is the id of a protection container of the site's vault.
func (in *Info) ContainerID(fabric, container string) string {
	return in.FabricID(fabric) + "/replicationProtectionContainers/" + container
}
