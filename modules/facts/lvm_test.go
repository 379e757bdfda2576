package facts

import (
	"reflect"
	"testing"
)

// TestLVMReportsFromOneShell checks that the lvm shell's answer (one
// separator per report, as facts.sh's lvmreports asks) gives the facts that
// vgs, lvs and pvs run alone give. The rows are lvm 2.03's, taken on this
// machine from a loop device made a volume group.
func TestLVMReportsFromOneShell(t *testing.T) {
	alone := &raw{cmds: map[string]string{
		"vgs": "  perfvg,1,1,0,wz--n-,0.06,0.05\n",
		"lvs": "  perflv,perfvg,-wi-------,0.01,,,,,,,,\n",
		"pvs": "  /dev/loop0,perfvg,lvm2,a--,0.06,0.05\n",
	}}
	shell := &raw{cmds: map[string]string{"lvm": "" +
		"  perfvg@gorun-vgs@1@gorun-vgs@1@gorun-vgs@0@gorun-vgs@wz--n-@gorun-vgs@0.06@gorun-vgs@0.05\n" +
		"  perflv@gorun-lvs@perfvg@gorun-lvs@-wi-------@gorun-lvs@0.01@gorun-lvs@@gorun-lvs@@gorun-lvs@@gorun-lvs@@gorun-lvs@@gorun-lvs@@gorun-lvs@@gorun-lvs@\n" +
		"  /dev/loop0@gorun-pvs@perfvg@gorun-pvs@lvm2@gorun-pvs@a--@gorun-pvs@0.06@gorun-pvs@0.05\n" +
		"  LVM version:     2.03.16(2) (2022-05-18)\n"}}
	want, got := map[string]any{}, map[string]any{}
	lvmFacts(alone, want)
	lvmFacts(shell, got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("from the lvm shell: %v\nfrom vgs, lvs, pvs: %v", got, want)
	}
	if lvs := want["lvm"].(map[string]any)["lvs"].(map[string]any); len(lvs) != 1 {
		t.Errorf("lvs = %v, want perflv", lvs)
	}
}
