// `qapi-qmp check . | head`: when the reader goes away, stop quietly as other Unix tools do
// (status 141, what a shell reports for a tool killed by SIGPIPE; node gets EPIPE instead of
// the signal) rather than die with an unhandled 'error' event and a stack trace.
export function guardStdout(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(141);
    else {
      process.stderr.write(`qapi-qmp: cannot write output (${e.code ?? e.message})\n`);
      exit(2);
    }
  });
}
