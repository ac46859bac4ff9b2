package specexamples_test

import (
	"testing"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Some examples presume a state of their object the estate's item lacks
// because the example that would have led there is another provider's
// (and refused): a test failover cleanup presumes a test failover, a commit
// a failover. preconditions brings the item there through A2A, as a user
// would, before those examples are replayed. Each returns what it did.
var preconditions = map[string]func(t *testing.T, r *replayer) string{
	"ReplicationProtectedItems_TestFailoverCleanup": func(t *testing.T, r *replayer) string {
		it := r.item(t)
		if it.Properties != nil && it.Properties.TestFailoverState != nil && *it.Properties.TestFailoverState != "None" {
			return ""
		}
		p, err := r.items(t).BeginTestFailover(emulatortest.Context(t), exVault, exGroup, exFabric, exContainer, exVM, asr.TestFailoverInput{
			Properties: &asr.TestFailoverInputProperties{FailoverDirection: emulatortest.Ptr("PrimaryToRecovery"),
				NetworkType: emulatortest.Ptr("VmNetworkAsInput"), NetworkID: emulatortest.Ptr(recoveryVNetID()),
				ProviderSpecificDetails: &asr.A2ATestFailoverInput{InstanceType: emulatortest.Ptr("A2A")}}}, nil)
		must[asr.ReplicationProtectedItemsClientTestFailoverResponse](t, "A2A test failover before the cleanup example")(emulatortest.Done(t, p, err))
		return "after an A2A test failover"
	},
	"ReplicationProtectedItems_FailoverCommit": func(t *testing.T, r *replayer) string {
		it := r.item(t)
		if it.Properties != nil && it.Properties.ActiveLocation != nil && *it.Properties.ActiveLocation == "Recovery" {
			return ""
		}
		p, err := r.items(t).BeginUnplannedFailover(emulatortest.Context(t), exVault, exGroup, exFabric, exContainer, exVM, asr.UnplannedFailoverInput{
			Properties: &asr.UnplannedFailoverInputProperties{FailoverDirection: emulatortest.Ptr("PrimaryToRecovery"),
				SourceSiteOperations:    emulatortest.Ptr("NotRequired"),
				ProviderSpecificDetails: &asr.A2AUnplannedFailoverInput{InstanceType: emulatortest.Ptr("A2A")}}}, nil)
		must[asr.ReplicationProtectedItemsClientUnplannedFailoverResponse](t, "A2A unplanned failover before the commit example")(emulatortest.Done(t, p, err))
		return "after an A2A unplanned failover"
	},
}

func init() {
	// Removing the primary container presumes no mapping pairs it: the
	// estate's reverse mapping (recovery to primary) goes first.
	preconditions["ReplicationProtectionContainers_Delete"] = func(t *testing.T, r *replayer) string {
		c := r.factories["armrecoveryservicessiterecovery"].Interface().(*asr.ClientFactory).NewReplicationProtectionContainerMappingsClient()
		p, err := c.BeginDelete(emulatortest.Context(t), exVault, exGroup, exRecFabric, exRecCont, exBackMapping, asr.RemoveProtectionContainerMappingInput{
			Properties: &asr.RemoveProtectionContainerMappingInputProperties{}}, nil)
		if _, err := emulatortest.Done(t, p, err); err != nil {
			return ""
		}
		return "after removing the reverse mapping " + exBackMapping
	}
}

func init() {
	// The recovery plan's actions, once served, presume the same states.
	preconditions["ReplicationRecoveryPlans_TestFailoverCleanup"] = func(t *testing.T, r *replayer) string {
		it := r.item(t)
		if it.Properties != nil && it.Properties.TestFailoverState != nil && *it.Properties.TestFailoverState != "None" {
			return ""
		}
		p, err := r.plans().BeginTestFailover(emulatortest.Context(t), exVault, exGroup, exPlan, asr.RecoveryPlanTestFailoverInput{
			Properties: &asr.RecoveryPlanTestFailoverInputProperties{FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery),
				NetworkType: emulatortest.Ptr("VmNetworkAsInput"), NetworkID: emulatortest.Ptr(recoveryVNetID()),
				ProviderSpecificDetails: []asr.RecoveryPlanProviderSpecificFailoverInputClassification{&asr.RecoveryPlanA2AFailoverInput{
					InstanceType: emulatortest.Ptr("A2A"), RecoveryPointType: emulatortest.Ptr(asr.A2ARpRecoveryPointTypeLatest)}}}}, nil)
		must[asr.ReplicationRecoveryPlansClientTestFailoverResponse](t, "A2A plan test failover before the cleanup example")(emulatortest.Done(t, p, err))
		return "after an A2A test failover of the plan"
	}
	preconditions["ReplicationRecoveryPlans_FailoverCommit"] = func(t *testing.T, r *replayer) string {
		it := r.item(t)
		if it.Properties != nil && it.Properties.ActiveLocation != nil && *it.Properties.ActiveLocation == "Recovery" {
			return ""
		}
		p, err := r.plans().BeginUnplannedFailover(emulatortest.Context(t), exVault, exGroup, exPlan, asr.RecoveryPlanUnplannedFailoverInput{
			Properties: &asr.RecoveryPlanUnplannedFailoverInputProperties{FailoverDirection: emulatortest.Ptr(asr.PossibleOperationsDirectionsPrimaryToRecovery),
				SourceSiteOperations: emulatortest.Ptr(asr.SourceSiteOperationsNotRequired),
				ProviderSpecificDetails: []asr.RecoveryPlanProviderSpecificFailoverInputClassification{&asr.RecoveryPlanA2AFailoverInput{
					InstanceType: emulatortest.Ptr("A2A"), RecoveryPointType: emulatortest.Ptr(asr.A2ARpRecoveryPointTypeLatest)}}}}, nil)
		must[asr.ReplicationRecoveryPlansClientUnplannedFailoverResponse](t, "A2A plan unplanned failover before the commit example")(emulatortest.Done(t, p, err))
		return "after an A2A unplanned failover of the plan"
	}
}

func (r *replayer) plans() *asr.ReplicationRecoveryPlansClient {
	return r.factories["armrecoveryservicessiterecovery"].Interface().(*asr.ClientFactory).NewReplicationRecoveryPlansClient()
}

func recoveryVNetID() string {
	return armID("resourceGroups", exRecoveryGroup, "providers/Microsoft.Network/virtualNetworks", exRecVNet)
}

func (r *replayer) items(t *testing.T) *asr.ReplicationProtectedItemsClient {
	return r.factories["armrecoveryservicessiterecovery"].Interface().(*asr.ClientFactory).NewReplicationProtectedItemsClient()
}

func (r *replayer) item(t *testing.T) asr.ReplicationProtectedItem {
	res := must[asr.ReplicationProtectedItemsClientGetResponse](t, "the estate's item")(
		r.items(t).Get(emulatortest.Context(t), exVault, exGroup, exFabric, exContainer, exVM, nil))
	return res.ReplicationProtectedItem
}
