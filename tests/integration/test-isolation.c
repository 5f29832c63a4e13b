/* SPDX-License-Identifier: MIT */
/*
 * Isolation and permissions of the simulator's agents:
 *
 *  - the session socket and the control socket are mode 0600, and the
 *    default directory (/tmp/scmi-sim-$UID, XDG_RUNTIME_DIR unset) 0700;
 *  - malformed handshakes (connect and close at once, connect and send
 *    garbage, with descriptors attached, connect and never read) cost the
 *    simulator nothing: it keeps serving a real agent and its descriptor
 *    count (/proc/<pid>/fd) comes back to what it was;
 *  - an agent's memfd holds its two areas and nothing else, sealed; a
 *    pattern written all over one agent's region (and its doorbell rung)
 *    leaves another agent's region untouched;
 *  - an agent that stops taking its P2A messages (a real one "fault
 *    stall"ed, a raw client that never acks) does not slow the others:
 *    a third agent's command round trips stay within their timeout and
 *    its notifications all arrive, in order;
 *  - an agent that fills a doorbell's counter and clears O_NONBLOCK on
 *    the description it shares with the simulator (where a version 1
 *    simulator blocked in write() for good, and with it every agent, the
 *    control socket and SIGTERM) is dropped, alone; one that only fills
 *    the counters is served as before; after all that, the simulator
 *    still ends on SIGTERM, within TERM_MS;
 *  - a command longer than 4 + max_msg_size is PROTOCOL_ERROR;
 *  - out of descriptors, neither listener spins (CPU time, log size);
 *  - with room for one agent, 1000 agents in turn that reconnect at once
 *    are all accepted;
 *  - what a peer can make the simulator log over and over is
 *    rate-limited.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/sensor.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

#include "fixture.h"

#define SENSOR 0u
#define EVT_UPDATE SCMI_EVENT_SENSOR_UPDATE
#define BASE_VALUE 100000
#define FLOW_WINDOW 32
#define SIM_QUEUE_LEN 64       /* the simulator's default --queue-len */

/* ---- raw clients ------------------------------------------------------ */

struct raw {
	int sock;
	int fds[SCMI_HELLO_NUM_FDS];
	struct scmi_hello h;
	uint8_t *map;
};

/*
 * The simulator's first message on @sock (waited for, at most 5 s): the
 * hello into @buf (SCMI_HELLO_SIZE bytes) and its descriptors into @fds,
 * asserted whole. Its size: SCMI_HELLO_SIZE, or 0 when the simulator
 * hung up instead (a connection refused).
 */
static size_t recv_hello(int sock, uint8_t *buf, int fds[SCMI_HELLO_NUM_FDS])
{
	uint8_t b[SCMI_HELLO_SIZE + 16];
	union {
		char buf[CMSG_SPACE(sizeof(int) * SCMI_HELLO_NUM_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = b, .iov_len = sizeof(b) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *cm;
	ssize_t n;

	assert_int_equal(poll(&pfd, 1, 5000), 1);
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n == 0)
		return 0;
	assert_int_equal(n, SCMI_HELLO_SIZE);
	assert_int_equal(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC), 0);
	cm = CMSG_FIRSTHDR(&msg);
	assert_non_null(cm);
	assert_int_equal(cm->cmsg_type, SCM_RIGHTS);
	assert_int_equal(cm->cmsg_len, CMSG_LEN(sizeof(int) * SCMI_HELLO_NUM_FDS));
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * SCMI_HELLO_NUM_FDS);
	memcpy(buf, b, SCMI_HELLO_SIZE);
	return SCMI_HELLO_SIZE;
}

/* Connect, take the hello and its descriptors, map the region. */
static void raw_open(struct fx *fx, struct raw *r)
{
	uint8_t buf[SCMI_HELLO_SIZE];
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->sock = fx_sock_connect(fx);
	assert_int_equal(recv_hello(r->sock, buf, r->fds), SCMI_HELLO_SIZE);
	assert_int_equal(scmi_hello_decode(buf, SCMI_HELLO_SIZE, &r->h), 0);
	assert_int_equal(fstat(r->fds[SCMI_FD_MEMFD], &st), 0);
	assert_int_equal((uint64_t)st.st_size, r->h.region_size);
	r->map = mmap(NULL, r->h.region_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, r->fds[SCMI_FD_MEMFD], 0);
	assert_true(r->map != MAP_FAILED);
}

