package replication

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

// The replication policy's Site Recovery calls: the A2A policy in the site's
// vault and its two protection container mappings.

const policyProvider = "A2A" // Azure-to-Azure replication

// policySettings are the policy's settings in Azure's units (minutes).
type policySettings struct {
	Retention      time.Duration
	AppFrequency   time.Duration // 0: no app-consistent snapshots
	CrashFrequency time.Duration
	MultiVMSync    bool
}

// input is the A2A body for both create and update (Site Recovery takes the
// creation input as the update's provider settings).
func (s policySettings) input() *asr.A2APolicyCreationInput {
	sync := asr.SetMultiVMSyncStatusDisable
	if s.MultiVMSync {
		sync = asr.SetMultiVMSyncStatusEnable
	}
	return &asr.A2APolicyCreationInput{
		InstanceType:                      ptrTo(policyProvider),
		MultiVMSyncStatus:                 &sync,
		AppConsistentFrequencyInMinutes:   minutes(s.AppFrequency),
		CrashConsistentFrequencyInMinutes: minutes(s.CrashFrequency),
		RecoveryPointHistory:              minutes(s.Retention),
	}
}

func minutes(d time.Duration) *int32 { v := int32(d / time.Minute); return &v }

func fromMinutes(v *int32) time.Duration {
	if v == nil {
		return 0
	}
	return time.Duration(*v) * time.Minute
}

// foundPolicy is a policy as read from Azure.
type foundPolicy struct {
	ID       string
	Settings policySettings
}

// findPolicy returns the policy, or (nil, nil) when it does not exist.
func findPolicy(ctx context.Context, c *azure.Client, in *site.Info, name string) (*foundPolicy, error) {
	resp, err := c.ReplicationPolicies().Get(ctx, in.VaultName, in.RecoveryResourceGroup, name, nil)
	if azure.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &foundPolicy{ID: policyID(in, name)}
	if resp.ID != nil {
		out.ID = *resp.ID
	}
	var details *asr.A2APolicyDetails
	if resp.Properties != nil {
		details, _ = resp.Properties.ProviderSpecificDetails.(*asr.A2APolicyDetails)
	}
	if details == nil {
		return nil, fmt.Errorf("policy %s is not an Azure-to-Azure (A2A) policy; azuredr_replication_policy manages A2A policies only. Choose another name", out.ID)
	}
	out.Settings = policySettings{
		Retention:      fromMinutes(details.RecoveryPointHistory),
		AppFrequency:   fromMinutes(details.AppConsistentFrequencyInMinutes),
		CrashFrequency: fromMinutes(details.CrashConsistentFrequencyInMinutes),
		// Azure reports "Enabled"/"Disabled"; the create input says "Enable".
		MultiVMSync: details.MultiVMSyncStatus != nil && strings.HasPrefix(strings.ToLower(*details.MultiVMSyncStatus), "enable"),
	}
	return out, nil
}

