package siterecovery

import (
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Replication policies (A2A): how long recovery points are kept and how
// often crash- and app-consistent ones are taken. The replication model
// reads them through policyOf.

const (
	policyWriteDuration = 30 * time.Second

	// Azure's limits, in minutes: 15 days of history, app-consistent
	// snapshots every 1 to 12 hours (or never), crash-consistent every 1 to
	// 60 minutes.
	maxRecoveryPointHistory = 15 * 24 * 60
	minAppConsistentFreq    = 60
	maxAppConsistentFreq    = 720
	maxCrashConsistentFreq  = 60

	// Defaults for fields a body leaves out (the portal's): a day of
	// history, crash-consistent points every 5 minutes, no app-consistent
	// ones, multi-VM consistency on.
	defaultRecoveryPointHistory = 24 * 60
	defaultCrashConsistentFreq  = 5
	// recoveryPointThreshold is the RPO (minutes) above which Azure raises
	// a replication health warning.
	recoveryPointThreshold = 60
)

func (s *Service) replicationPolicies() *srObjects[policyProperties] {
	return &srObjects[policyProperties]{s: s, typ: policyType, operations: "ReplicationPolicies",
		levels:        []srLevel{{collection: policiesCollection, param: "policyName"}},
		writeDuration: policyWriteDuration, deleteDuration: policyWriteDuration,
		build: buildPolicy, update: updatePolicy, inUse: policyInUse,
		deleteOp: "ReplicationPolicies_Delete"}
}

// a2aPolicyInput is A2APolicyCreationInput.
type a2aPolicyInput struct {
	InstanceType                      string  `json:"instanceType"`
	RecoveryPointHistory              *int32  `json:"recoveryPointHistory"`
	AppConsistentFrequencyInMinutes   *int32  `json:"appConsistentFrequencyInMinutes"`
	CrashConsistentFrequencyInMinutes *int32  `json:"crashConsistentFrequencyInMinutes"`
	MultiVMSyncStatus                 *string `json:"multiVmSyncStatus"`
}

// policyInput is CreatePolicyInput (providerSpecificInput) and
// UpdatePolicyInput (replicationProviderSettings).
type policyInput struct {
	Properties *struct {
		ProviderSpecificInput       *a2aPolicyInput `json:"providerSpecificInput"`
		ReplicationProviderSettings *a2aPolicyInput `json:"replicationProviderSettings"`
	} `json:"properties"`
}

func buildPolicy(_ *store.Tx, req *service.Request, at srPlace, cur *replicationPolicy) (*replicationPolicy, error) {
	var in policyInput
	if err := req.Decode(&in); err != nil {
		return nil, err
	}
	if in.Properties == nil || in.Properties.ProviderSpecificInput == nil {
		return nil, arm.InvalidProperty("properties.providerSpecificInput", "required: give the A2A settings, {\"instanceType\": \"A2A\", ...}")
	}
	d := a2aPolicyDetails{RecoveryPointHistory: defaultRecoveryPointHistory, CrashConsistentFrequencyInMinutes: defaultCrashConsistentFreq,
		MultiVMSyncStatus: multiVMEnable}
	if err := applyPolicy(&d, in.Properties.ProviderSpecificInput, "properties.providerSpecificInput"); err != nil {
		return nil, err
	}
	return &replicationPolicy{Properties: policyProperties{FriendlyName: at.name, ProviderSpecificDetails: d}}, nil
}

// updatePolicy applies UpdatePolicyInput; fields left out keep their value.
func updatePolicy(_ *store.Tx, req *service.Request, _ srPlace, cur *replicationPolicy) error {
	var in policyInput
	if err := req.Decode(&in); err != nil {
		return err
	}
	if in.Properties == nil || in.Properties.ReplicationProviderSettings == nil {
		return arm.InvalidProperty("properties.replicationProviderSettings", "required: give the A2A settings to change, {\"instanceType\": \"A2A\", ...}")
	}
	d := cur.Properties.ProviderSpecificDetails
	if err := applyPolicy(&d, in.Properties.ReplicationProviderSettings, "properties.replicationProviderSettings"); err != nil {
		return err
	}
	cur.Properties.ProviderSpecificDetails = d
	return nil
}

// applyPolicy validates the settings given and copies them into d.
func applyPolicy(d *a2aPolicyDetails, in *a2aPolicyInput, path string) error {
	if in.InstanceType != instanceA2A {
		return arm.InvalidProperty(path+".instanceType", "'%s' is not supported; the emulator serves Azure-to-Azure policies, instanceType \"A2A\"", in.InstanceType)
	}
	d.InstanceType, d.RecoveryPointThresholdInMinutes = instanceA2A, recoveryPointThreshold
	if in.RecoveryPointHistory != nil {
		d.RecoveryPointHistory = *in.RecoveryPointHistory
	}
	if in.AppConsistentFrequencyInMinutes != nil {
		d.AppConsistentFrequencyInMinutes = *in.AppConsistentFrequencyInMinutes
	}
	if in.CrashConsistentFrequencyInMinutes != nil {
		d.CrashConsistentFrequencyInMinutes = *in.CrashConsistentFrequencyInMinutes
	}
	if in.MultiVMSyncStatus != nil {
		d.MultiVMSyncStatus = *in.MultiVMSyncStatus
	}
	switch h, app, crash := d.RecoveryPointHistory, d.AppConsistentFrequencyInMinutes, d.CrashConsistentFrequencyInMinutes; {
	case h < 0 || h > maxRecoveryPointHistory:
		return arm.InvalidProperty(path+".recoveryPointHistory",
			"%d minutes is out of range; keep recovery points between 0 and %d minutes (15 days)", h, maxRecoveryPointHistory)
	case app != 0 && (app < minAppConsistentFreq || app > maxAppConsistentFreq):
		return arm.InvalidProperty(path+".appConsistentFrequencyInMinutes",
			"%d minutes is not allowed; use 0 (no app-consistent snapshots) or %d to %d minutes", app, minAppConsistentFreq, maxAppConsistentFreq)
	case app > h:
		return arm.InvalidProperty(path+".appConsistentFrequencyInMinutes",
			"%d minutes is longer than the recovery point history of %d minutes; no app-consistent point would be kept. Lower the frequency or keep more history", app, h)
	case crash < 1 || crash > maxCrashConsistentFreq:
		return arm.InvalidProperty(path+".crashConsistentFrequencyInMinutes",
			"%d minutes is out of range; use 1 to %d minutes", crash, maxCrashConsistentFreq)
	}
	if d.MultiVMSyncStatus != multiVMEnable && d.MultiVMSyncStatus != multiVMDisable {
		return arm.InvalidProperty(path+".multiVmSyncStatus", "'%s' is not allowed; use \"Enable\" or \"Disable\"", d.MultiVMSyncStatus)
	}
	return nil
}

// policyInUse refuses deleting a policy container mappings use.
func policyInUse(r store.Reader, p *replicationPolicy) error {
	all, err := objectsOfType[containerMappingProperties](r, vaultIDOf(p.ID), fabricsCollection, containersCollection, containerMappingsColl)
	if err != nil {
		return err
	}
	var users []string
	for _, m := range all {
		if strings.EqualFold(m.Properties.PolicyID, p.ID) {
			users = append(users, m.ID)
		}
	}
	if len(users) > 0 {
		return arm.ReplicationPolicyInUse(p.Name, users)
	}
	return nil
}
