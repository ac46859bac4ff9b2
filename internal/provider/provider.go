// Package provider is the azuredr provider: its configuration schema and the
// list of resources and data sources. Each capability lives in a package of
// its own under internal/ (site, network, dns, replication, failover), built
// on the client layer (internal/azure) and, for drills, the Terraform-free
// drill engine (internal/drill).
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/dns"
	"github.com/azuredr/terraform-provider-azuredr/internal/failover"
	"github.com/azuredr/terraform-provider-azuredr/internal/network"
	"github.com/azuredr/terraform-provider-azuredr/internal/replication"
	"github.com/azuredr/terraform-provider-azuredr/internal/site"
)

var _ provider.Provider = (*azuredrProvider)(nil)

// New returns the provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &azuredrProvider{version: version} }
}

type azuredrProvider struct {
	version string
}

func (p *azuredrProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "azuredr"
	resp.Version = p.version
}

func (p *azuredrProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func(desc string, sensitive bool, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc, Validators: v}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Disaster-recovery topology and drills as code for Azure. Settings follow the azurerm provider's names; each falls back to its `ARM_*` environment variable.",
		Attributes: map[string]schema.Attribute{
			"subscription_id":             str("Subscription to manage. Env: `ARM_SUBSCRIPTION_ID`. Required (here or in the environment).", false),
			"tenant_id":                   str("Microsoft Entra tenant (GUID or domain). Env: `ARM_TENANT_ID`.", false),
			"client_id":                   str("Application (client) id of the service principal or user-assigned identity. Env: `ARM_CLIENT_ID`.", false),
			"client_secret":               str("Client secret of the service principal. Env: `ARM_CLIENT_SECRET`. Needs `client_id` and `tenant_id`.", true),
			"client_certificate_path":     str("Path to a PKCS#12 or PEM client certificate. Env: `ARM_CLIENT_CERTIFICATE_PATH`. Needs `client_id` and `tenant_id`.", false),
			"client_certificate_password": str("Password of the client certificate. Env: `ARM_CLIENT_CERTIFICATE_PASSWORD`.", true),
			"use_cli":                     flag("Fall back to the Azure CLI's login when no other credential is set. Env: `ARM_USE_CLI`. Default `true`."),
			"use_oidc":                    flag("Authenticate with an OIDC federated token (workload identity, GitHub Actions). Env: `ARM_USE_OIDC`. Needs `client_id`, `tenant_id` and a token source."),
			"oidc_token":                  str("The OIDC token itself. Env: `ARM_OIDC_TOKEN`.", true),
			"oidc_token_file_path":        str("File holding the OIDC token, re-read on each use. Env: `ARM_OIDC_TOKEN_FILE_PATH`.", false),
			"oidc_request_url":            str("Token request URL of GitHub Actions. Env: `ARM_OIDC_REQUEST_URL`, then `ACTIONS_ID_TOKEN_REQUEST_URL`.", false),
			"oidc_request_token":          str("Bearer token for `oidc_request_url`. Env: `ARM_OIDC_REQUEST_TOKEN`, then `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.", true),
			"use_msi":                     flag("Authenticate with a managed identity (`client_id` picks a user-assigned one). Env: `ARM_USE_MSI`."),
			"environment": str("Azure cloud: `public` (default), `usgovernment` or `china`. Env: `ARM_ENVIRONMENT`.", false,
				stringvalidator.OneOf("public", "usgovernment", "china")),
			"resource_manager_endpoint": str("Resource Manager endpoint replacing the environment's, for example the local emulator `http://127.0.0.1:PORT`. Plain http is accepted only for loopback addresses, and then no real credential is sent. Env: `ARM_RESOURCE_MANAGER_ENDPOINT`.", false),
		},
	}
}

// secretSettings are the sensitive provider settings. Their diagnostics
// carry no attribute path: Terraform shows the configuration line of an
// attribute's diagnostic, which would print a secret written in the
// provider block into the CLI's output and CI logs.
var secretSettings = map[string]bool{
	"client_secret": true, "client_certificate_password": true, "oidc_token": true, "oidc_request_token": true,
}

func (p *azuredrProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, errs := m.resolve(envLookup)
	errs = append(errs, cfg.Validate()...)
	for _, e := range errs {
		if secretSettings[e.Setting] {
			// On the attribute, Terraform would print its source line,
			// secret included: name it in the text instead.
			resp.Diagnostics.AddError(e.Summary+" ("+e.Setting+")", e.Detail)
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root(e.Setting), e.Summary, e.Detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	for _, w := range cfg.Warnings() {
		if secretSettings[w.Setting] {
			resp.Diagnostics.AddWarning(w.Summary+" ("+w.Setting+")", w.Detail)
			continue
		}
		resp.Diagnostics.AddAttributeWarning(path.Root(w.Setting), w.Summary, w.Detail)
	}
	cfg.UserAgent = "azuredr/" + p.version
	client, err := azure.NewClient(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the Azure client", err.Error())
		return
	}
	tflog.Info(ctx, "azuredr provider configured", map[string]any{
		"endpoint": client.Endpoint, "subscription_id": client.SubscriptionID, "credential": client.CredentialKind,
	})
	resp.ResourceData = client
	resp.DataSourceData = client
}

func (p *azuredrProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		site.NewResource,
		network.NewNetworkResource,
		network.NewNSGResource,
		dns.NewProfileResource,
		replication.NewPolicyResource,
		replication.NewReplicatedVMResource,
		replication.NewRecoveryPlanResource,
		failover.NewTestFailoverResource,
		failover.NewFailoverResource,
	}
}

func (p *azuredrProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		network.NewNetworkDataSource,
		dns.NewAnswerDataSource,
		replication.NewReplicatedVMDataSource,
		replication.NewRecoveryPointsDataSource,
	}
}
