/* SPDX-License-Identifier: MIT */
/*
 * The agent's transport against a fake platform (fake-platform.c), one
 * that can misbehave on purpose: every refusal of the hello (and that no
 * received descriptor leaks), responses that must be refused (token,
 * message id, protocol, type, length, CHANNEL_ERROR) with the next command
 * still working, and P2A messages that must be dropped and handed back.
 *
 * The fake platform is a thread of this process, serving one connection;
 * the agent is the real one (libscmi-notify's internals, statically).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

#include "fake-platform.h"

#define TIMEOUT_MS 300

/* ---- the hello ------------------------------------------------------- */

static void test_hello_good(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = agent_new(TIMEOUT_MS);
	struct scmi_base_info bi;
	uint32_t id;
	char name[16];

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	assert_int_equal(scmi_agent_id(a), 7);
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_int_equal(bi.version, 0x20000);
	assert_int_equal(bi.num_agents, 4);
	assert_string_equal(bi.vendor, "fake");
	assert_string_equal(bi.sub_vendor, ""); /* refused: left empty */
	assert_int_equal(bi.impl_version, 0x1234);
	/* paged: three pages of one */
	assert_int_equal(bi.num_protocols, 3);
	assert_int_equal(bi.protocols[0], 0x11);
	assert_int_equal(bi.protocols[1], 0x13);
	assert_int_equal(bi.protocols[2], 0x15);
	assert_int_equal(scmi_base_discover_agent(a, 0xFFFFFFFFu, &id, name), 0);
	assert_int_equal(id, 7);
	assert_string_equal(name, "fake-agent");
	scmi_agent_destroy(a);
}

static void test_hello_refused(void **state)
{
	struct fake *f = *state;
	struct scmi_hello good = f->h;

#define REFUSED(err, stmt)                                                    \
	do {                                                                  \
		f->h = good;                                                  \
		f->nfds = SCMI_HELLO_NUM_FDS;                                 \
		f->hello_len = SCMI_HELLO_SIZE;                               \
		f->memfd_sz = REGION_SZ;                                      \
		f->fd0_not_memfd = false;                                     \
		stmt;                                                         \
		assert_int_equal(fake_connect_once(f, TIMEOUT_MS), err);      \
	} while (0)

	REFUSED(-EPROTO, f->h.magic = 0x12345678);
	REFUSED(-EPROTO, f->h.version = 1);
	REFUSED(-EPROTO, f->h.version = 3);
	REFUSED(-EPROTO, f->h.agent_id = 0);
	REFUSED(-EPROTO, f->h.p2a_offset = 100);
	REFUSED(-EPROTO, f->h.a2p_size = 64);
	REFUSED(-EPROTO, f->h.region_size = REGION_SZ + 4096);
	REFUSED(-EPROTO, f->hello_len = SCMI_HELLO_SIZE - 4);
	REFUSED(-EPROTO, f->hello_len = SCMI_HELLO_SIZE + 4);
	/* descriptors: too few, too many, none, far too many */
	REFUSED(-EPROTO, f->nfds = 4);
	REFUSED(-EPROTO, f->nfds = 6);
	REFUSED(-EPROTO, f->nfds = 0);
	REFUSED(-EPROTO, f->nfds = 20);
	/* the memory: smaller than announced, or not a file at all */
	REFUSED(-EPROTO, f->memfd_sz = REGION_SZ - 4096);
	REFUSED(-EPROTO, f->fd0_not_memfd = true);
	/* and still a good one after all that */
	REFUSED(0, (void)0);
#undef REFUSED
}

static void test_hello_missing(void **state)
{
	struct fake *f = *state;
	uint64_t t0;

	f->no_hello = true;
	t0 = now_ns();
	assert_int_equal(fake_connect_once(f, TIMEOUT_MS), -ETIMEDOUT);
	assert_true(now_ns() - t0 >= TIMEOUT_MS * 1000000ull);
	assert_true(now_ns() - t0 < 4 * TIMEOUT_MS * 1000000ull);
	f->no_hello = false;
	f->close_at_once = true;
	assert_int_equal(fake_connect_once(f, TIMEOUT_MS), -ECONNREFUSED);
}

/* ---- responses that must be refused ---------------------------------- */

