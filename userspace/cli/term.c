// SPDX-License-Identifier: GPL-2.0
#include <langinfo.h>
#include <string.h>
#include <strings.h>

#include "term.h"

int color_mode_parse(const char *s)
{
	if (!strcmp(s, "auto") || !strcmp(s, "tty") || !strcmp(s, "if-tty"))
		return COLOR_AUTO;
	if (!strcmp(s, "always") || !strcmp(s, "yes") || !strcmp(s, "force"))
		return COLOR_ALWAYS;
	if (!strcmp(s, "never") || !strcmp(s, "no") || !strcmp(s, "none"))
		return COLOR_NEVER;
	return -1;
}

bool color_wanted(enum color_mode mode, bool isatty, const char *no_color,
		  const char *term)
{
	switch (mode) {
	case COLOR_ALWAYS:
		return true;
	case COLOR_NEVER:
		return false;
	case COLOR_AUTO:
	default:
		if (no_color && *no_color)
			return false;
		if (!term || !*term || !strcmp(term, "dumb"))
			return false;
		return isatty;
	}
}

bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}
