/* SPDX-License-Identifier: MIT */
/*
 * The fake platform of the integration tests that need no simulator: see
 * fake-platform.h. One thread per session (fake_main()): it accepts one
 * connection, sends the hello and serves the A2P channel until it is told
 * to stop (stop_efd) or the agent hangs up.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

#include "fake-platform.h"

/* ---- helpers --------------------------------------------------------- */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

void ring(int fd)
{
	uint64_t one = 1;

	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
}

/* Wait for an eventfd (consume it). Returns true if it rang in time. */
bool wait_efd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(fd, &v, sizeof(v)) == sizeof(v);
}

void bell(int fd)
{
	static const uint64_t zero = 0;

	/* a write of 0, whatever the flags: the fake may be the hostile one */
	assert_int_equal(write(fd, &zero, sizeof(zero)), sizeof(zero));
}

/* One edge of the epoll set @ep (EPOLLET, one descriptor), within @ms. */
static bool wait_edge(int ep, int ms)
{
	struct epoll_event ev;
	int n;

	do
		n = epoll_wait(ep, &ev, 1, ms);
	while (n < 0 && errno == EINTR);
	return n == 1;
}

bool wait_ack(struct fake *f, int ms)
{
	return wait_edge(f->ep_ack, ms);
}

/* An epoll set waiting for @fd edge-triggered, its first edge taken. */
static int edge_set(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	/* the counter is primed: adding it is an edge of no ring */
	wait_edge(ep, 0);
	return ep;
}

uint8_t *a2p(struct fake *f)
{
	return f->map + f->h.a2p_offset;
}

uint8_t *p2a(struct fake *f)
{
	return f->map + f->h.p2a_offset;
}

uint32_t status_load(uint8_t *area)
{
	return atomic_load_explicit((_Atomic uint32_t *)(void *)(area + SCMI_SMT_CHANNEL_STATUS),
				    memory_order_acquire);
}

void status_store(uint8_t *area, uint32_t v)
{
	atomic_store_explicit((_Atomic uint32_t *)(void *)(area + SCMI_SMT_CHANNEL_STATUS),
			      v, memory_order_release);
}

/*
 * Every access of the fake platform to the areas is atomic (relaxed, or
 * release/acquire for channel_status): the agent maps the same memory at
 * another address, so ThreadSanitizer cannot see the ordering that the
 * status word gives across the two mappings, and plain accesses from the
 * fake's thread and the test's would look like races. These are the
 * fake's own; the agent's are in smt.c. Little-endian hosts only (x86,
 * arm64), as the rest of this test.
 */
static _Atomic uint32_t *word(uint8_t *p)
{
	return (_Atomic uint32_t *)(void *)p;
}

uint32_t get32(uint8_t *p)
{
	return atomic_load_explicit(word(p), memory_order_relaxed);
}

void put32(uint8_t *p, uint32_t v)
{
	atomic_store_explicit(word(p), v, memory_order_relaxed);
}

/* Copy @n bytes into an area (@dst word aligned), word by word. */
void copy_to_area(uint8_t *dst, const void *src, size_t n)
{
	for (size_t off = 0; off < n; off += 4) {
		uint32_t w = 0;

		memcpy(&w, (const uint8_t *)src + off, n - off < 4 ? n - off : 4);
		put32(dst + off, w);
	}
}

void copy_from_area(void *dst, uint8_t *src, size_t n)
{
	for (size_t off = 0; off < n; off += 4) {
		uint32_t w = get32(src + off);

		memcpy((uint8_t *)dst + off, &w, n - off < 4 ? n - off : 4);
	}
}

/* ---- the fake platform ----------------------------------------------- */

static void put_name(uint8_t *p, const char *s)
{
	memset(p, 0, 16);
	memcpy(p, s, strlen(s));
}

