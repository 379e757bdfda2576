package libvirt

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"gorun/engine/libvirt/libvirttest"
)

// packet builds an RPC packet as libvirtd sends it.
func packet(typ, serial, status uint32, payload string) []byte {
	p := make([]byte, packetLengthSize+packetHeaderSize+len(payload))
	binary.BigEndian.PutUint32(p[0:], uint32(len(p)))
	for i, v := range []uint32{0x20008086, 1, 209, typ, serial, status} {
		binary.BigEndian.PutUint32(p[packetLengthSize+4*i:], v)
	}
	copy(p[packetLengthSize+packetHeaderSize:], payload)
	return p
}

// TestStreamGuardDropsPacketsAfterTheEnd feeds the guard what libvirtd
// sends for a volume download that go-libvirt ends at the empty data
// packet: the call's reply, data, the end, then the late "unexpected
// termination" error, then the reply of the next call. Everything but the
// late error comes through, unchanged and in order.
func TestStreamGuardDropsPacketsAfterTheEnd(t *testing.T) {
	const reply = 1
	daemon, client := net.Pipe()
	sent := [][]byte{
		packet(reply, 5, statusOK, ""),
		packet(packetStream, 5, statusContinue, "first chunk"),
		packet(packetStream, 5, statusContinue, "second chunk"),
		packet(packetStream, 5, statusContinue, ""),                               // end of the stream
		packet(packetStream, 5, statusError, "stream had unexpected termination"), // late
		packet(reply, 6, statusOK, ""),
		packet(packetStream, 6, statusContinue, "another stream"),
		packet(packetStream, 6, statusOK, ""),                  // an upload's confirmation
		packet(packetStream, 6, statusError, "late once more"), // late
		packet(reply, 7, statusOK, "next call"),
	}
	go func() {
		for _, p := range sent {
			daemon.Write(p)
		}
		daemon.Close()
	}()
	got, err := io.ReadAll(newStreamGuard(client))
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	var want []byte
	for i, p := range sent {
		if i != 4 && i != 8 {
			want = append(want, p...)
		}
	}
	if string(got) != string(want) {
		t.Errorf("the guard passed on %d bytes, want %d:\n got %q\nwant %q", len(got), len(want), got, want)
	}
}

// TestStreamGuardRejectsMalformedLength refuses a length that cannot be a
// packet instead of reading garbage as one.
func TestStreamGuardRejectsMalformedLength(t *testing.T) {
	daemon, client := net.Pipe()
	go func() { daemon.Write([]byte{0, 0, 0, 3}); daemon.Close() }()
	if _, err := io.ReadAll(newStreamGuard(client)); err == nil {
		t.Error("a 3-byte packet was accepted")
	}
}

// TestStreamGuardHoldsDataUntilTheReply feeds the guard a download whose
// first data packet comes before the call's reply, as libvirtd sends it
// now and then: the reply comes through first, then the data in order.
func TestStreamGuardHoldsDataUntilTheReply(t *testing.T) {
	const reply = 1
	daemon, client := net.Pipe()
	sent := [][]byte{
		packet(packetStream, 9, statusContinue, "early chunk"),
		packet(reply, 8, statusOK, "another call's reply"),
		packet(reply, 9, statusOK, ""),
		packet(packetStream, 9, statusContinue, "second chunk"),
		packet(packetStream, 9, statusContinue, ""),
		packet(packetStream, 10, statusContinue, "held for a failed call"),
		packet(reply, 10, statusError, "no such volume"),
		packet(packetStream, 10, statusContinue, "after the failed call"),
	}
	go func() {
		for _, p := range sent {
			daemon.Write(p)
		}
		daemon.Close()
	}()
	got, err := io.ReadAll(newStreamGuard(client))
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	var want []byte
	for _, i := range []int{1, 2, 0, 3, 4, 6} {
		want = append(want, sent[i]...)
	}
	if string(got) != string(want) {
		t.Errorf("the guard passed on:\n got %q\nwant %q", got, want)
	}
}

// TestVolumeDownloadsDoNotDeadlock downloads a small volume from this
// machine's libvirtd 300 times through a client of Open. Without the
// guard, one of the first few dozen downloads met its data before its
// reply and the client hung for good.
func TestVolumeDownloadsDoNotDeadlock(t *testing.T) {
	libvirttest.Ensure(t)
	cl, err := Open(context.Background(), localConn(t), "localhost", "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	name := libvirttest.Name("guard")
	pool, err := cl.StoragePoolCreateXML("<pool type='dir'><name>"+name+"</name><target><path>"+dir+"</path></target></pool>", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A deadlocked client would hang here too: give up after a while.
		done := make(chan error, 1)
		go func() { done <- cl.StoragePoolDestroy(pool) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Logf("pool %s left behind: virsh pool-destroy %s", name, name)
		}
	})
	vol, err := cl.StorageVolCreateXML(pool, "<volume><name>v</name><capacity>300000</capacity><target><format type='raw'/></target></volume>", 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		var got countWriter
		done := make(chan error, 1)
		go func() { done <- cl.StorageVolDownload(vol, &got, 0, 0, 0) }()
		select {
		case err := <-done:
			if err != nil || got != 300000 {
				t.Fatalf("download %d: %d bytes, %v", i, got, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("download %d has not ended after a minute: the client is deadlocked", i)
		}
	}
}

// countWriter counts what is written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
