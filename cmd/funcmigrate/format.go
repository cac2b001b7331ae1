package main

import (
	"io"

	"github.com/funcmigrate/funcmigrate/rewrite/catalog"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// writeFindings renders findings in one of report.Formats.
func writeFindings(w io.Writer, format string, fs []report.Finding, sum report.Summary) error {
	return report.Write(w, format, fs, sum, catalog.All(), version)
}
