/* SPDX-License-Identifier: MIT */
/*
 * The platform end of one agent's session (include/scmi/transport.h).
 *
 * The region is a sealed memfd (it cannot shrink, so the agent cannot make
 * our mapping fault; we close our descriptor of it once the hello is sent)
 * holding two page-aligned areas: A2P at 0 and P2A
 * right after it, each big enough for a header, a status word and
 * max_msg_size bytes, then, when a perf domain offers fast channels, the
 * session's block of them (protocols/perf-fc.h), page-aligned too.
 *
 * Doorbells (transport.h, section 2): the eventfds are created primed
 * (counter 1), a ring is a write of 0, and the two the agent rings
 * (a2p_doorbell, p2a_ack) are waited for edge-triggered in an epoll set
 * of the session's own, never read. So nothing the agent does to a
 * descriptor (clear O_NONBLOCK on the description it shares with us, fill
 * a counter, read one) can make this process wait: the agent can only
 * stop its own session. An agent caught clearing O_NONBLOCK (looked at
 * on every SCMI_DOORBELL_CHECK_EVERY-th ring) is dropped.
 * A ring that fails can happen deep inside another agent's command (a
 * state change notifies everyone), so the session is doomed there and
 * closed before the loop next waits (an ev_prepare watcher).
 *
 * Watchers:
 *  - the doorbells' epoll set: a2p_doorbell: copy the command out of the
 *    A2P area once, check it, dispatch it through the protocol table,
 *    write the response and free the area (release store), ring a2p_done
 *    if the agent asked for it; p2a_ack: the agent freed the P2A area,
 *    post the next message waiting (its queue, notify-queue.h);
 *  - the socket: end-of-file, error or any data means the session is over;
 *  - a timer, while a response is held back by an injected delay.
 * The handler of a command finds its header in agent->cur_hdr, so that
 * one that accepts it asynchronously can answer it later with a delayed
 * response (delayed.h) carrying the same protocol, message id and token.
 * Injected faults (faults.h) act in three places: respond(), which every
 * response to a command goes through, p2a_post() (stall), and
 * session_delayed() (drop-delayed).
 *
 * The session owns its agent (agents.h), its notification queue and its
 * faults. The layers below reach it only through what it gave them: the
 * agent's struct sim_session_ops (a notification, a delayed response)
 * and the queue's struct sim_nq_ops (the P2A area).
 * Every descriptor is non-blocking; nothing here waits on the agent.
 */
#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include <scmi/transport.h>
#include <scmi/wire.h>

#include "agents.h"
#include "channel.h"
#include "config.h"
#include "counters.h"
#include "faults.h"
#include "log.h"
#include "notify-queue.h"
#include "protocols.h"
#include "protocols/perf-fc.h"

struct sim_channel {
	struct ev_loop *loop;
	struct sim_agent *agent;
	struct sim_nq nq;                 /* P2A messages waiting */
	struct sim_faults faults;         /* injected by control (faults.h) */
	int sock;
	int fds[SCMI_HELLO_NUM_FDS];      /* indexed by enum scmi_hello_fd */
	uint8_t *map;                     /* the region, MAP_SHARED */
	size_t region_size;
	size_t area_size;                 /* each area; A2P at 0, P2A after */
	struct sim_perf_fc *fc;           /* perf fast channels after them, or NULL */
	uint8_t *req;                     /* a command's payload, copied out */
	uint8_t *resp;                    /* return values, max_msg_size bytes */
	int epfd;                         /* a2p_doorbell + p2a_ack, EPOLLET */
	unsigned int rings[SCMI_HELLO_NUM_FDS]; /* per doorbell we ring */
	bool doomed;                      /* closed at the end of this iteration */
	ev_io w_sock;
	ev_io w_bells;                    /* on epfd */
	ev_prepare w_doom;                /* started when doomed */
	/* a response held back by "fault delay": what respond() had ready */
	ev_timer w_delay;                 /* active while one is held */
	struct {
		uint32_t hdr_word;
		uint32_t flags;
		int32_t status;
		size_t ret_sz;            /* return values, in resp */
	} delayed;
};

