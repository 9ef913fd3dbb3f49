// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: escaping, UTF-8 repair, commas and nesting. */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "tap.h"

static void escapes(const char *in, const char *want, const char *name)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	json_write_string(f, in);
	fclose(f);
	is_str(out, want, name);
	free(out);
}

void test_json(void)
{
	char *out = NULL;
	size_t len = 0;
	struct json j;
	FILE *f;

	escapes("plain", "\"plain\"", "plain string");
	escapes("", "\"\"", "empty string");
	escapes("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	escapes("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"", "short escapes");
	escapes("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "other control bytes");
	escapes("/tmp/caf\xc3\xa9", "\"/tmp/caf\xc3\xa9\"", "valid 2-byte UTF-8 kept");
	escapes("\xe2\x96\x88\xf0\x9f\x98\x80", "\"\xe2\x96\x88\xf0\x9f\x98\x80\"",
		"valid 3- and 4-byte UTF-8 kept");
	escapes("a\xff" "b", "\"a\\ufffdb\"", "invalid byte replaced");
	escapes("\xc3", "\"\\ufffd\"", "truncated sequence at the end");
	escapes("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong encoding rejected");
	escapes("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate rejected");
	escapes("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF rejected");
	escapes("\xe2\x96", "\"\\ufffd\\ufffd\"", "truncated 3-byte sequence");
	escapes("</script>", "\"</script>\"", "slash not escaped");

	f = open_memstream(&out, &len);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", 42);
	json_hex(&j, "addr", 0xff00000000000000ULL);
	json_arr_begin(&j, "flags");
	json_str(&j, NULL, "present");
	json_str(&j, NULL, "write");
	json_arr_end(&j);
	json_arr_begin(&j, "empty");
	json_arr_end(&j);
	json_obj_begin(&j, "vma");
	json_bool(&j, "leaf", true);
	json_bool(&j, "folded", false);
	json_obj_end(&j);
	json_arr_begin(&j, "levels");
	json_obj_begin(&j, NULL);
	json_u64(&j, "index", 0);
	json_obj_end(&j);
	json_obj_begin(&j, NULL);
	json_u64(&j, "index", UINT64_MAX);
	json_obj_end(&j);
	json_arr_end(&j);
	json_str(&j, "name\"", "x");
	json_obj_end(&j);
	fclose(f);
	is_str(out, "{\"pid\":42,\"addr\":\"0xff00000000000000\","
	       "\"flags\":[\"present\",\"write\"],\"empty\":[],"
	       "\"vma\":{\"leaf\":true,\"folded\":false},"
	       "\"levels\":[{\"index\":0},{\"index\":18446744073709551615}],"
	       "\"name\\\"\":\"x\"}", "document structure and commas");
	free(out);
}
