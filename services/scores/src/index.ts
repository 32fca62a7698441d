// The scores service: rankings and indexes built from events (see main.ts).
export * from './main';
export * from './config';
export * from './use-cases/figures';
export * from './use-cases/fold';
export * from './use-cases/periods';
export * from './http/csv';
