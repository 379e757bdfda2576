package labenv

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/GehirnInc/crypt/sha512_crypt"
	"golang.org/x/crypto/ssh"
	"golang.org/x/sys/unix"
)

// BecomeUser is the non-root user of every lab host. It logs in with the
// lab key and may sudo to root with the lab's become password.
const BecomeUser = "lab"

// hostKeyTypes are the host keys each lab host gets (the machine's RSA key
// is hidden so that no two hosts share a key).
var hostKeyTypes = []string{"ed25519", "ecdsa"}

// sshdConfig is the drop-in that Debian's sshd_config includes. Host keys
// are named so that sshd loads no others. Ports are not set here but by
// sshdStart.
const sshdConfig = `# Written by gorun's labenv.
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
PermitRootLogin prohibit-password
`

// sshdStartPath is the host's script that starts its sshd: init.sh runs
// it with -D at boot, StartSSH without.
const sshdStartPath = "/etc/gorun-lab/sshd-start"

// portsPerSSHD is how many ports one sshd listens on: sshd takes at most
// 16 listening sockets (MAX_LISTEN_SOCKS), one per port with IPv4 only.
const portsPerSSHD = 16

// sshdStart is the host's sshd-start script. A host with one port runs
// Debian's sshd as it is configured (port 22); a host with extra ports
// runs one sshd per 16 ports, IPv4 only, each accepting as many
// connections at once as 16 ports' worth of default sshds.
func sshdStart(h *Host) []byte {
	var cmds []string
	ports := append([]int{h.Port}, h.ExtraPorts...)
	if len(ports) == 1 {
		cmds = []string{"/usr/sbin/sshd"}
	} else {
		for i := 0; i < len(ports); i += portsPerSSHD {
			group := ports[i:min(i+portsPerSSHD, len(ports))]
			cmd := fmt.Sprintf("/usr/sbin/sshd -o PidFile=/run/sshd-%d.pid -o AddressFamily=inet -o MaxStartups=%d:30:%d",
				i/portsPerSSHD+1, 10*len(group), 100*len(group))
			if i == 0 {
				cmd = strings.Replace(cmd, "sshd-1.pid", "sshd.pid", 1)
			}
			for _, p := range group {
				cmd += fmt.Sprintf(" -p %d", p)
			}
			cmds = append(cmds, cmd)
		}
	}
	var b strings.Builder
	b.WriteString("#!/bin/sh\n# Written by gorun's labenv: starts this lab host's sshd. With -D the\n# daemons stay in the foreground and log to stderr (init.sh runs it so).\n")
	b.WriteString("if [ \"$1\" = -D ]; then\n")
	for _, c := range cmds {
		b.WriteString("\t" + c + " -D -e &\n")
	}
	b.WriteString("\twait\nelse\n")
	for _, c := range cmds {
		b.WriteString("\t" + c + "\n")
	}
	b.WriteString("fi\n")
	return []byte(b.String())
}

// accounts holds the user database files of a lab's hosts: the machine's
// with the BecomeUser added. They are computed once per lab.
type accounts struct {
	passwd, shadow, group, gshadow []byte
	uid, gid                       int
}

// newAccounts adds BecomeUser, with password as its password, to copies of
// the machine's user database.
func newAccounts(password string) (*accounts, error) {
	read := func(name string) ([]string, error) {
		data, err := os.ReadFile(filepath.Join("/etc", name))
		if err != nil {
			return nil, fmt.Errorf("labenv: %w", err)
		}
		var lines []string
		for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			if !strings.HasPrefix(line, BecomeUser+":") {
				lines = append(lines, line)
			}
		}
		return lines, nil
	}
	files := map[string][]string{}
	for _, name := range []string{"passwd", "shadow", "group", "gshadow"} {
		lines, err := read(name)
		if err != nil {
			return nil, err
		}
		files[name] = lines
	}
	uid := freeID(files["passwd"])
	gid := freeID(files["group"])
	hash, err := sha512_crypt.New().Generate([]byte(password), nil)
	if err != nil {
		return nil, fmt.Errorf("labenv: hashing the become password: %w", err)
	}
	day := time.Now().Unix() / 86400
	add := map[string]string{
		"passwd":  fmt.Sprintf("%s:x:%d:%d::/home/%s:/bin/bash", BecomeUser, uid, gid, BecomeUser),
		"shadow":  fmt.Sprintf("%s:%s:%d:0:99999:7:::", BecomeUser, hash, day),
		"group":   fmt.Sprintf("%s:x:%d:", BecomeUser, gid),
		"gshadow": fmt.Sprintf("%s:!::", BecomeUser),
	}
	join := func(name string) []byte {
		return []byte(strings.Join(append(files[name], add[name]), "\n") + "\n")
	}
	return &accounts{passwd: join("passwd"), shadow: join("shadow"), group: join("group"), gshadow: join("gshadow"), uid: uid, gid: gid}, nil
}

