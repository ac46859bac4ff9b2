// Package failover implements the drills as Terraform resources:
// azuredr_test_failover (a parallel drill: test failover into the isolated
// network, checks from the DR side, measured RTO and RPO, cleanup). The
// orchestration itself is the drill engine (internal/drill and its kinds
// testfailover and failover), which knows nothing of Terraform; this
// package maps configuration to a testfailover.Spec or failover.Spec and
// their results to state.
package failover

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/testfailover"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.Resource                   = (*testFailoverResource)(nil)
	_ resource.ResourceWithConfigure      = (*testFailoverResource)(nil)
	_ resource.ResourceWithValidateConfig = (*testFailoverResource)(nil)
)

// defaultDrillTimeout bounds a whole drill, cleanup excluded (cleanup always
// runs, on its own budget).
const defaultDrillTimeout = 2 * time.Hour

// NewTestFailoverResource is the azuredr_test_failover factory.
func NewTestFailoverResource() resource.Resource { return &testFailoverResource{} }

type testFailoverResource struct {
	client *azure.Client
}

type testFailoverModel struct {
	ID                  types.String   `tfsdk:"id"`
	Name                types.String   `tfsdk:"name"`
	NetworkID           types.String   `tfsdk:"network_id"`
	RecoveryPlanID      types.String   `tfsdk:"recovery_plan_id"`
	ReplicatedVMIDs     types.Set      `tfsdk:"replicated_vm_ids"`
	RecoveryPoint       types.String   `tfsdk:"recovery_point"`
	RecoveryPointBefore types.String   `tfsdk:"recovery_point_before"`
	RTO                 types.String   `tfsdk:"rto"`
	RPO                 types.String   `tfsdk:"rpo"`
	OnBreach            types.String   `tfsdk:"on_breach"`
	CheckInterval       types.String   `tfsdk:"check_interval"`
	CheckGrace          types.String   `tfsdk:"check_grace"`
	Triggers            types.Map      `tfsdk:"triggers"`
	Checks              types.List     `tfsdk:"check"`
	Canary              types.Object   `tfsdk:"canary"`
	ProbeVMID           types.String   `tfsdk:"probe_vm_id"`
	ProbeVM             types.Object   `tfsdk:"probe_vm"`
	IsolationProof      types.Object   `tfsdk:"isolation_proof"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`

	StartedAt          types.String `tfsdk:"started_at"`
	ChecksPassedAt     types.String `tfsdk:"checks_passed_at"`
	CleanupCompletedAt types.String `tfsdk:"cleanup_completed_at"`
	MeasuredRTO        types.String `tfsdk:"measured_rto"`
	MeasuredRPO        types.String `tfsdk:"measured_rpo"`
	MeasuredRTOSeconds types.Int64  `tfsdk:"measured_rto_seconds"`
	MeasuredRPOSeconds types.Int64  `tfsdk:"measured_rpo_seconds"`
	CanaryDataLoss     types.String `tfsdk:"canary_data_loss"`
	Passed             types.Bool   `tfsdk:"passed"`
	Breaches           types.List   `tfsdk:"breaches"`
	Items              types.List   `tfsdk:"items"`
	Timeline           types.List   `tfsdk:"timeline"`
}

type checkModel struct {
	Name         types.String `tfsdk:"name"`
	Type         types.String `tfsdk:"type"`
	URL          types.String `tfsdk:"url"`
	ExpectStatus types.Int64  `tfsdk:"expect_status"`
	BodyRegex    types.String `tfsdk:"body_regex"`
	Address      types.String `tfsdk:"address"`
	DNSName      types.String `tfsdk:"dns_name"`
	DNSServer    types.String `tfsdk:"dns_server"`
	ExpectTarget types.String `tfsdk:"expect_target"`
	Group        types.Int64  `tfsdk:"group"`
	VMNames      types.List   `tfsdk:"vm_names"`
	Once         types.Bool   `tfsdk:"once"`
	From         types.String `tfsdk:"from"`
}

type canaryModel struct {
	URL  types.String `tfsdk:"url"`
	File types.Object `tfsdk:"file"`
	Wait types.String `tfsdk:"wait"`
}

type canaryFileModel struct {
	LinuxPath   types.String `tfsdk:"linux_path"`
	WindowsPath types.String `tfsdk:"windows_path"`
}

type probeVMModel struct {
	SubnetName types.String `tfsdk:"subnet_name"`
	Size       types.String `tfsdk:"size"`
	Image      types.Object `tfsdk:"image"`
}

