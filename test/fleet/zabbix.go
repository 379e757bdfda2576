package fleet

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"
)

// zabbixHeader starts every message of the Zabbix protocol: "ZBXD" and the
// flags byte 0x01 (no compression, no large packet).
var zabbixHeader = []byte("ZBXD\x01")

// ZabbixGet asks the Zabbix agent at addr (host:port) for the value of
// key, as zabbix_get does: a passive check over the Zabbix protocol
// (header, 4-byte little-endian length, 4 reserved bytes, data).
func ZabbixGet(addr, key string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	var req bytes.Buffer
	req.Write(zabbixHeader)
	binary.Write(&req, binary.LittleEndian, uint32(len(key)))
	binary.Write(&req, binary.LittleEndian, uint32(0))
	req.WriteString(key)
	if _, err := conn.Write(req.Bytes()); err != nil {
		return "", fmt.Errorf("sending %q to %s: %w", key, addr, err)
	}
	resp, err := io.ReadAll(conn)
	if err != nil {
		return "", fmt.Errorf("reading the answer to %q from %s: %w", key, addr, err)
	}
	if len(resp) < 13 || !bytes.HasPrefix(resp, zabbixHeader) {
		return "", fmt.Errorf("%s answered %q with %q, not a Zabbix message", addr, key, resp)
	}
	n := binary.LittleEndian.Uint32(resp[5:9])
	data := resp[13:]
	if uint32(len(data)) != n {
		return "", fmt.Errorf("%s answered %q with %d bytes of data, header says %d", addr, key, len(data), n)
	}
	return string(data), nil
}
