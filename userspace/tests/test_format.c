// SPDX-License-Identifier: GPL-2.0
/* Name helpers, flag strings, parsing and human formatting. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "ptscope_client.h"
#include "ptscope_priv.h"
#include "tap.h"
#include "term.h"

static void test_names(void)
{
	static const char *const kinds[] = {
		"anon", "anon_named", "file", "heap", "stack", "special", "shmem",
	};
	static const char *const levels[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	static const char *const reasons[] = {
		"mapped", "none", "swap", "migration", "marker", "no_vma", "other",
	};
	unsigned int i;
	bool all = true;

	for (i = 0; i < 7; i++)
		all &= !strcmp(ptscope_vma_kind_name(i), kinds[i]);
	ok(all, "vma kind names in enum order");
	is_str(ptscope_vma_kind_name(PTSCOPE_VMA_KIND_SHMEM), "shmem", "shmem kind");
	is_str(ptscope_vma_kind_name(7), "7", "unknown kind prints as a number");
	is_str(ptscope_vma_kind_name(0xffffffffu), "4294967295", "huge kind prints as a number");

	all = true;
	for (i = 0; i < 5; i++)
		all &= !strcmp(ptscope_level_name(i), levels[i]);
	ok(all, "level names in enum order");
	is_str(ptscope_level_name(PTSCOPE_LEVEL_PTE), "pte", "pte level");
	is_str(ptscope_level_name(5), "5", "unknown level prints as a number");

	all = true;
	for (i = 0; i < 7; i++)
		all &= !strcmp(ptscope_stop_reason_name(i), reasons[i]);
	ok(all, "stop reason names in enum order");
	is_str(ptscope_stop_reason_name(PTSCOPE_STOP_NO_VMA), "no_vma", "no_vma reason");
	is_str(ptscope_stop_reason_name(99), "99", "unknown stop reason prints as a number");

	{
		/* Two unknown names in one expression must not share a buffer. */
		char buf[32];

		snprintf(buf, sizeof(buf), "%s %s", ptscope_level_name(8),
			 ptscope_vma_kind_name(9));
		is_str(buf, "8 9", "two unknown names in one printf");
	}
	is_str(ptscope_feature_bit_name(5), "pte_rcu_free", "feature bit 5");
	is_str(ptscope_feature_bit_name(6), "young_flag", "feature bit 6");
	is_str(ptscope_feature_bit_name(7), "access_exact", "feature bit 7");
	ok(ptscope_feature_bit_name(8) == NULL, "unknown feature bit has no name");
}

static void test_flag_strings(void)
{
	char buf[512];

	ptscope_page_flags_str(0, buf, sizeof(buf));
	is_str(buf, "", "no page flags: empty string");
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT | PTSCOPE_PF_WRITE |
			       PTSCOPE_PF_USER | PTSCOPE_PF_ACCESSED |
			       PTSCOPE_PF_DIRTY | PTSCOPE_PF_NX, buf, sizeof(buf));
	is_str(buf, "present write user accessed dirty nx", "common page flags");
	ptscope_page_flags_str(0xffff, buf, sizeof(buf));
	is_str(buf, "present write user accessed dirty nx global soft_dirty "
	       "huge_pmd huge_pud swap migration uffd_wp protnone marker special",
	       "all page flags in bit order");
	ptscope_page_flags_str(PTSCOPE_PF_PXN | PTSCOPE_PF_CONT, buf, sizeof(buf));
	is_str(buf, "pxn cont", "arm64's pxn and cont by name (bits 16, 17)");
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT | (1U << 20) | (1U << 31), buf, sizeof(buf));
	is_str(buf, "present 0x100000 0x80000000", "unknown page flag bits print as numbers");

	ptscope_page_flags_str(PTSCOPE_PF_PRESENT | PTSCOPE_PF_WRITE, buf, 12);
	is_str(buf, "present", "truncation stops at a word boundary");
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT, buf, 8);
	is_str(buf, "present", "exact fit");
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT, buf, 7);
	is_str(buf, "", "too small for the first word: empty");
	buf[0] = 'x';
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT, buf, 0);
	ok(buf[0] == 'x', "len 0 writes nothing");
	ptscope_page_flags_str(PTSCOPE_PF_PRESENT, NULL, 10);
	ok(1, "NULL buffer does not crash");

	ptscope_vma_flags_str(PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_WRITE |
			      PTSCOPE_VMA_F_MAYREAD | PTSCOPE_VMA_F_MAYWRITE |
			      PTSCOPE_VMA_F_MAYEXEC | PTSCOPE_VMA_F_ACCOUNT,
			      buf, sizeof(buf));
	is_str(buf, "rd wr mr mw me ac", "smaps-style VMA flags");
	ptscope_vma_flags_str((1ULL << 30) - 1, buf, sizeof(buf));
	is_str(buf, "rd wr ex sh mr mw me ms gd pf lo io sr rr dc de ac nr ht sf "
	       "wf dd sd mm hg nh mg um uw lf", "all VMA flag mnemonics in bit order");
	ptscope_vma_flags_str(1ULL << 63, buf, sizeof(buf));
	is_str(buf, "0x8000000000000000", "unknown VMA flag bit 63");
}

