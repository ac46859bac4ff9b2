package siterecovery

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// Site Recovery jobs (Microsoft.RecoveryServices/vaults/replicationJobs,
// 2023-06-01): ReplicationJobs_List (with $filter) and ReplicationJobs_Get.
//
// A job is not stored: it is a view of a Site Recovery long-running
// operation, which is what a job is in Azure (the operation's id is the
// job's name, the one Azure returns after operationresults/ in the Location
// header and in an item's currentScenario.jobId). So every operation any
// Site Recovery type starts through package lro is a job, with no code at
// the call sites; a refusal answered before any work starts no operation
// and so has no job, as in Azure. The job's state, times, tasks and errors
// come from the operation's; what it is (scenario, friendly name, affected
// object type, tasks) from its kind (jobs_kinds.go).

const (
	jobType            = vaultType + "/replicationJobs"
	jobsCollection     = "replicationJobs"
	jobStateInProgress = "InProgress"
	jobStateNotStarted = "NotStarted"
	jobStateSucceeded  = "Succeeded"
	jobStateFailed     = "Failed"
	jobStateCancelled  = "Cancelled"
)

// idleScenarioStart is the startTime Azure shows in currentScenario when no
// job runs (SQL Server's minimum date; see the ReplicationProtectedItems
// examples).
var idleScenarioStart = time.Date(1753, 1, 1, 1, 1, 1, 0, time.UTC)

type replicationJobs struct{ s *Service }

func newReplicationJobs(s *Service) *replicationJobs { return &replicationJobs{s: s} }

func (j *replicationJobs) Routes() []service.Route {
	return []service.Route{
		{Method: http.MethodGet, Pattern: vaultPath + "/" + jobsCollection, Operation: "ReplicationJobs_List", Handle: j.list},
		{Method: http.MethodGet, Pattern: vaultPath + "/" + jobsCollection + "/{jobName}", Operation: "ReplicationJobs_Get", Handle: j.get},
	}
}

// OperationKinds: jobs start no operations of their own (cancel, restart,
// resume and export are not served).
func (j *replicationJobs) OperationKinds() []lro.Kind { return nil }

// ---- the wire form (Job, JobProperties, ASRTask, JobErrorDetails) ----

type jobView struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Type       string        `json:"type"`
	Properties jobProperties `json:"properties"`
}

type jobProperties struct {
	ActivityID         string          `json:"activityId"`
	ScenarioName       string          `json:"scenarioName"`
	FriendlyName       string          `json:"friendlyName"`
	State              string          `json:"state"`
	StateDescription   string          `json:"stateDescription"`
	Tasks              []jobTask       `json:"tasks"`
	Errors             []jobError      `json:"errors"`
	StartTime          time.Time       `json:"startTime"`
	EndTime            *time.Time      `json:"endTime,omitempty"`
	AllowedActions     []string        `json:"allowedActions"`
	TargetObjectID     string          `json:"targetObjectId"`
	TargetObjectName   string          `json:"targetObjectName"`
	TargetInstanceType string          `json:"targetInstanceType"`
	CustomDetails      json.RawMessage `json:"customDetails"`
}

type jobTask struct {
	TaskID           string     `json:"taskId"`
	Name             string     `json:"name"`
	FriendlyName     string     `json:"friendlyName"`
	State            string     `json:"state"`
	StateDescription string     `json:"stateDescription"`
	StartTime        *time.Time `json:"startTime,omitempty"`
	EndTime          *time.Time `json:"endTime,omitempty"`
	AllowedActions   []string   `json:"allowedActions"`
	TaskType         string     `json:"taskType"`
	Errors           []jobError `json:"errors"`
}

type jobError struct {
	ServiceErrorDetails *jobServiceError `json:"serviceErrorDetails,omitempty"`
	ErrorLevel          string           `json:"errorLevel"`
	CreationTime        *time.Time       `json:"creationTime,omitempty"`
	TaskID              string           `json:"taskId,omitempty"`
}

type jobServiceError struct {
	Code              string `json:"code"`
	Message           string `json:"message"`
	PossibleCauses    string `json:"possibleCauses"`
	RecommendedAction string `json:"recommendedAction"`
	ActivityID        string `json:"activityId"`
}

// ---- handlers ----

