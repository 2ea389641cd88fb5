/** The least a packet must carry for the NIC model: which flow it belongs to, its size and when it arrived. */
export interface NicPacket {
  /** Flow identity (5-tuple stand-in): a non-negative integer; RSS and per-flow shaping hash it. */
  readonly flowId: number;
  /** Ethernet frame size including the 4 B FCS, without preamble and gap. */
  readonly frameBytes: number;
  /** When the packet reached the NIC (or the shaper in front of it), ns. */
  readonly arrivalNs: number;
}
