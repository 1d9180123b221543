// Every request handler runs through here: a cancelled request answers the LSP
// "request cancelled" error, and an exception becomes a logged error plus the
// handler's neutral answer instead of a dead request or a dead server.
import { type CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export function runSafe<T>(log: (m: string) => void, what: string, token: CancellationToken, fallback: T, f: () => T): T | ResponseError<void> {
  if (token.isCancellationRequested) return cancelled();
  try {
    const result = f();
    return token.isCancellationRequested ? cancelled() : result;
  } catch (e) {
    log(`error in ${what}: ${(e as Error)?.stack ?? e}`);
    return fallback;
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
