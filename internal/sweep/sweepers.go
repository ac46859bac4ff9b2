package sweep

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/tags"
)

// The sweepers, one per resource type, in Sweepers' order.

// items lists the protected items of a vault.
func (r *run) items(ctx context.Context, s site) func(vault string) ([]*asr.ReplicationProtectedItem, error) {
	return func(vault string) ([]*asr.ReplicationProtectedItem, error) {
		return list(ctx, r.c.ProtectedItems().NewListPager(vault, s.recovery, nil),
			func(p asr.ReplicationProtectedItemsClientListResponse) []*asr.ReplicationProtectedItem {
				return p.Value
			})
	}
}

// sweepTestFailovers cleans up the test failovers pending on the site's
// protected items, and checks their test VMs are gone (testfailover.Cleanup);
// then the public IPs drills made for test VMs (tagged so): after the test
// failovers, as a public IP on a test VM's NIC cannot be deleted. An item
// whose test failover NIC settings still name one is cleaned up too
// (Cleanup resets the setting before deleting the IP). Then the probe VMs
// drills made (probe_vms.go).
func sweepTestFailovers(ctx context.Context, r *run, s site) error {
	var pips []*armnetwork.PublicIPAddress
	err := eachGroup(s, r.publicIPs(ctx), func(_ string, p *armnetwork.PublicIPAddress) {
		if p.ID != nil && tags.Get(p.Tags, tags.Role) == tags.RoleTestPublicIP {
			pips = append(pips, p)
		}
	})
	if err != nil {
		return err
	}
	drillPIP := func(id string) bool {
		for _, p := range pips {
			if id != "" && strings.EqualFold(*p.ID, id) {
				return true
			}
		}
		return false
	}
	var pending, named []string
	err = eachVault(s, r.items(ctx, s), func(_ string, it *asr.ReplicationProtectedItem) {
		if it.ID == nil || it.Properties == nil {
			return
		}
		if st := deref(it.Properties.TestFailoverState); st != "" && !strings.EqualFold(st, "None") {
			pending = append(pending, *it.ID)
		} else if a2a, ok := it.Properties.ProviderSpecificDetails.(*asr.A2AReplicationDetails); ok && drillPIP(azure.TestFailoverNICOf(a2a).PublicIPID) {
			named = append(named, *it.ID)
		}
	})
	if err != nil {
		return err
	}
	if len(pending)+len(named) > 0 {
		if err := r.cleanupTestFailovers(ctx, s, pending, named); err != nil {
			return err
		}
	}
	for _, p := range pips {
		rid, err := arm.ParseResourceID(*p.ID)
		if err != nil {
			r.leftover(s, *p.ID, err.Error())
			continue
		}
		r.remove(ctx, s, "drill public IP", *p.ID, func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.PublicIPAddressesClientDeleteResponse], error) {
				return r.c.PublicIPAddresses().BeginDelete(ctx, rid.ResourceGroupName, rid.Name, nil)
			})
		})
	}
	return sweepProbeVMs(ctx, r, s)
}

// cleanupTestFailovers runs testfailover.Cleanup on the items with a test
// failover pending and on those naming a drill's public IP.
func (r *run) cleanupTestFailovers(ctx context.Context, s site, pending, named []string) error {
	for _, id := range pending {
		r.rep.Found = append(r.rep.Found, r.sweeper+" "+id)
		r.logf("site %s: %s has a test failover pending", s.name, id)
	}
	for _, id := range named {
		r.logf("site %s: %s names a drill's public IP in its test failover NIC settings", s.name, id)
	}
	if r.opts.DryRun {
		return nil
	}
	left, err := testfailover.Cleanup(ctx, r.c, append(append([]string(nil), pending...), named...))
	for _, l := range left {
		r.rep.Leftovers = append(r.rep.Leftovers, r.sweeper+" "+l)
	}
	if err != nil {
		return err
	}
	for _, id := range pending {
		if !mentions(left, id) {
			r.rep.Removed = append(r.rep.Removed, r.sweeper+" "+id)
			r.logf("site %s: cleaned up the test failover of %s", s.name, id)
		}
	}
	return nil
}

