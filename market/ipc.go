package market

import (
	"regexp"
	"strings"
)

// ipcPattern accepts an IPC subclass ("H01M") or a group ("H01M 10/54"),
// with or without the space and spaces around the slash. Section Y is the
// CPC's cross-sectional section, which many patent offices publish beside
// IPC codes, so imports carrying it are accepted too.
var ipcPattern = regexp.MustCompile(`^([A-HY])([0-9]{2})([A-Z])(?:\s*([0-9]{1,4})\s*/\s*([0-9]{2,6}))?$`)

// NormalizeIPC returns code in canonical form ("H01M", "H01M 10/54"), and
// false when it is not an IPC subclass or group. Letters may be lower case
// in input; leading zeros of the main group are dropped as in the standard.
func NormalizeIPC(code string) (string, bool) {
	m := ipcPattern.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(code)))
	if m == nil {
		return "", false
	}
	sub := m[1] + m[2] + m[3]
	if m[4] == "" {
		return sub, true
	}
	group := strings.TrimLeft(m[4], "0")
	if group == "" {
		return "", false // group 0 does not exist
	}
	return sub + " " + group + "/" + m[5], true
}
