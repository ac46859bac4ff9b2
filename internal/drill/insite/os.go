package insite

import "strings"

// OS is a VM's operating system, as its storageProfile.osDisk.osType names
// it: it chooses the Run Command and the script's language.
type OS string

// The operating systems Run Command serves.
const (
	Linux   OS = "Linux"
	Windows OS = "Windows"
)

// CommandID is the Run Command that runs a script on the OS.
func (o OS) CommandID() string {
	if o == Windows {
		return "RunPowerShellScript"
	}
	return "RunShellScript"
}

// quote quotes a value for the OS's shell: single quotes, which expand
// nothing ('\” in sh, ” in PowerShell, for a quote inside).
func (o OS) quote(s string) string {
	if o == Windows {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// echo prints a literal line.
func (o OS) echo(s string) string {
	if o == Windows {
		return "Write-Output " + o.quote(s)
	}
	return "echo " + o.quote(s)
}

// exitLine ends a section with the exit code of the command before it:
// sh expands $? in the line; PowerShell prints $LASTEXITCODE (a native
// command's exit code) on the next line, which the parser accepts too.
func (o OS) exitLines(kind string, i int) []string {
	m := marker(kind, i, "exit")
	if o == Windows {
		return []string{o.echo(m), "$LASTEXITCODE"}
	}
	return []string{`echo "` + m + ` $?"`}
}

// doneLines end a section whose command reports in its output, not in an
// exit code (a cmdlet: True/False).
func (o OS) doneLines(kind string, i int) []string {
	return []string{o.echo(marker(kind, i, "exit") + " 0")}
}
