/* SPDX-License-Identifier: MIT */
/*
 * Perf fast channels (perf-fc.h): each session's block, the channels in
 * it, and the polling that applies what agents write there.
 *
 * A block has one 32-byte slot per perf domain, domain id order, each
 * channel a little-endian u32 or a pair of them:
 *
 *   +0  LEVEL_SET   the agent writes a level
 *   +4  LEVEL_GET   the platform keeps the current level
 *   +8  LIMITS_SET  the agent writes range_max, then range_min (+12)
 *   +16 LIMITS_GET  the platform keeps range_max, range_min (+20)
 *   +24 DOORBELL    the SET channels' doorbell: the agent writes 1
 *   +28 reserved
 *
 * Only the domains the topology marks with fast_channels have their
 * channels described (the SET ones only when agents may set the level or
 * the limits); the other slots are never read.
 *
 * The SET channels have a doorbell (described as a 32-bit register, set
 * mask 1, preserve mask 0): after a write the agent sets the slot's
 * DOORBELL word and rings its a2p_doorbell eventfd (transport.h: a ring
 * with the A2P area free), which wakes the loop. The platform looks at a
 * block's SET channels at the end of every iteration of its loop (an
 * ev_prepare, before the loop waits again), so a rung write is applied
 * in the iteration the ring woke; it clears a doorbell word it finds set
 * (and counts it). So that a write nobody rang for (an agent that
 * ignores the doorbell, or a hostile one) is still seen, it also looks on
 * a timer: every SIM_PERF_FC_POLL_US (the rate limit it describes) while
 * the timer finds writes ("late": counted), backing off (the period
 * doubled after FC_IDLE_TICKS ticks that found nothing new, up to
 * FC_POLL_IDLE_MAX_US) while it does not, back to the short period at
 * the first write it finds: agents that ring never need it short. Both
 * run only while some agent has asked for a channel
 * (PERF_DESCRIBE_FASTCHANNEL): a platform whose agents use messages alone
 * never wakes for this. Measured with one agent connected and idle (5 s,
 * a loaded 2-CPU machine): a 1 ms timer cost the simulator 28 ms of CPU
 * and 870 wake-ups a second; with the back-off, 2 ms and 38 (the first
 * seconds' shorter periods included).
 *
 * A SET channel holds the agent's last request. A value that differs from
 * the one last seen there is a new request: applied as the message would
 * be (perf.c: checked against the levels and limits, the events emitted,
 * agent_id the writer's). The agent's writes are hostile input: what the
 * message would refuse is ignored (the spec gives a fast channel no
 * status), counted per domain and logged rate-limited. When the level or
 * limits change by any path, every block's GET channels get the new
 * values, and its SET channels too where they still hold the value last
 * seen (a compare-and-swap: a request written meanwhile is kept and
 * applied next), so that writing again what was once asked is a new
 * request. LIMITS_SET is two words, read one after the other: a pair
 * read half-written is a request of its own (refused or applied), and the
 * whole pair is applied when its second word is seen.
 */
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include <ev.h>

#include <scmi/wire.h>

#include "../emit.h"
#include "../log.h"
#include "../ratelimit.h"
#include "../topology.h"
#include "perf-fc.h"

#define FC_SLOT_SZ 32u
#define FC_LEVEL_SET 0u
#define FC_LEVEL_GET 4u
#define FC_LIMITS_SET 8u
#define FC_LIMITS_GET 16u
#define FC_DOORBELL 24u

#define FC_IDLE_TICKS 64u                 /* quiet ticks before backing off */
#define FC_POLL_IDLE_MAX_US 32000u        /* the longest period */

enum perf_fc_msg {
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
};

struct sim_perf_fc {
	struct sim_perf_fc *next;
	struct sim_agent *a;
	uint8_t *base;                    /* the block in the region */
	uint32_t off;                     /* its offset in the region */
	bool polled;                      /* the agent described a channel */
	/* the SET channels' values last seen (or last published) */
	uint32_t level_seen[SIM_MAX_DOMAINS];
	uint32_t max_seen[SIM_MAX_DOMAINS];
	uint32_t min_seen[SIM_MAX_DOMAINS];
};

