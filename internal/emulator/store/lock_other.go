//go:build !unix

package store

import (
	"os"
	"path/filepath"
)

// lockDir on platforms without flock only creates the marker file; running
// two emulators on one directory there is the user's responsibility.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, "LOCK"), os.O_CREATE|os.O_RDWR, 0o600)
}
