/* SPDX-License-Identifier: GPL-2.0 */
/* The client handle, inside libptscope only (transport.c, api.c). */
#ifndef PTSCOPE_CLIENT_INTERNAL_H
#define PTSCOPE_CLIENT_INTERNAL_H

#include <stdbool.h>

#include "ptscope_priv.h"

struct ptscope_client {
	struct nl_sock *sk;
	int family;
	char errmsg[PTSCOPE_ERRMSG_MAX];
	bool no_compact;	/* ptscope_set_compact(c, false) */
	/*
	 * Compact blocks of 32-bit words (PTSCOPE_PAGES_F_FLAGS32): 0 not yet
	 * decided, 1 asked for, -1 not (ptscope_set_flags32(), or decided by
	 * the first get-pages from the module's page flags).
	 */
	int flags32;
	/* The module's page flags, once a get-info on this client told them. */
	bool has_page_flags;
	uint32_t page_flags;
	unsigned long dumps_interrupted;	/* NLM_F_DUMP_INTR seen */
};

#endif /* PTSCOPE_CLIENT_INTERNAL_H */
