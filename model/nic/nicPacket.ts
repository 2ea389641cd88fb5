/** The least a packet must carry for the NIC model: which flow it belongs to and its size. */
export interface NicPacket {
  /** Flow identity (5-tuple stand-in): a non-negative integer; RSS and per-flow shaping hash it. */
  readonly flowId: number;
  /** Ethernet frame size including the 4 B FCS, without preamble and gap. */
  readonly frameBytes: number;
  /** When it entered its RX ring, ns: set by NapiPoll for packets that carry the field (for latency attribution). */
  ringNs?: number;
}
