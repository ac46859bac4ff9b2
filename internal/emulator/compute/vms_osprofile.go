package compute

import (
	"crypto/rsa"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/crypto/ssh"
)

// osProfile as the compute resource provider checks it (Azure's VM FAQ:
// computer names, user names and passwords), each refusal 400
// InvalidParameter with the property as target.

type osProfileInput struct {
	ComputerName       string  `json:"computerName"`
	AdminUsername      string  `json:"adminUsername"`
	AdminPassword      *string `json:"adminPassword"`
	LinuxConfiguration *struct {
		DisablePasswordAuthentication *bool `json:"disablePasswordAuthentication"`
		SSH                           *struct {
			PublicKeys []vmSSHKey `json:"publicKeys"`
		} `json:"ssh"`
		ProvisionVMAgent *bool `json:"provisionVMAgent"`
	} `json:"linuxConfiguration"`
	WindowsConfiguration *struct {
		ProvisionVMAgent       *bool `json:"provisionVMAgent"`
		EnableAutomaticUpdates *bool `json:"enableAutomaticUpdates"`
	} `json:"windowsConfiguration"`
	AllowExtensionOperations *bool `json:"allowExtensionOperations"`
}

// reservedUsernames are the names Azure refuses as adminUsername.
var reservedUsernames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`administrator admin user user1 test user2 test1 user3 admin1 1 123 a actuser adm admin2
		aspnet backup console david guest john owner root server sql support support_388945a0 sys test2 test3 user4 user5 sa`) {
		reservedUsernames[n] = true
	}
}

// disallowedPasswords are the passwords Azure refuses whatever their
// complexity.
var disallowedPasswords = map[string]bool{"abc@123": true, "p@$$w0rd": true, "p@ssw0rd": true, "p@ssword123": true,
	"pa$$word": true, "pass@word1": true, "password!": true, "password1": true, "password22": true, "iloveyou!": true}

var (
	linuxUsernamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	// The characters Azure's messages list as refused in host names.
	linuxHostRefused   = "~!@#$%^&*()=+_[]{}\\|;:'\",<>/? "
	windowsHostRefused = "`~!@#$%^&*()=+_[]{}\\|;:.'\",<>/? "
)

func resolveOSProfile(in *osProfileInput, windows bool) (*vmOSProfile, error) {
	if in.ComputerName == "" {
		return nil, missingParameter("osProfile.computerName")
	}
	if err := checkComputerName(in.ComputerName, windows); err != nil {
		return nil, err
	}
	if in.AdminUsername == "" {
		return nil, missingParameter("osProfile.adminUsername")
	}
	if err := checkAdminUsername(in.AdminUsername, windows); err != nil {
		return nil, err
	}
	out := &vmOSProfile{ComputerName: in.ComputerName, AdminUsername: in.AdminUsername, AllowExtensionOperations: ptrTo(true)}
	if in.AllowExtensionOperations != nil {
		out.AllowExtensionOperations = in.AllowExtensionOperations
	}
	if windows {
		if in.LinuxConfiguration != nil {
			return nil, invalidParameter("linuxConfiguration", "The property 'linuxConfiguration' is not valid for a Windows image: use windowsConfiguration.")
		}
		wc := &vmWindowsConfiguration{ProvisionVMAgent: true, EnableAutomaticUpdates: true}
		if c := in.WindowsConfiguration; c != nil {
			wc.ProvisionVMAgent = c.ProvisionVMAgent == nil || *c.ProvisionVMAgent
			wc.EnableAutomaticUpdates = c.EnableAutomaticUpdates == nil || *c.EnableAutomaticUpdates
		}
		out.WindowsConfiguration = wc
		return out, checkPassword(in.AdminPassword, true)
	}
	if in.WindowsConfiguration != nil {
		return nil, invalidParameter("windowsConfiguration", "The property 'windowsConfiguration' is not valid for a Linux image: use linuxConfiguration.")
	}
	lc := &vmLinuxConfiguration{ProvisionVMAgent: true}
	var keys []vmSSHKey
	if c := in.LinuxConfiguration; c != nil {
		lc.DisablePasswordAuthentication = c.DisablePasswordAuthentication != nil && *c.DisablePasswordAuthentication
		lc.ProvisionVMAgent = c.ProvisionVMAgent == nil || *c.ProvisionVMAgent
		if c.SSH != nil {
			keys = c.SSH.PublicKeys
		}
	}
	for i, k := range keys {
		if err := checkSSHKey(k, in.AdminUsername, i); err != nil {
			return nil, err
		}
	}
	if len(keys) > 0 {
		lc.SSH = &vmSSH{PublicKeys: keys}
	}
	out.LinuxConfiguration = lc
	switch {
	case lc.DisablePasswordAuthentication && len(keys) == 0:
		return nil, invalidParameter("linuxConfiguration", "Authentication using either SSH or by user name and password must be enabled in Linux profile.")
	case !lc.DisablePasswordAuthentication:
		return out, checkPassword(in.AdminPassword, false)
	}
	return out, nil
}

