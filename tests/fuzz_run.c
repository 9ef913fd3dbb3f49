// SPDX-License-Identifier: GPL-2.0
/* fuzz_test's loop and judge: what every reply must be (fuzz_test.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "fuzz_run.h"

#define MAX_LOGGED	25

static const char *const cls_name[CL_NR] = {
	"valid", "genl-version", "nlmsg-flags", "unknown-cmd", "do/dump-mismatch",
	"short-header", "missing-attr", "duplicate-attr", "bad-length/type",
	"nla_len-lies", "truncated", "unknown-attr", "reply-only-attr",
	"nested-garbage", "unknown-flag-bits", "bad-range/addr", "bad-pid",
	"random-bytes",
};

struct stats *st;

__attribute__((constructor)) static void stats_init(void)
{
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		abort();
}

static bool ptscope_message(const char *m)
{
	static const char *const prefixes[] = {
		"no such process", "process is", "permission denied", "range ",
		"address is beyond", "unknown flag bits", "missing attribute",
		"page tables kept changing", "process exited during",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(m, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void dump_req(const struct fnl_req *r, char *out, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < r->len && i < 96 && o + 3 < n; i++)
		o += snprintf(out + o, n - o, "%02x", r->buf[i]);
	if (i < r->len && o + 4 < n)
		snprintf(out + o, n - o, "...");
}

static void fail(struct fz_ctx *c, const struct fnl_req *r, int cls,
		 const struct fnl_result *res, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fail(struct fz_ctx *c, const struct fnl_req *r, int cls,
		 const struct fnl_result *res, const char *fmt, ...)
{
	char hex[256] = "";
	va_list ap;

	c->failures++;
	if (INC(logged) >= MAX_LOGGED)
		return;
	dump_req(r, hex, sizeof(hex));
	printf("# FUZZ FAIL [%s] class %s: ", c->who, cls_name[cls]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (reply errno %d, msg \"%s\", %u msgs) request %s\n",
	       res->error, res->msg, res->nmsgs, hex);
	fflush(stdout);
}

void judge(struct fz_ctx *c, const struct fnl_req *r, int cls, int exp,
	   bool core, const struct fnl_result *res)
{
	int e = -res->error;

	ADD(msgs, res->nmsgs);
	if (!res->terminal) {
		INC(no_reply);
		fail(c, r, cls, res, "no reply");
		return;
	}
	if (res->error > 0) {
		INC(positive_errno);
		fail(c, r, cls, res, "positive errno");
		return;
	}
	INC(by_errno[e < 256 ? e : 256]);
	if (res->leaks) {
		ADD(leaks, res->leaks);
		fail(c, r, cls, res, "kernel-half value in reply: %s", res->leak_what);
	}
	if (res->priv_attrs) {
		ADD(priv_attrs, res->priv_attrs);
		fail(c, r, cls, res, "%s", res->leak_what);
	}
	if (res->malformed) {
		ADD(malformed, res->malformed);
		fail(c, r, cls, res, "malformed reply TLVs");
	}
	if (res->got_info && c->unpriv && res->privileged)
		fail(c, r, cls, res, "get-info says privileged to an unprivileged caller");
	if (!e) {
		INC(ok);
	} else {
		INC(errors);
		if (res->has_msg && ptscope_message(res->msg)) {
			INC(ptscope_msg);
		} else if (res->has_msg) {
			INC(core_msg);
		} else if (res->has_miss) {
			INC(miss_only);
		} else if (core) {
			INC(core_nomsg);
		} else {
			INC(bad_nomsg);
			fail(c, r, cls, res, "error without an extended ACK message");
		}
	}
	if (exp >= 0 && e != exp && !(exp == 0 && e == EAGAIN) &&
	    !(c->alt_einval && e == EINVAL && res->has_msg)) {
		INC(unexpected);
		fail(c, r, cls, res, "expected errno %d, got %d", exp, e);
	} else if (exp == EXP_ANY_ERR && !e) {
		INC(unexpected);
		fail(c, r, cls, res, "expected an error, got success");
	}
}

/* Sends @n requests; returns the number of failures. */
unsigned long fuzz(struct fz_ctx *c, unsigned long n)
{
	struct fnl s;
	struct fnl_req r;
	struct fnl_result res;
	unsigned long i;
	int err = fnl_open(&s, REPLY_TIMEOUT_MS);

	if (err) {
		printf("# [%s] cannot open the family: %d\n", c->who, err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t seq = s.seq++;
		int exp, cls;
		bool core;

		cls = gen(c, s.fam, seq, &r, &exp, &core);
		INC(sent[cls]);
		r.n.nlmsg_len = r.len;
		if (send(s.fd, r.buf, r.len, 0) < 0) {
			memset(&res, 0, sizeof(res));
			fail(c, &r, cls, &res, "send: %s", strerror(errno));
			continue;
		}
		fnl_recv(&s, seq, c->unpriv, 0, &res);
		judge(c, &r, cls, exp, core, &res);
		if (res.timeout) {	/* start over on a clean socket */
			fnl_close(&s);
			if (fnl_open(&s, REPLY_TIMEOUT_MS))
				return c->failures + 1;
		}
	}
	fnl_close(&s);
	return c->failures;
}

void print_summary(void)
{
	unsigned long sent = 0;
	int i;

	for (i = 0; i < CL_NR; i++)
		sent += st->sent[i];
	printf("# fuzz summary: seed 0x%llx, %lu requests sent (FUZZ_REQUESTS=%lu)\n",
	       (unsigned long long)base_seed(), sent, st->requested);
	for (i = 0; i < CL_NR; i++)
		printf("#   class %-18s %8lu\n", cls_name[i], st->sent[i]);
	printf("# replies: %lu ok, %lu errors; %lu ptscope messages received\n",
	       st->ok, st->errors, st->msgs);
	for (i = 0; i < 257; i++)
		if (st->by_errno[i] && i)
			printf("#   %-14s %8lu\n", i == 256 ? "other" : strerror(i),
			       st->by_errno[i]);
	printf("# errors with a ptscope message %lu, with a netlink core (policy) message %lu,\n"
	       "#   with only a missing-attribute TLV %lu, core rejections without message\n"
	       "#   (unknown command, do/dump mismatch, short header: accepted) %lu,\n"
	       "#   errors without message (failures) %lu\n",
	       st->ptscope_msg, st->core_msg, st->miss_only, st->core_nomsg,
	       st->bad_nomsg);
	printf("# no reply %lu, kernel-half values %lu, privileged attrs to unprivileged %lu,\n"
	       "#   malformed replies %lu, positive errno %lu, unexpected errno %lu\n",
	       st->no_reply, st->leaks, st->priv_attrs, st->malformed,
	       st->positive_errno, st->unexpected);
	printf("# abandoned dumps %lu (second dump on a busy socket: EBUSY %lu)\n",
	       st->abandoned, st->ebusy);
	fflush(stdout);
}
