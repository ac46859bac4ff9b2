// Package vmshell interprets the scripts a VM Run Command carries, as the
// VM would run them, without running anything on the host. It knows a
// small, documented subset of the Linux shell (RunShellScript) and of
// PowerShell (RunPowerShellScript): enough for a drill's checks, its
// isolation proof and its file canary, and for a user's own simple
// probes. The VM's world (which addresses answer, what its disk holds, its
// clock) is the Env the caller gives: package compute builds it from the
// emulator's estate, so a script reaches only what the VM's network
// allows.
//
// The subset, one command per line (`;`, pipes, variables, loops and
// subshells are not interpreted):
//
//	Linux:      echo, cat, mkdir -p, date -u +FORMAT, test -e/-f/-d (and [ ... ]),
//	            curl, wget -q -O -, nc -z, dig +short, nslookup, true, false, exit N;
//	            redirections > >> 2>&1 2>/dev/null, quotes ' and ", $? in "..."
//	PowerShell: Write-Output, $LASTEXITCODE, curl.exe, Invoke-WebRequest,
//	            Test-NetConnection, Resolve-DnsName, New-Item -ItemType Directory,
//	            Set-Content, Add-Content, Get-Content, Test-Path, exit N;
//	            quotes ' and ", ([DateTime]::UtcNow.ToString('o'))
//
// Anything else fails as the shell would fail an unknown command (exit
// 127, a message on stderr naming the command and this subset) and the
// script goes on, as a shell script does.
package vmshell
