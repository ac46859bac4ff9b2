package compute

import "time"

// The simulated time of an ARM-created VM's operations, derived from the
// VM as Azure's are: creation is the guest's first boot (Windows runs
// sysprep's specialize pass, minutes; Linux cloud-init, under one) plus the
// OS disk made from the image (hydration, per GB) plus attaching each NIC.
// A 30 GB Linux VM with one NIC takes 40 + 6 + 2 = 48 s, a 127 GB Windows
// VM 100 + 25.4 + 2 = 127.4 s. Deletion stops the guest, then removes the
// NICs and disks it takes with it. A PUT of an existing VM (tags, size)
// takes the agent's report.

const (
	linuxFirstBoot   = 40 * time.Second
	windowsFirstBoot = 100 * time.Second
	diskPerGB        = 200 * time.Millisecond
	nicAttach        = 2 * time.Second
	vmUpdateDuration = 5 * time.Second
	vmDeleteBase     = 20 * time.Second
	resourceRemoval  = 3 * time.Second // each NIC or disk deleted with the VM
)

// vmCreateDuration is the simulated time creating the VM takes.
func vmCreateDuration(windows bool, osDiskGB, nics int) time.Duration {
	boot := linuxFirstBoot
	if windows {
		boot = windowsFirstBoot
	}
	return boot + time.Duration(osDiskGB)*diskPerGB + time.Duration(nics)*nicAttach
}

// vmDeleteDuration is the simulated time deleting the VM takes, removing
// removed NICs and disks with it.
func vmDeleteDuration(removed int) time.Duration {
	return vmDeleteBase + time.Duration(removed)*resourceRemoval
}