static struct sim_perf_fc *blocks;        /* every attached block */
static unsigned int num_polled;           /* blocks with polled set */
static ev_prepare w_look;
static ev_timer w_tick;
static uint32_t period_us;                /* w_tick's, now */
static unsigned int idle_ticks;           /* ticks in a row that saw nothing */
static uint64_t applied[SIM_MAX_DOMAINS], refused[SIM_MAX_DOMAINS];
static uint64_t rung[SIM_MAX_DOMAINS], late[SIM_MAX_DOMAINS];

/* ---- words of the region --------------------------------------------- */

static _Atomic uint32_t *word(const struct sim_perf_fc *fc, uint32_t dom_id,
			      uint32_t at)
{
	return (_Atomic uint32_t *)(void *)(fc->base + dom_id * FC_SLOT_SZ + at);
}

static uint32_t load(const struct sim_perf_fc *fc, uint32_t dom_id,
		     uint32_t at)
{
	return le32toh(atomic_load_explicit(word(fc, dom_id, at),
					    memory_order_acquire));
}

static void store(const struct sim_perf_fc *fc, uint32_t dom_id, uint32_t at,
		  uint32_t v)
{
	atomic_store_explicit(word(fc, dom_id, at), htole32(v),
			      memory_order_release);
}

/* Replace @seen by @v where the agent has not written since. */
static bool swap_seen(const struct sim_perf_fc *fc, uint32_t dom_id,
		      uint32_t at, uint32_t seen, uint32_t v)
{
	uint32_t expect = htole32(seen);

	return atomic_compare_exchange_strong(word(fc, dom_id, at), &expect,
					      htole32(v));
}

/* ---- polling ----------------------------------------------------------- */

static void refuse(const struct sim_perf_fc *fc, uint32_t dom_id,
		   const char *what, uint32_t v1, uint32_t v2, int32_t status)
{
	static struct sim_ratelimit rl = SIM_RATELIMIT_INIT;

	refused[dom_id]++;
	sim_log_limited(&rl, SIM_LOG_INFO,
			"agent %u: perf domain %u: fast channel %s %u %u ignored: %s",
			sim_agent_id(fc->a), dom_id, what, v1, v2,
			scmi_status_name(status));
}

/*
 * Apply what changed in @fc's SET channels of domain @dom_id, which the
 * timer looks at if @by_timer: whether any did.
 */
static bool poll_domain(struct sim_perf_fc *fc, uint32_t dom_id,
			const struct sim_perf_domain *d, bool by_timer)
{
	uint32_t id = sim_agent_id(fc->a);
	bool seen = false;
	int32_t status;

	if (load(fc, dom_id, FC_DOORBELL)) {
		store(fc, dom_id, FC_DOORBELL, 0);
		rung[dom_id]++;
	}

	if (d->set_limits) {
		uint32_t max = load(fc, dom_id, FC_LIMITS_SET);
		uint32_t min = load(fc, dom_id, FC_LIMITS_SET + 4);

		if (max != fc->max_seen[dom_id] || min != fc->min_seen[dom_id]) {
			seen = true;
			fc->max_seen[dom_id] = max;
			fc->min_seen[dom_id] = min;
			status = sim_perf_fc_limits_set(id, dom_id, max, min);
			if (status == SCMI_SUCCESS)
				applied[dom_id]++;
			else
				refuse(fc, dom_id, "LIMITS_SET", max, min, status);
		}
	}
	if (d->set_level) {
		uint32_t level = load(fc, dom_id, FC_LEVEL_SET);

		if (level != fc->level_seen[dom_id]) {
			seen = true;
			fc->level_seen[dom_id] = level;
			status = sim_perf_fc_level_set(id, dom_id, level);
			if (status == SCMI_SUCCESS)
				applied[dom_id]++;
			else
				refuse(fc, dom_id, "LEVEL_SET", level, 0, status);
		}
	}
	if (seen && by_timer)
		late[dom_id]++;
	return seen;
}

