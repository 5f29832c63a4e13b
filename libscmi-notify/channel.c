/* SPDX-License-Identifier: MIT */
/*
 * The agent end of the shm + eventfd channel: connect and handshake, the
 * doorbells, hang-up, and the rx thread. See channel.h and
 * include/scmi/transport.h.
 *
 * Descriptors received from the platform are used as they come: their file
 * status flags are shared with the platform (same open file description),
 * so they are never changed here, and nothing here depends on them.
 *
 * Doorbells (transport.h, section 2): the eventfds the platform rings
 * (a2p_done, p2a_doorbell) are never read: each is waited for in an epoll
 * set where it is edge-triggered, and every write the platform makes to
 * an eventfd, a write of 0 included, is an edge (eventfd_write() wakes its
 * waiters on each successful write), so "rung since the last wait" costs
 * one epoll_wait() and no read(): the round trip of a command is one
 * write() and one epoll_wait(), as a bare eventfd ping-pong is one write()
 * and one read(). Our rings are writes of 0, which cannot block whatever
 * the platform did to the counter or to O_NONBLOCK: nothing the platform
 * does to a descriptor can make this side wait. Whether it cleared
 * O_NONBLOCK (which breaks the contract) is checked at the hello and on
 * every SCMI_DOORBELL_CHECK_EVERY-th ring of each doorbell. A stale edge (the done of
 * a command that timed out) is harmless: a command always checks that the
 * area is FREE, and the response's token, before it believes it.
 *
 * The hello's descriptors are checked before use: the memfd a regular
 * file sealed against shrinking and growing (a file shrunk under our
 * mapping would make our accesses fault), the four others eventfds with
 * O_NONBLOCK set.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "notify-priv.h"

/* Room for more descriptors than expected, so that extra ones are seen. */
#define HELLO_MAX_FDS 16

/*
 * The region is mapped with one PROT_NONE page right after it (the mapping
 * rounded up to whole pages): a read or write past the end of the last
 * area, which every length check here exists to prevent, faults at once
 * instead of touching whatever mapping the kernel put next. One anonymous
 * reservation of the whole span, then the memfd mapped over its start.
 */
static size_t region_span(size_t region_size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (region_size + page - 1) / page * page + page;
}

static void *region_map(int memfd, size_t region_size)
{
	size_t span = region_span(region_size);
	void *r, *m;

	r = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return MAP_FAILED;
	m = mmap(r, region_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 memfd, 0);
	if (m == MAP_FAILED) {
		int e = errno;

		munmap(r, span);
		errno = e;
	}
	return m;
}

