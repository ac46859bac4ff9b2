package network

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// pair is a network pair as found in Azure: the production network, its
// mirror in the recovery region and the isolated test-failover network.
type pair struct {
	SiteID   string
	Primary  *vnet
	Recovery *vnet
	Test     *vnet
}

// errPairGone means the recovery or test network no longer exists.
var errPairGone = fmt.Errorf("network pair is gone")

// findPair reads the pair from its recovery network id, following the tags
// the provider put on it.
func findPair(ctx context.Context, c *azure.Client, recoveryID string) (*pair, error) {
	rec, err := findVNet(ctx, c, recoveryID)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, errPairGone
	}
	if rec.Tags[tagRole] != roleRecovery {
		return nil, fmt.Errorf("%s is not the recovery network of an azuredr_network (no %s=%s tag)", recoveryID, tagRole, roleRecovery)
	}
	rid, _ := arm.ParseResourceID(rec.ID)
	p := &pair{SiteID: fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", rid.SubscriptionID, rid.ResourceGroupName), Recovery: rec}
	if p.Test, err = findVNet(ctx, c, rec.Tags[tagTestNetwork]); err != nil {
		return nil, err
	}
	if p.Test == nil {
		return nil, errPairGone
	}
	if p.Primary, err = findVNet(ctx, c, rec.Tags[tagPrimaryNetwork]); err != nil {
		return nil, err
	}
	if p.Primary == nil {
		return nil, fmt.Errorf("the primary network %s no longer exists: the pair has nothing to mirror. Point primary_network_id at the production network, or remove the azuredr_network", rec.Tags[tagPrimaryNetwork])
	}
	return p, nil
}

// testNetworkID is where the test network of a pair lives.
func testNetworkID(subscription, group, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s", subscription, group, name)
}

// Pair is what other capabilities (drills) need of a network pair: the
// production, recovery and isolated test networks.
type Pair struct {
	SiteID            string
	PrimaryNetworkID  string
	RecoveryNetworkID string
	TestNetworkID     string
	// TestNetworkPeerings lists the test network's peerings ("name -> remote
	// id"); an isolated test network has none.
	TestNetworkPeerings []string
}

// FindPair reads the pair whose id (the recovery network's, azuredr_network's
// id) is given.
func FindPair(ctx context.Context, c *azure.Client, networkID string) (*Pair, error) {
	p, err := findPair(ctx, c, networkID)
	if err != nil {
		return nil, err
	}
	return &Pair{SiteID: p.SiteID, PrimaryNetworkID: p.Primary.ID, RecoveryNetworkID: p.Recovery.ID,
		TestNetworkID: p.Test.ID, TestNetworkPeerings: p.Test.Peerings}, nil
}
