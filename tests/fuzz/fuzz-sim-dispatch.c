/* SPDX-License-Identifier: MIT */
/*
 * The simulator's command handlers on arbitrary requests, as the channel
 * dispatches them: a sequence of commands, each u8 protocol (an index into
 * sim_protocols[]), u8 message id, u8 request size, the request. The
 * request and the response buffer have their exact sizes; a handler's
 * response must fit the room it was given. An agent that subscribed to an
 * event is replaced after the command (it has no session to post to).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "agents.h"
#include "protocols.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct sim_agent *a;
	unsigned int cmds = 0;

	fuzz_sim_reset();
	a = fuzz_sim_agent_new();
	while (in.n >= 3 && cmds++ < 64) {
		const struct sim_protocol *p =
			&sim_protocols[fuzz_u8(&in) % SIM_NUM_PROTOCOLS];
		uint8_t msg_id = fuzz_u8(&in);
		size_t len = fuzz_u8(&in);
		size_t room = sim_config()->max_msg_size, resp_len = room;
		uint8_t *req, *resp;

		if (len > in.n)
			len = in.n;
		req = malloc(len ? len : 1);
		resp = malloc(room);
		if (!req || !resp)
			abort();
		memcpy(req, in.p, len);
		in.p += len;
		in.n -= len;

		/* the channel sets the header; access checks read its protocol */
		a->cur_hdr.proto_id = p->id;
		a->cur_hdr.msg_id = msg_id;
		(void)p->handle(a, msg_id, req, len, resp, &resp_len);
		assert(resp_len <= room);
		free(req);
		free(resp);
		if (agent_sub_count(a)) {
			fuzz_sim_agent_free(a);
			a = fuzz_sim_agent_new();
		}
	}
	fuzz_sim_agent_free(a);
	return 0;
}
