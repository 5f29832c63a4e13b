/* SPDX-License-Identifier: MIT */
/*
 * Bad input to every public function of the notification core: each is
 * refused with the documented errno, and leaves no trace: no command sent
 * to the platform, no counter moved that should not, no handler or chain
 * entry behind (a later valid use behaves as if the bad one never happened).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/notify.h>

#include "evqueue.h"  /* evq_rec_size(): what one queued event takes */
#include "fake-proto.h"

#define P 0x13
#define P2 0x80
#define NSRC 4
#define EA FAKE_EVT_A
#define EB FAKE_EVT_B
#define ALL SCMI_ALL_SRC_IDS

struct fx {
	struct scmi_notify *ni;
	struct fake_proto *fp;   /* protocol P, NSRC sources */
	struct fake_sink sink;
	struct fake_logcap log;
};

static int fx_setup(void **state, bool reg)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct scmi_notify_config cfg = {
		.log_fn = fake_logcap_fn,
		.manual_dispatch = true,
	};

	if (!fx)
		return -1;
	fake_sink_init(&fx->sink);
	fake_logcap_init(&fx->log);
	cfg.log_userdata = &fx->log;
	if (scmi_notify_create(&fx->ni, &cfg))
		return -1;
	fx->fp = fake_proto_new(fx->ni, P, NSRC);
	if (reg && fake_proto_register(fx->fp))
		return -1;
	*state = fx;
	return 0;
}

/* manual dispatch, protocol P registered */
static int setup(void **state)
{
	return fx_setup(state, true);
}

/* manual dispatch, protocol P created but not registered */
static int setup_unregistered(void **state)
{
	return fx_setup(state, false);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	scmi_notify_destroy(fx->ni);
	fake_proto_free(fx->fp);
	fake_logcap_fini(&fx->log);
	fake_sink_fini(&fx->sink);
	free(fx);
	return 0;
}

static int nreg(struct scmi_notify *ni, uint8_t proto, uint8_t evt,
		uint32_t src, struct fake_nb *f)
{
	return scmi_event_notifier_register(ni, proto, evt,
					    src == ALL ? NULL : &src, &f->nb);
}

static int nunreg(struct scmi_notify *ni, uint8_t proto, uint8_t evt,
		  uint32_t src, struct fake_nb *f)
{
	return scmi_event_notifier_unregister(ni, proto, evt,
					      src == ALL ? NULL : &src, &f->nb);
}

static struct scmi_notify_stats stats_of(struct scmi_notify *ni, uint8_t proto)
{
	struct scmi_notify_stats st;

	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(scmi_notify_get_stats(ni, proto, &st), 0);
	return st;
}

static void assert_stats_zero(struct scmi_notify *ni, uint8_t proto)
{
	struct scmi_notify_stats st = stats_of(ni, proto), zero;

	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&st, &zero, sizeof(st));
}

/*
 * The valid use that follows a refused one: @f registers on (P, EA, src),
 * which turns source src on, gets one event, and unregisters, which turns
 * it off. Proves @f was left in no chain and src's count at zero.
 */
static void assert_clean_cycle(struct fx *fx, struct fake_nb *f, uint32_t src,
			       uint32_t value)
{
	assert_int_equal(nreg(fx->ni, P, EA, src, f), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, src));
	assert_int_equal(fake_emit(fx->fp, EA, src, value), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { f->tag, EA, src, value });
	assert_int_equal(nunreg(fx->ni, P, EA, src, f), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, src));
}

/* ---------------------------------------------------------------- */
/* NULL arguments                                                   */

