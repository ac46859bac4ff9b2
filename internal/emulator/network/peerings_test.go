package network_test

import (
	"net/http"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v6"
)

func peeringBody(remoteID string) armnetwork.VirtualNetworkPeering {
	return armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: emulatortest.Ptr(remoteID)}}}
}

func putPeering(t *testing.T, c emulatortest.NetClients, group, vnet, name string, body armnetwork.VirtualNetworkPeering) (armnetwork.VirtualNetworkPeering, error) {
	t.Helper()
	p, err := c.Peerings.BeginCreateOrUpdate(emulatortest.Context(t), group, vnet, name, body, nil)
	r, err := emulatortest.Done(t, p, err)
	return r.VirtualNetworkPeering, err
}

func mustPeer(t *testing.T, c emulatortest.NetClients, group, vnet, name, remoteID string) armnetwork.VirtualNetworkPeering {
	t.Helper()
	p, err := putPeering(t, c, group, vnet, name, peeringBody(remoteID))
	if err != nil {
		t.Fatalf("peering %s: %v", name, err)
	}
	return p
}

func deletePeering(t *testing.T, c emulatortest.NetClients, group, vnet, name string) {
	t.Helper()
	p, err := c.Peerings.BeginDelete(emulatortest.Context(t), group, vnet, name, nil)
	if _, err := emulatortest.Done(t, p, err); err != nil {
		t.Fatalf("deleting peering %s: %v", name, err)
	}
}

// peeringState is the state GET shows, checked against the network's
// inline view of the same peering.
func peeringState(t *testing.T, c emulatortest.NetClients, group, vnet, name string) armnetwork.VirtualNetworkPeeringState {
	t.Helper()
	p, err := c.Peerings.Get(emulatortest.Context(t), group, vnet, name, nil)
	if err != nil {
		t.Fatalf("getting peering %s: %v", name, err)
	}
	for _, inline := range getVNet(t, c, group, vnet).Properties.VirtualNetworkPeerings {
		if *inline.Name == name && *inline.Properties.PeeringState != *p.Properties.PeeringState {
			t.Fatalf("peering %s: GET says %s, the network says %s", name, *p.Properties.PeeringState, *inline.Properties.PeeringState)
		}
	}
	return *p.Properties.PeeringState
}

func wantPeeringState(t *testing.T, c emulatortest.NetClients, group, vnet, name string, want armnetwork.VirtualNetworkPeeringState) {
	t.Helper()
	if got := peeringState(t, c, group, vnet, name); got != want {
		t.Fatalf("peering %s/%s is %s, want %s", vnet, name, got, want)
	}
}

func TestPeeringStatesFollowBothSides(t *testing.T) {
	srv, c := netServer(t, "rg-prod", "rg-dr-eastus2")
	prod := emulatortest.MustVNet(t, c, "rg-prod", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))
	drBody := emulatortest.VNetBody("10.2.0.0/16")
	drBody.Location = emulatortest.Ptr("eastus2")
	dr := emulatortest.MustVNet(t, c, "rg-dr-eastus2", "dr", drBody)

	// One side: Initiated, with the remote's space and ARM's defaults.
	p := mustPeer(t, c, "rg-prod", "prod", "to-dr", *dr.ID)
	if *p.Properties.PeeringState != armnetwork.VirtualNetworkPeeringStateInitiated || !*p.Properties.AllowVirtualNetworkAccess ||
		*p.Properties.AllowForwardedTraffic || *p.Properties.RemoteAddressSpace.AddressPrefixes[0] != "10.2.0.0/16" ||
		*p.ID != *prod.ID+"/virtualNetworkPeerings/to-dr" || *p.Type != "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" {
		t.Fatalf("one-sided peering: %+v %+v", p, p.Properties)
	}
	// Both sides: Connected on both.
	mustPeer(t, c, "rg-dr-eastus2", "dr", "to-prod", *prod.ID)
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateConnected)
	wantPeeringState(t, c, "rg-dr-eastus2", "dr", "to-prod", armnetwork.VirtualNetworkPeeringStateConnected)
	// A network PUT keeps its peerings (they are read-only there).
	emulatortest.MustVNet(t, c, "rg-prod", "prod", emulatortest.VNetBody("10.1.0.0/16", [2]string{"web", "10.1.1.0/24"}))
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateConnected)
	// Updating a connected peering keeps it connected.
	upd := peeringBody(*dr.ID)
	upd.Properties.AllowForwardedTraffic = emulatortest.Ptr(true)
	if got, err := putPeering(t, c, "rg-prod", "prod", "to-dr", upd); err != nil || *got.Properties.PeeringState != armnetwork.VirtualNetworkPeeringStateConnected || !*got.Properties.AllowForwardedTraffic {
		t.Fatalf("updating a connected peering: %v", err)
	}

	// The remote side goes: Disconnected; peering back is refused until this
	// side is updated (back to Initiated).
	deletePeering(t, c, "rg-dr-eastus2", "dr", "to-prod")
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateDisconnected)
	_, err := putPeering(t, c, "rg-dr-eastus2", "dr", "to-prod", peeringBody(*prod.ID))
	wantARMMessage(t, err, http.StatusBadRequest, "RemotePeeringIsDisconnected", "to-dr")
	if got := getVNet(t, c, "rg-dr-eastus2", "dr"); len(got.Properties.VirtualNetworkPeerings) != 0 {
		t.Fatal("the refused peering was stored")
	}
	mustPeer(t, c, "rg-prod", "prod", "to-dr", *dr.ID)
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateInitiated)
	mustPeer(t, c, "rg-dr-eastus2", "dr", "to-prod", *prod.ID)
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateConnected)

	// The remote network goes (here with its whole group): Disconnected, and
	// a re-created network of the same name does not reconnect it.
	gc := emulatortest.GroupsClient(t, srv.URL())
	gp, err := gc.BeginDelete(emulatortest.Context(t), "rg-dr-eastus2", nil)
	if _, err := emulatortest.Done(t, gp, err); err != nil {
		t.Fatal(err)
	}
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateDisconnected)
	emulatortest.CreateGroup(t, gc, "rg-dr-eastus2", "eastus2", nil)
	emulatortest.MustVNet(t, c, "rg-dr-eastus2", "dr", drBody)
	wantPeeringState(t, c, "rg-prod", "prod", "to-dr", armnetwork.VirtualNetworkPeeringStateDisconnected)
	_, err = putPeering(t, c, "rg-dr-eastus2", "dr", "to-prod", peeringBody(*prod.ID))
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "RemotePeeringIsDisconnected")
	// Deleting the Disconnected side and peering again starts over.
	deletePeering(t, c, "rg-prod", "prod", "to-dr")
	mustPeer(t, c, "rg-dr-eastus2", "dr", "to-prod", *prod.ID)
	mustPeer(t, c, "rg-prod", "prod", "to-dr", *dr.ID)
	wantPeeringState(t, c, "rg-dr-eastus2", "dr", "to-prod", armnetwork.VirtualNetworkPeeringStateConnected)
}

