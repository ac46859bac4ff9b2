package replication

import (
	"strings"
	"time"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The live status of a replicated VM, as the portal shows it: read from
// Site Recovery on every refresh and shared by the azuredr_replicated_vm
// resource and data source. Pipelines act on these figures (an RPO output,
// a health check), so they are plain attributes, not a blob.

// vmStatus holds the status attributes; the resource and data source models
// embed it.
type vmStatus struct {
	ProtectionState              types.String `tfsdk:"protection_state"`
	ProtectionStateDescription   types.String `tfsdk:"protection_state_description"`
	ReplicationHealth            types.String `tfsdk:"replication_health"`
	HealthErrors                 types.List   `tfsdk:"health_errors"`
	RPOSeconds                   types.Int64  `tfsdk:"rpo_seconds"`
	LastRPOCalculatedAt          types.String `tfsdk:"last_rpo_calculated_at"`
	LatestRecoveryPoint          types.Object `tfsdk:"latest_recovery_point"`
	TestFailoverState            types.String `tfsdk:"test_failover_state"`
	LastSuccessfulTestFailoverAt types.String `tfsdk:"last_successful_test_failover_at"`
	LastSuccessfulFailoverAt     types.String `tfsdk:"last_successful_failover_at"`
	AllowedOperations            types.List   `tfsdk:"allowed_operations"`
	ActiveLocation               types.String `tfsdk:"active_location"`
	RecoveryVMName               types.String `tfsdk:"recovery_vm_name"`
	InitialReplicationProgress   types.Int64  `tfsdk:"initial_replication_progress"`
}

var healthErrorType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"code":               types.StringType,
	"message":            types.StringType,
	"level":              types.StringType,
	"possible_causes":    types.StringType,
	"recommended_action": types.StringType,
	"created_at":         types.StringType,
}}

var recoveryPointType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":        types.StringType,
	"name":      types.StringType,
	"time":      types.StringType,
	"type":      types.StringType,
	"sync_type": types.StringType,
}}

// statusField is one status attribute: its name, type and description,
// from which both schemas are generated.
type statusField struct {
	name string
	typ  attr.Type
	desc string
}

var statusFields = []statusField{
	{"protection_state", types.StringType, "Site Recovery's protection state: `InitialReplicationInProgress` until the first full copy is in the recovery region, then `Protected`."},
	{"protection_state_description", types.StringType, "The protection state as the portal words it."},
	{"replication_health", types.StringType, "`Normal`, `Warning` or `Critical`."},
	{"health_errors", types.ListType{ElemType: healthErrorType}, "Site Recovery's health errors: `code`, `message`, `level`, `possible_causes`, `recommended_action`, `created_at`."},
	{"rpo_seconds", types.Int64Type, "The current RPO: age in seconds of the newest data replicated to the recovery region, as of `last_rpo_calculated_at`."},
	{"last_rpo_calculated_at", types.StringType, "When Site Recovery last computed `rpo_seconds` (RFC 3339)."},
	{"latest_recovery_point", recoveryPointType, "The newest recovery point: `id`, `name`, `time` (RFC 3339), `type` (`CrashConsistent` or `AppConsistent`) and `sync_type` (`PerVmRecoveryPoint` or `MultiVmSyncRecoveryPoint`). Null until the first point exists."},
	{"test_failover_state", types.StringType, "State of the last test failover (`None` when none ran; a drill in progress shows it waiting for cleanup)."},
	{"last_successful_test_failover_at", types.StringType, "When the last test failover succeeded (RFC 3339), empty if never: Microsoft recommends one per application every quarter."},
	{"last_successful_failover_at", types.StringType, "When the last real failover succeeded (RFC 3339), empty if never."},
	{"allowed_operations", types.ListType{ElemType: types.StringType}, "Operations Site Recovery allows now, such as `TestFailover`, `PlannedFailover`, `UnplannedFailover`, `DisableProtection`."},
	{"active_location", types.StringType, "Where the VM runs now: `Primary` or `Recovery`."},
	{"recovery_vm_name", types.StringType, "Name of the VM a failover creates in the recovery region."},
	{"initial_replication_progress", types.Int64Type, "Percent complete of initial replication (100 once protected)."},
}

func resourceStatusAttributes(into map[string]rschema.Attribute) {
	for _, f := range statusFields {
		switch t := f.typ.(type) {
		case types.ListType:
			into[f.name] = rschema.ListAttribute{Computed: true, ElementType: t.ElemType, MarkdownDescription: f.desc}
		case types.ObjectType:
			into[f.name] = rschema.ObjectAttribute{Computed: true, AttributeTypes: t.AttrTypes, MarkdownDescription: f.desc}
		default:
			into[f.name] = basicResourceAttribute(t, f.desc)
		}
	}
}

func dataSourceStatusAttributes(into map[string]dschema.Attribute) {
	for _, f := range statusFields {
		switch t := f.typ.(type) {
		case types.ListType:
			into[f.name] = dschema.ListAttribute{Computed: true, ElementType: t.ElemType, MarkdownDescription: f.desc}
		case types.ObjectType:
			into[f.name] = dschema.ObjectAttribute{Computed: true, AttributeTypes: t.AttrTypes, MarkdownDescription: f.desc}
		default:
			into[f.name] = basicDataSourceAttribute(t, f.desc)
		}
	}
}

