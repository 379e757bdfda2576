#!/usr/bin/python3
"""Runs the real ansible-inventory many times from one Python process.

Usage: ansible_inventory_server.py ARGV0 (requests on stdin, answers on stdout)

Starting ansible-inventory costs about 0.4 s of CPU for Python and Ansible's
imports, and the inventory itself a few milliseconds; the tests run it over a
hundred times. This server imports ansible-inventory's module once and, for
every request, forks: the child is the process ansible-inventory would have
been after its imports (same configuration, read from the same environment
and the same empty working directory), and runs ansible-inventory's own
main() with the request's arguments, its stdout and stderr going to files of
its own and its stdin to /dev/null, and exits as the real command exits.

Once imported it prints "ready". A request is one JSON line {"args": [...], "dir": "..."} (dir is the run's
working directory); the answer is one JSON line {"stdout": "...",
"stderr": "...", "exit": N}. Whatever the imports printed (configuration
warnings, say) is printed again at the start of every run's output, as each
real process would print it.
"""
import atexit
import gc
import json
import os
import sys
import tempfile
import traceback

requests = os.fdopen(os.dup(0), "r")
answers = os.fdopen(os.dup(1), "w")
argv0 = sys.argv[1]

# The imports' output, captured with the standard streams where a real run
# has them: stdin /dev/null, stdout and stderr not a terminal.
capture_dir = tempfile.mkdtemp(prefix="ansible-inventory-server-")


def redirect(fd, path, flags):
    new = os.open(path, flags, 0o600)
    os.dup2(new, fd)
    os.close(new)


redirect(0, os.devnull, os.O_RDONLY)
redirect(1, os.path.join(capture_dir, "import.out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
redirect(2, os.path.join(capture_dir, "import.err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)

from ansible.cli.inventory import main  # noqa: E402

sys.stdout.flush()
sys.stderr.flush()


def read(path):
    with open(path, "rb") as f:
        return f.read()


import_out = read(os.path.join(capture_dir, "import.out"))
import_err = read(os.path.join(capture_dir, "import.err"))
# The children share the imports' objects with this process; their garbage
# collector need not visit them.
gc.freeze()
answers.write("ready\n")
answers.flush()


def run(args, directory, out_path, err_path):
    """run is the child: ansible-inventory's script after its imports.

    It ends as the command ends: on SystemExit (or an exception, printed as
    Python prints it) after the atexit handlers and with the standard
    streams flushed, but without tearing down the interpreter, which would
    only touch, and so copy, the memory the child shares with the server.
    """
    requests.close()
    answers.close()
    os.chdir(directory)
    for fd, path, data in ((1, out_path, import_out), (2, err_path, import_err)):
        redirect(fd, path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.write(fd, data)
    sys.argv = [argv0] + args
    try:
        # As /usr/bin/ansible-inventory does.
        sys.exit(main())
    except SystemExit as e:
        code = exit_status(e.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def exit_status(code):
    """exit_status is the status Python exits with for sys.exit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


for line in requests:
    req = json.loads(line)
    out_path = os.path.join(capture_dir, "run.out")
    err_path = os.path.join(capture_dir, "run.err")
    pid = os.fork()
    if pid == 0:
        run(req["args"], req["dir"], out_path, err_path)
    _, status = os.waitpid(pid, 0)
    answer = {
        "stdout": read(out_path).decode("utf-8", "replace"),
        "stderr": read(err_path).decode("utf-8", "replace"),
        "exit": os.waitstatus_to_exitcode(status),
    }
    answers.write(json.dumps(answer) + "\n")
    answers.flush()

for name in os.listdir(capture_dir):
    os.remove(os.path.join(capture_dir, name))
os.rmdir(capture_dir)
