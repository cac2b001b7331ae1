module github.com/funcmigrate/funcmigrate

go 1.26.8

require github.com/rogpeppe/go-internal v1.16.0

require (
	github.com/mattn/go-pointer v0.0.1 // indirect
	github.com/sergi/go-diff v1.4.0 // indirect
	github.com/tree-sitter/go-tree-sitter v0.25.0 // indirect
	github.com/tree-sitter/tree-sitter-c-sharp v0.23.5 // indirect
	golang.org/x/tools v0.26.0 // indirect
)
