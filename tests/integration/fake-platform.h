/* SPDX-License-Identifier: MIT */
/*
 * A fake SCMI platform for the integration tests that need no simulator
 * (test-transport.c, test-delayed.c): a thread of the test's own process
 * that listens on a UNIX socket, speaks the handshake of
 * include/scmi/transport.h and serves the Base commands of one agent
 * connection, as a platform would, unless told to misbehave:
 *
 *  - the hello can be made wrong in every field (struct fake's hello
 *    fields, set before fake_start());
 *  - the next response can be corrupted (corrupt, bad: enum corrupt);
 *  - commands of any protocol but Base can be answered as asynchronous
 *    ones (delayed: enum fake_delayed): an immediate response, then a
 *    delayed response (type 2) posted in the P2A area, after or before
 *    the immediate one, with a wrong token, or not at all (the test posts
 *    it with fake_post_delayed());
 *  - the test reaches the shared memory and the eventfds directly
 *    (a2p(), p2a(), fds[]) to post what it likes;
 *  - the hello's descriptors can be made hostile: a memfd without seals,
 *    an eventfd replaced by another kind of descriptor, O_NONBLOCK
 *    cleared (struct fake's hostile fields).
 *
 * It speaks transport version 2: its eventfds are primed, it rings with
 * bell() (a write of 0) and waits for the agent's rings edge-triggered
 * (wait_ack(), and its own loop for a2p_doorbell); it asks for p2a_ack on
 * every P2A message (INTR stays set in the P2A area's flags word), so
 * that a test posting by hand can wait for the agent to take each one.
 *
 * What the fake did is counted (served, async_served, delayed_posted) and
 * logged (tokens[], async_log[]), so that a test can wait for a condition
 * rather than sleep. A counter is bumped after what it counts is in the
 * log, so a test that read a count may read that many log entries.
 *
 * Every access of the fake (and of a test) to the areas is atomic (see
 * get32()). The helpers assert with cmocka's macros: call them on the
 * test's main thread, or on the fake's own (where a failed assertion
 * ends the program rather than the test).
 */
#ifndef FAKE_PLATFORM_H
#define FAKE_PLATFORM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/transport.h>
#include <scmi/wire.h>

/* The geometry fake_setup() announces: two areas of AREA_SZ. */
#define AREA_SZ 4096u
#define REGION_SZ (2 * AREA_SZ)
/* How long the fake (and a test) waits for the agent before giving up. */
#define WAIT_MS 5000
/* What fills the region when struct fake's canary is set. */
#define CANARY 0xA5A5A5A5u

/* Commands whose token the fake logs (tokens[]); async ones (async_log[]). */
#define FAKE_TOKEN_LOG 4096
#define FAKE_ASYNC_LOG 64

/* What the fake sends in place of its four eventfds (hostile hellos). */
enum fake_efd_kind {
	EFD_OK,
	EFD_PIPE,         /* the read end of a pipe */
	EFD_DEVNULL,      /* /dev/null */
	EFD_TIMERFD,      /* another anonymous inode */
};

enum corrupt {
	C_NONE,
	C_TOKEN,          /* the previous token */
	C_MSG_ID,
	C_PROTO,
	C_TYPE,           /* a delayed response */
	C_RESERVED,       /* a reserved header bit */
	C_LEN_NO_STATUS,  /* length 4: a header, no status */
	C_LEN_SHORT,      /* length 3 */
	C_LEN_LONG,       /* beyond the area */
	C_ERROR_BIT,      /* CHANNEL_ERROR, with FREE */
	C_ERROR_ONLY,     /* CHANNEL_ERROR, without FREE */
	C_SILENT,         /* no answer at all */
	/* the hostile cases: the value is taken from struct fake's bad */
	C_LEN_VALUE,      /* length = bad */
	C_TOKEN_VALUE,    /* token = bad */
	C_PROTO_VALUE,    /* protocol id = bad */
	C_MSG_ID_VALUE,   /* message id = bad */
	C_NOTIF,          /* a notification (type 3) where a response is due */
	C_FULL,           /* a good response of max_msg_size return bytes */
};

/*
 * How a command of a protocol other than Base is answered (Base is always
 * answered as Base, so that the agent connects and synchronous commands
 * work beside). In every mode but D_OFF the immediate response carries
 * imm_status and no return values; only when imm_status is SUCCESS is a
 * delayed response posted: delayed_status, then the request's payload
 * bytes echoed.
 */
enum fake_delayed {
	D_OFF,            /* no asynchronous commands: NOT_SUPPORTED */
	D_AFTER,          /* the immediate response, then the delayed one */
	D_BEFORE,         /* the delayed one (acked), then the immediate one */
	D_WRONG_TOKEN,    /* the immediate, then a delayed one for token + 1 */
	D_NONE,           /* the immediate only: fake_post_delayed() the rest */
};

/* An asynchronous command the fake served. */
struct fake_async {
	uint8_t proto_id;
	uint8_t msg_id;
	uint16_t token;
	uint8_t req[128];        /* its payload */
	size_t req_sz;
};

struct fake {
	char dir[64];
	char sock[108];
	int lfd;
	int cfd;
	pthread_t th;
	bool started;

