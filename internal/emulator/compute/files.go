package compute

import (
	"errors"
	"fmt"
	"time"
)

// The files on a VM's disks, as far as the emulator models them: what Run
// Command scripts wrote (the file canary's marker, a user's probe). Each
// write is stamped with the data version the VM held after the run that
// made it: a run that writes on a primary VM is an application write (the
// VM's next data version, VMState.Record), so the files replicate exactly
// as the data does. A VM Site Recovery makes from a recovery point of
// version V starts with the files as of V (AsOf); nothing else of a
// disk's content is modelled.

// VMFiles is a VM's files and directories with their history.
type VMFiles struct {
	// Files maps a path to its versions, oldest first.
	Files map[string][]FileVersion `json:"files,omitempty"`
	// Dirs maps a directory made by a script to the data version it was
	// made at.
	Dirs map[string]int `json:"dirs,omitempty"`
}

// FileVersion is a file's content from a data version on.
type FileVersion struct {
	Version int    `json:"version"`
	Content string `json:"content"`
}

// Bounds of the model: a script's files are markers and probes, not data.
const (
	maxFiles           = 256
	maxFileBytes       = 64 << 10
	maxVersionsPerFile = 50
)

var errDiskModelFull = errors.New("No space left on device (the emulator keeps at most 256 files of 64 KiB per VM)")

// current is the file's latest content.
func (f *VMFiles) current(path string) (string, bool) {
	if f == nil || len(f.Files[path]) == 0 {
		return "", false
	}
	vs := f.Files[path]
	return vs[len(vs)-1].Content, true
}

func (f *VMFiles) isDir(path string) bool {
	if f == nil {
		return false
	}
	_, ok := f.Dirs[path]
	return ok
}

// AsOf is the files as they were at data version v (nil when none).
func (f *VMFiles) AsOf(v int) *VMFiles {
	if f == nil {
		return nil
	}
	out := &VMFiles{Files: map[string][]FileVersion{}, Dirs: map[string]int{}}
	for p, vs := range f.Files {
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i].Version <= v {
				out.Files[p] = []FileVersion{vs[i]}
				break
			}
		}
	}
	for d, at := range f.Dirs {
		if at <= v {
			out.Dirs[d] = at
		}
	}
	if len(out.Files) == 0 && len(out.Dirs) == 0 {
		return nil
	}
	return out
}

// fileWrite is one write a run made, applied in order after it.
type fileWrite struct {
	path, content string
	appendTo, dir bool
	at            time.Time // VM time of the write
}

// apply records a run's writes at data version v.
func (f *VMFiles) apply(writes []fileWrite, v int) *VMFiles {
	if len(writes) == 0 {
		return f
	}
	if f == nil {
		f = &VMFiles{}
	}
	if f.Files == nil {
		f.Files = map[string][]FileVersion{}
	}
	if f.Dirs == nil {
		f.Dirs = map[string]int{}
	}
	for _, w := range writes {
		if w.dir {
			if _, ok := f.Dirs[w.path]; !ok {
				f.Dirs[w.path] = v
			}
			continue
		}
		content := w.content
		if w.appendTo {
			cur, _ := f.current(w.path)
			content = cur + content
		}
		vs := f.Files[w.path]
		if n := len(vs); n > 0 && vs[n-1].Version == v {
			vs[n-1].Content = content
		} else {
			vs = append(vs, FileVersion{Version: v, Content: content})
		}
		if n := len(vs) - maxVersionsPerFile; n > 0 {
			vs = append([]FileVersion(nil), vs[n:]...)
		}
		f.Files[w.path] = vs
	}
	return f
}

// runDisk is the disk a run sees: the VM's files, then the run's own
// writes, kept aside until the run is recorded.
type runDisk struct {
	base   *VMFiles
	writes []fileWrite
	// view is the content after the writes so far.
	view map[string]string
	dirs map[string]bool
}

func newRunDisk(base *VMFiles) *runDisk {
	return &runDisk{base: base, view: map[string]string{}, dirs: map[string]bool{}}
}

func (d *runDisk) Read(path string) (string, bool) {
	if s, ok := d.view[path]; ok {
		return s, true
	}
	return d.base.current(path)
}

func (d *runDisk) Write(path, content string, appendTo bool, at time.Time) error {
	cur, exists := d.Read(path)
	if !exists && d.count() >= maxFiles {
		return errDiskModelFull
	}
	next := content
	if appendTo {
		next = cur + content
	}
	if len(next) > maxFileBytes {
		return fmt.Errorf("File too large (the emulator keeps files up to %d KiB)", maxFileBytes>>10)
	}
	d.view[path] = next
	d.writes = append(d.writes, fileWrite{path: path, content: content, appendTo: appendTo, at: at})
	return nil
}

func (d *runDisk) Mkdir(path string) error {
	d.dirs[path] = true
	d.writes = append(d.writes, fileWrite{path: path, dir: true})
	return nil
}

func (d *runDisk) IsDir(path string) bool { return d.dirs[path] || d.base.isDir(path) }

// lastWrite is the VM time of the run's last file write (zero when it
// wrote none: a directory alone changes no data).
func (d *runDisk) lastWrite() time.Time {
	var t time.Time
	for _, w := range d.writes {
		if !w.dir && w.at.After(t) {
			t = w.at
		}
	}
	return t
}

// count is how many files the disk holds with the run's writes.
func (d *runDisk) count() int {
	seen := map[string]bool{}
	if d.base != nil {
		for p := range d.base.Files {
			seen[p] = true
		}
	}
	for p := range d.view {
		seen[p] = true
	}
	return len(seen)
}
