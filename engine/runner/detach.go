package runner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// jobWrapper is async_wrapper's daemon half as a POSIX shell script, run
// detached on the target as `sh -c jobWrapper wrapper FILE LIMIT SCRIPT`:
// it starts the job script in a process group of its own, writing the
// job's JSON to FILE.out and renaming it to FILE when done (async_wrapper's
// jwrite), and watches it as async_wrapper does: a first 5-second sleep,
// then every 5 seconds, LIMIT seconds counted down, after which the job's
// group is killed and FILE says "Timeout exceeded" with the child's pid.
const jobWrapper = `j=$1 r=$2
: > "$j.out"
s=; command -v setsid >/dev/null 2>&1 && s=setsid
$s sh -c 'sh -c "$1" job "$2" > "$2.out" 2>/dev/null < /dev/null
[ -s "$2.out" ] || printf "%s" "{\"failed\": 1, \"msg\": \"the job script printed no result\"}" > "$2.out"
mv -f "$2.out" "$2"' job "$3" "$j" < /dev/null > /dev/null 2>&1 &
p=$!
sleep 5
while [ -e "$j.out" ]; do
	sleep 5
	r=$((r - 5))
	if [ "$r" -le 0 ]; then
		printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %d}' "$p" > "$j.tmp" && mv -f "$j.tmp" "$j"
		kill -9 -"$p" 2>/dev/null || kill -9 "$p" 2>/dev/null
		rm -f "$j.out" "$j".std*
		exit 0
	fi
done
`

// detachJob starts a fire-and-forget job (poll: 0) of a module that can
// run without gorun (module.Detachable): the job file is written started,
// then the job and its watcher run on the target in a session of their
// own, so they outlive the connection and gorun, as Ansible's daemonized
// async_wrapper does. Its result is only in the job file, where
// async_status (of this run or a later one, gorun's or Ansible's) reads it.
func (pr *playRun) detachJob(ctx context.Context, d module.Detachable, call *module.Call, jid string, secs int) map[string]any {
	script, err := d.JobScript(call)
	if err != nil {
		return map[string]any{"failed": true, "msg": err.Error()}
	}
	launch := fmt.Sprintf("{ s=; command -v setsid >/dev/null 2>&1 && s=setsid; $s sh -c %s wrapper \"$PWD\"/%s %s %s < /dev/null > /dev/null 2>&1 & }",
		shell.Quote(jobWrapper), shell.Quote(jid), strconv.Itoa(secs), shell.Quote(script))
	file, err := startJobFile(ctx, call, asyncDirOf(call.Vars), jid, launch)
	if err != nil {
		return map[string]any{"failed": true, "msg": err.Error()}
	}
	return startedResult(jid, file)
}

// startedResult is what a task that started a job without polling it
// returns; Ansible reports a started job as changed.
func startedResult(jid, file string) map[string]any {
	return map[string]any{"started": 1, "finished": 0, "ansible_job_id": jid, "results_file": file, "failed": false, "changed": true}
}

// startJobFile creates the async directory and the job's results file on
// the target, marked started, runs launch (a shell command, or "") in
// that directory, and returns the file's absolute path.
func startJobFile(ctx context.Context, call *module.Call, dir, jid, launch string) (string, error) {
	qdir := quoteDir(dir)
	start := fmt.Sprintf(`{"started": 1, "finished": 0, "ansible_job_id": %q}`, jid)
	cmd := fmt.Sprintf("mkdir -p %s && cd %s && printf '%%s' %s > %s && ", qdir, qdir, shell.Quote(start), shell.Quote(jid))
	if launch != "" {
		cmd += launch + " && "
	}
	res, err := call.Conn.Exec(ctx, cmd+"pwd", connection.ExecOptions{})
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return "", fmt.Errorf("could not create the async job file in %s: %s", dir, strings.TrimSpace(string(res.Stderr)))
	}
	return strings.TrimSpace(string(res.Stdout)) + "/" + jid, nil
}
