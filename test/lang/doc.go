// Package lang is gorun's differential suite for the playbook language.
//
// Each directory under cases/ is a case: a site.yml (with whatever files,
// roles and vars it uses beside it), an optional inventory file that adds
// groups and variables over the lab's hosts, and an optional args file with
// extra command-line arguments, one per line. The test runs every case under
// ansible-playbook and under gorun against the same lab hosts and compares
// what each did: the exit code, the PLAY RECAP, the normalised transcript
// (e2e.NormalizeTranscript; a case whose transcript cannot match has a
// transcript-differs file saying why), and every result Ansible's default
// callback shows in full (debug, assert and failures of them), which is where
// the cases print their registered variables. Nothing is recorded: both
// sides are computed on every run. TestListings compares --list-tasks and
// --list-tags of every case byte for byte; TestTaskPathVerbose compares the
// "task path: FILE:LINE" line -vv prints under each task banner.
//
// Run one case with GORUN_LANG_CASES=name; GORUN_LANG_KEEP=dir keeps both
// transcripts of every case there.
package lang