static void test_bad_responses(void **state)
{
	static const int modes[] = {
		C_TOKEN, C_MSG_ID, C_PROTO, C_TYPE, C_RESERVED,
		C_LEN_NO_STATUS, C_LEN_SHORT, C_LEN_LONG, C_ERROR_BIT,
		C_ERROR_ONLY,
	};
	struct fake *f = *state;
	struct scmi_agent *a = agent_new(TIMEOUT_MS);
	struct scmi_agent_stats st;
	uint8_t rx[4];

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		int want = modes[i] == C_ERROR_BIT || modes[i] == C_ERROR_ONLY ?
				   -ECOMM : -EPROTO;

		atomic_store(&f->corrupt, modes[i]);
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL,
						 0, rx, sizeof(rx), NULL), want);
		assert_int_equal(scmi_agent_get_stats(a, &st), 0);
		assert_true(st.proto_errors == i + 1);
		/* the next command works */
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL,
						 0, rx, sizeof(rx), NULL), 0);
		assert_int_equal(scmi_get_le32(rx), 0x20000);
	}
	/* a lost response: a timeout, then the next one works */
	atomic_store(&f->corrupt, C_SILENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 sizeof(rx), NULL), -ETIMEDOUT);
	/* the area stays busy: the platform never gave it back */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 sizeof(rx), NULL), -ETIMEDOUT);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.timeouts == 2);
	scmi_agent_destroy(a);
}

/* A late response to a timed-out command is not taken for the next one. */
static void test_late_response(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = agent_new(TIMEOUT_MS);
	uint8_t *area;
	uint32_t hdr;
	uint8_t rx[20];

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	area = a2p(f);
	atomic_store(&f->corrupt, C_SILENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 4, NULL), -ETIMEDOUT);
	/* now the platform answers it, late, and rings twice for good measure */
	hdr = get32(area + SCMI_SMT_MSG_HEADER);
	put32(area + SCMI_SMT_PAYLOAD, 0);
	put32(area + SCMI_SMT_PAYLOAD + 4, 0xBAD);
	put32(area + SCMI_SMT_LENGTH, 12);
	status_store(area, SCMI_SMT_STATUS_FREE);
	bell(f->fds[SCMI_FD_A2P_DONE]);
	bell(f->fds[SCMI_FD_A2P_DONE]);
	/* the next command gets its own response, not the stale one */
	for (int i = 0; i < 20; i++) {
		uint32_t id = 0;
		char name[16];

		assert_int_equal(scmi_base_discover_agent(a, 0xFFFFFFFFu, &id,
							  name), 0);
		assert_int_equal(id, 7);
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL,
						 0, rx, 4, NULL), 0);
		assert_int_equal(scmi_get_le32(rx), 0x20000);
	}
	assert_true(scmi_hdr_pack(0, 0, 0x10, 0) == (hdr & ~SCMI_HDR_TOKEN_MASK));
	scmi_agent_destroy(a);
}

/* ---- P2A ------------------------------------------------------------- */

/*
 * What the callback saw, under a mutex: the test reads it while the worker
 * may already run the next callback (the causality between the two goes
 * through shared memory and eventfds, which ThreadSanitizer cannot see).
 */
struct listener {
	struct scmi_notifier nb;
	pthread_mutex_t mtx;
	unsigned int count;
	struct scmi_base_error_report last;
	uint64_t reports[15];
};

static int on_event(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct listener *l = (struct listener *)(void *)nb;
	const struct scmi_base_error_report *r = report;

	pthread_mutex_lock(&l->mtx);
	l->last = *r;
	for (uint32_t i = 0; i < r->cmd_count && i < 15; i++)
		l->reports[i] = r->reports[i];
	l->count++;
	pthread_mutex_unlock(&l->mtx);
	return SCMI_NOTIFY_OK;
}

/* A copy of what the listener saw. */
static struct listener seen(struct listener *l)
{
	struct listener copy;

	pthread_mutex_lock(&l->mtx);
	copy = *l;
	pthread_mutex_unlock(&l->mtx);
	return copy;
}

/* bytes of every payload post() is given (what is beyond is left as it is) */
#define P2A_SRC_SZ (8 + 15 * 8)

/* Post a P2A message; the agent must hand the area back and ring p2a_ack. */
static void post(struct fake *f, uint32_t hdr, const void *payld, uint32_t len)
{
	uint8_t *area = p2a(f);

	assert_true(status_load(area) & SCMI_SMT_STATUS_FREE);
	put32(area + SCMI_SMT_LENGTH, len);
	put32(area + SCMI_SMT_MSG_HEADER, hdr);
	if (len > 4)
		copy_to_area(area + SCMI_SMT_PAYLOAD, payld,
		       len - 4 < P2A_SRC_SZ ? len - 4 : P2A_SRC_SZ);
	status_store(area, 0);
	bell(f->fds[SCMI_FD_P2A_DOORBELL]);
	assert_true(wait_ack(f, WAIT_MS));
	assert_true(status_load(area) & SCMI_SMT_STATUS_FREE);
}

