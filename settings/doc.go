// Package settings migrates the JSON settings files of an Azure Functions
// project, local.settings.json and host.json, from the in-process model to the
// isolated worker model (MAPPING.md §6.1, §6.2).
//
// The files are read as the Functions host reads them: JSON with // and /* */
// comments and trailing commas allowed, and an optional UTF-8 byte order mark.
// Nothing is re-serialised. Every change is a minimal byte edit against the
// original file (see package edit), so indentation, key order, comments, line
// endings and the byte order mark stay as they were outside the edited ranges.
//
// Keys are matched without regard to case, as the host's configuration does,
// and when a key occurs twice the last occurrence is the one that counts.
//
// Files from Functions 1.x apps are handled too: a host.json without
// "version" gets "version": "2.0" and its binding sections move under
// "extensions" (hostv1.go); AzureWebJobsDashboard, read only by the 1.x
// runtime, leaves local.settings.json.
//
// ParseJSON exposes the same scanner, with byte spans, to other packages:
// package deploy reads ARM templates and VS Code files with it.
//
// Findings carry Marker == false: JSON has no comment syntax that every reader
// accepts, so no TODO marker is written into these files.
package settings