/* Base, as a platform would answer it: status, return bytes. */
static int32_t base_answer(struct fake *f, uint8_t msg_id, const uint8_t *req,
			   size_t req_sz, uint8_t *ret, size_t *ret_sz)
{
	*ret_sz = 0;
	switch (msg_id) {
	case 0x0:
		scmi_put_le32(ret, 0x20000);
		*ret_sz = 4;
		return 0;
	case 0x1:
		scmi_put_le32(ret, 3 | 4 << 8);
		*ret_sz = 4;
		return 0;
	case 0x3:
		put_name(ret, "fake");
		*ret_sz = 16;
		return 0;
	case 0x4:
		return SCMI_ERR_SUPPORT; /* optional: the agent goes on */
	case 0x5:
		scmi_put_le32(ret, 0x1234);
		*ret_sz = 4;
		return 0;
	case 0x6: { /* three protocols, one per page */
		static const uint8_t ids[] = { 0x11, 0x13, 0x15 };
		uint32_t skip = req_sz == 4 ? scmi_get_le32(req) : 99;

		if (skip >= 3)
			return SCMI_ERR_PARAMS;
		scmi_put_le32(ret, 1);
		scmi_put_le32(ret + 4, ids[skip]);
		*ret_sz = 8;
		return 0;
	}
	case 0x7:
		scmi_put_le32(ret, f->h.agent_id);
		put_name(ret + 4, "fake-agent");
		*ret_sz = 20;
		return 0;
	case 0x8:
		return 0;
	default:
		return SCMI_ERR_SUPPORT;
	}
}

/* The immediate response to the command in A2P: @status, no return values. */
static void answer_status(struct fake *f, uint32_t hdr, int32_t status)
{
	uint8_t *area = a2p(f);

	put32(area + SCMI_SMT_PAYLOAD, (uint32_t)status);
	put32(area + SCMI_SMT_LENGTH, 8);
	put32(area + SCMI_SMT_MSG_HEADER, hdr);
	status_store(area, SCMI_SMT_STATUS_FREE);
	bell(f->fds[SCMI_FD_A2P_DONE]);
}

int fake_post_p2a(struct fake *f, uint32_t hdr, const void *payld, size_t sz)
{
	uint8_t *area = p2a(f);
	uint64_t deadline = now_ns() + WAIT_MS * 1000000ull;

	if (sz > AREA_SZ - SCMI_SMT_HEADER_SIZE)
		return -EINVAL;
	/* the area is ours again once the agent has marked it FREE */
	while (!(status_load(area) & SCMI_SMT_STATUS_FREE)) {
		if (now_ns() > deadline)
			return -ETIMEDOUT;
		wait_ack(f, 10);
	}
	wait_ack(f, 0); /* a stale ack: not ours */
	put32(area + SCMI_SMT_FLAGS, SCMI_SMT_FLAGS_INTR);
	status_store(area, 0);
	put32(area + SCMI_SMT_LENGTH, (uint32_t)(4 + sz));
	put32(area + SCMI_SMT_MSG_HEADER, hdr);
	copy_to_area(area + SCMI_SMT_PAYLOAD, payld, sz);
	bell(f->fds[SCMI_FD_P2A_DOORBELL]);
	if (!wait_ack(f, WAIT_MS) ||
	    !(status_load(area) & SCMI_SMT_STATUS_FREE))
		return -ETIMEDOUT;
	return 0;
}

int fake_post_delayed(struct fake *f, uint8_t proto_id, uint8_t msg_id,
		      uint16_t token, int32_t status, const void *ret,
		      size_t ret_sz)
{
	uint8_t payld[128];

	if (4 + ret_sz > f->h.max_msg_size || 4 + ret_sz > sizeof(payld))
		return -EINVAL;
	scmi_put_le32(payld, (uint32_t)status);
	if (ret_sz)
		memcpy(payld + 4, ret, ret_sz);
	return fake_post_p2a(f, scmi_hdr_pack(msg_id, SCMI_MSG_TYPE_DELAYED_RESP,
					      proto_id, token),
			     payld, 4 + ret_sz);
}

/*
 * A command (@h, its payload @req of @req_sz bytes) of a protocol other
 * than Base in a delayed mode (enum fake_delayed): log it, answer it at
 * once, and post its delayed response as the mode says.
 */