func createPolicy(ctx context.Context, c *azure.Client, in *site.Info, name string, s policySettings) error {
	tflog.Info(ctx, "creating replication policy", map[string]any{"policy": policyID(in, name)})
	body := asr.CreatePolicyInput{Properties: &asr.CreatePolicyInputProperties{ProviderSpecificInput: s.input()}}
	poller, err := c.ReplicationPolicies().BeginCreate(ctx, in.VaultName, in.RecoveryResourceGroup, name, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func updatePolicy(ctx context.Context, c *azure.Client, in *site.Info, name string, s policySettings) error {
	tflog.Info(ctx, "updating replication policy", map[string]any{"policy": policyID(in, name)})
	body := asr.UpdatePolicyInput{Properties: &asr.UpdatePolicyInputProperties{ReplicationProviderSettings: s.input()}}
	poller, err := c.ReplicationPolicies().BeginUpdate(ctx, in.VaultName, in.RecoveryResourceGroup, name, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func deletePolicy(ctx context.Context, c *azure.Client, ref policyRef) error {
	tflog.Info(ctx, "deleting replication policy", map[string]any{"policy": ref.String()})
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationPoliciesClientDeleteResponse], error) {
		return c.ReplicationPolicies().BeginDelete(ctx, ref.Vault, ref.Group, ref.Name, nil)
	})
}

// policyMapping is one protection container mapping of a policy: from a
// container of the site to the container of the other region.
type policyMapping struct {
	Site      *site.Info
	Fabric    string
	Container string
	Name      string
	TargetID  string // the target protection container's id
}

func (m policyMapping) ID() string {
	return m.Site.ContainerID(m.Fabric, m.Container) + "/replicationProtectionContainerMappings/" + m.Name
}

// policyMappings are a policy's two mappings: failover (primary -> recovery,
// used while replicating) and failback (recovery -> primary, used by
// re-protection after a failover). Names carry the policy and both regions,
// so a vault with several policies stays readable in the portal.
func policyMappings(in *site.Info, policy string) (failover, failback policyMapping) {
	failover = policyMapping{Site: in, Fabric: in.PrimaryFabric, Container: in.PrimaryContainer,
		Name: mappingName(policy, in.PrimaryLocation, in.RecoveryLocation), TargetID: in.RecoveryContainerID}
	failback = policyMapping{Site: in, Fabric: in.RecoveryFabric, Container: in.RecoveryContainer,
		Name: mappingName(policy, in.RecoveryLocation, in.PrimaryLocation), TargetID: in.PrimaryContainerID}
	return failover, failback
}

// mappingName is `<policy>-<from>-to-<to>`: at most 38 + 1 + 2*18 + 4 = 79
// characters with the longest region names, short enough for any Azure
// resource name limit (policyNamePattern keeps the policy name to 38).
func mappingName(policy, from, to string) string {
	return policy + "-" + strings.ToLower(from) + "-to-" + strings.ToLower(to)
}

// mappingStatus is what Azure holds under a mapping's name.
type mappingStatus struct {
	Exists   bool
	PolicyID string // the policy it applies
	TargetID string // the container it maps to
}

// matches reports whether the mapping applies policyID towards the wanted
// container.
func (s mappingStatus) matches(m policyMapping, policyID string) bool {
	return s.Exists && strings.EqualFold(s.PolicyID, policyID) && strings.EqualFold(s.TargetID, m.TargetID)
}

func findMapping(ctx context.Context, c *azure.Client, m policyMapping) (mappingStatus, error) {
	resp, err := c.ContainerMappings().Get(ctx, m.Site.VaultName, m.Site.RecoveryResourceGroup, m.Fabric, m.Container, m.Name, nil)
	if azure.IsNotFound(err) {
		return mappingStatus{}, nil
	}
	if err != nil {
		return mappingStatus{}, err
	}
	s := mappingStatus{Exists: true}
	if p := resp.Properties; p != nil {
		s.PolicyID = valueOf(p.PolicyID)
		s.TargetID = valueOf(p.TargetProtectionContainerID)
	}
	return s, nil
}

func createMapping(ctx context.Context, c *azure.Client, m policyMapping, policyID string) error {
	tflog.Info(ctx, "creating protection container mapping", map[string]any{"mapping": m.ID(), "policy": policyID, "target": m.TargetID})
	body := asr.CreateProtectionContainerMappingInput{Properties: &asr.CreateProtectionContainerMappingInputProperties{
		PolicyID:                    &policyID,
		TargetProtectionContainerID: &m.TargetID,
		ProviderSpecificInput:       &asr.A2AContainerMappingInput{InstanceType: ptrTo(policyProvider)},
	}}
	poller, err := c.ContainerMappings().BeginCreate(ctx, m.Site.VaultName, m.Site.RecoveryResourceGroup, m.Fabric, m.Container, m.Name, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

// deleteMappingByID removes a mapping; one already gone is fine.
func deleteMappingByID(ctx context.Context, c *azure.Client, id string) error {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectionContainerMappings") {
		return fmt.Errorf("%q is not the id of a protection container mapping", id)
	}
	container := rid.Parent
	fabric := container.Parent
	vault := fabric.Parent
	tflog.Info(ctx, "deleting protection container mapping", map[string]any{"mapping": id})
	body := asr.RemoveProtectionContainerMappingInput{Properties: &asr.RemoveProtectionContainerMappingInputProperties{
		ProviderSpecificInput: &asr.ReplicationProviderContainerUnmappingInput{InstanceType: ptrTo(policyProvider)},
	}}
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectionContainerMappingsClientDeleteResponse], error) {
		return c.ContainerMappings().BeginDelete(ctx, vault.Name, rid.ResourceGroupName, fabric.Name, container.Name, rid.Name, body, nil)
	})
}

func ptrTo[T any](v T) *T { return &v }

func valueOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
