// The part of the domain that workflow code may import: plain functions and constants, no zod,
// no calendars, no policy schema (those stay in activities and services, which import the root).
// The eslint config forbids workflow code any other entry into this package.
export * from './src/constants';
export * from './src/scoring';
export * from './src/duty-roster';
export * from './src/livelihood';
export * from './src/local-date';
export * from './src/rejections';
