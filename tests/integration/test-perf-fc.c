/* SPDX-License-Identifier: MIT */
/*
 * Perf fast channels against the real simulator, on a topology of three
 * perf domains: 0 "fc-cpu" with fast channels, 1 "msg-cpu" the same
 * without, 2 "fc-ro" with fast channels but no rights (its GET channels
 * only).
 *
 *   - PERF_DESCRIBE_FASTCHANNEL's replies, the attribute bits;
 *   - a level set through the channel changes the platform's state (seen
 *     by control, by the LEVEL_GET command and by the channel) and sends
 *     PERFORMANCE_LEVEL_CHANGED with the writer's id, without a command;
 *     the same level written again after the platform changed it is a
 *     new request;
 *   - limits through the channels, their event, the level moved;
 *   - a domain without channels, and the driver forced to messages, use
 *     commands;
 *   - values in the channel the command would refuse are ignored by the
 *     platform (counted, no event), a good one after is applied; bad
 *     values in a GET channel are refused by the agent (-EPROTO);
 *   - the SET channels' doorbells: described, rung by the driver, counted
 *     by the platform; an idle agent wakes the platform seldom (its
 *     polling backs off), and a write after, rung for, is applied at
 *     once (a hostile write nobody rings for is polled);
 *   - the agent's check of a described channel, on the real layout.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <scmi/perf.h>
#include <scmi/wire.h>

#include "fixture.h"
#include "protocols/fastchan.h"
#include "protocols/perf-internal.h"

#define WAIT_MS 5000      /* bound of every wait for an expected event */
#define QUIET_MS 100      /* how long "nothing arrives" is watched */

enum perf_cmd {
	PERF_DOMAIN_ATTRIBUTES = 0x3,
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
	PERF_DESCRIBE_FASTCHANNEL = 0xB,
	PERF_DOMAIN_NAME_GET = 0xC,
};

#define DOM_FC 0u
#define DOM_MSG 1u
#define DOM_RO 2u

#define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_PERF, __VA_ARGS__)

static const char topology[] =
	"{\n"
	"  \"perf\": [\n"
	"    { \"name\": \"fc-cpu\", \"fast_channels\": true,\n"
	"      \"levels\": [ { \"perf\": 600 }, { \"perf\": 1000 },\n"
	"                  { \"perf\": 1400 }, { \"perf\": 1800 } ],\n"
	"      \"level\": 1000 },\n"
	"    { \"name\": \"msg-cpu\",\n"
	"      \"levels\": [ { \"perf\": 600 }, { \"perf\": 1000 },\n"
	"                  { \"perf\": 1400 }, { \"perf\": 1800 } ],\n"
	"      \"level\": 1000 },\n"
	"    { \"name\": \"fc-ro\", \"fast_channels\": true,\n"
	"      \"set_level\": false, \"set_limits\": false,\n"
	"      \"levels\": [ { \"perf\": 200 }, { \"perf\": 400 } ],\n"
	"      \"level\": 400 }\n"
	"  ]\n"
	"}\n";

static struct fx_dir dir;

/*
 * The driver maps the region a second time with mremap(old_size 0) (a
 * Linux way to share the same pages); valgrind refuses it (EINVAL), and
 * the driver then uses the commands, as documented: the tests of the
 * channels themselves have nothing to test there.
 */
static void need_own_mapping(void)
{
	size_t sz = 4096;
	void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	void *q;

	assert_true(p != MAP_FAILED);
	q = mremap(p, 0, sz, MREMAP_MAYMOVE);
	if (q != MAP_FAILED)
		munmap(q, sz);
	munmap(p, sz);
	if (q == MAP_FAILED) {
		print_message("mremap(old_size 0) refused here (valgrind?): "
			      "skipped\n");
		skip();
	}
}

static int setup(void **state)
{
	char path[128];

	fx_dir_make(&dir, "perf-fc");
	fx_dir_file(&dir, "fc.json", path, sizeof(path));
	fx_write_file(path, topology);
	return fx_start(state, (const char *const[]){ "--topology", path,
						      NULL });
}