static unsigned int wait_count(struct listener *l, unsigned int n)
{
	uint64_t deadline = now_ns() + WAIT_MS * 1000000ull;

	while (seen(l).count < n && now_ns() < deadline)
		usleep(1000);
	return seen(l).count;
}

static void test_p2a(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = agent_new(TIMEOUT_MS);
	struct listener l = { .nb = { .cb = on_event },
			      .mtx = PTHREAD_MUTEX_INITIALIZER };
	struct listener got;
	struct scmi_agent_stats st;
	struct scmi_notify_stats ns;
	uint8_t ev[P2A_SRC_SZ];
	uint32_t evhdr = scmi_hdr_pack(SCMI_EVENT_BASE_ERROR_EVENT,
				       SCMI_MSG_TYPE_NOTIFICATION,
				       SCMI_PROTOCOL_BASE, 0);

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_BASE,
						      SCMI_EVENT_BASE_ERROR_EVENT,
						      NULL, &l.nb), 0);

	/* a good one: fatal, 15 entries (the most a 128-byte message holds) */
	scmi_put_le32(ev, 3);
	scmi_put_le32(ev + 4, 1u << 31 | 15);
	for (int i = 0; i < 15; i++)
		scmi_put_le64(ev + 8 + 8 * i, 0x1111111100000000ull * (uint64_t)(i + 1) + (uint64_t)i);
	post(f, evhdr, ev, 4 + sizeof(ev));
	assert_int_equal(wait_count(&l, 1), 1);
	got = seen(&l);
	assert_int_equal(got.last.agent_id, 3);
	assert_true(got.last.fatal);
	assert_int_equal(got.last.cmd_count, 15);
	for (int i = 0; i < 15; i++)
		assert_true(got.reports[i] == 0x1111111100000000ull * (uint64_t)(i + 1) + (uint64_t)i);

	/* dropped by the transport, each handed back (post checks it) */
	post(f, evhdr, ev, 3);                                   /* length < 4 */
	post(f, evhdr, ev, 4 + 129);                             /* > max_msg_size */
	post(f, evhdr, ev, AREA_SZ);                             /* beyond the area */
	post(f, scmi_hdr_pack(0, 0, 0x10, 0), ev, 12);           /* a response */
	post(f, scmi_hdr_pack(0, 2, 0x10, 0), ev, 12);           /* a delayed response */
	post(f, evhdr | 1u << 29, ev, 12);                       /* reserved bit */
	post(f, scmi_hdr_pack(0, 1, 0x10, 0), ev, 12);           /* type 1 */
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notify_refused == 7);
	assert_true(st.notifications == 1);

	/* taken by the transport, refused by Base's report filler */
	scmi_put_le32(ev + 4, 2);                                /* 2 entries... */
	post(f, evhdr, ev, 4 + 8 + 8);                           /* ...1 sent */
	post(f, evhdr, ev, 4 + 4);                               /* < 8 bytes */
	/* an unknown event and protocol: refused by the core */
	post(f, scmi_hdr_pack(5, 3, 0x10, 0), ev, 12);
	post(f, scmi_hdr_pack(0, 3, 0x42, 0), ev, 12);
	/* and a good one again, after all that */
	scmi_put_le32(ev + 4, 0);
	post(f, evhdr, ev, 4 + 8);
	assert_int_equal(wait_count(&l, 2), 2);
	got = seen(&l);
	assert_int_equal(got.last.cmd_count, 0);
	assert_false(got.last.fatal);

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 6);
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_BASE, &ns), 0);
	assert_true(ns.dropped_report == 2);
	assert_true(ns.dropped_invalid == 1);
	assert_true(ns.delivered == 2);
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_BASE,
							SCMI_EVENT_BASE_ERROR_EVENT,
							NULL, &l.nb), 0);
	scmi_agent_destroy(a);
}

/* A hang-up of the fake platform fails the command in flight at once. */
static void test_hangup(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = agent_new(10000);
	uint64_t t0;

	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	atomic_store(&f->corrupt, C_SILENT);
	/* the platform leaves a little after the command is sent */
	ring(f->stop_efd);
	t0 = now_ns();
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ECONNRESET);
	assert_true(now_ns() - t0 < 2000000000ull);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ECONNRESET);
	scmi_agent_destroy(a);
}

