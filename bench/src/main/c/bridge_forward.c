// SPDX-License-Identifier: GPL-2.0
// The C reference for the bridge benchmark: the smallest AF_XDP forwarder that does what the Java bridge's
// forwarding does with an empty chain. One UMEM shared by a socket on IN (registered in a pinned XSKMAP under
// KEY, so the datapath steers into it) and a socket on OUT; every received frame gets DST_MAC and goes out on
// OUT from the same UMEM frame, copy mode, one sendto per batch. Runs until SIGTERM/SIGINT.
//
// usage: bridge_forward IN OUT XSKMAP_PIN KEY DST_MAC      (in the namespace of IN and OUT)
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <xdp/xsk.h>

#define FRAMES 16384
#define FRAME_SIZE 4096
#define RING 2048
#define BATCH 64
#define FILL_LEVEL 1024
// Same idle strategy as the Java bridge: spin this many empty rounds, then sleep in poll(2) up to 5 ms.
#define SPIN_ROUNDS 64
#define IDLE_POLL_MS 5

static volatile sig_atomic_t stop;
static __u64 free_frames[FRAMES];
static unsigned free_count;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void die(const char *what, int err)
{
	fprintf(stderr, "bridge_forward: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void refill(struct xsk_ring_prod *fill)
{
	__u32 idx;
	unsigned want = FILL_LEVEL - (RING - xsk_prod_nb_free(fill, RING));
	if (want > free_count)
		want = free_count;
	unsigned n = xsk_ring_prod__reserve(fill, want, &idx);
	for (unsigned i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(fill, idx + i) = free_frames[--free_count];
	xsk_ring_prod__submit(fill, n);
}

static void complete(struct xsk_ring_cons *comp)
{
	__u32 idx;
	unsigned n = xsk_ring_cons__peek(comp, BATCH, &idx);
	for (unsigned i = 0; i < n; i++)
		free_frames[free_count++] = *xsk_ring_cons__comp_addr(comp, idx + i) & ~(__u64)(FRAME_SIZE - 1);
	xsk_ring_cons__release(comp, n);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s IN OUT XSKMAP_PIN KEY DST_MAC\n", argv[0]);
		return 2;
	}
	unsigned char mac[6];
	if (sscanf(argv[5], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		   &mac[5]) != 6) {
		fprintf(stderr, "bridge_forward: bad MAC %s\n", argv[5]);
		return 2;
	}
	void *area = mmap(NULL, (size_t)FRAMES * FRAME_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (area == MAP_FAILED)
		die("mmap UMEM", errno);
	for (int i = FRAMES - 1; i >= 0; i--)
		free_frames[free_count++] = (__u64)i * FRAME_SIZE;

	struct xsk_umem *umem;
	struct xsk_ring_prod fill_in, fill_out, tx_in, tx_out;
	struct xsk_ring_cons comp_in, comp_out, rx_in, rx_out;
	struct xsk_umem_config ucfg = { .fill_size = RING, .comp_size = RING, .frame_size = FRAME_SIZE };
	int err = xsk_umem__create(&umem, area, (__u64)FRAMES * FRAME_SIZE, &fill_in, &comp_in, &ucfg);
	if (err)
		die("xsk_umem__create", err);
	struct xsk_socket_config cfg = {
		.rx_size = RING, .tx_size = RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD, .bind_flags = XDP_COPY,
	};
	struct xsk_socket *in, *out;
	err = xsk_socket__create_shared(&in, argv[1], 0, umem, &rx_in, &tx_in, &fill_in, &comp_in, &cfg);
	if (err)
		die("socket on IN", err);
	err = xsk_socket__create_shared(&out, argv[2], 0, umem, &rx_out, &tx_out, &fill_out, &comp_out, &cfg);
	if (err)
		die("socket on OUT", err);
	int map = bpf_obj_get(argv[3]);
	if (map < 0)
		die("open pinned XSKMAP", errno);
	__u32 key = (__u32)atoi(argv[4]);
	int fd = xsk_socket__fd(in);
	if (bpf_map_update_elem(map, &key, &fd, 0))
		die("XSKMAP update", errno);

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);

	unsigned long long forwarded = 0;
	int out_fd = xsk_socket__fd(out);
	struct pollfd wait_rx = { .fd = fd, .events = POLLIN };
	unsigned idle = 0;
	while (!stop) {
		refill(&fill_in);
		__u32 rx_idx, tx_idx;
		unsigned n = xsk_ring_cons__peek(&rx_in, BATCH, &rx_idx);
		if (n) {
			unsigned sent = xsk_ring_prod__reserve(&tx_out, n, &tx_idx);
			for (unsigned i = 0; i < n; i++) {
				const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rx_in, rx_idx + i);
				if (i < sent) {
					memcpy(xsk_umem__get_data(area, d->addr), mac, 6);
					struct xdp_desc *t = xsk_ring_prod__tx_desc(&tx_out, tx_idx + i);
					t->addr = d->addr;
					t->len = d->len;
					t->options = 0;
				} else {
					free_frames[free_count++] = d->addr & ~(__u64)(FRAME_SIZE - 1);
				}
			}
			xsk_ring_prod__submit(&tx_out, sent);
			xsk_ring_cons__release(&rx_in, n);
			forwarded += sent;
		}
		if (n || xsk_prod_nb_free(&tx_out, RING) < RING)
			sendto(out_fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		complete(&comp_out);
		if (n)
			idle = 0;
		else if (++idle > SPIN_ROUNDS)
			poll(&wait_rx, 1, IDLE_POLL_MS);
	}
	bpf_map_delete_elem(map, &key);
	printf("forwarded %llu\n", forwarded);
	xsk_socket__delete(in);
	xsk_socket__delete(out);
	xsk_umem__delete(umem);
	return 0;
}