static int teardown(void **state)
{
	int r = fx_teardown(state);

	fx_dir_remove(&dir);
	return r;
}

#define FC_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* PERF_DESCRIBE_FASTCHANNEL: its status, and the 44 bytes in @rx. */
static int describe(struct scmi_agent *a, uint32_t dom, uint32_t msg,
		    uint8_t rx[44])
{
	uint32_t w[2] = { dom, msg };
	size_t n = 0;
	int r = raw(a, PERF_DESCRIBE_FASTCHANNEL, w, 2, rx, 44, &n);

	if (!r)
		assert_int_equal(n, 44);
	return r;
}

/* Agent @a's mapping of its region and where the channel of @msg is. */
static _Atomic uint32_t *channel(struct scmi_agent *a, struct scmi_fc_map *m,
				 uint32_t dom, uint32_t msg)
{
	uint8_t rx[44];

	assert_int_equal(describe(a, dom, msg, rx), 0);
	assert_int_equal(scmi_fc_map(a, m), 0);
	return scmi_fc_word(m, scmi_get_le64(rx + 8));
}

static uint64_t commands(struct scmi_agent *a)
{
	return fx_stats(a).commands;
}

/* "perf get DOM" and "perf fc DOM" must answer @want. */
static void ctl_is(struct fx *fx, const char *req, uint32_t dom,
		   const char *want)
{
	char reply[160];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "perf %s %u",
				 req, dom), 0);
	assert_string_equal(reply, want);
}

/*
 * "perf fc DOM": the platform's counts of the agents' writes; @rung and
 * @late may be NULL.
 */
static void fc_counts(struct fx *fx, uint32_t dom, unsigned int *applied,
		      unsigned int *ignored, unsigned int *rung,
		      unsigned int *late)
{
	char reply[160];
	unsigned int r, l;

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "perf fc %u",
				 dom), 0);
	assert_int_equal(sscanf(reply, "ok applied %u ignored %u rung %u late %u",
				applied, ignored, &r, &l), 4);
	if (rung)
		*rung = r;
	if (late)
		*late = l;
}

/*
 * "perf fc DOM" answers @applied, @ignored and @rung (asserted); its late
 * count (writes the simulator's timer found before their ring: one can
 * fall between an agent's write and its ring on a loaded machine, not
 * every one, as without the ring).
 */
static unsigned int fc_late(struct fx *fx, uint32_t dom, unsigned int applied,
			    unsigned int ignored, unsigned int rung)
{
	unsigned int a, i, r, late;

	fc_counts(fx, dom, &a, &i, &r, &late);
	assert_int_equal(a, applied);
	assert_int_equal(i, ignored);
	assert_int_equal(r, rung);
	return late;
}

/*
 * Wait until the platform ignored more than @than writes on @dom (it
 * looks at an idle agent's channels less often); the count then.
 */
static unsigned int wait_ignored(struct fx *fx, uint32_t dom,
				 unsigned int than)
{
	unsigned int applied, ignored;

	for (unsigned int ms = 0; ms < WAIT_MS; ms += 5) {
		fc_counts(fx, dom, &applied, &ignored, NULL, NULL);
		assert_int_equal(applied, 0);
		if (ignored > than)
			return ignored;
		sim_sleep_ms(5);
	}
	fail_msg("the platform did not see the write in %u ms", WAIT_MS);
	return 0;
}

