package siterecovery

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
)

// What a Site Recovery job says about the operation it is: Azure's
// scenarioName, the portal's friendly name, the affected object type
// (targetInstanceType), the custom details' instanceType and the tasks the
// job runs, per operation kind.
//
// Sources: the ReplicationJobs examples of the REST spec (2023-06-01, in the
// SDK's replicationjobs_client_example_test.go: AddProtectionProfile /
// "Create replication policy" on a ProtectionProfile, SaveRecoveryPlan and
// DeleteRecoveryPlan on a RecoveryPlan, PlannedFailover on a
// ProtectionEntity, AsrJobDetails), the job details types of the SDK models
// (TestFailoverJobDetails, FailoverJobDetails, SwitchProtectionJobDetails),
// the protected items' allowedOperations vocabulary (SwitchProtection for
// re-protect) and the task lists the Azure portal shows for A2A jobs. Where
// no source names a value (fabric, container and mapping scenarios) the
// name follows the same style.
//
// A kind the table does not know (an operation added later) still becomes
// a job: its scenario is the last segment of the kind name in PascalCase
// and it has one task, so no operation goes without its job.

type jobKind struct {
	scenario, friendly string
	targetType         string // targetInstanceType
	details            string // customDetails.instanceType
	tasks              []string
}

const (
	targetProtectionEntity    = "ProtectionEntity"
	targetProtectionProfile   = "ProtectionProfile"
	targetRecoveryPlan        = "RecoveryPlan"
	targetProtectionContainer = "ProtectionContainer"
	targetFabric              = "Fabric"
	targetNetworkMapping      = "NetworkMapping"

	detailsAsr              = "AsrJobDetails"
	detailsTestFailover     = "TestFailoverJobDetails"
	detailsFailover         = "FailoverJobDetails"
	detailsSwitchProtection = "SwitchProtectionJobDetails"
)

// itemJobKinds are the protected items' operations, by the last segment of
// their kind name (items.go, tfo.go, failover.go); recovery plans run the
// same scenarios on a RecoveryPlan.
var itemJobKinds = map[string]jobKind{
	"enableProtection": {scenario: "EnableDr", friendly: "Enable replication", details: detailsAsr, tasks: []string{
		"Prerequisites check for enabling protection", "Identifying the replication target", "Enable replication",
		"Starting initial replication", "Updating the provider states"}},
	"update": {scenario: "UpdateVmProperties", friendly: "Update the virtual machine", details: detailsAsr, tasks: []string{
		"Prerequisites check", "Update the virtual machine properties"}},
	"disableProtection": {scenario: "DisableDr", friendly: "Disable replication", details: detailsAsr, tasks: []string{
		"Prerequisites check for disabling protection", "Disable replication", "Updating the provider states"}},
	"purge": {scenario: "PurgeProtection", friendly: "Remove replicated item", details: detailsAsr, tasks: []string{
		"Remove the replicated item"}},
	"testFailover": {scenario: "TestFailover", friendly: "Test failover", details: detailsTestFailover, tasks: []string{
		"Prerequisites check for test failover", "Create test virtual machine", "Preparing the virtual machine",
		"Start the virtual machine"}},
	"testFailoverCleanup": {scenario: "TestFailoverCleanup", friendly: "Cleanup test failover", details: detailsTestFailover, tasks: []string{
		"Prerequisites check", "Delete test virtual machine", "Updating the provider states"}},
	"plannedFailover": {scenario: "PlannedFailover", friendly: "Planned failover", details: detailsFailover, tasks: []string{
		"Prerequisites check for planned failover", "Shut down the virtual machine", "Synchronizing the latest data",
		"Start the replica virtual machine"}},
	"unplannedFailover": {scenario: "UnplannedFailover", friendly: "Failover", details: detailsFailover, tasks: []string{
		"Prerequisites check for failover", "Shut down the source virtual machine", "Start the replica virtual machine"}},
	"failoverCommit": {scenario: "Commit", friendly: "Commit", details: detailsFailover, tasks: []string{
		"Prerequisites check", "Commit"}},
	"reProtect": {scenario: "SwitchProtection", friendly: "Reprotect", details: detailsSwitchProtection, tasks: []string{
		"Prerequisites check", "Identifying the replication target", "Preparing the protected entities",
		"Protecting the entities", "Updating the provider states"}},
}

