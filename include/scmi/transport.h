/* SPDX-License-Identifier: MIT */
/*
 * The shared-memory + eventfd transport between an SCMI agent and a
 * platform (scmi-sim), precise enough to write either side in another
 * language.
 *
 * 1. Socket. The platform listens on a UNIX socket of type SOCK_SEQPACKET
 *    (mode 0600, in a directory of mode 0700). One connection is one agent
 *    session.
 *
 * 2. Handshake. The agent connects and sends nothing. The platform sends
 *    exactly one message of SCMI_HELLO_SIZE bytes, every field a
 *    little-endian u32 at the byte offset given:
 *
 *      off  field          value
 *      0x00 magic          SCMI_HELLO_MAGIC (the bytes "SCMI")
 *      0x04 version        SCMI_TRANSPORT_VERSION (2; version 1 rang
 *                          with a write of 1 and acked every message)
 *      0x08 agent_id       the agent id the platform assigned (1..255;
 *                          0 is the platform itself in Base discovery)
 *      0x0C flags          0 (reserved)
 *      0x10 region_size    bytes of the shared-memory region (the memfd)
 *      0x14 a2p_offset     offset of the A2P area in the region
 *      0x18 a2p_size       size of the A2P area in bytes
 *      0x1C p2a_offset     offset of the P2A area in the region
 *      0x20 p2a_size       size of the P2A area in bytes
 *      0x24 max_msg_size   payload bytes a message may carry (128 default)
 *      0x28 num_fds        SCMI_HELLO_NUM_FDS (5)
 *
 *    with SCM_RIGHTS ancillary data carrying, in this order:
 *      [0] the memfd of the region (map it MAP_SHARED, read-write)
 *      [1] a2p_doorbell   agent writes: a command is posted in A2P
 *      [2] a2p_done       platform writes: the response is in A2P
 *      [3] p2a_doorbell   platform writes: a message is posted in P2A
 *      [4] p2a_ack        agent writes: the P2A area is free again
 *    each an eventfd (8-byte counter). The doorbells follow these rules,
 *    so that neither side can ever block on one, whatever its peer does
 *    to the counter or to the descriptor's flags (an eventfd received
 *    over SCM_RIGHTS shares its open file description, O_NONBLOCK
 *    included, with the sender):
 *      - the platform writes 1 to each eventfd before it sends the hello
 *        ("primed": the counters are never 0 again);
 *      - to ring, a side writes the 8-byte value 0 (scmi_doorbell_ring()):
 *        a write of 0 adds nothing, so it can never block or fail on a
 *        full counter, and like every successful write it wakes the
 *        eventfd's waiters;
 *      - the receiver waits edge-triggered (epoll with EPOLLET: each ring
 *        is an edge) and never reads the eventfd: a receiver that reads
 *        its counter back to 0 loses its own wake-ups, nobody else's.
 *    Each side decides what a ring means by reading the area's
 *    channel_status, never by counting rings.
 *    The eventfds come with O_NONBLOCK set; nothing depends on it any
 *    more, but a peer that clears it breaks this contract: a platform
 *    that does is dropped by the agent (-EPROTO), an agent that does is
 *    dropped by the platform (that agent's session only). Each side
 *    checks the flag (scmi_doorbell_check()) when the session starts and
 *    at least every SCMI_DOORBELL_CHECK_EVERY rings of each doorbell
 *    after: a check on every ring would double the cost of a ring, and
 *    nothing waits on the flag anyway.
 *
 *    The memfd is sealed with F_SEAL_SHRINK and F_SEAL_GROW: an agent
 *    refuses a region without both (a file shrunk under a mapping makes
 *    accesses fault with SIGBUS). The agent checks the kind of every
 *    descriptor: the memfd a regular file, the other four eventfds.
 *    A platform that refuses an agent (too many agents) closes the
 *    connection without a hello.
 *
 *    The agent checks every field before use: magic and version equal,
 *    num_fds equal and exactly that many descriptors received, each area's
 *    offset and size a multiple of 4, at least
 *    SCMI_SMT_HEADER_SIZE + 4 + max_msg_size bytes,
 *    inside region_size, the two areas not overlapping, and the memfd at
 *    least region_size bytes (fstat). Anything else: -EPROTO, the
 *    connection is closed. A handshake not received within the agent's
 *    timeout is -ETIMEDOUT.
 *
 * 3. Channels. The areas follow wire.h's SMT layout and the platform
 *    initialises both to channel_status = FREE.
 *    A2P: the agent waits for FREE, writes flags (INTR set: it wants
 *    a2p_done), length, header, payload, then channel_status = 0 (busy)
 *    last with release ordering, and rings a2p_doorbell. The platform
 *    copies the message out, writes the response (same header, status
 *    first in the payload), sets channel_status = FREE last (release) and,
 *    if the command's flags had INTR set, rings a2p_done. A command whose
 *    length is below 4 (no readable header) is answered by setting
 *    channel_status = FREE | ERROR alone; the agent ends that transfer
 *    with -ECOMM. A command longer than 4 + max_msg_size is answered
 *    PROTOCOL_ERROR.
 *    A ring of a2p_doorbell that finds the A2P area FREE carries no
 *    command: it is the doorbell of a fast channel (perf,
 *    PERF_DESCRIBE_FASTCHANNEL: areas after the two SMT areas, each
 *    channel's address its offset in the region, its doorbell a 32-bit
 *    word there that the agent sets before it rings), and the platform
 *    then looks at its fast channels.
 *    P2A: the platform waits for FREE, writes flags, length, header and
 *    payload, then channel_status = 0 (busy) with release ordering, and
 *    rings p2a_doorbell. The agent copies the message out once, sets
 *    channel_status = FREE (release), and rings p2a_ack only if the
 *    flags word then has SCMI_SMT_FLAGS_INTR set: the platform asks for
 *    the ack only when it has something more to post, so that a quiet
 *    stream of notifications costs the agent no write at all. To ask, the
 *    platform sets INTR in the flags word of the busy area; both sides
 *    then re-check the other's word after a full (seq_cst) fence:
 *      agent:    channel_status = FREE; fence; if (flags & INTR) ring
 *      platform: flags |= INTR; fence; if (channel_status & FREE) post
 *    so that at least one of them sees the other's store: either the
 *    agent rings, or the platform finds the area free and posts at once.
 *    A new message is posted with flags 0 (or INTR when more wait).
 *    One message is in flight per channel. No side ever trusts a length,
 *    id or size read from an area before checking it.
 *
 * 4. Hang-up. The socket stays open for the whole session; nothing else is
 *    sent on it. When either side closes it (or dies), the other sees
 *    end-of-file or POLLHUP: the session is over. The agent fails the
 *    command in flight and every later one with -ECONNRESET; the platform
 *    frees the agent's region, eventfds and subscriptions.
 */
