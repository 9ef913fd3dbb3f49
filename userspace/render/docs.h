/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces of the JSON documents that more than one command writes: `info`
 * and `record` share the info object, `maps` and `record` the VMA object,
 * `pages` and `record` the run object.  One writer each keeps them equal.
 */
#ifndef PTSCOPE_DOCS_H
#define PTSCOPE_DOCS_H

#include "json.h"
#include "snapshot.h"

/* {"module_version", ...} under @key (NULL in an array or at the top). */
void json_info(struct json *j, const char *key, const struct ptscope_info *in);
/* The same members, inside an object the caller has begun. */
void json_info_fields(struct json *j, const struct ptscope_info *in);
/*
 * {"start","end","size","perms","flags","kind","name","offset","inode","dev","pages"};
 * @page_flags: see json_counts().
 */
void json_vma(struct json *j, const struct snap_vma *v, uint32_t page_flags);
/*
 * "pages": {"total", "present", ...}, without the counts of pages with a
 * flag not in @page_flags (the kernel's, snapshot_page_flags()): on arm64
 * there is no "soft_dirty", rather than a 0 that would mean none.
 */
void json_counts(struct json *j, const struct counts *n, uint32_t page_flags);
/* {"start","end","pages","flags"}: never PFNs or swap slots (see record). */
void json_run(struct json *j, const struct snapshot *s, const struct snap_run *r);

/*
 * "key": the names of bits 0 to @bits - 1 (16 or 32) of a block's flags
 * words, so that a reader maps them by name (as it does the runs'
 * "flags") and not by a numbering.
 */
void json_page_flag_bits(struct json *j, const char *key, unsigned int bits);
/*
 * {"start","end","pages","flags16"}: a compact block, its words in base64
 * (flags16.h); "flags32" for 32-bit words (snapshot.block_word 4).
 */
void json_block(struct json *j, const struct snapshot *s, const struct snap_block *b);

/* "key": {"entries", "present", ...}: what one sample-access did (heat). */
void json_access_stats(struct json *j, const char *key, const struct ptscope_access_stats *s);

#endif /* PTSCOPE_DOCS_H */
