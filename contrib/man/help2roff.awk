# SPDX-License-Identifier: GPL-3.0-or-later
# help2roff.awk: a plugin's --help on stdin -> its man page (section 1) on
# stdout. Run by the build (mk/eco.am) on each built plugin, so the pages
# say what --help says. POSIX awk.
#
# --help's layout (common/output.c): "NAME vX (PACKAGE)", a blank line,
# the description, "Usage: ...", "Options:" with " -x, --long=ARG" lines
# and four-space-indented text, then paragraphs (ranges, limits, notes,
# "Example: ..." lines).
#
# awk -v date=YYYY-MM-DD: the page's date (the build passes
# SOURCE_DATE_EPOCH's day, for reproducible builds). The page passes
# `mandoc -T lint`: text lines wrapped at 78 bytes, no paragraph macro
# where mandoc would skip it (tests/integration/test_install.py).

function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}
# A text line as roff: escaped, and never read as a request.
function line(s) {
	return safe(esc(s))
}
# Text (already roff) wrapped at 78 bytes on spaces; a pending .PP first.
function text(s,    n, w, i, cur) {
	flush_pp()
	n = split(s, w, / +/)
	cur = ""
	for (i = 1; i <= n; i++) {
		if (w[i] == "")
			continue
		if (cur != "" && length(cur) + 1 + length(w[i]) > 78) {
			print safe(cur)
			cur = w[i]
		} else
			cur = cur (cur == "" ? "" : " ") w[i]
	}
	if (cur != "")
		print safe(cur)
}
function safe(s) {
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
# A paragraph break, printed only when text follows (never right after
# .SH or .TP, never twice, never at the end of a section).
function para() { pp = started }
function flush_pp() {
	if (pp)
		print ".PP"
	pp = 0
	started = 1
}
function macro(m) {
	print m
	pp = 0
	started = 0
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
	printf ".TH %s 1 \"%s\" \"%s %s\" \"User Commands\"\n", toupper(prog), date, pkg, version
	macro(".SH NAME")
	short = desc
	if (match(short, /[.:] /))
		short = substr(short, 1, RSTART - 1)
	sub(/\.$/, "", short)
	sub(/^Checks/, "checks", short)
	text(esc(prog) " \\- " esc(short))
	macro(".SH SYNOPSIS")
	u = usage
	sub(/^[^ ]+ /, "", u)
	print ".B " esc(prog)
	text(esc(u))
	macro(".SH DESCRIPTION")
	text(esc(desc))
	macro(".SH OPTIONS")
	next
}
state == "usage" { next }
state == "options" && /^ -/ {
	macro(".TP")
	print bold_opts(substr($0, 2))
	started = 1
	next
}
state == "options" && /^    / { t = $0; sub(/^ +/, "", t); text(esc(t)); next }
state == "options" && /^$/ { state = "notes"; macro(".SH NOTES"); next }
state == "notes" && /^Example: / {
	ex[++nex] = substr($0, 10)
	next
}
state == "notes" && /^$/ { para(); next }
state == "notes" && /^Notes:$/ { next }
state == "notes" && /^ / {
	t = $0
	sub(/^ +/, "", t)
	if (started && !pp)
		print ".br"
	text(esc(t))
	next
}
state == "notes" { text(esc($0)); next }
END {
	if (state != "notes" && state != "options")
		exit 1
	macro(".SH EXIT STATUS")
	text("0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the Monitoring Plugins convention); the first line of the output says which and why.")
	if (nex) {
		macro(".SH EXAMPLES")
		for (i = 1; i <= nex; i++) {
			if (i > 1)
				print ".PP"
			macro(".nf")
			print line(ex[i])
			macro(".fi")
		}
	}
	macro(".SH SEE ALSO")
	n = split("check_mx check_spf check_dkim check_dmarc check_mta_sts check_tlsrpt check_bimi " \
	    "check_dmarc_reports maildns-report", all, " ")
	sep = ""
	s = ""
	for (i = 1; i <= n; i++)
		if (all[i] != prog) {
			s = s sep "\\fB" esc(all[i]) "\\fR(1)"
			sep = ", "
		}
	text(s)
	para()
	text("The README of maildns\\-plugins: Icinga 2 and Nagios definitions, the cron report.")
}
