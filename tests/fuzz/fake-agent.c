/* SPDX-License-Identifier: MIT */
/*
 * A fake agent for fuzz-reports: it defines every function of agent.c that
 * the protocol drivers call (protocols.h), so that agent.c is not linked
 * from the static library, and answers each command from the fuzz input.
 * A driver's init() then runs its real discovery on arbitrary replies and
 * yields the private struct its fill_custom_report() needs.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "log.h"
#include "protocols/fastchan.h"
#include "protocols/protocols.h"
#include "fuzz.h"

struct scmi_agent {
	struct scmi_log log;
	struct scmi_base_info base;
	struct fuzz_in *in;
};

static struct scmi_agent fake;

struct scmi_agent *fake_agent_get(struct fuzz_in *in)
{
	memset(&fake, 0, sizeof(fake));
	fake.log.level = 0; /* below SCMI_LOG_ERR: quiet */
	fake.in = in;
	return &fake;
}

int scmi_agent_do_xfer(struct scmi_agent *a, uint8_t proto_id,
		       uint8_t msg_id, const void *tx, size_t tx_sz, void *rx,
		       size_t rx_cap, size_t *rx_sz, int32_t *status)
{
	uint8_t st;
	size_t len;

	if (!a || !status || (!tx && tx_sz) || (!rx && rx_cap))
		return -EINVAL;
	if (!a->in->n)
		return -ETIMEDOUT;
	st = fuzz_u8(a->in);
	len = fuzz_u8(a->in);
	*status = st < 0xF0 ? SCMI_SUCCESS : -(int32_t)(st & 0xF);
	if (len > a->in->n)
		len = a->in->n;
	if (len > rx_cap) {
		a->in->p += len;
		a->in->n -= len;
		return -EPROTO;
	}
	if (len)
		memcpy(rx, a->in->p, len);
	a->in->p += len;
	a->in->n -= len;
	if (rx_sz)
		*rx_sz = len;
	return 0;
}

/* An asynchronous command: the delayed response comes from the input too. */
int scmi_agent_do_xfer_async(struct scmi_agent *a, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     void *rx, size_t rx_cap, size_t *rx_sz,
			     int32_t *status)
{
	return scmi_agent_do_xfer(a, proto_id, msg_id, tx, tx_sz, rx, rx_cap,
				  rx_sz, status);
}

/*
 * The *_async() calls that complete through a callback: fuzz-reports
 * calls none (only discovery and the report fillers), so they are
 * refused, and no callback is ever due.
 */
int scmi_agent_do_xfer_async_cb(struct scmi_agent *a, uint8_t proto_id,
				uint8_t msg_id, const void *tx, size_t tx_sz,
				int32_t *imm, scmi_agent_async_fn fn,
				void *userdata)
{
	return -EOPNOTSUPP;
}

int scmi_agent_complete_later(struct scmi_agent *a, scmi_agent_async_fn fn,
			      void *userdata, const void *ret, size_t ret_sz)
{
	return -EOPNOTSUPP;
}

int scmi_agent_xfer(struct scmi_agent *a, uint8_t proto_id, uint8_t msg_id,
		    const void *tx, size_t tx_sz, void *rx, size_t rx_cap,
		    size_t *rx_sz)
{
	int32_t status;
	int ret;

	ret = scmi_agent_do_xfer(a, proto_id, msg_id, tx, tx_sz, rx, rx_cap,
				 rx_sz, &status);
	return ret ? ret : scmi_status_to_errno(status);
}

int scmi_agent_xfer_exact(struct scmi_agent *a, uint8_t proto_id,
			  uint8_t msg_id, const void *tx, size_t tx_sz,
			  void *rx, size_t rx_sz)
{
	size_t got = 0;
	int ret;

	ret = scmi_agent_xfer(a, proto_id, msg_id, tx, tx_sz, rx, rx_sz, &got);
	if (ret)
		return ret;
	return got == rx_sz ? 0 : -EPROTO;
}

void *scmi_agent_proto_priv(const struct scmi_agent *a, uint8_t proto_id)
{
	return NULL;
}

/* No region: a driver offered fast channels uses its commands. */
int scmi_agent_region(struct scmi_agent *a, void **base,
		      struct scmi_fc_layout *l)
{
	return -ENOTCONN;
}

int scmi_agent_doorbell_dup(struct scmi_agent *a)
{
	return -ENOTCONN;
}

const struct scmi_log *scmi_agent_log(const struct scmi_agent *a)
{
	return &a->log;
}

struct scmi_base_info *scmi_agent_base(struct scmi_agent *a)
{
	return &a->base;
}

uint32_t scmi_agent_assigned_id(const struct scmi_agent *a)
{
	return 1;
}

bool scmi_agent_is_connected(const struct scmi_agent *a)
{
	return true;
}

int scmi_agent_conn_err(struct scmi_agent *a)
{
	return -ENOTCONN;
}
