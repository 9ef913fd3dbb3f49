// SPDX-License-Identifier: GPL-2.0
/*
 * The command tables (struct cli_command, cli.h) against the documents
 * written by hand beside them, and against main.c's assumptions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tap.h"

/*
 * Every option of every command's table is in the man page and the bash
 * completion: the tables are the source, the documents must follow.
 */
void test_options(void)
{
	struct { const char *path; char *text; } docs[] = {
		{ "ptscope.8", NULL }, { "ptscope.bash-completion", NULL },
	};
	size_t i, d;

	for (d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		FILE *f = fopen(docs[d].path, "r");
		size_t n = 0;

		docs[d].text = calloc(1, 1 << 20);
		if (f && docs[d].text)
			n = fread(docs[d].text, 1, (1 << 20) - 1, f);
		ok(n > 0, "%s readable", docs[d].path);
		if (f)
			fclose(f);
	}
	for (i = 0; i < cli_nr_commands; i++) {
		const struct cli_command *cmd = cli_commands[i];
		const struct cli_option *o;

		for (o = cmd->options; o && o->name; o++) {
			/* the man page escapes dashes: \-\-no\-compact */
			char man[64], *p = man;

			for (const char *c = o->name; *c && p < man + sizeof(man) - 3; c++) {
				if (*c == '-')
					*p++ = '\\';
				*p++ = *c;
			}
			*p = '\0';
			ok(docs[0].text && strstr(docs[0].text, man),
			   "ptscope.8 documents %s %s", cmd->name, o->name);
			ok(docs[1].text && strstr(docs[1].text, o->name),
			   "bash completion knows %s %s", cmd->name, o->name);
		}
	}
	for (d = 0; d < sizeof(docs) / sizeof(docs[0]); d++)
		free(docs[d].text);

	/* main.c reads "--top N" before it knows the command: one meaning only. */
	for (i = 0; i < cli_nr_commands; i++) {
		const struct cli_option *o, *p;
		bool same = true;

		for (o = cli_commands[i]->options; o && o->name; o++)
			for (size_t k = 0; k < cli_nr_commands; k++)
				if ((p = cli_find_option(cli_commands[k], o->name)))
					same &= !p->arg == !o->arg;
		ok(same, "options of %s take a value wherever they appear",
		   cli_commands[i]->name);
	}
}
