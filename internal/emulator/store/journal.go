package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const (
	journalName = "journal"
	tempName    = "journal.tmp"
	// snapshotFrameBytes caps one snapshot frame so compaction never builds a
	// single huge buffer.
	snapshotFrameBytes = 1 << 20
)

// replay reads a journal image and returns its committed transactions in
// order. A damaged frame at the tail is an append that a crash interrupted
// (its transaction was never acknowledged) and is dropped. A damaged frame
// followed by a good one is real corruption: acknowledged transactions would be
// lost, so replay refuses instead of guessing.
func replay(data []byte) ([][]write, error) {
	if len(data) < len(journalMagic) {
		if strings.HasPrefix(journalMagic, string(data)) {
			return nil, nil // torn while being created: nothing was ever committed
		}
		return nil, errors.New("not an emulator journal (bad header)")
	}
	if string(data[:len(journalMagic)]) != journalMagic {
		return nil, errors.New("not an emulator journal (bad header)")
	}
	var txs [][]write
	for off := len(journalMagic); off < len(data); {
		payload, size, err := parseFrame(data[off:])
		if err != nil {
			if followedByGoodFrame(data[off:]) {
				return nil, fmt.Errorf("journal corrupt at offset %d: %v", off, err)
			}
			return txs, nil // torn tail
		}
		writes, err := decodePayload(payload)
		if err != nil {
			return nil, fmt.Errorf("journal corrupt at offset %d: %v", off, err)
		}
		txs = append(txs, writes)
		off += size
	}
	return txs, nil
}

// followedByGoodFrame reports whether the damaged frame at the start of buf
// declares a length after which another intact frame starts.
func followedByGoodFrame(buf []byte) bool {
	if len(buf) < frameHeaderSize {
		return false
	}
	n := int(binary.LittleEndian.Uint32(buf[0:4]))
	next := frameHeaderSize + n
	if n <= 0 || n > maxFramePayload || next >= len(buf) {
		return false
	}
	_, _, err := parseFrame(buf[next:])
	return err == nil
}

// writeSnapshot replaces the journal with one holding exactly the given state:
// written to a temporary file, fsync'd, renamed over the journal, and the
// directory fsync'd so the rename itself survives a crash. Until the rename the
// old journal is untouched, so a crash during compaction loses nothing.
func writeSnapshot(dir string, entries []Entry) error {
	tmp := filepath.Join(dir, tempName)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }() // no-op once renamed
	bw := bufio.NewWriter(f)
	werr := writeSnapshotFrames(bw, entries)
	if werr == nil {
		werr = bw.Flush()
	}
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return werr
	}
	if err := os.Rename(tmp, filepath.Join(dir, journalName)); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeSnapshotFrames(w *bufio.Writer, entries []Entry) error {
	if _, err := w.WriteString(journalMagic); err != nil {
		return err
	}
	var batch []write
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := w.Write(encodeFrame(batch))
		batch, size = batch[:0], 0
		return err
	}
	for _, e := range entries {
		batch = append(batch, write{key: e.Key, value: e.Value})
		size += len(e.Key) + len(e.Value)
		if size >= snapshotFrameBytes {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	serr := d.Sync()
	cerr := d.Close()
	if serr != nil {
		return serr
	}
	return cerr
}