/* ---- areas ----------------------------------------------------------- */

static uint8_t *a2p_area(struct sim_channel *ch)
{
	return ch->map;
}

static uint8_t *p2a_area(struct sim_channel *ch)
{
	return ch->map + ch->area_size;
}

static _Atomic uint32_t *status_word(uint8_t *area)
{
	return (_Atomic uint32_t *)(void *)(area + SCMI_SMT_CHANNEL_STATUS);
}

static uint32_t smt_status_load(uint8_t *area)
{
	return le32toh(atomic_load_explicit(status_word(area),
					    memory_order_acquire));
}

static void smt_status_store(uint8_t *area, uint32_t v)
{
	atomic_store_explicit(status_word(area), htole32(v),
			      memory_order_release);
}

/* ---- eventfds -------------------------------------------------------- */

/*
 * End the session at the end of this loop iteration, whoever's work we
 * are in: nothing uses it meanwhile (no ring, no post, no command).
 */
static void channel_doom(struct sim_channel *ch, const char *why)
{
	static struct sim_ratelimit rl = SIM_RATELIMIT_INIT;

	if (ch->doomed)
		return;
	ch->doomed = true;
	/* an agent can reconnect and do it again: rate-limited */
	sim_log_limited(&rl, SIM_LOG_WARN, "agent %u: %s: session dropped",
			ch->agent->id, why);
	ev_prepare_start(ch->loop, &ch->w_doom);
}

static void efd_ring(struct sim_channel *ch, enum scmi_hello_fd which)
{
	int r = 0;

	if (ch->doomed)
		return;
	/* the flags are the agent's to keep: looked at now and then */
	if (++ch->rings[which] % SCMI_DOORBELL_CHECK_EVERY == 0)
		r = scmi_doorbell_check(ch->fds[which]);
	if (!r)
		r = scmi_doorbell_ring(ch->fds[which]);
	if (r == -EPROTO)
		channel_doom(ch, "it cleared O_NONBLOCK on a doorbell");
	else if (r)
		channel_doom(ch, strerror(-r));
}

/* ---- commands (A2P) -------------------------------------------------- */

static int32_t dispatch(struct sim_channel *ch, const struct scmi_msg_hdr *hdr,
			size_t req_sz, size_t *ret_sz)
{
	const struct sim_protocol *p = sim_protocol_find(hdr->proto_id);
	size_t room = sim_config()->max_msg_size;
	int32_t status;

	*ret_sz = room;
	ch->agent->cur_hdr = *hdr;
	status = p ? p->handle(ch->agent, hdr->msg_id, ch->req, req_sz,
			       ch->resp, ret_sz)
		   : SCMI_ERR_SUPPORT;
	assert(*ret_sz <= room);
	if (status != SCMI_SUCCESS)
		*ret_sz = 0;
	return status;
}

/*
 * Write a response in the A2P area: status, the @ret_sz return values in
 * ch->resp, @length as the length field (8 + ret_sz unless a fault says
 * otherwise), the header, then FREE last; ring a2p_done if the command
 * asked for it.
 */
static void put_response(struct sim_channel *ch, uint32_t hdr_word,
			 uint32_t flags, int32_t status, size_t ret_sz,
			 uint32_t length)
{
	uint8_t *area = a2p_area(ch);

	scmi_put_le32(area + SCMI_SMT_PAYLOAD, (uint32_t)status);
	memcpy(area + SCMI_SMT_PAYLOAD + 4, ch->resp, ret_sz);
	scmi_put_le32(area + SCMI_SMT_LENGTH, length);
	scmi_put_le32(area + SCMI_SMT_MSG_HEADER, hdr_word);
	smt_status_store(area, SCMI_SMT_STATUS_FREE);
	if (flags & SCMI_SMT_FLAGS_INTR)
		efd_ring(ch, SCMI_FD_A2P_DONE);
}

