package control

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/prompt"
)

func init() { module.Register(pause{}) }

type pause struct{}

func (pause) Doc() *module.Doc {
	return &module.Doc{
		Name:  "pause",
		Names: []string{"ansible.builtin.pause"},
		Short: "Pause playbook execution",
		Description: []string{"Pauses playbook execution for a set amount of time, or until a prompt is acknowledged.",
			"On a terminal it waits for Enter (or the time), Ctrl+C then C continues early and Ctrl+C then A aborts; without a terminal a prompt without a time is skipped, as Ansible does."},
		Options: []module.Option{
			{Name: "minutes", Type: "str", Description: "A positive number of minutes to pause for."},
			{Name: "seconds", Type: "str", Description: "A positive number of seconds to pause for."},
			{Name: "prompt", Type: "str", Description: "Optional text to use for the prompt message."},
			{Name: "echo", Type: "bool", Default: true, Description: "Controls whether or not keyboard input is shown when typing."},
		},
		MutuallyExclusive: [][]string{{"minutes", "seconds"}},
		Check:             module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Pause for 5 minutes to build app cache
  ansible.builtin.pause:
    minutes: 5`,
	}
}

func (pause) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	var secs float64
	if s := c.Args.String("seconds"); s != "" {
		if _, err := fmt.Sscan(s, &secs); err != nil {
			return module.Failed("non-integer value given for prompt duration:\n" + s), nil
		}
	}
	if m := c.Args.String("minutes"); m != "" {
		var mins float64
		if _, err := fmt.Sscan(m, &mins); err != nil {
			return module.Failed("non-integer value given for prompt duration:\n" + m), nil
		}
		secs = mins * 60
	}
	timed := c.Args.Has("seconds") || c.Args.Has("minutes")
	if timed && secs < 1 {
		// Ansible's pause never waits less than a second.
		secs = 1
	}
	echo := !c.Args.Has("echo") || c.Args.Bool("echo")
	hidden := ""
	if !echo {
		hidden = " (output is hidden)"
	}
	text := c.Args.String("prompt")
	shown := text
	if shown == "" {
		shown = "Press enter to continue, Ctrl+C to interrupt"
	}
	promptText := fmt.Sprintf("[%s]\n%s%s:", strings.TrimSpace(c.Task), shown, hidden)

	start := time.Now()
	// What Ansible's action displays before it waits.
	if timed {
		say(fmt.Sprintf("Pausing for %d seconds%s", int(secs), hidden))
		say("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r")
		if text != "" {
			say(promptText)
		}
	} else {
		say(promptText)
	}
	var input string
	if prompt.Interactive() {
		var err error
		input, err = waitOnTerminal(ctx, time.Duration(secs*float64(time.Second)), timed, echo)
		if errors.Is(err, errAbort) {
			// Ansible raises it: the result has no "changed".
			return module.Result{"failed": true, "msg": err.Error(), module.ExceptionKey: true}, nil
		}
		if err != nil {
			return nil, err
		}
	} else if !timed {
		if c.WarnNow != nil {
			c.WarnNow("Not waiting for response to prompt as stdin is not interactive")
		}
	} else {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(secs * float64(time.Second))):
		}
	}
	stop := time.Now()
	res := module.Result{"changed": false, "rc": 0, "stderr": "", "user_input": input, "echo": echo,
		"start": start.Format("2006-01-02 15:04:05.000000"), "stop": stop.Format("2006-01-02 15:04:05.000000"),
		"delta": int(stop.Sub(start).Seconds())}
	// The measured duration, rounded as Ansible's round(duration, 2) prints.
	took := stop.Sub(start).Seconds()
	if c.Args.Has("seconds") {
		res["stdout"] = "Paused for " + pyRound2(took) + " seconds"
	} else {
		res["stdout"] = "Paused for " + pyRound2(took/60) + " minutes"
	}
	return res, nil
}

// say is Ansible's display.display from the pause action: a line on standard output.
func say(msg string) { prompt.Say(msg) }

// pyRound2 formats round(f, 2) as Python prints a float.
func pyRound2(f float64) string {
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