func (r *run) publicIPs(ctx context.Context) func(group string) ([]*armnetwork.PublicIPAddress, error) {
	return func(group string) ([]*armnetwork.PublicIPAddress, error) {
		return list(ctx, r.c.PublicIPAddresses().NewListPager(group, nil),
			func(p armnetwork.PublicIPAddressesClientListResponse) []*armnetwork.PublicIPAddress { return p.Value })
	}
}

// sweepRecoveryPlans deletes the site's recovery plans (before their items:
// Site Recovery refuses to disable an item a plan holds).
func sweepRecoveryPlans(ctx context.Context, r *run, s site) error {
	return eachVault(s, func(vault string) ([]*asr.RecoveryPlan, error) {
		return list(ctx, r.c.RecoveryPlans().NewListPager(vault, s.recovery, nil),
			func(p asr.ReplicationRecoveryPlansClientListResponse) []*asr.RecoveryPlan { return p.Value })
	}, func(vault string, p *asr.RecoveryPlan) {
		r.remove(ctx, s, "recovery plan", deref(p.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationRecoveryPlansClientDeleteResponse], error) {
				return r.c.RecoveryPlans().BeginDelete(ctx, vault, s.recovery, deref(p.Name), nil)
			})
		})
	})
}

// sweepReplicatedVMs disables replication of the site's protected items,
// as azuredr_replicated_vm's Delete does.
func sweepReplicatedVMs(ctx context.Context, r *run, s site) error {
	reason := asr.DisableProtectionReasonNotSpecified
	body := asr.DisableProtectionInput{Properties: &asr.DisableProtectionInputProperties{DisableProtectionReason: &reason}}
	return eachVault(s, r.items(ctx, s), func(_ string, it *asr.ReplicationProtectedItem) {
		id, err := azure.ParseProtectedItemID(deref(it.ID))
		if err != nil {
			r.leftover(s, deref(it.ID), err.Error())
			return
		}
		r.remove(ctx, s, "replicated VM", deref(it.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectedItemsClientDeleteResponse], error) {
				return r.c.ProtectedItems().BeginDelete(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, body, nil)
			})
		})
	})
}

// sweepPolicies removes the site's container mappings, then its
// replication policies (a policy in use by a mapping cannot go).
func sweepPolicies(ctx context.Context, r *run, s site) error {
	body := asr.RemoveProtectionContainerMappingInput{Properties: &asr.RemoveProtectionContainerMappingInputProperties{
		ProviderSpecificInput: &asr.ReplicationProviderContainerUnmappingInput{InstanceType: ptr("A2A")},
	}}
	err := eachVault(s, func(vault string) ([]*asr.ProtectionContainerMapping, error) {
		return list(ctx, r.c.ContainerMappings().NewListPager(vault, s.recovery, nil),
			func(p asr.ReplicationProtectionContainerMappingsClientListResponse) []*asr.ProtectionContainerMapping {
				return p.Value
			})
	}, func(vault string, m *asr.ProtectionContainerMapping) {
		parts, ok := r.parse(s, deref(m.ID), "replicationFabrics", "replicationProtectionContainers", "replicationProtectionContainerMappings")
		if !ok {
			return
		}
		r.remove(ctx, s, "protection container mapping", deref(m.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectionContainerMappingsClientDeleteResponse], error) {
				return r.c.ContainerMappings().BeginDelete(ctx, vault, s.recovery, parts[0], parts[1], parts[2], body, nil)
			})
		})
	})
	if err != nil {
		return err
	}
	return eachVault(s, func(vault string) ([]*asr.Policy, error) {
		return list(ctx, r.c.ReplicationPolicies().NewListPager(vault, s.recovery, nil),
			func(p asr.ReplicationPoliciesClientListResponse) []*asr.Policy { return p.Value })
	}, func(vault string, p *asr.Policy) {
		r.remove(ctx, s, "replication policy", deref(p.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationPoliciesClientDeleteResponse], error) {
				return r.c.ReplicationPolicies().BeginDelete(ctx, vault, s.recovery, deref(p.Name), nil)
			})
		})
	})
}