func basicResourceAttribute(t attr.Type, desc string) rschema.Attribute {
	if t.Equal(types.Int64Type) {
		return rschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	return rschema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func basicDataSourceAttribute(t attr.Type, desc string) dschema.Attribute {
	if t.Equal(types.Int64Type) {
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	return dschema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

// fill sets the status from a protected item and its newest recovery point
// (nil when there is none yet).
func (s *vmStatus) fill(p *asr.ReplicationProtectedItemProperties, latest *asr.RecoveryPoint) {
	s.ProtectionState = types.StringValue(deref(p.ProtectionState))
	s.ProtectionStateDescription = types.StringValue(deref(p.ProtectionStateDescription))
	s.ReplicationHealth = types.StringValue(deref(p.ReplicationHealth))
	s.TestFailoverState = types.StringValue(deref(p.TestFailoverState))
	s.LastSuccessfulTestFailoverAt = types.StringValue(timeString(p.LastSuccessfulTestFailoverTime))
	s.LastSuccessfulFailoverAt = types.StringValue(timeString(p.LastSuccessfulFailoverTime))
	s.ActiveLocation = types.StringValue(deref(p.ActiveLocation))

	errs := make([]attr.Value, 0, len(p.HealthErrors))
	for _, e := range p.HealthErrors {
		if e == nil {
			continue
		}
		errs = append(errs, types.ObjectValueMust(healthErrorType.AttrTypes, map[string]attr.Value{
			"code":               types.StringValue(deref(e.ErrorCode)),
			"message":            types.StringValue(deref(e.ErrorMessage)),
			"level":              types.StringValue(deref(e.ErrorLevel)),
			"possible_causes":    types.StringValue(deref(e.PossibleCauses)),
			"recommended_action": types.StringValue(deref(e.RecommendedAction)),
			"created_at":         types.StringValue(timeString(e.CreationTimeUTC)),
		}))
	}
	s.HealthErrors = types.ListValueMust(healthErrorType, errs)

	ops := make([]attr.Value, 0, len(p.AllowedOperations))
	for _, op := range p.AllowedOperations {
		if op != nil {
			ops = append(ops, types.StringValue(*op))
		}
	}
	s.AllowedOperations = types.ListValueMust(types.StringType, ops)

	s.RPOSeconds, s.LastRPOCalculatedAt = types.Int64Null(), types.StringValue("")
	s.RecoveryVMName, s.InitialReplicationProgress = types.StringValue(""), types.Int64Value(0)
	if a2a, ok := p.ProviderSpecificDetails.(*asr.A2AReplicationDetails); ok && a2a != nil {
		if a2a.RpoInSeconds != nil {
			s.RPOSeconds = types.Int64Value(*a2a.RpoInSeconds)
		}
		s.LastRPOCalculatedAt = types.StringValue(timeString(a2a.LastRpoCalculatedTime))
		s.RecoveryVMName = types.StringValue(deref(a2a.RecoveryAzureVMName))
		s.InitialReplicationProgress = types.Int64Value(int64(initialReplicationProgress(p, a2a)))
	}
	s.LatestRecoveryPoint = recoveryPointValue(latest)
}

// isProtected reports whether initial replication is over.
func isProtected(p *asr.ReplicationProtectedItemProperties) bool {
	return strings.EqualFold(deref(p.ProtectionState), "Protected")
}

// initialReplicationProgress is 100 once protected, else the monitoring
// job's percentage while it is the initial replication.
func initialReplicationProgress(p *asr.ReplicationProtectedItemProperties, a2a *asr.A2AReplicationDetails) int32 {
	if isProtected(p) {
		return 100
	}
	if a2a.MonitoringPercentageCompletion != nil {
		return *a2a.MonitoringPercentageCompletion
	}
	return 0
}

// recoveryPointValue is a recovery point as the latest_recovery_point
// object (null for none).
func recoveryPointValue(rp *asr.RecoveryPoint) types.Object {
	if rp == nil {
		return types.ObjectNull(recoveryPointType.AttrTypes)
	}
	return types.ObjectValueMust(recoveryPointType.AttrTypes, recoveryPointAttrs(rp))
}

func recoveryPointAttrs(rp *asr.RecoveryPoint) map[string]attr.Value {
	var when *time.Time
	typ, sync := "", ""
	if rp.Properties != nil {
		when = rp.Properties.RecoveryPointTime
		typ = deref(rp.Properties.RecoveryPointType)
		if d, ok := rp.Properties.ProviderSpecificDetails.(*asr.A2ARecoveryPointDetails); ok && d != nil && d.RecoveryPointSyncType != nil {
			sync = string(*d.RecoveryPointSyncType)
		}
	}
	return map[string]attr.Value{
		"id":        types.StringValue(deref(rp.ID)),
		"name":      types.StringValue(deref(rp.Name)),
		"time":      types.StringValue(timeString(when)),
		"type":      types.StringValue(typ),
		"sync_type": types.StringValue(sync),
	}
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// timeString renders a time as RFC 3339 in UTC, or "" for none.
func timeString(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
