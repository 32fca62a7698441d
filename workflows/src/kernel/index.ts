// The workflow kernel: what every case kind's workflow uses the same way.
export * from './contracts';
export * from './event-id';
export * from './activity-options';
export * from './refusals';
export * from './text-guards';