static void test_parse(void)
{
	uint64_t a = 0, b = 0;
	pid_t pid = 0;

	ok(parse_pid("1", &pid) == 0 && pid == 1, "pid 1");
	ok(parse_pid("2147483647", &pid) == 0 && pid == 2147483647, "pid INT_MAX");
	ok(parse_pid("2147483648", &pid) == -ERANGE, "pid above INT_MAX");
	ok(parse_pid("0", &pid) == -EINVAL, "pid 0 rejected");
	ok(parse_pid("-1", &pid) == -EINVAL, "negative pid rejected");
	ok(parse_pid("+5", &pid) == -EINVAL, "signed pid rejected");
	ok(parse_pid("12x", &pid) == -EINVAL, "trailing garbage rejected");
	ok(parse_pid(" 12", &pid) == -EINVAL, "leading space rejected");
	ok(parse_pid("", &pid) == -EINVAL, "empty pid rejected");
	ok(parse_pid("99999999999999999999999", &pid) == -ERANGE, "overflowing pid rejected");

	ok(parse_hex("0x7ffd1000", &a) == 0 && a == 0x7ffd1000, "hex with 0x");
	ok(parse_hex("7FFD1000", &a) == 0 && a == 0x7ffd1000, "hex without 0x, upper case");
	ok(parse_hex("0X10", &a) == 0 && a == 0x10, "0X prefix");
	ok(parse_hex("0", &a) == 0 && a == 0, "zero");
	ok(parse_hex("ffffffffffffffff", &a) == 0 && a == UINT64_MAX, "64-bit max");
	ok(parse_hex("0x0000000000000000001", &a) == 0 && a == 1, "leading zeros beyond 16 digits");
	ok(parse_hex("10000000000000000", &a) == -ERANGE, "65 bits rejected");
	ok(parse_hex("0x", &a) == -EINVAL, "bare 0x rejected");
	ok(parse_hex("", &a) == -EINVAL, "empty rejected");
	ok(parse_hex("0xg", &a) == -EINVAL, "non-hex digit rejected");
	ok(parse_hex("-1", &a) == -EINVAL, "sign rejected");
	ok(parse_hex(" 1", &a) == -EINVAL, "space rejected");

	ok(parse_range("1000-2000", &a, &b) == 0 && a == 0x1000 && b == 0x2000,
	   "range without prefixes");
	ok(parse_range("0x7f0000000000-0x7f0000004000", &a, &b) == 0 &&
	   a == 0x7f0000000000 && b == 0x7f0000004000, "range with prefixes");
	ok(parse_range("0x1000-2000", &a, &b) == 0 && a == 0x1000 && b == 0x2000,
	   "mixed prefixes");
	ok(parse_range("2000-1000", &a, &b) == 0 && a == 0x2000 && b == 0x1000,
	   "inverted range parses (the kernel judges it)");
	ok(parse_range("1000", &a, &b) == -EINVAL, "range without dash");
	ok(parse_range("1000-", &a, &b) == -EINVAL, "range without end");
	ok(parse_range("-1000", &a, &b) == -EINVAL, "range without start");
	ok(parse_range("1-2-3", &a, &b) == -EINVAL, "two dashes");
	ok(parse_range("1x-2", &a, &b) == -EINVAL, "garbage in start");
}