/* The level through the LEVEL_GET command, whatever the driver does. */
static uint32_t level_by_message(struct scmi_agent *a, uint32_t dom)
{
	uint8_t rx[4];
	size_t n = 0;

	assert_int_equal(raw(a, PERF_LEVEL_GET, &dom, 1, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	return scmi_get_le32(rx);
}

/* ---- discovery -------------------------------------------------------- */

static void test_describe(void **state)
{
	static const struct {
		uint32_t msg, size;
	} chans[] = {
		{ PERF_LEVEL_SET, 4 }, { PERF_LEVEL_GET, 4 },
		{ PERF_LIMITS_SET, 8 }, { PERF_LIMITS_GET, 8 },
	};
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_fc_layout l;
	uint64_t offs[4];
	uint8_t rx[44];
	void *base;
	size_t n;

	assert_int_equal(scmi_agent_region(a, &base, &l), 0);
	for (size_t i = 0; i < 4; i++) {
		uint64_t off;

		bool set = chans[i].msg == PERF_LEVEL_SET ||
			   chans[i].msg == PERF_LIMITS_SET;

		assert_int_equal(describe(a, DOM_FC, chans[i].msg, rx), 0);
		assert_int_equal(scmi_get_le32(rx + 4), 1000); /* rate limit, us */
		assert_int_equal(scmi_get_le32(rx + 12), 0);  /* address high */
		assert_int_equal(scmi_get_le32(rx + 16), chans[i].size);
		off = scmi_get_le64(rx + 8);
		if (set) {
			/* a doorbell: 32 bits, set mask 1, preserve 0 */
			uint64_t db = scmi_get_le64(rx + 20);

			assert_int_equal(scmi_get_le32(rx), 1u | 2u << 1);
			assert_int_equal(scmi_fc_check(&l, db, 4, 4), 0);
			assert_true(db + 4 <= off || off + chans[i].size <= db);
			assert_int_equal(scmi_get_le64(rx + 28), 1);
			assert_int_equal(scmi_get_le64(rx + 36), 0);
		} else {
			/* none: attributes and its fields 0 */
			assert_int_equal(scmi_get_le32(rx), 0);
			for (size_t j = 20; j < 44; j += 4)
				assert_int_equal(scmi_get_le32(rx + j), 0);
		}
		offs[i] = off;
		/* in the region, after both SMT areas, aligned */
		assert_true(off % 4 == 0);
		assert_true(off + chans[i].size <= l.region_size);
		assert_true(off >= l.a2p_off + l.a2p_size);
		assert_true(off >= l.p2a_off + l.p2a_size);
		assert_int_equal(scmi_fc_check(&l, off, chans[i].size,
					       chans[i].size), 0);
		for (size_t j = 0; j < i; j++)
			assert_true(offs[j] + 8 <= off || off + 8 <= offs[j] ||
				    chans[j].size + offs[j] <= off ||
				    off + chans[i].size <= offs[j]);
	}

	/* a domain without: NOT_SUPPORTED for every message */
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(describe(a, DOM_MSG, chans[i].msg, rx),
				 -EOPNOTSUPP);
	/* no rights: the GET channels only */
	assert_int_equal(describe(a, DOM_RO, PERF_LEVEL_SET, rx), -EOPNOTSUPP);
	assert_int_equal(describe(a, DOM_RO, PERF_LIMITS_SET, rx), -EOPNOTSUPP);
	assert_int_equal(describe(a, DOM_RO, PERF_LEVEL_GET, rx), 0);
	assert_int_equal(describe(a, DOM_RO, PERF_LIMITS_GET, rx), 0);
	/* a message without one; one the protocol does not define */
	assert_int_equal(describe(a, DOM_FC, PERF_DOMAIN_ATTRIBUTES, rx),
			 -EOPNOTSUPP);
	assert_int_equal(describe(a, DOM_FC, PERF_DOMAIN_NAME_GET + 1, rx),
			 -ENOENT);
	assert_int_equal(describe(a, DOM_FC, 0xFFFFFFFFu, rx), -ENOENT);
	/* a domain that does not exist */
	assert_int_equal(describe(a, 3, PERF_LEVEL_SET, rx), -ENOENT);

	/* DOMAIN_ATTRIBUTES bit 27 */
	for (uint32_t d = 0; d < 3; d++) {
		uint8_t attr[32];

		assert_int_equal(raw(a, PERF_DOMAIN_ATTRIBUTES, &d, 1, attr,
				     sizeof(attr), &n), 0);
		assert_int_equal(!!(scmi_get_le32(attr) & (1u << 27)),
				 d != DOM_MSG);
	}
	/* PROTOCOL_MESSAGE_ATTRIBUTES bit 0: the four messages only */
	for (uint32_t id = 0; id <= PERF_DOMAIN_NAME_GET; id++) {
		uint8_t attr[4];

		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, &id,
				     1, attr, sizeof(attr), &n), 0);
		assert_int_equal(scmi_get_le32(attr),
				 id >= PERF_LIMITS_SET && id <= PERF_LEVEL_GET);
	}
}

