// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal: whether to colour and which characters it shows, and the
 * full-screen mode of `watch` (alternate screen, keys read one by one).
 */
#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

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

static struct termios saved_tio;
static bool tio_saved, screen_on;

void term_screen_leave(void)
{
	if (screen_on) {
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
		screen_on = false;
	}
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = false;
	}
}

void term_screen_enter(bool keys)
{
	if (keys && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
		struct termios raw = saved_tio;

		/* ISIG stays: Ctrl-C is still SIGINT, handled like q */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
			tio_saved = true;
	}
	fputs("\033[?1049h\033[?25l", stdout);
	screen_on = true;
	atexit(term_screen_leave);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int term_wait_key(double secs, bool *keys, const volatile sig_atomic_t *stop)
{
	double deadline = mono_now() + secs;

	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		double left;
		int r;

		if (*stop)
			return 1;
		left = deadline - mono_now();
		if (left <= 0)
			return 0;
		r = poll(&p, *keys ? 1 : 0, (int)ceil(left * 1000));
		if (r < 0 && errno != EINTR)
			return 0;
		if (r <= 0)
			continue;
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
			*keys = false;	/* no more keys: just sleep */
		} else if (p.revents & POLLIN) {
			char ch;

			if (read(STDIN_FILENO, &ch, 1) != 1)
				*keys = false;
			else if (ch == 'q' || ch == 'Q')
				return 1;
		}
	}
}