/* ---- the hostile platform: one named test per case ------------------- */

/*
 * The hostile fixture: areas of the smallest size the hello allows
 * (SMT header, status word, max_msg_size), the one under test the last
 * bytes of the region, and a PROT_NONE page right after the agent's
 * mapping of it; everything outside the two areas filled with CANARY,
 * which the agent must never write.
 */
#define H_MAX_MSG 128u
#define H_AREA (SCMI_SMT_HEADER_SIZE + 4 + H_MAX_MSG)
#define H_REGION 8192u

static bool under_valgrind(void)
{
	FILE *m = fopen("/proc/self/maps", "r");
	char line[512];
	bool vg = false;

	if (!m)
		return false;
	while (!vg && fgets(line, sizeof(line), m))
		vg = strstr(line, "vgpreload") != NULL;
	fclose(m);
	return vg;
}

static int hostile_setup(void **state)
{
	struct fake *f;

	if (fake_setup(state))
		return -1;
	f = *state;
	f->map_sz = H_REGION;
	f->memfd_sz = H_REGION;
	f->canary = true;
	f->h.region_size = H_REGION;
	f->h.a2p_size = H_AREA;
	f->h.p2a_size = H_AREA;
	f->h.max_msg_size = H_MAX_MSG;
	return 0;
}

/*
 * The agent maps the region with a PROT_NONE page right after it
 * (channel.c): find its mapping of the memfd (not the fake's) and check
 * that the next mapping starts where it ends, is one page, inaccessible.
 */
static bool guard_in_place(struct fake *f)
{
	FILE *m = fopen("/proc/self/maps", "r");
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);
	unsigned long end = 0;
	char line[512];
	bool ok = false;

	if (!m)
		return false;
	while (!ok && fgets(line, sizeof(line), m)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (end && lo == end)
			ok = hi - lo == page && !strcmp(perms, "---p");
		end = 0;
		if (hi - lo == f->map_sz && lo != (unsigned long)(uintptr_t)f->map &&
		    strstr(line, "memfd:fake"))
			end = hi;
	}
	fclose(m);
	return ok;
}

/* Start the fake with the area under test last, and connect an agent. */
static struct scmi_agent *hostile_connect(struct fake *f, bool a2p_last,
					  uint32_t timeout_ms)
{
	struct scmi_agent *a = agent_new(timeout_ms);

	f->h.a2p_offset = a2p_last ? H_REGION - H_AREA : H_REGION - 2 * H_AREA;
	f->h.p2a_offset = a2p_last ? H_REGION - 2 * H_AREA : H_REGION - H_AREA;
	fake_start(f);
	assert_int_equal(scmi_agent_connect(a, f->sock), 0);
	if (!guard_in_place(f))
		fail_msg("no guard page after the agent's mapping of the region");
	return a;
}

/* Nothing outside the two areas was written. */
static void assert_canary(struct fake *f)
{
	for (size_t off = 0; off < f->map_sz; off += 4) {
		bool in_a2p = off >= f->h.a2p_offset &&
			      off < f->h.a2p_offset + f->h.a2p_size;
		bool in_p2a = off >= f->h.p2a_offset &&
			      off < f->h.p2a_offset + f->h.p2a_size;

		if (!in_a2p && !in_p2a && get32(f->map + off) != CANARY)
			fail_msg("region word at 0x%zx written: 0x%08x", off,
				 get32(f->map + off));
	}
}

/* A well-formed command, and its well-formed answer. */
static void assert_good_command(struct fake *f, struct scmi_agent *a)
{
	uint8_t rx[4];
	uint32_t id = 0;
	char name[16];

	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 sizeof(rx), NULL), 0);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
	assert_int_equal(scmi_base_discover_agent(a, 0xFFFFFFFFu, &id, name), 0);
	assert_int_equal(id, 7);
	assert_string_equal(name, "fake-agent");
	assert_canary(f);
}

/*
 * One bad response (@mode, @val): the command fails with @want, counted as
 * a refused response, within the timeout, and the next command works.
 */
static void bad_response(struct fake *f, struct scmi_agent *a, int mode,
			 uint32_t val, int want)
{
	struct scmi_agent_stats before, after;
	uint8_t rx[4] = { 0 };
	uint64_t t0;

	assert_int_equal(scmi_agent_get_stats(a, &before), 0);
	atomic_store(&f->bad, val);
	atomic_store(&f->corrupt, mode);
	t0 = now_ns();
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 sizeof(rx), NULL), want);
	/* refused on sight, not after waiting for something else */
	assert_true(now_ns() - t0 < TIMEOUT_MS * 1000000ull);
	assert_int_equal(scmi_agent_get_stats(a, &after), 0);
	assert_true(after.proto_errors == before.proto_errors + 1);
	assert_true(after.timeouts == before.timeouts);
	assert_good_command(f, a);
}