static void test_null_instance_is_einval(void **state)
{
	struct fake_proto *fp = fake_proto_new(NULL, P, NSRC);
	struct scmi_notify_stats st;
	struct fake_sink sink;
	struct fake_nb a;
	uint32_t src = 0;
	uint8_t payld[12] = { 0 };

	(void)state;
	fake_sink_init(&sink);
	fake_nb_init(&a, &sink, 1, 0);
	assert_int_equal(scmi_register_protocol_events(NULL, P, fp, &fp->ee),
			 -EINVAL);
	assert_int_equal(scmi_notify(NULL, P, EA, payld, sizeof(payld), 0),
			 -EINVAL);
	assert_int_equal(scmi_event_notifier_register(NULL, P, EA, &src, &a.nb),
			 -EINVAL);
	assert_int_equal(scmi_event_notifier_register(NULL, P, EA, NULL, &a.nb),
			 -EINVAL);
	assert_int_equal(
		scmi_event_notifier_unregister(NULL, P, EA, &src, &a.nb),
		-EINVAL);
	assert_int_equal(scmi_notify_get_stats(NULL, P, &st), -EINVAL);
	assert_int_equal(scmi_notify_get_fd(NULL), -EINVAL);
	assert_int_equal(scmi_notify_run_pending(NULL), -EINVAL);
	/* nothing to act on */
	assert_int_equal(scmi_deregister_protocol_events(NULL, P), -EINVAL);
	assert_int_equal(scmi_notify_destroy(NULL), 0);

	assert_int_equal(fake_ncalls(fp), 0);
	assert_int_equal(fp->get_num_sources_calls, 0);
	assert_int_equal(fp->fill_calls, 0);
	assert_null(a.nb.next);
	fake_proto_free(fp);
	fake_sink_fini(&sink);
}

static void test_null_notifier_is_einval(void **state)
{
	struct fx *fx = *state;
	uint32_t src = 0;

	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, &src, NULL),
			 -EINVAL);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA, NULL, NULL),
			 -EINVAL);
	assert_int_equal(scmi_event_notifier_register(fx->ni, P2, EA, NULL, NULL),
			 -EINVAL);
	assert_int_equal(
		scmi_event_notifier_unregister(fx->ni, P, EA, &src, NULL),
		-EINVAL);
	assert_int_equal(
		scmi_event_notifier_unregister(fx->ni, P2, EA, NULL, NULL),
		-EINVAL);
	fake_expect_no_calls(fx->fp);
	assert_stats_zero(fx->ni, P);
}

static void test_null_callback_is_einval(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	a.nb.cb = NULL;
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P2, EA, 0, &a), -EINVAL); /* pending */
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 0, &a), -ENOENT);

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_clean_cycle(fx, &a, 0, 1);
}

static void test_null_output_is_einval(void **state)
{
	struct fx *fx = *state;
	struct scmi_notify_config cfg = { .manual_dispatch = true };

	assert_int_equal(scmi_notify_create(NULL, NULL), -EINVAL);
	assert_int_equal(scmi_notify_create(NULL, &cfg), -EINVAL);
	assert_int_equal(scmi_notify_get_stats(fx->ni, P, NULL), -EINVAL);
	/* no protocol descriptor */
	assert_int_equal(scmi_register_protocol_events(fx->ni, P2, fx->fp,
						       NULL), -EINVAL);
	/* P2 was not registered by that */
	assert_int_equal(scmi_notify(fx->ni, P2, EA, NULL, 0, 0), -EINVAL);
	fake_expect_no_calls(fx->fp);
}

/* ---------------------------------------------------------------- */
/* protocol descriptors                                             */

static void test_protocol_registered_twice_is_eexist(void **state)
{
	struct fx *fx = *state;
	struct fake_proto *other = fake_proto_new(fx->ni, P, 2);
	struct fake_nb a;

	assert_int_equal(fake_proto_register(fx->fp), -EEXIST);
	assert_int_equal(fake_proto_register(other), -EEXIST);
	assert_int_equal(other->get_num_sources_calls, 0);

	/* the first registration is untouched: its 4 sources, its ops */
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_clean_cycle(fx, &a, NSRC - 1, 1);
	assert_int_equal(fake_ncalls(other), 0);
	assert_int_equal(other->fill_calls, 0);

	scmi_notify_destroy(fx->ni);
	fx->ni = NULL;
	fake_proto_free(other);
}

/*
 * A refused registration leaves the slot free: events are refused, and
 * the same protocol id then registers.
 */
static void assert_slot_free(struct fx *fx, int err)
{
	struct fake_nb a;

	assert_int_equal(fake_proto_register(fx->fp), err);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 1), -EINVAL);
	fake_expect_no_calls(fx->fp);

	fake_proto_free(fx->fp);
	fx->fp = fake_proto_new(fx->ni, P, NSRC);
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_clean_cycle(fx, &a, 0, 2);
}