func ptrTo[T any](v T) *T { return &v }

// checkComputerName: Linux host names up to 64 characters, Windows
// computer names up to 15 and not entirely numeric, neither with the
// characters Azure lists.
func checkComputerName(name string, windows bool) error {
	if windows {
		allDigits := strings.TrimFunc(name, unicode.IsDigit) == ""
		if len(name) > 15 || allDigits || strings.ContainsAny(name, windowsHostRefused) {
			return invalidParameter("computerName", "Windows computer name cannot be more than 15 characters long, be entirely numeric, or contain the following characters: ` ~ ! @ # $ %% ^ & * ( ) = + _ [ ] { } \\ | ; : . ' \" , < > / ?.")
		}
		return nil
	}
	if len(name) > 64 || strings.ContainsAny(name, linuxHostRefused) {
		return invalidParameter("computerName", "Linux host name cannot exceed 64 characters in length or contain the following characters: ~ ! @ # $ %% ^ & * ( ) = + _ [ ] { } \\ | ; : ' \" , < > / ?.")
	}
	return nil
}

// checkAdminUsername: not a reserved name, Windows up to 20 characters,
// Linux up to 64 of letters, digits, '_', '-', '.', neither ending with a
// period.
func checkAdminUsername(name string, windows bool) error {
	bad := reservedUsernames[strings.ToLower(name)] || strings.HasSuffix(name, ".")
	if windows {
		bad = bad || len(name) > 20 || strings.ContainsAny(name, `"/\[]:;|=,+*?<>@`)
	} else {
		bad = bad || len(name) > 64 || !linuxUsernamePattern.MatchString(name)
	}
	if bad {
		return invalidParameter("adminUsername", "The Admin Username specified is not allowed.")
	}
	return nil
}

// checkPassword: required, Linux 6-72 and Windows 8-123 characters, three
// of the four classes, no control characters, not a password Azure bans.
func checkPassword(pw *string, windows bool) error {
	if pw == nil || *pw == "" {
		return missingParameter("adminPassword")
	}
	lo, hi := 6, 72
	if windows {
		lo, hi = 8, 123
	}
	var upper, lower, digit, special, control bool
	for _, r := range *pw {
		switch {
		case unicode.IsControl(r):
			control = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			special = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, special} {
		if b {
			classes++
		}
	}
	n := len([]rune(*pw))
	if n < lo || n > hi || classes < 3 || control || disallowedPasswords[strings.ToLower(*pw)] {
		return invalidParameter("adminPassword", "The supplied password must be between %d-%d characters long and must satisfy at least 3 of password complexity requirements from the following:\r\n1) Contains an uppercase character\r\n2) Contains a lowercase character\r\n3) Contains a numeric digit\r\n4) Contains a special character\r\n5) Control characters are not allowed", lo, hi)
	}
	return nil
}

// checkSSHKey: keyData an OpenSSH public key Azure takes (RSA of 2048 bits
// or more, or ed25519), at the one path Azure's Linux agent supports.
func checkSSHKey(k vmSSHKey, user string, i int) error {
	want := "/home/" + user + "/.ssh/authorized_keys"
	if k.Path != want {
		return invalidParameter("linuxConfiguration.ssh.publicKeys.path",
			"Destination path for SSH public keys is currently limited to its default value %s due to a known issue in Linux provisioning agent (publicKeys[%d].path is '%s').", want, i, k.Path)
	}
	bad := func(why string) error {
		return invalidParameter("linuxConfiguration.ssh.publicKeys.keyData",
			"The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid (publicKeys[%d]: %s).", i, why)
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.KeyData))
	if err != nil {
		return bad("not an OpenSSH public key")
	}
	switch key.Type() {
	case ssh.KeyAlgoED25519:
		return nil
	case ssh.KeyAlgoRSA:
		ck, ok := key.(ssh.CryptoPublicKey)
		if !ok {
			return bad("unreadable RSA key")
		}
		rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey)
		if !ok {
			return bad("unreadable RSA key")
		}
		if bits := rk.N.BitLen(); bits < 2048 {
			return bad(fmt.Sprintf("an RSA key must have at least 2048 bits, this one has %d", bits))
		}
		return nil
	}
	return bad(fmt.Sprintf("Azure takes RSA and ed25519 keys, not %s", key.Type()))
}
