package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustOpen(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustUpdate(t *testing.T, s *Store, fn func(tx *Tx)) {
	t.Helper()
	if err := s.Update(func(tx *Tx) error { fn(tx); return nil }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func keys(entries []Entry) string {
	var ks []string
	for _, e := range entries {
		ks = append(ks, e.Key+"="+string(e.Value))
	}
	return strings.Join(ks, ",")
}

func TestGetListAreCaseInsensitiveAndSorted(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustUpdate(t, s, func(tx *Tx) {
		tx.Put("/Subscriptions/A/resourceGroups/B", []byte("b"))
		tx.Put("/subscriptions/a/resourcegroups/a", []byte("a"))
		tx.Put("/subscriptions/a/resourcegroups/b/providers/x", []byte("x"))
		tx.Put("/subscriptions/z", []byte("z"))
	})
	if v, ok := s.Get("/SUBSCRIPTIONS/a/RESOURCEGROUPS/b"); !ok || string(v) != "b" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	got := keys(s.List("/subscriptions/A/resourceGroups/"))
	want := "/subscriptions/a/resourcegroups/a=a,/subscriptions/a/resourcegroups/b=b,/subscriptions/a/resourcegroups/b/providers/x=x"
	if got != want {
		t.Fatalf("List = %s, want %s", got, want)
	}
}

func TestTransactionSeesOwnWritesAndAbortWritesNothing(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustUpdate(t, s, func(tx *Tx) { tx.Put("/k/1", []byte("1")); tx.Put("/k/2", []byte("2")) })

	abort := errors.New("abort")
	err := s.Update(func(tx *Tx) error {
		tx.Delete("/k/1")
		tx.Put("/k/3", []byte("3"))
		if got := keys(tx.List("/k/")); got != "/k/2=2,/k/3=3" {
			t.Errorf("List inside tx = %s", got)
		}
		if _, ok := tx.Get("/k/1"); ok {
			t.Errorf("deleted key visible inside tx")
		}
		return abort
	})
	if !errors.Is(err, abort) {
		t.Fatalf("Update = %v, want abort", err)
	}
	if got := keys(s.List("/k/")); got != "/k/1=1,/k/2=2" {
		t.Fatalf("after abort List = %s", got)
	}
}

func TestOnCommitRunsOnlyAfterCommit(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	var ran []string
	_ = s.Update(func(tx *Tx) error {
		tx.OnCommit(func() { ran = append(ran, "aborted") })
		return errors.New("no")
	})
	mustUpdate(t, s, func(tx *Tx) {
		tx.Put("/a", []byte("1"))
		tx.OnCommit(func() {
			if _, ok := s.Get("/a"); !ok {
				t.Errorf("write not visible in OnCommit")
			}
			ran = append(ran, "committed")
		})
	})
	if strings.Join(ran, ",") != "committed" {
		t.Fatalf("ran = %v", ran)
	}
}

func TestReopenKeepsCommittedStateAndCompacts(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		mustUpdate(t, s, func(tx *Tx) { tx.Put("/churn", []byte(fmt.Sprint(i))) })
	}
	mustUpdate(t, s, func(tx *Tx) { tx.Put("/keep", []byte("yes")); tx.Put("/gone", []byte("x")) })
	mustUpdate(t, s, func(tx *Tx) { tx.Delete("/gone") })
	before, _ := os.Stat(filepath.Join(dir, journalName))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := mustOpen(t, dir)
	if got := keys(s2.List("/")); got != "/churn=49,/keep=yes" {
		t.Fatalf("after reopen List = %s", got)
	}
	after, _ := os.Stat(filepath.Join(dir, journalName))
	if after.Size() >= before.Size() {
		t.Fatalf("journal not compacted: %d -> %d bytes", before.Size(), after.Size())
	}
}

func TestSecondOpenOfSameDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, dir)
	if s, err := Open(dir); err == nil {
		_ = s.Close()
		t.Fatal("second Open succeeded")
	}
}