static void test_protocol_without_ops_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.ops = NULL;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_without_set_notify_enabled_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ops.set_notify_enabled = NULL;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_without_fill_custom_report_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ops.fill_custom_report = NULL;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_without_events_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.num_events = 0;
	assert_int_equal(fake_proto_register(fx->fp), -EINVAL);
	fx->fp->ee.num_events = FAKE_NUM_EVTS;
	fx->fp->ee.evts = NULL;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_duplicate_event_ids_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->evts[1].id = fx->fp->evts[0].id;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_zero_sources_without_get_num_sources_is_einval(
	void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.num_sources = 0;
	fx->fp->ops.get_num_sources = NULL;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_get_num_sources_error_is_returned(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.num_sources = 0;
	fx->fp->get_num_sources_ret = -EIO;
	assert_int_equal(fake_proto_register(fx->fp), -EIO);
	assert_int_equal(fx->fp->get_num_sources_calls, 1);
	assert_slot_free(fx, -EIO);
}

static void test_protocol_get_num_sources_zero_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.num_sources = 0;
	fx->fp->get_num_sources_ret = 0;
	assert_slot_free(fx, -EINVAL);
}

static void test_protocol_get_num_sources_gives_the_sources(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fx->fp->ee.num_sources = 0;
	fx->fp->get_num_sources_ret = 2;
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(fx->fp->get_num_sources_calls, 1);
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 2, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0), FAKE_ON(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0), FAKE_OFF(EA, 1));
	assert_int_equal(fx->fp->get_num_sources_calls, 1);
}

static void test_protocol_too_many_sources_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.num_sources = SCMI_MAX_SRC_ID + 2;
	assert_int_equal(fake_proto_register(fx->fp), -EINVAL);
	fx->fp->ee.num_sources = 0;
	fx->fp->get_num_sources_ret = SCMI_MAX_SRC_ID + 2;
	assert_slot_free(fx, -EINVAL);
}

/*
 * notify.h: scmi_register_protocol_events() fails with -EINVAL for "a
 * payload larger than the queue".
 */
static void test_protocol_payload_larger_than_queue_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->ee.queue_sz = 4096;
	fx->fp->evts[0].max_payld_sz = 5000;
	assert_slot_free(fx, -EINVAL);
}

/* The other side of the boundary: a queue that holds one largest event. */
static void test_protocol_queue_holding_largest_event_registers(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fx->fp->ee.queue_sz = evq_rec_size(sizeof(struct fake_payld_a));
	assert_int_equal(fake_proto_register(fx->fp), 0);
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_clean_cycle(fx, &a, 0, 1);
}

static void test_protocol_payload_larger_than_any_queue_is_einval(void **state)
{
	struct fx *fx = *state;

	fx->fp->evts[1].max_payld_sz = (size_t)UINT32_MAX / 2 + 1;
	assert_slot_free(fx, -EINVAL);
}

/* ---------------------------------------------------------------- */
/* notifier registration                                            */

static void test_register_unknown_event_is_einval_no_trace(void **state)
{
	struct fx *fx = *state;
	struct scmi_notify_stats before = stats_of(fx->ni, P);
	struct scmi_notify_stats after;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, FAKE_EVT_MISSING, 0, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, FAKE_EVT_MISSING, ALL, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, 0xFF, 0, &a), -EINVAL);
	fake_expect_no_calls(fx->fp);
	after = stats_of(fx->ni, P);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(nunreg(fx->ni, P, FAKE_EVT_MISSING, 0, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, FAKE_EVT_MISSING, ALL, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, 0xFF, 0, &a), -ENOENT);
	assert_clean_cycle(fx, &a, 0, 1);
}

static void test_register_source_out_of_range_is_einval_no_trace(void **state)
{
	struct fx *fx = *state;
	struct scmi_notify_stats before = stats_of(fx->ni, P);
	struct scmi_notify_stats after;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, NSRC, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EB, NSRC + 1, &a), -EINVAL);
	assert_int_equal(nreg(fx->ni, P, EA, SCMI_MAX_SRC_ID, &a), -EINVAL);
	fake_expect_no_calls(fx->fp);
	after = stats_of(fx->ni, P);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(nunreg(fx->ni, P, EA, NSRC, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EB, NSRC + 1, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, SCMI_MAX_SRC_ID, &a), -ENOENT);
	assert_clean_cycle(fx, &a, NSRC - 1, 1);
}

