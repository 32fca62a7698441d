// How a refused action on a case reaches an HTTP caller lives with the rest of the HTTP →
// Temporal glue in platform/src/http/case-actions.ts; re-exported for the workflows' callers.
export { updateRejection } from '@duban/platform';