func (j *replicationJobs) list(req *service.Request) (arm.Response, error) {
	filter, err := parseJobFilter(req.HTTP.URL.Query().Get("$filter"))
	if err != nil {
		return arm.Response{}, err
	}
	v, err := j.s.requireVault(j.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	ops, err := j.s.Ops.List("")
	if err != nil {
		return arm.Response{}, err
	}
	out := []*jobView{}
	for i := range ops {
		op := &ops[i]
		if !isJobKind(op) || !strings.EqualFold(vaultIDOf(op.ResourceID), v.ID) {
			continue
		}
		job := j.s.jobOf(j.s.Store, v.ID, op)
		if filter.matches(job, op) {
			out = append(out, job)
		}
	}
	// Newest first, as the portal and Get-AzRecoveryServicesAsrJob list them.
	sort.SliceStable(out, func(a, b int) bool { return out[a].Properties.StartTime.After(out[b].Properties.StartTime) })
	return arm.JSON(http.StatusOK, service.List[*jobView]{Value: out}), nil
}

func (j *replicationJobs) get(req *service.Request) (arm.Response, error) {
	v, err := j.s.requireVault(j.s.Store, req, false)
	if err != nil {
		return arm.Response{}, err
	}
	name := req.Param("jobName")
	op, ok, err := j.s.Ops.Get(name)
	if err != nil {
		return arm.Response{}, err
	}
	if !ok || !isJobKind(op) || !strings.EqualFold(vaultIDOf(op.ResourceID), v.ID) {
		return arm.Response{}, arm.SiteRecoveryJobNotFound(name, v.Name)
	}
	return arm.JSON(http.StatusOK, j.s.jobOf(j.s.Store, v.ID, op)), nil
}

// ---- the view ----

// jobOf is the job op is, as of now.
func (s *Service) jobOf(r store.Reader, vaultID string, op *lro.Operation) *jobView {
	k := jobKindOf(op)
	target := jobTargetOf(r, op)
	job := &jobView{ID: vaultID + "/" + jobsCollection + "/" + op.ID, Name: op.ID, Type: jobType}
	p := &job.Properties
	p.ActivityID = stableGUID(op.ID+"/activity") + " ActivityId: " + stableGUID(op.ID+"/client")
	p.ScenarioName, p.FriendlyName = k.scenario, k.friendly
	p.StartTime, p.EndTime = op.StartTime, op.EndTime
	p.AllowedActions = []string{} // cancel, restart and resume are not served
	p.TargetObjectID, p.TargetObjectName, p.TargetInstanceType = target.id, target.name, k.targetType
	p.State, p.StateDescription = jobState(op.Status)
	p.Tasks = jobTasks(op, k)
	p.Errors = []jobError{}
	if e := jobErrorOf(op, p.Tasks, k.friendly, target.name); e != nil {
		p.Errors = append(p.Errors, *e)
	}
	p.CustomDetails = jobDetails(k, op, target)
	return job
}

func jobState(st lro.Status) (state, description string) {
	switch st {
	case lro.Succeeded:
		return jobStateSucceeded, "Completed"
	case lro.Failed:
		return jobStateFailed, "Failed"
	case lro.Canceled:
		return jobStateCancelled, "Cancelled"
	}
	return jobStateInProgress, jobStateInProgress
}

// jobTasks splits the operation's simulated duration evenly among the
// kind's tasks: those that ended before now (or before the operation did)
// succeeded, the one running at that time is in progress or carries the
// operation's failure, the rest have not started.
func jobTasks(op *lro.Operation, k jobKind) []jobTask {
	at := op.StartTime.Add(time.Duration(float64(op.DueTime.Sub(op.StartTime)) * op.PercentComplete / 100))
	if op.EndTime != nil {
		at = *op.EndTime
	}
	n := len(k.tasks)
	step := op.DueTime.Sub(op.StartTime) / time.Duration(n)
	out := make([]jobTask, n)
	for i, friendly := range k.tasks {
		start, end := op.StartTime.Add(step*time.Duration(i)), op.StartTime.Add(step*time.Duration(i+1))
		t := jobTask{TaskID: stableGUID(op.ID + "/tasks/" + friendly), Name: taskName(friendly), FriendlyName: friendly,
			AllowedActions: []string{}, TaskType: "TaskDetails", Errors: []jobError{}, State: jobStateNotStarted, StateDescription: jobStateNotStarted}
		last, begun := i == n-1, !start.After(at)
		// A failure is the running task's; at or after the due time, the
		// last task's.
		current := (begun && at.Before(end)) || (last && begun && op.Terminal())
		switch {
		case op.Status == lro.Succeeded || (!at.Before(end) && !current):
			t.State, t.StateDescription = jobStateSucceeded, "Completed"
			t.StartTime, t.EndTime = &start, &end
			if last && op.EndTime != nil {
				t.EndTime = op.EndTime
			}
		case current:
			t.StartTime = &start
			t.State, t.StateDescription = jobState(op.Status)
			t.EndTime = op.EndTime
		}
		out[i] = t
	}
	return out
}

// jobErrorOf is the job's error for a failed or cancelled operation: the
// operation's error with Site Recovery's possible causes and recommended
// action, on the task that was running; the task carries it too.
func jobErrorOf(op *lro.Operation, tasks []jobTask, friendly, target string) *jobError {
	if op.Status != lro.Failed && op.Status != lro.Canceled {
		return nil
	}
	e := op.Error
	if e == nil {
		e = arm.Internal(errString("the operation ended without recording why"))
	}
	causes, action := e.PossibleCauses, e.RecommendedAction
	if r, ok := jobRemedies[e.Code]; ok && causes == "" {
		causes, action = r[0], orString(action, r[1])
	}
	if causes == "" {
		causes = "Site Recovery could not complete the " + strings.ToLower(friendly) + " of '" + target + "'."
	}
	if action == "" {
		action = "Correct the error above, then retry the operation. If the issue persists, contact support with the job's activity id."
	}
	je := &jobError{
		ServiceErrorDetails: &jobServiceError{Code: e.Code, Message: e.Message, PossibleCauses: causes, RecommendedAction: action,
			ActivityID: stableGUID(op.ID + "/activity")},
		ErrorLevel: "Error", CreationTime: op.EndTime,
	}
	for i := range tasks {
		if tasks[i].State == jobStateFailed || tasks[i].State == jobStateCancelled {
			je.TaskID = tasks[i].TaskID
			tasks[i].Errors = append(tasks[i].Errors, *je)
		}
	}
	return je
}

// jobRemedies are possible causes and recommended actions for the failure
// codes of the operations here, when the error does not carry its own
// (arm.Error.WithRemedy).
var jobRemedies = map[string][2]string{
	"TestFailoverFailed": {
		"The recovery region or the test network was unavailable, or the test virtual machine could not be created there.",
		"Run test failover cleanup on the item, then retry the test failover once the recovery region and the test network are available."},
	"OperationCanceled": {
		"The object the operation worked on, or its resource group, was removed while the operation ran.",
		"Check that the object still exists, then start the operation again if it is still needed."},
}

// jobTarget is the object a job acts on.
type jobTarget struct {
	id, name, friendly string
	armID              string
}

// jobTargetOf names the operation's object: a protected item by its VM's
// name, anything else by its friendly name, falling back to the name in
// its id (the object may be gone: a removal's job outlives it). Azure's
// targetObjectId is an internal GUID, the item's name for protected items.
func jobTargetOf(r store.Reader, op *lro.Operation) jobTarget {
	t := jobTarget{armID: op.ResourceID, name: lastSegment(op.ResourceID)}
	t.id, t.friendly = stableGUID(op.ResourceID), t.name
	var head struct {
		Properties struct {
			FriendlyName string `json:"friendlyName"`
			VMName       string `json:"vmName"`
		} `json:"properties"`
	}
	if raw, ok := r.Get(op.ResourceID); ok && json.Unmarshal(raw, &head) == nil {
		t.friendly = orString(head.Properties.FriendlyName, t.name)
		if head.Properties.VMName != "" {
			t.friendly = head.Properties.VMName
		}
	}
	if strings.Contains(strings.ToLower(op.ResourceID), "/"+strings.ToLower(protectedItemsCollection)+"/") {
		t.id = t.name
		t.name = t.friendly
	} else {
		t.name = t.friendly
	}
	return t
}

// jobDetails is customDetails: the details type of the kind, naming the
// protected item for failover jobs and the item for re-protect.
func jobDetails(k jobKind, op *lro.Operation, t jobTarget) json.RawMessage {
	type itemDetails struct {
		Name         string `json:"name"`
		FriendlyName string `json:"friendlyName"`
	}
	details := map[string]any{"instanceType": k.details, "affectedObjectDetails": map[string]string{}}
	switch k.details {
	case detailsTestFailover, detailsFailover:
		details["protectedItemDetails"] = []itemDetails{{Name: lastSegment(op.ResourceID), FriendlyName: t.name}}
		if k.details == detailsTestFailover {
			details["testFailoverStatus"], _ = jobState(op.Status)
			details["comments"] = ""
			details["networkType"] = networkTypeVMNetwork
		}
	case detailsSwitchProtection:
		details["newReplicationProtectedItemId"] = op.ResourceID
	}
	raw, _ := json.Marshal(details)
	return raw
}

// currentScenarioOf is an item's currentScenario: the Site Recovery job
// running on it, or Azure's idle scenario ("None", jobId
// .../replicationJobs/None).
func (s *Service) currentScenarioOf(r store.Reader, itemID string) currentScenario {
	if op, ok, err := s.Ops.InFlight(r, itemID); err == nil && ok && isJobKind(op) {
		start := op.StartTime
		return currentScenario{ScenarioName: jobKindOf(op).scenario, JobID: vaultIDOf(itemID) + "/" + jobsCollection + "/" + op.ID, StartTime: &start}
	}
	idle := idleScenarioStart
	return currentScenario{ScenarioName: scenarioNone, JobID: vaultIDOf(itemID) + "/" + jobsCollection + "/" + scenarioNone, StartTime: &idle}
}