/* ---- level ------------------------------------------------------------ */

static void test_level(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	uint32_t dom = DOM_FC, level = 0;
	struct fx_recorder rb;
	uint64_t before;

	need_own_mapping();
	fx_rec_init(&rb, SCMI_PROTOCOL_PERF);
	assert_int_equal(fx_rec_register(&rb, b,
					 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					 &dom), 0);

	before = commands(a);
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1400), 0);
	assert_int_equal(fx_rec_wait(&rb, 1, WAIT_MS), 1);
	/* no command was sent for it */
	assert_int_equal(commands(a), before);
	assert_int_equal(fx_rec_last(&rb).r.perf_level.agent_id,
			 scmi_agent_id(a));
	assert_int_equal(fx_rec_last(&rb).r.perf_level.performance_level, 1400);
	ctl_is(fx, "get", DOM_FC, "ok level 1400 max 1800 min 600");
	assert_true(fc_late(fx, DOM_FC, 1, 0, 1) <= 1);
	assert_int_equal(level_by_message(b, DOM_FC), 1400);
	/* read through the channel, by both agents */
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 1400);
	assert_int_equal(scmi_perf_level_get(b, DOM_FC, &level), 0);
	assert_int_equal(level, 1400);
	assert_int_equal(commands(a), before);

	/* the platform changes it; the same level asked again is a request */
	fx_ctl(fx, "perf level %u 600", DOM_FC);
	assert_int_equal(fx_rec_wait(&rb, 2, WAIT_MS), 2);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 600);
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1400), 0);
	assert_int_equal(fx_rec_wait(&rb, 3, WAIT_MS), 3);
	assert_int_equal(fx_rec_last(&rb).r.perf_level.performance_level, 1400);
	ctl_is(fx, "get", DOM_FC, "ok level 1400 max 1800 min 600");

	/* what the agent can see is refused before a write */
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1200), -ERANGE);
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 0), -ERANGE);
	assert_int_equal(fx_rec_count_after(&rb, QUIET_MS), 3);
	/* without the ring, both would be late */
	assert_true(fc_late(fx, DOM_FC, 2, 0, 2) <= 1);
	assert_int_equal(commands(a), before);

	/* no rights: LEVEL_SET is the command, refused by the platform */
	assert_int_equal(scmi_perf_level_set(a, DOM_RO, 200), -EACCES);
	assert_int_equal(commands(a), before + 1);
	assert_int_equal(scmi_perf_level_get(a, DOM_RO, &level), 0);
	assert_int_equal(level, 400);
	assert_int_equal(commands(a), before + 1);

	assert_int_equal(fx_rec_unregister(&rb, b,
					   SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					   &dom), 0);
	fx_rec_fini(&rb);
}

/* ---- limits ----------------------------------------------------------- */

