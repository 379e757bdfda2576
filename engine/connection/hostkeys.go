package connection

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsWrite serialises appending new host keys, since hosts are
// connected to in parallel and often share one known_hosts file.
var knownHostsWrite sync.Mutex

// hostKeyChecker checks a server's host key against the known_hosts files of
// one host's settings, as OpenSSH does.
type hostKeyChecker struct {
	s        *settings
	files    []string // the known_hosts files that exist
	callback ssh.HostKeyCallback
}

func newHostKeyChecker(s *settings) (*hostKeyChecker, error) {
	h := &hostKeyChecker{s: s}
	for _, f := range s.knownHostsFiles {
		if f == "/dev/null" {
			continue
		}
		if _, err := os.Stat(f); err == nil {
			h.files = append(h.files, f)
		}
	}
	if len(h.files) > 0 {
		cb, err := parsedKnownHosts(h.files)
		if err != nil {
			return nil, fmt.Errorf("reading known_hosts: %v", err)
		}
		h.callback = cb
	}
	return h, nil
}

// knownHostsParsed keeps the parsed known_hosts files, shared by every
// connection that reads the same files while they stay unchanged: hosts of
// one inventory share a known_hosts file with a line per host, and parsing
// it once per connection made memory and time grow with the square of the
// number of hosts.
var knownHostsParsed struct {
	sync.Mutex
	byFiles map[string]parsedHosts
}

type parsedHosts struct {
	stamp    string // size and modification time of each file
	callback ssh.HostKeyCallback
}

// parsedKnownHosts returns the (read-only, so shareable) callback for the
// files, parsing them again only when one has changed since.
func parsedKnownHosts(files []string) (ssh.HostKeyCallback, error) {
	key := strings.Join(files, "\x00")
	var stamp strings.Builder
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&stamp, "%d:%d;", st.Size(), st.ModTime().UnixNano())
	}
	knownHostsParsed.Lock()
	defer knownHostsParsed.Unlock()
	if p, ok := knownHostsParsed.byFiles[key]; ok && p.stamp == stamp.String() {
		return p.callback, nil
	}
	cb, err := knownhosts.New(files...)
	if err != nil {
		return nil, err
	}
	if knownHostsParsed.byFiles == nil {
		knownHostsParsed.byFiles = map[string]parsedHosts{}
	}
	knownHostsParsed.byFiles[key] = parsedHosts{stamp.String(), cb}
	return cb, nil
}

// lookupName is the name the host's keys are filed under: HostKeyAlias, or
// the host name, in the [host]:port form for ports other than 22.
func (h *hostKeyChecker) lookupName() string {
	name := h.s.hostName
	if h.s.hostKeyAlias != "" {
		name = h.s.hostKeyAlias
	}
	return net.JoinHostPort(name, strconv.Itoa(h.s.port))
}

// knownKeys returns the keys on file for the host, found by asking the
// callback about a key nobody has: its KeyError lists every key it knows.
func (h *hostKeyChecker) knownKeys() []knownhosts.KnownKey {
	if h.callback == nil {
		return nil
	}
	err := h.callback(h.lookupName(), dummyAddr, probeKey{})
	var keyErr *knownhosts.KeyError
	if errors.As(err, &keyErr) {
		return keyErr.Want
	}
	return nil
}

// algorithms returns the host key algorithms to offer: those of the keys on
// file, so that a server holding several keys shows the one we know rather
// than one we would mistake for a changed key. Nil means the defaults.
func (h *hostKeyChecker) algorithms() []string {
	seen := map[string]bool{}
	var algos []string
	for _, k := range h.knownKeys() {
		for _, a := range algorithmsForKeyType(k.Key.Type()) {
			if !seen[a] {
				seen[a] = true
				algos = append(algos, a)
			}
		}
	}
	return algos
}

func algorithmsForKeyType(t string) []string {
	switch t {
	case ssh.KeyAlgoRSA:
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	case ssh.CertAlgoRSAv01:
		return []string{ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01, ssh.CertAlgoRSAv01}
	}
	return []string{t}
}

// check is the ssh.HostKeyCallback.
func (h *hostKeyChecker) check(_ string, _ net.Addr, key ssh.PublicKey) error {
	name := h.lookupName()
	var err error
	if h.callback == nil {
		err = &knownhosts.KeyError{}
	} else {
		err = h.callback(name, dummyAddr, key)
	}
	var keyErr *knownhosts.KeyError
	var revoked *knownhosts.RevokedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &revoked):
		return fmt.Errorf("host key %s %s for %s is marked as revoked in %s line %d",
			key.Type(), ssh.FingerprintSHA256(key), name, revoked.Revoked.Filename, revoked.Revoked.Line)
	case errors.As(err, &keyErr) && len(keyErr.Want) > 0:
		// A changed key is refused whatever StrictHostKeyChecking says: it is
		// what a man in the middle looks like.
		want := keyErr.Want[0]
		return fmt.Errorf("REMOTE HOST IDENTIFICATION HAS CHANGED: the host key of %s is now %s %s, "+
			"but %s line %d has %s %s; if the change is expected, remove that line (ssh-keygen -R %s)",
			name, key.Type(), ssh.FingerprintSHA256(key), want.Filename, want.Line,
			want.Key.Type(), ssh.FingerprintSHA256(want.Key), knownHostsName(name))
	case errors.As(err, &keyErr):
		if h.s.strictHostKeyChecking == "yes" {
			return fmt.Errorf("Host key verification failed: no host key for %s is known "+
				"(server offered %s %s; looked in %s). Add it to known_hosts, or set "+
				"host_key_checking = False", name, key.Type(), ssh.FingerprintSHA256(key),
				strings.Join(h.s.knownHostsFiles, ", "))
		}
		return h.remember(name, key)
	default:
		return err
	}
}

// remember appends a newly accepted key to the first user known_hosts file,
// as OpenSSH does with StrictHostKeyChecking=no or accept-new.
func (h *hostKeyChecker) remember(name string, key ssh.PublicKey) error {
	if len(h.s.knownHostsFiles) == 0 || h.s.knownHostsFiles[0] == "/dev/null" {
		return nil
	}
	file := h.s.knownHostsFiles[0]
	entry := knownHostsName(name)
	if h.s.hashKnownHosts {
		entry = knownhosts.HashHostname(entry)
	}
	knownHostsWrite.Lock()
	defer knownHostsWrite.Unlock()
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil
	}
	defer f.Close()
	// Like OpenSSH, carry on even when the key cannot be recorded.
	f.Write(append([]byte(entry+" "), ssh.MarshalAuthorizedKey(key)...))
	return nil
}

// knownHostsName is how OpenSSH writes host:port in known_hosts: the bare
// host for port 22, [host]:port otherwise.
func knownHostsName(hostport string) string {
	return knownhosts.Normalize(hostport)
}

// dummyAddr is passed as the remote address: gorun always checks by name.
var dummyAddr = &net.TCPAddr{IP: net.IPv4zero}

// probeKey is a public key of a type no real key has.
type probeKey struct{}

func (probeKey) Type() string                        { return "gorun-probe" }
func (probeKey) Marshal() []byte                     { return []byte("gorun-probe") }
func (probeKey) Verify([]byte, *ssh.Signature) error { return errors.New("probe key") }