static void serve_async(struct fake *f, uint32_t hdr,
			const struct scmi_msg_hdr *h, const uint8_t *req,
			size_t req_sz)
{
	int mode = atomic_load(&f->delayed);
	int32_t imm = atomic_load(&f->imm_status);
	int32_t st = atomic_load(&f->delayed_status);
	unsigned int n = atomic_load(&f->async_served);
	uint16_t token = h->token;
	bool post = imm == SCMI_SUCCESS && mode != D_NONE;

	if (n < FAKE_ASYNC_LOG) {
		struct fake_async *l = &f->async_log[n];

		l->proto_id = h->proto_id;
		l->msg_id = h->msg_id;
		l->token = h->token;
		memcpy(l->req, req, req_sz);
		l->req_sz = req_sz;
	}
	atomic_store(&f->last_async_token, h->token);
	if (mode == D_WRONG_TOKEN)
		token = (uint16_t)((token + 1) % SCMI_TOKEN_MAX);

	if (post && mode == D_BEFORE &&
	    !fake_post_delayed(f, h->proto_id, h->msg_id, token, st, req, req_sz))
		atomic_fetch_add(&f->delayed_posted, 1);
	answer_status(f, hdr, imm);
	atomic_fetch_add(&f->async_served, 1);
	if (post && mode != D_BEFORE &&
	    !fake_post_delayed(f, h->proto_id, h->msg_id, token, st, req, req_sz))
		atomic_fetch_add(&f->delayed_posted, 1);
}

static void serve_one(struct fake *f)
{
	uint8_t *area = a2p(f);
	uint32_t len = get32(area + SCMI_SMT_LENGTH);
	uint32_t hdr = get32(area + SCMI_SMT_MSG_HEADER);
	uint8_t req[128], ret[128];
	struct scmi_msg_hdr h;
	size_t ret_sz = 0;
	int32_t status;
	unsigned int n = atomic_load(&f->served);
	bool readable = len >= 4 && len - 4 <= sizeof(req);
	int c;

	/* an edge with nothing posted (the first, or a stale one) */
	if (status_load(area) & SCMI_SMT_STATUS_FREE)
		return;
	scmi_hdr_unpack(hdr, &h);
	if (readable)
		copy_from_area(req, area + SCMI_SMT_PAYLOAD, len - 4);
	/* logged first: whoever read served may read that many tokens */
	if (n < FAKE_TOKEN_LOG)
		atomic_store(&f->tokens[n], h.token);
	atomic_fetch_add(&f->served, 1);
	if (readable && h.proto_id != SCMI_PROTOCOL_BASE &&
	    atomic_load(&f->delayed) != D_OFF) {
		serve_async(f, hdr, &h, req, len - 4);
		return;
	}

	c = atomic_exchange(&f->corrupt, C_NONE);
	if (!readable)
		status = SCMI_ERR_PROTOCOL;
	else
		status = h.proto_id == SCMI_PROTOCOL_BASE ?
				 base_answer(f, h.msg_id, req, len - 4, ret, &ret_sz) :
				 SCMI_ERR_SUPPORT;
	if (c == C_SILENT)
		return;
	if (c == C_FULL) {
		status = 0;
		for (size_t i = 0; i < sizeof(ret); i++)
			ret[i] = (uint8_t)(0x80 + i);
		ret_sz = f->h.max_msg_size < sizeof(ret) ? f->h.max_msg_size :
							    sizeof(ret);
	}

	switch (c) {
	case C_TOKEN:
		hdr = scmi_hdr_pack(h.msg_id, 0, h.proto_id,
				    (uint16_t)((h.token + SCMI_TOKEN_MAX - 1) % SCMI_TOKEN_MAX));
		break;
	case C_MSG_ID:
		hdr = scmi_hdr_pack((uint8_t)(h.msg_id + 1), 0, h.proto_id, h.token);
		break;
	case C_PROTO:
		hdr = scmi_hdr_pack(h.msg_id, 0, (uint8_t)(h.proto_id + 1), h.token);
		break;
	case C_TYPE:
		hdr = scmi_hdr_pack(h.msg_id, 2, h.proto_id, h.token);
		break;
	case C_RESERVED:
		hdr |= 1u << 30;
		break;
	case C_TOKEN_VALUE:
		hdr = scmi_hdr_pack(h.msg_id, 0, h.proto_id,
				    (uint16_t)atomic_load(&f->bad));
		break;
	case C_PROTO_VALUE:
		hdr = scmi_hdr_pack(h.msg_id, 0, (uint8_t)atomic_load(&f->bad),
				    h.token);
		break;
	case C_MSG_ID_VALUE:
		hdr = scmi_hdr_pack((uint8_t)atomic_load(&f->bad), 0, h.proto_id,
				    h.token);
		break;
	case C_NOTIF:
		hdr = scmi_hdr_pack(h.msg_id, SCMI_MSG_TYPE_NOTIFICATION,
				    h.proto_id, h.token);
		break;
	default:
		break;
	}
	put32(area + SCMI_SMT_PAYLOAD, (uint32_t)status);
	copy_to_area(area + SCMI_SMT_PAYLOAD + 4, ret, ret_sz);
	put32(area + SCMI_SMT_LENGTH, (uint32_t)(8 + ret_sz));
	if (c == C_LEN_NO_STATUS)
		put32(area + SCMI_SMT_LENGTH, 4);
	if (c == C_LEN_SHORT)
		put32(area + SCMI_SMT_LENGTH, 3);
	if (c == C_LEN_LONG)
		put32(area + SCMI_SMT_LENGTH, AREA_SZ);
	if (c == C_LEN_VALUE)
		put32(area + SCMI_SMT_LENGTH, atomic_load(&f->bad));
	put32(area + SCMI_SMT_MSG_HEADER, hdr);
	status_store(area, c == C_ERROR_ONLY ? SCMI_SMT_STATUS_ERROR :
			   c == C_ERROR_BIT ? SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR :
			   SCMI_SMT_STATUS_FREE);
	bell(f->fds[SCMI_FD_A2P_DONE]);
}

