/** A failure that trying again cannot fix (no address, a template without its data, ...): parked at once. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}
