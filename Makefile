# gorun's two entry points for a fresh Debian machine, run as root:
#   make demo   install what is missing, build gorun, start lab hosts, run the example
#               and the fleet's playbooks/site.yml on them
#   make test   install what is missing, run every test
SHELL := /bin/bash
GO ?= go
LAB := go run ./cmd/gorun-lab
DEPS := openssh-server openssh-client sudo iproute2 iptables ansible-core ansible \
        python3-jmespath python3-netaddr python3-passlib rsync git make gcc \
        libvirt-daemon-system qemu-system-x86 qemu-utils python3-libvirt python3-lxml \
        genisoimage libxml2-utils busybox cpio e2fsprogs \
        rpm dnf createrepo-c gpg firewalld selinux-utils python3-selinux python3-semanage policycoreutils-python-utils \
        slapd ldap-utils python3-ldap network-manager lvm2 parted xfsprogs dosfstools fatresize f2fs-tools \
        python3-pip python3-venv python3-pexpect zip unzip \
        krb5-kdc krb5-admin-server krb5-user python3-gssapi

.PHONY: demo test test-slow deps build vet bench bench-scale test-kvm-e2e fuzz

deps:
	@missing=""; for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		status=$$?; rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi
	@# The KVM end-to-end test downloads Debian's cloud kernel with apt-get
	@# download, which needs package lists (a fresh image may have none).
	@ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 || apt-get update -qq

build:
	$(GO) build -o bin/gorun ./cmd/gorun

demo: deps build
	$(LAB) down >/dev/null 2>&1 || true
	$(LAB) up 3
	bin/gorun all -i inventories/lab -m ping
	bin/gorun all -i inventories/lab -m shell -a 'cat /etc/hostname'
	bin/gorun playbooks/demo.yml -i inventories/lab
	# The fleet's site.yml on the lab's hosts (see inventories/lab): a
	# package index first, as a fresh machine needs, then every role.
	bin/gorun all -i inventories/lab -m apt -a update_cache=true
	bin/gorun playbooks/site.yml -i inventories/lab

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...

# The packages that take longest (minutes each, most of it waiting for lab
# hosts, ansible-playbook and a TCG guest), named first so that go test
# starts them first: the short packages then fill the gaps instead of one
# long package running alone at the end. go test runs each package once.
LONG_TESTS := ./test/fleet/ ./modules/files/ ./modules/system/ ./modules/virt/ ./test/lang/ \
              ./test/corpus/ ./modules/rhel/ ./engine/inventory/ ./test/checkmode/ ./test/faults/

# Every test, the slow suites and the KVM end-to-end test included, in one
# go test run. -p 3: one package more than the two cores, because the lab
# tests spend much of their time waiting for hosts and guests. -vet=off:
# the vet target has just run every vet check; go test would run a subset
# again for each package. test/e2e/testtimes prints the output as go test
# would and ends with the slowest packages and tests.
test: deps vet
	set -o pipefail; GORUN_SLOW_TESTS=1 GORUN_KVM_E2E=1 $(GO) test -json -count=1 -timeout 60m -p 3 -vet=off $(LONG_TESTS) ./... | $(GO) run ./test/e2e/testtimes

# Only the slow suites: faults and check mode on lab hosts, and the KVM
# end-to-end test (`make test` runs them too).
test-slow: deps
	GORUN_SLOW_TESTS=1 $(GO) test -count=1 -timeout 20m ./test/faults/ ./test/checkmode/
	$(MAKE) test-kvm-e2e

# Bounded fuzz runs of the parsers (their seed corpora run in `make test`).
fuzz:
	$(GO) test -run XXX -fuzz '^FuzzLoadINI$$' -fuzztime 60s ./engine/inventory/
	$(GO) test -run XXX -fuzz '^FuzzLoadPlaybook$$' -fuzztime 60s ./engine/playbook/
	$(GO) test -run XXX -fuzz '^FuzzParseKV$$' -fuzztime 60s ./engine/playbook/
	$(GO) test -run XXX -fuzz '^FuzzTemplate$$' -fuzztime 60s ./engine/template/
	$(GO) test -run XXX -fuzz '^FuzzDecrypt$$' -fuzztime 60s ./engine/vault/

# The KVM end-to-end test (modules/virt/README.md): builds a small guest from
# Debian's cloud kernel, boots it under TCG, provisions, configures, migrates
# and backs it up with the vm-*.yml playbooks. About a minute; every step has
# a deadline that fails with the guest's console and libvirt state.
test-kvm-e2e: deps
	GORUN_KVM_E2E=1 $(GO) test -count=1 -timeout 30m -run TestKVMEndToEnd -v ./modules/virt/

# Benchmarks against ansible-playbook on the same lab hosts (see test/bench).
bench: deps
	$(GO) test -count=1 -run X -bench 'Plays|AdhocPing' -benchtime 5x -timeout 120m ./test/bench

# A play over 1,000 targets from one gorun process: wall time, peak memory
# per target, peak open files (GORUN_SCALE_TARGETS sets another count).
bench-scale: deps
	$(GO) test -count=1 -run X -bench Scale -benchtime 1x -timeout 60m ./test/bench
