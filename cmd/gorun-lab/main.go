// Command gorun-lab brings gorun's test lab up and down: throw-away hosts
// with real sshd in network namespaces of this machine (see package
// gorun/test/labenv). It must run as root.
//
//	gorun-lab up N [-name NAME] [-ports K]  start N hosts (sshd on K ports each)
//	gorun-lab down [-name NAME]       take the lab down (also a stale one)
//	gorun-lab inventory [-name NAME] [-format ini|yaml]
//	gorun-lab status                  list the labs and their hosts
//	gorun-lab exec [-name NAME] HOST CMD...
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"gorun/test/labenv"
)

const usage = `usage:
  gorun-lab up N [-name NAME] [-ports K]
  gorun-lab down [-name NAME]
  gorun-lab inventory [-name NAME] [-format ini|yaml]
  gorun-lab status
  gorun-lab exec [-name NAME] HOST CMD...
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	verb, args := os.Args[1], os.Args[2:]
	var err error
	switch verb {
	case "up":
		err = up(args)
	case "down":
		err = down(args)
	case "inventory":
		err = inventory(args)
	case "status":
		err = status(args)
	case "exec":
		err = execCmd(args)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown verb %q\n%s", verb, usage)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gorun-lab:", err)
		os.Exit(1)
	}
}

// parse parses flags that may come before, between or after the
// positional arguments, up to stopAfter positional ones (-1: no limit);
// what follows those is returned untouched.
func parse(fs *flag.FlagSet, args []string, stopAfter int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
		if len(pos) == stopAfter {
			return append(pos, args...), nil
		}
	}
}

func up(args []string) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	name := fs.String("name", labenv.DefaultName, "lab name")
	ports := fs.Int("ports", 1, "sshd ports per host, each a target of the inventory")
	pos, err := parse(fs, args, -1)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("up takes the number of hosts\n%s", usage)
	}
	n, err := strconv.Atoi(pos[0])
	if err != nil {
		return fmt.Errorf("up: %q is not a number of hosts", pos[0])
	}
	start := time.Now()
	l, err := labenv.Up(*name, n, labenv.Options{PortsPerHost: *ports})
	if err != nil {
		return err
	}
	fmt.Printf("lab %s up: %d hosts on %s in %s\n", l.Name, len(l.Hosts), l.Subnet, time.Since(start).Round(time.Millisecond))
	printLab(l)
	return nil
}

func printLab(l *labenv.Lab) {
	fmt.Printf("  key:         %s\n  known_hosts: %s\n  become:      %s / %s\n", l.KeyFile, l.KnownHostsFile, l.BecomeUser, l.BecomePassword)
	for _, h := range l.Hosts {
		fmt.Printf("  %-6s %s:%d  netns %s  pid %d", h.Name, h.Addr, h.Port, h.Netns, h.PID)
		if n := len(h.ExtraPorts); n > 0 {
			fmt.Printf("  and ports %d-%d", h.ExtraPorts[0], h.ExtraPorts[n-1])
		}
		fmt.Println()
	}
}

func down(args []string) error {
	fs := flag.NewFlagSet("down", flag.ContinueOnError)
	name := fs.String("name", labenv.DefaultName, "lab name")
	if pos, err := parse(fs, args, -1); err != nil {
		return err
	} else if len(pos) != 0 {
		return fmt.Errorf("down takes no arguments\n%s", usage)
	}
	return labenv.Down(*name)
}

func inventory(args []string) error {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	name := fs.String("name", labenv.DefaultName, "lab name")
	format := fs.String("format", "ini", "ini or yaml")
	if pos, err := parse(fs, args, -1); err != nil {
		return err
	} else if len(pos) != 0 {
		return fmt.Errorf("inventory takes no arguments\n%s", usage)
	}
	l, err := labenv.Load(*name)
	if err != nil {
		return err
	}
	text, err := l.Inventory(*format, "root")
	if err != nil {
		return err
	}
	fmt.Print(text)
	return nil
}

func status(args []string) error {
	if len(args) != 0 {
		return fmt.Errorf("status takes no arguments\n%s", usage)
	}
	names, err := labenv.Names()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		fmt.Println("no lab is up")
	}
	for _, name := range names {
		l, err := labenv.Load(name)
		if err != nil {
			fmt.Printf("lab %s: stale or starting (%v)\n", name, err)
			continue
		}
		fmt.Printf("lab %s: %d hosts on %s, bridge %s\n", l.Name, len(l.Hosts), l.Subnet, l.Bridge)
		for _, h := range l.Hosts {
			state := "sshd up"
			c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Addr, strconv.Itoa(h.Port)), time.Second)
			if err != nil {
				state = "sshd DOWN: " + err.Error()
			} else {
				c.Close()
			}
			fmt.Printf("  %-6s %s:%d  pid %d  %s\n", h.Name, h.Addr, h.Port, h.PID, state)
		}
	}
	return nil
}

func execCmd(args []string) error {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	name := fs.String("name", labenv.DefaultName, "lab name")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("exec takes a host and a command\n%s", usage)
	}
	l, err := labenv.Load(*name)
	if err != nil {
		return err
	}
	cmd, err := l.Command(pos[0], pos[1:]...)
	if err != nil {
		return err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(interface{ ExitCode() int }); ok && ee.ExitCode() > 0 {
			os.Exit(ee.ExitCode())
		}
		return err
	}
	return nil
}
