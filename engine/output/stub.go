package output

import (
	"fmt"
	"io"
)

type DefaultOptions struct {
	Verbosity int
}

type tmpCB struct{ w io.Writer }

func (c tmpCB) PlaybookStart(file string)                             {}
func (c tmpCB) PlayStart(p *Play)                                     { fmt.Fprintf(c.w, "\nPLAY [%s]\n", p.Name) }
func (c tmpCB) TaskStart(t *Task)                                     { fmt.Fprintf(c.w, "\nTASK [%s]\n", t.Name) }
func (c tmpCB) HostResult(r *Result)                                  { fmt.Fprintf(c.w, "%d: [%s] => %s\n", r.Status, r.Host, Dumps(r.Result, 0, true)) }
func (c tmpCB) ItemResult(r *Result)                                  { fmt.Fprintf(c.w, "  item %d: [%s] => %s\n", r.Status, r.Host, Dumps(r.Result, 0, true)) }
func (c tmpCB) Retry(r *Result)                                       { fmt.Fprintf(c.w, "RETRY [%s]\n", r.Host) }
func (c tmpCB) Included(file string, hosts []string, item any, b bool) { fmt.Fprintf(c.w, "included: %s for %v\n", file, hosts) }
func (c tmpCB) NoHostsMatched()                                       { fmt.Fprintln(c.w, "skipping: no hosts matched") }
func (c tmpCB) NoHostsRemaining()                                     {}
func (c tmpCB) Notified(h, host string)                               {}
func (c tmpCB) Warning(msg string)                                    { fmt.Fprintf(c.w, "[WARNING]: %s\n", msg) }
func (c tmpCB) Deprecation(msg string)                                {}
func (c tmpCB) Stats(s *Stats) {
	fmt.Fprintln(c.w, "\nPLAY RECAP")
	for h, st := range s.Hosts {
		fmt.Fprintf(c.w, "%s : %+v\n", h, *st)
	}
}

func NewDefault(stdout, stderr io.Writer, opts DefaultOptions) Callback { return tmpCB{stdout} }
func ByName(name string, stdout, stderr io.Writer, opts DefaultOptions) (Callback, error) {
	return tmpCB{stdout}, nil
}
