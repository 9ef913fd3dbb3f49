// SPDX-License-Identifier: GPL-2.0
/*
 * Renderers on recorded input: `ptscope maps --input FIXTURE ...` against
 * golden files in tests/golden/.  No kernel, no VM, deterministic.  Any
 * change in output fails; `make update-golden` (PTSCOPE_UPDATE_GOLDEN=1)
 * rewrites the golden files on purpose, to be reviewed in the diff.
 *
 * Fixtures: tests/fixtures/workload.json, recorded with `ptscope record` from
 * tests/out/workload in a Linux 6.12 VM (5-level paging), and
 * tests/fixtures/many.json, 10,000 VMAs made by tests/gen-many.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

int ptscope_main(int argc, char **argv);

#define WL	"tests/fixtures/workload.json"
#define MANY	"tests/fixtures/many.json"

static char *slurp_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Run ptscope with @argv (NULL-terminated) in the C.UTF-8 locale. */
static int run(char **argv, char **out, char **err)
{
	char outp[] = "/tmp/ptscope-render-out.XXXXXX", errp[] = "/tmp/ptscope-render-err.XXXXXX";
	int fo = mkstemp(outp), fe = mkstemp(errp), argc = 0, status;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fo, STDOUT_FILENO);
		dup2(fe, STDERR_FILENO);
		setenv("LC_ALL", "C.UTF-8", 1);
		exit(ptscope_main(argc, argv));
	}
	waitpid(pid, &status, 0);
	close(fo);
	close(fe);
	*out = slurp_path(outp, NULL);
	*err = slurp_path(errp, NULL);
	unlink(outp);
	unlink(errp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* First differing line, for the diagnostic. */
static void show_diff(const char *got, const char *want)
{
	int line = 1;

	while (*got && *got == *want) {
		if (*got == '\n')
			line++;
		got++;
		want++;
	}
	printf("#   first difference on line %d\n#   got:  %.100s\n#   want: %.100s\n",
	       line, got, want);
}

static void golden(const char *name, char **argv)
{
	char path[256], *out, *err, *want;
	int rc = run(argv, &out, &err);

	snprintf(path, sizeof(path), "tests/golden/%s", name);
	if (rc || !out) {
		ok(false, "golden %s: exit %d: %s", name, rc, err ? err : "");
		goto done;
	}
	if (getenv("PTSCOPE_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		ok(f && fputs(out, f) >= 0 && !fclose(f), "golden %s: rewritten", name);
		goto done;
	}
	want = slurp_path(path, NULL);
	if (!ok(want && !strcmp(out, want), "golden %s", name)) {
		if (want)
			show_diff(out, want);
		else
			printf("#   %s missing: make update-golden\n", path);
	}
	free(want);
done:
	free(out);
	free(err);
}

static void fails(int want_rc, const char *errsub, char **argv, const char *name)
{
	char *out, *err;
	int rc = run(argv, &out, &err);

	if (!ok(rc == want_rc && err && strstr(err, errsub) && out && !out[0], "%s", name))
		printf("#   rc %d, stderr: %s\n", rc, err ? err : "(null)");
	free(out);
	free(err);
}

/*
 * 10,000 VMAs: no golden file (1.5 MB), but the promises: grouped down to
 * at most 400 blocks, every VMA accounted for, a complete document.
 */
static void many_svg(void)
{
	char *out, *err, *p;
	int rc = run((char *[]){ "ptscope", "maps", "--input", MANY, "--svg", "-", NULL },
		     &out, &err);
	size_t blocks = 0;

	for (p = out; p && (p = strstr(p, "<g class=\"vma\">")); p++)
		blocks++;
	ok(rc == 0 && out && strstr(out, "10003 VMAs") && strstr(out, "drawn as") &&
	   blocks > 100 && blocks <= 400 && strstr(out, "</svg>\n"),
	   "10,000 VMAs: SVG with %zu grouped blocks (at most 400)", blocks);
	ok(out && strlen(out) < 2000000, "10,000 VMAs: SVG under 2 MB (%zu bytes)",
	   out ? strlen(out) : 0);
	free(out);
	free(err);
}

/*
 * A JSON document of megabytes is kept whole until it is complete: the
 * buffer behind it grows many times and must lose nothing.
 */
static void many_json(void)
{
	char *out, *err;
	int rc = run((char *[]){ "ptscope", "maps", "--input", MANY, "--json", NULL },
		     &out, &err);
	size_t len = out ? strlen(out) : 0, vmas = 0;
	const char *p;

	for (p = out; p && (p = strstr(p, "{\"start\":")); p++)
		vmas++;
	ok(rc == 0 && len > 1000000 && !strncmp(out, "{\"pid\":", 7) &&
	   vmas == 10003 && strstr(out, "\"totals\":{\"vmas\":10003,") &&
	   !strcmp(out + len - 4, "}}}\n"),
	   "10,000 VMAs: a whole JSON document of %zu bytes, %zu VMAs", len, vmas);
	free(out);
	free(err);
}

void test_render(void)
{
	golden("workload.txt", (char *[]){ "ptscope", "maps", "--input", WL, NULL });
	golden("workload-ascii-color.txt", (char *[]){ "ptscope", "maps", "--input", WL,
		"--color=always", "--no-summary", NULL });
	golden("workload.json", (char *[]){ "ptscope", "maps", "--json", "--input", WL, NULL });
	golden("workload-sort-rss-anon.txt", (char *[]){ "ptscope", "maps", "--input", WL,
		"--sort", "rss", "--anon", NULL });
	golden("workload-name-range.txt", (char *[]){ "ptscope", "maps", "--input", WL,
		"--name=*libc.so*", "--range", "7f3053000000-7f3053800000", NULL });
	golden("workload-summary.txt", (char *[]){ "ptscope", "maps", "--input", WL,
		"--summary", NULL });
	/* A maps --json document has counts but no runs: blank bars. */
	golden("workload-noruns.txt", (char *[]){ "ptscope", "maps", "--input",
		"tests/golden/workload.json", NULL });
	golden("workload.svg", (char *[]){ "ptscope", "maps", "--input", WL, "--svg", "-", NULL });
	golden("workload.html", (char *[]){ "ptscope", "maps", "--input", WL, "--html", "-", NULL });
	golden("many-summary-stacks.txt", (char *[]){ "ptscope", "maps", "--input", MANY,
		"--summary", "--range", "7f0100000000-7f0200000000", NULL });
	golden("many-sort-dirty-file.txt", (char *[]){ "ptscope", "maps", "--input", MANY,
		"--sort=dirty", "--file", "--name", "libmod59", NULL });
	many_svg();
	many_json();

	fails(1, "No such file", (char *[]){ "ptscope", "maps", "--input", "tests/nonexistent.json",
		NULL }, "--input of a missing file: exit 1, the reason");
	fails(1, "workload.svg:1:1: unexpected", (char *[]){ "ptscope", "maps", "--input",
		"tests/golden/workload.svg", NULL }, "--input of a non-JSON file: exit 1");
	fails(2, "invalid --sort", (char *[]){ "ptscope", "maps", "--input", WL, "--sort", "x",
		NULL }, "--sort with an unknown key: usage error");
	fails(2, "invalid --range", (char *[]){ "ptscope", "maps", "--input", WL, "--range", "5-1",
		NULL }, "--range START >= END: usage error");
	fails(2, "only applies to 'maps heat'", (char *[]){ "ptscope", "info", "--svg", "x", NULL },
	      "--svg with info: usage error");
	fails(2, "needs a value", (char *[]){ "ptscope", "maps", "1", "--svg", NULL },
	      "--svg without FILE: usage error");
	fails(2, "usage", (char *[]){ "ptscope", "maps", "1", "--input", WL, NULL },
	      "PID and --input together: usage error");
}
