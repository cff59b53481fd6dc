/* SPDX-License-Identifier: GPL-2.0 */
/* Rewrites an IPv4 address and L4 port of a packet with checksums fixed incrementally (RFC 1624).
 * XDP: the frame's checksums are complete (XDP mode needs the container's TX checksum offload off), so they are
 * patched in place. tc: the skb may carry CHECKSUM_PARTIAL (offload on), which only the kernel's csum helpers
 * handle correctly; they may move the packet, so pointers are re-loaded afterwards. */
#ifndef BASTION_REWRITE_H
#define BASTION_REWRITE_H

#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "parsing.h"

enum side {
	SIDE_SOURCE = 0,
	SIDE_DESTINATION = 1,
};

/* One's complement sums are byte-order independent, so the raw (network order) words are used as loaded. */
static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline __u16 csum_replace4(__u16 check, __be32 from, __be32 to)
{
	__u32 sum = (__u16)~check;

	sum += (~from & 0xffff) + (~from >> 16) + (to & 0xffff) + (to >> 16);
	return csum_fold32(sum);
}

static __always_inline __u16 csum_replace2(__u16 check, __be16 from, __be16 to)
{
	__u32 sum = (__u16)~check;

	sum += (__u16)~from + (__u16)to;
	return csum_fold32(sum);
}

static __always_inline __u32 l4_check_offset(__u8 proto)
{
	return proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) : offsetof(struct udphdr, check);
}

static __always_inline void reload(void *ctx, struct pkt *p, const int tc)
{
	if (tc) {
		struct __sk_buff *skb = ctx;

		p->data = (void *)(long)skb->data;
		p->data_end = (void *)(long)skb->data_end;
	}
}

static __always_inline int rewrite_xdp(struct pkt *p, enum side side, __be32 ip, __be16 port)
{
	struct iphdr *iph = ip_of(p);
	__u8 *l4 = l4_of(p, sizeof(struct tcphdr));
	__be32 *addr;
	__be16 *ports, *check;
	__be32 old_ip;
	__be16 old_port;

	if (p->proto == IPPROTO_UDP)
		l4 = l4_of(p, sizeof(struct udphdr));
	if (!iph || !l4)
		return -1;
	addr = side == SIDE_SOURCE ? &iph->saddr : &iph->daddr;
	ports = (__be16 *)l4 + (side == SIDE_SOURCE ? 0 : 1);
	check = (__be16 *)(l4 + l4_check_offset(p->proto));
	old_ip = *addr;
	old_port = *ports;

	iph->check = csum_replace4(iph->check, old_ip, ip);
	if (p->proto == IPPROTO_TCP || *check) {
		__u16 sum = csum_replace2(csum_replace4(*check, old_ip, ip), old_port, port);

		*check = (p->proto == IPPROTO_UDP && sum == 0) ? 0xffff : sum;
	}
	*addr = ip;
	*ports = port;
	return 0;
}

static __always_inline int rewrite_tc(struct __sk_buff *skb, struct pkt *p, enum side side, __be32 ip, __be16 port)
{
	__u32 addr_off = sizeof(struct ethhdr) + (side == SIDE_SOURCE ? offsetof(struct iphdr, saddr)
								       : offsetof(struct iphdr, daddr));
	__u32 l4_off = p->l4_off & 0x7f;
	__u32 port_off = l4_off + (side == SIDE_SOURCE ? 0 : 2);
	__u32 check_off = l4_off + l4_check_offset(p->proto);
	__u64 mangled = p->proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;
	__be32 old_ip = side == SIDE_SOURCE ? p->saddr : p->daddr;
	__be16 old_port = side == SIDE_SOURCE ? p->sport : p->dport;

	if (bpf_l4_csum_replace(skb, check_off, old_ip, ip, BPF_F_PSEUDO_HDR | mangled | sizeof(ip)) ||
	    bpf_l4_csum_replace(skb, check_off, old_port, port, mangled | sizeof(port)) ||
	    bpf_l3_csum_replace(skb, sizeof(struct ethhdr) + offsetof(struct iphdr, check), old_ip, ip, sizeof(ip)) ||
	    bpf_skb_store_bytes(skb, addr_off, &ip, sizeof(ip), 0) ||
	    bpf_skb_store_bytes(skb, port_off, &port, sizeof(port), 0))
		return -1;
	return 0;
}

/* Rewrites one side's address and port and updates pkt's copies. Only for unfragmented TCP/UDP. */
static __always_inline int rewrite_address(void *ctx, struct pkt *p, const int tc, enum side side, __be32 ip,
					   __be16 port)
{
	int err = tc ? rewrite_tc(ctx, p, side, ip, port) : rewrite_xdp(p, side, ip, port);

	reload(ctx, p, tc);
	if (err)
		return err;
	if (side == SIDE_SOURCE) {
		p->saddr = ip;
		p->sport = port;
	} else {
		p->daddr = ip;
		p->dport = port;
	}
	return 0;
}

#endif