static void region_unmap(void *region, size_t region_size)
{
	munmap(region, region_span(region_size));
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

void channel_init(struct scmi_channel *ch, const struct scmi_log *log,
		  struct scmi_notify *ni, struct chan_stats *stats)
{
	memset(ch, 0, sizeof(*ch));
	ch->log = log;
	ch->ni = ni;
	ch->stats = stats;
	ch->sock = -1;
	ch->a2p_doorbell = -1;
	ch->a2p_done = -1;
	ch->p2a_doorbell = -1;
	ch->p2a_ack = -1;
	ch->kill_efd = -1;
	ch->cmd_epfd = -1;
	ch->p2a_epfd = -1;
	atomic_init(&ch->dead_err, 0);
	atomic_init(&ch->killed, false);
}

void channel_kill(struct scmi_channel *ch)
{
	static const uint64_t one = 1;
	ssize_t n;

	if (ch->kill_efd < 0 || atomic_exchange(&ch->killed, true))
		return;
	/* our own eventfd, shared with nobody: this write cannot block */
	do
		n = write(ch->kill_efd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

/* The channel is over: @err -ECONNRESET (hang-up) or -EPROTO. */
static void mark_dead(struct scmi_channel *ch, int err)
{
	int alive = 0;

	if (atomic_compare_exchange_strong(&ch->dead_err, &alive, err)) {
		if (err == -EPROTO)
			scmi_err(ch->log,
				 "agent %u: the platform broke the transport: session over",
				 ch->agent_id);
		else
			scmi_warn(ch->log, "agent %u: the platform hung up",
				  ch->agent_id);
		channel_kill(ch);
		if (ch->on_dead)
			ch->on_dead(ch->on_dead_arg);
		return;
	}
	channel_kill(ch);
}

int channel_ring(struct scmi_channel *ch, int efd, unsigned int *rings)
{
	int ret = 0;

	/* the flags are the platform's to keep: looked at now and then */
	if (++*rings % SCMI_DOORBELL_CHECK_EVERY == 0)
		ret = scmi_doorbell_check(efd);
	if (!ret)
		ret = scmi_doorbell_ring(efd);
	if (ret == -EPROTO) {
		scmi_err(ch->log,
			 "agent %u: the platform cleared O_NONBLOCK on a doorbell",
			 ch->agent_id);
		mark_dead(ch, -EPROTO);
	}
	return ret;
}

/* ---------------------------------------------------------------- */
/* connect and handshake                                            */

enum { EV_DONE, EV_DOORBELL, EV_KILL, EV_SOCK };

/* An epoll set of the @n descriptors @fds, each with its @ev. */
static int epoll_set(const int *fds, struct epoll_event *ev, int n)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev[i]) < 0) {
			int ret = -errno;

			close(ep);
			return ret;
		}
	}
	return ep;
}

/*
 * The epoll set a command waits on (see the top of this file); in
 * event-loop mode p2a_doorbell too, so that a command taking its time
 * takes P2A messages meanwhile (there is no rx thread to do it).
 */
static int cmd_epoll_init(struct scmi_channel *ch)
{
	struct epoll_event ev[4] = {
		{ .events = EPOLLIN | EPOLLET, .data.u32 = EV_DONE },
		{ .events = EPOLLIN, .data.u32 = EV_KILL },
		{ .events = 0, .data.u32 = EV_SOCK }, /* hang-up and errors only */
		{ .events = EPOLLIN | EPOLLET, .data.u32 = EV_DOORBELL },
	};
	int fds[4] = { ch->a2p_done, ch->kill_efd, ch->sock, ch->p2a_doorbell };

	ch->cmd_epfd = epoll_set(fds, ev, ch->loop_mode ? 4 : 3);
	return ch->cmd_epfd < 0 ? ch->cmd_epfd : 0;
}

/*
 * The epoll set that waits for P2A messages alone: the rx thread's, or in
 * event-loop mode the one of a thread waiting for a delayed response.
 */
static int p2a_epoll_init(struct scmi_channel *ch)
{
	struct epoll_event ev[3] = {
		{ .events = EPOLLIN | EPOLLET, .data.u32 = EV_DOORBELL },
		{ .events = EPOLLIN, .data.u32 = EV_KILL },
		{ .events = EPOLLIN | EPOLLRDHUP, .data.u32 = EV_SOCK },
	};
	int fds[3] = { ch->p2a_doorbell, ch->kill_efd, ch->sock };

	ch->p2a_epfd = epoll_set(fds, ev, 3);
	return ch->p2a_epfd < 0 ? ch->p2a_epfd : 0;
}

static uint64_t ms_to_ns(uint32_t ms)
{
	return (uint64_t)ms * 1000000ull;
}

static int remaining_ms(uint64_t deadline_ns)
{
	uint64_t now = scmi_now_ns();

	if (now >= deadline_ns)
		return 0;
	/* round up, so that a wait never ends before the deadline */
	return (int)((deadline_ns - now + 999999) / 1000000);
}

