package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The journal is a magic header followed by frames. A frame is one committed
// transaction:
//
//	uint32 little-endian  payload length (> 0)
//	uint32 little-endian  CRC-32C of the payload
//	payload               uvarint write count, then per write:
//	                      1 byte op (put / delete), uvarint key length, key,
//	                      and for a put: uvarint value length, value
//
// A transaction is one frame, so it is either entirely in the file with a
// matching checksum or it is not there: a crash half-way through an append can
// only leave a frame that is short or fails its checksum, and replay drops it.
const (
	journalMagic    = "AZDRJNL1"
	frameHeaderSize = 8
	// maxFramePayload bounds what a length field may claim, so a garbage
	// length in a torn header is recognised instead of trusted.
	maxFramePayload = 256 << 20

	opPut    byte = 1
	opDelete byte = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// write is one change inside a transaction.
type write struct {
	key    string
	value  []byte
	delete bool
}

// encodeFrame serialises one transaction as a complete frame.
func encodeFrame(writes []write) []byte {
	payload := binary.AppendUvarint(nil, uint64(len(writes)))
	for _, w := range writes {
		op := opPut
		if w.delete {
			op = opDelete
		}
		payload = append(payload, op)
		payload = binary.AppendUvarint(payload, uint64(len(w.key)))
		payload = append(payload, w.key...)
		if !w.delete {
			payload = binary.AppendUvarint(payload, uint64(len(w.value)))
			payload = append(payload, w.value...)
		}
	}
	frame := make([]byte, frameHeaderSize, frameHeaderSize+len(payload))
	binary.LittleEndian.PutUint32(frame[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(frame[4:8], crc32.Checksum(payload, castagnoli))
	return append(frame, payload...)
}

var (
	// errFrameTruncated: the buffer ends before the frame does.
	errFrameTruncated = errors.New("frame extends past the end of the journal")
	// errFrameInvalid: the frame is complete but its length or checksum is wrong.
	errFrameInvalid = errors.New("frame length or checksum is invalid")
)

// parseFrame reads the frame at the start of buf and returns its payload and
// total size.
func parseFrame(buf []byte) (payload []byte, size int, err error) {
	if len(buf) < frameHeaderSize {
		return nil, 0, errFrameTruncated
	}
	n := binary.LittleEndian.Uint32(buf[0:4])
	if n == 0 || n > maxFramePayload {
		return nil, 0, errFrameInvalid
	}
	size = frameHeaderSize + int(n)
	if len(buf) < size {
		return nil, 0, errFrameTruncated
	}
	payload = buf[frameHeaderSize:size]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(buf[4:8]) {
		return nil, 0, errFrameInvalid
	}
	return payload, size, nil
}

// decodePayload turns a checksummed payload back into its writes.
func decodePayload(p []byte) ([]write, error) {
	r := payloadReader{buf: p}
	count := r.uvarint()
	var writes []write
	for i := uint64(0); i < count && r.err == nil; i++ {
		op := r.byte()
		w := write{key: string(r.bytes())}
		switch op {
		case opPut:
			w.value = r.bytes()
		case opDelete:
			w.delete = true
		default:
			r.fail(fmt.Errorf("unknown op %d", op))
		}
		writes = append(writes, w)
	}
	if r.err == nil && len(r.buf) != 0 {
		r.fail(fmt.Errorf("%d trailing bytes", len(r.buf)))
	}
	return writes, r.err
}

// payloadReader consumes a payload, remembering the first error so the decode
// loop stays readable.
type payloadReader struct {
	buf []byte
	err error
}

func (r *payloadReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.buf = nil
}

func (r *payloadReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail(errors.New("bad varint"))
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *payloadReader) byte() byte {
	if len(r.buf) < 1 {
		r.fail(errors.New("payload too short"))
		return 0
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	return b
}

func (r *payloadReader) bytes() []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if uint64(len(r.buf)) < n {
		r.fail(errors.New("payload too short"))
		return nil
	}
	b := make([]byte, n)
	copy(b, r.buf[:n])
	r.buf = r.buf[n:]
	return b
}