static int send_hello(struct fake *f)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 32)];
	} cbuf;
	uint8_t buf[SCMI_HELLO_SIZE + 8] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = f->hello_len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int all[32];

	scmi_hello_encode(&f->h, buf);
	for (int i = 0; i < f->nfds; i++)
		all[i] = f->fds[i < (int)SCMI_HELLO_NUM_FDS ? i : SCMI_FD_A2P_DONE];
	if (f->nfds) {
		struct cmsghdr *cm;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)f->nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)f->nfds);
		memcpy(CMSG_DATA(cm), all, sizeof(int) * (size_t)f->nfds);
	}
	return sendmsg(f->cfd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/*
 * The four doorbells of the hello: primed eventfds, unless the test asks
 * for other descriptors or for O_NONBLOCK cleared (enum fake_efd_kind).
 */
static int make_eventfds(struct fake *f)
{
	for (int i = SCMI_FD_A2P_DOORBELL; i <= SCMI_FD_P2A_ACK; i++) {
		int p[2];

		switch (f->efd_kind) {
		case EFD_PIPE:
			if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
				return -1;
			close(p[1]);
			f->fds[i] = p[0];
			break;
		case EFD_DEVNULL:
			f->fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC |
							     O_NONBLOCK);
			break;
		case EFD_TIMERFD:
			f->fds[i] = timerfd_create(CLOCK_MONOTONIC,
						   TFD_CLOEXEC | TFD_NONBLOCK);
			break;
		default:
			/*
			 * efd_blocking: only on the two the platform rings,
			 * which the agent only waits on: what catches it is
			 * then the hello's check, not a failed ring
			 */
			f->fds[i] = eventfd(1, EFD_CLOEXEC |
						       (f->efd_blocking &&
								(i == SCMI_FD_A2P_DONE ||
								 i == SCMI_FD_P2A_DOORBELL) ?
							0 : EFD_NONBLOCK));
		}
		if (f->fds[i] < 0)
			return -1;
	}
	return 0;
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	struct pollfd p = { .fd = f->lfd, .events = POLLIN };

	if (poll(&p, 1, WAIT_MS) != 1)
		return NULL;
	f->cfd = accept4(f->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (f->cfd < 0)
		return NULL;
	if (f->close_at_once)
		goto out;

	if (!f->no_hello) {
		int memfd = f->fd0_not_memfd ? eventfd(0, EFD_CLOEXEC) :
					       memfd_create("fake", MFD_CLOEXEC |
								    MFD_ALLOW_SEALING);

		f->fds[SCMI_FD_MEMFD] = memfd;
		if (!f->fd0_not_memfd) {
			if (ftruncate(memfd, (off_t)f->map_sz))
				goto out;
			f->map = mmap(NULL, f->map_sz, PROT_READ | PROT_WRITE,
				      MAP_SHARED, memfd, 0);
			if (f->map == MAP_FAILED) {
				f->map = NULL;
				goto out;
			}
			if (f->canary)
				for (size_t off = 0; off < f->map_sz; off += 4)
					put32(f->map + off, CANARY);
			status_store(a2p(f), SCMI_SMT_STATUS_FREE);
			status_store(p2a(f), SCMI_SMT_STATUS_FREE);
			/* ack every P2A message (see fake-platform.h) */
			put32(p2a(f) + SCMI_SMT_FLAGS, SCMI_SMT_FLAGS_INTR);
			if (f->memfd_sz != f->map_sz &&
			    ftruncate(memfd, (off_t)f->memfd_sz))
				goto out;
			if (!f->memfd_unsealed &&
			    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
				goto out;
		}
		if (make_eventfds(f))
			goto out;
		/* before the hello: the agent rings nothing yet */
		if (f->efd_kind == EFD_OK) {
			f->ep_a2p = edge_set(f->fds[SCMI_FD_A2P_DOORBELL]);
			f->ep_ack = edge_set(f->fds[SCMI_FD_P2A_ACK]);
			if (f->ep_a2p < 0 || f->ep_ack < 0)
				goto out;
		}
		if (send_hello(f))
			goto out;
	}

	/* serve, or just wait for the agent to hang up */
	for (;;) {
		struct pollfd q[3] = {
			{ .fd = f->cfd, .events = POLLIN },
			{ .fd = f->stop_efd, .events = POLLIN },
			{ .fd = f->serve ? f->ep_a2p : -1, .events = POLLIN },
		};

		int r = poll(q, 3, -1); /* fake_join() rings stop_efd */

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (q[0].revents || q[1].revents)
			break;
		if ((q[2].revents & POLLIN) && wait_edge(f->ep_a2p, 0))
			serve_one(f);
	}
out:
	close(f->cfd);
	f->cfd = -1;
	return NULL;
}

int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/scmi-fake-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->sock, sizeof(f->sock), "%s/fake.sock", f->dir);
	strcpy(sa.sun_path, f->sock);
	f->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(f->lfd, 4))
		return -1;
	f->cfd = -1;
	f->ep_a2p = f->ep_ack = -1;
	for (int i = 0; i < (int)SCMI_HELLO_NUM_FDS; i++)
		f->fds[i] = -1;
	f->stop_efd = eventfd(0, EFD_CLOEXEC);
	f->h = (struct scmi_hello){
		.magic = SCMI_HELLO_MAGIC,
		.version = SCMI_TRANSPORT_VERSION,
		.agent_id = 7,
		.region_size = REGION_SZ,
		.a2p_offset = 0,
		.a2p_size = AREA_SZ,
		.p2a_offset = AREA_SZ,
		.p2a_size = AREA_SZ,
		.max_msg_size = 128,
		.num_fds = SCMI_HELLO_NUM_FDS,
	};
	f->nfds = SCMI_HELLO_NUM_FDS;
	f->hello_len = SCMI_HELLO_SIZE;
	f->memfd_sz = REGION_SZ;
	f->map_sz = REGION_SZ;
	f->serve = true;
	*state = f;
	return 0;
}

