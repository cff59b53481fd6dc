// SPDX-License-Identifier: GPL-2.0
/* Bastion's per-container security stack. The logic is written once over (data, data_end) and compiled into the
 * XDP entry (native XDP on the host-side veth) and the tc entry (tcx ingress, bpf_redirect_peer); the `tc`
 * argument is a constant in each entry, so each program keeps only its own hook's helpers.
 * Order: source verification -> ARP -> gateway -> service DNAT -> isolation -> service reverse NAT -> overrides and
 * steering -> forwarding. Anything not understood is dropped (fail closed). bastion_egress guards the other
 * direction: what reaches a container through the bridge. */
#include "maps.h"
#include "parsing.h"
#include "verify.h"
#include "arp.h"
#include "gateway.h"
#include "isolation.h"
#include "steering.h"
#include "forward.h"
#include "guard.h"
#include "events.h"
#include "dpi.h"
#include "services.h"

static __always_inline struct decision bastion_logic(void *ctx, struct pkt *p, __u32 ifindex, const int tc,
						     __u32 *id)
{
	struct endpoint *self = endpoint_of(ifindex);
	__u32 off = disabled_services();
	int network = !(off & SERVICE_NETWORK_VISIBILITY), traffic = !(off & SERVICE_TRAFFIC_VISIBILITY);
	struct ethhdr *eth;
	struct nat_origin service;
	enum reason reason;
	__u32 override;
	int dnat;

	*id = 0;
	if (!self)
		return drop(REASON_UNKNOWN_IFINDEX);
	*id = self->id;
	eth = eth_of(p);
	if (!eth)
		return drop(REASON_MALFORMED);
	if (traffic && (reason = verify_source_mac(eth, self)))
		return drop(reason);
	if ((reason = check_ethertype(eth->h_proto)))
		return drop(reason);
	if (eth->h_proto == bpf_htons(ETH_P_ARP))
		return network ? handle_arp(p, self) : decide(ACTION_PASS, REASON_PASS_HOST, 0);

	if ((reason = parse_ipv4(p)))
		return drop(reason);
	if (traffic && (reason = verify_source_ip(p, self)))
		return drop(reason);
	if (network && (reason = check_gateway_ip(p->daddr, self->id)))
		return drop(reason);
	dnat = service_dnat(ctx, p, tc, &service);
	if (dnat < 0)
		return drop(REASON_MALFORMED);
	if (network && (reason = check_isolation(p, self->id)))
		return drop(reason);
	if (dnat)
		service_remember(p, &service);
	if (service_reverse(ctx, p, tc))
		return drop(REASON_MALFORMED);

	override = override_of(p);
	if (override == OVERRIDE_BLOCK)
		return drop(REASON_OVERRIDE_BLOCK);
	if (override != OVERRIDE_BYPASS && steered(p, self->id))
		return decide(ACTION_STEER, REASON_STEERED, 0);
	if (!traffic)
		return decide(ACTION_PASS, REASON_PASS_HOST, 0); /* the bridge forwards it */
	return forward(p, self->id, network);
}

static __always_inline struct pkt pkt_of(void *data, void *data_end, __u32 len)
{
	struct pkt p = { .data = data, .data_end = data_end, .len = len };
	return p;
}

SEC("xdp")
int bastion_xdp(struct xdp_md *ctx)
{
	struct pkt p = pkt_of((void *)(long)ctx->data, (void *)(long)ctx->data_end, ctx->data_end - ctx->data);
	__u32 id;
	struct decision d = bastion_logic(ctx, &p, ctx->ingress_ifindex, 0, &id);
	int ret = XDP_DROP;

	switch (d.action) {
	case ACTION_PASS:
		ret = XDP_PASS;
		break;
	case ACTION_TX:
		ret = XDP_TX;
		break;
	case ACTION_REDIRECT_LOCAL:
	case ACTION_REDIRECT_OUT:
		ret = bpf_redirect(d.ifindex, 0);
		break;
	case ACTION_STEER:
		ret = bpf_redirect_map(&xsks, id, XDP_DROP);
		if (ret != XDP_REDIRECT)
			d = drop(REASON_NO_SOCKET);
		break;
	default:
		break;
	}
	account(&p, id, d);
	return ret;
}

/* Headers beyond the linear part of an skb are invisible to direct packet access: pull enough for Ethernet,
 * IPv4 with options and an L4 header. */
#define TC_HEADROOM_PULL 128

