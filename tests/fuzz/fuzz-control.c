/* SPDX-License-Identifier: MIT */
/*
 * control_exec() on arbitrary text (at most SIM_CONTROL_MAX_MSG bytes, cut
 * at the first NUL as the control socket would read a line), on the default
 * topology with no agent connected. The reply is a NUL-terminated "ok ..."
 * or "error N ..." inside its buffer.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *req, *reply;
	int ret;

	if (size >= SIM_CONTROL_MAX_MSG)
		return 0;
	fuzz_sim_reset();
	req = malloc(size + 1);
	reply = malloc(SIM_CONTROL_MAX_REPLY);
	if (!req || !reply)
		abort();
	memcpy(req, data, size);
	req[size] = '\0';

	ret = control_exec(req, reply, SIM_CONTROL_MAX_REPLY);
	assert(memchr(reply, '\0', SIM_CONTROL_MAX_REPLY));
	if (ret == 0)
		assert(!strncmp(reply, "ok", 2));
	else
		assert(ret < 0 && !strncmp(reply, "error ", 6));
	free(req);
	free(reply);
	return 0;
}