static void raw_close(struct raw *r)
{
	if (r->map)
		munmap(r->map, r->h.region_size);
	for (size_t i = 0; i < SCMI_HELLO_NUM_FDS; i++)
		if (r->fds[i] > 0)
			close(r->fds[i]);
	if (r->sock > 0)
		close(r->sock);
	memset(r, 0, sizeof(*r));
}

static uint32_t area_status(const uint8_t *area)
{
	return le32toh(atomic_load((const _Atomic uint32_t *)(const void *)
				   (area + SCMI_SMT_CHANNEL_STATUS)));
}

/* Whether the simulator ends @r's session within @ms (end-of-file). */
static bool raw_dropped(struct raw *r, int ms)
{
	struct pollfd p = { .fd = r->sock, .events = POLLIN };
	char c;

	if (poll(&p, 1, ms) != 1)
		return false;
	return recv(r->sock, &c, 1, MSG_DONTWAIT) == 0;
}

/* raw_cmd_full()'s value when the session was dropped before the answer */
#define RAW_DROPPED INT32_MIN

/*
 * One command through the raw client's A2P area, with @flags (INTR: the
 * simulator rings a2p_done) and its length field @len (the header and
 * the @n words of payload, or more: zeros); its status, or RAW_DROPPED
 * if the simulator dropped the session instead of answering (it drops
 * one from its event loop, after the ring that caught the fault: a
 * command sent in between is never answered).
 */
static int32_t raw_cmd_full(struct raw *r, uint32_t flags, uint32_t len,
			    uint8_t proto, uint8_t msg_id,
			    const uint32_t *words, size_t n)
{
	uint8_t *area = r->map + r->h.a2p_offset;
	uint64_t one = 1, deadline;

	assert_true(area_status(area) & SCMI_SMT_STATUS_FREE);
	assert_true(len >= 4 + 4 * n &&
		    SCMI_SMT_MSG_HEADER + len <= r->h.a2p_size);
	memset(area + SCMI_SMT_PAYLOAD, 0, len - 4);
	scmi_put_le32(area + SCMI_SMT_FLAGS, flags);
	scmi_put_le32(area + SCMI_SMT_LENGTH, len);
	scmi_put_le32(area + SCMI_SMT_MSG_HEADER,
		      scmi_hdr_pack(msg_id, SCMI_MSG_TYPE_COMMAND, proto, 1));
	for (size_t i = 0; i < n; i++)
		scmi_put_le32(area + SCMI_SMT_PAYLOAD + 4 * i, words[i]);
	atomic_store((_Atomic uint32_t *)(void *)(area + SCMI_SMT_CHANNEL_STATUS),
		     0);
	assert_int_equal(write(r->fds[SCMI_FD_A2P_DOORBELL], &one, 8), 8);
	deadline = sim_now_ns() + 5000000000ull;
	while (!(area_status(area) & SCMI_SMT_STATUS_FREE)) {
		if (raw_dropped(r, 0))
			return RAW_DROPPED;
		if (sim_now_ns() > deadline)
			fail_msg("raw command 0x%02x/0x%02x: no response", proto,
				 msg_id);
		usleep(100);
	}
	return (int32_t)scmi_get_le32(area + SCMI_SMT_PAYLOAD);
}

/* One command of @n payload words, with @flags; its status. */
static int32_t raw_cmd_flags(struct raw *r, uint32_t flags, uint8_t proto,
			     uint8_t msg_id, const uint32_t *words, size_t n)
{
	return raw_cmd_full(r, flags, (uint32_t)(4 + 4 * n), proto, msg_id,
			    words, n);
}

static int32_t raw_cmd(struct raw *r, uint8_t proto, uint8_t msg_id,
		       const uint32_t *words, size_t n)
{
	return raw_cmd_flags(r, 0, proto, msg_id, words, n);
}

/* ---- the simulator's descriptors -------------------------------------- */

static int fd_count(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	return (int)fx_count_dir(path);
}

/* Wait (at most 3 s) until the simulator holds @want descriptors. */
static int fd_count_settle(pid_t pid, int want)
{
	uint64_t deadline = sim_now_ns() + 3000000000ull;
	int n;

	while ((n = fd_count(pid)) != want && sim_now_ns() < deadline)
		sim_sleep_ms(5);
	return n;
}

static void assert_serves(struct scmi_agent *a)
{
	uint8_t rx[8];
	size_t n = 0;

	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0x0, NULL, 0,
					 rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
}

/* ---- 1. modes --------------------------------------------------------- */