func TestPeeringValidation(t *testing.T) {
	_, c := netServer(t, "rg-net")
	prod := emulatortest.MustVNet(t, c, "rg-net", "prod", emulatortest.VNetBody("10.1.0.0/16"))
	hub := emulatortest.MustVNet(t, c, "rg-net", "hub", emulatortest.VNetBody("10.9.0.0/16"))
	twin := emulatortest.MustVNet(t, c, "rg-net", "twin", emulatortest.VNetBody("10.1.0.0/16"))
	spoke := emulatortest.MustVNet(t, c, "rg-net", "spoke", emulatortest.VNetBody("10.9.128.0/17"))
	mustPeer(t, c, "rg-net", "prod", "to-hub", *hub.ID)

	missing := "/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/nope"
	gateways := peeringBody(*hub.ID)
	gateways.Properties.UseRemoteGateways = emulatortest.Ptr(true)
	cases := map[string]struct {
		name string
		body armnetwork.VirtualNetworkPeering
		code string
		says string
	}{
		"missing remote":       {"p", peeringBody(missing), "InvalidGlobalResourceReference", "virtualNetworks/nope referenced by resource"},
		"no remote":            {"p", armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{}}, "InvalidRequestFormat", "remoteVirtualNetwork"},
		"remote not an id":     {"p", peeringBody("hub"), "LinkedInvalidPropertyId", "'hub'"},
		"remote of wrong type": {"p", peeringBody("/subscriptions/" + emulatortest.Subscription + "/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/x"), "InvalidRequestFormat", "wrong type"},
		"overlap":              {"p", peeringBody(*twin.ID), "VnetAddressSpacesOverlap", "10.1.0.0/16"},
		"itself":               {"p", peeringBody(*prod.ID), "VnetAddressSpacesOverlap", "cannot be peered"},
		"overlaps a peer":      {"p", peeringBody(*spoke.ID), "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet", "10.9.128.0/17"},
		"no remote gateway":    {"to-hub", gateways, "RemoteVnetHasNoGateways", *hub.ID},
	}
	before := getVNet(t, c, "rg-net", "prod")
	for name, tc := range cases {
		_, err := putPeering(t, c, "rg-net", "prod", tc.name, tc.body)
		wantARMMessage(t, err, http.StatusBadRequest, tc.code, tc.says)
		if got := getVNet(t, c, "rg-net", "prod"); *got.Etag != *before.Etag || len(got.Properties.VirtualNetworkPeerings) != 1 {
			t.Fatalf("%s: the refused peering changed the network", name)
		}
	}
	_, err := c.Peerings.Get(emulatortest.Context(t), "rg-net", "prod", "p", nil)
	wantARMMessage(t, err, http.StatusNotFound, "ResourceNotFound", "'Microsoft.Network/virtualNetworks/prod/virtualNetworkPeerings/p'")

	// With a gateway (a GatewaySubnet) on the remote side, useRemoteGateways is fine.
	if _, err := putSubnet(t, c, "rg-net", "hub", "GatewaySubnet", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: emulatortest.Ptr("10.9.255.0/27")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := putPeering(t, c, "rg-net", "prod", "to-hub", gateways); err != nil {
		t.Fatalf("useRemoteGateways towards a network with a gateway: %v", err)
	}
	// A peered network cannot grow into its peer's space.
	grown := emulatortest.VNetBody("10.1.0.0/16")
	grown.Properties.AddressSpace.AddressPrefixes = append(grown.Properties.AddressSpace.AddressPrefixes, emulatortest.Ptr("10.9.64.0/18"))
	_, err = emulatortest.PutVNet(t, c, "rg-net", "prod", grown)
	emulatortest.WantARMError(t, err, http.StatusBadRequest, "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet")

	pager := c.Peerings.NewListPager("rg-net", "prod", nil)
	if page, err := pager.NextPage(emulatortest.Context(t)); err != nil || len(page.Value) != 1 || *page.Value[0].Name != "to-hub" {
		t.Fatalf("VirtualNetworkPeerings_List: %v", err)
	}
	deletePeering(t, c, "rg-net", "prod", "to-hub")
	deletePeering(t, c, "rg-net", "prod", "to-hub") // 204 the second time
	if got := getVNet(t, c, "rg-net", "prod"); len(got.Properties.VirtualNetworkPeerings) != 0 {
		t.Fatal("the deleted peering is still listed")
	}
}
