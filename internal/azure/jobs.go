package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// Site Recovery jobs: every Site Recovery operation is a job
// (vaults/{v}/replicationJobs/{name}), and a failed operation's job is
// Azure's main source of why it failed: the failed task, the error's code
// and message, its possible causes and recommended action. The polls only
// carry the code and message.
//
// So the client layer looks the job up where Site Recovery polls fail: a
// pipeline policy (jobPolicy) sees every poll of every Site Recovery client;
// when one reports failure it reads the job and attaches it to the
// response, and ParseError (hence Describe and every diagnostic) shows it.
// No caller changes: internal/replication, internal/site, the network
// mappings and the drills get the job's reason wherever they describe an
// error.

// Job names the Site Recovery job an operation is.
type Job struct {
	// Name is the job's name (a GUID), ID its ARM id
	// {vault}/replicationJobs/{name}.
	Name, ID string
}

// JobError is what a failed Site Recovery job says.
type JobError struct {
	Job
	Scenario          string `json:"scenario"`         // scenarioName, e.g. "TestFailover"
	FriendlyName      string `json:"friendlyName"`     // e.g. "Test failover"
	State             string `json:"state"`            // e.g. "Failed"
	Target            string `json:"target,omitempty"` // targetObjectName
	Task              string `json:"task,omitempty"`   // the failed task's friendly name
	Code              string `json:"code,omitempty"`
	Message           string `json:"message,omitempty"`
	PossibleCauses    string `json:"possibleCauses,omitempty"`
	RecommendedAction string `json:"recommendedAction,omitempty"`
}

func (j *JobError) String() string { return j.describe(false) }

