package replication

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
)

// ValidateConfig checks what spans attributes; ranges and formats are the
// schema's validators (framework.DurationValidator).
func (r *policyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m policyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	retention, rok := configDuration(m.RecoveryPointRetention, defaultRetention)
	app, aok := configDuration(m.AppConsistentFrequency, defaultAppFrequency)
	if !rok || !aok {
		return // unknown, or already reported by the attribute's validator
	}
	if err := appWithinRetention(app, retention); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("app_consistent_snapshot_frequency"), "Snapshot frequency above retention", err.Error())
	}
}

// appWithinRetention is Azure's rule: an app-consistent point taken less
// often than points are kept would expire before the next one exists.
func appWithinRetention(app, retention time.Duration) error {
	if app == 0 || app <= retention {
		return nil
	}
	fix := fmt.Sprintf("Set app_consistent_snapshot_frequency to at most %q, raise recovery_point_retention to at least %q, or set app_consistent_snapshot_frequency = \"0\" to turn app-consistent snapshots off.",
		duration.Format(retention), duration.Format(app))
	if retention == 0 {
		fix = "With recovery_point_retention = \"0\" only the latest point is kept: set app_consistent_snapshot_frequency = \"0\", or raise recovery_point_retention."
	}
	return fmt.Errorf("app_consistent_snapshot_frequency (%s) is above recovery_point_retention (%s): app-consistent points would expire before the next one is taken. %s",
		duration.Format(app), duration.Format(retention), fix)
}

// configDuration reads a duration attribute, with its default when unset.
// ok is false while it is unknown or does not parse.
func configDuration(v types.String, def string) (time.Duration, bool) {
	if v.IsUnknown() {
		return 0, false
	}
	s := def
	if !v.IsNull() {
		s = v.ValueString()
	}
	d, err := duration.Parse(s)
	return d, err == nil
}

// settings are the planned settings in Azure's terms. The strings were
// validated at plan time.
func (m *policyModel) settings() (policySettings, error) {
	var s policySettings
	var err error
	for _, f := range []struct {
		v    types.String
		into *time.Duration
	}{{m.RecoveryPointRetention, &s.Retention}, {m.AppConsistentFrequency, &s.AppFrequency}, {m.CrashConsistentFrequency, &s.CrashFrequency}} {
		if *f.into, err = duration.Parse(f.v.ValueString()); err != nil {
			return s, err
		}
	}
	s.MultiVMSync = m.MultiVMSync.ValueBool()
	return s, nil
}

// setSettings records what Azure holds, keeping the configuration's spelling
// ("1d" rather than "24h") when the meaning is the same, so a refresh shows
// no change for it.
func (m *policyModel) setSettings(s policySettings) {
	keep := func(current types.String, d time.Duration) types.String {
		if !current.IsNull() && !current.IsUnknown() {
			if c, err := duration.Parse(current.ValueString()); err == nil && c == d {
				return current
			}
		}
		return types.StringValue(duration.Format(d))
	}
	m.RecoveryPointRetention = keep(m.RecoveryPointRetention, s.Retention)
	m.AppConsistentFrequency = keep(m.AppConsistentFrequency, s.AppFrequency)
	m.CrashConsistentFrequency = keep(m.CrashConsistentFrequency, s.CrashFrequency)
	m.MultiVMSync = types.BoolValue(s.MultiVMSync)
}
