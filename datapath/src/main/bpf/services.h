/* SPDX-License-Identifier: GPL-2.0 */
/* Bastion's two services, as the paper's Table 2 measures them one at a time. Both are always on in production
 * (settings.disabled == 0); the benchmarks switch one off to price the other. */
#ifndef BASTION_SERVICES_H
#define BASTION_SERVICES_H

#include "maps.h"

/* What a container can see of the network: the direct ARP handler, the gateway handler and container-aware
 * isolation. Off: ARP goes through the bridge (and the egress guard lets it in) and every destination is allowed. */
#define SERVICE_NETWORK_VISIBILITY 1
/* What a container can see of others' traffic: source verification and end-to-end direct forwarding with its
 * host egress guard. Off: spoofed sources pass and allowed packets go through the bridge. */
#define SERVICE_TRAFFIC_VISIBILITY 2

static __always_inline __u32 disabled_services(void)
{
	__u32 zero = 0;
	struct settings *s = bpf_map_lookup_elem(&settings, &zero);

	return s ? s->disabled : 0;
}

#endif
