export * from './calendar';
export * from './calendars';
export * from './deadline';
export * from './policy';
export * from './scoring';
export * from './duty';
export * from './livelihood';
export * from './rejections';