type imageModel struct {
	Publisher types.String `tfsdk:"publisher"`
	Offer     types.String `tfsdk:"offer"`
	SKU       types.String `tfsdk:"sku"`
	Version   types.String `tfsdk:"version"`
}

type isolationProofModel struct {
	Enabled         types.Bool   `tfsdk:"enabled"`
	Ports           types.List   `tfsdk:"ports"`
	InternetAddress types.String `tfsdk:"internet_address"`
}

var breachType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"objective": types.StringType,
	"item":      types.StringType,
	"measured":  types.StringType,
	"target":    types.StringType,
	"by":        types.StringType,
}}

var itemResultType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"replicated_vm_id":      types.StringType,
	"vm_name":               types.StringType,
	"test_vm_name":          types.StringType,
	"address":               types.StringType,
	"recovery_point_time":   types.StringType,
	"recovery_point_type":   types.StringType,
	"failover_started_at":   types.StringType,
	"failover_completed_at": types.StringType,
	"ready_at":              types.StringType,
	"data_version":          types.Int64Type,
	"data_written_at":       types.StringType,
	"test_failover_job_id":  types.StringType,
	"cleanup_job_id":        types.StringType,
}}

// recoveryPointChoices are the values of recovery_point.
var recoveryPointChoices = []string{"latest", "latest_processed", "latest_app_consistent", "before"}

func (r *testFailoverResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_test_failover"
}