static void test_limits(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t dom = DOM_FC, max = 0, min = 0, level = 0;
	unsigned int applied, ignored;
	struct fx_recorder rl, rv;
	uint64_t before;

	need_own_mapping();
	fx_rec_init(&rl, SCMI_PROTOCOL_PERF);
	fx_rec_init(&rv, SCMI_PROTOCOL_PERF);
	assert_int_equal(fx_rec_register(&rl, a,
					 SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED,
					 &dom), 0);
	assert_int_equal(fx_rec_register(&rv, a,
					 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					 &dom), 0);

	before = commands(a);
	/* the level (1000) is moved into them: to 600 */
	assert_int_equal(scmi_perf_limits_set(a, DOM_FC, 600, 600), 0);
	assert_int_equal(fx_rec_wait(&rl, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_wait(&rv, 1, WAIT_MS), 1);
	assert_int_equal(commands(a), before);
	assert_int_equal(fx_rec_last(&rl).r.perf_limits.agent_id,
			 scmi_agent_id(a));
	assert_int_equal(fx_rec_last(&rl).r.perf_limits.range_max, 600);
	assert_int_equal(fx_rec_last(&rl).r.perf_limits.range_min, 600);
	assert_int_equal(fx_rec_last(&rv).r.perf_level.performance_level, 600);
	ctl_is(fx, "get", DOM_FC, "ok level 600 max 600 min 600");
	assert_int_equal(scmi_perf_limits_get(a, DOM_FC, &max, &min), 0);
	assert_int_equal(max, 600);
	assert_int_equal(min, 600);
	/* a level outside the limits the channel shows: refused locally */
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1400), -ERANGE);

	/*
	 * Two words: the platform may see max written before min, (1800,
	 * 600), a pair of its own (one more LIMITS_CHANGED), then the whole.
	 */
	assert_int_equal(scmi_perf_limits_set(a, DOM_FC, 1800, 1000), 0);
	assert_int_equal(fx_rec_wait(&rv, 2, WAIT_MS), 2);
	assert_true(fx_rec_count(&rl) >= 2);
	assert_int_equal(fx_rec_last(&rl).r.perf_limits.range_max, 1800);
	assert_int_equal(fx_rec_last(&rl).r.perf_limits.range_min, 1000);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 1000);
	assert_int_equal(scmi_perf_limits_get(a, DOM_FC, &max, &min), 0);
	assert_int_equal(max, 1800);
	assert_int_equal(min, 1000);
	/* outside the levels, or upside down: refused before a write */
	assert_int_equal(scmi_perf_limits_set(a, DOM_FC, 1900, 600), -ERANGE);
	assert_int_equal(scmi_perf_limits_set(a, DOM_FC, 1000, 1400), -ERANGE);
	assert_int_equal(commands(a), before);
	fc_counts(fx, DOM_FC, &applied, &ignored, NULL, NULL);
	assert_true(applied >= 2);
	assert_int_equal(ignored, 0);

	/* the platform's change reaches the GET channel at once */
	fx_ctl(fx, "perf limits %u 1400 600", DOM_FC);
	assert_int_equal(scmi_perf_limits_get(a, DOM_FC, &max, &min), 0);
	assert_int_equal(max, 1400);
	assert_int_equal(min, 600);

	assert_int_equal(fx_rec_unregister(&rl, a,
					   SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED,
					   &dom), 0);
	assert_int_equal(fx_rec_unregister(&rv, a,
					   SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					   &dom), 0);
	fx_rec_fini(&rl);
	fx_rec_fini(&rv);
}

/* ---- messages --------------------------------------------------------- */

static void test_messages(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t level = 0, max = 0, min = 0;
	uint64_t before = commands(a);

	need_own_mapping();
	/* a domain without fast channels: one command each */
	assert_int_equal(scmi_perf_level_set(a, DOM_MSG, 1400), 0);
	assert_int_equal(commands(a), before + 1);
	ctl_is(fx, "get", DOM_MSG, "ok level 1400 max 1800 min 600");
	assert_int_equal(scmi_perf_level_get(a, DOM_MSG, &level), 0);
	assert_int_equal(level, 1400);
	assert_int_equal(scmi_perf_limits_set(a, DOM_MSG, 1800, 1000), 0);
	assert_int_equal(scmi_perf_limits_get(a, DOM_MSG, &max, &min), 0);
	assert_int_equal(commands(a), before + 4);
	ctl_is(fx, "fc", DOM_MSG, "ok applied 0 ignored 0 rung 0 late 0");

	/* forced to messages, the domain with them: commands, same answers */
	assert_int_equal(scmi_perf_fc_force_messages(a, true), 0);
	before = commands(a);
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1800), 0);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 1800);
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1200), -ERANGE);
	assert_int_equal(commands(a), before + 3);
	ctl_is(fx, "fc", DOM_FC, "ok applied 0 ignored 0 rung 0 late 0");
	assert_int_equal(scmi_perf_fc_force_messages(a, false), 0);
	before = commands(a);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 1800);
	assert_int_equal(commands(a), before);

	assert_int_equal(scmi_perf_fc_force_messages(NULL, true), -EINVAL);
}

/* ---- hostile writes --------------------------------------------------- */

