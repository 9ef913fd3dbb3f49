/* SPDX-License-Identifier: GPL-2.0 */
/* Colour and character set decisions for human output. */
#ifndef PTSCOPE_TERM_H
#define PTSCOPE_TERM_H

#include <signal.h>
#include <stdbool.h>

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* "auto", "always", "never" (and the usual yes/no spellings); -1 if not. */
int color_mode_parse(const char *s);
/*
 * auto: colour only on a terminal that is not "dumb", and not when NO_COLOR
 * is set to anything non-empty (https://no-color.org).  always/never win
 * over both.  @no_color and @term are the environment values (may be NULL).
 */
bool color_wanted(enum color_mode mode, bool isatty, const char *no_color,
		  const char *term);
/* The locale's character set is UTF-8 (call setlocale() first). */
bool locale_is_utf8(void);

/*
 * Alternate screen, cursor hidden; with @keys, stdin unbuffered and
 * unechoed (Ctrl-C stays SIGINT).  Undone by term_screen_leave(), also
 * at exit, so an error path cannot leave the terminal raw.
 */
void term_screen_enter(bool keys);
void term_screen_leave(void);
/*
 * Wait @secs, reading keys from stdin while *keys: 1 if the user quit
 * (q, or *stop set by a signal handler), 0 when the time is up.  *keys
 * turns false when stdin stops giving keys; the wait goes on without.
 */
int term_wait_key(double secs, bool *keys, const volatile sig_atomic_t *stop);

#define SGR_RESET	"\033[0m"
#define SGR_BOLD	"\033[1m"
#define SGR_DIM		"\033[2m"
#define SGR_RED		"\033[31m"
#define SGR_GREEN	"\033[32m"
#define SGR_YELLOW	"\033[33m"
#define SGR_BLUE	"\033[34m"
#define SGR_MAGENTA	"\033[35m"
#define SGR_CYAN	"\033[36m"

#endif /* PTSCOPE_TERM_H */