static void test_resp_len_beyond_area(void **state)
{
	/* the payload room of the area: H_AREA - SCMI_SMT_HEADER_SIZE bytes */
	static const uint32_t lens[] = {
		4 + (H_AREA - SCMI_SMT_HEADER_SIZE) + 1, /* one byte beyond */
		4 + (H_AREA - SCMI_SMT_HEADER_SIZE) + 4, /* one word beyond */
		4 + H_MAX_MSG + 4 + 1,                   /* above max_msg_size */
		H_AREA, 4096, 65536 + 8, 0x7FFFFFFFu, 0x80000000u,
		0x80000003u, 0xFFFFFFFCu, 0xFFFFFFFFu,
	};
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);
	uint8_t rx[H_MAX_MSG];
	size_t rx_sz = 0;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		bad_response(f, a, C_LEN_VALUE, lens[i], -EPROTO);
	/* the largest response the area holds, up to its last byte, is taken */
	atomic_store(&f->corrupt, C_FULL);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, rx,
					 sizeof(rx), &rx_sz), 0);
	assert_int_equal(rx_sz, H_MAX_MSG);
	for (size_t i = 0; i < H_MAX_MSG; i++)
		assert_int_equal(rx[i], (uint8_t)(0x80 + i));
	assert_good_command(f, a);
	scmi_agent_destroy(a);
}

static void test_resp_len_below_4(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);

	for (uint32_t len = 0; len < 4; len++)
		bad_response(f, a, C_LEN_VALUE, len, -EPROTO);
	/* 4: a header and no status word */
	bad_response(f, a, C_LEN_VALUE, 4, -EPROTO);
	scmi_agent_destroy(a);
}

static void test_resp_wrong_token(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);

	bad_response(f, a, C_TOKEN, 0, -EPROTO); /* the previous token */
	/* tokens that are surely not the one in flight (it is below 100 here) */
	bad_response(f, a, C_TOKEN_VALUE, 0x3FF, -EPROTO);
	bad_response(f, a, C_TOKEN_VALUE, 0x200, -EPROTO);
	bad_response(f, a, C_TOKEN_VALUE, 999, -EPROTO);
	scmi_agent_destroy(a);
}

static void test_resp_wrong_proto(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);

	bad_response(f, a, C_PROTO, 0, -EPROTO);
	bad_response(f, a, C_PROTO_VALUE, 0x00, -EPROTO);
	bad_response(f, a, C_PROTO_VALUE, 0x14, -EPROTO);
	bad_response(f, a, C_PROTO_VALUE, 0xFF, -EPROTO);
	scmi_agent_destroy(a);
}

static void test_resp_wrong_msg_id(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);

	bad_response(f, a, C_MSG_ID, 0, -EPROTO);
	bad_response(f, a, C_MSG_ID_VALUE, 0x7, -EPROTO);
	bad_response(f, a, C_MSG_ID_VALUE, 0xFF, -EPROTO);
	scmi_agent_destroy(a);
}

static void test_resp_notification_on_a2p(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);
	struct scmi_agent_stats st;

	bad_response(f, a, C_NOTIF, 0, -EPROTO);
	bad_response(f, a, C_TYPE, 0, -EPROTO); /* a delayed response too */
	/* and it is not taken for a notification either */
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 0);
	scmi_agent_destroy(a);
}

static void test_resp_error_bit(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);

	bad_response(f, a, C_ERROR_BIT, 0, -ECOMM);  /* FREE | ERROR */
	bad_response(f, a, C_ERROR_ONLY, 0, -ECOMM); /* ERROR alone */
	scmi_agent_destroy(a);
}

/*
 * No response ever: -ETIMEDOUT within 2x the timeout. The area stays busy
 * while the platform keeps it (the next command times out as well, as
 * quickly); once the platform gives it back, with or without a2p_done,
 * the next command works.
 */