static void assert_mode(const char *path, mode_t type, mode_t mode)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	if ((st.st_mode & S_IFMT) != type || (st.st_mode & 07777) != mode ||
	    st.st_uid != getuid())
		fail_msg("%s: mode 0%o uid %u, want 0%o uid %u", path,
			 (unsigned int)st.st_mode, (unsigned int)st.st_uid,
			 (unsigned int)(type | mode), (unsigned int)getuid());
}

/* Whether something accepts connections on the control socket @path. */
static bool ctl_listening(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool up;

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sun.sun_path));
	strcpy(sun.sun_path, path);
	up = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return up;
}

static void test_modes(void **state)
{
	struct fx *fx = *state;
	char dir[64], sock[128], ctl[140];
	const char *exe = sim_exe();
	uint64_t deadline;
	int status;
	pid_t pid;
	bool up = false;

	/* the harness's --socket: the socket files, whatever the umask */
	snprintf(ctl, sizeof(ctl), "%s.ctl", fx->sim.sock);
	assert_mode(fx->sim.sock, S_IFSOCK, 0600);
	assert_mode(ctl, S_IFSOCK, 0600);

	/* the default path, XDG_RUNTIME_DIR unset; a loose umask */
	snprintf(dir, sizeof(dir), "/tmp/scmi-sim-%u", (unsigned int)getuid());
	snprintf(sock, sizeof(sock), "%s/scmi-sim.sock", dir);
	snprintf(ctl, sizeof(ctl), "%s.ctl", sock);
	assert_non_null(exe);
	if (ctl_listening(ctl)) {
		/* a simulator of the user's (or of a test beside) has it */
		printf("note: a simulator listens on %s already: socket modes "
		       "there not checked\n", ctl);
		return;
	}
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		unsetenv("XDG_RUNTIME_DIR");
		umask(0);
		signal(SIGPIPE, SIG_DFL);
		execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	deadline = sim_now_ns() + 5000000000ull;
	while (sim_now_ns() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			pid = 0;
			break;
		}
		if (ctl_listening(ctl)) {
			up = true;
			break;
		}
		sim_sleep_ms(5);
	}
	assert_mode(dir, S_IFDIR, 0700);
	if (up) {
		/* the control socket may listen a moment before the agents'
		 * is bound (over a stale one, a killed run's) */
		while (access(sock, F_OK) < 0 && sim_now_ns() < deadline)
			sim_sleep_ms(5);
		assert_mode(sock, S_IFSOCK, 0600);
		assert_mode(ctl, S_IFSOCK, 0600);
	} else {
		/* another simulator owns the default path: only the directory */
		printf("note: the simulator on the default path did not start "
		       "(status 0x%x): socket modes there not checked\n", status);
	}
	if (pid > 0) {
		kill(pid, SIGTERM);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* a clean exit removes the socket files it made */
		assert_int_equal(access(sock, F_OK), -1);
		assert_int_equal(access(ctl, F_OK), -1);
	}
}

/* ---- 2. malformed handshakes ------------------------------------------ */

static void send_garbage(int fd, bool with_fds)
{
	static const char junk[] = "\x00\xffGARBAGE\x01\x02SCMI";
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int fds[3] = { devnull, devnull, devnull };
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)junk, .iov_len = sizeof(junk) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	assert_true(devnull >= 0);
	if (with_fds) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(fds));
		memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	}
	/* the simulator may have closed already: EPIPE is fine */
	(void)sendmsg(fd, &msg, MSG_NOSIGNAL);
	close(devnull);
}

static void test_bad_handshakes(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	pid_t pid = fx->sim.pid;
	int base, held[3], n;
	struct raw r;

	assert_serves(a);
	base = fd_count(pid);
	for (int round = 0; round < 20; round++) {
		int fd;

		/* connect and close at once */
		close(fx_sock_connect(fx));
		/* connect, send garbage (descriptors attached), close */
		fd = fx_sock_connect(fx);
		send_garbage(fd, true);
		close(fd);
		/* a truncated "hello" back, without descriptors, kept open */
		fd = fx_sock_connect(fx);
		send_garbage(fd, false);
		/* a proper session that then sends garbage */
		raw_open(fx, &r);
		send_garbage(r.sock, round % 2);
		assert_serves(a);
		close(fd);
		raw_close(&r);
	}
	n = fd_count_settle(pid, base);
	printf("simulator descriptors: %d before, %d after 80 bad sessions\n",
	       base, n);
	assert_int_equal(n, base);

	/* connected and never reading: an agent slot while it stays */
	for (size_t i = 0; i < 3; i++)
		held[i] = fx_sock_connect(fx);
	assert_serves(a);
	fx_connect(fx, fx_agent_new(fx, 1));
	assert_serves(fx->agents[1]);
	fx_agent_destroy(fx, 1);
	for (size_t i = 0; i < 3; i++)
		close(held[i]);
	assert_int_equal(fd_count_settle(pid, base), base);

	/* the control socket: binary junk, an empty message, then still served */
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		char rep[256];
		int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		struct timeval tv = { .tv_sec = 2 };

		snprintf(rep, sizeof(rep), "%s.ctl", fx->sim.sock);
		memcpy(sun.sun_path, rep, strlen(rep) + 1);
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
					    sizeof(tv)), 0);
		assert_int_equal(connect(fd, (struct sockaddr *)&sun,
					 sizeof(sun)), 0);
		send_garbage(fd, true);
		n = (int)recv(fd, rep, sizeof(rep) - 1, 0);
		assert_true(n > 0);
		rep[n] = '\0';
		assert_int_equal(strncmp(rep, "error", 5), 0);
		close(fd);
	}
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "ping"), 0);
	assert_serves(a);
	assert_int_equal(fd_count_settle(pid, base), base);
	assert_true(sim_alive(&fx->sim));
}

