//go:build !codegen_noadapters

package main

// Every registered adapter, for the capability matrix. See the package
// documentation for why adapters' own go:generate directives build without
// them.
import _ "github.com/unifex-go/unifex/adapters/all"

// adaptersLinked reports whether this build has the adapters (-readme
// needs them).
const adaptersLinked = true
