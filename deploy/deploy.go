package deploy

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/funcmigrate/funcmigrate/rewrite/edit"
	"github.com/funcmigrate/funcmigrate/rewrite/report"
)

// Options control a scan.
type Options struct {
	TargetFramework string // "net10.0", "net8.0", "net9.0" or "net48"; "" means net10.0
}

// A FileResult is one file that needs a change or a person's attention.
type FileResult struct {
	Abs      string // absolute path
	Src      []byte // the bytes read
	Edits    []edit.Edit
	Findings []report.Finding
}

// maxSize bounds the files read: deployment files are small, and anything
// larger is generated or data.
const maxSize = 2 << 20

// Scan walks root (a folder) and returns results sorted by Abs, only for
// files with edits or findings.
//
// Folders named bin, obj and node_modules are skipped, and so are folders
// whose name starts with a dot, except the ones deployment files live in
// (.github, .vscode, .azure, .pipelines, .devops, .azuredevops). Symbolic
// links are never followed. Only files whose name makes them a candidate
// kind are read (see doc.go); of those, files over 2 MiB and files that are
// not UTF-8 text are skipped silently, and so are local.settings.json and
// host.json, which the engine migrates per project.
func Scan(root string, opt Options) ([]FileResult, error) {
	if _, err := parseTarget(opt.TargetFramework); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var out []FileResult
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == abs {
				return err
			}
			return nil // an unreadable folder is not ours to report
		}
		if d.IsDir() {
			if p != abs && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !candidate(filepath.ToSlash(p)) {
			return nil // symbolic links, devices, and files no kind reads
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxSize {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil || len(src) > maxSize || !isText(src) {
			return nil
		}
		edits, findings, err := MigrateFile(p, src, opt)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if len(edits) > 0 || len(findings) > 0 {
			out = append(out, FileResult{Abs: p, Src: src, Edits: edits, Findings: findings})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Abs < out[j].Abs })
	return out, nil
}

// keptDotDirs are the dot-folders deployment and tooling files live in.
var keptDotDirs = map[string]bool{
	".github": true, ".vscode": true, ".azure": true,
	".pipelines": true, ".devops": true, ".azuredevops": true,
}

func skipDir(name string) bool {
	switch strings.ToLower(name) {
	case "bin", "obj", "node_modules":
		return true
	}
	return strings.HasPrefix(name, ".") && !keptDotDirs[strings.ToLower(name)]
}

// isText reports whether src is UTF-8 text without NUL bytes.
func isText(src []byte) bool {
	return bytes.IndexByte(src, 0) < 0 && utf8.Valid(src)
}

// A kind is what a deployment file is, decided by its name and path.
type kind int

const (
	kindNone       kind = iota
	kindBicep           // *.bicep, *.bicepparam
	kindJSON            // *.json: ARM template or parameters when its $schema says so, else catch-all
	kindTerraform       // *.tf, *.tfvars
	kindPipeline        // GitHub workflows, Azure Pipelines, YAML that deploys function apps
	kindYAML            // other YAML: a pipeline when it mentions a deployment marker
	kindScript          // *.ps1, *.sh, *.cmd, *.azcli ...: CLI commands
	kindDocker          // Dockerfile, *.Dockerfile, Dockerfile.*
	kindVSCode          // .vscode/settings.json, tasks.json, launch.json
	kindPubxml          // *.pubxml
	kindSample          // local.settings.*.json and other sample settings files
	kindGlobalJSON      // global.json
	kindText            // catch-all only: *.md, *.env
)

// scriptExts are the script files whose az and PowerShell commands are
// rewritten like the same commands in a pipeline.
var scriptExts = map[string]bool{
	".ps1": true, ".psm1": true, ".sh": true, ".bash": true,
	".cmd": true, ".bat": true, ".azcli": true,
}

// kindOf decides the kind of the file at p (slash-separated) from its name.
func kindOf(p string) kind {
	base := path.Base(p)
	lower := strings.ToLower(base)
	ext := path.Ext(lower)
	switch {
	case base == "local.settings.json" || base == "host.json":
		return kindNone // migrated per project by the engine
	case strings.HasPrefix(lower, "local.settings") || strings.HasSuffix(lower, ".settings.sample.json"):
		return kindSample
	case lower == "global.json":
		return kindGlobalJSON
	case inDir(p, ".vscode") && (lower == "settings.json" || lower == "tasks.json" || lower == "launch.json"):
		return kindVSCode
	case lower == "dockerfile" || lower == "containerfile" || strings.HasPrefix(lower, "dockerfile.") || ext == ".dockerfile":
		return kindDocker
	case ext == ".bicep" || ext == ".bicepparam":
		return kindBicep
	case ext == ".tf" || ext == ".tfvars":
		return kindTerraform
	case ext == ".pubxml":
		return kindPubxml
	case ext == ".json":
		return kindJSON
	case ext == ".yml" || ext == ".yaml":
		if inDir(p, ".github/workflows") || strings.HasPrefix(lower, "azure-pipelines") {
			return kindPipeline
		}
		return kindYAML
	case scriptExts[ext]:
		return kindScript
	case ext == ".md" || ext == ".env":
		return kindText
	}
	return kindNone
}

// inDir reports whether slash path p lies directly in a folder whose path
// ends with dir.
func inDir(p, dir string) bool {
	d := path.Dir(p)
	return d == dir || strings.HasSuffix(d, "/"+dir)
}

func candidate(p string) bool { return kindOf(p) != kindNone }

// MigrateFile decides by the file's name and path what kind of file it is
// and returns its edits and findings. It is a pure function: path only picks
// the kind (see doc.go), src is not modified. Edits are byte ranges of src
// that do not overlap. A file no kind reads gets nothing; a file its kind
// cannot parse (an ARM template with a syntax error, say) is read as text by
// the catch-all. The error is for a bad Options.TargetFramework, or a bug.
func MigrateFile(path string, src []byte, opt Options) ([]edit.Edit, []report.Finding, error) {
	t, err := parseTarget(opt.TargetFramework)
	if err != nil {
		return nil, nil, err
	}
	p := filepath.ToSlash(path)
	k := kindOf(p)
	if k == kindNone {
		return nil, nil, nil
	}
	f := newFile(p, src, t)
	switch k {
	case kindBicep:
		f.bicep()
	case kindJSON:
		f.json()
	case kindTerraform:
		f.terraform()
	case kindPipeline:
		f.pipeline()
	case kindYAML:
		if f.mentionsDeployment() {
			f.pipeline()
		}
	case kindScript:
		f.script()
	case kindDocker:
		f.docker()
	case kindVSCode:
		f.vscode()
	case kindPubxml:
		f.pubxml()
	case kindSample:
		f.sample()
	case kindGlobalJSON:
		f.globalJSON()
	}
	f.catchAll()
	return f.finish()
}