/* Every polled block (by the timer: @by_timer): whether one had news. */
static bool poll_all(bool by_timer)
{
	struct sim_topology *t = sim_topo();
	bool seen = false;

	for (struct sim_perf_fc *fc = blocks; fc; fc = fc->next) {
		if (!fc->polled)
			continue;
		for (uint32_t i = 0; i < t->num_perf; i++)
			if (t->perf[i].fast_channels)
				seen |= poll_domain(fc, i, &t->perf[i],
						    by_timer);
	}
	return seen;
}

/* The timer's period from now on. */
static void period_set(struct ev_loop *loop, uint32_t us)
{
	period_us = us;
	idle_ticks = 0;
	w_tick.repeat = us / 1e6;
	ev_timer_again(loop, &w_tick);
}

static void on_look(struct ev_loop *loop, ev_prepare *w, int revents)
{
	poll_all(false);
}

static void on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	if (poll_all(true)) {
		if (period_us != SIM_PERF_FC_POLL_US)
			period_set(loop, SIM_PERF_FC_POLL_US);
		idle_ticks = 0;
	} else if (++idle_ticks >= FC_IDLE_TICKS &&
		   period_us < FC_POLL_IDLE_MAX_US) {
		period_set(loop, period_us * 2 > FC_POLL_IDLE_MAX_US ?
					 FC_POLL_IDLE_MAX_US : period_us * 2);
	}
}

static void polling_start(struct sim_perf_fc *fc)
{
	struct ev_loop *loop = ev_default_loop(0);

	if (fc->polled)
		return;
	fc->polled = true;
	if (num_polled++)
		return;
	ev_prepare_init(&w_look, on_look);
	ev_prepare_start(loop, &w_look);
	ev_timer_init(&w_tick, on_tick, 0., 0.);
	period_set(loop, SIM_PERF_FC_POLL_US);
	sim_log(SIM_LOG_INFO, "perf fast channels: polled every %u us",
		SIM_PERF_FC_POLL_US);
}

static void polling_stop(struct sim_perf_fc *fc)
{
	struct ev_loop *loop = ev_default_loop(0);

	if (!fc->polled)
		return;
	fc->polled = false;
	if (--num_polled)
		return;
	ev_prepare_stop(loop, &w_look);
	ev_timer_stop(loop, &w_tick);
	sim_log(SIM_LOG_INFO, "perf fast channels: no agent uses them, not polled");
}

/* ---- blocks ---------------------------------------------------------- */

size_t sim_perf_fc_size(void)
{
	const struct sim_topology *t = sim_topo();

	for (uint32_t i = 0; i < t->num_perf; i++)
		if (t->perf[i].fast_channels)
			return (size_t)t->num_perf * FC_SLOT_SZ;
	return 0;
}

/* Domain @dom_id's current values in every channel of @fc. */
static void fill(struct sim_perf_fc *fc, uint32_t dom_id,
		 const struct sim_perf_domain *d)
{
	store(fc, dom_id, FC_LEVEL_SET, d->level);
	store(fc, dom_id, FC_LEVEL_GET, d->level);
	store(fc, dom_id, FC_LIMITS_SET, d->range_max);
	store(fc, dom_id, FC_LIMITS_SET + 4, d->range_min);
	store(fc, dom_id, FC_LIMITS_GET, d->range_max);
	store(fc, dom_id, FC_LIMITS_GET + 4, d->range_min);
	store(fc, dom_id, FC_DOORBELL, 0);
	fc->level_seen[dom_id] = d->level;
	fc->max_seen[dom_id] = d->range_max;
	fc->min_seen[dom_id] = d->range_min;
}

