// The discrete-event engine: table of contents.
export { Simulation } from './simulation.ts';
export { EventQueue, type EventFn } from './eventQueue.ts';
export { Process, Interrupt, ProcessError, SUSPEND, type Suspend, type Wait, type ProcessBody, type ProcessState } from './process.ts';
export { SimEvent, anyOf, allOf } from './simEvent.ts';
export { Resource, type ResourceOptions } from './resource.ts';
export { Store, type StoreOptions } from './store.ts';
export { Container, type ContainerOptions } from './container.ts';
export { FifoQueue } from './fifoQueue.ts';
export type { GrantCallback } from './waiter.ts';
export * from './randomStreams.ts';
export * from './distributions/index.ts';
export * from './stats/index.ts';