static void on_delay(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sim_channel *ch = w->data;

	sim_log(SIM_LOG_INFO, "agent %u: fault delay: response to 0x%08x written",
		ch->agent->id, ch->delayed.hdr_word);
	put_response(ch, ch->delayed.hdr_word, ch->delayed.flags,
		     ch->delayed.status, ch->delayed.ret_sz,
		     (uint32_t)(8 + ch->delayed.ret_sz));
	/* a delayed response held behind it may go now */
	nq_pump(&ch->nq);
}

/* A command arrived while a response is held back: that one is never written. */
static void drop_delayed(struct sim_channel *ch)
{
	if (!ev_is_active(&ch->w_delay))
		return;
	ev_timer_stop(ch->loop, &ch->w_delay);
	sim_log(SIM_LOG_INFO,
		"agent %u: fault delay: a new command came first; the response to 0x%08x is not written",
		ch->agent->id, ch->delayed.hdr_word);
	nq_pump(&ch->nq);
}

int channel_delayed_response_ms(struct sim_channel *ch)
{
	double left;

	if (!ev_is_active(&ch->w_delay))
		return -1;
	left = ev_timer_remaining(ch->loop, &ch->w_delay);
	return left > 0 ? (int)(left * 1000. + 0.5) : 0;
}

/*
 * Answer the command with header @hdr_word: its @status and the @ret_sz
 * return values in ch->resp, as the agent's armed fault, if any, says.
 */
static void respond(struct sim_channel *ch, uint32_t hdr_word, uint32_t flags,
		    int32_t status, size_t ret_sz)
{
	uint8_t *area = a2p_area(ch);
	uint32_t delay_ms = 0;

	switch (fault_take_response(&ch->faults, ch->agent->id, &delay_ms)) {
	case SIM_FAULT_DELAY:
		ch->delayed.hdr_word = hdr_word;
		ch->delayed.flags = flags;
		ch->delayed.status = status;
		ch->delayed.ret_sz = ret_sz;
		ev_timer_set(&ch->w_delay, delay_ms / 1000., 0.);
		ev_timer_start(ch->loop, &ch->w_delay);
		return;
	case SIM_FAULT_DROP:
		/* no response: the area back to the agent as it was, no done */
		smt_status_store(area, SCMI_SMT_STATUS_FREE);
		return;
	case SIM_FAULT_ERROR:
		smt_status_store(area, SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR);
		if (flags & SCMI_SMT_FLAGS_INTR)
			efd_ring(ch, SCMI_FD_A2P_DONE);
		return;
	case SIM_FAULT_CORRUPT_LENGTH:
		/* header and payload would run 4 bytes past the end of the area */
		put_response(ch, hdr_word, flags, status, ret_sz,
			     (uint32_t)(ch->area_size - SCMI_SMT_MSG_HEADER + 4));
		return;
	default:
		put_response(ch, hdr_word, flags, status, ret_sz,
			     (uint32_t)(8 + ret_sz));
		return;
	}
}

/*
 * Serve the command in the A2P area. Every byte of it is read once, into
 * local copies, and only the copies are parsed: the agent may rewrite the
 * area at any time.
 */
