/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal TAP producer for the unit tests. */
#ifndef PTSCOPE_TAP_H
#define PTSCOPE_TAP_H

#include <stdbool.h>

extern int tap_passed, tap_failed;

/* Records one test; prints "ok N - name" or "not ok N - name". */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ok() with both strings printed as a diagnostic on mismatch. */
bool tap_streq(const char *got, const char *want, const char *name);
bool tap_u64eq(unsigned long long got, unsigned long long want, const char *name);

#define ok(cond, ...)		tap_ok((cond), __VA_ARGS__)
#define is_str(g, w, name)	tap_streq((g), (w), (name))
#define is_num(g, w, name)	tap_u64eq((unsigned long long)(g), (unsigned long long)(w), (name))

void test_format(void);
void test_json(void);
void test_jsonr(void);
void test_recording(void);
void test_density(void);
void test_snapshot(void);
void test_client(void);
void test_blocks(void);
void test_cli(void);
void test_render(void);
void test_track_lib(void);
void test_track(void);
void test_options(void);
void test_heat(void);
void test_heat_cli(void);
void test_metrics(void);

#endif /* PTSCOPE_TAP_H */
