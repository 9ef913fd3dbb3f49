// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the static build only (make STATIC=1), which wraps these
 * glibc name-service lookups with -Wl,--wrap (see the Makefile).  libnl's
 * address and protocol-name helpers refer to them; ptscope never calls
 * those helpers.  A static glibc could only answer such a lookup with the
 * NSS shared libraries of the exact glibc version it was linked against,
 * which the box this binary is copied to may well lack: failing plainly
 * is the honest answer, and it keeps glibc's link-time warnings out of
 * the build.
 */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>

int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);
struct protoent *__wrap_getprotobyname(const char *name);
struct protoent *__wrap_getprotobynumber(int proto);

int __wrap_getaddrinfo(const char *node, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	errno = ENOSYS;
	return EAI_SYSTEM;
}

struct protoent *__wrap_getprotobyname(const char *name)
{
	(void)name;
	return NULL;
}

struct protoent *__wrap_getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}
