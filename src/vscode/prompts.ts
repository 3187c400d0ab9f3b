import * as vscode from 'vscode';

/** Runs long work under a cancellable notification; the user's cancel aborts the signal. */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    return work(ac.signal, (message, increment) => progress.report({ message, ...(increment !== undefined ? { increment } : {}) }));
  });
}
