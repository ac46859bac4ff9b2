package siterecovery

import (
	"strconv"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
)

// jobFilter is ReplicationJobs_List's $filter: the spec's JobQueryParameter
// (x-ms-odata), as OData `field eq 'value'` clauses joined by `and`, the
// form Azure PowerShell's Get-AzRecoveryServicesAsrJob sends. Every field is
// optional; a field the spec does not define, a clause that is not
// `field eq value`, a repeated field or a value of the wrong form is refused
// (400 InvalidFilter), as Azure refuses a malformed query.
type jobFilter struct {
	startTime, endTime *time.Time
	fabricID           string
	objectTypes        []string // affectedObjectTypes, comma-separated
	states             []string // jobStatus, comma-separated
	jobName            string
}

// jobStates are the states the spec lists for JobProperties.state.
var jobStates = []string{jobStateNotStarted, jobStateInProgress, jobStateSucceeded, jobStateFailed, jobStateCancelled, "Suspended", "Other"}

func parseJobFilter(raw string) (jobFilter, error) {
	var f jobFilter
	if strings.TrimSpace(raw) == "" {
		return f, nil
	}
	seen := map[string]bool{}
	for _, clause := range splitAnd(raw) {
		field, value, err := parseClause(clause)
		if err != nil {
			return f, err
		}
		key := strings.ToLower(field)
		if seen[key] {
			return f, arm.InvalidJobFilter("'" + field + "' appears more than once")
		}
		seen[key] = true
		switch key {
		case "starttime", "endtime":
			t, err := parseFilterTime(value)
			if err != nil {
				return f, arm.InvalidJobFilter(field + ": '" + value + "' is not a date and time (use ISO 8601, e.g. 2026-12-03T10:00:00Z)")
			}
			if key == "starttime" {
				f.startTime = &t
			} else {
				f.endTime = &t
			}
		case "fabricid":
			f.fabricID = value
		case "affectedobjecttypes":
			f.objectTypes = splitList(value)
		case "jobstatus":
			f.states = splitList(value)
			for _, st := range f.states {
				if !containsFold(jobStates, st) {
					return f, arm.InvalidJobFilter("jobStatus: '" + st + "' is not a job state (" + strings.Join(jobStates, ", ") + ")")
				}
			}
		case "jobname":
			f.jobName = value
		case "joboutputtype":
			if !containsFold([]string{"Json", "Xml", "Excel"}, value) {
				return f, arm.InvalidJobFilter("jobOutputType: '" + value + "' is not one of Json, Xml, Excel")
			}
		case "timezoneoffset":
			if _, err := strconv.ParseFloat(value, 64); err != nil {
				return f, arm.InvalidJobFilter("timezoneOffset: '" + value + "' is not a number of minutes")
			}
		default:
			return f, arm.InvalidJobFilter("'" + field + "' is not a field of the job query")
		}
	}
	if f.startTime != nil && f.endTime != nil && f.endTime.Before(*f.startTime) {
		return f, arm.InvalidJobFilter("endTime is before startTime")
	}
	return f, nil
}

// splitAnd splits on the keyword and outside quotes.
func splitAnd(s string) []string {
	var out []string
	var cur strings.Builder
	words := strings.Fields(s)
	inQuote := false
	for _, w := range words {
		if !inQuote && strings.EqualFold(w, "and") {
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
		if strings.Count(w, "'")%2 == 1 {
			inQuote = !inQuote
		}
	}
	return append(out, cur.String())
}

// parseClause reads `field eq 'value'` (or an unquoted value).
func parseClause(c string) (field, value string, err error) {
	parts := strings.SplitN(strings.TrimSpace(c), " ", 3)
	if len(parts) != 3 || !strings.EqualFold(parts[1], "eq") || parts[0] == "" {
		return "", "", arm.InvalidJobFilter("'" + strings.TrimSpace(c) + "' is not of the form field eq 'value'")
	}
	value = strings.TrimSpace(parts[2])
	if strings.HasPrefix(value, "'") {
		if len(value) < 2 || !strings.HasSuffix(value, "'") {
			return "", "", arm.InvalidJobFilter("the value of '" + parts[0] + "' has an unterminated quote")
		}
		value = strings.ReplaceAll(value[1:len(value)-1], "''", "'")
	}
	return parts[0], value, nil
}

func parseFilterTime(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, v)
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// matches reports whether job (the view of op) passes the filter: started
// within [startTime, endTime], under the fabric (its id or name), of one
// of the affected object types and states, with that name.
func (f jobFilter) matches(job *jobView, op *lro.Operation) bool {
	p := &job.Properties
	if f.startTime != nil && p.StartTime.Before(*f.startTime) {
		return false
	}
	if f.endTime != nil && p.StartTime.After(*f.endTime) {
		return false
	}
	if f.fabricID != "" && !underFabric(op.ResourceID, f.fabricID) {
		return false
	}
	if len(f.objectTypes) > 0 && !containsFold(f.objectTypes, p.TargetInstanceType) {
		return false
	}
	if len(f.states) > 0 && !containsFold(f.states, p.State) {
		return false
	}
	return f.jobName == "" || strings.EqualFold(f.jobName, job.Name)
}

// underFabric: the resource is the fabric or below it; fabric is its id or
// its name.
func underFabric(resourceID, fabric string) bool {
	lower := strings.ToLower(resourceID)
	if strings.HasPrefix(fabric, "/") {
		f := strings.ToLower(strings.TrimSuffix(fabric, "/"))
		return lower == f || strings.HasPrefix(lower, f+"/")
	}
	marker := "/" + strings.ToLower(fabricsCollection) + "/" + strings.ToLower(fabric)
	i := strings.Index(lower, marker)
	return i >= 0 && (len(lower) == i+len(marker) || lower[i+len(marker)] == '/')
}
