// Package store is the emulator's single source of state: an in-memory index
// (keys are lower-cased ARM ids, so lookups are case-insensitive like ARM)
// backed by an append-only journal on disk.
//
// Durability contract: Update returns only after its transaction is written
// and fsync'd, so a caller that answers HTTP after Update returns never
// acknowledges a write a crash can lose. A transaction is one checksummed
// journal frame, so it is applied entirely or not at all. Open replays the
// journal, drops a torn trailing frame (an append the crash interrupted) and
// compacts the result into a fresh journal.
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrClosed is returned by Update after Close.
var ErrClosed = errors.New("store: closed")

// Reader is what both the store and a transaction offer for reading, so
// helpers that only read work inside and outside transactions alike.
type Reader interface {
	// Get returns the value stored under key (matched case-insensitively).
	// The returned slice must not be modified.
	Get(key string) ([]byte, bool)
	// List returns the entries whose key starts with prefix (matched
	// case-insensitively), sorted by key. Values must not be modified.
	List(prefix string) []Entry
}

// Store is a durable, transactional key-value store. It is safe for
// concurrent use; transactions are serialised.
type Store struct {
	dir  string
	lock *os.File

	wmu    sync.Mutex // held by the one running transaction, from fn to commit
	f      *os.File   // the journal, opened for appending
	size   int64      // length of the journal's valid content
	failed error      // set once the journal can no longer be appended to safely
	closed bool

	mu sync.RWMutex // guards ix
	ix *index
}

var _ Reader = (*Store)(nil)

// Key normalises an ARM id (or any key) the way the store compares keys.
func Key(id string) string { return strings.ToLower(id) }

// Open loads the store in dir, creating dir and an empty journal if needed.
// Only one process may have a directory open at a time.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s, err := load(dir)
	if err != nil {
		_ = lock.Close()
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	s.lock = lock
	return s, nil
}

func load(dir string) (*Store, error) {
	_ = os.Remove(filepath.Join(dir, tempName)) // an interrupted compaction
	path := filepath.Join(dir, journalName)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	txs, err := replay(data)
	if err != nil {
		return nil, err
	}
	ix := newIndex()
	for _, writes := range txs {
		ix.apply(writes)
	}
	// Compact on every open: the new journal holds only live state and never
	// a torn tail, so appends always start after a valid frame.
	if err := writeSnapshot(dir, ix.list("")); err != nil {
		return nil, fmt.Errorf("compact: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &Store{dir: dir, f: f, size: st.Size(), ix: ix}, nil
}

// Get implements Reader.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.get(Key(key))
}

// List implements Reader.
func (s *Store) List(prefix string) []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.list(Key(prefix))
}

// Update runs fn in a transaction. If fn returns an error nothing is written
// and the error is returned. Otherwise the transaction's writes are appended to
// the journal and fsync'd, then made visible, then the transaction's OnCommit
// callbacks run; only then does Update return nil.
func (s *Store) Update(fn func(tx *Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("store: journal unusable after an earlier failure: %w", s.failed)
	}
	tx := &Tx{s: s, pos: make(map[string]int)}
	if err := fn(tx); err != nil {
		return err
	}
	if len(tx.writes) > 0 {
		if err := s.append(encodeFrame(tx.writes)); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		s.mu.Lock()
		s.ix.apply(tx.writes)
		s.mu.Unlock()
	}
	for _, f := range tx.onCommit {
		f()
	}
	return nil
}

// append writes one frame and fsyncs it. A failed write is cut off again so
// the next append still follows a valid frame; a failed fsync leaves the file's
// content unknowable (the kernel may have dropped the dirty pages), so the
// store refuses further writes rather than risk acknowledging lost data.
func (s *Store) append(frame []byte) error {
	if _, err := s.f.Write(frame); err != nil {
		if terr := s.f.Truncate(s.size); terr != nil {
			s.failed = terr
		}
		return err
	}
	if err := s.f.Sync(); err != nil {
		s.failed = err
		return err
	}
	s.size += int64(len(frame))
	return nil
}

// Close releases the journal and the directory lock. Transactions after Close
// fail with ErrClosed.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	if lerr := s.lock.Close(); err == nil {
		err = lerr
	}
	return err
}