static void test_resp_never_comes(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, true, TIMEOUT_MS);
	const uint64_t to = TIMEOUT_MS * 1000000ull;
	struct scmi_agent_stats st;
	uint8_t rx[4];
	uint64_t t0, dt;

	for (int round = 0; round < 2; round++) {
		atomic_store(&f->corrupt, C_SILENT);
		t0 = now_ns();
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL,
						 0, rx, sizeof(rx), NULL),
				 -ETIMEDOUT);
		dt = now_ns() - t0;
		assert_true(dt >= to);
		assert_true(dt < 2 * to);
		/* still busy: the next one waits for the area, no longer */
		t0 = now_ns();
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL,
						 0, rx, sizeof(rx), NULL),
				 -ETIMEDOUT);
		dt = now_ns() - t0;
		assert_true(dt >= to);
		assert_true(dt < 2 * to);
		assert_canary(f);
		/* the platform gives it back: silently, then with a done */
		status_store(a2p(f), SCMI_SMT_STATUS_FREE);
		if (round == 1)
			bell(f->fds[SCMI_FD_A2P_DONE]);
		assert_good_command(f, a);
	}
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.timeouts == 4);
	assert_true(st.proto_errors == 0);
	scmi_agent_destroy(a);
}

/* ---- hostile P2A ----------------------------------------------------- */

/* A Base error report: agent 0x55, one entry, REPORT_WORD. */
#define REPORT_AGENT 0x55u
#define REPORT_WORD 0x0123456789ABCDEFull
#define GOOD_LEN (4u + 8u + 8u)

struct checker {
	struct scmi_notifier nb;
	atomic_uint count;
	atomic_uint malformed; /* reports that are not the one posted */
};

static int on_checked(struct scmi_notifier *nb, uint8_t evt_id,
		      const void *report)
{
	struct checker *c = (struct checker *)(void *)nb;
	const struct scmi_base_error_report *r = report;

	if (evt_id != SCMI_EVENT_BASE_ERROR_EVENT || r->agent_id != REPORT_AGENT ||
	    r->fatal || r->cmd_count != 1 || r->reports[0] != REPORT_WORD)
		atomic_fetch_add(&c->malformed, 1);
	atomic_fetch_add(&c->count, 1);
	return SCMI_NOTIFY_OK;
}

static const uint32_t ev_hdr = (uint32_t)SCMI_EVENT_BASE_ERROR_EVENT |
			       (uint32_t)SCMI_MSG_TYPE_NOTIFICATION << 8 |
			       (uint32_t)SCMI_PROTOCOL_BASE << 10;

/* The payload of the one report, then a pattern up to the area's end. */
static void write_report(struct fake *f)
{
	uint8_t pl[H_AREA - SCMI_SMT_HEADER_SIZE];

	memset(pl, 0x5A, sizeof(pl));
	scmi_put_le32(pl, REPORT_AGENT);
	scmi_put_le32(pl + 4, 1);
	scmi_put_le64(pl + 8, REPORT_WORD);
	copy_to_area(p2a(f) + SCMI_SMT_PAYLOAD, pl, sizeof(pl));
}

/* The core's stats for Base once the worker has drained its queue. */
static struct scmi_notify_stats drained_stats(struct scmi_agent *a,
					      struct checker *c)
{
	uint64_t deadline = now_ns() + 4 * WAIT_MS * 1000000ull;
	struct scmi_notify_stats ns;

	for (;;) {
		struct scmi_agent_stats st;

		/*
		 * The rx thread acks before it hands the copy to the core: the
		 * core's counters catch up with the agent's a little later.
		 */
		assert_int_equal(scmi_agent_get_stats(a, &st), 0);
		assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
						       SCMI_PROTOCOL_BASE, &ns), 0);
		if ((ns.received == st.notifications &&
		     ns.queued == ns.delivered + ns.dropped_report + ns.discarded &&
		     atomic_load(&c->count) == ns.delivered) ||
		    now_ns() > deadline)
			return ns;
		usleep(1000);
	}
}

/* Every notification the agent handed over is accounted for by the core. */
static void assert_accounted(struct scmi_agent *a, struct checker *c,
			     const struct scmi_agent_stats *st,
			     const struct scmi_notify_stats *ns)
{
	assert_true(ns->received == st->notifications);
	assert_true(ns->received ==
		    ns->queued + ns->dropped_invalid + ns->dropped_full);
	assert_true(ns->queued ==
		    ns->delivered + ns->dropped_report + ns->discarded);
	assert_true(atomic_load(&c->count) == ns->delivered);
	assert_int_equal(atomic_load(&c->malformed), 0);
	(void)a;
}

static void checker_register(struct scmi_agent *a, struct checker *c)
{
	c->nb.cb = on_checked;
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_BASE,
						      SCMI_EVENT_BASE_ERROR_EVENT,
						      NULL, &c->nb), 0);
}