static int sock_connect(const char *path, uint64_t deadline_ns, int *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -EINVAL;
	strcpy(sa.sun_path, path);

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/*
	 * Non-blocking: a UNIX connect() fails with EAGAIN rather than block
	 * while the listen queue is full (say, the platform is stopped).
	 */
	for (;;) {
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		ret = -errno;
		if (ret == -EINTR)
			continue;
		if (ret != -EAGAIN)
			goto fail;
		if (!remaining_ms(deadline_ns)) {
			ret = -ETIMEDOUT;
			goto fail;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	*out = fd;
	return 0;
fail:
	close(fd);
	return ret;
}

/*
 * Receive the hello and its descriptors. On success @fds holds exactly
 * SCMI_HELLO_NUM_FDS descriptors; on failure none is left open.
 */
static int recv_hello(const struct scmi_channel *ch, uint64_t deadline_ns,
		      struct scmi_hello *h, int fds[SCMI_HELLO_NUM_FDS])
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * HELLO_MAX_FDS)];
	} cbuf;
	uint8_t buf[SCMI_HELLO_SIZE + 4]; /* room to see a longer message */
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	int got[HELLO_MAX_FDS];
	unsigned int nfds = 0;
	struct cmsghdr *cm;
	ssize_t n;
	int ret;

	for (;;) {
		struct pollfd pfd = { .fd = ch->sock, .events = POLLIN };
		int ms = remaining_ms(deadline_ns);

		if (!ms)
			return -ETIMEDOUT;
		ret = poll(&pfd, 1, ms);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (ret <= 0)
			continue;
		n = recvmsg(ch->sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0 && errno == ECONNRESET)
			return -ECONNREFUSED;
		if (n < 0)
			return -errno;
		break;
	}

	/* take every descriptor we were given first, to close them on error */
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && nfds < HELLO_MAX_FDS; i++)
			memcpy(&got[nfds++], CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(int));
	}

	if (n == 0) {
		ret = -ECONNREFUSED; /* closed without a hello */
		scmi_warn(ch->log, "the platform closed the connection without a hello");
	} else if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		ret = -EPROTO;
		scmi_err(ch->log, "hello: message or descriptors truncated (flags 0x%x)",
			 (unsigned int)mh.msg_flags);
	} else if (scmi_hello_decode(buf, (size_t)n, h)) {
		ret = -EPROTO;
		scmi_err(ch->log, "hello: malformed (%zd bytes)", n);
	} else if (nfds != SCMI_HELLO_NUM_FDS) {
		ret = -EPROTO;
		scmi_err(ch->log, "hello: %u descriptors, expected %u", nfds,
			 SCMI_HELLO_NUM_FDS);
	} else {
		memcpy(fds, got, sizeof(int) * SCMI_HELLO_NUM_FDS);
		return 0;
	}
	for (unsigned int i = 0; i < nfds; i++)
		close(got[i]);
	return ret;
}

/*
 * Whether @fd is an eventfd. An eventfd is an anonymous inode, which
 * /proc names "anon_inode:[eventfd]"; without /proc, whether it is an
 * anonymous inode at all (no file type: not a file, pipe, socket or
 * device), and a write of 0 to anything else of that kind fails.
 */
static bool is_eventfd(int fd)
{
	char path[32], link[32];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n >= 0) {
		link[n] = '\0';
		return !strcmp(link, "anon_inode:[eventfd]");
	}
	return fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == 0;
}

/*
 * The hello's descriptors, before any is used (transport.h): a memfd that
 * is a regular file of at least region_size bytes, sealed against
 * shrinking and growing, and four eventfds with O_NONBLOCK set.
 * Returns 0 or -EPROTO (logged), or the negative errno of fstat().
 */
