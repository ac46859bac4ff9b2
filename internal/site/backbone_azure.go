package site

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// The Azure calls of the site's Site Recovery backbone, one finder, one
// creator and one deleter per part. Finders return (false, nil) for a part
// that does not exist; deleters treat a missing part as deleted.

// a2a is Site Recovery's provider name for Azure-to-Azure replication.
const a2a = "A2A"

// vaultExists reports whether the vault exists, and refuses one in another
// region: Site Recovery needs the vault in the recovery region.
func vaultExists(ctx context.Context, c *azure.Client, in *Info) (bool, error) {
	resp, err := c.Vaults().Get(ctx, in.RecoveryResourceGroup, in.VaultName, nil)
	if azure.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if resp.Location != nil && !strings.EqualFold(*resp.Location, in.RecoveryLocation) {
		return false, fmt.Errorf("vault %s is in %s, not the recovery region %s; delete it or move the site", in.VaultID, *resp.Location, in.RecoveryLocation)
	}
	return true, nil
}

func createVault(ctx context.Context, c *azure.Client, in *Info, tags map[string]string) error {
	tflog.Info(ctx, "creating Recovery Services vault", map[string]any{"vault": in.VaultID, "location": in.RecoveryLocation})
	sku := armrecoveryservices.SKUNameStandard
	body := armrecoveryservices.Vault{
		Location:   &in.RecoveryLocation,
		SKU:        &armrecoveryservices.SKU{Name: &sku},
		Properties: &armrecoveryservices.VaultProperties{},
		Tags:       map[string]*string{},
	}
	for k, v := range tags {
		body.Tags[k] = &v
	}
	poller, err := c.Vaults().BeginCreateOrUpdate(ctx, in.RecoveryResourceGroup, in.VaultName, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

// deleteVault deletes the vault; ARM answers this DELETE synchronously.
func deleteVault(ctx context.Context, c *azure.Client, in *Info) error {
	tflog.Info(ctx, "deleting Recovery Services vault", map[string]any{"vault": in.VaultID})
	_, err := c.Vaults().Delete(ctx, in.RecoveryResourceGroup, in.VaultName, nil)
	if azure.IsNotFound(err) {
		return nil
	}
	return err
}

func fabricExists(ctx context.Context, c *azure.Client, in *Info, fabric string) (bool, error) {
	_, err := c.ReplicationFabrics().Get(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, nil)
	if azure.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// createFabric registers a region with the vault: for Azure-to-Azure the
// fabric is just "Azure" in a location.
func createFabric(ctx context.Context, c *azure.Client, in *Info, fabric, location string) error {
	tflog.Info(ctx, "creating replication fabric", map[string]any{"fabric": in.FabricID(fabric), "location": location})
	body := asr.FabricCreationInput{Properties: &asr.FabricCreationInputProperties{
		CustomDetails: &asr.AzureFabricCreationInput{InstanceType: ptr("Azure"), Location: &location},
	}}
	poller, err := c.ReplicationFabrics().BeginCreate(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func deleteFabric(ctx context.Context, c *azure.Client, in *Info, fabric string) error {
	tflog.Info(ctx, "deleting replication fabric", map[string]any{"fabric": in.FabricID(fabric)})
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationFabricsClientDeleteResponse], error) {
		return c.ReplicationFabrics().BeginDelete(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, nil)
	})
}

func containerExists(ctx context.Context, c *azure.Client, in *Info, fabric, container string) (bool, error) {
	_, err := c.ProtectionContainers().Get(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, container, nil)
	if azure.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

func createContainer(ctx context.Context, c *azure.Client, in *Info, fabric, container string) error {
	tflog.Info(ctx, "creating protection container", map[string]any{"container": in.ContainerID(fabric, container)})
	body := asr.CreateProtectionContainerInput{Properties: &asr.CreateProtectionContainerInputProperties{
		ProviderSpecificInput: []asr.ReplicationProviderSpecificContainerCreationInputClassification{
			&asr.A2AContainerCreationInput{InstanceType: ptr(a2a)},
		},
	}}
	poller, err := c.ProtectionContainers().BeginCreate(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, container, body, nil)
	if err != nil {
		return err
	}
	_, err = azure.Wait(ctx, poller)
	return err
}

func deleteContainer(ctx context.Context, c *azure.Client, in *Info, fabric, container string) error {
	tflog.Info(ctx, "deleting protection container", map[string]any{"container": in.ContainerID(fabric, container)})
	return azure.Delete(ctx, func() (*runtime.Poller[asr.ReplicationProtectionContainersClientDeleteResponse], error) {
		return c.ProtectionContainers().BeginDelete(ctx, in.VaultName, in.RecoveryResourceGroup, fabric, container, nil)
	})
}

func ptr[T any](v T) *T { return &v }
