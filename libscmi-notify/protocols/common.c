/* SPDX-License-Identifier: MIT */
/*
 * What the protocol drivers share (common.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"

void *scmi_proto_lookup(struct scmi_agent *a, uint8_t proto_id, int *err)
{
	void *priv;

	if (!a) {
		*err = -EINVAL;
		return NULL;
	}
	if (!scmi_agent_is_connected(a)) {
		int32_t st;

		/*
		 * -ECONNRESET while the platform is gone (agent.h), else
		 * -ENOTCONN: the transport tells which, sending nothing while
		 * it is closed.
		 */
		*err = scmi_agent_do_xfer(a, SCMI_PROTOCOL_BASE,
					  SCMI_PROTOCOL_VERSION, NULL, 0, NULL,
					  0, NULL, &st) == -ECONNRESET ?
			       -ECONNRESET : -ENOTCONN;
		return NULL;
	}
	priv = scmi_agent_proto_priv(a, proto_id);
	if (!priv)
		*err = -EOPNOTSUPP;
	return priv;
}

/* The uint32_t count at byte @count_off of @priv. */
static uint32_t count_at(const void *priv, size_t count_off)
{
	uint32_t count;

	memcpy(&count, (const char *)priv + count_off, sizeof(count));
	return count;
}

void *scmi_proto_lookup_id(struct scmi_agent *a, uint8_t proto_id,
			   size_t count_off, uint32_t id, int *err)
{
	void *priv = scmi_proto_lookup(a, proto_id, err);

	if (!priv)
		return NULL;
	if (id >= count_at(priv, count_off)) {
		*err = -EINVAL;
		return NULL;
	}
	return priv;
}

int scmi_proto_count(struct scmi_agent *a, uint8_t proto_id,
		     size_t count_off)
{
	int err;
	void *priv = scmi_proto_lookup(a, proto_id, &err);

	return priv ? (int)count_at(priv, count_off) : err;
}

int scmi_proto_info_get(struct scmi_agent *a, uint8_t proto_id,
			size_t info_off, void *info, size_t info_sz)
{
	int err;
	void *priv;

	if (!info)
		return -EINVAL;
	priv = scmi_proto_lookup(a, proto_id, &err);
	if (!priv)
		return err;
	memcpy(info, (const char *)priv + info_off, info_sz);
	return 0;
}

int scmi_proto_version_attrs(struct scmi_agent *a, uint8_t proto_id,
			     uint32_t *version, void *attrs, size_t attrs_sz)
{
	uint8_t rx[4];
	int ret;

	ret = scmi_agent_xfer_exact(a, proto_id, SCMI_PROTOCOL_VERSION, NULL,
				    0, rx, sizeof(rx));
	if (ret)
		return ret;
	*version = scmi_get_le32(rx);
	return scmi_agent_xfer_exact(a, proto_id, SCMI_PROTOCOL_ATTRIBUTES,
				     NULL, 0, attrs, attrs_sz);
}

void scmi_proto_copy_name(char *dst, size_t dst_sz, const uint8_t *src,
			  size_t max_len)
{
	size_t n = strnlen((const char *)src, max_len);

	if (n > dst_sz - 1)
		n = dst_sz - 1;
	memset(dst, 0, dst_sz);
	memcpy(dst, src, n);
}

int scmi_proto_ext_name_get(struct scmi_agent *a, uint8_t proto_id,
			    uint8_t msg_id, const char *what, uint32_t id,
			    char *name, size_t name_sz)
{
	uint8_t tx[4], rx[SCMI_PROTO_NAME_GET_RX_SZ];
	int32_t status;
	size_t got = 0;
	int ret;

	scmi_put_le32(tx, id);
	ret = scmi_agent_do_xfer(a, proto_id, msg_id, tx, sizeof(tx), rx,
				 sizeof(rx), &got, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS || got != sizeof(rx)) {
		scmi_warn(scmi_agent_log(a),
			  "%s %u: NAME_GET (0x%x): %s, %zu return bytes: keeping \"%s\"",
			  what, id, msg_id, scmi_status_name(status), got,
			  name);
		return 0;
	}
	scmi_proto_copy_name(name, name_sz, rx + 4, SCMI_PROTO_EXT_NAME_SZ - 1);
	return 0;
}

int scmi_proto_page_get(struct scmi_agent *a, uint8_t proto_id,
			uint8_t msg_id, uint32_t id, uint32_t index, void *rx,
			size_t rx_cap, size_t *rx_sz)
{
	uint8_t tx[8];
	int32_t status;
	int ret;

	*rx_sz = 0;
	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, index);
	ret = scmi_agent_do_xfer(a, proto_id, msg_id, tx, sizeof(tx), rx,
				 rx_cap, rx_sz, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS)
		return scmi_status_to_errno(status);
	return *rx_sz < 4 ? -EPROTO : 0;
}

/*
 * The checks of a delayed response (@rx, @rx_sz bytes) to command
 * @msg_id of @proto_id that named @id: @id first, then exactly @ret_sz
 * bytes. 0, or -EPROTO (logged).
 */
