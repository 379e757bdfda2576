package fleet

import (
	"context"
	"fmt"
	"net"
	"time"

	"gorun/test/labenv"
)

// Resolver returns a resolver that asks only the DNS server at addr
// (host:port), over UDP as a client would.
func Resolver(addr string) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
}

// LookupTimeout bounds one DNS query of the tests.
const LookupTimeout = 5 * time.Second

// LabRun runs a shell command as root on a lab host over SSH and returns
// its combined output; a non-zero exit is an error carrying the output.
func LabRun(lab *labenv.Lab, host, cmd string) (string, error) {
	client, err := lab.Dial(host, "root")
	if err != nil {
		return "", err
	}
	defer client.Close()
	session, err := client.NewSession()
	if err != nil {
		return "", err
	}
	defer session.Close()
	out, err := session.CombinedOutput(cmd)
	if err != nil {
		return string(out), fmt.Errorf("%s on %s: %w: %s", cmd, host, err, out)
	}
	return string(out), nil
}