static __always_inline struct pkt tc_pkt_of(struct __sk_buff *skb)
{
	__u32 want = skb->len < TC_HEADROOM_PULL ? skb->len : TC_HEADROOM_PULL;

	if ((void *)(long)skb->data + want > (void *)(long)skb->data_end)
		bpf_skb_pull_data(skb, want);
	return pkt_of((void *)(long)skb->data, (void *)(long)skb->data_end, skb->len);
}

static __always_inline int tc_steer(struct decision *d)
{
	__u32 zero = 0;
	struct settings *s = bpf_map_lookup_elem(&settings, &zero);

	if (!s || !s->steer_ifindex) {
		*d = drop(REASON_NO_SOCKET);
		return TC_ACT_SHOT;
	}
	return bpf_redirect(s->steer_ifindex, 0);
}

SEC("tc")
int bastion_tc(struct __sk_buff *skb)
{
	struct pkt p = tc_pkt_of(skb);
	__u32 id;
	struct decision d = bastion_logic(skb, &p, skb->ifindex, 1, &id);
	int ret = TC_ACT_SHOT;

	switch (d.action) {
	case ACTION_PASS:
		ret = TC_ACT_OK;
		break;
	case ACTION_TX:
		/* Into the container's own ingress: a reply sent out of the host-side veth would meet the egress guard. */
		ret = bpf_redirect_peer(skb->ifindex, 0);
		break;
	case ACTION_REDIRECT_LOCAL:
		ret = bpf_redirect_peer(d.ifindex, 0);
		break;
	case ACTION_REDIRECT_OUT:
		ret = bpf_redirect(d.ifindex, 0);
		break;
	case ACTION_STEER:
		ret = tc_steer(&d);
		break;
	default:
		break;
	}
	account(&p, id, d);
	return ret;
}

SEC("xdp")
int bastion_ext(struct xdp_md *ctx)
{
	struct pkt p = pkt_of((void *)(long)ctx->data, (void *)(long)ctx->data_end, ctx->data_end - ctx->data);
	__u32 id;
	struct decision d = forward_from_outside(&p, &id);
	int ret = XDP_DROP;

	if (d.action == ACTION_PASS)
		ret = XDP_PASS;
	else if (d.action == ACTION_REDIRECT_LOCAL)
		ret = bpf_redirect(d.ifindex, 0);
	else if (d.action == ACTION_STEER) {
		/* An AF_XDP socket takes only frames of the interface and queue it is bound to, so the chain's frames from
		 * outside go to the bridge's socket on this interface, registered like an IPS return port (dpi.h). */
		ret = dpi_return_action(ctx->ingress_ifindex);
		if (ret != XDP_REDIRECT)
			d = drop(REASON_NO_SOCKET);
	}
	if (d.action != ACTION_PASS)
		account(&p, id, d);
	return ret;
}

SEC("tc")
int bastion_ext_tc(struct __sk_buff *skb)
{
	struct pkt p = tc_pkt_of(skb);
	__u32 id;
	struct decision d = forward_from_outside(&p, &id);
	int ret = TC_ACT_SHOT;

	if (d.action == ACTION_PASS)
		ret = TC_ACT_OK;
	else if (d.action == ACTION_REDIRECT_LOCAL)
		ret = bpf_redirect_peer(d.ifindex, 0);
	else if (d.action == ACTION_STEER)
		ret = tc_steer(&d);
	if (d.action != ACTION_PASS)
		account(&p, id, d);
	return ret;
}

/* Host egress guard (guard.h): tcx egress of a protected container's host-side veth, in both modes. Only drops
 * are counted; the host's own packets and interfaces that are not ours pass uncounted. */
SEC("tc")
int bastion_egress(struct __sk_buff *skb)
{
	struct pkt p = tc_pkt_of(skb);
	__u32 id;
	struct decision d = guard_host_egress(&p, skb->ifindex, &id);

	if (d.action == ACTION_PASS)
		return TC_ACT_OK;
	account(&p, id, d);
	return TC_ACT_SHOT;
}

/* For the container-side end of a veth in XDP mode: frames redirected into a veth are delivered only when its
 * peer runs an XDP program. */
SEC("xdp")
int container_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The return interface of an inline IPS (dpi.h): every frame to the bridge's socket for that interface. */
SEC("xdp")
int dpi_return(struct xdp_md *ctx)
{
	return dpi_return_action(ctx->ingress_ifindex);
}

char LICENSE[] SEC("license") = "GPL";