// describe renders the job; sameError leaves out the job's error line when
// the operation's error (already shown) is the same.
func (j *JobError) describe(sameError bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Site Recovery job %s (%s", j.Name, j.Scenario)
	if j.Target != "" {
		fmt.Fprintf(&b, " of %s", j.Target)
	}
	fmt.Fprintf(&b, "): %s", j.State)
	if j.Task != "" {
		fmt.Fprintf(&b, " at task %q", j.Task)
	}
	if (j.Code != "" || j.Message != "") && !sameError {
		fmt.Fprintf(&b, "\n  Error %s: %s", j.Code, j.Message)
	}
	if j.PossibleCauses != "" {
		b.WriteString("\n  Possible causes: " + j.PossibleCauses)
	}
	if j.RecommendedAction != "" {
		b.WriteString("\n  Recommended action: " + j.RecommendedAction)
	}
	b.WriteString("\n  Job ID: " + j.ID)
	return b.String()
}

// ReplicationJobs returns the Site Recovery jobs client.
func (c *Client) ReplicationJobs() *asr.ReplicationJobsClient { return replicationJobsFactory.of(c) }

var replicationJobsFactory = factory(asr.NewReplicationJobsClient)

// StartJob calls begin (a Site Recovery Begin* method, given the context to
// pass it) and returns its poller with the job the operation is. Azure
// answers a Site Recovery operation with Location
// {object}/operationresults/{job name} (Azure PowerShell reads the job from
// there) and Azure-AsyncOperation {vault}/replicationOperationStatus/{id};
// the job comes from the first, else the second. ok is false when the
// answer named none (a refusal has no job: err says why).
//
//	poller, job, err := azure.StartJob(ctx, func(ctx context.Context) (*runtime.Poller[asr.ReplicationProtectedItemsClientUnplannedFailoverResponse], error) {
//		return c.ProtectedItems().BeginUnplannedFailover(ctx, id.Vault, id.ResourceGroup, id.Fabric, id.Container, id.Name, in, nil)
//	})
func StartJob[T any](ctx context.Context, begin func(context.Context) (*runtime.Poller[T], error)) (*runtime.Poller[T], Job, error) {
	var resp *http.Response
	p, err := begin(runtime.WithCaptureResponse(ctx, &resp))
	if err != nil || resp == nil {
		return p, Job{}, err
	}
	job, _ := jobOfResponse(resp)
	return p, job, nil
}

// StartJobAtLocation is StartJob with the operation polled at its Location
// only (PollLocation): for an operation whose result the caller reads.
func StartJobAtLocation[T any](ctx context.Context, c *Client, begin func(context.Context) (*runtime.Poller[T], error)) (*runtime.Poller[T], Job, error) {
	p, resp, err := PollLocation(ctx, c, begin)
	if err != nil || resp == nil {
		return p, Job{}, err
	}
	job, _ := jobOfResponse(resp)
	return p, job, nil
}

// JobOf returns the Site Recovery job attached to err, when err is a failed
// Site Recovery operation whose job could be read.
func JobOf(err error) (*JobError, bool) {
	e, ok := ParseError(err)
	if !ok || e.Job == nil {
		return nil, false
	}
	return e.Job, true
}

// Site Recovery's polling paths (the vault prefix, then the job).
var (
	vaultPathRE    = regexp.MustCompile(`(?i)^(/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\.RecoveryServices/vaults/([^/]+))(/.*)?$`)
	operationResRE = regexp.MustCompile(`(?i)/operationresults/([^/]+)$`)
	operationStaRE = regexp.MustCompile(`(?i)^/replicationOperationStatus/([^/]+)$`)
)

// siteRecoveryPoll is a polling URL of a Site Recovery operation.
type siteRecoveryPoll struct {
	vaultID, group, vault string
	job                   string
	status                bool // Azure-AsyncOperation (else Location)
}

func parseSiteRecoveryPoll(u *url.URL) (siteRecoveryPoll, bool) {
	m := vaultPathRE.FindStringSubmatch(u.Path)
	if m == nil || m[4] == "" {
		return siteRecoveryPoll{}, false
	}
	p := siteRecoveryPoll{vaultID: m[1], group: m[2], vault: m[3]}
	if s := operationStaRE.FindStringSubmatch(m[4]); s != nil {
		p.job, p.status = s[1], true
		return p, true
	}
	// {vault}/operationResults/{id} is the vault's own operation, not a
	// Site Recovery job.
	if r := operationResRE.FindStringSubmatch(m[4]); r != nil && strings.Count(m[4], "/") > 2 {
		p.job = r[1]
		return p, true
	}
	return siteRecoveryPoll{}, false
}

func (p siteRecoveryPoll) ref() Job {
	return Job{Name: p.job, ID: p.vaultID + "/replicationJobs/" + p.job}
}

// jobOfResponse names the job of a Site Recovery operation's first answer.
func jobOfResponse(resp *http.Response) (Job, bool) {
	for _, h := range []string{"Location", "Azure-AsyncOperation"} {
		u, err := url.Parse(resp.Header.Get(h))
		if err != nil || u.Path == "" {
			continue
		}
		if p, ok := parseSiteRecoveryPoll(u); ok {
			return p.ref(), true
		}
	}
	return Job{}, false
}

// jobHeader carries a failed operation's job from jobPolicy to ParseError
// on the in-memory response. It is set by this process, never sent by
// Azure.
const jobHeader = "X-Azuredr-Site-Recovery-Job"

// jobPolicy reads the job of a failed Site Recovery poll (see the top of
// this file). client is set once the Client is built.
//
// The job's name is the id after operationresults/ in the operation's
// Location; the status URL's id is taken to be the same, unless the
// operation's first answer (seen here too) said otherwise: jobByStatus
// remembers, per status URL path, the job its Location named, until the
// operation ends.
type jobPolicy struct {
	client      *Client
	jobByStatus sync.Map // lower-cased status URL path -> job name
}

func (jp *jobPolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if err != nil || jp.client == nil {
		return resp, err
	}
	if req.Raw().Method != http.MethodGet {
		jp.rememberJob(resp)
		return resp, err
	}
	poll, ok := parseSiteRecoveryPoll(req.Raw().URL)
	if !ok {
		return resp, err
	}
	failed, terminal := pollOutcome(resp, poll)
	if poll.status && terminal {
		if name, known := jp.jobByStatus.LoadAndDelete(strings.ToLower(req.Raw().URL.Path)); known {
			poll.job = name.(string)
		}
	} else if terminal {
		jp.forget(poll.job) // polled at its Location (PollLocation), its status URL never is
	}
	if !failed {
		return resp, err
	}
	if je, ok := jp.readJob(req.Raw().Context(), poll); ok {
		if raw, mErr := json.Marshal(je); mErr == nil {
			resp.Header.Set(jobHeader, string(raw))
		}
	}
	return resp, err
}

// forget drops what rememberJob noted for an operation of this job.
func (jp *jobPolicy) forget(job string) {
	jp.jobByStatus.Range(func(k, v any) bool {
		if strings.EqualFold(v.(string), job) {
			jp.jobByStatus.Delete(k)
		}
		return true
	})
}

// rememberJob notes, from the first answer of a Site Recovery operation,
// which job its status URL belongs to.
func (jp *jobPolicy) rememberJob(resp *http.Response) {
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return
	}
	status, err := url.Parse(resp.Header.Get("Azure-AsyncOperation"))
	if err != nil || status.Path == "" {
		return
	}
	if sp, ok := parseSiteRecoveryPoll(status); !ok || !sp.status {
		return
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return
	}
	if lp, ok := parseSiteRecoveryPoll(loc); ok && !lp.status {
		jp.jobByStatus.Store(strings.ToLower(status.Path), lp.job)
	}
}