static void serve_command(struct sim_channel *ch)
{
	struct sim_agent *a = ch->agent;
	uint8_t *area = a2p_area(ch);
	/* transport.h: longer than 4 + max_msg_size is PROTOCOL_ERROR */
	size_t max_len = 4 + (size_t)sim_config()->max_msg_size;
	uint8_t fields[SCMI_SMT_PAYLOAD - SCMI_SMT_FLAGS];
	uint32_t flags, len, hdr_word;
	struct scmi_msg_hdr hdr;
	size_t ret_sz = 0;
	uint8_t proto_id;
	int32_t status;

	if (smt_status_load(area) & SCMI_SMT_STATUS_FREE) {
		sim_log(SIM_LOG_DEBUG,
			"agent %u: A2P doorbell with the area free: ignored", a->id);
		return;
	}
	drop_delayed(ch);

	memcpy(fields, area + SCMI_SMT_FLAGS, sizeof(fields));
	flags = scmi_get_le32(fields + (SCMI_SMT_FLAGS - SCMI_SMT_FLAGS));
	len = scmi_get_le32(fields + (SCMI_SMT_LENGTH - SCMI_SMT_FLAGS));
	hdr_word = scmi_get_le32(fields + (SCMI_SMT_MSG_HEADER - SCMI_SMT_FLAGS));
	proto_id = (uint8_t)((hdr_word & SCMI_HDR_PROTO_MASK) >> SCMI_HDR_PROTO_SHIFT);
	agent_count(a, proto_id, SIM_CNT_COMMANDS);

	if (len < 4) {
		/* not even a header: nothing to answer to */
		sim_log(SIM_LOG_INFO, "agent %u: command length %u: CHANNEL_ERROR",
			a->id, len);
		agent_count(a, proto_id, SIM_CNT_CMD_ERRORS);
		smt_status_store(area, SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR);
		if (flags & SCMI_SMT_FLAGS_INTR)
			efd_ring(ch, SCMI_FD_A2P_DONE);
		sim_base_report_error(a, hdr_word, SCMI_ERR_COMMS);
		return;
	}

	if (len > max_len) {
		sim_log(SIM_LOG_INFO,
			"agent %u: command length %u beyond 4 + max_msg_size (%zu): PROTOCOL_ERROR",
			a->id, len, max_len);
		status = SCMI_ERR_PROTOCOL;
	} else if (scmi_hdr_unpack(hdr_word, &hdr) < 0 ||
		   hdr.type != SCMI_MSG_TYPE_COMMAND) {
		sim_log(SIM_LOG_INFO,
			"agent %u: bad command header 0x%08x: PROTOCOL_ERROR",
			a->id, hdr_word);
		status = SCMI_ERR_PROTOCOL;
	} else {
		size_t req_sz = len - 4;

		memcpy(ch->req, area + SCMI_SMT_PAYLOAD, req_sz);
		status = dispatch(ch, &hdr, req_sz, &ret_sz);
		/* every command at -vv; malformed ones already at -v */
		sim_log(status == SCMI_ERR_PROTOCOL ? SIM_LOG_INFO : SIM_LOG_DEBUG,
			"agent %u: command 0x%02x/0x%02x token %u, %zu bytes: %s, %zu bytes",
			a->id, hdr.proto_id, hdr.msg_id, hdr.token, req_sz,
			scmi_status_name(status), ret_sz);
	}

	respond(ch, hdr_word, flags, status, ret_sz);

	if (status == SCMI_ERR_PROTOCOL) {
		agent_count(a, proto_id, SIM_CNT_CMD_ERRORS);
		sim_base_report_error(a, hdr_word, status);
	}
}

/* ---- notifications and delayed responses (P2A) ----------------------- */
/* The queue's struct sim_nq_ops, then the agent's struct sim_session_ops. */

static bool p2a_is_free(struct sim_channel *ch)
{
	return smt_status_load(p2a_area(ch)) & SCMI_SMT_STATUS_FREE;
}

static bool p2a_want_ack(void *ctx)
{
	struct sim_channel *ch = ctx;
	uint8_t *area = p2a_area(ch);

	if (ch->doomed)
		return false;
	atomic_store_explicit((_Atomic uint32_t *)(void *)(area + SCMI_SMT_FLAGS),
			      htole32(SCMI_SMT_FLAGS_INTR),
			      memory_order_relaxed);
	/* pairs with the agent's fence between FREE and its read of flags */
	atomic_thread_fence(memory_order_seq_cst);
	return p2a_is_free(ch);
}