/* ---- 3. memfds -------------------------------------------------------- */

static void test_memfd(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct raw r1, r2;
	struct stat s1, s2;
	uint8_t *snap;
	int seals;

	raw_open(fx, &r1);
	raw_open(fx, &r2);
	for (struct raw *r = &r1; r; r = r == &r1 ? &r2 : NULL) {
		const struct scmi_hello *h = &r->h;

		/* the region is the two areas and nothing else */
		assert_true(h->a2p_offset + h->a2p_size <= h->region_size);
		assert_true(h->p2a_offset + h->p2a_size <= h->region_size);
		assert_int_equal(h->region_size, h->a2p_size + h->p2a_size);
		assert_int_equal(area_status(r->map + h->a2p_offset),
				 SCMI_SMT_STATUS_FREE);
		assert_int_equal(area_status(r->map + h->p2a_offset),
				 SCMI_SMT_STATUS_FREE);
		/* sealed: it cannot shrink or grow under the platform */
		seals = fcntl(r->fds[SCMI_FD_MEMFD], F_GET_SEALS);
		assert_true(seals >= 0);
		assert_true(seals & F_SEAL_SHRINK);
		assert_true(seals & F_SEAL_GROW);
		assert_int_equal(ftruncate(r->fds[SCMI_FD_MEMFD], 0), -1);
		/* the eventfds come non-blocking */
		for (int i = SCMI_FD_A2P_DOORBELL; i <= SCMI_FD_P2A_ACK; i++)
			assert_true(fcntl(r->fds[i], F_GETFL) & O_NONBLOCK);
	}
	assert_true(r1.h.agent_id != r2.h.agent_id);
	assert_int_equal(fstat(r1.fds[SCMI_FD_MEMFD], &s1), 0);
	assert_int_equal(fstat(r2.fds[SCMI_FD_MEMFD], &s2), 0);
	assert_false(s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino);

	/* a pattern all over r1's region, and its doorbell rung */
	snap = malloc(r2.h.region_size);
	assert_non_null(snap);
	memcpy(snap, r2.map, r2.h.region_size);
	memset(r1.map, 0xA5, r1.h.region_size);
	{
		uint64_t one = 1;

		assert_int_equal(write(r1.fds[SCMI_FD_A2P_DOORBELL], &one, 8), 8);
		assert_int_equal(write(r1.fds[SCMI_FD_P2A_ACK], &one, 8), 8);
	}
	sim_sleep_ms(50);
	assert_true(sim_alive(&fx->sim));
	assert_memory_equal(snap, r2.map, r2.h.region_size);
	free(snap);

	/* r2 still works (SENSOR PROTOCOL_VERSION), and so does the agent */
	assert_int_equal(raw_cmd(&r2, SCMI_PROTOCOL_SENSOR, 0x0, NULL, 0),
			 SCMI_SUCCESS);
	assert_int_equal(scmi_get_le32(r2.map + r2.h.a2p_offset +
				       SCMI_SMT_PAYLOAD + 4), 0x30000);
	assert_serves(a);
	raw_close(&r1);
	raw_close(&r2);
}

/*
 * A command longer than 4 + max_msg_size (the area is a page: there is
 * room) is answered PROTOCOL_ERROR, as include/scmi/transport.h says,
 * whatever its protocol or message; one of exactly that length is
 * dispatched (NOT_SUPPORTED for a protocol the platform lacks).
 */