// sweepNetworks removes the site's network mappings, then the recovery and
// test networks tagged as azuredr_network's in the site's groups.
func sweepNetworks(ctx context.Context, r *run, s site) error {
	err := eachVault(s, func(vault string) ([]*asr.NetworkMapping, error) {
		return list(ctx, r.c.NetworkMappings().NewListPager(vault, s.recovery, nil),
			func(p asr.ReplicationNetworkMappingsClientListResponse) []*asr.NetworkMapping { return p.Value })
	}, func(vault string, m *asr.NetworkMapping) {
		parts, ok := r.parse(s, deref(m.ID), "replicationFabrics", "replicationNetworks", "replicationNetworkMappings")
		if !ok {
			return
		}
		r.remove(ctx, s, "network mapping", deref(m.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationNetworkMappingsClientDeleteResponse], error) {
				return r.c.NetworkMappings().BeginDelete(ctx, vault, s.recovery, parts[0], parts[1], parts[2], nil)
			})
		})
	})
	if err != nil {
		return err
	}
	return eachGroup(s, r.networks(ctx), func(group string, v *armnetwork.VirtualNetwork) {
		if role := tags.Get(v.Tags, tags.Role); role != tags.RoleRecoveryNetwork && role != tags.RoleTestNetwork {
			return // not an azuredr_network's: the site sweeper keeps the group for it
		}
		r.remove(ctx, s, "virtual network", deref(v.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.VirtualNetworksClientDeleteResponse], error) {
				return r.c.VirtualNetworks().BeginDelete(ctx, group, deref(v.Name), nil)
			})
		})
	})
}

func (r *run) networks(ctx context.Context) func(group string) ([]*armnetwork.VirtualNetwork, error) {
	return func(group string) ([]*armnetwork.VirtualNetwork, error) {
		return list(ctx, r.c.VirtualNetworks().NewListPager(group, nil),
			func(p armnetwork.VirtualNetworksClientListResponse) []*armnetwork.VirtualNetwork { return p.Value })
	}
}

// sweepNSGs removes the NSGs tagged as azuredr_network_security_group's
// for one of the site's networks, wherever they are: in the site's groups
// and the managed primary NSG in production's. One still associated with a
// subnet (of a network the provider did not create: production's) is left,
// with the subnet named: the sweeper changes no network that is not its own.
func sweepNSGs(ctx context.Context, r *run, s site) error {
	all, err := list(ctx, r.c.SecurityGroups().NewListAllPager(nil),
		func(p armnetwork.SecurityGroupsClientListAllResponse) []*armnetwork.SecurityGroup { return p.Value })
	if err != nil {
		return fmt.Errorf("listing network security groups: %w", err)
	}
	for _, g := range all {
		if tags.Get(g.Tags, tags.Role) != tags.RoleNSG || !s.holds(tags.Get(g.Tags, tags.Network)) {
			continue
		}
		rid, err := arm.ParseResourceID(deref(g.ID))
		if err != nil {
			r.leftover(s, deref(g.ID), err.Error())
			continue
		}
		if g.Properties != nil && len(g.Properties.Subnets) > 0 && !r.opts.DryRun {
			// Ask again: the network sweeper may have removed the subnets.
			fresh, err := r.c.SecurityGroups().Get(ctx, rid.ResourceGroupName, rid.Name, nil)
			if err == nil && fresh.Properties != nil && len(fresh.Properties.Subnets) > 0 {
				r.rep.Found = append(r.rep.Found, r.sweeper+" "+deref(g.ID))
				r.leftover(s, deref(g.ID), "still associated with subnet "+deref(fresh.Properties.Subnets[0].ID)+
					" of a network the provider did not create: remove the association, then sweep again")
				continue
			}
		}
		r.remove(ctx, s, "network security group", deref(g.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armnetwork.SecurityGroupsClientDeleteResponse], error) {
				return r.c.SecurityGroups().BeginDelete(ctx, rid.ResourceGroupName, rid.Name, nil)
			})
		})
	}
	return nil
}