static void test_src_id_above_all_is_einval(void **state)
{
	struct fx *fx = *state;
	const uint32_t bad[] = { SCMI_ALL_SRC_IDS + 1, 0x12345, 0xFFFFFFFFu };
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 0, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* registered protocol, and pending one */
		assert_int_equal(scmi_event_notifier_register(fx->ni, P, EA,
							      &bad[i], &a.nb),
				 -EINVAL);
		assert_int_equal(scmi_event_notifier_register(fx->ni, P2, EA,
							      &bad[i], &a.nb),
				 -EINVAL);
		assert_int_equal(scmi_event_notifier_unregister(
					 fx->ni, P, EA, &bad[i], &a.nb),
				 -EINVAL);
		/* not even for a registered notifier (not truncated to 0) */
		assert_int_equal(scmi_event_notifier_unregister(
					 fx->ni, P, EA, &bad[i], &b.nb),
				 -EINVAL);
	}
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
	assert_clean_cycle(fx, &a, 0, 1);
}

static void test_same_notifier_twice_on_tuple_is_eexist(void **state)
{
	struct fx *fx = *state;
	const uint32_t all = SCMI_ALL_SRC_IDS;
	struct fake_nb a, c;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), -EEXIST);
	/* NULL and SCMI_ALL_SRC_IDS name the same tuple */
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &c), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EB, 0), FAKE_ON(EB, 1),
			  FAKE_ON(EB, 2), FAKE_ON(EB, 3));
	assert_int_equal(scmi_event_notifier_register(fx->ni, P, EB, &all,
						      &c.nb), -EEXIST);
	fake_expect_no_calls(fx->fp);

	/* still on its chain once: one delivery per event */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 2, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 3, EB, 2, 2 });
	/* one unregister takes it off; a second finds nothing */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), -ENOENT);
	assert_int_equal(scmi_event_notifier_unregister(fx->ni, P, EB, &all,
							&c.nb), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EB, 0), FAKE_OFF(EB, 1),
			  FAKE_OFF(EB, 2), FAKE_OFF(EB, 3));

	/* the same on a pending tuple */
	assert_int_equal(nreg(fx->ni, P2, EA, 0, &a), 0);
	assert_int_equal(nreg(fx->ni, P2, EA, 0, &a), -EEXIST);
	assert_int_equal(nunreg(fx->ni, P2, EA, 0, &a), 0);
	assert_int_equal(nunreg(fx->ni, P2, EA, 0, &a), -ENOENT);
	fake_expect_no_calls(fx->fp);
}

static void test_notifier_on_another_tuple_is_ebusy(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(nreg(fx->ni, P, EA, 2, &a), -EBUSY);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), -EBUSY);
	assert_int_equal(nreg(fx->ni, P, EB, 1, &a), -EBUSY);
	assert_int_equal(nreg(fx->ni, P2, EA, 1, &a), -EBUSY);
	/* nothing was turned on for the other tuples */
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &a), -ENOENT);

	/* it is still on its own tuple, once */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 });

	/* free again once unregistered */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_clean_cycle(fx, &a, 2, 3);

	/* a pending notifier is busy for bound tuples too */
	assert_int_equal(nreg(fx->ni, P2, EA, 0, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), -EBUSY);
	fake_expect_no_calls(fx->fp);
	assert_int_equal(nunreg(fx->ni, P2, EA, 0, &a), 0);
}

static void test_unregister_unknown_tuple_is_enoent(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));

	/* no handler at all: bound protocol, pending one, all sources */
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, ALL, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EB, 1, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &a), -ENOENT);
	/* b itself, on tuples it is not on */
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &b), -ENOENT);
	fake_expect_no_calls(fx->fp);

	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 2, EA, 1, 1 });
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
}