static void test_command_too_long(void **state)
{
	struct fx *fx = *state;
	struct raw r;
	uint32_t max;

	raw_open(fx, &r);
	max = r.h.max_msg_size;
	assert_true(SCMI_SMT_MSG_HEADER + 4 + max + 4 <= r.h.a2p_size);
	assert_int_equal(raw_cmd_full(&r, 0, 4 + max, 0x80, 0x3, NULL, 0),
			 SCMI_ERR_SUPPORT);
	assert_int_equal(raw_cmd_full(&r, 0, 4 + max + 4, 0x80, 0x3, NULL, 0),
			 SCMI_ERR_PROTOCOL);
	assert_int_equal(raw_cmd_full(&r, 0, 4 + max + 1, SCMI_PROTOCOL_BASE,
				      0x7F, NULL, 0), SCMI_ERR_PROTOCOL);
	assert_int_equal(raw_cmd_full(&r, 0, 4 + max + 4, SCMI_PROTOCOL_BASE,
				      0x0, NULL, 0), SCMI_ERR_PROTOCOL);
	/* and the channel goes on */
	assert_int_equal(raw_cmd(&r, SCMI_PROTOCOL_BASE, 0x0, NULL, 0),
			 SCMI_SUCCESS);
	raw_close(&r);
}

/* ---- 4. a neighbour that stops reading -------------------------------- */

static void test_stalled_neighbours(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *s = fx_agent_connected(fx, 0);
	struct scmi_agent *g = fx_agent_connected(fx, 1);
	const unsigned int k = 2000;
	struct fx_counter cs, cg;
	struct fx_sim_counts sc;
	static struct fx_ctlc ctl;
	struct fx_pinger pg = { 0 };
	uint32_t src = SENSOR, words[2] = { SENSOR, 1 };
	uint64_t deadline;
	struct raw r;

	fx_counter_init(&cs, SENSOR, 0);
	fx_counter_init(&cg, SENSOR, 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(s),
						      SCMI_PROTOCOL_SENSOR,
						      EVT_UPDATE, &src, &cs.nb), 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(g),
						      SCMI_PROTOCOL_SENSOR,
						      EVT_UPDATE, &src, &cg.nb), 0);
	/* a raw client subscribed (SENSOR_CONTINUOUS_UPDATE_NOTIFY) that never acks */
	raw_open(fx, &r);
	assert_int_equal(raw_cmd(&r, SCMI_PROTOCOL_SENSOR, 0xB, words, 2),
			 SCMI_SUCCESS);
	fx_ctlc_open(fx, &ctl);
	fx_ctlc_req(&ctl, "fault stall %u on", scmi_agent_id(s));

	pg.a = g;
	assert_int_equal(pthread_create(&pg.th, NULL, fx_pinger_main, &pg), 0);
	for (unsigned int i = 1; i <= k; i++) {
		deadline = sim_now_ns() + 5000000000ull;
		while (i - 1 - atomic_load(&cg.count) >= FLOW_WINDOW) {
			if (sim_now_ns() > deadline)
				break;
			usleep(20);
		}
		fx_ctlc_req(&ctl, "sensor set %u %u", SENSOR, BASE_VALUE + i);
	}
	deadline = sim_now_ns() + 5000000000ull;
	while (atomic_load(&cg.count) < k && sim_now_ns() < deadline)
		sim_sleep_ms(1);
	atomic_store(&pg.stop, true);
	pthread_join(pg.th, NULL);
	printf("beside two stalled agents: %u of %u events, %u commands, "
	       "%u timeouts, %u errors, max round trip %.3f ms\n",
	       atomic_load(&cg.count), k, pg.sent, pg.timeouts, pg.errors,
	       pg.max_rtt_ns / 1e6);

	/* the one that reads got everything, in order, and its commands */
	assert_int_equal(atomic_load(&cg.count), k);
	assert_int_equal(atomic_load(&cg.out_of_order), 0);
	assert_int_equal(atomic_load(&cg.last), BASE_VALUE + k);
	assert_true(pg.sent > 0);
	assert_int_equal(pg.timeouts, 0);
	assert_int_equal(pg.errors, 0);
	assert_true(pg.max_rtt_ns < (uint64_t)FX_TIMEOUT_MS * 1000000ull);
	sc = fx_sim_agent_counts(&ctl, scmi_agent_id(g));
	assert_int_equal(sc.sent, k);
	assert_int_equal(sc.dropped, 0);

	/* the stalled agent: nothing posted, its queue full, the rest dropped */
	assert_int_equal(atomic_load(&cs.count), 0);
	sc = fx_sim_agent_counts(&ctl, scmi_agent_id(s));
	printf("stalled agent: sent %" PRId64 " waiting %" PRId64 " dropped %" PRId64 "\n",
	       sc.sent, sc.waiting, sc.dropped);
	assert_int_equal(sc.sent, 0);
	assert_int_equal(sc.waiting, SIM_QUEUE_LEN);
	assert_int_equal(sc.dropped, k - SIM_QUEUE_LEN);
	/* the raw client: one posted (never acked), the queue full, the rest dropped */
	sc = fx_sim_agent_counts(&ctl, r.h.agent_id);
	printf("raw client: sent %" PRId64 " waiting %" PRId64 " dropped %" PRId64 "\n",
	       sc.sent, sc.waiting, sc.dropped);
	assert_int_equal(sc.sent, 1);
	assert_int_equal(sc.waiting, SIM_QUEUE_LEN);
	assert_int_equal(sc.dropped, k - 1 - SIM_QUEUE_LEN);

	/* unstalled, the agent gets what waited: the first 64, in order */
	fx_ctlc_req(&ctl, "fault stall %u off", scmi_agent_id(s));
	deadline = sim_now_ns() + 5000000000ull;
	while (atomic_load(&cs.count) < SIM_QUEUE_LEN && sim_now_ns() < deadline)
		sim_sleep_ms(1);
	assert_int_equal(atomic_load(&cs.count), SIM_QUEUE_LEN);
	assert_int_equal(atomic_load(&cs.first), BASE_VALUE + 1);
	assert_int_equal(atomic_load(&cs.last), BASE_VALUE + SIM_QUEUE_LEN);
	assert_int_equal(atomic_load(&cs.out_of_order), 0);

	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(s),
							SCMI_PROTOCOL_SENSOR,
							EVT_UPDATE, &src, &cs.nb), 0);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(g),
							SCMI_PROTOCOL_SENSOR,
							EVT_UPDATE, &src, &cg.nb), 0);
	fx_ctlc_close(&ctl);
	raw_close(&r);
}

