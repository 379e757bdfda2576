# gorun's two entry points for a fresh Debian machine, run as root:
#   make demo   install what is missing, build gorun, start lab hosts, run the example
#   make test   install what is missing, run every test
SHELL := /bin/bash
GO ?= go
LAB := go run ./cmd/gorun-lab
DEPS := openssh-server openssh-client sudo iproute2 iptables ansible-core ansible \
        python3-jmespath python3-netaddr python3-passlib rsync git make gcc \
        libvirt-daemon-system qemu-system-x86 qemu-utils python3-libvirt python3-lxml \
        genisoimage libxml2-utils busybox

.PHONY: demo test test-slow deps build vet bench

deps:
	@missing=""; for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		status=$$?; rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi

build:
	$(GO) build -o bin/gorun ./cmd/gorun

demo: deps build
	$(LAB) down >/dev/null 2>&1 || true
	$(LAB) up 3
	bin/gorun all -i inventories/lab -m ping
	bin/gorun all -i inventories/lab -m shell -a 'cat /etc/hostname'
	bin/gorun playbooks/demo.yml -i inventories/lab

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...

test: deps vet
	$(GO) test -count=1 -timeout 40m ./...
	$(MAKE) test-slow

# The slow suites (faults and check mode on lab hosts) and bounded fuzz runs
# of the parsers; `make test` runs them too.
test-slow:
	GORUN_SLOW_TESTS=1 $(GO) test -count=1 -timeout 20m ./test/faults/ ./test/checkmode/
	$(GO) test -run XXX -fuzz '^FuzzLoadINI$$' -fuzztime 10s ./engine/inventory/
	$(GO) test -run XXX -fuzz '^FuzzLoadPlaybook$$' -fuzztime 10s ./engine/playbook/
	$(GO) test -run XXX -fuzz '^FuzzParseKV$$' -fuzztime 10s ./engine/playbook/

# Benchmarks against ansible-playbook on the same lab hosts (see test/bench).
bench: deps
	$(GO) test -count=1 -run X -bench . -benchtime 3x -timeout 60m ./test/bench
