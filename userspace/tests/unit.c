// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of libptscope and the CLI's pure parts.  No kernel needed:
 * test_client.c plays the kernel behind libnl's send/receive hooks.
 * Prints TAP and a final "N passed, N failed"; exits 1 on any failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

int tap_passed, tap_failed;

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", tap_passed + tap_failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		tap_passed++;
	else
		tap_failed++;
	return cond;
}

bool tap_streq(const char *got, const char *want, const char *name)
{
	bool same = got && want && !strcmp(got, want);

	if (!tap_ok(same, "%s", name))
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return same;
}

bool tap_u64eq(unsigned long long got, unsigned long long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name))
		printf("#   got:  %llu (0x%llx)\n#   want: %llu (0x%llx)\n",
		       got, got, want, want);
	return got == want;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	test_format();
	test_json();
	test_jsonr();
	test_recording();
	test_density();
	test_snapshot();
	test_client();
	test_blocks();
	test_cli();
	test_track_lib();
	test_track();
	test_render();
	test_options();
	test_heat();
	test_heat_cli();
	test_metrics();
	printf("1..%d\n", tap_passed + tap_failed);
	printf("%d passed, %d failed\n", tap_passed, tap_failed);
	return tap_failed ? 1 : 0;
}
