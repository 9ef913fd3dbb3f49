// SPDX-License-Identifier: GPL-2.0
#include "docs.h"
#include "fmt.h"
#include "ptscope_priv.h"

void json_info(struct json *j, const char *key, const struct ptscope_info *in)
{
	json_obj_begin(j, key);
	json_str(j, "module_version", in->module_version);
	json_u64(j, "proto_version", in->proto_version);
	json_str(j, "kernel_release", in->kernel_release);
	json_u64(j, "page_size", in->page_size);
	json_u64(j, "pgtable_levels", in->pgtable_levels);
	json_hex(j, "user_va_end", in->user_va_end);
	json_flag_names(j, "features", in->features, ptscope_feature_bit_name);
	json_bool(j, "privileged", in->privileged);
	json_bool(j, "allow_same_user", in->allow_same_user);
	json_u64(j, "live_dumps", in->live_dumps);
	json_obj_end(j);
}

void json_counts(struct json *j, const struct counts *n)
{
	json_obj_begin(j, "pages");
	json_u64(j, "total", n->total);
	json_u64(j, "present", n->present);
	json_u64(j, "accessed", n->accessed);
	json_u64(j, "dirty", n->dirty);
	json_u64(j, "writable", n->writable);
	json_u64(j, "swap", n->swap);
	json_u64(j, "soft_dirty", n->soft_dirty);
	json_u64(j, "huge_pmd", n->huge_pmd);
	json_u64(j, "huge_pud", n->huge_pud);
	json_u64(j, "migration", n->migration);
	json_u64(j, "protnone", n->protnone);
	json_obj_end(j);
}

void json_vma(struct json *j, const struct snap_vma *v)
{
	char perms[5], dev[24];

	fmt_perms(v->flags, perms);
	fmt_dev(v->dev, dev, sizeof(dev));
	json_obj_begin(j, NULL);
	json_hex(j, "start", v->start);
	json_hex(j, "end", v->end);
	json_u64(j, "size", v->end - v->start);
	json_str(j, "perms", perms);
	json_flag_names(j, "flags", v->flags, ptscope_vma_flag_bit_name);
	json_str(j, "kind", ptscope_vma_kind_name(v->kind));
	json_str(j, "name", v->name);
	json_u64(j, "offset", v->pgoff);
	json_u64(j, "inode", v->inode);
	json_str(j, "dev", dev);
	json_counts(j, &v->n);
	json_obj_end(j);
}

void json_run(struct json *j, const struct snapshot *s, const struct snap_run *r)
{
	json_obj_begin(j, NULL);
	json_hex(j, "start", r->start);
	json_hex(j, "end", snap_run_end(s, r));
	json_u64(j, "pages", r->nr_pages);
	json_flag_names(j, "flags", r->flags, ptscope_page_flag_bit_name);
	json_obj_end(j);
}
