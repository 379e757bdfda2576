package system_test

import "gorun/test/labdiff"

// The lab tests run the same steps twice, as one playbook: with the real
// ansible-playbook on one lab host and with gorun on another, two fresh
// hosts that start out identical (see gorun/test/labdiff). step and shell
// are labdiff's, named short for the many step lists here.
type step = labdiff.Step

var shell = labdiff.Shell