// freeID is the first id from 1000 on that no line of an /etc/passwd or
// /etc/group style file uses.
func freeID(lines []string) int {
	used := map[int]bool{}
	for _, line := range lines {
		f := strings.Split(line, ":")
		if len(f) > 2 {
			if id, err := strconv.Atoi(f[2]); err == nil {
				used[id] = true
			}
		}
	}
	id := 1000
	for used[id] {
		id++
	}
	return id
}

// upper writes into a host's overlay upper directory, which the host sees
// on top of the machine's /.
type upper struct {
	dir string
	err error // the first error; later calls do nothing
}

// mkdir creates rel and its parents in the upper directory, each with the
// mode and owner the same directory has on the machine, so that the host
// sees the machine's permissions.
func (u *upper) mkdir(rel string) {
	if u.err != nil {
		return
	}
	path := "/"
	for _, part := range strings.Split(strings.Trim(rel, "/"), "/") {
		path = filepath.Join(path, part)
		target := filepath.Join(u.dir, path)
		if _, err := os.Lstat(target); err == nil {
			continue
		}
		mode, uid, gid := os.FileMode(0o755), 0, 0
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			st := fi.Sys().(*syscall.Stat_t)
			mode, uid, gid = fi.Mode().Perm()|fi.Mode()&os.ModeSticky, int(st.Uid), int(st.Gid)
		}
		u.dirAs(path, mode, uid, gid)
	}
}

// dirAs creates the directory rel with the given mode and owner.
func (u *upper) dirAs(rel string, mode os.FileMode, uid, gid int) {
	if u.err != nil {
		return
	}
	target := filepath.Join(u.dir, rel)
	if err := os.Mkdir(target, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		u.err = fmt.Errorf("labenv: %w", err)
		return
	}
	u.setOwner(target, mode, uid, gid)
}

// file writes the file rel with the given mode and owner.
func (u *upper) file(rel string, data []byte, mode os.FileMode, uid, gid int) {
	u.mkdir(filepath.Dir(rel))
	if u.err != nil {
		return
	}
	target := filepath.Join(u.dir, rel)
	if err := os.WriteFile(target, data, 0o600); err != nil {
		u.err = fmt.Errorf("labenv: %w", err)
		return
	}
	u.setOwner(target, mode, uid, gid)
}

func (u *upper) setOwner(target string, mode os.FileMode, uid, gid int) {
	if err := os.Chown(target, uid, gid); err != nil {
		u.err = fmt.Errorf("labenv: %w", err)
		return
	}
	if err := os.Chmod(target, mode); err != nil {
		u.err = fmt.Errorf("labenv: %w", err)
	}
}

// opaque hides what the machine has in the directory rel, as if the host
// had an empty one there.
func (u *upper) opaque(rel string) {
	if u.err != nil {
		return
	}
	if err := unix.Setxattr(filepath.Join(u.dir, rel), "trusted.overlay.opaque", []byte("y"), 0); err != nil {
		u.err = fmt.Errorf("labenv: marking %s opaque: %w", rel, err)
	}
}

// remove hides the machine's file rel from the host (an overlay whiteout).
func (u *upper) remove(rel string) {
	u.mkdir(filepath.Dir(rel))
	if u.err != nil {
		return
	}
	if err := unix.Mknod(filepath.Join(u.dir, rel), unix.S_IFCHR, 0); err != nil {
		u.err = fmt.Errorf("labenv: hiding %s: %w", rel, err)
	}
}

