package connection

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
)

// escalation is the become side of one command: how to recognise the password
// prompt, the failure messages and the success marker in its output.
type escalation struct {
	method      string // sudo or su
	password    string
	prompt      string // sudo's prompt, given with -p
	success     string // BECOME-SUCCESS-<id>, echoed once the command runs as the user
	pty         bool   // su: the command runs on a pty
	encodeStdin bool   // su with input: stdin goes base64-encoded through the pty
}

// Messages by which sudo and su tell that the password was wrong or missing,
// as Ansible's become plugins look for them.
var (
	sudoIncorrect = []string{"Sorry, try again."}
	sudoMissing   = []string{"Sorry, a password is required to run sudo", "sudo: a password is required"}
	suIncorrect   = []string{"Authentication failure"}
)

// suPrompt matches su's password prompt in the languages Ansible knows.
var suPrompt = regexp.MustCompile(`(?im)^(\w+'s )?(Password|암호|パスワード|Adgangskode|Contraseña|Contrasenya|Hasło|Heslo|Jelszó|Lösenord|Mật khẩu|Mot de passe|Parola|Parool|Pasahitza|Passord|Passwort|Salasana|Sandi|Senha|Wachtwoord|ססמה|Лозинка|Парола|Пароль|गुप्तशब्द|शब्दकूट|సంకేతపదము|හස්පදය|密码|密碼|口令) ?(:|：) ?`)

// watcher sits between a becoming command's output and its destinations.
// Until the success marker appears it keeps the output back and looks for
// prompts and errors; from then on it passes output straight through.
type watcher struct {
	esc  *escalation
	dst  [2]io.Writer // stdout, stderr
	wake chan struct{}

	mu        sync.Mutex
	pending   [2]bytes.Buffer
	succeeded bool
}

func newWatcher(esc *escalation, stdout, stderr io.Writer) *watcher {
	return &watcher{esc: esc, dst: [2]io.Writer{stdout, stderr}, wake: make(chan struct{}, 1)}
}

// stream returns the writer for stdout (0) or stderr (1).
func (w *watcher) stream(i int) io.Writer { return streamWriter{w, i} }

type streamWriter struct {
	w *watcher
	i int
}

func (s streamWriter) Write(b []byte) (int, error) {
	w := s.w
	w.mu.Lock()
	if w.succeeded {
		w.mu.Unlock()
		return w.dst[s.i].Write(b)
	}
	w.pending[s.i].Write(b)
	var flush [2][]byte
	if s.i == 0 {
		flush = w.checkSuccess()
	}
	w.mu.Unlock()
	for i, f := range flush {
		if len(f) > 0 {
			w.dst[i].Write(f)
		}
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return len(b), nil
}

// checkSuccess looks for the success marker line on stdout. Once found, the
// output before it (prompts) is dropped, except what stderr had besides the
// prompt (warnings from sudo, say), and the rest is returned for flushing.
func (w *watcher) checkSuccess() (flush [2][]byte) {
	out := w.pending[0].Bytes()
	at := bytes.Index(out, []byte(w.esc.success))
	if at < 0 {
		return flush
	}
	nl := bytes.IndexByte(out[at:], '\n')
	if nl < 0 {
		return flush
	}
	w.succeeded = true
	flush[0] = bytes.Clone(out[at+nl+1:])
	errOut := w.pending[1].String()
	if w.esc.prompt != "" {
		errOut = strings.ReplaceAll(errOut, w.esc.prompt, "")
	}
	if strings.TrimSpace(errOut) != "" {
		flush[1] = []byte(strings.TrimLeft(errOut, "\r\n"))
	}
	w.pending[0].Reset()
	w.pending[1].Reset()
	return flush
}

// becomeState is what the output so far says about the escalation.
type becomeState struct {
	succeeded bool
	prompts   int // password prompts seen
	incorrect bool
	missing   bool
}

func (w *watcher) state() becomeState {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.succeeded {
		return becomeState{succeeded: true}
	}
	all := w.pending[0].String() + w.pending[1].String()
	st := becomeState{}
	switch w.esc.method {
	case "sudo":
		st.prompts = strings.Count(all, w.esc.prompt)
		st.incorrect = containsAny(all, sudoIncorrect)
		st.missing = containsAny(all, sudoMissing)
	case "su":
		st.prompts = len(suPrompt.FindAllStringIndex(all, -1))
		st.incorrect = containsAny(all, suIncorrect)
	}
	return st
}

// output returns what the command printed before the escalation finished,
// prompts removed, for error messages.
func (w *watcher) output() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.pending[0].String() + w.pending[1].String()
	if w.esc.prompt != "" {
		s = strings.ReplaceAll(s, w.esc.prompt, "")
	}
	return strings.TrimSpace(s)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
