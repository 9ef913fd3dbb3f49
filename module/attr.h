/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attribute writers for room reserved once (skb_tailroom() checked,
 * __skb_put() of the total).  Where a message gets many small items (a
 * VMA's description, a block per one-page VMA), nla_put()'s checks and
 * skb updates for each attribute were most of the cost per item: under
 * TCG ~2.7 of ~3.4 us per VMA of get-vmas, timed with local_clock().
 */
#ifndef PTSCOPE_ATTR_H
#define PTSCOPE_ATTR_H

#include <linux/build_bug.h>
#include <linux/string.h>
#include <net/netlink.h>

/* Write an attribute at @pos; returns where the next one goes. */
static inline void *ptscope_attr_put(void *pos, u16 type, const void *data,
				     u16 len)
{
	struct nlattr *a = pos;

	a->nla_type = type;
	a->nla_len = nla_attr_size(len);
	memcpy(nla_data(a), data, len);
	memset((char *)nla_data(a) + len, 0, nla_padlen(len));
	return (char *)pos + nla_total_size(len);
}

/* Its room is nla_total_size(sizeof(u64)): x86 needs no padding attribute. */
static inline void *ptscope_attr_put_u64(void *pos, u16 type, u64 value)
{
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS));
	return ptscope_attr_put(pos, type, &value, sizeof(value));
}

static inline void *ptscope_attr_put_u32(void *pos, u16 type, u32 value)
{
	return ptscope_attr_put(pos, type, &value, sizeof(value));
}

#endif /* PTSCOPE_ATTR_H */
