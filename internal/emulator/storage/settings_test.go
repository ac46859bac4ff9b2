package storage_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// TestKeepsTheSettingsAnInputSets: the writable settings the emulator does
// not act on are answered as set, by a creation and by a PATCH, and a
// routingPreference publishes its endpoints.
func TestKeepsTheSettingsAnInputSets(t *testing.T) {
	_, c := storageEnv(t)
	body := emulatortest.StorageAccountBody("eastus")
	body.Identity = &armstorage.Identity{Type: emulatortest.Ptr(armstorage.IdentityTypeSystemAssigned)}
	body.Properties = &armstorage.AccountPropertiesCreateParameters{
		SasPolicy: &armstorage.SasPolicy{ExpirationAction: emulatortest.Ptr(armstorage.ExpirationActionLog), SasExpirationPeriod: emulatortest.Ptr("1.15:59:59")},
		RoutingPreference: &armstorage.RoutingPreference{PublishMicrosoftEndpoints: emulatortest.Ptr(true),
			RoutingChoice: emulatortest.Ptr(armstorage.RoutingChoiceMicrosoftRouting)},
		NetworkRuleSet: &armstorage.NetworkRuleSet{DefaultAction: emulatortest.Ptr(armstorage.DefaultActionDeny),
			VirtualNetworkRules: []*armstorage.VirtualNetworkRule{{VirtualNetworkResourceID: emulatortest.Ptr("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/d")}}},
	}
	got := emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachekeep", body)
	p := got.Properties
	if got.Identity == nil || *got.Identity.Type != armstorage.IdentityTypeSystemAssigned || p.SasPolicy == nil || *p.SasPolicy.SasExpirationPeriod != "1.15:59:59" ||
		*p.NetworkRuleSet.DefaultAction != armstorage.DefaultActionDeny || len(p.NetworkRuleSet.VirtualNetworkRules) != 1 {
		t.Fatalf("created: identity %+v sasPolicy %+v networkAcls %+v", got.Identity, p.SasPolicy, p.NetworkRuleSet)
	}
	if m := p.PrimaryEndpoints.MicrosoftEndpoints; m == nil || *m.Blob != "https://cachekeep-microsoftrouting.blob.core.windows.net/" || p.PrimaryEndpoints.InternetEndpoints != nil {
		t.Fatalf("routing endpoints: microsoft %+v internet %+v", m, p.PrimaryEndpoints.InternetEndpoints)
	}

	// A PATCH adds a setting, keeps the others, and naming kind Storage
	// leaves the StorageV2 account StorageV2 (as the spec's examples answer).
	resp, err := c.Update(emulatortest.Context(t), "rg-dr", "cachekeep", armstorage.AccountUpdateParameters{
		Kind:       emulatortest.Ptr(armstorage.KindStorage),
		Properties: &armstorage.AccountPropertiesUpdateParameters{IsSftpEnabled: emulatortest.Ptr(true), IsLocalUserEnabled: emulatortest.Ptr(true)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p = resp.Properties
	if *resp.Kind != armstorage.KindStorageV2 || p.IsSftpEnabled == nil || !*p.IsSftpEnabled || p.IsLocalUserEnabled == nil || p.SasPolicy == nil || p.PrimaryEndpoints.MicrosoftEndpoints == nil {
		t.Fatalf("patched: kind %s sftp %v localUser %v sasPolicy %+v", *resp.Kind, p.IsSftpEnabled, p.IsLocalUserEnabled, p.SasPolicy)
	}
	read, err := c.GetProperties(emulatortest.Context(t), "rg-dr", "cachekeep", nil)
	if err != nil || read.Properties.IsSftpEnabled == nil || read.Properties.SasPolicy == nil || read.Properties.GeoReplicationStats != nil {
		t.Fatalf("read back: %v %+v", err, read.Properties)
	}
}

// TestGeoReplicationStatsOnExpand: answered with $expand for a
// geo-redundant account only; another $expand is refused.
func TestGeoReplicationStatsOnExpand(t *testing.T) {
	_, c := storageEnv(t)
	grs := emulatortest.StorageAccountBody("eastus")
	grs.SKU.Name = emulatortest.Ptr(armstorage.SKUNameStandardGRS)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachegrs", grs)
	emulatortest.CreateStorageAccount(t, c, "rg-dr", "cachelrs", emulatortest.StorageAccountBody("eastus"))
	expand := &armstorage.AccountsClientGetPropertiesOptions{Expand: emulatortest.Ptr(armstorage.StorageAccountExpandGeoReplicationStats)}
	got, err := c.GetProperties(emulatortest.Context(t), "rg-dr", "cachegrs", expand)
	if err != nil || got.Properties.GeoReplicationStats == nil || *got.Properties.GeoReplicationStats.Status != armstorage.GeoReplicationStatusLive ||
		*got.Properties.GeoReplicationStats.PostFailoverRedundancy != armstorage.PostFailoverRedundancyStandardLRS {
		t.Fatalf("GRS account: %v %+v", err, got.Properties.GeoReplicationStats)
	}
	lrs, err := c.GetProperties(emulatortest.Context(t), "rg-dr", "cachelrs", expand)
	if err != nil || lrs.Properties.GeoReplicationStats != nil {
		t.Fatalf("LRS account: %v %+v", err, lrs.Properties.GeoReplicationStats)
	}
	_, err = c.GetProperties(emulatortest.Context(t), "rg-dr", "cachelrs", &armstorage.AccountsClientGetPropertiesOptions{Expand: emulatortest.Ptr(armstorage.StorageAccountExpand("keys"))})
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "InvalidQueryParameterValue")
}