static void test_human(void)
{
	static const struct {
		uint64_t bytes;
		const char *want;
	} sizes[] = {
		{ 0, "0" }, { 1, "1B" }, { 1023, "1023B" }, { 4096, "4K" },
		{ 1536 * 1024, "1.5M" }, { 132 * 1024, "132K" },
		{ 1048575, "1M" }, { 1048576, "1M" }, { 1023 * 1024, "1023K" },
		{ 10 * 1048576 + 1048575, "11M" }, { 1900 * 1024, "1.9M" },
		{ 9 * 1048576 + 1000 * 1024, "10M" }, { 1024 * 1024 + 1, "1M" },
		{ 128ULL << 40, "128T" }, { 1ULL << 50, "1P" },
		{ (1ULL << 56) - 4096, "64P" }, { UINT64_MAX, "16E" },
		{ 9ULL << 60 | 1ULL << 59, "9.5E" },
	};
	char buf[32], perms[5];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[64];

		fmt_size(sizes[i].bytes, buf, sizeof(buf));
		snprintf(name, sizeof(name), "size %llu is %s",
			 (unsigned long long)sizes[i].bytes, sizes[i].want);
		is_str(buf, sizes[i].want, name);
	}

	fmt_perms(PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_WRITE, perms);
	is_str(perms, "rw-p", "private rw perms");
	fmt_perms(PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_EXEC | PTSCOPE_VMA_F_MAYSHARE, perms);
	is_str(perms, "r-xs", "shared perms follow MAYSHARE");
	fmt_perms(0, perms);
	is_str(perms, "---p", "no perms");

	fmt_dev((8 << 8) | 1, buf, sizeof(buf));	/* new_encode_dev(MKDEV(8, 1)) */
	is_str(buf, "8:1", "dev 8:1");
	fmt_dev((253 << 8) | (300 & 0xff) | ((300 & ~0xffu) << 12), buf, sizeof(buf));
	is_str(buf, "253:300", "dev with a minor above 255");
	fmt_dev(0, buf, sizeof(buf));
	is_str(buf, "0:0", "no device");

	is_num(hex_digits(0), 1, "hex digits of 0");
	is_num(hex_digits(0x7fffffffffff), 12, "hex digits of 4-level user end");
	is_num(hex_digits(0xfffffffffffff), 13, "hex digits of 13 nibbles");

	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		fput_sanitized("/tmp/a\nb\033[31m\\x", f);
		fclose(f);
		is_str(out, "/tmp/a\\012b\\033[31m\\134x", "terminal output escapes control bytes");
		free(out);
	}
}

static void test_term(void)
{
	ok(color_mode_parse("auto") == COLOR_AUTO, "--color=auto");
	ok(color_mode_parse("always") == COLOR_ALWAYS, "--color=always");
	ok(color_mode_parse("never") == COLOR_NEVER, "--color=never");
	ok(color_mode_parse("sometimes") == -1, "bad --color value");
	ok(color_wanted(COLOR_AUTO, true, NULL, "xterm"), "auto on a tty");
	ok(!color_wanted(COLOR_AUTO, false, NULL, "xterm"), "auto off a tty");
	ok(!color_wanted(COLOR_AUTO, true, "1", "xterm"), "NO_COLOR disables auto");
	ok(color_wanted(COLOR_AUTO, true, "", "xterm"), "empty NO_COLOR is ignored");
	ok(!color_wanted(COLOR_AUTO, true, NULL, "dumb"), "TERM=dumb disables auto");
	ok(color_wanted(COLOR_ALWAYS, false, "1", NULL), "always beats NO_COLOR and pipes");
	ok(!color_wanted(COLOR_NEVER, true, NULL, "xterm"), "never");
}

void test_format(void)
{
	test_names();
	test_flag_strings();
	test_parse();
	test_human();
	test_term();
}
