package azure

import (
	asr "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicessiterecovery/v2"
)

// A protected item's NIC settings as ReplicationProtectedItems_Update
// (api-version 2023-06-01) takes them in vmNics: each IP configuration of
// each source NIC by its own name, with its recovery subnet; the test
// failover's settings (tfo*) on the first NIC's primary one. Shared by
// azuredr_replicated_vm and the drill (which names a public IP there for
// its test VMs), so both send the same shape.

// ItemNIC is one source NIC of a protected item: its id, its IP
// configurations' names (the primary first) and their recovery subnet.
type ItemNIC struct {
	ID             string
	IPConfigs      []string
	RecoverySubnet string
}

// TestFailoverNIC is the test failover settings of the primary IP
// configuration (tfoSubnetName, tfoStaticIPAddress, tfoPublicIPAddressId);
// "" clears one.
type TestFailoverNIC struct {
	SubnetName, StaticIP, PublicIPID string
}

// NICInputs is vmNics of an item update: every IP configuration of every
// NIC into its recovery subnet; the first NIC's primary one also carries
// tfo.
func NICInputs(nics []ItemNIC, tfo TestFailoverNIC) []*asr.VMNicInputDetails {
	var out []*asr.VMNicInputDetails
	for i, n := range nics {
		in := &asr.VMNicInputDetails{NicID: ptrTo(n.ID)}
		for j, name := range n.IPConfigs {
			ipc := &asr.IPConfigInputDetails{IPConfigName: ptrTo(name), IsPrimary: ptrTo(j == 0), RecoverySubnetName: ptrTo(n.RecoverySubnet)}
			if i == 0 && j == 0 {
				ipc.TfoSubnetName = ptrTo(tfo.SubnetName)
				ipc.TfoStaticIPAddress = ptrTo(tfo.StaticIP)
				ipc.TfoPublicIPAddressID = ptrTo(tfo.PublicIPID)
			}
			in.IPConfigs = append(in.IPConfigs, ipc)
		}
		out = append(out, in)
	}
	return out
}

// ItemNICsOf reads an item's NICs as its vmNics report them, for an update
// that keeps them as they are.
func ItemNICsOf(a2a *asr.A2AReplicationDetails) []ItemNIC {
	var out []ItemNIC
	for _, nic := range a2a.VMNics {
		if nic == nil || nic.NicID == nil {
			continue
		}
		n := ItemNIC{ID: *nic.NicID}
		var secondary []string
		for _, c := range nic.IPConfigs {
			if c == nil || c.Name == nil {
				continue
			}
			if primaryIPConfig(c, len(nic.IPConfigs)) {
				n.IPConfigs = append([]string{*c.Name}, n.IPConfigs...)
				n.RecoverySubnet = deref(c.RecoverySubnetName)
			} else {
				secondary = append(secondary, *c.Name)
			}
		}
		n.IPConfigs = append(n.IPConfigs, secondary...)
		if len(n.IPConfigs) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// TestFailoverNICOf reads the test failover settings of the item's first
// NIC's primary IP configuration.
func TestFailoverNICOf(a2a *asr.A2AReplicationDetails) TestFailoverNIC {
	for _, nic := range a2a.VMNics {
		if nic == nil {
			continue
		}
		for _, c := range nic.IPConfigs {
			if c != nil && primaryIPConfig(c, len(nic.IPConfigs)) {
				return TestFailoverNIC{SubnetName: deref(c.TfoSubnetName), StaticIP: deref(c.TfoStaticIPAddress), PublicIPID: deref(c.TfoPublicIPAddressID)}
			}
		}
		break
	}
	return TestFailoverNIC{}
}

// primaryIPConfig: Site Recovery marks the primary; a NIC's only IP
// configuration is its primary.
func primaryIPConfig(c *asr.IPConfigDetails, of int) bool {
	return (c.IsPrimary != nil && *c.IsPrimary) || of == 1
}

func ptrTo[T any](v T) *T { return &v }
