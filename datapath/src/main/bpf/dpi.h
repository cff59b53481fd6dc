/* SPDX-License-Identifier: GPL-2.0 */
/* Return path of an inline IPS. The AF_XDP bridge sends a steered flow's frames out of one veth of a port; the IPS
 * (e.g. Suricata, AF_PACKET inline) copies what it accepts to another veth, whose peer runs dpi_return: every frame
 * arriving there belongs to the bridge socket registered for that interface, and nothing goes to the host's stack.
 * An interface without a registration, or a slot without a socket, drops (fail closed). The node's external
 * interface is registered the same way in XDP mode: bastion_ext sends chained flows' frames from other nodes to the
 * bridge's socket there. */
#ifndef BASTION_DPI_H
#define BASTION_DPI_H

#include "maps.h"

static __always_inline int dpi_return_action(__u32 ifindex)
{
	__u32 *slot = bpf_map_lookup_elem(&dpi_ports, &ifindex);

	if (!slot)
		return XDP_DROP;
	return bpf_redirect_map(&dpi_xsks, *slot, XDP_DROP);
}

#endif
