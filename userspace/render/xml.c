// SPDX-License-Identifier: GPL-2.0
/* XML escaping for the SVG and HTML renderers. */
#include "fmt.h"
#include "render.h"

void xml_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		int n = utf8_seq_len(s);

		if (!n || *s < 0x20 || *s == 0x7f) {
			/* XML 1.0 cannot carry control characters at all. */
			fputs("\xef\xbf\xbd", f);
			s++;
			continue;
		}
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fwrite(s, 1, (size_t)n, f);
		}
		s += n;
	}
}