func (r *testFailoverResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	durationAttr := func(desc string, lo, hi time.Duration) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, PlanModifiers: replace, MarkdownDescription: desc,
			Validators: []validator.String{framework.DurationValidator(lo, hi)}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A parallel DR drill, run on create and again whenever `triggers` change: test failover of a recovery plan (groups in order, members in parallel) or of replicated VMs into the network pair's isolated test network, checks run from the DR side until they pass, RTO and RPO measured against the objectives, " +
			"and test failover cleanup that always runs (after a failed check, a timeout or an interrupt too) and then verifies no test VM is left. " +
			"Production keeps running throughout. Test failovers need no approval.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Identifies this drill run (the drill name and its start time)."),
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 80)},
				MarkdownDescription: "Name of the drill, for reports and the provider log."},
			"network_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.ResourceIDValidator("Microsoft.Network/virtualNetworks")},
				MarkdownDescription: "The `azuredr_network` pair (its id): test VMs join its isolated test network, whose isolation is verified before anything starts."},
			"recovery_plan_id": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "The `azuredr_recovery_plan` to drill: its groups fail over in order, the members of a group in parallel, with the plan's script and manual actions between them (unattended: a manual step is logged as skipped, or fails the drill when `required`). Exactly one of `recovery_plan_id` and `replicated_vm_ids`."},
			"replicated_vm_ids": schema.SetAttribute{Optional: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.Set{setplanmodifier.RequiresReplace()},
				Validators:          []validator.Set{setvalidator.SizeBetween(1, 100)},
				MarkdownDescription: "Replicated VMs (`azuredr_replicated_vm` ids) to fail over together, in parallel, when there is no recovery plan (at most 100)."},
			"recovery_point": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: replace,
				Default:             stringdefault.StaticString("latest_processed"),
				Validators:          []validator.String{stringvalidator.OneOf(recoveryPointChoices...)},
				MarkdownDescription: "Which recovery point each VM fails over to: `latest` and `latest_processed` (the newest point), `latest_app_consistent`, or `before` (the newest point before `recovery_point_before`: the ransomware scenario)."},
			"recovery_point_before": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators:          []validator.String{framework.RFC3339Validator()},
				MarkdownDescription: "With `recovery_point = \"before\"`: an RFC 3339 time in the past, e.g. when an infection started."},
			"rto": durationAttr("Recovery time objective, e.g. `45m`: from the failover's start (the first group starting, after the isolation check and the canary's `wait`: the drill's own preparation is not recovery time) until every check passes. "+
				"With it, failing checks are retried only until the objective plus `check_grace` has passed: then the drill fails, naming each check still failing with its last attempt's error, and cleans up. "+
				"Each check of a group that fails over gets at least one attempt, even past that deadline (the groups after a failing one do not start): if it passes then, the drill recovered, late: a missed objective (see `on_breach`).", time.Second, 72*time.Hour),
			"rpo": durationAttr("Recovery point objective, e.g. `15m`: the most data (by age) a failed-over VM may lack.", time.Second, 72*time.Hour),
			"on_breach": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("error"),
				Validators:          []validator.String{stringvalidator.OneOf("error", "warn")},
				MarkdownDescription: "`error` (default): a missed objective fails the apply with a diagnostic naming the item and the figures. `warn`: a warning, and the results are kept with `passed = false`."},
			"check_interval": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("5s"), PlanModifiers: replace,
				Validators:          []validator.String{framework.DurationValidator(time.Second, 10*time.Minute)},
				MarkdownDescription: "How often a failing check is retried (real time). Default `5s`."},
			"check_grace": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators: []validator.String{framework.DurationValidator(0, 72*time.Hour, framework.DurationAllowZero())},
				MarkdownDescription: "With `rto`: how long past the objective failing checks are still retried, e.g. `5m`, in drill time as `rto` is measured (the endpoint's clock: real time on Azure, simulated time on the emulator). Default a tenth of `rto`. " +
					"Then the drill fails, naming each check still failing with its last attempt's error, and cleans up, rather than retrying until the create timeout. `0s`: give up as soon as the objective is missed."},
			"triggers": schema.MapAttribute{Optional: true, ElementType: types.StringType,
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
				MarkdownDescription: "Arbitrary values; changing any of them runs the drill again (for example `{ quarter = \"2026-Q4\" }` or a timestamp rotated nightly)."},
			"check": schema.ListNestedAttribute{Optional: true,
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Validators:    []validator.List{listvalidator.SizeAtMost(20)},
				MarkdownDescription: "Checks run from the DR site once the test VMs are up, retried every `check_interval` until they pass, the drill times out or (with `rto`) the objective plus `check_grace` has passed. " +
					"By default (`from = \"dr_site\"`) a check runs inside the isolated test network, through Azure VM Run Command on the test VM it is about (or on `probe_vm_id`): the drill generates a small script from the check (Linux: `curl`, `nc`, `dig`; Windows: `curl.exe`, `Test-NetConnection`, `Resolve-DnsName`: the test VMs' images need them, or use `probe_vm_id`), one Run Command per VM per round holding all its pending checks, and parses the output into the check's result. Nothing needs a route from the machine running Terraform into the test network, and no test VM gets a public IP. " +
					"`http` and `tcp` checks run against every failed-over VM of their scope (`group`, `vm_names`: every VM by default); in `url`, `body_regex`, `address`, `dns_name` and `expect_target`, `{address}` is the test VM's address (from the DR site its private IP; from the runner its public IP when it has one, else its private IP), `{private_ip}`, `{vm_name}` the test VM's name, `{source_vm_name}` the production VM's and `{item}` the replicated VM's name. " +
					"A check with `once = true`, and every `dns` check, runs once: with placeholders, against the first VM of its `group` (of the drill without one); without, after its `group` (post actions done; after the last group without one), against the URL or address it gives.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{Required: true, MarkdownDescription: "Name for reports."},
					"type": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("http", "tcp", "dns")},
						MarkdownDescription: "`http`, `tcp` or `dns`."},
					"url":           schema.StringAttribute{Optional: true, MarkdownDescription: "http: the URL, e.g. `http://{address}:443/`."},
					"expect_status": schema.Int64Attribute{Optional: true, MarkdownDescription: "http: the expected status (default 200)."},
					"body_regex":    schema.StringAttribute{Optional: true, MarkdownDescription: "http: a regular expression the body must match."},
					"address":       schema.StringAttribute{Optional: true, MarkdownDescription: "tcp: `host:port`, e.g. `{address}:1433`."},
					"dns_name":      schema.StringAttribute{Optional: true, MarkdownDescription: "dns: the name to resolve."},
					"dns_server":    schema.StringAttribute{Optional: true, MarkdownDescription: "dns: `host:port` of the server to ask (default: the system resolver)."},
					"expect_target": schema.StringAttribute{Optional: true, MarkdownDescription: "dns: a target the answer must contain."},
					"group": schema.Int64Attribute{Optional: true,
						MarkdownDescription: "Run the check only for this group of the recovery plan, counted from 1 in the plan's order (as the timeline and `AZUREDR_GROUP` count them; Site Recovery's groups have no names). With `replicated_vm_ids` the only group is 1. Default: every group. " +
							"A group the plan does not have is refused at plan when the plan exists already, else at apply before anything fails over."},
					"vm_names": schema.ListAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Run the check only against the test VMs of these production VMs (source VM names, compared ignoring case), e.g. `[\"vm-web-1\", \"vm-web-2\"]`. Each must be a VM of the drill (checked at plan when the drill's replicated VMs exist already, else at apply before anything fails over). Not with `group` or `once`, nor on a `dns` check."},
					"once": schema.BoolAttribute{Optional: true,
						MarkdownDescription: "Run the check once rather than against every VM: with placeholders, against the first VM of its `group` (the drill's first VM without one; first as in `items`, which lists the VMs in group order); without, once its `group` has failed over (after the last group without one), against the URL or address it gives, e.g. a load balancer's. `dns` checks always run once."},
					"from": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf(drill.FromDRSite, drill.FromRunner)},
						MarkdownDescription: "Where the check runs: `dr_site` (default) inside the test network through VM Run Command, on the test VM (or `probe_vm_id`); `runner` from the machine running Terraform, straight to the test VM's address: only for runners with a route into the test network (the drill then makes a public IP for each test VM, unless its replicated VM's test failover NIC names one, and deletes it after cleanup: a clone of production is reachable from the internet while the drill runs; prefer `dr_site`). " +
							"A `dns` check from the DR site asks the test network's resolver (Azure DNS) unless `dns_server` names another, reachable from the test network."},
				}},
			},
			"canary": schema.SingleNestedAttribute{Optional: true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				MarkdownDescription: "Before failing over, write a marker on the primary so the data loss is measured, not assumed. Exactly one of `file` and `url`. " +
					"`file` (no application change): a Run Command on each primary VM writes a marker (the drill's name and the VM's time) to a file on its disk, the drill waits for a recovery point taken after the write, and after the failover reads the marker back on each test VM: the data loss is the write time minus the newest marker found (`canary_data_loss`). " +
					"`url`: the application answers `POST url` with JSON `{\"version\", \"writtenAt\"}` and shows the version it holds in the `X-Azuredr-Data-Version` header of its pages (the emulator's sites do).",
				Attributes: map[string]schema.Attribute{
					"file": schema.SingleNestedAttribute{Optional: true,
						MarkdownDescription: "The file canary: `{}` for the default paths. The primary VMs need the VM agent, and the drill the Run Command permission on them.",
						Attributes: map[string]schema.Attribute{
							"linux_path": schema.StringAttribute{Optional: true,
								MarkdownDescription: "The marker's path on Linux VMs, absolute, without quotes. Default `" + drill.DefaultCanaryLinuxPath + "`."},
							"windows_path": schema.StringAttribute{Optional: true,
								MarkdownDescription: "The marker's path on Windows VMs, absolute (`C:\\...`), without quotes. Default `" + drill.DefaultCanaryWindowsPath + "`."},
						}},
					"url": schema.StringAttribute{Optional: true, MarkdownDescription: "Where to POST the canary (an application that implements the contract above); `{source_vm_name}` is allowed."},
					"wait": schema.StringAttribute{Optional: true,
						Validators:          []validator.String{framework.DurationValidator(0, time.Hour, framework.DurationAllowZero())},
						MarkdownDescription: "How long to let replication carry the canary before failing over (drill time). With `url`: the drill waits this long. With `file`: at most this long, until each VM has a recovery point taken after its marker (a crash-consistent interval plus the replication lag, e.g. `10m`, is enough). Default 0: fail over at once; the test VMs then hold an older marker, or none on a first drill (`canary_data_loss` stays empty)."},
				}},
			"probe_vm_id": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				Validators: []validator.String{framework.ResourceIDValidator("Microsoft.Compute/virtualMachines")},
				MarkdownDescription: "A VM of the test network (its id) that runs every check from the DR site instead of the test VMs themselves, e.g. for appliances whose image has no tools the checks could use (use `{private_ip}` to reach the test VM from it). The isolation proof and the file canary's read still run on the test VMs. " +
					"It must be running, with the VM agent, in the network pair's test network: the drill verifies both before anything fails over. Not with `probe_vm`, which has the drill make one."},
			"probe_vm": schema.SingleNestedAttribute{Optional: true, PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Validators: []validator.Object{objectvalidator.ConflictsWith(path.MatchRoot("probe_vm_id"))},
				MarkdownDescription: "Has the drill make a probe VM for the checks from the DR site (`probe_vm = {}` for the defaults) instead of running them on the test VMs: a small Linux VM in the test network, created before anything fails over (the RTO clock does not wait for it) and deleted at cleanup with its NIC and OS disk, whatever happened; a killed drill's is found by `make sweep` by its tags. " +
					"It has no public IP (the subnet's NSG applies) and no credential anyone keeps: its SSH key is made for the run and the private half dropped; Run Command is the only way in. It goes into the site's test resource group, in the test network's region. Not with `probe_vm_id`.",
				Attributes: map[string]schema.Attribute{
					"subnet_name": schema.StringAttribute{Optional: true,
						MarkdownDescription: "The test network's subnet it joins. Default: the first subnet by name."},
					"size": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Its VM size. Default `" + testfailover.DefaultProbeVMSize + "`."},
					"image": schema.SingleNestedAttribute{Optional: true,
						MarkdownDescription: "Its marketplace image, Linux with `curl`, `nc` and `dig` (the generated scripts' tools). Default Ubuntu 22.04 LTS (`" + testfailover.DefaultProbeImage.String() + "`).",
						Attributes: map[string]schema.Attribute{
							"publisher": schema.StringAttribute{Required: true, MarkdownDescription: "Image publisher, e.g. `Canonical`."},
							"offer":     schema.StringAttribute{Required: true, MarkdownDescription: "Image offer, e.g. `ubuntu-24_04-lts`."},
							"sku":       schema.StringAttribute{Required: true, MarkdownDescription: "Image SKU, e.g. `server`."},
							"version":   schema.StringAttribute{Optional: true, MarkdownDescription: "Image version. Default `latest`."},
						}},
				}},
			"isolation_proof": schema.SingleNestedAttribute{Optional: true, PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				MarkdownDescription: "Isolation proven, not assumed: before the checks, a Run Command on a test VM (one per test subnet) tries each production VM's private address on `ports`; any connection fails the drill (\"test network is not isolated: vm-x-test reached vm-x 10.0.1.4:443\") and cleans up. " +
					"On by default; production addresses that fall inside the test network's own address space cannot be told apart from test VMs and are skipped (give the test network its own space, `recovery_address_space`, to prove them too).",
				Attributes: map[string]schema.Attribute{
					"enabled": schema.BoolAttribute{Optional: true,
						MarkdownDescription: "`false` skips the proof (the drill still refuses a test network with peerings). Default `true`."},
					"ports": schema.ListAttribute{Optional: true, ElementType: types.Int64Type,
						Validators:          []validator.List{listvalidator.SizeBetween(1, 64)},
						MarkdownDescription: "TCP ports tried on every production VM's private address. Default 22, 80, 443 and 3389 plus the ports the checks use."},
					"internet_address": schema.StringAttribute{Optional: true,
						MarkdownDescription: "`host:port` on the internet the test network must not reach either, e.g. `www.microsoft.com:443`; unset: the internet is not tried."},
				}},

			"started_at":           computedString("When the drill started (RFC 3339)."),
			"checks_passed_at":     computedString("When every check had passed (RFC 3339)."),
			"cleanup_completed_at": computedString("When test failover cleanup finished (RFC 3339)."),
			"measured_rto":         computedString("Measured RTO (the recovery time capability, RTC): from the failover's start (the first group starting, after the isolation check and the canary's `wait`) to every check passing, e.g. `6m30s`; `0s` when the checks never all passed."),
			"measured_rpo":         computedString("Measured RPO (RPC): the largest gap between failover start and the recovery point used."),
			"measured_rto_seconds": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}, MarkdownDescription: "`measured_rto` in seconds."},
			"measured_rpo_seconds": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}, MarkdownDescription: "`measured_rpo` in seconds."},
			"canary_data_loss":     computedString("With a canary: the data loss actually observed, a duration such as `2m30s`: `0s` when every test VM served the canary's data or newer (or, with `canary.file`, held this drill's marker); `\"\"` without a canary or when no test VM reported its data version or held a marker."),
			"passed": schema.BoolAttribute{Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Whether every check passed and every objective was met."},
			"breaches": schema.ListAttribute{Computed: true, ElementType: breachType, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Objectives missed: `objective` (`rto` or `rpo`), `item`, `measured`, `target` and `by` how much."},
			"items": schema.ListAttribute{Computed: true, ElementType: itemResultType, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Per failed-over VM: the recovery point used, failover start and completion, when its checks first passed, and the data version its test VM served (`data_version`, with `data_written_at`, when the application reports it in an `X-Azuredr-Data-Version` header as the emulator's sites do; 0 and empty otherwise), and the Site Recovery jobs of its test failover and cleanup (`test_failover_job_id`, `cleanup_job_id`: `{vault}/replicationJobs/{name}`, where the vault shows what ran and why it failed)."},
			"timeline": schema.ListAttribute{Computed: true, ElementType: types.StringType, PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The drill's phases, one line each: elapsed time, phase, what happened."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

func (r *testFailoverResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}