static int check_hello_fds(const struct scmi_channel *ch,
			   const struct scmi_hello *h,
			   const int fds[SCMI_HELLO_NUM_FDS])
{
	const int need = F_SEAL_SHRINK | F_SEAL_GROW;
	struct stat st;
	int seals;

	if (fstat(fds[SCMI_FD_MEMFD], &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)h->region_size) {
		scmi_err(ch->log, "hello: shared memory of %lld bytes (mode 0%o), region_size %u",
			 (long long)st.st_size, (unsigned int)st.st_mode,
			 h->region_size);
		return -EPROTO;
	}
	seals = fcntl(fds[SCMI_FD_MEMFD], F_GET_SEALS);
	if (seals < 0 || (seals & need) != need) {
		scmi_err(ch->log,
			 "hello: the shared memory is not sealed against shrinking and growing (seals 0x%x)",
			 seals < 0 ? 0 : (unsigned int)seals);
		return -EPROTO;
	}
	for (int i = SCMI_FD_A2P_DOORBELL; i <= SCMI_FD_P2A_ACK; i++) {
		int fl = fcntl(fds[i], F_GETFL);

		if (!is_eventfd(fds[i]) || fl < 0 || !(fl & O_NONBLOCK)) {
			scmi_err(ch->log,
				 "hello: descriptor %d is not a non-blocking eventfd",
				 i);
			return -EPROTO;
		}
	}
	return 0;
}

int channel_connect(struct scmi_channel *ch, const char *path,
		    uint32_t timeout_ms, bool loop_mode)
{
	uint64_t deadline = scmi_now_ns() + ms_to_ns(timeout_ms);
	int fds[SCMI_HELLO_NUM_FDS];
	struct scmi_hello h = { 0 };
	void *region;
	int ret;

	atomic_store(&ch->dead_err, 0);
	atomic_store(&ch->killed, false);
	ch->a2p_rings = ch->ack_rings = 0;

	ch->kill_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ch->kill_efd < 0)
		return -errno;
	ret = sock_connect(path, deadline, &ch->sock);
	if (ret)
		goto fail;
	ret = recv_hello(ch, deadline, &h, fds);
	if (ret)
		goto fail;

	ret = check_hello_fds(ch, &h, fds);
	if (ret)
		goto fail_fds;
	region = region_map(fds[SCMI_FD_MEMFD], h.region_size);
	if (region == MAP_FAILED) {
		ret = -errno;
		goto fail_fds;
	}
	close(fds[SCMI_FD_MEMFD]); /* the mapping keeps the memory */
	fds[SCMI_FD_MEMFD] = -1;

	ch->rx_buf_sz = 4 + (size_t)h.max_msg_size;
	ch->rx_buf = malloc(ch->rx_buf_sz);
	if (!ch->rx_buf) {
		region_unmap(region, h.region_size);
		ret = -ENOMEM;
		goto fail_fds;
	}

	ch->region = region;
	ch->region_size = h.region_size;
	ch->a2p.base = (uint8_t *)region + h.a2p_offset;
	ch->a2p.size = h.a2p_size;
	ch->p2a.base = (uint8_t *)region + h.p2a_offset;
	ch->p2a.size = h.p2a_size;
	ch->agent_id = h.agent_id;
	ch->max_msg_size = h.max_msg_size;
	ch->a2p_doorbell = fds[SCMI_FD_A2P_DOORBELL];
	ch->a2p_done = fds[SCMI_FD_A2P_DONE];
	ch->p2a_doorbell = fds[SCMI_FD_P2A_DOORBELL];
	ch->p2a_ack = fds[SCMI_FD_P2A_ACK];
	ch->loop_mode = loop_mode;
	ret = cmd_epoll_init(ch);
	if (!ret)
		ret = p2a_epoll_init(ch);
	if (ret) {
		channel_close(ch);
		return ret;
	}
	scmi_dbg(ch->log,
		 "connected to %s: agent %u, region %u bytes, A2P %u@0x%x, P2A %u@0x%x, max_msg_size %u",
		 path, h.agent_id, h.region_size, h.a2p_size, h.a2p_offset,
		 h.p2a_size, h.p2a_offset, h.max_msg_size);
	return 0;

fail_fds:
	for (unsigned int i = 0; i < SCMI_HELLO_NUM_FDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
fail:
	close_fd(&ch->sock);
	close_fd(&ch->kill_efd);
	return ret;
}