struct sim_perf_fc *sim_perf_fc_attach(struct sim_agent *a, uint8_t *base,
				       uint32_t off)
{
	struct sim_topology *t = sim_topo();
	struct sim_perf_fc *fc = calloc(1, sizeof(*fc));

	if (!fc)
		return NULL;
	fc->a = a;
	fc->base = base;
	fc->off = off;
	for (uint32_t i = 0; i < t->num_perf; i++)
		if (t->perf[i].fast_channels)
			fill(fc, i, &t->perf[i]);
	fc->next = blocks;
	blocks = fc;
	return fc;
}

void sim_perf_fc_detach(struct sim_perf_fc *fc)
{
	struct sim_perf_fc **p;

	if (!fc)
		return;
	polling_stop(fc);
	for (p = &blocks; *p; p = &(*p)->next) {
		if (*p == fc) {
			*p = fc->next;
			break;
		}
	}
	free(fc);
}

static struct sim_perf_fc *block_of(const struct sim_agent *a)
{
	for (struct sim_perf_fc *fc = blocks; fc; fc = fc->next)
		if (fc->a == a)
			return fc;
	return NULL;
}

int sim_perf_fc_describe(struct sim_agent *a, uint32_t dom_id, uint8_t msg_id,
			 struct sim_perf_fc_desc *desc)
{
	const struct sim_perf_domain *d = &sim_topo()->perf[dom_id];
	struct sim_perf_fc *fc = block_of(a);
	uint32_t at, slot;

	if (!fc)
		return -ENOENT;
	if (!d->fast_channels)
		return -EOPNOTSUPP;
	switch (msg_id) {
	case PERF_LEVEL_SET:
		if (!d->set_level)
			return -EOPNOTSUPP;
		at = FC_LEVEL_SET;
		desc->size = 4;
		break;
	case PERF_LEVEL_GET:
		at = FC_LEVEL_GET;
		desc->size = 4;
		break;
	case PERF_LIMITS_SET:
		if (!d->set_limits)
			return -EOPNOTSUPP;
		at = FC_LIMITS_SET;
		desc->size = 8;
		break;
	case PERF_LIMITS_GET:
		at = FC_LIMITS_GET;
		desc->size = 8;
		break;
	default:
		return -EOPNOTSUPP;
	}
	slot = fc->off + dom_id * FC_SLOT_SZ;
	desc->off = slot + at;
	desc->db_off = msg_id == PERF_LEVEL_SET || msg_id == PERF_LIMITS_SET ?
		       slot + FC_DOORBELL : 0;
	polling_start(fc);
	return 0;
}

void sim_perf_fc_publish(uint32_t dom_id, const struct sim_perf_domain *d)
{
	if (!d->fast_channels)
		return;
	for (struct sim_perf_fc *fc = blocks; fc; fc = fc->next) {
		store(fc, dom_id, FC_LEVEL_GET, d->level);
		store(fc, dom_id, FC_LIMITS_GET, d->range_max);
		store(fc, dom_id, FC_LIMITS_GET + 4, d->range_min);
		if (swap_seen(fc, dom_id, FC_LEVEL_SET, fc->level_seen[dom_id],
			      d->level))
			fc->level_seen[dom_id] = d->level;
		if (load(fc, dom_id, FC_LIMITS_SET) == fc->max_seen[dom_id] &&
		    swap_seen(fc, dom_id, FC_LIMITS_SET + 4,
			      fc->min_seen[dom_id], d->range_min)) {
			fc->min_seen[dom_id] = d->range_min;
			if (swap_seen(fc, dom_id, FC_LIMITS_SET,
				      fc->max_seen[dom_id], d->range_max))
				fc->max_seen[dom_id] = d->range_max;
		}
	}
}

void sim_perf_fc_counts(uint32_t dom_id, struct sim_perf_fc_counts *c)
{
	c->applied = applied[dom_id];
	c->refused = refused[dom_id];
	c->rung = rung[dom_id];
	c->late = late[dom_id];
}
