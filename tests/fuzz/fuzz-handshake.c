/* SPDX-License-Identifier: MIT */
/*
 * scmi_hello_decode() on arbitrary bytes: a hello accepted has its two
 * areas inside the region, large enough and apart, and encodes back to
 * the same bytes.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include <scmi/transport.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmi_hello h;
	uint8_t again[SCMI_HELLO_SIZE];
	uint64_t need;
	int ret;

	ret = scmi_hello_decode(data, size, &h);
	if (ret) {
		assert(ret == -EPROTO);
		return 0;
	}
	assert(size == SCMI_HELLO_SIZE);
	assert(h.magic == SCMI_HELLO_MAGIC);
	assert(h.version == SCMI_TRANSPORT_VERSION);
	assert(h.num_fds == SCMI_HELLO_NUM_FDS);
	assert(h.agent_id >= 1 && h.agent_id <= 255);
	need = SCMI_SMT_HEADER_SIZE + 4 + (uint64_t)h.max_msg_size;
	assert(h.a2p_offset % 4 == 0 && h.a2p_size % 4 == 0);
	assert(h.p2a_offset % 4 == 0 && h.p2a_size % 4 == 0);
	assert(h.a2p_size >= need && h.p2a_size >= need);
	assert((uint64_t)h.a2p_offset + h.a2p_size <= h.region_size);
	assert((uint64_t)h.p2a_offset + h.p2a_size <= h.region_size);
	assert((uint64_t)h.a2p_offset + h.a2p_size <= h.p2a_offset ||
	       (uint64_t)h.p2a_offset + h.p2a_size <= h.a2p_offset);

	scmi_hello_encode(&h, again);
	assert(!memcmp(again, data, SCMI_HELLO_SIZE));
	return 0;
}
