package siterecovery_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// Site Recovery jobs through the real ReplicationJobsClient: every operation
// is one, the item's currentScenario names the running one, a failure's job
// carries the reason, and $filter is the spec's JobQueryParameter.

func jobsClient(t *testing.T, base string) *asr.ReplicationJobsClient {
	t.Helper()
	opts := emulatortest.ClientOptions(base)
	opts.Retry.MaxRetries = -1
	c, err := asr.NewReplicationJobsClient(emulatortest.Subscription, emulatortest.Credential{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func listJobs(t *testing.T, c *asr.ReplicationJobsClient, filter string) ([]*asr.Job, error) {
	t.Helper()
	var opts *asr.ReplicationJobsClientListOptions
	if filter != "" {
		opts = &asr.ReplicationJobsClientListOptions{Filter: &filter}
	}
	pager := c.NewListPager(vaultName, "rg-dr", opts)
	var out []*asr.Job
	for pager.More() {
		page, err := pager.NextPage(emulatortest.Context(t))
		if err != nil {
			return nil, err
		}
		out = append(out, page.Value...)
	}
	return out, nil
}

func scenarios(jobs []*asr.Job) map[string]*asr.Job {
	out := map[string]*asr.Job{}
	for _, j := range jobs {
		out[*j.Properties.ScenarioName] = j
	}
	return out
}

func TestEveryOperationIsAJobAndTheItemNamesTheRunningOne(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	jobs := jobsClient(t, base)

	all, err := listJobs(t, jobs, "")
	if err != nil {
		t.Fatal(err)
	}
	got := scenarios(all)
	for _, want := range []string{"CreateFabric", "CreateProtectionContainer", "AddProtectionProfile", "ConfigureProtection", "EnableDr"} {
		j, ok := got[want]
		if !ok {
			t.Fatalf("no %s job among %d jobs", want, len(all))
		}
		if *j.Properties.State != "Succeeded" || j.Properties.EndTime == nil || !strings.HasSuffix(*j.ID, "/replicationJobs/"+*j.Name) {
			t.Fatalf("%s job = %+v", want, j.Properties)
		}
	}
	enable := got["EnableDr"].Properties
	if *enable.TargetObjectName != "vm-web-1" || *enable.TargetInstanceType != "ProtectionEntity" || len(enable.Tasks) < 2 {
		t.Fatalf("enable job target/tasks = %s %s %d", *enable.TargetObjectName, *enable.TargetInstanceType, len(enable.Tasks))
	}
	for _, task := range enable.Tasks {
		if *task.State != "Succeeded" || task.StartTime == nil || task.EndTime == nil {
			t.Fatalf("task %s of a finished job: %s", *task.FriendlyName, *task.State)
		}
	}
	if d, ok := enable.CustomDetails.(*asr.AsrJobDetails); !ok || *d.InstanceType != "AsrJobDetails" {
		t.Fatalf("enable job customDetails = %T", enable.CustomDetails)
	}

	// Idle: Azure's "None" scenario.
	idle := e.get(t, "vm-web-1").Properties.CurrentScenario
	if *idle.ScenarioName != "None" || !strings.HasSuffix(*idle.JobID, "/replicationJobs/None") || idle.StartTime == nil {
		t.Fatalf("idle currentScenario = %s %s", *idle.ScenarioName, *idle.JobID)
	}

	// A test failover sent by hand, to read Azure's polling headers.
	itemURL := base + vaultPrefix() + "/replicationFabrics/fabric-eastus/replicationProtectionContainers/pc-eastus/replicationProtectedItems/vm-web-1"
	resp, body := emulatortest.Call(t, http.MethodPost, itemURL+"/testFailover?api-version=2023-06-01",
		tfoInput(repVNetID("rg-recovery", drillNet), ""), nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("testFailover = %d %s", resp.StatusCode, body)
	}
	status, _ := url.Parse(resp.Header.Get("Azure-AsyncOperation"))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	jobName := loc.Path[strings.LastIndex(loc.Path, "/")+1:]
	if !strings.EqualFold(status.Path, vaultPrefix()+"/replicationOperationStatus/"+jobName) ||
		!strings.EqualFold(loc.Path, strings.TrimPrefix(itemURL, base)+"/operationresults/"+jobName) {
		t.Fatalf("polling URLs: Azure-AsyncOperation %s, Location %s", status.Path, loc.Path)
	}
	running := e.get(t, "vm-web-1").Properties.CurrentScenario
	job, err := jobs.Get(emulatortest.Context(t), vaultName, "rg-dr", jobName, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *job.Properties.ScenarioName != "TestFailover" || *job.Properties.TargetObjectName != "vm-web-1" {
		t.Fatalf("test failover job = %+v", job.Properties)
	}
	if *job.Properties.State == "InProgress" {
		if *running.ScenarioName != "TestFailover" || *running.JobID != *job.ID || running.StartTime == nil ||
			!running.StartTime.Equal(*job.Properties.StartTime) {
			t.Fatalf("currentScenario while the test failover runs = %s %s, job %s", *running.ScenarioName, *running.JobID, *job.ID)
		}
	} else {
		t.Logf("the test failover finished before the item was read (state %s)", *job.Properties.State)
	}
	emulatortest.Eventually(t, "the test failover job to succeed", func() bool {
		j, err := jobs.Get(emulatortest.Context(t), vaultName, "rg-dr", jobName, nil)
		return err == nil && *j.Properties.State == "Succeeded"
	})
	if after := e.get(t, "vm-web-1").Properties.CurrentScenario; *after.ScenarioName != "None" {
		t.Fatalf("currentScenario after the job = %s", *after.ScenarioName)
	}
	if _, ok := job.Properties.CustomDetails.(*asr.TestFailoverJobDetails); !ok {
		t.Fatalf("test failover job customDetails = %T", job.Properties.CustomDetails)
	}

	// The cleanup is a job of its own; $filter finds jobs by state and type.
	if _, err := e.cleanup(t, "vm-web-1"); err != nil {
		t.Fatal(err)
	}
	items, err := listJobs(t, jobs, "affectedObjectTypes eq 'ProtectionEntity' and jobStatus eq 'Succeeded'")
	if err != nil {
		t.Fatal(err)
	}
	got = scenarios(items)
	if len(items) != 3 || got["EnableDr"] == nil || got["TestFailover"] == nil || got["TestFailoverCleanup"] == nil {
		t.Fatalf("item jobs = %d %v", len(items), got)
	}
	if *items[0].Properties.ScenarioName != "TestFailoverCleanup" {
		t.Fatalf("newest job first: %s", *items[0].Properties.ScenarioName)
	}
	// A synchronous refusal starts no job.
	before := len(mustList(t, jobs, ""))
	if _, err := e.cleanup(t, "vm-web-1"); err == nil {
		t.Fatal("a second cleanup was accepted")
	}
	if after := len(mustList(t, jobs, "")); after != before {
		t.Fatalf("a refused cleanup made a job: %d -> %d", before, after)
	}
}

func mustList(t *testing.T, c *asr.ReplicationJobsClient, filter string) []*asr.Job {
	t.Helper()
	out, err := listJobs(t, c, filter)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAFailedOperationsJobCarriesTheReason(t *testing.T) {
	t.Parallel()
	e := startTFO(t, "", "vm-web-1")
	base := e.srv.URL()
	rule := addRule(t, base, `{"kind":"outage","region":"westus2"}`)
	if _, err := e.testFailover(t, "vm-web-1", ""); err == nil {
		t.Fatal("the test failover succeeded during an outage")
	}
	emulatortest.Call(t, http.MethodDelete, base+"/_emulator/faults/"+rule, nil, nil)

	failed := mustList(t, jobsClient(t, base), "jobStatus eq 'Failed'")
	if len(failed) != 1 {
		t.Fatalf("failed jobs = %d", len(failed))
	}
	p := failed[0].Properties
	if *p.ScenarioName != "TestFailover" || *p.State != "Failed" || len(p.Errors) != 1 {
		t.Fatalf("failed job = %s %s %d errors", *p.ScenarioName, *p.State, len(p.Errors))
	}
	se := p.Errors[0].ServiceErrorDetails
	if se == nil || *se.Code != "TestFailoverFailed" || !strings.Contains(*se.Message, "westus2") ||
		*se.PossibleCauses == "" || *se.RecommendedAction == "" || *se.ActivityID == "" || *p.Errors[0].ErrorLevel != "Error" ||
		p.Errors[0].CreationTime == nil {
		t.Fatalf("job error = %+v / %+v", p.Errors[0], se)
	}
	var failedTask *asr.ASRTask
	for _, task := range p.Tasks {
		if *task.State == "Failed" {
			failedTask = task
		}
	}
	if failedTask == nil || *failedTask.TaskID != *p.Errors[0].TaskID || len(failedTask.Errors) != 1 {
		t.Fatalf("the failed task does not carry the error: %+v", p.Tasks)
	}
}

func TestJobFilterRefusesWhatTheSpecDoesNotDefine(t *testing.T) {
	t.Parallel()
	e := startRep(t, "", true)
	jobs := jobsClient(t, e.srv.URL())
	for _, bad := range []string{
		"state eq 'Failed'",        // not a JobQueryParameter field
		"jobStatus 'Failed'",       // no operator
		"jobStatus eq 'Broken'",    // not a job state
		"startTime eq 'yesterday'", // not a date
		"jobStatus eq 'Failed' and jobStatus eq 'Succeeded'",
		"startTime eq '2030-01-02T00:00:00Z' and endTime eq '2030-01-01T00:00:00Z'",
		"jobOutputType eq 'Pdf'",
	} {
		_, err := listJobs(t, jobs, bad)
		emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidFilter")
	}
	if future := mustList(t, jobs, "startTime eq '2999-01-01T00:00:00Z'"); len(future) != 0 {
		t.Fatalf("jobs started after 2999: %d", len(future))
	}
	all := mustList(t, jobs, "timezoneOffset eq 0 and jobOutputType eq 'Json'")
	fabric := mustList(t, jobs, "fabricId eq '"+vaultPrefix()+"/replicationFabrics/fabric-westus2'")
	if len(all) == 0 || len(fabric) == 0 || len(fabric) >= len(all) {
		t.Fatalf("fabricId filter: %d of %d", len(fabric), len(all))
	}
	for _, j := range fabric {
		if n := *j.Properties.TargetObjectName; !strings.HasSuffix(n, "westus2") {
			t.Fatalf("a job outside the fabric: %s on %s", *j.Properties.ScenarioName, n)
		}
	}
	_, err := jobs.Get(emulatortest.Context(t), vaultName, "rg-dr", "00000000-0000-0000-0000-000000000000", nil)
	emulatortest.WantARMError(t, err, http.StatusNotFound, "ResourceNotFound")
}
