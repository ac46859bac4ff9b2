// Package dns implements Geo-DNS for a DR site: azuredr_traffic_manager_profile
// (failover routing between the primary and recovery endpoints, with health
// probes) and the azuredr_dns_answer data source, which resolves a name to
// prove where traffic goes.
package dns

import (
	"context"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var (
	_ resource.ResourceWithConfigure      = (*profileResource)(nil)
	_ resource.ResourceWithImportState    = (*profileResource)(nil)
	_ resource.ResourceWithValidateConfig = (*profileResource)(nil)
)

const defaultTimeout = 10 * time.Minute // Traffic Manager calls are synchronous

// NewProfileResource is the azuredr_traffic_manager_profile factory.
func NewProfileResource() resource.Resource { return &profileResource{} }

type profileResource struct {
	client *azure.Client
}

type profileModel struct {
	ID            types.String   `tfsdk:"id"`
	SiteID        types.String   `tfsdk:"site_id"`
	Name          types.String   `tfsdk:"name"`
	RelativeName  types.String   `tfsdk:"relative_name"`
	TTL           types.Int64    `tfsdk:"ttl"`
	RoutingMethod types.String   `tfsdk:"routing_method"`
	Enabled       types.Bool     `tfsdk:"enabled"`
	FQDN          types.String   `tfsdk:"fqdn"`
	Monitor       *monitorModel  `tfsdk:"monitor"`
	Endpoints     []endpointData `tfsdk:"endpoint"`
	Tags          types.Map      `tfsdk:"tags"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

type monitorModel struct {
	Protocol                 types.String `tfsdk:"protocol"`
	Port                     types.Int64  `tfsdk:"port"`
	Path                     types.String `tfsdk:"path"`
	IntervalInSeconds        types.Int64  `tfsdk:"interval_in_seconds"`
	TimeoutInSeconds         types.Int64  `tfsdk:"timeout_in_seconds"`
	ToleratedFailures        types.Int64  `tfsdk:"tolerated_failures"`
	ExpectedStatusCodeRanges types.List   `tfsdk:"expected_status_code_ranges"`
	CustomHeaders            types.Map    `tfsdk:"custom_headers"`
}

type endpointData struct {
	Name             types.String `tfsdk:"name"`
	Type             types.String `tfsdk:"type"`
	Target           types.String `tfsdk:"target"`
	TargetResourceID types.String `tfsdk:"target_resource_id"`
	Location         types.String `tfsdk:"location"`
	Priority         types.Int64  `tfsdk:"priority"`
	Weight           types.Int64  `tfsdk:"weight"`
	GeoMappings      types.List   `tfsdk:"geo_mappings"`
	Enabled          types.Bool   `tfsdk:"enabled"`
	Role             types.String `tfsdk:"role"`
	MonitorStatus    types.String `tfsdk:"monitor_status"`
}

var (
	relativeNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	statusRangePattern  = regexp.MustCompile(`^[1-5][0-9][0-9](-[1-5][0-9][0-9])?$`)
)

func (r *profileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_traffic_manager_profile"
}

func (r *profileResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Geo-DNS for a DR site: an Azure Traffic Manager profile that sends users to the primary endpoint while its health probes pass and to the recovery endpoint when they fail. " +
			"Each endpoint declares its `role`, so plans can check that recovery endpoints never take traffic from a healthy primary.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Id of the profile (also the import id)."},
			"site_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "The `azuredr_site`; the profile lives in its recovery resource group, so it survives the loss of the primary region."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 63), stringvalidator.RegexMatches(regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`), "must be letters, digits, underscores, periods and hyphens")},
				MarkdownDescription: "Name of the profile resource."},
			"relative_name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.RegexMatches(relativeNamePattern, "must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit")},
				MarkdownDescription: "DNS label: the profile answers `<relative_name>.trafficmanager.net`. Unique across Azure."},
			"ttl": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(60),
				Validators:          []validator.Int64{int64validator.Between(0, 2147483647)},
				MarkdownDescription: "Seconds resolvers may cache an answer; it bounds how long users keep going to a failed site. Default 60."},
			"routing_method": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("Priority"),
				Validators:          []validator.String{stringvalidator.OneOf("Priority", "Weighted", "Performance", "Geographic")},
				MarkdownDescription: "`Priority` (default: failover), `Weighted`, `Performance` or `Geographic`."},
			"enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "A disabled profile answers NXDOMAIN. Default true."},
			"fqdn": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "`<relative_name>.trafficmanager.net`."},
			"tags": schema.MapAttribute{Optional: true, ElementType: types.StringType, Validators: framework.TagsValidators(1),
				MarkdownDescription: "Tags for the profile. Keys starting with `azuredr-` are reserved."},
		},
		Blocks: map[string]schema.Block{
			"monitor": schema.SingleNestedBlock{
				MarkdownDescription: "Health probes of every endpoint. Required.",
				Validators:          []validator.Object{objectIsRequired{}},
				Attributes: map[string]schema.Attribute{
					"protocol": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("HTTP"),
						Validators: []validator.String{stringvalidator.OneOf("HTTP", "HTTPS", "TCP")}, MarkdownDescription: "`HTTP` (default), `HTTPS` or `TCP`."},
					"port": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(80),
						Validators: []validator.Int64{int64validator.Between(1, 65535)}, MarkdownDescription: "Port probed on every endpoint. Default 80."},
					"path": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Path probed with HTTP(S), e.g. `/healthz`. Required for HTTP(S), refused for TCP."},
					"interval_in_seconds": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(30),
						Validators: []validator.Int64{int64validator.OneOf(10, 30)}, MarkdownDescription: "10 or 30 (default)."},
					"timeout_in_seconds": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(10),
						Validators: []validator.Int64{int64validator.Between(5, 10)}, MarkdownDescription: "5-10 (default 10), less than the interval."},
					"tolerated_failures": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(3),
						Validators: []validator.Int64{int64validator.Between(0, 9)}, MarkdownDescription: "Failed probes tolerated before an endpoint is degraded, 0-9 (default 3). Failover takes about (tolerated_failures + 1) intervals plus the TTL."},
					"expected_status_code_ranges": schema.ListAttribute{Optional: true, Computed: true, ElementType: types.StringType,
						Default:             listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue("200-299")})),
						Validators:          []validator.List{listvalidator.SizeBetween(1, 8), listvalidator.ValueStringsAre(stringvalidator.RegexMatches(statusRangePattern, "must be a status code or range such as 200-299"))},
						MarkdownDescription: "Status codes counting as healthy, e.g. `[\"200-299\", \"301\"]`. Default `[\"200-299\"]`."},
					"custom_headers": schema.MapAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Headers sent with each probe, e.g. `{ Host = \"cms.example.com\" }`."},
				},
			},
			"endpoint": schema.ListNestedBlock{
				MarkdownDescription: "An endpoint: where the profile can send users. At least one with `role = \"recovery\"`.",
				Validators:          []validator.List{listvalidator.SizeBetween(1, 200)},
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.LengthBetween(1, 260)},
						MarkdownDescription: "Endpoint name, unique in the profile."},
					"type": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("external", "azure")},
						MarkdownDescription: "`external` (a host name or IP in `target`) or `azure` (a resource in `target_resource_id`: a public IP with a DNS name, an App Service; in the emulator also a VM)."},
					"target": schema.StringAttribute{Optional: true, Computed: true,
						MarkdownDescription: "Host name or IP of an `external` endpoint. For `azure` endpoints, computed from the resource."},
					"target_resource_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Resource id of an `azure` endpoint."},
					"location": schema.StringAttribute{Optional: true, Validators: []validator.String{framework.LocationValidator()},
						MarkdownDescription: "Azure region of an `external` endpoint (required for `Performance` routing). Case and spaces are ignored as ARM ignores them (`\"Central US\"` is `centralus`); the state keeps your spelling."},
					"priority": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, 1000)},
						MarkdownDescription: "1-1000, unique; lower takes traffic first. Required for `Priority` routing."},
					"weight": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(1),
						Validators: []validator.Int64{int64validator.Between(1, 1000)}, MarkdownDescription: "1-1000 for `Weighted` routing. Default 1."},
					"geo_mappings": schema.ListAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Geographic codes (`WORLD`, `GEO-EU`, `US`, `US-CA`...) for `Geographic` routing; no code may belong to two endpoints."},
					"enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "A disabled endpoint never takes traffic. Default true."},
					"role": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("primary", "recovery")},
						MarkdownDescription: "`primary` (production) or `recovery` (the DR site)."},
					"monitor_status": schema.StringAttribute{Computed: true,
						MarkdownDescription: "Health as Traffic Manager sees it: `CheckingEndpoint`, `Online`, `Degraded`, `Disabled`, `Inactive` or `Stopped`, as of the last refresh."},
				}},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *profileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *profileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// objectIsRequired makes a single nested block mandatory (blocks cannot be
// Required in the framework).
type objectIsRequired struct{}

func (objectIsRequired) Description(context.Context) string               { return "must be set" }
func (v objectIsRequired) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (objectIsRequired) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() {
		resp.Diagnostics.AddAttributeError(req.Path, "Missing monitor block",
			"Declare a monitor block: how Traffic Manager probes endpoints decides when traffic fails over.")
	}
}
