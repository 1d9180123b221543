/** The part of LSP's CancellationToken the service needs; long loops poll it. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const neverCancelled: Cancellation = { isCancellationRequested: false };

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}