void fake_start(struct fake *f)
{
	assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
	f->started = true;
}

void fake_join(struct fake *f)
{
	if (!f->started)
		return;
	ring(f->stop_efd);
	pthread_join(f->th, NULL);
	wait_efd(f->stop_efd, 0); /* consumed, for the next session */
	f->started = false;
	for (int i = 0; i < (int)SCMI_HELLO_NUM_FDS; i++) {
		if (f->fds[i] >= 0)
			close(f->fds[i]);
		f->fds[i] = -1;
	}
	if (f->ep_a2p >= 0)
		close(f->ep_a2p);
	if (f->ep_ack >= 0)
		close(f->ep_ack);
	f->ep_a2p = f->ep_ack = -1;
	if (f->map)
		munmap(f->map, f->map_sz);
	f->map = NULL;
}

int fake_teardown(void **state)
{
	struct fake *f = *state;

	fake_join(f);
	close(f->lfd);
	close(f->stop_efd);
	unlink(f->sock);
	rmdir(f->dir);
	free(f);
	return 0;
}

int fake_connect_once(struct fake *f, uint32_t timeout_ms)
{
	unsigned int before = open_fds();
	struct scmi_agent *a = agent_new(timeout_ms);
	int ret;

	fake_start(f);
	ret = scmi_agent_connect(a, f->sock);
	scmi_agent_destroy(a);
	fake_join(f);
	assert_int_equal(open_fds(), before);
	return ret;
}

struct scmi_agent *agent_new(uint32_t timeout_ms)
{
	struct scmi_agent_config cfg = { .timeout_ms = timeout_ms };
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	return a;
}
