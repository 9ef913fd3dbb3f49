// SPDX-License-Identifier: GPL-2.0
/*
 * The recording reader's layer over json-c: strict syntax, errors with
 * LINE:COL, and u64 values that are exact or refused (json-c's own getters
 * clamp instead).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "jsonr.h"
#include "tap.h"

static struct json_object *parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return jsonr_parse(text, strlen(text), err, errlen);
}

/* @text must fail with @what at @pos ("LINE:COL"). */
static void rejects(const char *text, const char *pos, const char *what)
{
	char err[128];
	struct json_object *v = parse(text, err, sizeof(err));

	ok(!v && !strncmp(err, pos, strlen(pos)) && strstr(err, what),
	   "jsonr: rejects %s at %s (%s)", what, pos, err);
	json_object_put(v);
}

/* @lit as a document's only value: its u64, or the error. */
static int u64_of(const char *lit, uint64_t *out)
{
	char err[128];
	struct json_object *v = parse(lit, err, sizeof(err));
	int rc;

	if (!v)
		return -100;
	rc = jsonr_u64(v, out);
	json_object_put(v);
	return rc;
}

static void u64_values(void)
{
	static const struct { const char *lit; uint64_t want; } good[] = {
		{ "0", 0 },
		{ "9223372036854775807", INT64_MAX },
		/* above INT64_MAX: json-c stores these as uint64 */
		{ "9223372036854775808", (uint64_t)INT64_MAX + 1 },
		{ "18446744073709551615", UINT64_MAX },
		{ "\"0xffffffffffffffff\"", UINT64_MAX },
		{ "\"0x8000000000000000\"", 1ULL << 63 },
		{ "\"0xfffffffffffff000\"", 0xfffffffffffff000ULL },
		{ "\"0x0\"", 0 },
	};
	static const struct { const char *lit; int rc; } bad[] = {
		{ "-1", -EINVAL },
		{ "-9223372036854775808", -EINVAL },
		{ "1.5", -EINVAL },
		{ "1e3", -EINVAL },
		{ "true", -EINVAL },
		{ "\"12\"", -EINVAL },
		{ "\"0x\"", -EINVAL },
		{ "\"0xg\"", -EINVAL },
		{ "\"0x10000000000000000\"", -ERANGE },
	};
	uint64_t n;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = 0;
		ok(!u64_of(good[i].lit, &n) && n == good[i].want,
		   "jsonr: %s is u64 %llu exactly", good[i].lit, (unsigned long long)n);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(u64_of(bad[i].lit, &n) == bad[i].rc, "jsonr: %s is not a u64 (%d)",
		   bad[i].lit, bad[i].rc);
	ok(jsonr_u64(NULL, &n) == -EINVAL, "jsonr: an absent member is not a u64");
}

void test_jsonr(void)
{
	static const char doc[] = " {\"a\": [1, \"0x10\", true, null, -2.5e3],"
		" \"s\": \"x\\u00e9\\ud83d\\ude00\\n\", \"big\": 18446744073709551615}\n";
	char err[128], deep[JSONR_MAX_DEPTH + 2];
	struct json_object *v = parse(doc, err, sizeof(err));
	struct json_object *a = jsonr_get(v, "a");
	uint64_t n = 0;

	ok(v && json_object_array_length(a) == 5, "jsonr: object with an array of 5");
	ok(!jsonr_u64(json_object_array_get_idx(a, 1), &n) && n == 16, "jsonr: \"0x10\" as u64");
	ok(!jsonr_u64(jsonr_get(v, "big"), &n) && n == UINT64_MAX, "jsonr: 2^64-1 exact");
	ok(jsonr_u64(json_object_array_get_idx(a, 4), &n) == -EINVAL, "jsonr: -2.5e3 is not a u64");
	is_str(jsonr_str(jsonr_get(v, "s")), "x\u00e9\U0001F600\n", "jsonr: escapes and surrogates");
	ok(!jsonr_str(jsonr_get(v, "big")) && !jsonr_get(v, "nope") && !jsonr_get(a, "a") &&
	   jsonr_u64(json_object_array_get_idx(a, 3), &n) == -EINVAL,
	   "jsonr: wrong types, absent keys and null are not values");
	json_object_put(v);

	v = parse("7", err, sizeof(err));
	ok(v && !jsonr_u64(v, &n) && n == 7, "jsonr: a number that ends the input");
	json_object_put(v);

	rejects("{\"a\":1,}", "1:8", "unexpected character");
	rejects("{\n  \"a\": tru}", "2:11", "boolean expected");
	rejects("\"abc", "1:", "unexpected end");
	rejects("{\"vmas\": [1, 2", "1:", "unexpected end");
	rejects("", "1:1", "unexpected end");
	rejects("1 2", "1:3", "unexpected character ('2')");
	rejects("{} x", "1:4", "unexpected character ('x')");
	rejects("{a: 1}", "1:2", "property name expected");
	rejects(" null ", "1:1", "null");
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	rejects(deep, "1:", "nested too deeply");
	u64_values();
}