/* ---- 5. an agent that attacks through its doorbells ------------------- */

/* Fill @fd's counter to its maximum: a write of 1 to it would now block. */
static void fill_counter(int fd)
{
	uint64_t v = 0xFFFFFFFFFFFFFFFEull, old;

	/* it comes primed: drain it first (still non-blocking here) */
	while (read(fd, &old, sizeof(old)) == sizeof(old))
		;
	assert_int_equal(write(fd, &v, sizeof(v)), sizeof(v));
}

static void clear_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	assert_true(fl >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, fl & ~O_NONBLOCK), 0);
}

/* How long the simulator may take to end on SIGTERM (under a wrapper: its report too). */
#define TERM_MS 2000
#define TERM_WRAPPED_MS 20000

static const char *sim_wrapper(void);

static void test_hostile_doorbells(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t words[2] = { SENSOR, 1 };
	static struct fx_ctlc ctl;
	struct raw r1, r2, r3;
	uint64_t t0;
	int status;

	fx_ctlc_open(fx, &ctl);

	/* a2p_done: the simulator rings it answering r1's command */
	raw_open(fx, &r1);
	fill_counter(r1.fds[SCMI_FD_A2P_DONE]);
	clear_nonblock(r1.fds[SCMI_FD_A2P_DONE]);
	/* caught within the check interval (transport.h) */
	for (unsigned int i = 0; i <= SCMI_DOORBELL_CHECK_EVERY &&
				 !raw_dropped(&r1, 0); i++)
		raw_cmd_flags(&r1, SCMI_SMT_FLAGS_INTR, SCMI_PROTOCOL_BASE,
			      0x0, NULL, 0);
	assert_true(raw_dropped(&r1, 3000));
	assert_serves(a);
	/* the control socket answers too (asserted inside) */
	(void)fx_sim_agent_counts(&ctl, scmi_agent_id(a));

	/* p2a_doorbell: the simulator rings it posting r2's notification */
	raw_open(fx, &r2);
	assert_int_equal(raw_cmd(&r2, SCMI_PROTOCOL_SENSOR, 0xB, words, 2),
			 SCMI_SUCCESS);
	fill_counter(r2.fds[SCMI_FD_P2A_DOORBELL]);
	clear_nonblock(r2.fds[SCMI_FD_P2A_DOORBELL]);
	/* r2 takes each one (frees its area), until caught */
	for (unsigned int i = 1; i <= SCMI_DOORBELL_CHECK_EVERY + 1 &&
				 !raw_dropped(&r2, 0); i++) {
		uint8_t *p2a = r2.map + r2.h.p2a_offset;

		fx_ctlc_req(&ctl, "sensor set %u %u", SENSOR, BASE_VALUE + i);
		atomic_store((_Atomic uint32_t *)(void *)
			     (p2a + SCMI_SMT_CHANNEL_STATUS),
			     htole32(SCMI_SMT_STATUS_FREE));
	}
	assert_true(raw_dropped(&r2, 3000));
	assert_serves(a);

	/* full counters alone: a ring is a write of 0, r3 is served */
	raw_open(fx, &r3);
	fill_counter(r3.fds[SCMI_FD_A2P_DONE]);
	fill_counter(r3.fds[SCMI_FD_P2A_DOORBELL]);
	for (int i = 0; i < 100; i++)
		assert_int_equal(raw_cmd_flags(&r3, SCMI_SMT_FLAGS_INTR,
					       SCMI_PROTOCOL_BASE, 0x0, NULL, 0),
				 SCMI_SUCCESS);
	assert_false(raw_dropped(&r3, 0));
	assert_serves(a);

	/* and, tampered with so, it still ends on SIGTERM, and in time */
	t0 = sim_now_ns();
	assert_int_equal(sim_term(&fx->sim, sim_wrapper() ? TERM_WRAPPED_MS :
							   TERM_MS, &status), 0);
	printf("SIGTERM: the simulator ended in %llu ms\n",
	       (unsigned long long)fx_ms_since(t0));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	fx_ctlc_close(&ctl);
	raw_close(&r1);
	raw_close(&r2);
	raw_close(&r3);
}