/*
 * Post a message with header @hdr in the P2A area (flags 0: no ack asked
 * for) and ring p2a_doorbell: a notification (type 3, message id = event
 * id, token 0) or a delayed response (type 2, the command's protocol,
 * message id and token; the payload starts with the status).
 */
static int p2a_post(void *ctx, uint32_t hdr, const void *payld, size_t sz)
{
	struct sim_channel *ch = ctx;
	uint8_t *area = p2a_area(ch);
	struct scmi_msg_hdr h;

	scmi_hdr_unpack(hdr, &h);
	assert(sz <= sim_config()->max_msg_size);
	assert(h.type == SCMI_MSG_TYPE_DELAYED_RESP ||
	       h.type == SCMI_MSG_TYPE_NOTIFICATION);
	if (ch->faults.stalled || ch->doomed)
		return -EAGAIN;
	if (!p2a_is_free(ch))
		return -EBUSY;

	scmi_put_le32(area + SCMI_SMT_FLAGS, 0);
	scmi_put_le32(area + SCMI_SMT_LENGTH, (uint32_t)(4 + sz));
	scmi_put_le32(area + SCMI_SMT_MSG_HEADER, hdr);
	if (sz)
		memcpy(area + SCMI_SMT_PAYLOAD, payld, sz);
	smt_status_store(area, 0);
	efd_ring(ch, SCMI_FD_P2A_DOORBELL);
	if (h.type == SCMI_MSG_TYPE_DELAYED_RESP)
		sim_log(SIM_LOG_DEBUG,
			"agent %u: delayed response 0x%02x/0x%02x token %u (header 0x%08x), %zu bytes, status %d: posted",
			ch->agent->id, h.proto_id, h.msg_id, h.token, hdr, sz,
			sz >= 4 ? (int32_t)scmi_get_le32(payld) : 0);
	else
		sim_log(SIM_LOG_DEBUG,
			"agent %u: notification 0x%02x/0x%02x, %zu bytes: posted",
			ch->agent->id, h.proto_id, h.msg_id, sz);
	return 0;
}

/* Not while a response is held back: it may be the one this completes. */
static bool p2a_delayed_may_go(void *ctx)
{
	struct sim_channel *ch = ctx;

	return !ev_is_active(&ch->w_delay);
}

static const struct sim_nq_ops nq_ops = {
	.post = p2a_post,
	.want_ack = p2a_want_ack,
	.delayed_may_go = p2a_delayed_may_go,
};

static int session_notify(struct sim_channel *ch, uint8_t proto_id,
			  uint8_t evt_id, const void *payld, size_t sz)
{
	return nq_post(&ch->nq, proto_id, evt_id, payld, sz);
}

static int session_delayed(struct sim_channel *ch,
			   const struct scmi_msg_hdr *hdr, int32_t status,
			   const void *ret, size_t ret_sz)
{
	uint8_t *payld;

	if (fault_take_delayed(&ch->faults, ch->agent->id))
		return -ECANCELED;
	if (4 + ret_sz > sim_config()->max_msg_size)
		return -EMSGSIZE;
	payld = malloc(4 + ret_sz);
	if (!payld)
		return -ENOMEM;
	scmi_put_le32(payld, (uint32_t)status);
	if (ret_sz)
		memcpy(payld + 4, ret, ret_sz);
	return nq_post_delayed(&ch->nq, hdr, payld, 4 + ret_sz);
}

static unsigned int session_delayed_waiting(const struct sim_channel *ch)
{
	return ch->nq.dcount;
}

static const struct sim_session_ops session_ops = {
	.notify = session_notify,
	.delayed = session_delayed,
	.delayed_waiting = session_delayed_waiting,
};

struct sim_faults *channel_faults(struct sim_channel *ch)
{
	return &ch->faults;
}

const struct sim_nq *channel_queue(const struct sim_channel *ch)
{
	return &ch->nq;
}