static int check_delayed(struct scmi_agent *a, uint8_t proto_id,
			 uint8_t msg_id, uint32_t id, const uint8_t *rx,
			 size_t rx_sz, size_t ret_sz)
{
	if (rx_sz == 4 + ret_sz && scmi_get_le32(rx) == id)
		return 0;
	scmi_warn(scmi_agent_log(a),
		  "command 0x%x/0x%x for %u: delayed response of %zu bytes for %u, expected %zu",
		  proto_id, msg_id, id, rx_sz,
		  rx_sz >= 4 ? scmi_get_le32(rx) : UINT32_MAX, 4 + ret_sz);
	return -EPROTO;
}

int scmi_proto_xfer_async_id(struct scmi_agent *a, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     uint32_t id, void *ret, size_t ret_sz)
{
	uint8_t small[4 + 64];
	uint8_t *rx = 4 + ret_sz <= sizeof(small) ? small : malloc(4 + ret_sz);
	size_t rx_sz = 0;
	int32_t status;
	int err;

	if (!rx)
		return -ENOMEM;
	err = scmi_agent_do_xfer_async(a, proto_id, msg_id, tx, tx_sz, rx,
				       4 + ret_sz, &rx_sz, &status);
	if (!err && status != SCMI_SUCCESS)
		err = scmi_status_to_errno(status);
	if (!err)
		err = check_delayed(a, proto_id, msg_id, id, rx, rx_sz, ret_sz);
	if (!err && ret && ret_sz)
		memcpy(ret, rx + 4, ret_sz);
	if (rx != small)
		free(rx);
	return err;
}

/* ---------------------------------------------------------------- */
/* *_async() calls                                                  */

/* A driver's *_async() call that was accepted: freed once done ran. */
struct async_call {
	struct scmi_agent *agent;
	struct scmi_proto_async_cmd cmd; /* tx not kept: sent already */
	scmi_proto_async_done_fn done;
	max_align_t ctx[];               /* the driver's context, copied */
};

/* scmi_agent_async_fn of an asynchronous command: the delayed response. */
static void async_call_delayed(void *userdata, int result, const void *ret,
			       size_t ret_sz)
{
	struct async_call *c = userdata;
	const struct scmi_proto_async_cmd *cmd = &c->cmd;

	if (!result)
		result = check_delayed(c->agent, cmd->proto_id, cmd->msg_id,
				       cmd->id, ret, ret_sz, cmd->ret_sz);
	c->done(c->ctx, result,
		result || !cmd->ret_sz ? NULL : (const uint8_t *)ret + 4);
	free(c);
}

/* scmi_agent_async_fn of a synchronous one: the reply, checked already. */
static void async_call_sync(void *userdata, int result, const void *ret,
			    size_t ret_sz)
{
	struct async_call *c = userdata;

	c->done(c->ctx, result, result ? NULL : ret);
	free(c);
}

/* The synchronous command of @c, and its completion for later. */
static int async_call_send_sync(struct async_call *c, const void *tx,
				size_t tx_sz)
{
	const struct scmi_proto_async_cmd *cmd = &c->cmd;
	uint8_t *rx = NULL;
	int ret;

	if (!cmd->sync_ret_sz)
		ret = scmi_agent_xfer(c->agent, cmd->proto_id, cmd->msg_id, tx,
				      tx_sz, NULL, 0, NULL);
	else if (!(rx = malloc(cmd->sync_ret_sz)))
		ret = -ENOMEM;
	else
		ret = scmi_agent_xfer_exact(c->agent, cmd->proto_id,
					    cmd->msg_id, tx, tx_sz, rx,
					    cmd->sync_ret_sz);
	if (!ret)
		ret = scmi_agent_complete_later(c->agent, async_call_sync, c, rx,
						rx ? cmd->sync_ret_sz : 0);
	free(rx);
	return ret;
}

int scmi_proto_async_call(struct scmi_agent *a,
			  const struct scmi_proto_async_cmd *cmd,
			  scmi_proto_async_done_fn done, const void *ctx,
			  size_t ctx_sz)
{
	struct async_call *c = malloc(sizeof(*c) + ctx_sz);
	int32_t imm;
	int ret;

	if (!c)
		return -ENOMEM;
	*c = (struct async_call){ .agent = a, .done = done };
	if (ctx_sz)
		memcpy(c->ctx, ctx, ctx_sz);
	if (!cmd) {
		ret = scmi_agent_complete_later(a, async_call_sync, c, NULL, 0);
	} else {
		c->cmd = *cmd;
		c->cmd.tx = NULL;
		if (!cmd->async) {
			ret = async_call_send_sync(c, cmd->tx, cmd->tx_sz);
		} else {
			ret = scmi_agent_do_xfer_async_cb(a, cmd->proto_id,
							  cmd->msg_id, cmd->tx,
							  cmd->tx_sz, &imm,
							  async_call_delayed, c);
			if (!ret && imm != SCMI_SUCCESS)
				ret = scmi_status_to_errno(imm);
		}
	}
	/* accepted: c belongs to its completion (which may have run) */
	if (ret)
		free(c);
	return ret;
}

struct result_ctx {
	scmi_proto_result_fn fn;
	void *userdata;
};

static void result_done(void *ctx, int result, const uint8_t *ret)
{
	const struct result_ctx *r = ctx;

	r->fn(r->userdata, result);
}

int scmi_proto_async_result(struct scmi_agent *a,
			    const struct scmi_proto_async_cmd *cmd,
			    scmi_proto_result_fn fn, void *userdata)
{
	const struct result_ctx r = { .fn = fn, .userdata = userdata };

	return scmi_proto_async_call(a, cmd, result_done, &r, sizeof(r));
}