// home gives a user the fresh home directory of a new server account: the
// files of /etc/skel and the lab key in authorized_keys.
func (u *upper) home(rel string, uid, gid int, authorized []byte) {
	u.mkdir(filepath.Dir(rel))
	u.dirAs(rel, 0o700, uid, gid)
	u.opaque(rel)
	skel, err := os.ReadDir("/etc/skel")
	if err != nil && u.err == nil {
		u.err = fmt.Errorf("labenv: %w", err)
	}
	for _, e := range skel {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/etc/skel", e.Name()))
		if err != nil && u.err == nil {
			u.err = fmt.Errorf("labenv: %w", err)
		}
		u.file(filepath.Join(rel, e.Name()), data, 0o644, uid, gid)
	}
	u.dirAs(filepath.Join(rel, ".ssh"), 0o700, uid, gid)
	u.file(filepath.Join(rel, ".ssh/authorized_keys"), authorized, 0o600, uid, gid)
}

// prepareHost fills the upper directory of host h before it starts, and
// returns the host's public host keys.
func prepareHost(l *Lab, h *Host, acct *accounts, labKey keyPair) ([]ssh.PublicKey, error) {
	if err := os.MkdirAll(filepath.Dir(h.UpperDir), 0o700); err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	u := &upper{dir: h.UpperDir}
	u.dirAs("", 0o755, 0, 0)

	authorized := labKey.AuthorizedLine("gorun-lab")
	u.home("root", 0, 0, authorized)
	u.home(filepath.Join("home", BecomeUser), acct.uid, acct.gid, authorized)

	u.file("etc/hostname", []byte(h.Name+"\n"), 0o644, 0, 0)
	u.file("etc/hosts", hostsFile(l, h), 0o644, 0, 0)
	u.file("etc/passwd", acct.passwd, 0o644, 0, 0)
	u.file("etc/group", acct.group, 0o644, 0, 0)
	u.file("etc/shadow", acct.shadow, 0o640, 0, shadowGID())
	u.file("etc/gshadow", acct.gshadow, 0o640, 0, shadowGID())
	u.file("etc/sudoers.d/gorun-lab", []byte(BecomeUser+" ALL=(ALL:ALL) ALL\n"), 0o440, 0, 0)
	if fi, err := os.Lstat("/etc/resolv.conf"); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		// Usually a link into /run, which is a fresh tmpfs in the host.
		data, _ := os.ReadFile("/etc/resolv.conf")
		u.file("etc/resolv.conf", data, 0o644, 0, 0)
	}

	var pubs []ssh.PublicKey
	for _, kind := range hostKeyTypes {
		k, err := newKey(kind, "root@"+h.Name)
		if err != nil {
			return nil, err
		}
		name := "etc/ssh/ssh_host_" + kind + "_key"
		u.file(name, k.Private, 0o600, 0, 0)
		u.file(name+".pub", k.AuthorizedLine("root@"+h.Name), 0o644, 0, 0)
		pubs = append(pubs, k.Public)
	}
	for _, name := range []string{"etc/ssh/ssh_host_rsa_key", "etc/ssh/ssh_host_rsa_key.pub"} {
		if _, err := os.Lstat("/" + name); err == nil {
			u.remove(name)
		}
	}
	u.file("etc/ssh/sshd_config.d/gorun-lab.conf", []byte(sshdConfig), 0o644, 0, 0)
	u.file(strings.TrimPrefix(sshdStartPath, "/"), sshdStart(h), 0o755, 0, 0)

	// The labs' state (keys included) is no business of the hosts.
	u.mkdir(strings.TrimPrefix(StateRoot, "/"))
	u.opaque(strings.TrimPrefix(StateRoot, "/"))
	return pubs, u.err
}

// hostsFile is the host's /etc/hosts: its own name and those of the other
// hosts of the lab.
func hostsFile(l *Lab, self *Host) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n", self.Name)
	for _, h := range l.Hosts {
		fmt.Fprintf(&b, "%s\t%s\n", h.Addr, h.Name)
	}
	return b.Bytes()
}

// shadowGID is the gid of the group "shadow" that owns /etc/shadow.
func shadowGID() int {
	if fi, err := os.Stat("/etc/shadow"); err == nil {
		return int(fi.Sys().(*syscall.Stat_t).Gid)
	}
	return 0
}
