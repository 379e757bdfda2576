package main

// heapBallast is never read or written: it only counts as live heap. The
// garbage collector runs each time the heap has grown by GOGC percent over
// what was live after the last collection, and no sooner than at 4 MB; a
// playbook run allocates tens of megabytes of short-lived task variables
// and results while keeping a few live, so the collector ran fifteen times
// in a 10-host everyday play (three times with the ballast) and took a
// fifth of gorun's own CPU. With the ballast live too, it first runs at
// about twice the ballast's size. Its pages are never touched, so they
// cost address space, not memory (about 12 MB more resident in that
// play); in large runs, whose live heap dwarfs it, it changes next to
// nothing.
var heapBallast = make([]byte, 16<<20)