#ifndef SCMI_TRANSPORT_H
#define SCMI_TRANSPORT_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <scmi/wire.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCMI_HELLO_MAGIC 0x494D4353u /* "SCMI" read as a little-endian u32 */
#define SCMI_TRANSPORT_VERSION 2u
#define SCMI_HELLO_NUM_FDS 5u
#define SCMI_HELLO_SIZE 0x2Cu

/* Byte offsets of the hello message's fields. */
enum scmi_hello_field {
	SCMI_HELLO_MAGIC_OFF = 0x00,
	SCMI_HELLO_VERSION_OFF = 0x04,
	SCMI_HELLO_AGENT_ID_OFF = 0x08,
	SCMI_HELLO_FLAGS_OFF = 0x0C,
	SCMI_HELLO_REGION_SIZE_OFF = 0x10,
	SCMI_HELLO_A2P_OFFSET_OFF = 0x14,
	SCMI_HELLO_A2P_SIZE_OFF = 0x18,
	SCMI_HELLO_P2A_OFFSET_OFF = 0x1C,
	SCMI_HELLO_P2A_SIZE_OFF = 0x20,
	SCMI_HELLO_MAX_MSG_SIZE_OFF = 0x24,
	SCMI_HELLO_NUM_FDS_OFF = 0x28,
};

/* Order of the descriptors in the SCM_RIGHTS array. */
enum scmi_hello_fd {
	SCMI_FD_MEMFD = 0,
	SCMI_FD_A2P_DOORBELL = 1,
	SCMI_FD_A2P_DONE = 2,
	SCMI_FD_P2A_DOORBELL = 3,
	SCMI_FD_P2A_ACK = 4,
};

/* The handshake, decoded. */
struct scmi_hello {
	uint32_t magic;
	uint32_t version;
	uint32_t agent_id;
	uint32_t flags;
	uint32_t region_size;
	uint32_t a2p_offset;
	uint32_t a2p_size;
	uint32_t p2a_offset;
	uint32_t p2a_size;
	uint32_t max_msg_size;
	uint32_t num_fds;
};

