// TCP behaviour the simulations share: table of contents.
export {
  RetransmissionPolicy, defaultRetransmissionParams, checkRetransmissionParams,
  type RetransmissionParams,
} from './retransmission.ts';
