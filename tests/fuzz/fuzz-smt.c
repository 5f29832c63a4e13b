/* SPDX-License-Identifier: MIT */
/*
 * smt_read() on an area of arbitrary content. Input: u16 area size (rounded
 * down to a multiple of 4), u16 max_payld, u8 match bits, u32 expected
 * header, then the area's bytes (zero-padded). The area and the buffer are
 * allocated at their exact sizes, so that a read outside them is caught.
 * A message accepted must be consistent with the area and written back the
 * same by smt_write().
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t area_sz = fuzz_u16(&in) & ~3u;
	size_t max_payld = fuzz_u16(&in) % 1024;
	unsigned int match = fuzz_u8(&in) & SMT_MATCH_ALL;
	uint32_t exp_word = fuzz_u32(&in);
	struct smt_expect exp = { .match = match };
	struct smt_area a, b;
	struct smt_msg msg, msg2;
	uint8_t *buf, *buf2;
	int ret;

	if (scmi_hdr_unpack(exp_word, &exp.hdr) < 0)
		memset(&exp.hdr, 0, sizeof(exp.hdr));
	a.size = area_sz;
	a.base = aligned_alloc(4, area_sz ? area_sz : 4);
	buf = malloc(max_payld ? max_payld : 1);
	if (!a.base || !buf) {
		free(a.base);
		free(buf);
		return 0;
	}
	memset(a.base, 0, area_sz);
	memcpy(a.base, in.p, in.n < area_sz ? in.n : area_sz);

	ret = smt_read(&a, max_payld, match ? &exp : NULL, buf, max_payld,
		       &msg);
	if (area_sz < SCMI_SMT_HEADER_SIZE) {
		assert(ret == -EINVAL);
	} else if (ret == 0) {
		const uint8_t *base = a.base;
		struct scmi_msg_hdr h;

		assert(!(msg.status & SCMI_SMT_STATUS_ERROR));
		assert(msg.payld_sz <= max_payld);
		assert(SCMI_SMT_HEADER_SIZE + msg.payld_sz <= area_sz);
		assert(scmi_get_le32(base + SCMI_SMT_LENGTH) == msg.payld_sz + 4);
		assert(scmi_get_le32(base + SCMI_SMT_MSG_HEADER) == msg.hdr_word);
		assert(scmi_get_le32(base + SCMI_SMT_FLAGS) == msg.flags);
		assert(scmi_hdr_unpack(msg.hdr_word, &h) == 0);
		assert(h.msg_id == msg.hdr.msg_id && h.type == msg.hdr.type &&
		       h.proto_id == msg.hdr.proto_id &&
		       h.token == msg.hdr.token);
		assert(!memcmp(buf, base + SCMI_SMT_PAYLOAD, msg.payld_sz));
		if (match & SMT_MATCH_MSG_ID)
			assert(h.msg_id == exp.hdr.msg_id);
		if (match & SMT_MATCH_TYPE)
			assert(h.type == exp.hdr.type);
		if (match & SMT_MATCH_PROTO)
			assert(h.proto_id == exp.hdr.proto_id);
		if (match & SMT_MATCH_TOKEN)
			assert(h.token == exp.hdr.token);

		/* written back, it reads the same */
		b.size = area_sz;
		b.base = aligned_alloc(4, area_sz);
		buf2 = malloc(max_payld ? max_payld : 1);
		if (b.base && buf2) {
			memset(b.base, 0, area_sz);
			ret = smt_write(&b, max_payld, msg.flags, msg.hdr_word,
					buf, msg.payld_sz);
			assert(ret == 0);
			ret = smt_read(&b, max_payld, NULL, buf2, max_payld,
				       &msg2);
			assert(ret == 0);
			assert(msg2.payld_sz == msg.payld_sz);
			assert(msg2.hdr_word == msg.hdr_word);
			assert(msg2.flags == msg.flags);
			assert(!memcmp(buf, buf2, msg.payld_sz));
		}
		free(b.base);
		free(buf2);
	} else {
		uint32_t st = scmi_get_le32((uint8_t *)a.base +
					    SCMI_SMT_CHANNEL_STATUS);

		assert(ret == -EPROTO || ret == -ECOMM);
		assert((ret == -ECOMM) == !!(st & SCMI_SMT_STATUS_ERROR));
	}
	free(a.base);
	free(buf);
	return 0;
}