// objectJobKinds are the configuration objects' writes and removals
// (types.go: {type}/write and {type}/delete), by ARM type.
var objectJobKinds = map[string]struct{ create, update, remove jobKind }{
	policyType: {
		create: jobKind{scenario: "AddProtectionProfile", friendly: "Create replication policy", targetType: targetProtectionProfile},
		update: jobKind{scenario: "UpdateProtectionProfile", friendly: "Update replication policy", targetType: targetProtectionProfile},
		remove: jobKind{scenario: "RemoveProtectionProfile", friendly: "Remove replication policy", targetType: targetProtectionProfile},
	},
	containerMappingType: {
		create: jobKind{scenario: "ConfigureProtection", friendly: "Associate replication policy", targetType: targetProtectionContainer},
		update: jobKind{scenario: "UpdateProtectionContainerMapping", friendly: "Update replication policy association", targetType: targetProtectionContainer},
		remove: jobKind{scenario: "UnconfigureProtection", friendly: "Dissociate replication policy", targetType: targetProtectionContainer},
	},
	networkMappingType: {
		create: jobKind{scenario: "MapNetwork", friendly: "Map networks", targetType: targetNetworkMapping},
		update: jobKind{scenario: "UpdateNetworkMapping", friendly: "Update network mapping", targetType: targetNetworkMapping},
		remove: jobKind{scenario: "UnmapNetwork", friendly: "Unmap networks", targetType: targetNetworkMapping},
	},
	fabricType: {
		create: jobKind{scenario: "CreateFabric", friendly: "Create fabric", targetType: targetFabric},
		remove: jobKind{scenario: "RemoveFabric", friendly: "Remove fabric", targetType: targetFabric},
	},
	containerType: {
		create: jobKind{scenario: "CreateProtectionContainer", friendly: "Create protection container", targetType: targetProtectionContainer},
		remove: jobKind{scenario: "RemoveProtectionContainer", friendly: "Remove protection container", targetType: targetProtectionContainer},
	},
	recoveryPlanType: {
		create: jobKind{scenario: "SaveRecoveryPlan", friendly: "Create a recovery plan", targetType: targetRecoveryPlan},
		update: jobKind{scenario: "UpdateRecoveryPlan", friendly: "Update a recovery plan", targetType: targetRecoveryPlan},
		remove: jobKind{scenario: "DeleteRecoveryPlan", friendly: "Delete a recovery plan", targetType: targetRecoveryPlan},
	},
}

// isJobKind reports whether op is a Site Recovery operation, hence a job:
// one on an object below a vault (the vault's own writes are not jobs).
func isJobKind(op *lro.Operation) bool {
	v := vaultIDOf(op.ResourceID)
	return v != "" && !strings.EqualFold(v, op.ResourceID) && strings.HasPrefix(strings.ToLower(op.Kind), strings.ToLower(vaultType+"/"))
}

// jobKindOf is what the job of op says about it.
func jobKindOf(op *lro.Operation) jobKind {
	typ, action := op.Kind, ""
	if i := strings.LastIndex(op.Kind, "/"); i >= 0 {
		typ, action = op.Kind[:i], op.Kind[i+1:]
	}
	var k jobKind
	switch o, known := objectJobKinds[typ]; {
	case known && action == "write" && op.Method == http.MethodPatch && o.update.scenario != "":
		k = o.update
	case known && action == "write":
		k = o.create
	case known && action == "delete":
		k = o.remove
	}
	if k.scenario == "" {
		if ik, ok := itemJobKinds[action]; ok {
			k = ik
			k.targetType = targetProtectionEntity
			if strings.EqualFold(typ, recoveryPlanType) {
				k.targetType = targetRecoveryPlan
			}
		}
	}
	if k.scenario == "" {
		k = jobKind{scenario: pascal(action), friendly: words(action), targetType: pascal(lastSegment(typ))}
	}
	if k.details == "" {
		k.details = detailsAsr
	}
	if len(k.tasks) == 0 {
		k.tasks = []string{k.friendly}
	}
	return k
}

// pascal is "reProtect" as "ReProtect", "replicationPolicies" as
// "ReplicationPolicies".
func pascal(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// words is "testFailoverCleanup" as "Test failover cleanup".
func words(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && unicode.IsUpper(c) {
			b.WriteRune(' ')
			c = unicode.ToLower(c)
		}
		if i == 0 {
			c = unicode.ToUpper(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// taskName is a task's unique name, its friendly name in PascalCase with
// "Task" after it, as Azure names them ("DeleteRecoveryPlanTask").
func taskName(friendly string) string {
	var b strings.Builder
	for _, w := range strings.Fields(friendly) {
		b.WriteString(pascal(w))
	}
	return b.String() + "Task"
}
