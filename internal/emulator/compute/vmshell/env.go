package vmshell

import (
	"net/http"
	"time"
)

// OS is the VM's operating system: which shell runs the script.
type OS int

const (
	Linux OS = iota
	Windows
)

func (o OS) String() string {
	if o == Windows {
		return "Windows"
	}
	return "Linux"
}

// Outcome is how a connection attempt from the VM ended.
type Outcome int

const (
	// Connected: something listens there and the network lets it through.
	Connected Outcome = iota
	// Refused: the host answers but nothing listens on the port (RST).
	Refused
	// TimedOut: no answer (no route, an NSG drops it, the host is off).
	TimedOut
	// Unresolved: the name has no address.
	Unresolved
)

// Env is the VM's world as a script sees it.
type Env interface {
	// Now is the VM's clock.
	Now() time.Time
	// Connect tries a TCP connection to host:port. why says what stopped
	// it, for the emulator's log: a VM's tools never learn it (an NSG's
	// drop looks like any timeout from inside the VM).
	Connect(host string, port int) (o Outcome, why string)
	// Get sends GET url (HTTP only) as the VM; a nil response comes with
	// the Outcome that stopped it.
	Get(url string, timeout time.Duration) (*http.Response, []byte, Outcome, string)
	// Resolve asks for the A records of name, of server ("" for the VM's
	// resolver, Azure's DNS) at port (0 for 53).
	Resolve(name, server string, port int) ([]string, Outcome)
	// Files is the VM's disk.
	Files() Disk
}

// Disk is the files of a VM's disk the script reads and writes.
type Disk interface {
	Read(path string) (content string, ok bool)
	// Write writes at the VM time at.
	Write(path, content string, appendTo bool, at time.Time) error
	Mkdir(path string) error
	IsDir(path string) bool
}

// Cost is the VM time each step takes, so a run's duration depends on what
// it did: a timeout costs its whole wait, as on a VM.
const (
	costCommand = 5 * time.Millisecond
	costConnect = 2 * time.Millisecond
	costRefused = 1 * time.Millisecond
	costHTTP    = 40 * time.Millisecond
	costDNS     = 20 * time.Millisecond
)

// Result is a script's run.
type Result struct {
	Stdout, Stderr string
	// Exit is the script's exit code (the last command's, or exit N's).
	Exit int
	// Elapsed is the VM time the script took.
	Elapsed time.Duration
	// Notes say why connections failed, as the VM's tools cannot: for the
	// emulator's log, never the script's output.
	Notes []string
}
