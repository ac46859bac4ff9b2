package azure

import (
	"context"
	"fmt"
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

	clock clockCache // the emulator's clock, read once (clock.go)

	// sdkClients holds one SDK client per factory (sdkFactory), built by
	// NewClient: a client carries its own pipeline and token cache, and a
	// refresh of hundreds of resources should not build one per request.
	// Read-only after NewClient.
	sdkClients []any
}

// The one retry setup. azcore honours Retry-After (and Retry-After-Ms) on 429
// and 5xx responses; these values govern only responses without it. ARM
// throttling windows are up to a minute, so MaxRetryDelay allows that.
// Retryable 409s (another operation in progress) are conflictPolicy's
// (retry.go), which azcore's policy never retries.
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
	jobs := &jobPolicy{} // reads failed Site Recovery operations' jobs (jobs.go)
	opts := &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{
			// jobs sees the final answer, after conflict retries.
			PerCallPolicies: []policy.Policy{jobs, newConflictPolicy()},
			Cloud:           cfg,
			Retry:           retryOptions,
			// Only the emulator is reached over plain HTTP (Validate refuses
			// http for any other host); its token is a placeholder.
			InsecureAllowCredentialWithHTTP: c.IsEmulator(),
			Telemetry:                       policy.TelemetryOptions{ApplicationID: c.UserAgent},
		},
		// The provider never registers resource providers behind the user's back.
		DisableRPRegistration: true,
	}
	clients, err := buildSDKClients(c.SubscriptionID, cred, opts)
	if err != nil {
		return nil, err
	}
	cl := &Client{
		SubscriptionID: c.SubscriptionID,
		Endpoint:       cfg.Services[cloud.ResourceManager].Endpoint,
		CredentialKind: kind,
		Emulator:       c.IsEmulator(),
		sdkClients:     clients,
	}
	jobs.client = cl
	return cl, nil
}

// ResourceGroups returns the resource groups client of the subscription.
func (c *Client) ResourceGroups() *armresources.ResourceGroupsClient {
	return resourceGroupsFactory.of(c)
}

var resourceGroupsFactory = factory(armresources.NewResourceGroupsClient)

// sdkFactory is one SDK client constructor, registered at package
// initialisation by a clients_*.go file. NewClient builds every registered
// client once, so a constructor's error (only invalid options cause one)
// surfaces from NewClient instead of on a request path.
type sdkFactory[T any] struct{ index int }

type anyFactory func(subscriptionID string, cred azcore.TokenCredential, options *arm.ClientOptions) (any, error)

// factories are the registered constructors, in registration order.
var factories []anyFactory

func factory[T any](build func(string, azcore.TokenCredential, *arm.ClientOptions) (T, error)) sdkFactory[T] {
	factories = append(factories, func(sub string, cred azcore.TokenCredential, o *arm.ClientOptions) (any, error) {
		return build(sub, cred, o)
	})
	return sdkFactory[T]{index: len(factories) - 1}
}

// of returns the client NewClient built with this factory.
func (f sdkFactory[T]) of(c *Client) T { return c.sdkClients[f.index].(T) }

// buildSDKClients builds one client per registered factory.
func buildSDKClients(sub string, cred azcore.TokenCredential, o *arm.ClientOptions) ([]any, error) {
	out := make([]any, len(factories))
	for i, build := range factories {
		client, err := build(sub, cred, o)
		if err != nil {
			return nil, fmt.Errorf("azure: building an SDK client: %w", err)
		}
		out[i] = client
	}
	return out, nil
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
