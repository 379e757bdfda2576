package libvirt

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
)

// The RPC protocol's packet layout (libvirt's virnetprotocol.x): a 4-byte
// length that counts itself, then a 24-byte header of six big-endian
// uint32s: program, version, procedure, type, serial, status.
const (
	packetLengthSize = 4
	packetHeaderSize = 24
	maxPacketSize    = 32 << 20 // libvirt's VIR_NET_MESSAGE_MAX plus slack

	packetReply        = 1 // type: the reply to a call
	packetStream       = 3 // type: stream data
	packetReplyWithFDs = 5 // type: a reply carrying file descriptors
	packetStreamHole   = 6 // type: a hole in a sparse stream

	statusOK       = 0
	statusError    = 1
	statusContinue = 2
)

// streamGuard sits between go-libvirt and the daemon's socket and puts the
// daemon's packets of a stream in the order go-libvirt expects.
//
// Why: libvirtd starts a download's stream as soon as it runs the call, so
// the first data packet can arrive before the call's reply (seen here with
// a 300 kB volume about once in 20 downloads). go-libvirt takes the first
// packet of the serial for the reply and the reply for the end of the
// stream, returns, and the next data packet finds nobody reading: its
// router blocks holding the lock the returning call needs to unregister the
// serial, and the client deadlocks, with every later call of the run. This
// hung TestKVMEndToEnd's backup and TestKVMBackupModule now and then. The
// guard holds a serial's stream packets back until its reply has passed,
// and drops what arrives for a stream go-libvirt has seen end (it would
// block the same way).
type streamGuard struct {
	net.Conn
	pending []byte              // forwarded bytes not yet read
	replied map[uint32]bool     // serials whose reply has passed
	held    map[uint32][][]byte // stream packets waiting for their reply
	ended   map[uint32]bool     // serials whose stream has ended
	newest  uint32              // the highest serial seen, for pruning
	err     error               // the underlying connection's read error
}

// keepSerials is how many recent serials the guard remembers replies of.
const keepSerials = 4096

func newStreamGuard(c net.Conn) *streamGuard {
	return &streamGuard{Conn: c, replied: map[uint32]bool{}, held: map[uint32][][]byte{}, ended: map[uint32]bool{}}
}

// Read hands go-libvirt the daemon's packets, whole and in order.
func (g *streamGuard) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		var pkt []byte
		pkt, g.err = g.readPacket()
		if pkt != nil {
			g.route(pkt)
		}
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// readPacket reads one whole packet.
func (g *streamGuard) readPacket() ([]byte, error) {
	var lenBuf [packetLengthSize]byte
	if _, err := io.ReadFull(g.Conn, lenBuf[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(lenBuf[:])
	if size < packetLengthSize+packetHeaderSize || size > maxPacketSize {
		return nil, fmt.Errorf("libvirt: malformed RPC packet of %d bytes from the daemon", size)
	}
	pkt := make([]byte, size)
	copy(pkt, lenBuf[:])
	if _, err := io.ReadFull(g.Conn, pkt[packetLengthSize:]); err != nil {
		return nil, err
	}
	return pkt, nil
}

// route forwards, holds or drops one packet.
func (g *streamGuard) route(pkt []byte) {
	header := pkt[packetLengthSize:]
	typ := binary.BigEndian.Uint32(header[12:])
	serial := binary.BigEndian.Uint32(header[16:])
	status := binary.BigEndian.Uint32(header[20:])
	if serial > g.newest {
		g.newest = serial
	}
	switch {
	case typ == packetReply || typ == packetReplyWithFDs:
		g.pending = append(g.pending, pkt...)
		g.replied[serial] = true
		held := g.held[serial]
		delete(g.held, serial)
		if status == statusError {
			// The call failed: go-libvirt returns at the reply and reads
			// nothing more for the serial.
			g.ended[serial] = true
			return
		}
		for _, h := range held {
			g.stream(h)
		}
		g.prune()
	case typ == packetStream || typ == packetStreamHole:
		if !g.replied[serial] {
			g.held[serial] = append(g.held[serial], pkt)
			return
		}
		g.stream(pkt)
	default:
		g.pending = append(g.pending, pkt...)
	}
}

// stream forwards a stream packet whose reply has passed, unless its stream
// has ended, and notes the stream's end.
func (g *streamGuard) stream(pkt []byte) {
	header := pkt[packetLengthSize:]
	serial := binary.BigEndian.Uint32(header[16:])
	status := binary.BigEndian.Uint32(header[20:])
	if g.ended[serial] {
		return
	}
	g.pending = append(g.pending, pkt...)
	empty := len(pkt) == packetLengthSize+packetHeaderSize
	if status == statusOK || status == statusError || (status == statusContinue && empty) {
		g.ended[serial] = true
	}
}

// prune forgets serials long past, so that a long run's maps stay small.
func (g *streamGuard) prune() {
	if len(g.replied)+len(g.ended) < 2*keepSerials {
		return
	}
	for _, m := range []map[uint32]bool{g.replied, g.ended} {
		for s := range m {
			if g.newest-s > keepSerials {
				delete(m, s)
			}
		}
	}
}