static inline void scmi_hello_encode(const struct scmi_hello *h,
				     uint8_t buf[SCMI_HELLO_SIZE])
{
	scmi_put_le32(buf + SCMI_HELLO_MAGIC_OFF, h->magic);
	scmi_put_le32(buf + SCMI_HELLO_VERSION_OFF, h->version);
	scmi_put_le32(buf + SCMI_HELLO_AGENT_ID_OFF, h->agent_id);
	scmi_put_le32(buf + SCMI_HELLO_FLAGS_OFF, h->flags);
	scmi_put_le32(buf + SCMI_HELLO_REGION_SIZE_OFF, h->region_size);
	scmi_put_le32(buf + SCMI_HELLO_A2P_OFFSET_OFF, h->a2p_offset);
	scmi_put_le32(buf + SCMI_HELLO_A2P_SIZE_OFF, h->a2p_size);
	scmi_put_le32(buf + SCMI_HELLO_P2A_OFFSET_OFF, h->p2a_offset);
	scmi_put_le32(buf + SCMI_HELLO_P2A_SIZE_OFF, h->p2a_size);
	scmi_put_le32(buf + SCMI_HELLO_MAX_MSG_SIZE_OFF, h->max_msg_size);
	scmi_put_le32(buf + SCMI_HELLO_NUM_FDS_OFF, h->num_fds);
}

/* Rings of one doorbell between two checks of its flags (section 2). */
#define SCMI_DOORBELL_CHECK_EVERY 64u

/*
 * Ring a doorbell (section 2 above): write the value 0, which never
 * blocks, whatever the peer did to the counter or the flags. Returns 0,
 * or the negative errno of write() (EBADF: not an eventfd).
 */
static inline int scmi_doorbell_ring(int efd)
{
	static const uint64_t zero = 0;
	ssize_t n;

	do
		n = write(efd, &zero, sizeof(zero));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == SCMI_CAST(ssize_t, sizeof(zero)) ? 0 : -EPROTO;
}

/*
 * Whether the peer left O_NONBLOCK set on @efd's shared description (as
 * this contract requires): 0, -EPROTO it cleared it, or the negative
 * errno of fcntl().
 */
static inline int scmi_doorbell_check(int efd)
{
	int fl = fcntl(efd, F_GETFL);

	if (fl < 0)
		return -errno;
	return fl & O_NONBLOCK ? 0 : -EPROTO;
}

static inline int scmi_area_ok(uint32_t off, uint32_t size,
			       uint32_t region_size, uint32_t max_msg_size)
{
	return off % 4 == 0 && size % 4 == 0 &&
	       size >= SCMI_SMT_HEADER_SIZE + 4 + max_msg_size &&
	       off <= region_size && size <= region_size - off;
}

/*
 * Decode and check a received hello of @len bytes (see 2. above; the
 * memfd size and descriptor count are the receiver's to check).
 * Returns 0 or -EPROTO.
 */
static inline int scmi_hello_decode(const uint8_t *buf, size_t len,
				    struct scmi_hello *h)
{
	if (len != SCMI_HELLO_SIZE)
		return -EPROTO;
	h->magic = scmi_get_le32(buf + SCMI_HELLO_MAGIC_OFF);
	h->version = scmi_get_le32(buf + SCMI_HELLO_VERSION_OFF);
	h->agent_id = scmi_get_le32(buf + SCMI_HELLO_AGENT_ID_OFF);
	h->flags = scmi_get_le32(buf + SCMI_HELLO_FLAGS_OFF);
	h->region_size = scmi_get_le32(buf + SCMI_HELLO_REGION_SIZE_OFF);
	h->a2p_offset = scmi_get_le32(buf + SCMI_HELLO_A2P_OFFSET_OFF);
	h->a2p_size = scmi_get_le32(buf + SCMI_HELLO_A2P_SIZE_OFF);
	h->p2a_offset = scmi_get_le32(buf + SCMI_HELLO_P2A_OFFSET_OFF);
	h->p2a_size = scmi_get_le32(buf + SCMI_HELLO_P2A_SIZE_OFF);
	h->max_msg_size = scmi_get_le32(buf + SCMI_HELLO_MAX_MSG_SIZE_OFF);
	h->num_fds = scmi_get_le32(buf + SCMI_HELLO_NUM_FDS_OFF);

	if (h->magic != SCMI_HELLO_MAGIC || h->version != SCMI_TRANSPORT_VERSION ||
	    h->num_fds != SCMI_HELLO_NUM_FDS || h->flags != 0 ||
	    h->agent_id == 0 || h->agent_id > 255 ||
	    h->max_msg_size < 8 || h->max_msg_size > 65536)
		return -EPROTO;
	if (!scmi_area_ok(h->a2p_offset, h->a2p_size, h->region_size,
			  h->max_msg_size) ||
	    !scmi_area_ok(h->p2a_offset, h->p2a_size, h->region_size,
			  h->max_msg_size))
		return -EPROTO;
	/* the areas must not overlap */
	if (h->a2p_offset < h->p2a_offset + h->p2a_size &&
	    h->p2a_offset < h->a2p_offset + h->a2p_size)
		return -EPROTO;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SCMI_TRANSPORT_H */
