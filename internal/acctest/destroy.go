package acctest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// Gone is something a test created that must not exist after the destroy:
// what it is, and a GET through the provider's client layer, which must
// answer 404.
type Gone struct {
	What string
	Get  func(ctx context.Context, c *azure.Client) error
}

// CheckDestroy is a TestCase.CheckDestroy: each of gone answers 404 on the
// selected target. Anything else fails the test: the resource still
// exists, or the answer (a 403, a 500) proves nothing.
func CheckDestroy(t *testing.T, gone ...Gone) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c := Client(t)
		var errs []error
		for _, g := range gone {
			switch err := g.Get(context.Background(), c); {
			case err == nil:
				errs = append(errs, fmt.Errorf("%s still exists after destroy", g.What))
			case !azure.IsNotFound(err):
				errs = append(errs, fmt.Errorf("%s: cannot tell whether it is gone: %s", g.What, azure.Describe(err)))
			}
		}
		return errors.Join(errs...)
	}
}

// ResourceGroupGone is a resource group.
func ResourceGroupGone(name string) Gone {
	return Gone{What: "resource group " + name, Get: func(ctx context.Context, c *azure.Client) error {
		_, err := c.ResourceGroups().Get(ctx, name, nil)
		return err
	}}
}

// SiteGone is an azuredr_site named site with the default names: its
// Recovery Services vault and its recovery and test resource groups, and
// with them whatever else the test created in them.
func SiteGone(site string) []Gone {
	return []Gone{
		{What: "vault " + site + "-vault", Get: func(ctx context.Context, c *azure.Client) error {
			_, err := c.Vaults().Get(ctx, site+"-dr", site+"-vault", nil)
			return err
		}},
		ResourceGroupGone(site + "-dr"),
		ResourceGroupGone(site + "-drill"),
	}
}

// IDGone is a resource by its ARM id, for the types the tests create:
// virtual networks, NSGs, Traffic Manager profiles, virtual machines,
// replicated VMs (protected items) and recovery plans.
func IDGone(id string) Gone {
	g := Gone{What: id}
	rid, err := arm.ParseResourceID(id)
	if err != nil {
		g.Get = func(context.Context, *azure.Client) error { return fmt.Errorf("%q is not an ARM id: %w", id, err) }
		return g
	}
	group, name := rid.ResourceGroupName, rid.Name
	switch rid.ResourceType.String() {
	case "Microsoft.Network/virtualNetworks":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.VirtualNetworks().Get(ctx, group, name, nil)
			return err
		}
	case "Microsoft.Network/networkSecurityGroups":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.SecurityGroups().Get(ctx, group, name, nil)
			return err
		}
	case "Microsoft.Network/trafficManagerProfiles":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.TrafficManagerProfiles().Get(ctx, group, name, nil)
			return err
		}
	case "Microsoft.Network/networkInterfaces":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.NetworkInterfaces().Get(ctx, group, name, nil)
			return err
		}
	case "Microsoft.Compute/virtualMachines":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.VirtualMachines().Get(ctx, group, name, nil)
			return err
		}
	case "Microsoft.RecoveryServices/vaults/replicationRecoveryPlans":
		vault := rid.Parent.Name
		g.Get = func(ctx context.Context, c *azure.Client) error {
			_, err := c.RecoveryPlans().Get(ctx, vault, group, name, nil)
			return err
		}
	case "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems":
		g.Get = func(ctx context.Context, c *azure.Client) error {
			item, err := azure.ParseProtectedItemID(id)
			if err != nil {
				return err
			}
			_, err = c.ProtectedItems().Get(ctx, item.Vault, item.ResourceGroup, item.Fabric, item.Container, item.Name, nil)
			return err
		}
	default:
		g.Get = func(context.Context, *azure.Client) error {
			return fmt.Errorf("acctest.IDGone does not know resource type %s", rid.ResourceType)
		}
	}
	return g
}
