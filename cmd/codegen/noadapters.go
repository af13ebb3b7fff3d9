//go:build codegen_noadapters

package main

// adaptersLinked reports whether this build has the adapters (-readme
// needs them): not with the codegen_noadapters tag, which adapters' own
// go:generate directives use so that api_gen.go can be written while their
// package does not compile.
const adaptersLinked = false
