package compute

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/clock"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/resources"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/service"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// NICs are written only by the emulator (Site Recovery's VMs), so attaching
// a public IP and refusing its deletion meanwhile are tested on the
// namespace itself, over a store of its own.

const testSub = "00000000-0000-0000-0000-0000000000aa"

func bareService(t *testing.T) *Service {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c, err := clock.Open(st, 1000)
	if err != nil {
		t.Fatal(err)
	}
	s := New(&service.Env{Store: st, Clock: c, Ops: lro.NewManager(st, c, slog.New(slog.DiscardHandler))}, 0)
	for _, k := range (&publicIPAddresses{s: s}).OperationKinds() {
		s.Ops.Register(k)
	}
	return s
}

// testNIC is the NIC of VM vm in group (eastus), as NewNIC makes it.
func testNIC(group, vm string) *NIC {
	v := &VM{}
	v.ID = "/subscriptions/" + testSub + "/resourceGroups/" + group + "/providers/Microsoft.Compute/virtualMachines/" + vm
	v.Location = "eastus"
	v.Properties.NetworkProfile = &vmNetworkProfile{NetworkInterfaces: []vmNICReference{{ID: nicID(testSub, group, nicNameOf(vm))}}}
	return NewNIC(v)
}

func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *arm.Error
	if !errors.As(err, &e) || e.Status != status || e.Code != code {
		t.Fatalf("want %d %s, got %v", status, code, err)
	}
}

func TestAttachedPublicIPCannotBeDeleted(t *testing.T) {
	s := bareService(t)
	pips := &publicIPAddresses{s: s}
	nic, other := testNIC("rg-dr", "vm-1"), testNIC("rg-dr", "vm-2")
	pipID := PublicIPID(testSub, "rg-dr", "pip-a")
	westID := PublicIPID(testSub, "rg-dr", "pip-west")
	err := s.Store.Update(func(tx *store.Tx) error {
		if err := resources.PutGroup(tx, resources.NewGroup(testSub, "rg-dr", "eastus", nil, "")); err != nil {
			return err
		}
		for id, loc := range map[string]string{pipID: "eastus", westID: "westus"} {
			pip := NewPublicIP(id, nic, nil)
			pip.Location = loc
			if err := service.PutJSON(tx, id, pip); err != nil {
				return err
			}
		}
		if _, err := AttachPublicIP(tx, nic, westID); err == nil {
			t.Error("a public IP of another region was attached")
		} else {
			wantCode(t, err, http.StatusBadRequest, "InvalidResourceReference")
		}
		if _, err := AttachPublicIP(tx, nic, pipID); err != nil {
			return err
		}
		if err := service.PutJSON(tx, nic.ID, nic); err != nil {
			return err
		}
		_, err := AttachPublicIP(tx, other, pipID)
		wantCode(t, err, http.StatusBadRequest, "PublicIPAddressInUse")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	req := &service.Request{Params: map[string]string{"subscriptionId": testSub, "resourceGroupName": "rg-dr", "publicIpAddressName": "pip-a"},
		APIVersion: "2024-05-01", Base: "http://127.0.0.1"}
	got, err := pips.get(req)
	if err != nil {
		t.Fatal(err)
	}
	if cfg := got.Body.(*PublicIP).Properties.IPConfiguration; cfg == nil || cfg.ID != nic.Properties.IPConfigurations[0].ID {
		t.Fatalf("ipConfiguration of the attached public IP: %+v", cfg)
	}
	_, err = pips.delete(req)
	wantCode(t, err, http.StatusBadRequest, "PublicIPAddressCannotBeDeleted")
	// Detached (the NIC gone), it can be deleted.
	if err := s.Store.Update(func(tx *store.Tx) error { tx.Delete(nic.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	resp, err := pips.delete(req)
	if err != nil || resp.Status != http.StatusAccepted {
		t.Fatalf("deleting the detached public IP: %v %d", err, resp.Status)
	}
}

// TestGroupWithAPublicIPUsedElsewhereCannotBeDeleted: the NIC using it is in
// another group, so the group's deletion fails as ARM's would.
func TestGroupWithAPublicIPUsedElsewhereCannotBeDeleted(t *testing.T) {
	s := bareService(t)
	pips := &publicIPAddresses{s: s}
	nic := testNIC("rg-app", "vm-1")
	pipID := PublicIPID(testSub, "rg-ip", "pip-a")
	err := s.Store.Update(func(tx *store.Tx) error {
		if err := service.PutJSON(tx, pipID, NewPublicIP(pipID, nic, nil)); err != nil {
			return err
		}
		if _, err := AttachPublicIP(tx, nic, pipID); err != nil {
			return err
		}
		return service.PutJSON(tx, nic.ID, nic)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = pips.CheckGroupDeletion(s.Store, arm.ResourceGroupID(testSub, "rg-ip"))
	wantCode(t, err, http.StatusBadRequest, "PublicIPAddressCannotBeDeleted")
	if err := pips.CheckGroupDeletion(s.Store, arm.ResourceGroupID(testSub, "rg-app")); err != nil {
		t.Fatalf("the NIC's own group: %v", err)
	}
}