/* ---- 6. out of descriptors -------------------------------------------- */

#define FEW_FDS 32            /* the simulator's RLIMIT_NOFILE here */
#define IDLE_WATCH_MS 2000
#define IDLE_MAX_CPU_MS 400   /* a spinning listener takes nearly all */
#define IDLE_MAX_LOG 8192     /* bytes logged meanwhile */

/* The simulator runs under a wrapper (valgrind): its own descriptors, its time. */
static const char *sim_wrapper(void)
{
	const char *w = getenv("SCMI_SIM_WRAPPER");

	return w && w[0] ? w : NULL;
}

static int setup_few_fds(void **state)
{
	/* a wrapper needs more descriptors: the test is skipped then */
	return fx_start_logged(state, NULL, sim_wrapper() ? 0 : FEW_FDS);
}

/*
 * Agents take every descriptor the simulator may have, and more agents
 * and control clients wait in the listeners' backlogs: accept fails with
 * EMFILE on both sockets. Each listener pauses instead of spinning on
 * it: the simulator's CPU time and its log stay small. When the agents
 * go, every control client that waited is served.
 */
static void test_out_of_descriptors(void **state)
{
	struct fx *fx = *state;
	struct fx_ctlc ctl[6];
	int agents[10];
	uint64_t cpu0, cpu1;
	size_t log0, log1;
	char *log;

	if (sim_wrapper()) {
		/* valgrind needs descriptors of its own, and time */
		printf("note: under %s: not run\n", sim_wrapper());
		skip();
	}
	for (size_t i = 0; i < 10; i++)
		agents[i] = fx_sock_connect(fx);
	sim_sleep_ms(200);
	for (size_t i = 0; i < 6; i++) {
		fx_ctlc_open(fx, &ctl[i]);
		assert_int_equal(send(ctl[i].fd, "ping", 4, MSG_NOSIGNAL), 4);
	}
	sim_sleep_ms(200);

	assert_int_equal(sim_cpu_ms(&fx->sim, &cpu0), 0);
	log0 = fx_log_size(fx);
	sim_sleep_ms(IDLE_WATCH_MS);
	assert_int_equal(sim_cpu_ms(&fx->sim, &cpu1), 0);
	log1 = fx_log_size(fx);
	printf("out of descriptors for %d ms: %" PRIu64 " ms of CPU, %zu bytes logged\n",
	       IDLE_WATCH_MS, cpu1 - cpu0, log1 - log0);
	assert_true(cpu1 - cpu0 < IDLE_MAX_CPU_MS);
	assert_true(log1 - log0 < IDLE_MAX_LOG);
	/* it did run out, on the control socket too */
	log = fx_log_text(fx);
	if (!strstr(log, "control: accept: Too many open files"))
		fail_msg("the control socket never ran out: %s", log);
	free(log);

	for (size_t i = 0; i < 10; i++)
		close(agents[i]);
	for (size_t i = 0; i < 6; i++) {
		char rep[64];
		ssize_t n;

		/* its receive timeout: 10 s */
		n = recv(ctl[i].fd, rep, sizeof(rep) - 1, 0);
		assert_true(n > 0);
		rep[n] = '\0';
		assert_string_equal(rep, "ok pong");
		fx_ctlc_close(&ctl[i]);
	}
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "ping"), 0);
}

