// The scores service: rankings and indexes built from events (see app.ts).
export * from './app';
export * from './config';
export * from './figures';
export * from './fold';
export * from './periods';
export * from './csv';
