package dns

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	mdns "github.com/miekg/dns"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/framework"
)

var _ datasource.DataSourceWithConfigure = (*answerDataSource)(nil)

// NewAnswerDataSource is the azuredr_dns_answer factory.
func NewAnswerDataSource() datasource.DataSource { return &answerDataSource{} }

type answerDataSource struct {
	client *azure.Client
}

type answerModel struct {
	Name            types.String `tfsdk:"name"`
	Nameserver      types.String `tfsdk:"nameserver"`
	ProfileID       types.String `tfsdk:"profile_id"`
	Rcode           types.String `tfsdk:"rcode"`
	Answers         types.List   `tfsdk:"answers"`
	CNAME           types.String `tfsdk:"cname"`
	TTL             types.Int64  `tfsdk:"ttl"`
	MatchedEndpoint types.String `tfsdk:"matched_endpoint"`
	MatchedRole     types.String `tfsdk:"matched_role"`
}

func (d *answerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dns_answer"
}

func (d *answerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Resolves a DNS name now and says which endpoint of a Traffic Manager profile the answer points at, so a drill can prove that traffic moved to the DR site instead of assuming it.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{Required: true, MarkdownDescription: "Name to resolve, e.g. `azuredr_traffic_manager_profile.cms.fqdn`."},
			"nameserver": schema.StringAttribute{Optional: true,
				MarkdownDescription: "`host:port` of the DNS server to ask (the emulator's: its `--dns-listen` address, which its health endpoint reports as `dns`). Default: the system resolver's first nameserver."},
			"profile_id": schema.StringAttribute{Optional: true, MarkdownDescription: "A Traffic Manager profile whose endpoints the answer is matched against."},
			"rcode":      schema.StringAttribute{Computed: true, MarkdownDescription: "Response code: `NOERROR`, `NXDOMAIN`, `SERVFAIL`..."},
			"answers": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Addresses (A/AAAA) the name resolves to, after following CNAMEs the server returned."},
			"cname":            schema.StringAttribute{Computed: true, MarkdownDescription: "The first CNAME target, if the answer is an alias."},
			"ttl":              schema.Int64Attribute{Computed: true, MarkdownDescription: "TTL of the first answer record."},
			"matched_endpoint": schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the profile endpoint the answer points at, or empty."},
			"matched_role":     schema.StringAttribute{Computed: true, MarkdownDescription: "Its role: `primary` or `recovery`, or empty."},
		},
	}
}

func (d *answerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *answerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m answerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	server := m.Nameserver.ValueString()
	if server == "" {
		conf, err := mdns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(conf.Servers) == 0 {
			resp.Diagnostics.AddAttributeError(path.Root("nameserver"), "No system resolver", "Cannot read /etc/resolv.conf; set nameserver = \"host:port\".")
			return
		}
		server = net.JoinHostPort(conf.Servers[0], conf.Port)
	} else if _, _, err := net.SplitHostPort(server); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("nameserver"), "Invalid nameserver", fmt.Sprintf("%q is not host:port, e.g. 127.0.0.1:53.", server))
		return
	}
	a, err := resolve(ctx, server, m.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "DNS query failed", fmt.Sprintf("asking %s for %s: %v", server, m.Name.ValueString(), err))
		return
	}
	m.Rcode = types.StringValue(a.rcode)
	m.Answers, _ = types.ListValueFrom(ctx, types.StringType, a.addresses)
	m.CNAME = types.StringValue(a.cname)
	m.TTL = types.Int64Value(int64(a.ttl))
	m.MatchedEndpoint, m.MatchedRole = types.StringValue(""), types.StringValue("")
	if !m.ProfileID.IsNull() {
		p, err := findProfile(ctx, d.client, m.ProfileID.ValueString())
		if err == nil && p == nil {
			err = fmt.Errorf("profile %s does not exist", m.ProfileID.ValueString())
		}
		if err != nil {
			framework.AddAzureError(&resp.Diagnostics, "Cannot read the profile to match the answer", err)
			return
		}
		var pm profileModel
		pm.fill(ctx, p)
		for _, e := range pm.Endpoints {
			if a.points(e.Target.ValueString()) {
				m.MatchedEndpoint, m.MatchedRole = e.Name, e.Role
				break
			}
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

type answer struct {
	rcode     string
	cname     string
	addresses []string
	ttl       uint32
}

// points reports whether the answer leads to target (a name or an IP).
func (a answer) points(target string) bool {
	t := strings.TrimSuffix(strings.ToLower(target), ".")
	if t == "" {
		return false
	}
	if strings.TrimSuffix(strings.ToLower(a.cname), ".") == t {
		return true
	}
	for _, addr := range a.addresses {
		if addr == t {
			return true
		}
	}
	return false
}

// resolve asks server for the A records of name over UDP, retrying over
// TCP when the answer is truncated.
func resolve(ctx context.Context, server, name string) (answer, error) {
	q := new(mdns.Msg)
	q.SetQuestion(mdns.Fqdn(name), mdns.TypeA)
	q.RecursionDesired = true
	c := &mdns.Client{Timeout: 5 * time.Second}
	r, _, err := c.ExchangeContext(ctx, q, server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, q, server)
	}
	if err != nil {
		return answer{}, err
	}
	out := answer{rcode: mdns.RcodeToString[r.Rcode], addresses: []string{}}
	for i, rr := range r.Answer {
		if i == 0 {
			out.ttl = rr.Header().Ttl
		}
		switch v := rr.(type) {
		case *mdns.CNAME:
			if out.cname == "" {
				out.cname = strings.TrimSuffix(v.Target, ".")
			}
		case *mdns.A:
			out.addresses = append(out.addresses, v.A.String())
		case *mdns.AAAA:
			out.addresses = append(out.addresses, v.AAAA.String())
		}
	}
	return out, nil
}