// pollOutcome: failed is a Location poll answering an error, or a status
// document whose status is Failed or Canceled; terminal is any end.
func pollOutcome(resp *http.Response, poll siteRecoveryPoll) (failed, terminal bool) {
	if !poll.status {
		return resp.StatusCode >= 400, resp.StatusCode != http.StatusAccepted
	}
	if resp.StatusCode != http.StatusOK {
		return false, false
	}
	body, err := runtime.Payload(resp) // buffered: the poller reads it again
	if err != nil {
		return false, false
	}
	var doc struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return false, false
	}
	switch strings.ToLower(doc.Status) {
	case "failed", "canceled", "cancelled":
		return true, true
	case "succeeded":
		return false, true
	}
	return false, false
}

// readJob reads the job and keeps its first error (the failed task's).
func (jp *jobPolicy) readJob(ctx context.Context, poll siteRecoveryPoll) (*JobError, bool) {
	res, err := jp.client.ReplicationJobs().Get(ctx, poll.vault, poll.group, poll.job, nil)
	if err != nil || res.Properties == nil {
		return nil, false
	}
	p := res.Properties
	je := &JobError{Job: poll.ref(), Scenario: deref(p.ScenarioName), FriendlyName: deref(p.FriendlyName),
		State: deref(p.State), Target: deref(p.TargetObjectName)}
	if res.ID != nil {
		je.ID = *res.ID
	}
	taskNames := map[string]string{}
	for _, t := range p.Tasks {
		if t != nil && t.TaskID != nil {
			taskNames[*t.TaskID] = deref(t.FriendlyName)
		}
	}
	for _, e := range p.Errors {
		if e == nil {
			continue
		}
		if e.TaskID != nil {
			je.Task = taskNames[*e.TaskID]
		}
		if se := e.ServiceErrorDetails; se != nil {
			je.Code, je.Message = deref(se.Code), deref(se.Message)
			je.PossibleCauses, je.RecommendedAction = deref(se.PossibleCauses), deref(se.RecommendedAction)
		} else if pe := e.ProviderErrorDetails; pe != nil {
			je.Message = deref(pe.ErrorMessage)
			je.PossibleCauses, je.RecommendedAction = deref(pe.PossibleCauses), deref(pe.RecommendedAction)
			if pe.ErrorCode != nil {
				je.Code = fmt.Sprint(*pe.ErrorCode)
			}
		}
		break
	}
	return je, true
}

// jobOfHeader decodes what jobPolicy attached to a response.
func jobOfHeader(resp *http.Response) *JobError {
	raw := resp.Header.Get(jobHeader)
	if raw == "" {
		return nil
	}
	var je JobError
	if json.Unmarshal([]byte(raw), &je) != nil {
		return nil
	}
	return &je
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