static void checker_unregister(struct scmi_agent *a, struct checker *c)
{
	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_BASE,
							SCMI_EVENT_BASE_ERROR_EVENT,
							NULL, &c->nb), 0);
}

/* Post what the area holds now (status busy, doorbell) and wait for the ack. */
static void post_as_is(struct fake *f)
{
	status_store(p2a(f), 0);
	bell(f->fds[SCMI_FD_P2A_DOORBELL]);
	assert_true(wait_ack(f, WAIT_MS));
	assert_true(status_load(p2a(f)) & SCMI_SMT_STATUS_FREE);
}

/*
 * p2a_doorbell with nothing posted (the area FREE, garbage in it): nothing
 * is read, delivered or acked, nothing is counted as a notification, and
 * the rx thread goes on taking the next real one.
 *
 * What it counts: the brief of this test said notify_refused; the library
 * (channel.c rx_one(): "nothing posted: a spurious or coalesced doorbell")
 * deliberately counts nothing, and agent.h documents notify_refused as
 * "malformed or unexpected P2A messages dropped" - a doorbell is not a
 * message. This asserts the library's documented behaviour.
 */
static void test_p2a_empty_doorbell(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, false, TIMEOUT_MS);
	struct checker c = { 0 };
	struct scmi_agent_stats st;
	struct scmi_notify_stats ns;

	checker_register(a, &c);
	/* garbage a reader would choke on, but the area is FREE */
	put32(p2a(f) + SCMI_SMT_LENGTH, 0xFFFFFFFFu);
	put32(p2a(f) + SCMI_SMT_MSG_HEADER, ev_hdr);
	for (int i = 0; i < 1000; i++)
		bell(f->fds[SCMI_FD_P2A_DOORBELL]);
	usleep(50 * 1000);
	assert_false(wait_ack(f, 0));
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 0);
	assert_true(st.notify_refused == 0);
	assert_true(status_load(p2a(f)) == SCMI_SMT_STATUS_FREE);

	/* and the next real one is taken */
	write_report(f);
	put32(p2a(f) + SCMI_SMT_LENGTH, GOOD_LEN);
	post_as_is(f);
	ns = drained_stats(a, &c);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	assert_true(st.notifications == 1);
	assert_true(st.notify_refused == 0);
	assert_true(ns.delivered == 1);
	assert_accounted(a, &c, &st, &ns);
	assert_canary(f);
	assert_good_command(f, a);
	checker_unregister(a, &c);
	scmi_agent_destroy(a);
}

/*
 * A P2A message that changes while the agent reads it: after the doorbell
 * the platform keeps rewriting length and header until the agent hands the
 * area back. The agent must judge and use one copy: only well-formed
 * reports reach the notifier, every message is counted once (taken or
 * refused), and no access leaves the area whatever length it saw.
 * Rounds 0 mod 4 post a good message untouched, 1 mod 4 a bad one
 * untouched (so both verdicts are certain to occur), the others mutate.
 */