/* ---------------------------------------------------------------- */
/* hang-up                                                          */

/*
 * The socket is readable or in error. Nothing but hang-up is expected on
 * it: true on hang-up; anything received is dropped (descriptors closed).
 */
static bool sock_hung_up(struct scmi_channel *ch, uint32_t events)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * HELLO_MAX_FDS)];
	} cbuf;
	uint8_t buf[64];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))
		return true;
	n = recvmsg(ch->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n == 0)
		return true;
	if (n < 0)
		return errno != EAGAIN && errno != EINTR;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0;
		     i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
	scmi_warn(ch->log, "agent %u: unexpected %zd bytes on the socket, dropped",
		  ch->agent_id, n);
	return false;
}

int channel_check_sock(struct scmi_channel *ch)
{
	struct pollfd p = { .fd = ch->sock, .events = POLLIN | POLLRDHUP };
	uint32_t ev = 0;

	if (channel_is_dead(ch))
		return channel_dead_err(ch);
	if (poll(&p, 1, 0) != 1)
		return 0;
	if (p.revents & (POLLHUP | POLLERR | POLLRDHUP))
		ev |= EPOLLHUP;
	if (sock_hung_up(ch, ev)) {
		mark_dead(ch, -ECONNRESET);
		return -ECONNRESET;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* commands' wait                                                   */

/*
 * Wait in @epfd (a set of @max at most, its members tagged EV_*) until
 * @deadline_ns: a bit per EV_* that fired (0 when the deadline passed),
 * or -ECONNRESET (the channel died or is being closed, a hang-up: marked
 * dead), or the negative errno of epoll_wait().
 */
static int wait_events(struct scmi_channel *ch, int epfd, int max,
		       uint64_t deadline_ns)
{
	for (;;) {
		struct epoll_event ev[4];
		int fired = 0;
		int n, ms;

		if (channel_is_dead(ch) ||
		    atomic_load_explicit(&ch->killed, memory_order_acquire))
			return -ECONNRESET;
		ms = remaining_ms(deadline_ns);
		if (!ms)
			return 0;
		n = epoll_wait(epfd, ev, max, ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			uint32_t what = ev[i].data.u32;

			if (what == EV_KILL)
				return -ECONNRESET;
			/* the command set has no EPOLLIN on it: hang-up only */
			if (what == EV_SOCK &&
			    (epfd == ch->cmd_epfd ||
			     sock_hung_up(ch, ev[i].events))) {
				mark_dead(ch, -ECONNRESET);
				return -ECONNRESET;
			}
			fired |= 1 << what;
		}
		if (fired)
			return fired;
		/* nothing: the deadline is checked above */
	}
}

int channel_wait_done(struct scmi_channel *ch, uint64_t deadline_ns)
{
	int fired = wait_events(ch, ch->cmd_epfd, 4, deadline_ns);

	if (fired < 0)
		return fired;
	if (fired & (1 << EV_DONE))
		return 0;
	if (fired & (1 << EV_DOORBELL))
		return CHANNEL_P2A;
	return -ETIMEDOUT;
}

int channel_wait_p2a(struct scmi_channel *ch, uint64_t until_ns)
{
	int fired = wait_events(ch, ch->p2a_epfd, 3, until_ns);

	if (fired < 0)
		return fired;
	return fired & (1 << EV_DOORBELL) ? 1 : 0;
}

void channel_drain_done(struct scmi_channel *ch)
{
	struct epoll_event ev[4];

	/* takes a pending edge of a2p_done; the others are level-triggered */
	while (epoll_wait(ch->cmd_epfd, ev, 4, 0) < 0 && errno == EINTR)
		;
}

/* ---------------------------------------------------------------- */
/* taking P2A messages                                              */

/* Where a P2A message copied out goes (p2a_verdict()). */
enum p2a_route {
	P2A_DROP,        /* refused: malformed or unexpected */
	P2A_WAITER,      /* a delayed response, taken by its command */
	P2A_NOTIFY,      /* a notification: the core and/or the raw queue */
	P2A_RAW,         /* a delayed response nobody waits for: raw queue */
};

/*
 * Where a P2A message copied out goes, and why it is dropped (*@why) when
 * it is: a notification for the core, a delayed response that a command
 * waits for (completed here, into its slot), or with the raw path a
 * delayed response nobody waits for.
 */
static enum p2a_route p2a_verdict(struct scmi_channel *ch, int read_ret,
				  const struct smt_msg *msg, const char **why,
				  bool *cb_due)
{
	*why = NULL;
	if (read_ret == -ECOMM)
		*why = "area marked in error";
	else if (read_ret)
		*why = "malformed";
	else if (msg->hdr.type == SCMI_MSG_TYPE_NOTIFICATION)
		*why = msg->payld_sz > ch->max_msg_size ?
			       "payload above max_msg_size" : NULL;
	else if (msg->hdr.type != SCMI_MSG_TYPE_DELAYED_RESP)
		*why = "unexpected message type";
	else if (msg->payld_sz < 4)
		*why = "delayed response without status";
	if (*why)
		return P2A_DROP;
	if (msg->hdr.type == SCMI_MSG_TYPE_NOTIFICATION)
		return P2A_NOTIFY;

	/* a delayed response: its size is bounded by rx_buf (status + max_msg_size) */
	switch (ch->delayed ? delayed_complete(ch->delayed, &msg->hdr,
					       ch->rx_buf, msg->payld_sz,
					       &ch->stats->delayed_responses) :
			      -ENOENT) {
	case 1:
		*cb_due = true;
		/* fall through */
	case 0:
		return P2A_WAITER;
	default:
		if (ch->raw)
			return P2A_RAW;
		*why = ch->delayed ? "delayed response nobody waits for" :
				     "unexpected delayed response";
		return P2A_DROP;
	}
}

/* A copy of the message in rx_buf to the raw queue. */
static void rx_raw(struct scmi_channel *ch, const struct smt_msg *msg,
		   uint64_t ts, bool *cb_due)
{
	rawq_push(ch->raw, msg->hdr_word, &msg->hdr, ch->rx_buf, msg->payld_sz,
		  ts);
	if (ch->raw_cb)
		*cb_due = true;
}

bool channel_rx_one(struct scmi_channel *ch, bool kick, bool *cb_due)
{
	uint64_t ts = scmi_now_ns();
	enum p2a_route route;
	const char *why;
	struct smt_msg msg;
	uint32_t suppressed;
	int ret;

	if (smt_get_status(&ch->p2a) & SCMI_SMT_STATUS_FREE)
		return false; /* nothing posted: a spurious or stale doorbell */

	/*
	 * Copy out once and judge the copy; count it before the area goes
	 * back, so that the counters are current once the platform sees the
	 * area free; then hand the area back at once, whatever the verdict,
	 * and ring p2a_ack only if the platform asked (it has more to post).
	 */
	ret = smt_read(&ch->p2a, ch->rx_buf_sz, NULL, ch->rx_buf,
		       ch->rx_buf_sz, &msg);
	route = p2a_verdict(ch, ret, &msg, &why, cb_due);
	/* a delayed response is counted as it is taken; a raw one by the queue */
	if (route == P2A_DROP || route == P2A_NOTIFY)
		atomic_fetch_add_explicit(route == P2A_DROP ?
						  &ch->stats->notify_refused :
						  &ch->stats->notifications,
					  1, memory_order_relaxed);
	if (smt_release_p2a(&ch->p2a))
		channel_ring(ch, ch->p2a_ack, &ch->ack_rings);

	switch (route) {
	case P2A_DROP:
		if (scmi_log_enabled(ch->log, SCMI_LOG_WARNING) &&
		    scmi_ratelimit_ok(&ch->refuse_rl, &suppressed))
			scmi_warn(ch->log,
				  "agent %u: P2A message dropped: %s (header 0x%08x, %zu payload bytes; %u more not logged)",
				  ch->agent_id, why, msg.hdr_word, msg.payld_sz,
				  suppressed);
		break;
	case P2A_WAITER:
		break;
	case P2A_RAW:
		rx_raw(ch, &msg, ts, cb_due);
		break;
	case P2A_NOTIFY:
		if (ch->raw)
			rx_raw(ch, &msg, ts, cb_due);
		if (ch->raw && ch->raw_instead)
			break;
		ret = notify_queue(ch->ni, msg.hdr.proto_id, msg.hdr.msg_id,
				   ch->rx_buf, msg.payld_sz, ts, kick);
		if (ret)
			scmi_dbg(ch->log, "notification 0x%x/%u not queued: %d",
				 msg.hdr.proto_id, msg.hdr.msg_id, ret);
		break;
	}
	return true;
}

/*
 * The rx thread waits in an epoll set of its own: p2a_doorbell
 * edge-triggered (never read, as a2p_done: see the top of this file; the
 * platform posts the next message only after our ack, so one edge is at
 * most one message, and the area's status says whether there is one), the
 * socket and the kill eventfd level-triggered.
 */
static void *rx_main(void *arg)
{
	struct scmi_channel *ch = arg;

	for (;;) {
		struct epoll_event ev[3];
		bool doorbell = false;
		bool cb_due = false;
		int n = epoll_wait(ch->p2a_epfd, ev, 3, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			scmi_err(ch->log, "rx thread: epoll_wait: %s",
				 strerror(errno));
			mark_dead(ch, -ECONNRESET);
			break;
		}
		for (int i = 0; i < n; i++) {
			switch (ev[i].data.u32) {
			case EV_KILL:
				return NULL;
			case EV_SOCK:
				if (sock_hung_up(ch, ev[i].events)) {
					mark_dead(ch, -ECONNRESET);
					return NULL;
				}
				break;
			default:
				if (ev[i].events & (EPOLLERR | EPOLLHUP)) {
					scmi_err(ch->log, "rx thread: p2a_doorbell in error");
					mark_dead(ch, -EPROTO);
					return NULL;
				}
				doorbell = true;
			}
		}
		/*
		 * The platform posts the next message only once it saw the
		 * area free, so its ring comes after this wait harvested the
		 * edge; taking every message posted meanwhile costs a load.
		 */
		if (doorbell)
			while (channel_rx_one(ch, true, &cb_due) &&
			       !channel_is_dead(ch))
				;
		if (cb_due && ch->on_cb_due)
			ch->on_cb_due(ch->on_dead_arg);
	}
	return NULL;
}

int channel_start_rx(struct scmi_channel *ch)
{
	sigset_t all, old;
	int ret;

	/* the rx thread takes no signal: they go to the application's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&ch->rx_thread, NULL, rx_main, ch);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	ch->rx_started = true;
	return 0;
}

void channel_close(struct scmi_channel *ch)
{
	channel_kill(ch);
	if (ch->rx_started) {
		pthread_join(ch->rx_thread, NULL);
		ch->rx_started = false;
	}
	if (ch->region) {
		region_unmap(ch->region, ch->region_size);
		ch->region = NULL;
	}
	ch->a2p = (struct smt_area){ 0 };
	ch->p2a = (struct smt_area){ 0 };
	free(ch->rx_buf);
	ch->rx_buf = NULL;
	close_fd(&ch->sock);
	close_fd(&ch->a2p_doorbell);
	close_fd(&ch->a2p_done);
	close_fd(&ch->p2a_doorbell);
	close_fd(&ch->p2a_ack);
	close_fd(&ch->kill_efd);
	close_fd(&ch->cmd_epfd);
	close_fd(&ch->p2a_epfd);
	ch->agent_id = 0;
}
