// Package virt holds the libvirt modules: community.libvirt's virt, virt_net
// and virt_pool (same options, same return values), and gorun's own KVM
// provisioning modules. They speak libvirt's RPC protocol to the host's
// daemon through the task's connection (see gorun/engine/libvirt): a KVM host
// needs no Python bindings.
package virt

import (
	"context"
	"fmt"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// defaultURI is community.libvirt's default for the uri option.
const defaultURI = "qemu:///system"

// uriOption is the uri option every libvirt module shares.
var uriOption = module.Option{Name: "uri", Type: "str", Default: defaultURI,
	Description: "libvirt connection uri, on the task's host (qemu:///system, qemu:///session, test:///default). gorun reaches the daemon's unix socket through the host's connection; URIs naming another host (qemu+ssh://...) are refused: delegate the task to that host instead."}

// openClient opens (or reuses) the libvirt connection of the call's host.
func openClient(ctx context.Context, call *module.Call, readOnly bool) (*libvirt.Client, error) {
	return libvirt.Open(ctx, call.Conn, call.Host, call.Args.String("uri"), readOnly)
}

// libvirtMsg is the message of a libvirt error as Python's str(libvirtError) shows it.
func libvirtMsg(err error) string {
	if e, ok := err.(golibvirt.Error); ok {
		return e.Message
	}
	return err.Error()
}

// xmlDiff is a diff result of two XML documents.
func xmlDiff(before, after, what string) map[string]any {
	return map[string]any{"before": before, "after": after,
		"before_header": what + " (before)", "after_header": what + " (after)"}
}

// boolInt is libvirt's int for a flag.
func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// failf is a failure result with a formatted message.
func failf(format string, a ...any) module.Result {
	return module.Failed(fmt.Sprintf(format, a...))
}
