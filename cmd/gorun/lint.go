package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/config"
	"gorun/engine/lint"
	"gorun/engine/module"
	"gorun/engine/playbook"
	"gorun/engine/template"
)

// lintMain is `gorun lint PLAYBOOK...`: everything knowable before
// connecting, as file:line:col: message lines and optionally as a GitLab
// Code Quality report. It exits 2 when anything was found.
func lintMain(prog string, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.StringArrayVarP(&o.extraVars, "extra-vars", "e", nil, "set additional variables (for templated import names)")
	fs.StringArrayVar(&o.vaultIDs, "vault-id", nil, "the vault identity to use")
	fs.StringArrayVar(&o.vaultFiles, "vault-password-file", nil, "vault password file")
	codeClimate := fs.String("codeclimate", "", "also write the findings as a GitLab Code Quality (Code Climate JSON) report to this file")
	if err := parseFlags(prog, fs, args, stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s [options] playbook.yml [playbook2 ...]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	books := fs.Args()
	if len(books) == 0 {
		fmt.Fprintf(stderr, "usage: %s [options] playbook.yml [playbook2 ...]\n", prog)
		return 2
	}
	cfg, err := config.Load()
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	o.cfg = cfg
	secrets, err := o.vaultSecrets(cfg)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	templates := template.New(template.Options{Vault: secrets, Config: cfg.Get})
	extra, _, err := parseExtraVars(o.extraVars, secrets)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	var findings []lint.Finding
	for _, b := range books {
		abs, err := filepath.Abs(b)
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		if st, err := os.Stat(abs); err != nil || st.IsDir() {
			findings = append(findings, lint.Finding{Pos: playbook.Pos{File: b, Line: 1, Col: 1}, Check: "syntax", Msg: "the playbook could not be found"})
			continue
		}
		loader := &playbook.Loader{
			RolesPath:       cfg.List("DEFAULT_ROLES_PATH"),
			CollectionsPath: collectionsPath(cfg),
			KnownAction: func(name string, collections []string) bool {
				_, ok := module.Lookup(name, collections...)
				return ok
			},
			Decrypt:     secrets.Decrypt,
			PlaybookDir: filepath.Dir(abs),
			Warn:        func(string) {},
			Static: func(str string) (string, error) {
				return templates.RenderString(str, &template.Context{Vars: extra.Map()})
			},
		}
		findings = append(findings, (&lint.Linter{Loader: loader}).Playbook(abs)...)
	}
	cwd, _ := os.Getwd()
	for i := range findings {
		findings[i].Pos.File = relPath(cwd, findings[i].Pos.File)
		fmt.Fprintln(stdout, findings[i].String())
	}
	if *codeClimate != "" {
		data, err := json.MarshalIndent(codeClimateIssues(findings), "", "  ")
		if err == nil {
			err = os.WriteFile(*codeClimate, append(data, '\n'), 0o644)
		}
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
	}
	if len(findings) > 0 {
		fmt.Fprintf(stderr, "%d problem(s) found\n", len(findings))
		return 2
	}
	return 0
}

// relPath is p relative to dir when p lies inside it.
func relPath(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// codeClimateIssue is one entry of GitLab's Code Quality report.
type codeClimateIssue struct {
	Description string   `json:"description"`
	CheckName   string   `json:"check_name"`
	Fingerprint string   `json:"fingerprint"`
	Severity    string   `json:"severity"`
	Categories  []string `json:"categories"`
	Type        string   `json:"type"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

// codeClimateIssues converts findings; the fingerprint hashes the check,
// file and message (not the line) so a finding keeps its identity when
// lines above it move.
func codeClimateIssues(findings []lint.Finding) []codeClimateIssue {
	out := make([]codeClimateIssue, 0, len(findings))
	for _, f := range findings {
		var is codeClimateIssue
		is.Description = f.Msg
		is.CheckName = "gorun-" + f.Check
		sum := sha256.Sum256([]byte(f.Check + "\x00" + f.Pos.File + "\x00" + f.Msg))
		is.Fingerprint = hex.EncodeToString(sum[:16])
		is.Severity = "major"
		if f.Check == "syntax" {
			is.Severity = "blocker"
		}
		is.Categories = []string{"Bug Risk"}
		is.Type = "issue"
		is.Location.Path = f.Pos.File
		is.Location.Lines.Begin = max(f.Pos.Line, 1)
		out = append(out, is)
	}
	return out
}