static void test_unregister_unknown_notifier_is_enoent(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b, c, never;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_nb_init(&c, &fx->sink, 3, 0);
	fake_nb_init(&never, &fx->sink, 4, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 2, &b), 0);
	assert_int_equal(nreg(fx->ni, P2, EA, 1, &c), 0); /* pending */
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1), FAKE_ON(EA, 2));

	/* the tuple exists (bound or pending), the notifier is not on it */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &never), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &a), -ENOENT);
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &never), -ENOENT);
	fake_expect_no_calls(fx->fp);

	/* nothing changed */
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 1 }, { 2, EA, 2, 2 });
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 2, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 2));
	assert_int_equal(nunreg(fx->ni, P2, EA, 1, &c), 0);
}

/* ---------------------------------------------------------------- */
/* scmi_notify()                                                    */

/* @proto's stats: everything zero but what is given. */
static void assert_stats(struct scmi_notify *ni, uint8_t proto,
			 uint64_t queued, uint64_t invalid, uint64_t full,
			 uint64_t report, uint64_t delivered)
{
	struct scmi_notify_stats st = stats_of(ni, proto);

	assert_int_equal(st.received, queued + invalid + full);
	assert_int_equal(st.queued, queued);
	assert_int_equal(st.dropped_invalid, invalid);
	assert_int_equal(st.dropped_full, full);
	assert_int_equal(st.dropped_report, report);
	assert_int_equal(st.delivered, delivered);
	assert_int_equal(st.discarded, 0);
}

/* After refusals, a valid event still flows to a notifier. */
static void assert_events_flow(struct fx *fx, uint32_t value)
{
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 9, 0);
	assert_int_equal(nreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 0));
	assert_int_equal(fake_emit(fx->fp, EA, 0, value), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 9, EA, 0, value });
	assert_int_equal(nunreg(fx->ni, P, EA, 0, &a), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 0));
}

static void test_notify_unknown_protocol_is_einval(void **state)
{
	struct fx *fx = *state;
	uint8_t payld[12] = { 0 };

	assert_int_equal(scmi_notify(fx->ni, P2, EA, payld, sizeof(payld), 1),
			 -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P2, EA, NULL, 0, 1), -EINVAL);
	/* counted under the protocol it named, not under others */
	assert_stats(fx->ni, P2, 0, 2, 0, 0, 0);
	assert_stats(fx->ni, P, 0, 0, 0, 0, 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	assert_int_equal(fx->fp->fill_calls, 0);
	assert_events_flow(fx, 1);
	assert_stats(fx->ni, P, 1, 0, 0, 0, 1);
}

static void test_notify_unknown_event_is_einval(void **state)
{
	struct fx *fx = *state;
	uint8_t payld[12] = { 0 };

	assert_int_equal(scmi_notify(fx->ni, P, FAKE_EVT_MISSING, payld,
				     sizeof(payld), 1), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, 0xFF, NULL, 0, 1), -EINVAL);
	assert_stats(fx->ni, P, 0, 2, 0, 0, 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	assert_int_equal(fx->fp->fill_calls, 0);
	assert_events_flow(fx, 1);
	assert_stats(fx->ni, P, 1, 2, 0, 0, 1);
}

static void test_notify_payload_too_large_is_einval(void **state)
{
	struct fx *fx = *state;
	uint8_t payld[64] = { 0 };

	/* EA takes 12 bytes, EB 8 */
	assert_int_equal(scmi_notify(fx->ni, P, EA, payld, 13, 1), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EB, payld, 9, 1), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EB, payld, 12, 1), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EA, payld, sizeof(payld), 1),
			 -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EA, payld, SIZE_MAX, 1),
			 -EINVAL);
	assert_stats(fx->ni, P, 0, 5, 0, 0, 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);
	assert_int_equal(fx->fp->fill_calls, 0);
	/* the largest allowed is accepted */
	assert_events_flow(fx, 1);
	assert_stats(fx->ni, P, 1, 5, 0, 0, 1);
}

