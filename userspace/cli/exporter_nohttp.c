// SPDX-License-Identifier: GPL-2.0
/* `ptscope exporter` in a static build (exporter.h says why it cannot serve). */
#include <stdio.h>

#include "cli.h"
#include "exporter.h"

int exporter_serve(const struct exporter_cfg *cfg)
{
	(void)cfg;
	fprintf(stderr, "ptscope: this ptscope is linked statically, without libmicrohttpd "
		"(Debian has no static GnuTLS for it): `exporter` needs the default build; "
		"`ptscope metrics` works here\n");
	return EXIT_FAILED;
}
