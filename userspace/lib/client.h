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
	unsigned long dumps_interrupted;	/* NLM_F_DUMP_INTR seen */
};

#endif /* PTSCOPE_CLIENT_INTERNAL_H */