static void test_notify_null_payload_with_size_is_einval(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	assert_int_equal(scmi_notify(fx->ni, P, EA, NULL, 1, 1), -EINVAL);
	assert_int_equal(scmi_notify(fx->ni, P, EA, NULL, 12, 1), -EINVAL);
	assert_stats(fx->ni, P, 0, 2, 0, 0, 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 0);

	/* NULL with size 0 is a valid (empty) payload: the filler sees it */
	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(scmi_notify(fx->ni, P, EA, NULL, 0, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	assert_int_equal(fx->fp->fill_calls, 1);
	fake_expect_no_deliveries(&fx->sink);
	assert_stats(fx->ni, P, 1, 2, 0, 1, 0);
}

static void test_notify_full_queue_is_enospc_and_recovers(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;
	uint32_t v = 0, queued = 0;
	int ret;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fx->fp->ee.queue_sz = 256; /* 8 EA records of 32 bytes */
	assert_int_equal(fake_proto_register(fx->fp), 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EB, ALL, &b), 0);
	fake_reset_calls(fx->fp);

	while ((ret = fake_emit(fx->fp, EA, v % NSRC, v)) == 0)
		queued = ++v;
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(queued, 8);
	assert_int_equal(fake_emit(fx->fp, EB, 0, 100), -ENOSPC);
	assert_int_equal(fake_emit(fx->fp, EA, 0, 101), -ENOSPC);
	assert_stats(fx->ni, P, 8, 0, 3, 0, 0);
	assert_true(fake_logcap_count(&fx->log, SCMI_LOG_WARNING) >= 1);

	/* the queue drains intact, and later events still flow */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 8);
	assert_int_equal(fake_sink_count(&fx->sink), 8);
	for (uint32_t i = 0; i < 8; i++) {
		struct fake_delivery d = fake_sink_get(&fx->sink, i);

		assert_int_equal(d.r.value, i);
		assert_int_equal(d.r.src_id, i % NSRC);
		assert_int_equal(d.r.timestamp, FAKE_TS(i));
	}
	fake_sink_reset(&fx->sink);
	assert_int_equal(fake_emit(fx->fp, EB, 3, 200), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 2, 201), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 2, EB, 3, 200 }, { 1, EA, 2, 201 });
	assert_stats(fx->ni, P, 10, 0, 3, 0, 10);
}

/* ---------------------------------------------------------------- */
/* reports                                                          */

static void test_report_refused_is_dropped_and_next_delivered(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, s;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&s, &fx->sink, 2, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &s), 0);

	assert_int_equal(fake_emit(fx->fp, EA, 1, FAKE_VALUE_REFUSE), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	/* both taken from the queue; the refused one reaches no chain */
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	assert_int_equal(fx->fp->fill_calls, 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 2 }, { 2, EA, 1, 2 });
	assert_stats(fx->ni, P, 2, 0, 0, 1, 1);

	/* a filler that refuses everything */
	fake_refuse_reports(fx->fp, true);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 3), 0);
	assert_int_equal(fake_emit(fx->fp, EB, 1, 4), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_no_deliveries(&fx->sink);
	fake_refuse_reports(fx->fp, false);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 5), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 5 }, { 2, EA, 1, 5 });
	assert_stats(fx->ni, P, 5, 0, 0, 3, 2);
}

static void test_report_wrong_payload_size_is_dropped(void **state)
{
	struct fx *fx = *state;
	struct fake_payld_b short_a = { .src_id = 1, .value = 1 };
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	/* 8 bytes is within EA's maximum, but not what its filler decodes */
	assert_int_equal(scmi_notify(fx->ni, P, EA, &short_a, sizeof(short_a),
				     FAKE_TS(1)), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 2), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 2);
	fake_expect_deliveries(&fx->sink, { 1, EA, 1, 2 });
	assert_stats(fx->ni, P, 2, 0, 0, 1, 1);
}

static void test_report_source_out_of_range_is_dropped(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a;

	fake_nb_init(&a, &fx->sink, 1, 0);
	assert_int_equal(nreg(fx->ni, P, EA, ALL, &a), 0);
	/* the filler names a source the protocol does not have */
	assert_int_equal(fake_emit(fx->fp, EA, NSRC, 1), 0);
	assert_int_equal(fake_emit(fx->fp, EA, 0xFFFF, 2), 0);
	assert_int_equal(fake_emit(fx->fp, EA, NSRC - 1, 3), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 3);
	fake_expect_deliveries(&fx->sink, { 1, EA, NSRC - 1, 3 });
	assert_stats(fx->ni, P, 3, 0, 0, 2, 1);
}