static void test_hostile(void **state)
{
	static const uint32_t bad_levels[] = { 1200, 0, 0xFFFFFFFFu, 601 };
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	uint32_t dom = DOM_FC;
	_Atomic uint32_t *lv, *lim, *get, *limget, *ro;
	struct scmi_fc_map m1, m2, m3, m4, m5;
	uint32_t level, max, min;
	unsigned int ignored;
	struct fx_recorder rb;

	need_own_mapping();
	fx_rec_init(&rb, SCMI_PROTOCOL_PERF);
	assert_int_equal(fx_rec_register(&rb, b,
					 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					 &dom), 0);
	lv = channel(a, &m1, DOM_FC, PERF_LEVEL_SET);
	lim = channel(a, &m2, DOM_FC, PERF_LIMITS_SET);
	get = channel(a, &m3, DOM_FC, PERF_LEVEL_GET);
	limget = channel(a, &m5, DOM_FC, PERF_LIMITS_GET);
	ro = channel(a, &m4, DOM_RO, PERF_LEVEL_GET);

	/* levels the command would refuse: none applied, each counted */
	for (size_t i = 0; i < sizeof(bad_levels) / sizeof(bad_levels[0]); i++) {
		scmi_fc_write(lv, bad_levels[i]);
		assert_int_equal(wait_ignored(fx, DOM_FC, (unsigned int)i), i + 1);
	}
	/*
	 * Limits beyond the levels, with no level between, upside down; each
	 * word written alone is a pair the platform may see, bad as well.
	 */
	scmi_fc_write(lim, 5000);
	scmi_fc_write(lim + 1, 0);
	ignored = wait_ignored(fx, DOM_FC, 4);
	scmi_fc_write(lim, 1300);
	scmi_fc_write(lim + 1, 1100);
	ignored = wait_ignored(fx, DOM_FC, ignored);
	scmi_fc_write(lim + 1, 1800);
	wait_ignored(fx, DOM_FC, ignored);
	assert_int_equal(fx_rec_count_after(&rb, 20), 0);
	ctl_is(fx, "get", DOM_FC, "ok level 1000 max 1800 min 600");
	/* the agent's writes to what the platform writes change nothing */
	scmi_fc_write(get, 1800);
	scmi_fc_write(ro, 200);
	assert_int_equal(fx_rec_count_after(&rb, QUIET_MS), 0);
	ctl_is(fx, "get", DOM_FC, "ok level 1000 max 1800 min 600");
	ctl_is(fx, "get", DOM_RO, "ok level 400 max 400 min 200");
	/* and what the agent reads there is checked before it is believed */
	scmi_fc_write(get, 1234);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), -EPROTO);
	scmi_fc_write(limget, 600);
	scmi_fc_write(limget + 1, 1800);
	assert_int_equal(scmi_perf_limits_get(a, DOM_FC, &max, &min), -EPROTO);
	/* the platform is still well: good writes after are applied */
	scmi_fc_write(lim + 1, 600);
	scmi_fc_write(lim, 1800);
	scmi_fc_write(lv, 1800);
	assert_int_equal(fx_rec_wait(&rb, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_last(&rb).r.perf_level.performance_level, 1800);
	ctl_is(fx, "get", DOM_FC, "ok level 1800 max 1800 min 600");
	assert_int_equal(level_by_message(a, DOM_FC), 1800);
	assert_int_equal(scmi_perf_level_get(a, DOM_FC, &level), 0);
	assert_int_equal(level, 1800);
	assert_int_equal(scmi_perf_limits_get(a, DOM_FC, &max, &min), 0);
	assert_int_equal(max, 1800);
	assert_int_equal(min, 600);

	scmi_fc_unmap(&m1);
	scmi_fc_unmap(&m2);
	scmi_fc_unmap(&m3);
	scmi_fc_unmap(&m4);
	scmi_fc_unmap(&m5);
	assert_int_equal(fx_rec_unregister(&rb, b,
					   SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					   &dom), 0);
	fx_rec_fini(&rb);
}

/* ---- an idle agent ---------------------------------------------------- */