// buildJournal commits a few transactions and a final multi-record one, and
// returns the journal bytes and the offset at which the final frame starts.
func buildJournal(t *testing.T) (data []byte, lastStart int) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, s, func(tx *Tx) { tx.Put("/a", []byte("a1")); tx.Put("/b", []byte("b1")) })
	mustUpdate(t, s, func(tx *Tx) { tx.Put("/c", []byte("c1")) })
	st, err := os.Stat(filepath.Join(dir, journalName))
	if err != nil {
		t.Fatal(err)
	}
	lastStart = int(st.Size())
	// The last transaction overwrites, deletes and adds: all or nothing.
	mustUpdate(t, s, func(tx *Tx) {
		tx.Put("/a", []byte("a2"))
		tx.Delete("/b")
		for i := 0; i < 5; i++ {
			tx.Put(fmt.Sprintf("/new/%d", i), []byte(strings.Repeat("v", 10)))
		}
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(filepath.Join(dir, journalName))
	if err != nil {
		t.Fatal(err)
	}
	return data, lastStart
}

const (
	stateWithoutLast = "/a=a1,/b=b1,/c=c1"
	stateWithLast    = "/a=a2,/c=c1,/new/0=vvvvvvvvvv,/new/1=vvvvvvvvvv,/new/2=vvvvvvvvvv,/new/3=vvvvvvvvvv,/new/4=vvvvvvvvvv"
)

func openImage(t *testing.T, image []byte) (*Store, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, journalName), image, 0o600); err != nil {
		t.Fatal(err)
	}
	return Open(dir)
}

// TestTornLastTransactionIsAllOrNothing cuts the journal at every byte of the
// last transaction, as a crash during its append would, and checks the store
// opens with the whole transaction or none of it, and keeps working.
func TestTornLastTransactionIsAllOrNothing(t *testing.T) {
	data, lastStart := buildJournal(t)
	for cut := lastStart; cut <= len(data); cut++ {
		s, err := openImage(t, data[:cut])
		if err != nil {
			t.Fatalf("cut at %d: Open: %v", cut, err)
		}
		want := stateWithoutLast
		if cut == len(data) {
			want = stateWithLast
		}
		if got := keys(s.List("/")); got != want {
			t.Fatalf("cut at %d: state %s, want %s", cut, got, want)
		}
		// The recovered journal accepts new transactions that survive a reopen.
		mustUpdate(t, s, func(tx *Tx) { tx.Put("/after", []byte("x")) })
		dir := s.dir
		_ = s.Close()
		s2, err := Open(dir)
		if err != nil {
			t.Fatalf("cut at %d: reopen: %v", cut, err)
		}
		if _, ok := s2.Get("/after"); !ok {
			t.Fatalf("cut at %d: write after recovery lost", cut)
		}
		_ = s2.Close()
	}
}

// TestGarbageTailIsDropped models a crash after the file grew but before the
// data blocks were written: the tail reads as zeros or junk.
func TestGarbageTailIsDropped(t *testing.T) {
	data, lastStart := buildJournal(t)
	for name, fill := range map[string]byte{"zeros": 0, "junk": 0xA5} {
		image := append([]byte(nil), data...)
		for i := lastStart; i < len(image); i++ {
			image[i] = fill
		}
		s, err := openImage(t, image)
		if err != nil {
			t.Fatalf("%s: Open: %v", name, err)
		}
		if got := keys(s.List("/")); got != stateWithoutLast {
			t.Fatalf("%s: state %s", name, got)
		}
		_ = s.Close()
	}
}

// TestCorruptionBeforeGoodFramesIsRefused: a bad frame followed by intact ones
// is not a torn append, and silently dropping what follows would lose
// acknowledged writes.
func TestCorruptionBeforeGoodFramesIsRefused(t *testing.T) {
	data, _ := buildJournal(t)
	image := append([]byte(nil), data...)
	image[len(journalMagic)+frameHeaderSize+1] ^= 0xFF // inside the first frame's payload
	if s, err := openImage(t, image); err == nil {
		_ = s.Close()
		t.Fatal("Open accepted a corrupt journal")
	} else if !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("error %q does not say corrupt", err)
	}
}

func TestForeignFileIsRefused(t *testing.T) {
	if s, err := openImage(t, []byte("this is not a journal at all")); err == nil {
		_ = s.Close()
		t.Fatal("Open accepted a foreign file")
	}
}