/* ---------------------------------------------------------------- */
/* the platform refuses                                             */

static void test_platform_refuses_enable_no_trace(void **state)
{
	struct fx *fx = *state;
	struct fake_nb a, b;

	fake_nb_init(&a, &fx->sink, 1, 0);
	fake_nb_init(&b, &fx->sink, 2, 0);
	fake_fail_enable(fx->fp, 1, -EIO);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	/* another errno comes back as it is */
	fake_fail_enable(fx->fp, 1, -ETIMEDOUT);
	assert_int_equal(nreg(fx->ni, P, EA, 1, &a), -ETIMEDOUT);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));

	/* no handler, no notifier in a chain */
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &a), -ENOENT);
	assert_int_equal(fake_emit(fx->fp, EA, 1, 1), 0);
	assert_int_equal(scmi_notify_run_pending(fx->ni), 1);
	fake_expect_no_deliveries(&fx->sink);

	/* a refusal for one source does not touch the others */
	fake_fail_enable(fx->fp, 1, 0);
	fake_fail_enable(fx->fp, 2, -EIO);
	assert_int_equal(nreg(fx->ni, P, EA, 2, &b), -EIO);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 2));
	assert_int_equal(nreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_ON(EA, 1));
	assert_int_equal(nunreg(fx->ni, P, EA, 1, &b), 0);
	fake_expect_calls(fx->fp, FAKE_OFF(EA, 1));
	fake_fail_enable(fx->fp, 2, 0);

	/* no count: the next registration sends exactly one enable */
	assert_clean_cycle(fx, &a, 1, 2);
	assert_clean_cycle(fx, &b, 2, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name, s) cmocka_unit_test_setup_teardown(name, s, teardown)
		cmocka_unit_test(test_null_instance_is_einval),
		T(test_null_notifier_is_einval, setup),
		T(test_null_callback_is_einval, setup),
		T(test_null_output_is_einval, setup),
		T(test_protocol_registered_twice_is_eexist, setup),
		T(test_protocol_without_ops_is_einval, setup_unregistered),
		T(test_protocol_without_set_notify_enabled_is_einval,
		  setup_unregistered),
		T(test_protocol_without_fill_custom_report_is_einval,
		  setup_unregistered),
		T(test_protocol_without_events_is_einval, setup_unregistered),
		T(test_protocol_duplicate_event_ids_is_einval,
		  setup_unregistered),
		T(test_protocol_zero_sources_without_get_num_sources_is_einval,
		  setup_unregistered),
		T(test_protocol_get_num_sources_error_is_returned,
		  setup_unregistered),
		T(test_protocol_get_num_sources_zero_is_einval,
		  setup_unregistered),
		T(test_protocol_get_num_sources_gives_the_sources,
		  setup_unregistered),
		T(test_protocol_too_many_sources_is_einval, setup_unregistered),
		T(test_protocol_payload_larger_than_queue_is_einval,
		  setup_unregistered),
		T(test_protocol_queue_holding_largest_event_registers,
		  setup_unregistered),
		T(test_protocol_payload_larger_than_any_queue_is_einval,
		  setup_unregistered),
		T(test_register_unknown_event_is_einval_no_trace, setup),
		T(test_register_source_out_of_range_is_einval_no_trace, setup),
		T(test_src_id_above_all_is_einval, setup),
		T(test_same_notifier_twice_on_tuple_is_eexist, setup),
		T(test_notifier_on_another_tuple_is_ebusy, setup),
		T(test_unregister_unknown_tuple_is_enoent, setup),
		T(test_unregister_unknown_notifier_is_enoent, setup),
		T(test_notify_unknown_protocol_is_einval, setup),
		T(test_notify_unknown_event_is_einval, setup),
		T(test_notify_payload_too_large_is_einval, setup),
		T(test_notify_null_payload_with_size_is_einval, setup),
		T(test_notify_full_queue_is_enospc_and_recovers,
		  setup_unregistered),
		T(test_report_refused_is_dropped_and_next_delivered, setup),
		T(test_report_wrong_payload_size_is_dropped, setup),
		T(test_report_source_out_of_range_is_dropped, setup),
		T(test_platform_refuses_enable_no_trace, setup),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