#define SETTLE_IDLE_MS 2500   /* the polling backs off to its longest period */
#define IDLE_WATCH_MS 2000
/*
 * Wake-ups of the simulator meanwhile: backed off to 32 ms, about 65; a
 * 1 ms poll, about 2000. Counted as context switches, which a slower
 * build (sanitizers) does not multiply as it does CPU time.
 */
#define IDLE_MAX_WAKEUPS 300

/* The simulator's context switches so far (/proc/PID/status). */
static uint64_t sim_switches(struct fx *fx)
{
	char path[64], line[128];
	uint64_t n = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)fx->sim.pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %" SCNu64, &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %" SCNu64, &v) == 1)
			n += v;
	fclose(f);
	return n;
}

/*
 * An agent that found the channels and writes nothing wakes the platform
 * seldom (the polling backed off), and its next write, rung for, is
 * applied at once.
 */
static void test_idle(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t dom = DOM_FC;
	struct fx_recorder rv;
	uint64_t sw0, sw1, t0, t1;

	need_own_mapping();
	fx_rec_init(&rv, SCMI_PROTOCOL_PERF);
	assert_int_equal(fx_rec_register(&rv, a,
					 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					 &dom), 0);
	sim_sleep_ms(SETTLE_IDLE_MS);
	sw0 = sim_switches(fx);
	sim_sleep_ms(IDLE_WATCH_MS);
	sw1 = sim_switches(fx);
	printf("an idle agent with fast channels, %d ms: the simulator woke %" PRIu64 " times\n",
	       IDLE_WATCH_MS, sw1 - sw0);
	assert_true(sw1 - sw0 < IDLE_MAX_WAKEUPS);

	/* the doorbell wakes it: the write is not left to the timer */
	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1800), 0);
	assert_int_equal(fx_rec_wait(&rv, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	printf("a level set after that: its event %" PRIu64 " us later\n",
	       (t1 - t0) / 1000);
	assert_int_equal(fx_rec_last(&rv).r.perf_level.performance_level, 1800);
	if (fc_late(fx, DOM_FC, 1, 0, 1)) {
		/* found by the timer between write and ring: once more */
		assert_int_equal(scmi_perf_level_set(a, DOM_FC, 1400), 0);
		assert_int_equal(fx_rec_wait(&rv, 2, WAIT_MS), 2);
		assert_int_equal(fc_late(fx, DOM_FC, 2, 0, 2), 1);
	}
	assert_int_equal(fx_rec_unregister(&rv, a,
					   SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
					   &dom), 0);
	fx_rec_fini(&rv);
}

/* ---- the agent's check ------------------------------------------------ */

/*
 * What the platform describes is checked against the region as the hello
 * laid it out: the simulator's real channel passes; the same moved
 * outside the region, onto an SMT area, misaligned, or of another size
 * does not.
 */
static void test_agent_check(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_fc_layout l;
	uint8_t rx[44];
	uint64_t off;
	void *base;

	need_own_mapping();
	assert_int_equal(scmi_agent_region(a, &base, &l), 0);
	assert_int_equal(describe(a, DOM_FC, PERF_LIMITS_GET, rx), 0);
	off = scmi_get_le64(rx + 8);
	assert_int_equal(scmi_fc_check(&l, off, 8, 8), 0);
	/* outside the region, or running past its end */
	assert_int_equal(scmi_fc_check(&l, l.region_size, 8, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, l.region_size - 4, 8, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, off + (1ull << 32), 8, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, UINT64_MAX - 3, 8, 8), -EPROTO);
	/* on the SMT areas */
	assert_int_equal(scmi_fc_check(&l, l.a2p_off, 8, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, l.p2a_off + l.p2a_size - 4, 8, 8),
			 -EPROTO);
	/* misaligned; not the size the message needs */
	assert_int_equal(scmi_fc_check(&l, off + 2, 8, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, off, 4, 8), -EPROTO);
	assert_int_equal(scmi_fc_check(&l, off, 16, 8), -EPROTO);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		FC_TEST(test_describe),
		FC_TEST(test_level),
		FC_TEST(test_limits),
		FC_TEST(test_messages),
		FC_TEST(test_hostile),
		FC_TEST(test_idle),
		FC_TEST(test_agent_check),
	};

	return fx_run_tests(tests);
}