void channel_set_stall(struct sim_channel *ch, bool on)
{
	struct sim_faults *fs = &ch->faults;

	if (fs->stalled == on)
		return;
	fs->stalled = on;
	if (on) {
		fs->fired[SIM_FAULT_STALL]++;
		sim_log(SIM_LOG_INFO, "agent %u: fault stall: P2A posting stopped",
			ch->agent->id);
	} else {
		sim_log(SIM_LOG_INFO,
			"agent %u: fault stall off: P2A posting resumed, %u waiting",
			ch->agent->id, ch->nq.count);
		nq_pump(&ch->nq);
	}
}

/* ---- watchers -------------------------------------------------------- */

enum { BELL_A2P, BELL_ACK };

/* The doorbells' epoll set is readable: harvest its edges, act on each. */
static void on_bells(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sim_channel *ch = w->data;
	struct epoll_event ev[2];
	bool cmd = false, ack = false;
	int n = epoll_wait(ch->epfd, ev, 2, 0);

	if (n < 0) {
		if (errno != EINTR)
			channel_doom(ch, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		if (ev[i].data.u32 == BELL_A2P)
			cmd = true;
		else
			ack = true;
	}
	if (cmd && !ch->doomed)
		serve_command(ch);
	if (ack && !ch->doomed)
		nq_pump(&ch->nq);
}

static void on_doom(struct ev_loop *loop, ev_prepare *w, int revents)
{
	channel_close(w->data);
}

static void on_socket(struct ev_loop *loop, ev_io *w, int revents)
{
	static struct sim_ratelimit rl = SIM_RATELIMIT_INIT;
	struct sim_channel *ch = w->data;
	char buf[64];
	ssize_t n = recv(ch->sock, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		sim_log_limited(&rl, SIM_LOG_WARN,
				"agent %u: sent data on the session socket (nothing is due after the hello): closing",
				ch->agent->id);
	else if (n < 0)
		sim_log(SIM_LOG_INFO, "agent %u: socket: %s", ch->agent->id,
			strerror(errno));
	else
		sim_log(SIM_LOG_INFO, "agent %u: hung up", ch->agent->id);
	channel_close(ch);
}

/* ---- session --------------------------------------------------------- */

static void channel_free(struct sim_channel *ch)
{
	ev_io_stop(ch->loop, &ch->w_sock);
	ev_io_stop(ch->loop, &ch->w_bells);
	ev_prepare_stop(ch->loop, &ch->w_doom);
	ev_timer_stop(ch->loop, &ch->w_delay);
	sim_perf_fc_detach(ch->fc);
	if (ch->epfd >= 0 && close(ch->epfd) < 0)
		sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	nq_fini(&ch->nq);
	if (ch->agent)
		agent_free(ch->agent);
	for (size_t i = 0; i < SCMI_HELLO_NUM_FDS; i++)
		if (ch->fds[i] >= 0 && close(ch->fds[i]) < 0)
			sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	if (ch->sock >= 0 && close(ch->sock) < 0)
		sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	if (ch->map && munmap(ch->map, ch->region_size) < 0)
		sim_log(SIM_LOG_ERR, "munmap: %s", strerror(errno));
	free(ch->req);
	free(ch->resp);
	free(ch);
}

static int create_region(struct sim_channel *ch)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t need = SCMI_SMT_HEADER_SIZE + 4 + sim_config()->max_msg_size;
	size_t fc_size = sim_perf_fc_size();
	void *map;
	int fd;

	if (page <= 0)
		page = 4096;
	ch->area_size = (need + (size_t)page - 1) / (size_t)page * (size_t)page;
	fc_size = (fc_size + (size_t)page - 1) / (size_t)page * (size_t)page;
	ch->region_size = 2 * ch->area_size + fc_size;

	fd = memfd_create("scmi-sim-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	ch->fds[SCMI_FD_MEMFD] = fd;
	if (ftruncate(fd, (off_t)ch->region_size) < 0)
		return -errno;
	/* the agent gets this fd: it must not shrink the file under us */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return -errno;
	map = mmap(NULL, ch->region_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	ch->map = map;
	smt_status_store(a2p_area(ch), SCMI_SMT_STATUS_FREE);
	smt_status_store(p2a_area(ch), SCMI_SMT_STATUS_FREE);
	if (fc_size) {
		ch->fc = sim_perf_fc_attach(ch->agent, ch->map + 2 * ch->area_size,
					    (uint32_t)(2 * ch->area_size));
		if (!ch->fc)
			return -ENOMEM;
	}

	ch->req = malloc(ch->area_size);
	ch->resp = malloc(sim_config()->max_msg_size);
	if (!ch->req || !ch->resp)
		return -ENOMEM;
	return 0;
}

/*
 * The four doorbells, primed (counter 1, transport.h), and the epoll set
 * the two the agent rings are waited for in, edge-triggered.
 */
static int create_eventfds(struct sim_channel *ch)
{
	static const struct {
		enum scmi_hello_fd fd;
		uint32_t bell;
	} watched[] = {
		{ SCMI_FD_A2P_DOORBELL, BELL_A2P },
		{ SCMI_FD_P2A_ACK, BELL_ACK },
	};

	for (int i = SCMI_FD_A2P_DOORBELL; i <= SCMI_FD_P2A_ACK; i++) {
		ch->fds[i] = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ch->fds[i] < 0)
			return -errno;
	}
	ch->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ch->epfd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET,
					  .data.u32 = watched[i].bell };

		if (epoll_ctl(ch->epfd, EPOLL_CTL_ADD, ch->fds[watched[i].fd],
			      &ev) < 0)
			return -errno;
	}
	return 0;
}