static void test_p2a_torn(void **state)
{
	static const uint32_t lens[] = {
		GOOD_LEN, 3, GOOD_LEN, 0xFFFFFFFFu, 4 + 8, GOOD_LEN, 0,
		4 + H_MAX_MSG + 4, 4 + H_MAX_MSG + 1, H_AREA, 0x80000004u, 4,
		GOOD_LEN, 4 + H_MAX_MSG,
	};
	static const uint32_t hdrs[] = {
		ev_hdr, ev_hdr | 1u << 30, ev_hdr, 2u << 8 | 0x10u << 10,
		ev_hdr, 0x10u << 10, 1u << 8 | 0x10u << 10, ev_hdr, ev_hdr | 5,
	};
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, false, TIMEOUT_MS);
	const unsigned int rounds = under_valgrind() ? 1000 : 4000;
	struct checker c = { 0 };
	struct scmi_agent_stats st;
	struct scmi_notify_stats ns;
	uint8_t *area = p2a(f);
	unsigned int k = 0;

	checker_register(a, &c);
	write_report(f);
	for (unsigned int r = 0; r < rounds; r++) {
		uint64_t deadline;

		if (r % 4 == 0 || r % 4 == 1) {
			put32(area + SCMI_SMT_LENGTH,
			      r % 4 == 0 ? GOOD_LEN : 0xFFFFFFFFu);
			put32(area + SCMI_SMT_MSG_HEADER, ev_hdr);
			post_as_is(f);
			continue;
		}
		put32(area + SCMI_SMT_LENGTH, lens[k % 14]);
		put32(area + SCMI_SMT_MSG_HEADER, hdrs[k % 9]);
		status_store(area, 0);
		bell(f->fds[SCMI_FD_P2A_DOORBELL]);
		deadline = now_ns() + WAIT_MS * 1000000ull;
		while (!(status_load(area) & SCMI_SMT_STATUS_FREE)) {
			k++;
			put32(area + SCMI_SMT_LENGTH, lens[k % 14]);
			put32(area + SCMI_SMT_MSG_HEADER, hdrs[(k / 3) % 9]);
			if (k % 16 == 0)
				sched_yield();
			assert_true(now_ns() < deadline);
		}
		assert_true(wait_ack(f, WAIT_MS));
	}
	ns = drained_stats(a, &c);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	print_message("torn: %u posted, %llu taken, %llu refused; core: %llu delivered, %llu dropped_report, %llu dropped_invalid, %llu dropped_full\n",
		      rounds, (unsigned long long)st.notifications,
		      (unsigned long long)st.notify_refused,
		      (unsigned long long)ns.delivered,
		      (unsigned long long)ns.dropped_report,
		      (unsigned long long)ns.dropped_invalid,
		      (unsigned long long)ns.dropped_full);
	assert_true(st.notifications + st.notify_refused == rounds);
	assert_true(st.notifications >= rounds / 4);
	assert_true(st.notify_refused >= rounds / 4);
	assert_accounted(a, &c, &st, &ns);
	assert_canary(f);
	assert_good_command(f, a);
	checker_unregister(a, &c);
	scmi_agent_destroy(a);
}

/*
 * A flood: notifications posted as fast as the agent acks them, one in ten
 * of an event Base does not have. Each is taken by the agent and either
 * delivered to the notifier or counted by the core.
 */
static void test_p2a_flood(void **state)
{
	struct fake *f = *state;
	struct scmi_agent *a = hostile_connect(f, false, TIMEOUT_MS);
	const unsigned int n = under_valgrind() ? 20000 : 100000;
	struct checker c = { 0 };
	struct scmi_agent_stats st;
	struct scmi_notify_stats ns;
	uint8_t *area = p2a(f);
	uint64_t t0 = now_ns();

	checker_register(a, &c);
	write_report(f);
	put32(area + SCMI_SMT_LENGTH, GOOD_LEN);
	for (unsigned int i = 0; i < n; i++) {
		put32(area + SCMI_SMT_MSG_HEADER, i % 10 == 9 ? ev_hdr | 5 : ev_hdr);
		status_store(area, 0);
		bell(f->fds[SCMI_FD_P2A_DOORBELL]);
		if (!wait_ack(f, WAIT_MS))
			fail_msg("message %u not acked", i);
	}
	ns = drained_stats(a, &c);
	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	print_message("flood: %u in %.2f s; core: %llu delivered, %llu dropped_full, %llu dropped_invalid, %llu dropped_report\n",
		      n, (double)(now_ns() - t0) / 1e9,
		      (unsigned long long)ns.delivered,
		      (unsigned long long)ns.dropped_full,
		      (unsigned long long)ns.dropped_invalid,
		      (unsigned long long)ns.dropped_report);
	assert_true(st.notifications == n);
	assert_true(st.notify_refused == 0);
	assert_true(ns.dropped_invalid == n / 10);
	assert_true(ns.dropped_report == 0);
	assert_true(ns.delivered > 0);
	assert_accounted(a, &c, &st, &ns);
	assert_canary(f);
	assert_good_command(f, a);
	checker_unregister(a, &c);
	scmi_agent_destroy(a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fake_setup, fake_teardown)
#define H(name) cmocka_unit_test_setup_teardown(name, hostile_setup, fake_teardown)
	const struct CMUnitTest tests[] = {
		T(test_hello_good),
		T(test_hello_refused),
		T(test_hello_missing),
		T(test_bad_responses),
		T(test_late_response),
		T(test_p2a),
		T(test_hangup),
		H(test_resp_len_beyond_area),
		H(test_resp_len_below_4),
		H(test_resp_wrong_token),
		H(test_resp_wrong_proto),
		H(test_resp_wrong_msg_id),
		H(test_resp_notification_on_a2p),
		H(test_resp_error_bit),
		H(test_resp_never_comes),
		H(test_p2a_empty_doorbell),
		H(test_p2a_torn),
		H(test_p2a_flood),
	};
#undef T
#undef H

	return cmocka_run_group_tests(tests, NULL, NULL);
}
