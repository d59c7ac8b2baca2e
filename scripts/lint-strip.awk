# SPDX-License-Identifier: MIT
# lint-strip.awk - prints C source with comments and the insides of string and character
# literals blanked, keeping every line in place, so the lint greps see only code and report
# true line numbers. POSIX awk (mawk on a fresh Debian).
{
    out = ""
    n = length($0)
    i = 1
    while (i <= n) {
        c = substr($0, i, 1)
        c2 = substr($0, i, 2)
        if (in_comment) {
            if (c2 == "*/") {
                in_comment = 0
                out = out "  "
                i += 2
            } else {
                out = out " "
                i++
            }
        } else if (quote != "") {
            if (c == "\\") {
                out = out "  "
                i += 2
            } else {
                if (c == quote) {
                    quote = ""
                    out = out c
                } else {
                    out = out " "
                }
                i++
            }
        } else if (c2 == "/*") {
            in_comment = 1
            out = out "  "
            i += 2
        } else if (c2 == "//") {
            break
        } else if (c == "\"" || c == "'") {
            quote = c
            out = out c
            i++
        } else {
            out = out c
            i++
        }
    }
    quote = "" # literals do not span lines
    print out
}