	/* the hello to send */
	struct scmi_hello h;
	int nfds;                /* descriptors to send */
	size_t hello_len;
	size_t memfd_sz;
	bool fd0_not_memfd;
	bool memfd_unsealed;     /* no F_SEAL_SHRINK | F_SEAL_GROW */
	int efd_kind;            /* enum fake_efd_kind for fds[1..4] */
	bool efd_blocking;       /* O_NONBLOCK cleared on a2p_done, p2a_doorbell */
	bool no_hello;           /* accept, then say nothing */
	bool close_at_once;      /* accept, then close */
	bool serve;              /* answer commands (a Base platform) */

	/* the session */
	int fds[SCMI_HELLO_NUM_FDS];
	int ep_a2p;              /* a2p_doorbell, EPOLLET: the fake's loop */
	int ep_ack;              /* p2a_ack, EPOLLET: wait_ack() */
	uint8_t *map;
	int stop_efd;            /* rung: the fake hangs up (closes the socket) */
	_Atomic int corrupt;     /* enum corrupt, for the next response */
	_Atomic uint32_t bad;    /* the value of a C_*_VALUE corruption */
	atomic_uint served;      /* commands read from A2P */
	_Atomic uint16_t tokens[FAKE_TOKEN_LOG]; /* their tokens, in order */

	/* asynchronous commands (enum fake_delayed) */
	_Atomic int delayed;            /* enum fake_delayed */
	_Atomic int32_t imm_status;     /* of the immediate response */
	_Atomic int32_t delayed_status; /* of the delayed response */
	atomic_uint async_served;       /* immediate responses written */
	atomic_uint delayed_posted;     /* delayed responses posted and acked */
	_Atomic uint32_t last_async_token;
	struct fake_async async_log[FAKE_ASYNC_LOG]; /* fake's thread writes */

	/* the memory */
	size_t map_sz;           /* bytes of the memfd the fake creates */
	bool canary;             /* fill the region with CANARY first */
};

/* ---- helpers --------------------------------------------------------- */

uint64_t now_ns(void);
/* Descriptors this process has open (a few of its own included). */
unsigned int open_fds(void);
/* Write 1 to an eventfd of the test's own (not a doorbell). */
void ring(int fd);
/* Wait for such an eventfd (consume it). Returns true if it rang in time. */
bool wait_efd(int fd, int ms);
/* Ring a doorbell as a v2 platform does (a write of 0), asserting. */
void bell(int fd);
/* Wait for the agent's next p2a_ack ring. Returns true if it came in time. */
bool wait_ack(struct fake *f, int ms);

/* The fake's mapping of its areas. */
uint8_t *a2p(struct fake *f);
uint8_t *p2a(struct fake *f);

/* channel_status of an area, acquire / release. */
uint32_t status_load(uint8_t *area);
void status_store(uint8_t *area, uint32_t v);
/* One word of an area, relaxed (see fake-platform.c). */
uint32_t get32(uint8_t *p);
void put32(uint8_t *p, uint32_t v);
/* Copy @n bytes into an area (@dst word aligned), word by word. */
void copy_to_area(uint8_t *dst, const void *src, size_t n);
void copy_from_area(void *dst, uint8_t *src, size_t n);

/* ---- the fake platform ----------------------------------------------- */

/*
 * A fake, listening, with a good hello and serving Base (@state: a struct
 * fake *); cmocka setup / teardown (the teardown joins it).
 */
int fake_setup(void **state);
int fake_teardown(void **state);
/* Accept one agent and serve it, on a thread of its own. */
void fake_start(struct fake *f);
/* Hang up (if not done yet) and join it; ready for fake_start() again. */
void fake_join(struct fake *f);

/*
 * Post a message in the P2A area: wait until it is FREE, write status
 * busy, flags INTR (ack asked for), length 4 + @sz, the header word @hdr
 * as given, the @sz bytes of @payld (even beyond max_msg_size: it must
 * fit the area), ring p2a_doorbell and wait for the agent's ack. Returns
 * 0 once acked with the area FREE again, -ETIMEDOUT otherwise (within 2 *
 * WAIT_MS), -EINVAL too large for the area. One poster at a time: the
 * fake's thread (delayed modes D_AFTER, D_BEFORE, D_WRONG_TOKEN) or the
 * test's.
 */
int fake_post_p2a(struct fake *f, uint32_t hdr, const void *payld, size_t sz);

/*
 * fake_post_p2a() of a delayed response (type 2; @proto_id, @msg_id,
 * @token): payload @status, then the @ret_sz bytes of @ret (-EINVAL
 * beyond max_msg_size).
 */
int fake_post_delayed(struct fake *f, uint8_t proto_id, uint8_t msg_id,
		      uint16_t token, int32_t status, const void *ret,
		      size_t ret_sz);

/*
 * One connect of an agent (command timeout @timeout_ms) to @f as it is
 * set up: its result; everything is closed again after (asserted: no
 * descriptor left open).
 */
int fake_connect_once(struct fake *f, uint32_t timeout_ms);

/* An agent with the command timeout @timeout_ms, not connected. */
struct scmi_agent *agent_new(uint32_t timeout_ms);

#endif /* FAKE_PLATFORM_H */
