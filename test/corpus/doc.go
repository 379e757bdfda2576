// Package corpus runs material nobody on this project wrote, unchanged,
// under ansible-playbook and gorun on the same lab hosts and compares exit
// codes, recaps and normalised transcripts (test/e2e, test/lang).
//
// The corpus (items.go) is taken from what Debian's ansible and
// ansible-core packages install, since this machine reaches no other
// source: roles of the collections under
// /usr/lib/python3/dist-packages/ansible_collections (in check mode, as
// they install software from repositories the lab cannot reach), the
// EXAMPLES blocks of ansible.builtin modules (each as the tasks of a
// check-mode play that ignores errors, so every example runs even where the
// lab lacks the files or services it names), and the playbooks ansible-test
// runs on its test hosts. Nothing in them is edited or special-cased.
//
// An item that gorun cannot run yet carries a Missing note: it is not
// compared, but gorun must refuse it (--syntax-check) with the error the
// note names. The test logs one line per item (pass, FAIL, missing).
//
//	go test -run TestCorpusUnchanged ./test/corpus/
//	GORUN_CORPUS=role-sops-install,examples-copy go test ./test/corpus/
//	GORUN_CORPUS_KEEP=/tmp/k go test ./test/corpus/   # keep both transcripts
package corpus
