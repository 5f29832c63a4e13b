/* SPDX-License-Identifier: MIT */
/*
 * The table of the agent's protocol drivers (protocols.h), Base first:
 * one row per protocol. names.c reads the protocols' and events' names
 * from it. At the end, a stand-in for the one call of protocols.h that
 * xfer.c does not offer yet.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "agent-priv.h"
#include "delayed.h"
#include "protocols.h"

const struct scmi_proto_driver *const scmi_proto_drivers[] = {
	&scmi_base_driver,
	&scmi_power_driver,
	&scmi_system_driver,
	&scmi_perf_driver,
	&scmi_clock_driver,
	&scmi_sensor_driver,
	&scmi_reset_driver,
	&scmi_voltage_driver,
	&scmi_powercap_driver,
};

const unsigned int scmi_proto_num_drivers =
	sizeof(scmi_proto_drivers) / sizeof(scmi_proto_drivers[0]);

_Static_assert(sizeof(scmi_proto_drivers) / sizeof(scmi_proto_drivers[0]) ==
		       SCMI_NUM_DRIVERS,
	       "SCMI_NUM_DRIVERS (protocols.h) is the number of drivers");

/* ---------------------------------------------------------------- */
/* stand-in for xfer.c                                              */

/*
 * scmi_agent_complete_later() (protocols.h) belongs with the agent's
 * other completions in xfer.c; until it is there, this one uses what
 * agent-priv.h and delayed.h offer: a callback-style slot of the delayed
 * table, completed at once with SUCCESS and @ret, then the agent poked as
 * for a completion the rx thread made due. The slot's token,
 * SCMI_TOKEN_MAX, is one no header can carry: no P2A message matches it,
 * and no command's token waits for it. It holds one of the table's 16
 * slots until its callback ran. later_mtx (taken before the table's own)
 * keeps one such slot at a time between its reservation and its
 * completion, so that the completion finds that slot and no other.
 */
static pthread_mutex_t later_mtx = PTHREAD_MUTEX_INITIALIZER;

int scmi_agent_complete_later(struct scmi_agent *a, scmi_agent_async_fn fn,
			      void *userdata, const void *ret, size_t ret_sz)
{
	const struct scmi_msg_hdr hdr = {
		.type = SCMI_MSG_TYPE_DELAYED_RESP,
		.token = SCMI_TOKEN_MAX,
	};
	uint8_t *payld;
	int idx;

	if (!a || !fn || (!ret && ret_sz) || ret_sz > a->ch.max_msg_size)
		return -EINVAL;
	payld = malloc(4 + ret_sz);
	if (!payld)
		return -ENOMEM;
	scmi_put_le32(payld, SCMI_SUCCESS);
	if (ret_sz)
		memcpy(payld + 4, ret, ret_sz);
	pthread_mutex_lock(&later_mtx);
	idx = delayed_reserve_cb(&a->delayed, hdr.proto_id, hdr.msg_id,
				 hdr.token, ret_sz, fn, userdata, UINT64_MAX);
	if (idx >= 0)
		delayed_complete(&a->delayed, &hdr, payld, 4 + ret_sz, NULL);
	pthread_mutex_unlock(&later_mtx);
	free(payld);
	if (idx < 0)
		return idx;
	if (a->event_loop)
		loop_poke(a);
	else
		sup_poke(a, false);
	return 0;
}
