package azure

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// Client is the configured connection to Resource Manager (Azure or the
// emulator). It is safe for concurrent use; resources get SDK clients from its
// factory methods.
type Client struct {
	SubscriptionID string
	// Endpoint is the Resource Manager endpoint in use.
	Endpoint string
	// CredentialKind says which credential was chosen (for logs).
	CredentialKind string
	// Emulator is true when the endpoint is the loopback emulator.
	Emulator bool

	cred    azcore.TokenCredential
	options *arm.ClientOptions
	clock   clockCache // the emulator's clock, read once (clock.go)

	// sdkClients holds each SDK client, built on first use: a client
	// carries its own pipeline and token cache, and a refresh of hundreds
	// of resources should not build one per request.
	mu         sync.Mutex
	sdkClients map[string]any
}

// The one retry setup. azcore honours Retry-After (and Retry-After-Ms) on 429
// and 5xx responses; these values govern only responses without it. ARM
// throttling windows are up to a minute, so MaxRetryDelay allows that.
var retryOptions = policy.RetryOptions{
	MaxRetries:    5,
	RetryDelay:    time.Second,
	MaxRetryDelay: 60 * time.Second,
}

// pollFrequency is used between polls only when a response carries no
// Retry-After; ARM and the emulator always send one.
const pollFrequency = 5 * time.Second

// NewClient validates the settings and builds the credential and client
// options. It makes no network call: credentials are exercised on first use.
func NewClient(c Config) (*Client, error) {
	if errs := c.Validate(); len(errs) > 0 {
		return nil, errs[0]
	}
	cred, kind, err := c.credential()
	if err != nil {
		return nil, err
	}
	cfg := c.cloudConfiguration()
	opts := &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{
			Cloud: cfg,
			Retry: retryOptions,
			// Only the emulator is reached over plain HTTP (Validate refuses
			// http for any other host); its token is a placeholder.
			InsecureAllowCredentialWithHTTP: c.IsEmulator(),
			Telemetry:                       policy.TelemetryOptions{ApplicationID: c.UserAgent},
		},
		// The provider never registers resource providers behind the user's back.
		DisableRPRegistration: true,
	}
	return &Client{
		SubscriptionID: c.SubscriptionID,
		Endpoint:       cfg.Services[cloud.ResourceManager].Endpoint,
		CredentialKind: kind,
		Emulator:       c.IsEmulator(),
		cred:           cred,
		options:        opts,
	}, nil
}

// ResourceGroups returns the resource groups client of the subscription.
func (c *Client) ResourceGroups() *armresources.ResourceGroupsClient {
	return cached(c, "ResourceGroups", armresources.NewResourceGroupsClient)
}

// cached returns the SDK client named name, building it on first use. SDK
// clients are safe for concurrent use. Their constructors fail only on
// invalid options, which NewClient already ruled out.
func cached[T any](c *Client, name string, build func(string, azcore.TokenCredential, *arm.ClientOptions) (T, error)) T {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.sdkClients[name]; ok {
		return v.(T)
	}
	client, err := build(c.SubscriptionID, c.cred, c.options)
	if err != nil {
		panic(fmt.Sprintf("azure: building the %s SDK client: %v", name, err))
	}
	if c.sdkClients == nil {
		c.sdkClients = map[string]any{}
	}
	c.sdkClients[name] = client
	return client
}

// Wait is the one way the provider waits for a long-running operation: it
// polls at the server's Retry-After pace until the operation ends or ctx (the
// resource's timeout) expires.
func Wait[T any](ctx context.Context, p *runtime.Poller[T]) (T, error) {
	return p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: pollFrequency})
}

// Delete runs a long-running delete to the end. A resource that is already
// gone, at the start or by the end, is not an error: delete is idempotent.
func Delete[T any](ctx context.Context, begin func() (*runtime.Poller[T], error)) error {
	poller, err := begin()
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := Wait(ctx, poller); err != nil && !IsNotFound(err) {
		return err
	}
	return nil
}