// holds reports whether an ARM id is in one of the site's groups.
func (s site) holds(id string) bool {
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		return false
	}
	for _, g := range s.groups {
		if strings.EqualFold(g, rid.ResourceGroupName) {
			return true
		}
	}
	return false
}

// sweepProfiles deletes the Traffic Manager profiles of azuredr_traffic_manager_profile
// (tagged with their endpoints' roles) in the site's groups.
func sweepProfiles(ctx context.Context, r *run, s site) error {
	return eachGroup(s, r.profiles(ctx), func(group string, p *armtrafficmanager.Profile) {
		if tags.Get(p.Tags, tags.EndpointRoles) == "" {
			return
		}
		r.remove(ctx, s, "Traffic Manager profile", deref(p.ID), func(ctx context.Context) error {
			_, err := r.c.TrafficManagerProfiles().Delete(ctx, group, deref(p.Name), nil)
			return err
		})
	})
}

func (r *run) profiles(ctx context.Context) func(group string) ([]*armtrafficmanager.Profile, error) {
	return func(group string) ([]*armtrafficmanager.Profile, error) {
		return list(ctx, r.c.TrafficManagerProfiles().NewListByResourceGroupPager(group, nil),
			func(p armtrafficmanager.ProfilesClientListByResourceGroupResponse) []*armtrafficmanager.Profile {
				return p.Value
			})
	}
}

// sweepSite removes the site's backbone (protection containers, fabrics,
// vault: Azure refuses to delete a vault that still has them) and then its
// resource groups, as azuredr_site's Delete does. A site whose groups hold a
// network, NSG, Traffic Manager profile or vault without the provider's
// tags, or any VM, is kept whole: deleting the group would delete that too.
func sweepSite(ctx context.Context, r *run, s site) error {
	foreign, err := r.foreign(ctx, s)
	if err != nil {
		return err
	}
	if len(foreign) > 0 {
		for _, g := range s.groups {
			r.rep.Found = append(r.rep.Found, r.sweeper+" "+g)
			r.leftover(s, g, "kept: the site's groups hold resources without the provider's tags ("+strings.Join(foreign, ", ")+")")
		}
		return nil
	}
	for _, vault := range s.vaults {
		if err := r.sweepBackbone(ctx, s, vault); err != nil {
			return err
		}
		r.remove(ctx, s, "vault", vaultID(r.c.SubscriptionID, s.recovery, vault), func(ctx context.Context) error {
			_, err := r.c.Vaults().Delete(ctx, s.recovery, vault, nil)
			return err
		})
	}
	// The test group first: the recovery group holds the site's tags, so a
	// sweep interrupted half-way still finds the site next time.
	for i := len(s.groups) - 1; i >= 0; i-- {
		g := s.groups[i]
		r.remove(ctx, s, "resource group", g, func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[armresources.ResourceGroupsClientDeleteResponse], error) {
				return r.c.ResourceGroups().BeginDelete(ctx, g, nil)
			})
		})
	}
	return nil
}

// sweepBackbone removes a vault's protection containers, then its fabrics.
func (r *run) sweepBackbone(ctx context.Context, s site, vault string) error {
	fabrics, err := list(ctx, r.c.ReplicationFabrics().NewListPager(vault, s.recovery, nil),
		func(p asr.ReplicationFabricsClientListResponse) []*asr.Fabric { return p.Value })
	if err != nil {
		return fmt.Errorf("vault %s: listing fabrics: %w", vault, err)
	}
	for _, f := range fabrics {
		fabric := deref(f.Name)
		containers, err := list(ctx, r.c.ProtectionContainers().NewListByReplicationFabricsPager(vault, s.recovery, fabric, nil),
			func(p asr.ReplicationProtectionContainersClientListByReplicationFabricsResponse) []*asr.ProtectionContainer {
				return p.Value
			})
		if err != nil {
			return fmt.Errorf("vault %s: listing the containers of fabric %s: %w", vault, fabric, err)
		}
		for _, c := range containers {
			r.remove(ctx, s, "protection container", deref(c.ID), func(ctx context.Context) error {
				return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectionContainersClientDeleteResponse], error) {
					return r.c.ProtectionContainers().BeginDelete(ctx, vault, s.recovery, fabric, deref(c.Name), nil)
				})
			})
		}
		r.remove(ctx, s, "replication fabric", deref(f.ID), func(ctx context.Context) error {
			return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationFabricsClientDeleteResponse], error) {
				return r.c.ReplicationFabrics().BeginDelete(ctx, vault, s.recovery, fabric, nil)
			})
		})
	}
	return nil
}