static int send_hello(struct sim_channel *ch)
{
	struct scmi_hello h = {
		.magic = SCMI_HELLO_MAGIC,
		.version = SCMI_TRANSPORT_VERSION,
		.agent_id = ch->agent->id,
		.flags = 0,
		.region_size = (uint32_t)ch->region_size,
		.a2p_offset = 0,
		.a2p_size = (uint32_t)ch->area_size,
		.p2a_offset = (uint32_t)ch->area_size,
		.p2a_size = (uint32_t)ch->area_size,
		.max_msg_size = sim_config()->max_msg_size,
		.num_fds = SCMI_HELLO_NUM_FDS,
	};
	uint8_t buf[SCMI_HELLO_SIZE];
	union {
		char buf[CMSG_SPACE(sizeof(int) * SCMI_HELLO_NUM_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;

	scmi_hello_encode(&h, buf);
	memset(&ctl, 0, sizeof(ctl));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * SCMI_HELLO_NUM_FDS);
	memcpy(CMSG_DATA(cmsg), ch->fds, sizeof(int) * SCMI_HELLO_NUM_FDS);

	n = sendmsg(ch->sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(buf) ? 0 : -EIO;
}

/*
 * End the sessions whose agent hung up and whose end-of-file the loop has
 * not read yet (an agent that reconnects at once is accepted before its
 * old session's hang-up is seen): the table is full only of live agents.
 * How many ended.
 */
static unsigned int reap_hung_up(void)
{
	unsigned int n = 0;

	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		struct sim_agent *a = agent_get(id);

		if (!a)
			continue;
		/* what the socket watcher does: EAGAIN leaves it be */
		on_socket(a->ch->loop, &a->ch->w_sock, EV_READ);
		n += agent_get(id) == NULL;
	}
	return n;
}

int channel_open(struct ev_loop *loop, int fd)
{
	struct sim_channel *ch = calloc(1, sizeof(*ch));
	int r;

	if (!ch) {
		if (close(fd) < 0)
			sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
		return -ENOMEM;
	}
	ch->loop = loop;
	ch->sock = fd;
	ch->epfd = -1;
	for (size_t i = 0; i < SCMI_HELLO_NUM_FDS; i++)
		ch->fds[i] = -1;
	ev_io_init(&ch->w_sock, on_socket, fd, EV_READ);
	ch->w_sock.data = ch;
	ev_prepare_init(&ch->w_doom, on_doom);
	ch->w_doom.data = ch;
	ev_timer_init(&ch->w_delay, on_delay, 0., 0.);
	ch->w_delay.data = ch;

	r = agent_new(ch, &session_ops, &ch->agent);
	if (r == -ENOSPC && reap_hung_up() > 0)
		r = agent_new(ch, &session_ops, &ch->agent);
	if (r < 0)
		goto fail;
	r = nq_init(&ch->nq, &nq_ops, ch, &ch->agent->cnt, ch->agent->id);
	if (r < 0)
		goto fail;
	r = create_region(ch);
	if (r < 0)
		goto fail;
	r = create_eventfds(ch);
	if (r < 0)
		goto fail;
	r = send_hello(ch);
	if (r < 0) {
		sim_log(SIM_LOG_INFO, "agent %u: sending the hello: %s",
			ch->agent->id, strerror(-r));
		goto fail;
	}
	/* the agent has its own; the mapping keeps the region alive */
	if (close(ch->fds[SCMI_FD_MEMFD]) < 0)
		sim_log(SIM_LOG_ERR, "close: %s", strerror(errno));
	ch->fds[SCMI_FD_MEMFD] = -1;

	ev_io_init(&ch->w_bells, on_bells, ch->epfd, EV_READ);
	ch->w_bells.data = ch;
	ev_io_start(loop, &ch->w_sock);
	ev_io_start(loop, &ch->w_bells);

	sim_log(SIM_LOG_INFO, "agent %u: connected (areas of %zu bytes, max_msg_size %u)",
		ch->agent->id, ch->area_size, sim_config()->max_msg_size);
	return 0;

fail:
	channel_free(ch);
	return r;
}

static void log_counts(uint32_t id, const char *what, const uint64_t c[SIM_CNT_MAX])
{
	sim_log(SIM_LOG_INFO,
		"agent %u: %s: commands %" PRIu64 " (malformed %" PRIu64
		"), notifications sent %" PRIu64 ", queued %" PRIu64
		", dropped %" PRIu64 ", delayed responses sent %" PRIu64
		", lost %" PRIu64,
		id, what, c[SIM_CNT_COMMANDS], c[SIM_CNT_CMD_ERRORS],
		c[SIM_CNT_NOTIF_SENT], c[SIM_CNT_NOTIF_QUEUED],
		c[SIM_CNT_NOTIF_DROPPED], c[SIM_CNT_DELAYED_SENT],
		c[SIM_CNT_DELAYED_LOST]);
}

/* The session's counters (INFO), total, faults fired, per protocol. */
static void log_counters(const struct sim_channel *ch)
{
	static const uint64_t zero[SIM_CNT_MAX];
	const struct sim_agent *a = ch->agent;
	char what[32];

	if (!sim_log_enabled(SIM_LOG_INFO))
		return;
	log_counts(a->id, "total", a->cnt.total);
	for (int f = SIM_FAULT_NONE + 1; f < SIM_FAULT_MAX; f++)
		if (ch->faults.fired[f])
			sim_log(SIM_LOG_INFO, "agent %u: fault %s: %" PRIu64 " times",
				a->id, sim_fault_name(f), ch->faults.fired[f]);
	for (unsigned int p = 0; p < 256; p++) {
		if (!memcmp(a->cnt.per_proto[p], zero, sizeof(zero)))
			continue;
		snprintf(what, sizeof(what), "protocol 0x%02x", p);
		log_counts(a->id, what, a->cnt.per_proto[p]);
	}
}

void channel_close(struct sim_channel *ch)
{
	sim_log(SIM_LOG_INFO, "agent %u: session closed", ch->agent->id);
	log_counters(ch);
	channel_free(ch);
}

void channel_close_all(void)
{
	for (uint32_t id = 1; id <= sim_config()->max_agents; id++) {
		struct sim_agent *a = agent_get(id);

		if (a)
			channel_close(a->ch);
	}
}
