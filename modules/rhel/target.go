package rhel

// binSearchPath is the list get_bin_path names when it does not find a
// program (root's PATH and the sbin directories it adds).
const binSearchPath = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/sbin"