// foreign lists what in the site's groups lacks the provider's tags, of the
// types a person might put there: networks, NSGs, Traffic Manager profiles,
// VMs, vaults.
func (r *run) foreign(ctx context.Context, s site) ([]string, error) {
	var out []string
	note := func(id string) { out = append(out, id) }
	err := eachGroup(s, r.networks(ctx), func(_ string, v *armnetwork.VirtualNetwork) {
		if role := tags.Get(v.Tags, tags.Role); role != tags.RoleRecoveryNetwork && role != tags.RoleTestNetwork {
			note(deref(v.ID))
		}
	})
	if err == nil {
		err = eachGroup(s, func(group string) ([]*armnetwork.SecurityGroup, error) {
			return list(ctx, r.c.SecurityGroups().NewListPager(group, nil),
				func(p armnetwork.SecurityGroupsClientListResponse) []*armnetwork.SecurityGroup { return p.Value })
		}, func(_ string, g *armnetwork.SecurityGroup) {
			if tags.Get(g.Tags, tags.Role) != tags.RoleNSG {
				note(deref(g.ID))
			}
		})
	}
	if err == nil {
		err = eachGroup(s, r.profiles(ctx), func(_ string, p *armtrafficmanager.Profile) {
			if tags.Get(p.Tags, tags.EndpointRoles) == "" {
				note(deref(p.ID))
			}
		})
	}
	if err == nil {
		// The provider tags no VM: after the test failovers are cleaned up,
		// a VM in a site's group is someone's (a failed-over VM, or one
		// put there by hand), and deleting the group would delete it.
		err = eachGroup(s, func(group string) ([]*armcompute.VirtualMachine, error) {
			return list(ctx, r.c.VirtualMachines().NewListPager(group, nil),
				func(p armcompute.VirtualMachinesClientListResponse) []*armcompute.VirtualMachine { return p.Value })
		}, func(_ string, v *armcompute.VirtualMachine) { note(deref(v.ID)) })
	}
	if err == nil {
		err = eachGroup(s, func(group string) ([]*armrecoveryservices.Vault, error) {
			return list(ctx, r.c.Vaults().NewListByResourceGroupPager(group, nil),
				func(p armrecoveryservices.VaultsClientListByResourceGroupResponse) []*armrecoveryservices.Vault {
					return p.Value
				})
		}, func(_ string, v *armrecoveryservices.Vault) {
			if tags.Get(v.Tags, tags.Role) != tags.RoleVault || !strings.EqualFold(tags.Get(v.Tags, tags.Site), s.name) {
				note(deref(v.ID))
			}
		})
	}
	return out, err
}

// parse returns the names after each of the id's segments (fabric,
// container, mapping...), or records a leftover when the id has another
// shape.
func (r *run) parse(s site, id string, segments ...string) ([]string, bool) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	var out []string
	for _, seg := range segments {
		found := false
		for i := 0; i+1 < len(parts); i++ {
			if strings.EqualFold(parts[i], seg) {
				out, found = append(out, parts[i+1]), true
				break
			}
		}
		if !found {
			r.leftover(s, id, "unexpected id: no "+seg)
			return nil, false
		}
	}
	return out, true
}

func vaultID(subscription, group, vault string) string {
	return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.RecoveryServices/vaults/" + vault
}

// mentions reports whether a leftover line names the item.
func mentions(lines []string, id string) bool {
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), strings.ToLower(id)) || strings.Contains(l, id[strings.LastIndex(id, "/")+1:]) {
			return true
		}
	}
	return false
}