/* ---- 7. one agent at a time, reconnecting at once ----------------------- */

#define RECONNECTS 1000

static int setup_one_agent(void **state)
{
	return fx_start(state, (const char *const[]){ "--max-agents", "1",
						      NULL });
}

/*
 * With room for one agent, an agent that hangs up and connects again at
 * once is never refused: its old session's hang-up, still unread when
 * the new connection is accepted, frees the slot first.
 */
static void test_reconnect_at_once(void **state)
{
	struct fx *fx = *state;
	unsigned int refused = 0;

	for (unsigned int i = 0; i < RECONNECTS; i++) {
		int sock = fx_sock_connect(fx), fds[SCMI_HELLO_NUM_FDS];
		uint8_t buf[SCMI_HELLO_SIZE];

		if (recv_hello(sock, buf, fds) == 0)
			refused++;
		else
			for (size_t k = 0; k < SCMI_HELLO_NUM_FDS; k++)
				close(fds[k]);
		close(sock);
	}
	printf("%u connections, one at a time: %u refused\n", RECONNECTS,
	       refused);
	assert_int_equal(refused, 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "ping"), 0);
}

/* ---- 8. what a peer can make the simulator log ---------------------------- */

#define FLOOD 2000
#define FLOOD_MAX_LINES 40       /* per kind of line: a few bursts of 10 */
#define RING 256                 /* control connections the flood keeps open */

static int setup_one_agent_logged(void **state)
{
	return fx_start_logged(state, (const char *const[]){ "--max-agents",
							     "1", NULL }, 0);
}

/*
 * Lines a peer can cause over and over are rate-limited: 2000 agents
 * turned away (the one agent slot taken) and 2000 control connections
 * that never speak, each closing an older one, make a few lines each,
 * not thousands; the first line let through after a pause says how many
 * were held back.
 */
static void test_log_flood(void **state)
{
	struct fx *fx = *state;
	int held = fx_sock_connect(fx), ring[RING] = { 0 };
	struct pollfd p = { .fd = held, .events = POLLIN };
	unsigned int refused, evicted;
	char *log;

	assert_int_equal(poll(&p, 1, 5000), 1);
	for (unsigned int i = 0; i < FLOOD; i++) {
		int fd = fx_sock_connect(fx);
		char b;

		p.fd = fd;
		assert_int_equal(poll(&p, 1, 5000), 1);
		assert_int_equal(recv(fd, &b, 1, 0), 0);  /* turned away */
		close(fd);
	}
	for (unsigned int i = 0; i < FLOOD; i++) {
		struct fx_ctlc c;

		/* the last RING kept open: each new one closes an older one */
		if (ring[i % RING] > 0)
			close(ring[i % RING]);
		fx_ctlc_open(fx, &c);
		ring[i % RING] = c.fd;
		c.fd = -1;
		fx_ctlc_close(&c);
	}
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "ping"), 0);
	refused = fx_log_count(fx, "connection refused");
	evicted = fx_log_count(fx, "connections open");
	printf("%u refused, %u control connections over 16: %u and %u lines\n",
	       FLOOD, FLOOD, refused, evicted);
	assert_true(refused >= 1 && refused <= FLOOD_MAX_LINES);
	assert_true(evicted >= 1 && evicted <= FLOOD_MAX_LINES);

	/* after a pause, one more: with the count of those held back */
	sim_sleep_ms(2100);
	close(fx_sock_connect(fx));
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "ping"), 0);
	log = fx_log_text(fx);
	if (!strstr(log, "more lines like the next held back"))
		fail_msg("no count of the lines held back: %.2000s", log);
	free(log);
	for (size_t i = 0; i < RING; i++)
		if (ring[i] > 0)
			close(ring[i]);
	close(held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_modes),
		FX_TEST(test_bad_handshakes),
		FX_TEST(test_memfd),
		FX_TEST(test_command_too_long),
		FX_TEST(test_stalled_neighbours),
		FX_TEST(test_hostile_doorbells),
		FX_TEST_SETUP(test_out_of_descriptors, setup_few_fds),
		FX_TEST_SETUP(test_reconnect_at_once, setup_one_agent),
		FX_TEST_SETUP(test_log_flood, setup_one_agent_logged),
	};

	return fx_run_tests(tests);
}
