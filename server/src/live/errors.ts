// What can go wrong talking to a QEMU, one class per cause, each with a message a user can act on.

/** QEMU answered the command with an error (`{"error": {"class", "desc"}}`). */
export class QmpCommandError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${command}: ${errorClass}: ${desc}`);
  }
}

/** The connection could not be made, or it is gone (QEMU exited, closed the socket, was killed). */
export class QmpConnectionError extends Error {}

/** QEMU sent something that is not QMP (not JSON, too large, no greeting). The connection is closed. */
export class QmpProtocolError extends Error {}

/** No reply within the request's deadline. The connection stays open; a late reply is dropped. */
export class QmpTimeoutError extends Error {}

/** The caller cancelled the request (AbortSignal). A late reply is dropped. */
export class QmpAbortError extends Error {}
