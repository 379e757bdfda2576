package main

import "io"

func vaultMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int { return 1 }
