# SPDX-License-Identifier: GPL-3.0-or-later
# help2roff.awk: a plugin's --help on stdin -> its man page (section 1) on
# stdout. Run by the build (mk/eco.am) on each built plugin, so the pages
# say what --help says. POSIX awk.
#
# --help's layout (common/output.c): "NAME vX (PACKAGE)", a blank line,
# the description, "Usage: ...", "Options:" with " -x, --long=ARG" lines
# and four-space-indented text, then paragraphs (ranges, limits, notes,
# "Example: ..." lines).

function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}
# A text line as roff: escaped, and never read as a request.
function line(s) {
	s = esc(s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
function bold_opts(s,    out, i, n, parts, p) {
	# " -w, --warning=RANGE / -c, --critical=RANGE": options bold, ARGs italic.
	n = split(s, parts, / \/ /)
	out = ""
	for (i = 1; i <= n; i++) {
		p = parts[i]
		if (match(p, /[= ][A-Z][A-Za-z0-9:,.\[\]|_-]*$/) && substr(p, RSTART, 1) != ",")
			p = "\\fB" esc(substr(p, 1, RSTART)) "\\fI" esc(substr(p, RSTART + 1)) "\\fR"
		else if (match(p, /=[a-z|]+$/))
			p = "\\fB" esc(substr(p, 1, RSTART)) "\\fI" esc(substr(p, RSTART + 1)) "\\fR"
		else
			p = "\\fB" esc(p) "\\fR"
		out = out (i > 1 ? " / " : "") p
	}
	return out
}

NR == 1 {
	prog = $1
	version = $2
	sub(/^v/, "", version)
	pkg = $0
	sub(/^[^(]*\(/, "", pkg)
	sub(/ [^ ]*\)$/, "", pkg)
	state = "head"
	next
}
state == "head" && /^$/ { next }
state == "head" && /^Usage: / {
	usage = substr($0, 8)
	state = "usage"
	next
}
state == "head" { desc = desc (desc == "" ? "" : " ") $0; next }
state == "usage" && /^Options:$/ {
	state = "options"
	printf ".TH %s 1 \"\" \"%s %s\" \"User Commands\"\n", toupper(prog), pkg, version
	print ".SH NAME"
	short = desc
	if (match(short, /[.:] /))
		short = substr(short, 1, RSTART - 1)
	sub(/\.$/, "", short)
	sub(/^Checks/, "checks", short)
	print esc(prog) " \\- " line(short)
	print ".SH SYNOPSIS"
	print ".B " esc(prog)
	u = usage
	sub(/^[^ ]+ /, "", u)
	print line(u)
	print ".SH DESCRIPTION"
	print line(desc)
	print ".SH OPTIONS"
	next
}
state == "usage" { next }
state == "options" && /^ -/ {
	print ".TP"
	print bold_opts(substr($0, 2))
	next
}
state == "options" && /^    / { t = $0; sub(/^ +/, "", t); print line(t); next }
state == "options" && /^$/ { state = "notes"; print ".SH NOTES"; next }
state == "notes" && /^Example: / {
	ex[++nex] = substr($0, 10)
	next
}
state == "notes" && /^$/ { print ".PP"; next }
state == "notes" && /^Notes:$/ { next }
state == "notes" && /^ / { t = $0; sub(/^ +/, "", t); print ".br"; print line(t); next }
state == "notes" { print line($0); next }
END {
	if (state != "notes" && state != "options")
		exit 1
	print ".SH EXIT STATUS"
	print "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the Monitoring Plugins"
	print "convention); the first line of the output says which and why."
	if (nex) {
		print ".SH EXAMPLES"
		for (i = 1; i <= nex; i++) {
			print ".PP"
			print ".nf"
			print line(ex[i])
			print ".fi"
		}
	}
	print ".SH SEE ALSO"
	n = split("check_mx check_spf check_dkim check_dmarc", all, " ")
	sep = ""
	for (i = 1; i <= n; i++)
		if (all[i] != prog) {
			printf "%s\\fB%s\\fR(1)", sep, esc(all[i])
			sep = ", "
		}
	print ""
	print ".PP"
	print "The README of maildns\\-plugins: Icinga 2 and Nagios definitions, the cron report."
}
