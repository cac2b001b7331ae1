package deploy

import (
	"strings"
	"testing"
)

// TestValueForms pins the ways text gives FUNCTIONS_WORKER_RUNTIME a value,
// and what the value reads as: the exact bytes an edit would replace, and
// whether it is computed.
func TestValueForms(t *testing.T) {
	for _, tc := range []struct {
		name, src, value string
		expr, ok         bool
	}{
		{"env", "FUNCTIONS_WORKER_RUNTIME=dotnet\n", "dotnet", false, true},
		{"yaml", "  FUNCTIONS_WORKER_RUNTIME: 'dotnet' # old\n", "dotnet", false, true},
		{"json", `{"FUNCTIONS_WORKER_RUNTIME": "dotnet"}`, "dotnet", false, true},
		{"escaped json", `'{\"FUNCTIONS_WORKER_RUNTIME\":\"dotnet\"}'`, "dotnet", false, true},
		{"hcl", `"FUNCTIONS_WORKER_RUNTIME" = "dotnet"`, "dotnet", false, true},
		{"appSettings", "-FUNCTIONS_WORKER_RUNTIME dotnet -X 1", "dotnet", false, true},
		{"isolated", "FUNCTIONS_WORKER_RUNTIME=dotnet-isolated", "dotnet-isolated", false, true},
		{"pipeline variable", "FUNCTIONS_WORKER_RUNTIME: $(workerRuntime)", "$(workerRuntime)", true, true},
		{"actions expression", "FUNCTIONS_WORKER_RUNTIME: ${{ vars.RUNTIME }}", "${{ vars.RUNTIME }}", true, true},
		{"shell variable", `--settings "FUNCTIONS_WORKER_RUNTIME=$RT"`, "$RT", true, true},
		{"name/value: no value here", `{"name": "FUNCTIONS_WORKER_RUNTIME", "value": "dotnet"}`, "", false, false},
		{"comparison", "if FUNCTIONS_WORKER_RUNTIME == dotnet", "", false, false},
		{"end of line", "FUNCTIONS_WORKER_RUNTIME:\n  dotnet", "", false, false},
	} {
		src := []byte(tc.src)
		k := strings.Index(tc.src, workerRuntimeKey)
		v, ok := valueAfter(src, k+len(workerRuntimeKey))
		if ok != tc.ok || (ok && (string(src[v.start:v.end]) != tc.value || v.text != tc.value || v.expr != tc.expr)) {
			t.Errorf("%s: valueAfter(%q) = %q expr=%v ok=%v; want %q expr=%v ok=%v",
				tc.name, tc.src, v.text, v.expr, ok, tc.value, tc.expr, tc.ok)
		}
	}
}

func TestNameValue(t *testing.T) {
	for _, tc := range []struct{ src, value string }{
		{"{\n  name: 'FUNCTIONS_WORKER_RUNTIME'\n  value: 'dotnet'\n}", "dotnet"},
		{`{"name":"FUNCTIONS_WORKER_RUNTIME","slotSetting":false,"value":"dotnet"}`, "dotnet"},
		{"- name: FUNCTIONS_WORKER_RUNTIME\n  value: dotnet\n", "dotnet"},
		{"- name: FUNCTIONS_WORKER_RUNTIME\n- name: OTHER\n  value: dotnet\n", ""}, // the next pair's value
		{"appSettingNames: ['FUNCTIONS_WORKER_RUNTIME']\nvalue: 'dotnet'", ""},     // not a name
		{"{ name: 'FUNCTIONS_WORKER_RUNTIME' }\n{ value: 'dotnet' }", ""},          // another object
	} {
		src := []byte(tc.src)
		k := strings.Index(tc.src, workerRuntimeKey)
		v, ok := nameValue(src, k, k+len(workerRuntimeKey))
		if (tc.value == "") == ok || (ok && v.text != tc.value) {
			t.Errorf("nameValue(%q) = %q, %v; want %q", tc.src, v.text, ok, tc.value)
		}
	}
}

func TestRuntimeNear(t *testing.T) {
	for src, want := range map[string]string{
		"Set FUNCTIONS_WORKER_RUNTIME to dotnet.":                        "dotnet",
		"| FUNCTIONS_WORKER_RUNTIME | dotnet |":                          "dotnet",
		"FUNCTIONS_WORKER_RUNTIME must be dotnet-isolated, not dotnet":   "dotnet-isolated",
		"FUNCTIONS_WORKER_RUNTIME node":                                  "node",
		"FUNCTIONS_WORKER_RUNTIME and DOTNET|6.0 and dotnet.exe":         "",
		"FUNCTIONS_WORKER_RUNTIME\n\n\ndotnet (three lines down is far)": "",
	} {
		_, _, got := runtimeNear([]byte(src), len(workerRuntimeKey)+strings.Index(src, workerRuntimeKey))
		if got != want {
			t.Errorf("runtimeNear(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestCommandSpan(t *testing.T) {
	src := "echo hi\naz functionapp create \\\n  --name x \\\n  --runtime dotnet\necho done\n" +
		"run: >\n  az functionapp config set\n  --net-framework-version v6.0\nnext: 1\n"
	for _, tc := range []struct{ at, want string }{
		{"--runtime dotnet", "az functionapp create \\\n  --name x \\\n  --runtime dotnet"},
		{"--name x", "az functionapp create \\\n  --name x \\\n  --runtime dotnet"},
		{"--net-framework", "  az functionapp config set\n  --net-framework-version v6.0"},
		{"echo done", "echo done"},
	} {
		s, e := commandSpan([]byte(src), strings.Index(src, tc.at))
		if got := src[s:e]; got != tc.want {
			t.Errorf("commandSpan at %q = %q, want %q", tc.at, got, tc.want)
		}
	}
}

func TestStacksAndVersions(t *testing.T) {
	f := newFile("x.yml", []byte("a: DOTNET|6.0\nb: DOTNET-ISOLATED|8.0\nc: DOTNETCORE|8.0\nd: 'dotnet|${v}'\ne: DOTNET|8.0.\n"), target{})
	var got []string
	for _, s := range f.stacks() {
		got = append(got, string(f.src[s.start:s.end])+"="+s.ver)
	}
	if want := "DOTNET|6.0=6.0 dotnet|= DOTNET|8.0=8.0"; strings.Join(got, " ") != want {
		t.Errorf("stacks = %q, want %q", strings.Join(got, " "), want)
	}
	for in, want := range map[string]int{"v6.0": 6, "6.0.x": 6, "8": 8, "10.0.100": 10, "3.1": 3, "v4.0": 0, "4.8": 0, "x": 0} {
		got, ok := netCoreMajor(in)
		if got != want || ok != (want != 0) {
			t.Errorf("netCoreMajor(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}
