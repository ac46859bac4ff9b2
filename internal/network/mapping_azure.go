package network

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// Site Recovery network mappings: they tell Site Recovery which network a
// VM lands in when it fails over. A pair has two, primary -> recovery for
// failover and recovery -> primary for failback after re-protection. The
// isolated test network is never mapped: it is chosen per test failover.

// azureNetwork is the name Site Recovery gives the one "network" of an Azure
// fabric, under which Azure-to-Azure mappings live.
const azureNetwork = "azureNetwork"

// networkMapping is one mapping to ensure: under fabric, from the network
// `from` to the network `to` in toFabric.
type networkMapping struct {
	Site     *site.Info
	Fabric   string
	ToFabric string
	Name     string
	From     string // source vNet id
	To       string // target vNet id
}

func (m networkMapping) ID() string {
	return m.Site.FabricID(m.Fabric) + "/replicationNetworks/" + azureNetwork + "/replicationNetworkMappings/" + m.Name
}

// pairMappings are the two mappings of a pair. Names follow the recovery
// network, which is unique in the site's recovery group and so in its vault.
func pairMappings(s *site.Info, primaryID, recoveryID, recoveryName string) (failover, failback networkMapping) {
	failover = networkMapping{Site: s, Fabric: s.PrimaryFabric, ToFabric: s.RecoveryFabric, Name: recoveryName + "-failover", From: primaryID, To: recoveryID}
	failback = networkMapping{Site: s, Fabric: s.RecoveryFabric, ToFabric: s.PrimaryFabric, Name: recoveryName + "-failback", From: recoveryID, To: primaryID}
	return failover, failback
}

// mappingFound reports whether the mapping exists and points at the wanted
// target network; one pointing elsewhere counts as missing (drift).
func mappingFound(ctx context.Context, c *azure.Client, m networkMapping) (exists, correct bool, err error) {
	resp, err := c.NetworkMappings().Get(ctx, m.Site.VaultName, m.Site.RecoveryResourceGroup, m.Fabric, azureNetwork, m.Name, nil)
	if azure.IsNotFound(err) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	target := ""
	if p := resp.Properties; p != nil && p.RecoveryNetworkID != nil {
		target = *p.RecoveryNetworkID
	}
	return true, strings.EqualFold(target, m.To), nil
}

// ensureMapping creates the mapping, or replaces one that points at another
// network. Site Recovery refuses a second mapping of the same source network,
// so the stale one goes first. made says whether it wrote one (a failed
// create removes it again).
func ensureMapping(ctx context.Context, c *azure.Client, m networkMapping) (made bool, err error) {
	exists, correct, err := mappingFound(ctx, c, m)
	if err != nil || correct {
		return false, err
	}
	if exists {
		tflog.Warn(ctx, "network mapping points at another network; replacing it", map[string]any{"mapping": m.ID()})
		if err := deleteMapping(ctx, c, m.ID()); err != nil {
			return false, err
		}
	}
	tflog.Info(ctx, "creating network mapping", map[string]any{"mapping": m.ID(), "from": m.From, "to": m.To})
	body := asr.CreateNetworkMappingInput{Properties: &asr.CreateNetworkMappingInputProperties{
		RecoveryFabricName: &m.ToFabric,
		RecoveryNetworkID:  &m.To,
		FabricSpecificDetails: &asr.AzureToAzureCreateNetworkMappingInput{
			InstanceType:     ptr("AzureToAzure"),
			PrimaryNetworkID: &m.From,
		},
	}}
	poller, err := c.NetworkMappings().BeginCreate(ctx, m.Site.VaultName, m.Site.RecoveryResourceGroup, m.Fabric, azureNetwork, m.Name, body, nil)
	if err != nil {
		return false, err
	}
	// Accepted: from here the mapping may exist even if the wait fails.
	_, err = azure.Wait(ctx, poller)
	return true, err
}

// deleteMapping deletes a mapping by id; one already gone is fine.
func deleteMapping(ctx context.Context, c *azure.Client, id string) error {
	ref, err := parseMappingID(id)
	if err != nil {
		return err
	}
	tflog.Info(ctx, "deleting network mapping", map[string]any{"mapping": id})
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationNetworkMappingsClientDeleteResponse], error) {
		return c.NetworkMappings().BeginDelete(ctx, ref.vault, ref.group, ref.fabric, ref.network, ref.name, nil)
	})
}

type mappingRef struct{ group, vault, fabric, network, name string }

func parseMappingID(id string) (mappingRef, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks/replicationNetworkMappings") {
		return mappingRef{}, fmt.Errorf("%q is not the id of a Site Recovery network mapping", id)
	}
	network := rid.Parent
	fabric := network.Parent
	vault := fabric.Parent
	return mappingRef{group: rid.ResourceGroupName, vault: vault.Name, fabric: fabric.Name, network: network.Name, name: rid.Name}, nil
}
